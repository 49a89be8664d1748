"""The page furniture every Word document shares: properties, orientation, tables sized
to their content, repeated header rows, page numbers, links and byte-stable output.

python-docx stamps the zip entries with the current time and the core properties with
"now"; both are pinned here (the date is the document's as-of date) so that the same
rules give the same bytes.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from collections.abc import Sequence
from typing import Any

from engine.presentation.column_widths import MARGIN_CM, TABLE_POINTS

FIXED_TIME = (1980, 1, 1, 0, 0, 0)  # the earliest zip timestamp: no wall clock in the output


def new_document(
    title: str, subject: str, as_of: dt.date, rules_hash: str, *, landscape: bool
) -> Any:
    """An empty document with its core properties pinned to `as_of` (the rules' hash in
    its comments) and page numbers in the footer; landscape where its tables are wide."""
    from docx import Document
    from docx.enum.section import WD_ORIENT
    from docx.shared import Cm, Emu

    document = Document()
    properties = document.core_properties
    day = dt.datetime(as_of.year, as_of.month, as_of.day, tzinfo=dt.UTC)
    properties.created = properties.modified = day
    properties.last_modified_by = properties.author = "jawaz"
    properties.revision = 1
    properties.title = title
    properties.subject = subject
    properties.comments = f"Rules content hash {rules_hash}"
    section = document.sections[0]
    if landscape:
        width, height = section.page_width or 0, section.page_height or 0
        section.orientation = WD_ORIENT.LANDSCAPE
        section.page_width, section.page_height = Emu(max(width, height)), Emu(min(width, height))
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Cm(MARGIN_CM))
    _page_numbers(section.footer.paragraphs[0])
    return document


def _field(paragraph: Any, instruction: str) -> None:
    """A simple field (PAGE, NUMPAGES) that Word and LibreOffice fill in when they lay out."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), instruction)
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = "1"
    run.append(text)
    field.append(run)
    paragraph._p.append(field)


def _page_numbers(paragraph: Any) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    paragraph.add_run("Page ")
    _field(paragraph, "PAGE")
    paragraph.add_run(" of ")
    _field(paragraph, "NUMPAGES")


def usable_width(document: Any) -> int:
    """The width between the margins, in twips."""
    section = document.sections[0]
    emu = section.page_width - section.left_margin - section.right_margin
    return int(emu) // 635  # 635 EMU to the twip


def size_table(table: Any, widths: Sequence[int]) -> None:
    """Fix the table's layout to `widths` (twips) and repeat its first row on every page."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Twips

    table.autofit = False
    properties = table._tbl.tblPr
    layout = OxmlElement("w:tblLayout")
    layout.set(qn("w:type"), "fixed")
    properties.append(layout)
    for column, width in zip(table.columns, widths, strict=True):
        column.width = Twips(width)
    for row in table.rows:
        for cell, width in zip(row.cells, widths, strict=True):
            cell.width = Twips(width)
    header = table.rows[0]._tr.get_or_add_trPr()
    repeat = OxmlElement("w:tblHeader")
    header.append(repeat)
    cant_split = OxmlElement("w:cantSplit")
    header.append(cant_split)


def set_table_font(table: Any, points: float = TABLE_POINTS) -> None:
    """Every run of the table at `points`: the size its widths were computed for."""
    from docx.shared import Pt

    for row in table.rows:
        for cell in row.cells:
            for paragraph in cell.paragraphs:
                for run in paragraph.runs:
                    run.font.size = Pt(points)


def hyperlink(paragraph: Any, text: str, url: str) -> None:
    """Append a real hyperlink run (python-docx has no public API for one)."""
    from docx.opc.constants import RELATIONSHIP_TYPE

    rel = paragraph.part.relate_to(url, RELATIONSHIP_TYPE.HYPERLINK, is_external=True)
    paragraph._p.append(link_element(rel, text))


def link_element(rel: str, text: str, points: float | None = None) -> Any:
    """A `w:hyperlink` to relationship `rel`, underlined and blue."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    link = OxmlElement("w:hyperlink")
    link.set(qn("r:id"), rel)
    run = OxmlElement("w:r")
    props = OxmlElement("w:rPr")
    colour = OxmlElement("w:color")
    colour.set(qn("w:val"), "0563C1")
    underline = OxmlElement("w:u")
    underline.set(qn("w:val"), "single")
    props.extend([colour, underline])
    if points is not None:
        size = OxmlElement("w:sz")
        size.set(qn("w:val"), str(round(points * 2)))
        props.append(size)
    run.append(props)
    node = OxmlElement("w:t")
    node.text = text
    node.set(qn("xml:space"), "preserve")
    run.append(node)
    link.append(run)
    return link


def labelled(document: Any, pairs: Sequence[tuple[str, str]]) -> None:
    """`Label: value` paragraphs, the label bold."""
    for label, value in pairs:
        paragraph = document.add_paragraph()
        paragraph.add_run(f"{label}: ").bold = True
        paragraph.add_run(value)


def saved(document: Any) -> bytes:
    """The document's bytes, the zip rewritten with fixed timestamps and a stable order."""
    buffer = io.BytesIO()
    document.save(buffer)
    source = zipfile.ZipFile(io.BytesIO(buffer.getvalue()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            pinned = zipfile.ZipInfo(info.filename, date_time=FIXED_TIME)
            pinned.compress_type = zipfile.ZIP_DEFLATED
            target.writestr(pinned, source.read(info.filename))
    return out.getvalue()
