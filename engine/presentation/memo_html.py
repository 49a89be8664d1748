"""A passport decision as a standalone HTML memo to file (and, printed, the PDF memo):
the sections of `memo`, the citations as numbered notes with their links."""

from __future__ import annotations

from engine.presentation.glossary import Glossary
from engine.presentation.html_page import escape, legend_html, page
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
from engine.results import Decision


def _pairs(pairs: list[tuple[str, str]]) -> str:
    return "<dl>" + "".join(f"<dt>{escape(k)}</dt><dd>{escape(v)}</dd>" for k, v in pairs) + "</dl>"


def _requirements(decision: Decision) -> list[str]:
    heads = "".join(f"<th>{escape(h)}</th>" for h in MEMO_HEADS)
    rows, notes = [], []
    for number, result in enumerate(decision.requirements, start=1):
        line = memo_line(result)
        cells = (line.status, line.gap, line.remedy, line.confidence)
        rows.append(
            f'<tr><td>{escape(line.requirement)}<sup><a href="#note-{number}">{number}</a></sup>'
            "</td>" + "".join(f"<td>{escape(c)}</td>" for c in cells) + "</tr>"
        )
        url = result.citation.url
        link = f' <a href="{escape(url)}">{escape(url)}</a>' if url else ""
        notes.append(f'<li id="note-{number}">{escape(footnote_text(result.citation))}{link}</li>')
    table = f"<table><thead><tr>{heads}</tr></thead><tbody>{''.join(rows)}</tbody></table>"
    return [table, "<h2>Citations</h2>", f'<ol class="notes">{"".join(notes)}</ol>']


def passport_html(decision: Decision, glossary: Glossary) -> bytes:
    """The memo for one decision, as a standalone page."""
    title = memo_title(decision)
    body = [f"<h1>{escape(title)}</h1>", "<h2>Question</h2>"]
    body.append(f"<p>{escape(question_text(decision))}</p>")
    body.append("<h2>Answer</h2>")
    body += [f"<p>{escape(line)}</p>" for line in answer_lines(decision)]
    body.append("<h2>What the firm does next</h2>")
    body.append("<ul>" + "".join(f"<li>{escape(x)}</li>" for x in next_lines(decision)) + "</ul>")
    if decision.requirements:
        body.append("<h2>Requirements</h2>")
        body += _requirements(decision)
    body.append("<h2>Basis of this answer</h2>")
    body.append(_pairs(provenance_pairs(decision)))
    body += legend_html()
    terms = glossary_terms(decision, glossary)
    if terms:
        body += ["<h2>Glossary</h2>", _pairs(terms)]
    return page(title, body, decision.as_of)
