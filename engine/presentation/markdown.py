"""Comparison and matrix documents as Markdown (GitHub/MkDocs tables)."""

from __future__ import annotations

from collections.abc import Sequence

from engine.presentation.wording import (
    HOME_LICENCE,
    NO_REQUIREMENT,
    NOT_COVERED_LEGEND,
    ROUTE_LABEL,
    VERDICT_LABEL,
    categories_note,
    cell_counts_text,
    cell_lines,
    citation_text,
    cited_text,
    column_label,
    comparison_header,
    counts_text,
    fatf_lines,
    homes_with_several_rows,
    mark_text,
    matrix_header,
    pair_anchor,
    pair_title,
    requirement_label,
    row_label,
    treatment_text,
)
from engine.results import (
    ComparisonCell,
    ComparisonResult,
    Decision,
    MatrixCell,
    MatrixResult,
    public_text,
)

VERDICT_EMOJI = {
    "eligible": "✅",
    "conditional": "🟠",
    "not_eligible": "⛔",
    "incomplete": "❔",
}


def escape(text: str) -> str:
    """Make `text` safe inside a Markdown table cell (and free of research-note keys)."""
    return (
        public_text(text)
        .replace("\\", "\\\\")
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
        marked = escape(mark_text(cell))
        parts = [f"**{p}**" if p == marked else p for p in parts]
    parts.append(link(citation_text(cell), cell.citation.url))
    return "<br>".join(parts)


def header_lines(pairs: list[tuple[str, str]]) -> list[str]:
    """The document header as a bulleted list."""
    return [f"- **{label}:** {escape(value)}" for label, value in pairs]


def comparison_markdown(result: ComparisonResult, title: str | None = None) -> str:
    """The comparison as a Markdown page: header, then one column per licence."""
    lines = [f"# {title or f'Comparison: {result.activity}'}", ""]
    lines += header_lines(comparison_header(result))
    heads = [escape(column_label(c)) for c in result.columns]
    lines += ["", "| Category / attribute | " + " | ".join(heads) + " |"]
    lines.append("|" + " --- |" * (len(result.columns) + 1))
    for row in result.rows:
        cells = [_cell(c, result.currency) for c in row.cells]
        label = escape(row_label(row.category, row.attribute, row.variant))
        lines.append(f"| {label} | " + " | ".join(cells) + " |")
    lines += ["", f"*{NO_REQUIREMENT}*: the jurisdiction has no rule on this row.", ""]
    return "\n".join(lines)


def _matrix_cell(cell: MatrixCell | None, linked: bool, several: frozenset[str]) -> str:
    if cell is None:
        return "—"
    # The class lets the site's stylesheet colour the whole cell by verdict.
    verdict = f'<span class="jawaz-{cell.verdict}">{VERDICT_LABEL[cell.verdict]}</span>'
    text = f"{VERDICT_EMOJI[cell.verdict]} {verdict}<br>"
    text += ROUTE_LABEL[cell.route]
    if cell.route != "unavailable":
        text += f"<br>{cell_counts_text(cell)}"
    # Link only when the pair's detail is on the page: a dead anchor fails `mkdocs --strict`.
    if not linked:
        return text
    return f"[{text}](#{pair_anchor(cell.home, cell.home_licence, cell.host, several)})"


def _detail(decision: Decision, several: frozenset[str]) -> list[str]:
    key = (decision.home, decision.home_licence, decision.host)
    lines = [
        # A raw HTML anchor, not `{#id}`: it works on GitHub and other renderers too.
        f'<a id="{pair_anchor(*key, several)}"></a>',
        "",
        f"### {escape(pair_title(*key, several))}",
        "",
        f"- **Home licence:** {escape(decision.home_licence)}",
        f"- **Host licence:** {escape(decision.host_licence or 'none')}",
        f"- **Route:** {ROUTE_LABEL[decision.route]}; **verdict:** "
        f"{VERDICT_LABEL[decision.verdict]}",
        f"- **Counts:** {counts_text(decision.counts)}",
        f"- **Backend:** {decision.backend}",
    ]
    lines += [f"- {escape(reason)}" for reason in decision.reasons]
    lines += [f"- {escape(line)}" for line in fatf_lines(decision.home, decision.home_fatf)]
    lines += [f"- Step {n}: {escape(s.step)}" for n, s in enumerate(decision.steps, start=1)]
    if decision.requirements:
        lines += ["", "| Requirement | Status | Passport | Citation |", "| --- | --- | --- | --- |"]
        for r in decision.requirements:
            cite = link(cited_text(r.citation), r.citation.url)
            passport = escape(treatment_text(r)) or "—"
            lines.append(f"| {escape(requirement_label(r))} | {r.status} | {passport} | {cite} |")
    return [*lines, ""]


def matrix_markdown(
    result: MatrixResult,
    pairs: Sequence[Decision] = (),
    title: str | None = None,
    categories: Sequence[str] = (),
) -> str:
    """The matrix as a Markdown page, one row per home licence; with `pairs` (the decision
    behind each cell), each cell links to its pair's detail, listing only the requirements
    of `categories` where given."""
    lines = [f"# {title or f'Passport matrix: {result.activity}'}", ""]
    lines += header_lines(matrix_header(result))
    lines += ["", f"| home → host | {HOME_LICENCE} | " + " | ".join(result.hosts) + " |"]
    lines.append("|" + " --- |" * (len(result.hosts) + 2))
    several = homes_with_several_rows(result)
    for row, cells in result.grid():
        shown = [_matrix_cell(cell, bool(pairs), several) for cell in cells]
        licence = escape(row.home_licence)
        lines.append(f"| **{row.home}** | {licence} | " + " | ".join(shown) + " |")
    lines += [
        "",
        "Each cell evaluates the minimum-compliant licensee of the home licence (row) against "
        "the host (column). " + NOT_COVERED_LEGEND[0].upper() + NOT_COVERED_LEGEND[1:] + ".",
        "",
    ]
    if pairs:
        lines += ["## Pairs", ""]
        if categories:
            lines += [categories_note(categories), ""]
        for decision in pairs:
            lines += _detail(decision, several)
    return "\n".join(lines)
