"""Dates written in another form than the language's (`2027-7-1`, `01/07/2027`).

The lexer reads `2027-7-1` as the number `2027` followed by a `-` it cannot place, so the
raw error would point at a correct-looking hyphen. This module recognises the run of digits
and separators around the character the lexer stopped at and reports it as one date.
"""

from __future__ import annotations

import datetime as dt
import re

from rulesdsl.errors import Diagnostic
from rulesdsl.syntax.nodes import Span
from rulesdsl.syntax.sources import SourceFile

SEPARATORS = "-/."
_RUN_CHARS = frozenset("0123456789" + SEPARATORS)
# Year, month and day in some order and spelling: two or three groups of digits, one of
# them up to four digits long, joined by one kind of separator.
_DATE_LIKE = re.compile(r"^(\d{1,4})([-/.])(\d{1,2})(?:\2(\d{1,4}))?$")
_EXAMPLE = "2027-06-30"


def _run_around(text: str, offset: int) -> tuple[int, int]:
    """The start and end of the digits and separators around `offset` on its line."""
    start = offset
    while start > 0 and text[start - 1] in _RUN_CHARS:
        start -= 1
    end = offset
    while end < len(text) and text[end] in _RUN_CHARS:
        end += 1
    return start, end


def _rewritten(year: str, month: str, day: str | None) -> str | None:
    """The date in YYYY-MM-DD, when the groups read year first and make a real day."""
    if len(year) != 4 or day is None:
        return None
    try:
        return dt.date(int(year), int(month), int(day)).isoformat()
    except ValueError:
        return None


def malformed_date(source: SourceFile, offset: int) -> Diagnostic | None:
    """E115 for a date-like run of digits around `offset`, or None when it is not one."""
    text = source.text
    if offset >= len(text) or text[offset] not in SEPARATORS:
        return None
    start, end = _run_around(text, offset)
    written = text[start:end]
    found = _DATE_LIKE.match(written)
    if found is None or 4 not in (len(found[1]), len(found[4] or "")):
        return None  # no group can be a year
    if found[4] is None and (found[2] == "." or len(found[1]) != 4):
        return None  # `2027.5` is a number; a year-month pair starts with the year
    line = text.count("\n", 0, start) + 1
    column = start - (text.rfind("\n", 0, start) + 1) + 1
    span = Span(source.path, line, column, line, column + len(written))
    fixed = _rewritten(found[1], found[3], found[4])
    return Diagnostic(
        "E115",
        f"'{written}' is not a date here: dates are YYYY-MM-DD",
        span,
        help=f"write `{fixed}`" if fixed else f"a four-digit year, month, day: e.g. {_EXAMPLE}",
    )
