"""Matrix, comparison and regimes results as text tables (documents are rendered
elsewhere)."""

from __future__ import annotations

import io

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from engine.presentation.wording import (
    HOME_LICENCE,
    NOT_COVERED_LEGEND,
    column_label,
    fx_warning_text,
    mark_text,
    money_text,
)
from engine.results import (
    ComparisonCell,
    ComparisonResult,
    JurisdictionList,
    MatrixResult,
    StaleList,
)


def _console() -> Console:
    return Console(record=True, file=io.StringIO(), width=200, no_color=True)


ROUTE_MARK = {"passport": "P", "local_licence": "L", "unavailable": "U"}
VERDICT_MARK = {"eligible": "E", "conditional": "C", "not_eligible": "N", "incomplete": "I"}


def render_matrix_text(result: MatrixResult) -> str:
    """Rows: home licences; columns: hosts; cells: route, verdict and gaps, abbreviated so
    that every bundled host fits across (a legend follows the table)."""
    framework = result.framework.id if result.framework else "none"
    console = _console()
    table = Table(title=f"{result.activity} · framework {framework} · as of {result.as_of}")
    table.add_column("home→host")
    table.add_column(HOME_LICENCE)
    for host in result.hosts:
        table.add_column(host, justify="center")
    for line, cells in result.grid():
        row = [line.home, line.home_licence]
        for cell in cells:
            if cell is None:
                row.append("·")
                continue
            marks = ROUTE_MARK[cell.route] + VERDICT_MARK[cell.verdict]
            row.append(
                marks
                if cell.route == "unavailable"
                else f"{marks} {cell.unmet + cell.not_covered}/{cell.unknown}"
            )
        table.add_row(*row)
    console.print(table)
    console.print(
        "route: P passport, L local licence, U unavailable · verdict: E eligible, "
        "C conditional, N not eligible, I incomplete · n/m: gaps (unmet or not covered)/"
        "unknown requirements"
    )
    console.print(NOT_COVERED_LEGEND)
    if result.framework and result.framework.proposal_not_law:
        console.print(f"{result.framework.title}: a proposal, not law.")
    console.print(f"Rules bundle {escape(result.bundle)}, hash {result.rules_hash[:16]}")
    return console.export_text()


def _cell_text(cell: ComparisonCell | None, currency: str) -> str:
    if cell is None:
        return "—"
    lines = [cell.rule]
    if (
        cell.converted is not None
        and cell.threshold is not None
        and cell.threshold.currency != currency
    ):
        lines.append(f"≈ {money_text(cell.converted)}")
    if cell.mark or cell.unranked:
        lines.append(mark_text(cell))
    if cell.pending:
        lines.append("pending")
    lines.append(f"{cell.citation.instrument} {cell.citation.provision} · {cell.confidence}")
    return "\n".join(lines)


def render_comparison_text(result: ComparisonResult) -> str:
    """One row per aligned requirement, one column per licence."""
    console = _console()
    table = Table(
        title=f"{result.activity} · as of {result.as_of} · amounts also in {result.currency}",
        show_lines=True,
    )
    table.add_column("category / attribute")
    for column in result.columns:
        table.add_column(column_label(column))
    for row in result.rows:
        # Rule text is data, not markup: `[ceo, mlro]` must print as written.
        cells = (escape(_cell_text(c, result.currency)) for c in row.cells)
        table.add_row(f"{row.category}\n{row.attribute}", *cells)
    console.print(table)
    for rate in result.fx_rates:
        console.print(
            f"FX: 1 {rate.source} = {rate.rate} {rate.target} (rates of {rate.table_date})"
        )
    for warning in result.fx_warnings:
        console.print(f"FX warning: {escape(fx_warning_text(warning))}")
    console.print(f"Rules bundle {escape(result.bundle)}, hash {result.rules_hash[:16]}")
    return console.export_text()


def render_regimes_text(result: JurisdictionList) -> str:
    """The bundled jurisdictions, one row each, with their regime status per activity."""
    activities = list(result.jurisdictions[0].regimes) if result.jurisdictions else []
    console = _console()
    table = Table(title=f"Bundled jurisdictions on {result.as_of}")
    for column in ("code", "name", "currency", "verified", *activities):
        table.add_column(column)
    for row in result.jurisdictions:
        verified = str(row.verified_on) if row.verified_on else "never"
        table.add_row(
            row.code, row.name, row.currency, verified, *(row.regimes[a] for a in activities)
        )
    console.print(table)
    return console.export_text()


def render_stale_text(result: StaleList) -> str:
    """What was not verified within `days` days of the as-of date, one row each."""
    console = _console()
    if not result.stale:
        console.print(f"Everything was verified within {result.days} days of {result.as_of}")
        return console.export_text()
    table = Table(title=f"Not verified within {result.days} days of {result.as_of}")
    for column in ("jurisdiction", "requirement", "verified", "age (days)"):
        table.add_column(column)
    for entry in result.stale:
        table.add_row(
            entry.jurisdiction,
            entry.requirement or "",
            str(entry.verified_on) if entry.verified_on else "never",
            str(entry.age_days) if entry.age_days is not None else "",
        )
    console.print(table)
    return console.export_text()
