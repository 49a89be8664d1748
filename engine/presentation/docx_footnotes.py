"""Footnotes for Word documents, written as OOXML (python-docx has no footnote API).

A document gets one footnotes part (`word/footnotes.xml`, related from the main document)
holding the two separators Word expects (ids -1 and 0) and one `w:footnote` per note;
each note's reference is a superscript `w:footnoteReference` run in the body. A note's
link is a hyperlink relationship of the footnotes part itself, where Word looks for it.
"""

from __future__ import annotations

from typing import Any

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PART_NAME = "/word/footnotes.xml"

_SKELETON = (
    f'<w:footnotes xmlns:w="{W_NS}" xmlns:r="{R_NS}">'
    '<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:footnote>'
    '<w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:r>'
    "<w:continuationSeparator/></w:r></w:p></w:footnote>"
    "</w:footnotes>"
)
NOTE_POINTS = 8


class Footnotes:
    """The footnotes of one document; `add` puts a note's reference at the end of a
    paragraph and returns the note's number."""

    def __init__(self, document: Any) -> None:
        from docx.opc.constants import CONTENT_TYPE, RELATIONSHIP_TYPE
        from docx.opc.packuri import PackURI
        from docx.opc.part import XmlPart
        from docx.oxml import parse_xml

        self._part = XmlPart(
            PackURI(PART_NAME),
            CONTENT_TYPE.WML_FOOTNOTES,
            parse_xml(_SKELETON),
            document.part.package,
        )
        document.part.relate_to(self._part, RELATIONSHIP_TYPE.FOOTNOTES)
        self._count = 0

    def add(self, paragraph: Any, text: str, url: str | None = None) -> int:
        """Append a footnote reference to `paragraph`; the note reads `text`, then `url`
        as a link where there is one."""
        from docx.oxml import OxmlElement
        from docx.oxml.ns import qn

        self._count += 1
        number = str(self._count)
        reference = OxmlElement("w:r")
        reference.append(_superscript())
        mark = OxmlElement("w:footnoteReference")
        mark.set(qn("w:id"), number)
        reference.append(mark)
        paragraph._p.append(reference)

        note = OxmlElement("w:footnote")
        note.set(qn("w:id"), number)
        body = OxmlElement("w:p")
        own = OxmlElement("w:r")
        own.append(_superscript())
        own.append(OxmlElement("w:footnoteRef"))
        body.append(own)
        body.append(_text_run(f" {text}" + (" " if url else "")))
        if url:
            body.append(self._link(url))
        note.append(body)
        self._part.element.append(note)
        return self._count

    def _link(self, url: str) -> Any:
        from docx.opc.constants import RELATIONSHIP_TYPE

        from engine.presentation.docx_layout import link_element

        rel = self._part.relate_to(url, RELATIONSHIP_TYPE.HYPERLINK, is_external=True)
        return link_element(rel, url, NOTE_POINTS)


def _superscript() -> Any:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    props = OxmlElement("w:rPr")
    align = OxmlElement("w:vertAlign")
    align.set(qn("w:val"), "superscript")
    props.append(align)
    return props


def _text_run(text: str) -> Any:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    run = OxmlElement("w:r")
    props = OxmlElement("w:rPr")
    size = OxmlElement("w:sz")
    size.set(qn("w:val"), str(NOTE_POINTS * 2))
    props.append(size)
    run.append(props)
    node = OxmlElement("w:t")
    node.text = text
    node.set(qn("xml:space"), "preserve")
    run.append(node)
    return run
