"""Comparison and matrix documents as one standalone HTML file each.

Standalone means: inline CSS only, no scripts, fonts, images or stylesheets from anywhere;
the only URLs are citation links a reader may follow. Legal teams mail these files around
and open them offline.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from html import escape as _escape

from engine.presentation.decision_text import alternative_lines
from engine.presentation.html_tables import GROUPS_STYLE, Column, breakable, table_html
from engine.presentation.wording import (
    CONFIDENCE_LEGEND,
    HOME_LICENCE,
    NO_REQUIREMENT,
    NOT_COVERED_LEGEND,
    NOT_LEGAL_ADVICE,
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
    homes_with_several_rows,
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

STYLE = """
body { font-family: system-ui, sans-serif; margin: 2em; color: #1a1a1a; }
table { border-collapse: collapse; margin: 1em 0; }
th, td { border: 1px solid #999; padding: 0.4em 0.6em; vertical-align: top; text-align: left; }
th { background: #eee; }
dl { display: grid; grid-template-columns: max-content auto; gap: 0.2em 1em; }
dt { font-weight: bold; }
.absent { color: #666; font-style: italic; }
.strictest { font-weight: bold; color: #8a1c1c; }
.loosest { font-weight: bold; color: #1c5b8a; }
.pending { font-weight: bold; color: #8a5a00; }
.v-eligible { background: #c8efc8; }
.v-conditional { background: #ffe0a3; }
.v-incomplete { background: #d5def0; }
.v-not_eligible { background: #f6c1c1; }
td a.cell { color: inherit; text-decoration: none; display: block; }
.proposal { border: 2px solid #8a5a00; padding: 0.5em; background: #fff6e0; }
.disclaimer { font-style: italic; }
"""
# Printing (and the PDF, which prints this page): landscape, every column kept on the page
# by wrapping between words, the header row repeated on each page, rows never split, and
# page numbers in the margin. Nothing here is navigation, so nothing is hidden.
PRINT_STYLE = """
@page { size: A4 landscape; margin: 1.2cm 1cm 1.5cm 1cm;
  @bottom-center { content: "Page " counter(page) " of " counter(pages); font-size: 8pt; } }
@media print {
  body { margin: 0; font-size: 8pt; }
  table { width: 100%; table-layout: auto; font-size: 7.5pt; }
  thead { display: table-header-group; }
  tr { break-inside: avoid; }
  th, td { padding: 0.25em 0.35em; overflow-wrap: normal; word-break: normal; hyphens: none; }
  a { color: inherit; }
  dl { font-size: 7.5pt; }
}
"""


def escape(text: str, quote: bool = True) -> str:
    """`text` safe in HTML and free of research-note keys."""
    return _escape(public_text(text), quote=quote)


def legend_html() -> list[str]:
    """The confidence levels and the disclaimer, below every document's table."""
    items = "".join(
        f"<dt>confidence: {escape(level)}</dt><dd>{escape(meaning)}</dd>"
        for level, meaning in CONFIDENCE_LEGEND
    )
    return [f"<dl>{items}</dl>", f'<p class="disclaimer">{escape(NOT_LEGAL_ADVICE)}</p>']


MARK_CLASS = {"strictest": "strictest", "loosest": "loosest"}


def page(title: str, body: list[str], as_of: dt.date) -> bytes:
    """A standalone page; its date (what a PDF records as created) is the as-of date."""
    head = (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{escape(title)}</title>\n"
        f'<meta name="dcterms.created" content="{as_of.isoformat()}">\n'
        f'<meta name="dcterms.modified" content="{as_of.isoformat()}">\n'
        f"<style>{STYLE}{PRINT_STYLE}{GROUPS_STYLE}</style>\n</head>\n<body>\n"
    )
    return (head + "\n".join(body) + "\n</body>\n</html>\n").encode("utf-8")


def _link(text: str, url: str | None) -> str:
    shown = breakable(escape(text))
    if not url:
        return shown
    return f'<a href="{_escape(url, quote=True)}">{shown}</a>'


def _header(pairs: list[tuple[str, str]]) -> list[str]:
    items = "".join(f"<dt>{escape(k)}</dt><dd>{escape(v)}</dd>" for k, v in pairs)
    return [f"<dl>{items}</dl>"]


def _comparison_cell(cell: ComparisonCell | None, currency: str) -> str:
    if cell is None:
        return f'<td class="absent">{NO_REQUIREMENT}</td>'
    parts = []
    for line in cell_lines(cell, currency):
        css = MARK_CLASS.get(line) or ("pending" if line.startswith("pending") else "")
        text = breakable(escape(line))
        parts.append(f'<span class="{css}">{text}</span>' if css else text)
    parts.append(_link(citation_text(cell), cell.citation.url))
    return "<td>" + "<br>".join(parts) + "</td>"


def _comparison_text(cell: ComparisonCell | None, currency: str) -> str:
    if cell is None:
        return NO_REQUIREMENT
    return " ".join([*cell_lines(cell, currency), citation_text(cell)])


def comparison_html(result: ComparisonResult) -> bytes:
    """The comparison as a standalone HTML page."""
    title = f"Comparison: {result.activity}"
    body = [f"<h1>{escape(title)}</h1>", *_header(comparison_header(result))]
    labels = [row_label(row.category, row.attribute, row.variant) for row in result.rows]
    columns = [
        Column(
            "<th>Category / attribute</th>",
            [f"<th>{breakable(escape(label))}</th>" for label in labels],
            ["Category / attribute", *labels],
        )
    ]
    for index, column in enumerate(result.columns):
        cells = [row.cells[index] for row in result.rows]
        columns.append(
            Column(
                f"<th>{escape(column_label(column))}</th>",
                [_comparison_cell(c, result.currency) for c in cells],
                [column_label(column), *(_comparison_text(c, result.currency) for c in cells)],
            )
        )
    body += table_html(columns, keep=1)
    body.append(
        f'<p class="absent">{NO_REQUIREMENT}: the jurisdiction has no rule on this row.</p>'
    )
    body += legend_html()
    return page(title, body, result.as_of)


def _matrix_text(cell: MatrixCell | None) -> str:
    if cell is None:
        return "—"
    text = f"{VERDICT_LABEL[cell.verdict]} {ROUTE_LABEL[cell.route]}"
    return text if cell.route == "unavailable" else f"{text} {cell_counts_text(cell)}"


def _matrix_cell(cell: MatrixCell | None, linked: bool, several: frozenset[str]) -> str:
    if cell is None:
        return '<td class="absent">—</td>'
    text = f"{VERDICT_LABEL[cell.verdict]}<br>{ROUTE_LABEL[cell.route]}"
    if cell.route != "unavailable":
        text += f"<br>{cell_counts_text(cell)}"
    if linked:
        anchor = pair_anchor(cell.home, cell.home_licence, cell.host, several)
        text = f'<a class="cell" href="#{anchor}">{text}</a>'
    return f'<td class="v-{cell.verdict}">{text}</td>'


def _detail(decision: Decision, several: frozenset[str]) -> list[str]:
    counts = decision.counts
    pairs = [
        ("Home licence", decision.home_licence),
        ("Host licence", decision.host_licence or "none"),
        ("Route", ROUTE_LABEL[decision.route]),
        ("Verdict", VERDICT_LABEL[decision.verdict]),
        (
            "Counts",
            counts_text(counts),
        ),
        ("Backend", decision.backend),
    ]
    key = (decision.home, decision.home_licence, decision.host)
    lines = [f'<h3 id="{pair_anchor(*key, several)}">{escape(pair_title(*key, several))}</h3>']
    lines += _header(pairs)
    lines += [f"<p>{escape(reason)}</p>" for reason in decision.reasons]
    lines += [f"<p>Step {n}: {escape(s.step)}</p>" for n, s in enumerate(decision.steps, start=1)]
    lines += [f"<p>{escape(line.strip())}</p>" for line in alternative_lines(decision)]
    if decision.requirements:
        lines.append(
            "<table><tr><th>Requirement</th><th>Status</th><th>Passport</th><th>Citation</th></tr>"
        )
        for r in decision.requirements:
            cite = _link(cited_text(r.citation), r.citation.url)
            lines.append(
                f"<tr><td>{escape(requirement_label(r))}</td>"
                f'<td class="s-{r.status}">{r.status}</td>'
                f"<td>{escape(treatment_text(r)) or '—'}</td><td>{cite}</td></tr>"
            )
        lines.append("</table>")
    return lines


def matrix_html(
    result: MatrixResult, pairs: Sequence[Decision] = (), categories: Sequence[str] = ()
) -> bytes:
    """The matrix as a standalone HTML page, one row per home licence, cells coloured by
    verdict; with `pairs` (the decision behind each cell), each cell links to its detail."""
    title = f"Passport matrix: {result.activity}"
    body = [f"<h1>{escape(title)}</h1>", *_header(matrix_header(result))]
    if result.framework is not None and result.framework.proposal_not_law:
        body.append(
            f'<p class="proposal">{escape(result.framework.title)}: a proposal, not law.</p>'
        )
    several = homes_with_several_rows(result)
    grid = list(result.grid())
    columns = [
        Column(
            "<th>home → host</th>",
            [f"<th>{escape(line.home)}</th>" for line, _ in grid],
            ["home → host", *(line.home for line, _ in grid)],
        ),
        Column(
            f"<th>{HOME_LICENCE}</th>",
            [f"<td>{escape(line.home_licence)}</td>" for line, _ in grid],
            [HOME_LICENCE, *(line.home_licence for line, _ in grid)],
        ),
    ]
    for index, host in enumerate(result.hosts):
        cells = [row[index] for _, row in grid]
        columns.append(
            Column(
                f"<th>{escape(host)}</th>",
                [_matrix_cell(cell, bool(pairs), several) for cell in cells],
                [host, *(_matrix_text(cell) for cell in cells)],
            )
        )
    body += table_html(columns, keep=2)
    body.append(
        "<p>Green: eligible · amber: conditional · blue-grey: incomplete · red: not eligible. "
        "Each cell evaluates the home licence's minimum-compliant licensee against the host. "
        f"{escape(NOT_COVERED_LEGEND[0].upper() + NOT_COVERED_LEGEND[1:])}.</p>"
    )
    if pairs:
        body.append("<h2>Pairs</h2>")
        if categories:
            body.append(f"<p>{escape(categories_note(categories))}</p>")
        for decision in pairs:
            body += _detail(decision, several)
    body += legend_html()
    return page(title, body, result.as_of)
