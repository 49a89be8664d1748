"""Syntax errors in words a rule author understands.

Lark reports *where* parsing stopped and which tokens it would have accepted. This module
turns that into a diagnostic: first by character-level rules (a stray `=` or `&&`), then
by matching the parser state against a catalogue of labelled known-bad snippets (the
technique of lark's `examples/advanced/error_reporting_lalr.py`), and last by a plain
"expected one of …" list.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from lark.exceptions import UnexpectedCharacters, UnexpectedInput, UnexpectedToken

from rulesdsl.errors import Diagnostic
from rulesdsl.syntax.nodes import Span
from rulesdsl.syntax.open_blocks import find_unclosed, unclosed_span
from rulesdsl.syntax.sources import SourceFile
from rulesdsl.syntax.written_dates import malformed_date


@dataclass(frozen=True, slots=True)
class KnownError:
    """A labelled class of syntax error, recognised by example snippets."""

    code: str
    message: str
    help: str
    examples: tuple[str, ...]


CATALOGUE: tuple[KnownError, ...] = (
    KnownError(
        "E104",
        "amount written before its currency",
        "write the currency code first, e.g. `paid_up_capital >= BHD 300_000`",
        (
            "r {\n  require a >= 300_000 BHD\n}\n",
            "r {\n  require a >= 5 MYR\n}\n",
            "r {\n  require a >= max(300_000 BHD)\n}\n",
        ),
    ),
    KnownError(
        "E105",
        "field has no value",
        'give the field a value on the same line, e.g. `title "Minimum capital"`',
        ("r {\n  title\n}\n", "r {\n  a 1\n  title\n  b 2\n}\n"),
    ),
    KnownError(
        "E110",
        "list items must be separated by commas",
        "e.g. `[exchange, custody]`",
        (
            "r {\n  a [x y]\n}\n",
            'r {\n  a ["x" "y"]\n}\n',
            "r {\n  a [1 2]\n}\n",
            "r {\n  a [MYR 1 MYR 2]\n}\n",
        ),
    ),
    KnownError(
        "E113",
        "',' inside a number",
        "write thousands with underscores, e.g. `BHD 300_000`",
        (
            "r {\n  require a >= BHD 300,000\n}\n",
            "r {\n  require a >= 300,000\n}\n",
            "r {\n  a 1,5\n}\n",
            "r {\n  rate MYR 4,5 per USD\n}\n",
            "r {\n  a MYR 5,000\n}\n",
        ),
    ),
    KnownError(
        "E114",
        "a field takes one value",
        "put each field on its own line; a list of values is written `[a, b]`",
        (
            "r {\n  category capital licensing\n}\n",
            'r {\n  title "a" "b"\n}\n',
            "r {\n  from 2019-01-01 2020-01-01\n}\n",
            "r {\n  blocking true false\n}\n",
        ),
    ),
    KnownError(
        "E111",
        "comparisons cannot be chained",
        "join two comparisons with `and`, e.g. `a >= 1 and a <= 5`",
        ("r {\n  when a < b < c\n}\n", "r {\n  when a >= MYR 1 <= MYR 2\n}\n"),
    ),
    KnownError(
        "E107",
        "unbalanced parenthesis or bracket",
        "every `(` needs a `)` and every `[` a `]`, on the same field",
        (
            "r {\n  when (a and b\n}\n",
            "r {\n  when a and b)\n}\n",
            "r {\n  when [a, b\n}\n",
            "r {\n  when a]\n}\n",
            "r {\n  when (a\n",
            "r {\n  when max(a, b\n}\n",
        ),
    ),
    KnownError(
        "E102",
        "block is not closed: missing '}'",
        "close every block with `}` on its own line",
        ("r {\n  a 1\n", "r {\n  s {\n    a 1\n  }\n", "r {\n"),
    ),
    KnownError(
        "E106",
        "unexpected end of file",
        "the last field or condition is incomplete",
        ("r {\n  when a and", "r {\n  when a >=", "r {\n  a MYR"),
    ),
)

# Token names as a rule author would say them.
_TOKEN_WORDS: Mapping[str, str] = {
    "NAME": "a name",
    "STRING": 'a text in double quotes ("…")',
    "NUMBER": "a number",
    "PERCENT": "a percentage",
    "DATE": "a date (YYYY-MM-DD)",
    "MONTH": "a month (YYYY-MM)",
    "_NL": "end of line",
    "$END": "end of file",
    "LBRACE": "'{'",
    "RBRACE": "'}'",
    "LPAR": "'('",
    "RPAR": "')'",
    "LSQB": "'['",
    "RSQB": "']'",
    "COMMA": "','",
    "COMPARATOR": "a comparison (>=, <=, ==, !=, >, <)",
}


def _word(token_type: str) -> str:
    if token_type in _TOKEN_WORDS:
        return _TOKEN_WORDS[token_type]
    return f"'{token_type.lower()}'" if token_type.isupper() else token_type


def _character_rules(char: str, following: str) -> tuple[str, str, str] | None:
    """Rules for characters that are not tokens at all: (code, message, help)."""
    table: dict[str, tuple[str, str, str]] = {
        "=": (
            "E103",
            "'=' is not an operator",
            "compare with `==`, e.g. `legal_form == joint_stock_company`",
        ),
        "&": ("E109", "'&&' is not an operator", "write `and`, e.g. `a and b`"),
        "|": ("E109", "'||' is not an operator", "write `or`, e.g. `a or b`"),
        "!": ("E109", "'!' is not an operator", "write `not`, e.g. `not a`; `!=` is fine"),
        "'": ("E112", "text needs double quotes", 'write `"like this"`'),
        '"': ("E101", "string is not closed on this line", 'close it with `"`'),
    }
    if char == "=" and following == "=":
        return None
    return table.get(char)


def _span_at(source: SourceFile, error: UnexpectedInput) -> Span:
    line = getattr(error, "line", None) or 1
    column = getattr(error, "column", None) or 1
    token = getattr(error, "token", None)
    width = 1
    if token is not None and getattr(token, "type", "") not in ("$END", "_NL"):
        width = max(len(str(token)), 1)
    if line < 1:  # Lark reports EOF as line -1: point after the last character
        lines = source.text.removesuffix("\n").split("\n")  # lines as the lexer counts them
        line, column = len(lines), len(lines[-1]) + 1
    return Span(source.path, line, column, line, column + width)


_BRACKETS = re.compile(r'"(?:[^"\\\n]|\\.)*"|#[^\n]*|[][()]')  # strings, comments, brackets


def _unclosed_bracket(source: SourceFile, error: UnexpectedInput) -> str | None:
    """A note naming the innermost `(` or `[` still open where parsing stopped: newlines
    inside brackets are ignored, so the parser only notices lines later."""
    token = getattr(error, "token", None)
    stop = getattr(token, "start_pos", None)
    if stop is None or getattr(token, "type", "") == "$END":
        stop = len(source.text)
    stack: list[int] = []
    for match in _BRACKETS.finditer(source.text, 0, stop):
        if match.group() in ("(", "["):
            stack.append(match.start())
        elif match.group() in (")", "]") and stack:
            stack.pop()
    if not stack:
        return None
    opened = stack[-1]
    line = source.text.count("\n", 0, opened) + 1
    column = opened - (source.text.rfind("\n", 0, opened) + 1) + 1
    return f"the `{source.text[opened]}` opened on line {line}, column {column} is not closed"


# The parser that raised the error is passed in (rather than imported) so that the parser
# can import this module without an import cycle; the catalogue's snippets must fail in the
# states of that same parser.
ParseFunction = Callable[[str], object]


@functools.cache
def _example_errors(parse: ParseFunction) -> tuple[tuple[KnownError, UnexpectedInput], ...]:
    """Parse every catalogue snippet once with `parse` and keep the error it produces."""
    found: list[tuple[KnownError, UnexpectedInput]] = []
    for known in CATALOGUE:
        for snippet in known.examples:
            try:
                parse(snippet)
            except UnexpectedInput as error:
                found.append((known, error))
    return tuple(found)


def _state_number(error: UnexpectedInput) -> object:
    """The LALR state an error happened in (an int, or a ParserState in newer Lark)."""
    state = getattr(error, "state", None)
    return getattr(state, "position", state)


def _match_catalogue(error: UnexpectedInput, parse: ParseFunction) -> KnownError | None:
    """The catalogue entry whose snippet fails in the same parser state, with the same
    expected tokens and the same kind of unexpected token (as `match_examples` does, but
    without its state-only fallback: a state shared by different mistakes, such as
    `300_000 BHD` and `10 working days`, must not borrow a label)."""
    if not isinstance(error, UnexpectedToken):
        return None
    state = _state_number(error)
    for known, example in _example_errors(parse):
        if (
            isinstance(example, UnexpectedToken)
            and _state_number(example) == state
            and example.accepts == error.accepts
            and example.token.type == error.token.type
        ):
            return known
    return None


def _bracket_left_open(source: SourceFile, error: UnexpectedInput) -> bool:
    """Whether parsing stopped on a later line than a `(` or `[` still open: newlines
    inside brackets are ignored, so an unclosed bracket shows up only on a later line."""
    token = getattr(error, "token", None)
    start = getattr(token, "start_pos", None)
    if start is None or getattr(token, "type", "") == "$END":
        return False
    depth_line = None
    stack: list[int] = []
    for match in _BRACKETS.finditer(source.text, 0, start):
        if match.group() in ("(", "["):
            stack.append(match.start())
        elif match.group() in (")", "]") and stack:
            stack.pop()
    if stack:
        depth_line = source.text.count("\n", 0, stack[-1]) + 1
    return depth_line is not None and (getattr(token, "line", 0) or 0) > depth_line


def _expected_list(error: UnexpectedInput) -> str:
    expected = getattr(error, "accepts", None) or getattr(error, "expected", None) or set()
    words = sorted({_word(name) for name in expected if not name.startswith("__")})
    if not words:
        return ""
    return "expected " + (words[0] if len(words) == 1 else "one of " + ", ".join(words[:8]))


def _found_word(error: UnexpectedInput) -> str:
    token = getattr(error, "token", None)
    if token is None:
        return "this"
    if token.type in ("$END", "_NL"):
        return _word(token.type)
    return f"'{token}'"


_BY_CODE: Mapping[str, KnownError] = {known.code: known for known in CATALOGUE}


def _end_of_file_rule(error: UnexpectedInput) -> KnownError | None:
    """At the end of the file the parser state says little; what is expected says more."""
    token = getattr(error, "token", None)
    if token is None or token.type != "$END":
        return None
    expected = getattr(error, "accepts", None) or getattr(error, "expected", None) or set()
    return _BY_CODE["E102"] if "RBRACE" in expected else _BY_CODE["E106"]


def describe_syntax_error(
    error: UnexpectedInput, source: SourceFile, parse: ParseFunction
) -> Diagnostic:
    """Translate a Lark error raised by `parse` into one located, explained diagnostic."""
    span = _span_at(source, error)
    if isinstance(error, UnexpectedCharacters):
        offset = error.pos_in_stream or 0
        char = source.text[offset] if offset < len(source.text) else ""
        following = source.text[offset + 1 : offset + 2]
        written_date = malformed_date(source, offset)
        if written_date is not None:
            return written_date
        rule = _character_rules(char, following)
        if rule:
            return Diagnostic(rule[0], rule[1], span, help=rule[2])
        return Diagnostic(
            "E108",
            f"character {char!r} is not allowed here",
            span,
            help=_expected_list(error) or None,
        )
    known = _end_of_file_rule(error)
    if known is None and _bracket_left_open(source, error):
        known = _BY_CODE["E107"]
    known = known or _match_catalogue(error, parse)
    notes: tuple[str, ...] = ()
    if known is not None and known.code == "E102":
        unclosed = find_unclosed(source)
        if unclosed is not None:  # point at the block left open, not at the end of the file
            span = unclosed_span(source, unclosed.block)
            notes = (f"`{unclosed.block.header}` has no `}}`: {unclosed.because}",)
    elif known is not None and known.code == "E107":
        note = _unclosed_bracket(source, error)
        notes = (note,) if note else ()
    if known is not None:
        return Diagnostic(known.code, known.message, span, help=known.help, notes=notes)
    message = f"unexpected {_found_word(error)}"
    return Diagnostic("E100", message, span, help=_expected_list(error) or None)
