"""A passport decision as a memo to file (.docx): the question, the answer, the route and
what the firm does next, every requirement with its status, gap, remedy and confidence and
its citation as a footnote with the link; then what the answer was computed from, the
disclaimer and a glossary of the attributes used."""

from __future__ import annotations

from typing import Any

from engine.presentation.column_widths import TABLE_POINTS, column_widths
from engine.presentation.docx_footnotes import Footnotes
from engine.presentation.docx_layout import (
    labelled,
    new_document,
    saved,
    set_table_font,
    size_table,
    usable_width,
)
from engine.presentation.glossary import Glossary
from engine.presentation.memo import (
    MEMO_HEADS,
    answer_lines,
    footnote_text,
    glossary_terms,
    memo_line,
    memo_title,
    next_lines,
    provenance_pairs,
    question_text,
)
from engine.presentation.wording import CONFIDENCE_LEGEND, NOT_LEGAL_ADVICE
from engine.results import Decision


def _requirements(document: Any, decision: Decision, notes: Footnotes) -> None:
    table = document.add_table(rows=1, cols=len(MEMO_HEADS))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, MEMO_HEADS, strict=True):
        cell.text = text
        cell.paragraphs[0].runs[0].bold = True
    texts: list[list[str]] = [[h] for h in MEMO_HEADS]
    for result in decision.requirements:
        line = memo_line(result)
        values = (line.requirement, line.status, line.gap, line.remedy, line.confidence)
        cells = table.add_row().cells
        for index, (cell, value) in enumerate(zip(cells, values, strict=True)):
            cell.text = value
            texts[index].append(value)
        notes.add(cells[0].paragraphs[0], footnote_text(result.citation), result.citation.url)
    set_table_font(table, TABLE_POINTS)
    size_table(table, column_widths(texts, usable_width(document)))


def passport_docx(decision: Decision, glossary: Glossary) -> bytes:
    """The memo for one decision."""
    title = memo_title(decision)
    subject = f"{decision.home} → {decision.host}, {decision.activity}, as of {decision.as_of}"
    document = new_document(title, subject, decision.as_of, decision.rules_hash, landscape=True)
    notes = Footnotes(document)
    document.add_heading(title, level=1)
    document.add_heading("Question", level=2)
    document.add_paragraph(question_text(decision))
    document.add_heading("Answer", level=2)
    for line in answer_lines(decision):
        document.add_paragraph(line)
    document.add_heading("What the firm does next", level=2)
    for line in next_lines(decision):
        document.add_paragraph(line, style="List Bullet")
    if decision.requirements:
        document.add_heading("Requirements", level=2)
        _requirements(document, decision, notes)
        for level, meaning in CONFIDENCE_LEGEND:
            document.add_paragraph(f"confidence {level}: {meaning}.")
    document.add_heading("Basis of this answer", level=2)
    labelled(document, provenance_pairs(decision))
    document.add_paragraph(NOT_LEGAL_ADVICE).runs[0].italic = True
    terms = glossary_terms(decision, glossary)
    if terms:
        document.add_heading("Glossary", level=2)
        labelled(document, terms)
    return saved(document)
