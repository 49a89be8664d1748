"""Comparisons as Word documents (python-docx), for legal teams who edit and annotate.

python-docx stamps the zip entries with the current time and the core properties with
"now"; both are pinned here so that the same rules give the same bytes.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from typing import Any

from engine.presentation.wording import (
    NO_REQUIREMENT,
    cell_lines,
    citation_text,
    column_label,
    comparison_header,
    mark_text,
    row_label,
)
from engine.results import ComparisonCell, ComparisonResult

FIXED_TIME = (1980, 1, 1, 0, 0, 0)  # the earliest zip timestamp: no wall clock in the output
FIXED_DATE = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)


def _hyperlink(paragraph: Any, text: str, url: str) -> None:
    """Append a real hyperlink run (python-docx has no public API for one)."""
    from docx.opc.constants import RELATIONSHIP_TYPE
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    rel = paragraph.part.relate_to(url, RELATIONSHIP_TYPE.HYPERLINK, is_external=True)
    link = OxmlElement("w:hyperlink")
    link.set(qn("r:id"), rel)
    run = OxmlElement("w:r")
    props = OxmlElement("w:rPr")
    style = OxmlElement("w:rStyle")
    style.set(qn("w:val"), "Hyperlink")
    underline = OxmlElement("w:u")
    underline.set(qn("w:val"), "single")
    colour = OxmlElement("w:color")
    colour.set(qn("w:val"), "0563C1")
    props.extend([style, colour, underline])
    run.append(props)
    node = OxmlElement("w:t")
    node.text = text
    run.append(node)
    link.append(run)
    paragraph._p.append(link)


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
        _hyperlink(citation, citation_text(cell), cell.citation.url)
    else:
        citation.add_run(citation_text(cell))


def _pinned(data: bytes) -> bytes:
    """Rewrite the zip with fixed timestamps and a stable entry order."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            pinned = zipfile.ZipInfo(info.filename, date_time=FIXED_TIME)
            pinned.compress_type = zipfile.ZIP_DEFLATED
            target.writestr(pinned, source.read(info.filename))
    return out.getvalue()


def comparison_docx(result: ComparisonResult) -> bytes:
    """The comparison as a .docx: title, header paragraphs, one table with a header row
    (one column per licence)."""
    from docx import Document

    document = Document()
    properties = document.core_properties
    properties.created = properties.modified = FIXED_DATE
    properties.last_modified_by = properties.author = "jawaz"
    properties.revision = 1
    document.add_heading(f"Comparison: {result.activity}", level=1)
    for label, value in comparison_header(result):
        paragraph = document.add_paragraph()
        paragraph.add_run(f"{label}: ").bold = True
        paragraph.add_run(value)
    table = document.add_table(rows=1, cols=len(result.columns) + 1)
    table.style = "Table Grid"
    heads = table.rows[0].cells
    heads[0].text = "Category / attribute"
    for head, column in zip(heads[1:], result.columns, strict=True):
        head.text = column_label(column)
    for head in heads:
        for run in head.paragraphs[0].runs:
            run.bold = True
    for row in result.rows:
        cells = table.add_row().cells
        cells[0].text = row_label(row.category, row.attribute, row.variant)
        for target, cell in zip(cells[1:], row.cells, strict=True):
            _fill(target, cell, result.currency)
    document.add_paragraph(f"{NO_REQUIREMENT}: the jurisdiction has no rule on this row.")
    buffer = io.BytesIO()
    document.save(buffer)
    return _pinned(buffer.getvalue())
