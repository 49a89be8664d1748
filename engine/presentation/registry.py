"""Which formats each kind of result can be rendered in, and by which renderer.

The CLI takes its `--format` choices from `formats`, and every document is written
through `render`, so a new format is one entry here and never touches a command. Every
renderer is deterministic: the same result gives the same bytes (no timestamps).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any, Generic, Literal, TypeVar, assert_never

from engine.presentation.glossary import Glossary
from engine.results import (
    ComparisonResult,
    Decision,
    Decisions,
    JurisdictionList,
    MatrixReport,
    StaleList,
)
from engine.results.explanation import Explanation
from engine.results.redline import Redline

Kind = Literal[
    "decision", "matrix", "comparison", "jurisdictions", "stale", "explanation", "redline"
]
Renderable = (
    Decision
    | Decisions
    | MatrixReport
    | ComparisonResult
    | JurisdictionList
    | StaleList
    | Explanation
    | Redline
)
R = TypeVar("R")


@dataclass(frozen=True, slots=True)
class Options:
    """How the reader will see the output."""

    colour: bool = False  # a terminal that shows colour
    glossary: Glossary = field(
        default_factory=Glossary
    )  # the vocabulary, for documents that define their terms


@dataclass(frozen=True, slots=True)
class Format(Generic[R]):
    """One way to render one kind of result."""

    name: str
    render: Callable[[R, Options], bytes]
    binary: bool = False  # never written to a terminal
    single: bool = False  # about one decision only (a memo): not for several hosts at once


def _table(*entries: Format[R]) -> Mapping[str, Format[R]]:
    return MappingProxyType({f.name: f for f in entries})


def _utf8(text: str) -> bytes:
    return text.encode("utf-8")


def _listed(result: Decision | Decisions) -> list[Decision]:
    return result.decisions if isinstance(result, Decisions) else [result]


def _model_json(result: Decision | Decisions | ComparisonResult | Explanation | Redline) -> bytes:
    return _utf8(result.model_dump_json(indent=2) + "\n")


# Each renderer imports its module when it first renders: a command writing JSON never
# loads the table, Markdown, HTML or Word writers (rich alone is a sizeable import).


def _decision_text(result: Decision | Decisions, options: Options) -> bytes:
    from engine.presentation.decision_text import render_text

    return _utf8(render_text(_listed(result), colour=options.colour))


def _decision_markdown(result: Decision | Decisions, options: Options) -> bytes:
    from engine.presentation.decision_text import render_markdown

    return _utf8(render_markdown(_listed(result)) + "\n")


def _matrix_text(result: MatrixReport, options: Options) -> bytes:
    from engine.presentation import tables

    return _utf8(tables.render_matrix_text(result.matrix))


def _matrix_markdown(result: MatrixReport, options: Options) -> bytes:
    from engine.presentation import markdown

    return _utf8(
        markdown.matrix_markdown(result.matrix, result.pairs, categories=result.categories)
    )


def _matrix_html(result: MatrixReport, options: Options) -> bytes:
    from engine.presentation import html_page

    return html_page.matrix_html(result.matrix, result.pairs, result.categories)


def _comparison_text(result: ComparisonResult, options: Options) -> bytes:
    from engine.presentation import tables

    return _utf8(tables.render_comparison_text(result))


def _comparison_markdown(result: ComparisonResult, options: Options) -> bytes:
    from engine.presentation import markdown

    return _utf8(markdown.comparison_markdown(result))


def _comparison_html(result: ComparisonResult, options: Options) -> bytes:
    from engine.presentation import html_page

    return html_page.comparison_html(result)


def _comparison_docx(result: ComparisonResult, options: Options) -> bytes:
    from engine.presentation import word

    return word.comparison_docx(result)


def _comparison_csv(result: ComparisonResult, options: Options) -> bytes:
    from engine.presentation import csv_table

    return csv_table.comparison_csv(result)


def _comparison_pdf(result: ComparisonResult, options: Options) -> bytes:
    from engine.presentation import html_page, pdf

    return pdf.pdf_of(html_page.comparison_html(result))


def _matrix_docx(result: MatrixReport, options: Options) -> bytes:
    from engine.presentation import word

    return word.matrix_docx(result)


def _matrix_pdf(result: MatrixReport, options: Options) -> bytes:
    from engine.presentation import html_page, pdf

    return pdf.pdf_of(html_page.matrix_html(result.matrix, result.pairs, result.categories))


def _single(result: Decision | Decisions, fmt: str) -> Decision:
    """The one decision a memo is about (a memo per host: ask one host at a time)."""
    listed = _listed(result)
    if len(listed) != 1:
        raise ValueError(f"--format {fmt} writes a memo on one host's decision: ask one --to")
    return listed[0]


def _decision_docx(result: Decision | Decisions, options: Options) -> bytes:
    from engine.presentation import word_memo

    return word_memo.passport_docx(_single(result, "docx"), options.glossary)


def _decision_html(result: Decision | Decisions, options: Options) -> bytes:
    from engine.presentation import memo_html

    return memo_html.passport_html(_single(result, "html"), options.glossary)


def _decision_pdf(result: Decision | Decisions, options: Options) -> bytes:
    from engine.presentation import memo_html, pdf

    return pdf.pdf_of(memo_html.passport_html(_single(result, "pdf"), options.glossary))


def _regimes_text(result: JurisdictionList, options: Options) -> bytes:
    from engine.presentation import tables

    return _utf8(tables.render_regimes_text(result))


def _stale_text(result: StaleList, options: Options) -> bytes:
    from engine.presentation import tables

    return _utf8(tables.render_stale_text(result))


def _explanation_text(result: Explanation, options: Options) -> bytes:
    from engine.presentation.explain_text import render_explanation

    return _utf8(render_explanation(result))


def _redline_text(result: Redline, options: Options) -> bytes:
    from engine.presentation.redline_text import render_redline_text

    return _utf8(render_redline_text(result))


def _redline_markdown(result: Redline, options: Options) -> bytes:
    from engine.presentation.redline_text import render_redline_markdown

    return _utf8(render_redline_markdown(result))


DECISION: Mapping[str, Format[Decision | Decisions]] = _table(
    Format("text", _decision_text),
    Format("json", lambda r, o: _model_json(r)),
    Format("md", _decision_markdown),
    # A memo to file on one decision.
    Format("html", _decision_html, single=True),
    Format("docx", _decision_docx, binary=True, single=True),
    Format("pdf", _decision_pdf, binary=True, single=True),
)

MATRIX: Mapping[str, Format[MatrixReport]] = _table(
    Format("text", _matrix_text),
    Format("json", lambda r, o: _utf8(r.matrix.model_dump_json(indent=2) + "\n")),
    # Markdown and HTML show each pair's detail, linked from its cell.
    Format("md", _matrix_markdown),
    Format("html", _matrix_html),
    Format("docx", _matrix_docx, binary=True),
    Format("pdf", _matrix_pdf, binary=True),
)

COMPARISON: Mapping[str, Format[ComparisonResult]] = _table(
    Format("text", _comparison_text),
    Format("json", lambda r, o: _model_json(r)),
    Format("md", _comparison_markdown),
    Format("html", _comparison_html),
    Format("docx", _comparison_docx, binary=True),
    Format("csv", _comparison_csv),
    Format("pdf", _comparison_pdf, binary=True),
)

JURISDICTIONS: Mapping[str, Format[JurisdictionList]] = _table(
    Format("text", _regimes_text),
    # json.dumps, not pydantic: names stay ASCII-escaped as they always were.
    Format("json", lambda r, o: _utf8(json.dumps(r.model_dump(mode="json"), indent=2) + "\n")),
)


STALE: Mapping[str, Format[StaleList]] = _table(
    Format("text", _stale_text),
    Format("json", lambda r, o: _utf8(json.dumps(r.model_dump(mode="json"), indent=2) + "\n")),
)


EXPLANATION: Mapping[str, Format[Explanation]] = _table(
    Format("text", _explanation_text),
    Format("json", lambda r, o: _model_json(r)),
)

REDLINE: Mapping[str, Format[Redline]] = _table(
    Format("text", _redline_text),
    Format("json", lambda r, o: _model_json(r)),
    Format("md", _redline_markdown),
)


def _formats_of(kind: Kind) -> Mapping[str, Format[Any]]:
    match kind:
        case "decision":
            return DECISION
        case "matrix":
            return MATRIX
        case "comparison":
            return COMPARISON
        case "jurisdictions":
            return JURISDICTIONS
        case "stale":
            return STALE
        case "explanation":
            return EXPLANATION
        case "redline":
            return REDLINE
        case _:
            assert_never(kind)


def formats(kind: Kind) -> tuple[str, ...]:
    """The format names a kind of result can be rendered in, the default first."""
    return tuple(_formats_of(kind))


def is_binary(kind: Kind, name: str) -> bool:
    """Whether the format writes bytes a terminal should not be shown."""
    return _formats_of(kind)[name].binary


def is_single(kind: Kind, name: str) -> bool:
    """Whether the format renders one decision only (a memo), never a list of them."""
    return _formats_of(kind)[name].single


def kind_of(result: Renderable) -> Kind:
    """The kind of a result, as `formats` names it."""
    match result:
        case Decision() | Decisions():
            return "decision"
        case MatrixReport():
            return "matrix"
        case ComparisonResult():
            return "comparison"
        case JurisdictionList():
            return "jurisdictions"
        case StaleList():
            return "stale"
        case Explanation():
            return "explanation"
        case Redline():
            return "redline"
        case _:
            assert_never(result)


def render(result: Renderable, name: str, options: Options | None = None) -> bytes:
    """`result` rendered in format `name` (one of `formats(kind_of(result))`).

    Raises:
        KeyError: a format this kind of result has not.
    """
    chosen: Format[Any] = _formats_of(kind_of(result))[name]
    return chosen.render(result, options or Options())
