"""Comparison and matrix documents as Markdown (GitHub/MkDocs tables)."""

from __future__ import annotations

from engine.presentation.documents import (
    NO_REQUIREMENT,
    ROUTE_LABEL,
    VERDICT_LABEL,
    cell_lines,
    citation_text,
    comparison_header,
    matrix_header,
    pair_anchor,
    row_label,
)
from engine.results import ComparisonCell, ComparisonResult, Decision, MatrixResult

VERDICT_EMOJI = {
    "eligible": "✅",
    "conditional": "🟠",
    "not_eligible": "⛔",
    "incomplete": "❔",
}


def escape(text: str) -> str:
    """Make `text` safe inside a Markdown table cell."""
    return (
        text.replace("\\", "\\\\")
        .replace("|", "\\|")
        .replace("*", "\\*")
        .replace("_", "\\_")
        .replace("<", "&lt;")
        .replace("\n", " ")
    )


def link(text: str, url: str | None) -> str:
    """A Markdown link, or plain escaped text when there is no URL."""
    return f"[{escape(text)}]({url})" if url else escape(text)


def _cell(cell: ComparisonCell | None, currency: str) -> str:
    if cell is None:
        return f"*{NO_REQUIREMENT}*"
    parts = [escape(line) for line in cell_lines(cell, currency)]
    if cell.mark:
        parts = [f"**{p}**" if p == cell.mark else p for p in parts]
    parts.append(link(citation_text(cell), cell.citation.url))
    return "<br>".join(parts)


def header_lines(pairs: list[tuple[str, str]]) -> list[str]:
    """The document header as a bulleted list."""
    return [f"- **{label}:** {escape(value)}" for label, value in pairs]


def comparison_markdown(result: ComparisonResult, title: str | None = None) -> str:
    """The comparison as a Markdown page: header, then one column per jurisdiction."""
    lines = [f"# {title or f'Comparison: {result.activity}'}", ""]
    lines += header_lines(comparison_header(result))
    lines += ["", "| Category / attribute | " + " | ".join(result.jurisdictions) + " |"]
    lines.append("|" + " --- |" * (len(result.jurisdictions) + 1))
    for row in result.rows:
        cells = [_cell(c, result.currency) for c in row.cells]
        label = escape(row_label(row.category, row.attribute, row.variant))
        lines.append(f"| {label} | " + " | ".join(cells) + " |")
    lines += ["", f"*{NO_REQUIREMENT}*: the jurisdiction has no rule on this row.", ""]
    return "\n".join(lines)


def comparison_markdown_bytes(result: ComparisonResult) -> bytes:
    """`comparison_markdown` encoded as UTF-8 (the dispatch-table signature)."""
    return comparison_markdown(result).encode("utf-8")


def _matrix_cell(result: MatrixResult, home: str, host: str, linked: bool) -> str:
    cell = next((c for c in result.cells if c.home == home and c.host == host), None)
    if cell is None:
        return "—"
    # The class lets the site's stylesheet colour the whole cell by verdict.
    verdict = f'<span class="jawaz-{cell.verdict}">{VERDICT_LABEL[cell.verdict]}</span>'
    text = f"{VERDICT_EMOJI[cell.verdict]} {verdict}<br>"
    text += ROUTE_LABEL[cell.route]
    if cell.route != "unavailable":
        text += f"<br>{cell.unmet} unmet, {cell.unknown} unknown"
    # Link only when the pair's detail is on the page: a dead anchor fails `mkdocs --strict`.
    return f"[{text}](#{pair_anchor(home, host)})" if linked else text


def _detail(decision: Decision) -> list[str]:
    anchor = pair_anchor(decision.home, decision.host)
    lines = [
        # A raw HTML anchor, not `{#id}`: it works on GitHub and other renderers too.
        f'<a id="{anchor}"></a>',
        "",
        f"### {decision.home} → {decision.host}",
        "",
        f"- **Home licence:** {escape(decision.home_licence)}",
        f"- **Host licence:** {escape(decision.host_licence or 'none')}",
        f"- **Route:** {ROUTE_LABEL[decision.route]}; **verdict:** "
        f"{VERDICT_LABEL[decision.verdict]}",
        f"- **Counts:** {decision.counts.met} met, {decision.counts.deemed_met} deemed met, "
        f"{decision.counts.unmet} unmet, {decision.counts.unknown} unknown",
    ]
    lines += [f"- {escape(reason)}" for reason in decision.reasons]
    if decision.requirements:
        lines += ["", "| Requirement | Status | Citation |", "| --- | --- | --- |"]
        for r in decision.requirements:
            cite = link(f"{r.citation.instrument} {r.citation.provision}", r.citation.url)
            lines.append(f"| {escape(r.id)}: {escape(r.title)} | {r.status} | {cite} |")
    return [*lines, ""]


def matrix_markdown(
    result: MatrixResult,
    details: dict[tuple[str, str], Decision] | None = None,
    title: str | None = None,
) -> str:
    """The matrix as a Markdown page; with `details`, each cell links to its pair."""
    lines = [f"# {title or f'Passport matrix: {result.activity}'}", ""]
    lines += header_lines(matrix_header(result))
    lines += ["", "| home → host | " + " | ".join(result.hosts) + " |"]
    lines.append("|" + " --- |" * (len(result.hosts) + 1))
    for home in result.homes:
        cells = [_matrix_cell(result, home, host, bool(details)) for host in result.hosts]
        lines.append(f"| **{home}** | " + " | ".join(cells) + " |")
    lines += [
        "",
        "Each cell evaluates the minimum-compliant licensee of the home (row) against the "
        "host (column).",
        "",
    ]
    if details:
        lines += ["## Pairs", ""]
        for key in sorted(details):
            lines += _detail(details[key])
    return "\n".join(lines)


def matrix_markdown_bytes(
    result: MatrixResult, details: dict[tuple[str, str], Decision] | None = None
) -> bytes:
    """`matrix_markdown` encoded as UTF-8 (the dispatch-table signature)."""
    return matrix_markdown(result, details).encode("utf-8")
