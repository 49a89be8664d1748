"""Comparison and matrix documents: the shared wording and the format dispatch tables.

Each format lives in its own module (`documents_markdown`, `documents_html`,
`documents_csv`, `documents_docx`); the CLI and `jawaz docs build` look a renderer up here
so that adding a format never touches the commands. Every renderer is deterministic: the
same result gives the same bytes (no timestamps, sorted inputs only).
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from engine.errors import EngineError
from engine.results import ComparisonCell, ComparisonResult, Decision, MatrixResult, RateOut

if TYPE_CHECKING:
    from engine.bundle import Bundle

NO_REQUIREMENT = "no such requirement"
VERDICT_LABEL = {
    "eligible": "eligible",
    "conditional": "conditional",
    "not_eligible": "not eligible",
    "incomplete": "incomplete",
}
ROUTE_LABEL = {
    "passport": "passport",
    "local_licence": "local licence",
    "unavailable": "unavailable",
}

Renderer = Callable[..., bytes]


def rate_text(rate: RateOut) -> str:
    """One FX rate as a sentence fragment, with its table date and origin."""
    pegged = ", pegged" if rate.pegged else ""
    return (
        f"1 {rate.source} = {rate.rate} {rate.target} "
        f"(table of {rate.table_date}, {rate.origin}{pegged})"
    )


def cell_lines(cell: ComparisonCell, currency: str) -> list[str]:
    """The plain-text facts of a filled comparison cell, citation excluded."""
    lines = [cell.rule]
    if cell.pending:
        lines.append("pending: figure not yet published")
    converted, threshold = cell.converted, cell.threshold
    if converted is not None and threshold is not None and threshold.currency != currency:
        lines.append(f"≈ {converted.currency} {converted.amount}")
    if cell.mark:
        lines.append(cell.mark)
    lines.append(f"confidence: {cell.confidence}")
    return lines


def citation_text(cell: ComparisonCell) -> str:
    """Instrument and provision, without the URL (formats that link add it themselves)."""
    return f"{cell.citation.instrument} {cell.citation.provision}".strip()


def comparison_header(result: ComparisonResult) -> list[tuple[str, str]]:
    """Label/value pairs printed above every comparison document."""
    rates = "; ".join(rate_text(r) for r in result.fx_rates) or "none needed"
    return [
        ("Activity", result.activity),
        ("As of", str(result.as_of)),
        ("Jurisdictions", ", ".join(result.jurisdictions)),
        ("Amounts converted to", result.currency),
        ("FX rates used", rates),
        ("Rules content hash", result.rules_hash),
    ]


def matrix_header(result: MatrixResult) -> list[tuple[str, str]]:
    """Label/value pairs printed above every matrix document."""
    framework = result.framework
    name = f"{framework.title} ({framework.id}, {framework.status})" if framework else "none"
    pairs = [
        ("Activity", result.activity),
        ("As of", str(result.as_of)),
        ("Framework", name),
    ]
    if framework is not None and framework.proposal_not_law:
        pairs.append(("Status", "a proposal, not law"))
    pairs.append(("Rules content hash", result.rules_hash))
    return pairs


def row_label(category: str, attribute: str, variant: int) -> str:
    """The first column of a comparison row."""
    suffix = f" ({variant + 1})" if variant else ""
    return f"{category} / {attribute}{suffix}"


def pair_anchor(home: str, host: str) -> str:
    """The HTML/Markdown anchor of one matrix pair's detail."""
    return f"pair-{home}-{host}".lower()


def _comparison_text(result: ComparisonResult) -> bytes:
    from engine.presentation.tables import render_comparison_text

    return render_comparison_text(result).encode("utf-8")


def _matrix_text(result: MatrixResult, details: object = None) -> bytes:
    from engine.presentation.tables import render_matrix_text

    return render_matrix_text(result).encode("utf-8")


def _json(result: ComparisonResult | MatrixResult, details: object = None) -> bytes:
    return (result.model_dump_json(indent=2) + "\n").encode("utf-8")


# Matrix formats that show each pair's detail (one more passport decision per cell).
DETAILED_MATRIX_FORMATS = frozenset({"md", "html"})


def comparison_renderers() -> dict[str, Renderer]:
    """Format name → renderer of a `ComparisonResult` to bytes."""
    from engine.presentation import csv_table as documents_csv
    from engine.presentation import html_page as documents_html
    from engine.presentation import markdown as documents_markdown
    from engine.presentation import word as documents_docx

    return {
        "text": _comparison_text,
        "json": _json,
        "md": documents_markdown.comparison_markdown_bytes,
        "html": documents_html.comparison_html,
        "docx": documents_docx.comparison_docx,
        "csv": documents_csv.comparison_csv,
    }


def matrix_renderers() -> dict[str, Renderer]:
    """Format name → renderer of a `MatrixResult` (and optional pair details) to bytes."""
    from engine.presentation import html_page as documents_html
    from engine.presentation import markdown as documents_markdown

    return {
        "text": _matrix_text,
        "json": _json,
        "md": documents_markdown.matrix_markdown_bytes,
        "html": documents_html.matrix_html,
    }


def pair_details(bundle: Bundle, result: MatrixResult) -> dict[tuple[str, str], Decision]:
    """The full decision behind every matrix cell, for the documents' per-pair detail.

    The matrix keeps only counts; a legal reader wants the statuses, so each pair is asked
    again for the same minimum-compliant home licensee the matrix evaluated.
    """
    from engine.decisions.synthesis import minimum_licensee

    framework = result.framework.id if result.framework else None
    details: dict[tuple[str, str], Decision] = {}
    for home_code in result.homes:
        home = bundle.jurisdictions[home_code]
        licence = next(lic for lic in home.licences if result.activity in lic.activities)
        profile = minimum_licensee(bundle.ir, home, licence, result.activity, result.as_of)
        for cell in result.cells:
            if cell.home != home_code:
                continue
            details[(cell.home, cell.host)] = bundle.passport(
                profile,
                host=cell.host,
                activity=result.activity,
                as_of=result.as_of,
                framework=framework,
            )
    return details


BINARY_FORMATS = frozenset({"docx"})


def deliver(data: bytes, out: Path | None, fmt: str) -> None:
    """Write a rendered document to `out`, or to stdout when it is text.

    Raises:
        EngineError: a binary format without `out` (it would garble a terminal).
    """
    if out is not None:
        out.write_bytes(data)
        return
    if fmt in BINARY_FORMATS:
        raise EngineError(f"--format {fmt} writes a binary file: give --out FILE")
    sys.stdout.buffer.write(data)
    sys.stdout.flush()
