"""Comparisons and matrices as Word documents (python-docx), for legal teams who edit and
annotate: landscape where the table is wide, columns sized so no word breaks, the header
row repeated on every page, page numbers, and the confidence legend and disclaimer."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from engine.presentation.column_widths import (
    TABLE_POINTS,
    column_groups,
    column_widths,
    needs_landscape,
)
from engine.presentation.docx_layout import (
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


# Writes one body cell: (the Word cell, the row's index, the column's index).
Fill = Callable[[Any, int, int], None]


def grouped_tables(
    document: Any,
    heads: Sequence[str],
    texts: Sequence[Sequence[str]],
    rows: int,
    keep: int,
    fill: Fill,
) -> None:
    """A table of `rows` body rows, split by columns into as many tables as the page
    width needs, each repeating the first `keep` (label) columns; each table's header row
    repeats on every page. `texts[c]` is everything column c prints, for sizing it."""
    available = usable_width(document)
    groups = column_groups(texts, keep, available)
    for number, group in enumerate(groups, start=1):
        if len(groups) > 1:
            shown = ", ".join(heads[c] for c in group[keep:])
            document.add_paragraph(f"Table {number} of {len(groups)}: {shown}").runs[0].bold = True
        table = document.add_table(rows=1, cols=len(group))
        table.style = "Table Grid"
        _bold_header(table, [heads[c] for c in group])
        for row in range(rows):
            cells = table.add_row().cells
            for target, column in zip(cells, group, strict=True):
                fill(target, row, column)
        set_table_font(table, TABLE_POINTS)
        size_table(table, column_widths([texts[c] for c in group], available))


def comparison_docx(result: ComparisonResult) -> bytes:
    """The comparison as a .docx: title, header paragraphs, one table with a header row
    (one column per licence; split into several tables, each repeating the row labels,
    where the columns do not fit the page), then the legend."""
    title = f"Comparison: {result.activity}"
    subject = f"{', '.join(result.jurisdictions)} as of {result.as_of}"
    heads = [COMPARISON_HEAD, *(column_label(c) for c in result.columns)]
    labels = [row_label(r.category, r.attribute, r.variant) for r in result.rows]
    texts: list[list[str]] = [[heads[0], *labels]]
    for index, head in enumerate(heads[1:]):
        column = [head]
        for row in result.rows:
            column += _cell_texts(row.cells[index], result.currency)
        texts.append(column)
    wide = needs_landscape(texts)
    document = new_document(title, subject, result.as_of, result.rules_hash, landscape=wide)
    document.add_heading(title, level=1)
    labelled(document, comparison_header(result))

    def fill(target: Any, row: int, column: int) -> None:
        if column == 0:
            target.text = labels[row]
        else:
            _fill(target, result.rows[row].cells[column - 1], result.currency)

    grouped_tables(document, heads, texts, len(result.rows), 1, fill)
    _legends(document, [f"{NO_REQUIREMENT}: the jurisdiction has no rule on this row."])
    return saved(document)


def _matrix_values(report: MatrixReport) -> list[list[str]]:
    """Each matrix row's cells as text: home, licence, then per host verdict, route, gaps."""
    result = report.matrix
    values = []
    for line, cells in result.grid():
        row = [line.home, line.home_licence]
        for cell in cells:
            if cell is None:
                row.append("—")
                continue
            parts = [VERDICT_LABEL[cell.verdict], ROUTE_LABEL[cell.route]]
            if cell.route != "unavailable":
                parts.append(cell_counts_text(cell))
            row.append("\n".join(parts))
        values.append(row)
    return values


def matrix_docx(report: MatrixReport) -> bytes:
    """The matrix as a .docx: one row per home licence, one column per host (split into
    several tables, each repeating home and licence, where the hosts do not fit the
    page), each cell its verdict, route and gaps; then the legend."""
    result = report.matrix
    title = f"Passport matrix: {result.activity}"
    framework = result.framework.id if result.framework else "status quo"
    subject = f"{framework} as of {result.as_of}"
    heads = ["home → host", HOME_LICENCE, *result.hosts]
    values = _matrix_values(report)
    texts = [[head, *(row[c] for row in values)] for c, head in enumerate(heads)]
    wide = needs_landscape(texts)
    document = new_document(title, subject, result.as_of, result.rules_hash, landscape=wide)
    document.add_heading(title, level=1)
    labelled(document, matrix_header(result))

    def fill(target: Any, row: int, column: int) -> None:
        target.text = values[row][column]

    grouped_tables(document, heads, texts, len(values), 2, fill)
    legend = (
        "Each cell evaluates the home licence's minimum-compliant licensee against the host; "
        f"{NOT_COVERED_LEGEND}."
    )
    _legends(document, [legend])
    return saved(document)
