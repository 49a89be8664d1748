"""Comparisons and matrices as Word documents (python-docx), for legal teams who edit and
annotate: landscape where the table is wide, columns sized so no word breaks, the header
row repeated on every page, page numbers, and the confidence legend and disclaimer."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from engine.presentation.docx_layout import (
    TABLE_POINTS,
    column_widths,
    hyperlink,
    labelled,
    new_document,
    saved,
    set_table_font,
    size_table,
    usable_width,
)
from engine.presentation.wording import (
    CONFIDENCE_LEGEND,
    HOME_LICENCE,
    NO_REQUIREMENT,
    NOT_COVERED_LEGEND,
    NOT_LEGAL_ADVICE,
    ROUTE_LABEL,
    VERDICT_LABEL,
    cell_counts_text,
    cell_lines,
    citation_text,
    column_label,
    comparison_header,
    mark_text,
    matrix_header,
    row_label,
)
from engine.results import ComparisonCell, ComparisonResult, MatrixReport

LANDSCAPE_FROM = 4  # tables of this many columns or more are laid out across the page
COMPARISON_HEAD = "Category / attribute"


def _fill(table_cell: Any, cell: ComparisonCell | None, currency: str) -> None:
    paragraph = table_cell.paragraphs[0]
    if cell is None:
        paragraph.add_run(NO_REQUIREMENT).italic = True
        return
    lines = cell_lines(cell, currency)
    for index, line in enumerate(lines):
        run = paragraph.add_run(line)
        run.bold = (bool(cell.mark) and line == mark_text(cell)) or line.startswith("pending")
        if index < len(lines) - 1:
            run.add_break()
    citation = table_cell.add_paragraph()
    if cell.citation.url:
        hyperlink(citation, citation_text(cell), cell.citation.url)
    else:
        citation.add_run(citation_text(cell))


def _cell_texts(cell: ComparisonCell | None, currency: str) -> list[str]:
    """Everything a comparison cell prints, for sizing its column."""
    if cell is None:
        return [NO_REQUIREMENT]
    return [*cell_lines(cell, currency), citation_text(cell)]


def _legends(document: Any, extra: Sequence[str]) -> None:
    document.add_heading("Legend", level=2)
    for line in extra:
        document.add_paragraph(line)
    for level, meaning in CONFIDENCE_LEGEND:
        paragraph = document.add_paragraph()
        paragraph.add_run(f"confidence: {level}").bold = True
        paragraph.add_run(f" — {meaning}.")
    document.add_paragraph(NOT_LEGAL_ADVICE).runs[0].italic = True


def _bold_header(table: Any, heads: Sequence[str]) -> None:
    for cell, text in zip(table.rows[0].cells, heads, strict=True):
        cell.text = text
        for run in cell.paragraphs[0].runs:
            run.bold = True


def comparison_docx(result: ComparisonResult) -> bytes:
    """The comparison as a .docx: title, header paragraphs, one table with a header row
    (one column per licence), then the legend."""
    title = f"Comparison: {result.activity}"
    subject = f"{', '.join(result.jurisdictions)} as of {result.as_of}"
    wide = len(result.columns) + 1 >= LANDSCAPE_FROM
    document = new_document(title, subject, result.as_of, result.rules_hash, landscape=wide)
    document.add_heading(title, level=1)
    labelled(document, comparison_header(result))
    heads = [COMPARISON_HEAD, *(column_label(c) for c in result.columns)]
    table = document.add_table(rows=1, cols=len(heads))
    table.style = "Table Grid"
    _bold_header(table, heads)
    for row in result.rows:
        cells = table.add_row().cells
        cells[0].text = row_label(row.category, row.attribute, row.variant)
        for target, cell in zip(cells[1:], row.cells, strict=True):
            _fill(target, cell, result.currency)
    texts: list[list[str]] = [[h] for h in heads]
    for row in result.rows:
        texts[0].append(row_label(row.category, row.attribute, row.variant))
        for index, cell in enumerate(row.cells, start=1):
            texts[index] += _cell_texts(cell, result.currency)
    set_table_font(table, TABLE_POINTS)
    size_table(table, column_widths(texts, usable_width(document)))
    _legends(document, [f"{NO_REQUIREMENT}: the jurisdiction has no rule on this row."])
    return saved(document)


def matrix_docx(report: MatrixReport) -> bytes:
    """The matrix as a .docx: one row per home licence, one column per host, each cell
    its verdict, route and gaps; then the legend."""
    result = report.matrix
    title = f"Passport matrix: {result.activity}"
    framework = result.framework.id if result.framework else "status quo"
    subject = f"{framework} as of {result.as_of}"
    heads = ["home → host", HOME_LICENCE, *result.hosts]
    document = new_document(
        title, subject, result.as_of, result.rules_hash, landscape=len(heads) >= LANDSCAPE_FROM
    )
    document.add_heading(title, level=1)
    labelled(document, matrix_header(result))
    table = document.add_table(rows=1, cols=len(heads))
    table.style = "Table Grid"
    _bold_header(table, heads)
    texts: list[list[str]] = [[h] for h in heads]
    cells = {(c.home, c.home_licence, c.host): c for c in result.cells}
    for line in result.rows:
        row = table.add_row().cells
        values = [line.home, line.home_licence]
        for host in result.hosts:
            cell = cells.get((line.home, line.home_licence, host))
            if cell is None:
                values.append("—")
                continue
            parts = [VERDICT_LABEL[cell.verdict], ROUTE_LABEL[cell.route]]
            if cell.route != "unavailable":
                parts.append(cell_counts_text(cell))
            values.append("\n".join(parts))
        for index, (target, value) in enumerate(zip(row, values, strict=True)):
            target.text = value
            texts[index].append(value)
    set_table_font(table, TABLE_POINTS)
    size_table(table, column_widths(texts, usable_width(document)))
    legend = (
        "Each cell evaluates the home licence's minimum-compliant licensee against the host; "
        f"{NOT_COVERED_LEGEND}."
    )
    _legends(document, [legend])
    return saved(document)
