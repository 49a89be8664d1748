"""Diagnostics: what is wrong, where, and how to fix it.

Codes are stable and grouped by phase (see `CODES`); tests and editors key on the code,
never on the wording. `render_text` prints the rustc-like form

    path:line:col: error[E201]: unknown attribute 'paid_up_capitl'
       |
    12 |     require paid_up_capitl >= BHD 300_000
       |             ^^^^^^^^^^^^^^
       = help: did you mean 'paid_up_capital'?
"""

from __future__ import annotations

import difflib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum

from rulesdsl.syntax.nodes import Span


class Severity(StrEnum):
    """How bad a diagnostic is; errors make `jawaz check` exit 1."""

    ERROR = "error"
    WARNING = "warning"


# code -> (phase, one-line summary). The docs page lists these; a test keeps them in step.
CODES: Mapping[str, tuple[str, str]] = {
    # input: the file itself
    "E001": ("input", "file cannot be read"),
    "E002": ("input", "path is a directory, not a rule file"),
    "E003": ("input", "file is larger than the size limit"),
    "E004": ("input", "file is not valid UTF-8"),
    "E005": ("input", "file contains NUL or other control bytes"),
    "E006": ("input", "nesting is deeper than the limit"),
    "E007": ("input", "no rule files found at the path"),
    # syntax
    "E100": ("syntax", "unexpected token"),
    "E101": ("syntax", "unterminated string"),
    "E102": ("syntax", "block is not closed: missing '}'"),
    "E103": ("syntax", "'=' used for comparison; write '=='"),
    "E104": ("syntax", "amount written before its currency"),
    "E105": ("syntax", "field has no value"),
    "E106": ("syntax", "unexpected end of file"),
    "E107": ("syntax", "unbalanced parenthesis or bracket"),
    "E108": ("syntax", "character not allowed here"),
    "E109": ("syntax", "'&&', '||' or '!' used; write 'and', 'or', 'not'"),
    "E110": ("syntax", "list items must be separated by commas"),
    "E111": ("syntax", "comparisons cannot be chained"),
    "E112": ("syntax", "text string needs double quotes"),
    "E113": ("syntax", "',' inside a number; write thousands with underscores"),
    "E114": ("syntax", "a field takes one value"),
    "E115": ("syntax", "date not written YYYY-MM-DD"),
    # structure: blocks and fields
    "E200": ("structure", "unknown block kind"),
    "E201": ("structure", "block not allowed here"),
    "E202": ("structure", "unknown field"),
    "E203": ("structure", "required field missing"),
    "E204": ("structure", "field given twice"),
    "E205": ("structure", "wrong kind of value for this field"),
    "E206": ("structure", "block label missing or of the wrong kind"),
    "E207": ("structure", "duplicate declaration"),
    "E208": ("structure", "bundle has no vocabulary"),
    "E209": ("structure", "MoU with fewer than two distinct parties"),
    "E210": ("structure", "not a web address (https or http, no spaces)"),
    "E220": ("structure", "framework leaves a requirement category unclassified"),
    "E221": ("structure", "framework classes a requirement category twice"),
    # alternative routes: sandboxes and transitional routes
    "E270": ("structure", "sandbox route without its duration ('for')"),
    "E271": ("structure", "transitional route without 'authorised_before'"),
    "E272": ("structure", "transitional route without 'ends'"),
    "E273": ("structure", "route field on a licence of another route"),
    "E274": ("structure", "time span not a whole number of years or months"),
    # discretion: what the regulator sets with each firm
    "E275": ("types", "discretionary term without its text"),
    "E276": ("types", "discretionary term in a requirement's scope (`when`)"),
    "E277": ("types", "discretionary figure not compared with an attribute"),
    # names
    "E300": ("names", "unknown attribute"),
    "E301": ("names", "unknown activity"),
    "E302": ("names", "unknown category"),
    "E303": ("names", "unknown jurisdiction"),
    "E304": ("names", "unknown instrument"),
    "E305": ("names", "unknown currency"),
    "E306": ("names", "unknown licence"),
    "E307": ("names", "unknown value for this attribute"),
    "E308": ("names", "unknown function"),
    "E309": ("names", "unknown membership body"),
    "E310": ("names", "unknown country code"),
    "E311": ("names", "unknown option"),
    # dates known only to the month
    "E230": ("dates", "not a valid calendar month"),
    "E231": ("structure", "a month where only a full date is allowed"),
    # arithmetic
    "E240": ("types", "'months of' or '*' applied to something that is not an amount"),
    "E241": ("types", "number of months not a whole number from 1 to 1200"),
    "E242": ("types", "computed amount of 10^18 or more"),
    "E243": ("types", "amount multiplied by more than 10,000 in all"),
    # persons and counts
    "E250": ("types", "count() of something that is not a list of persons or roles"),
    "E251": ("types", "count() takes one list and an optional 'where' filter"),
    "E252": ("types", "count() filter reads a field the entries do not have"),
    "E253": ("types", "count() filter compares a field with a value of another type"),
    "E254": ("types", "persons list used other than through count()"),
    "E255": ("types", "count() filter on a roles list reads a field only persons have"),
    "E256": ("types", "count() compared with something other than a whole number"),
    "E260": ("tiers", "tier boundary that is not a fixed amount of money"),
    "E261": ("tiers", "tier boundary in another currency than the first"),
    "E262": ("tiers", "tiers not in rising order"),
    "E263": ("tiers", "tier boundary that falls in two bands"),
    "E264": ("tiers", "amounts that fall in no band"),
    "E265": ("tiers", "tiers block without its policy, lowest band or a second band"),
    "E266": ("tiers", "requirement with both or neither of `require` and `tiers`"),
    "E267": ("tiers", "unknown or repeated demand in a tier"),
    # types
    "E400": ("types", "operands of different types"),
    "E401": ("types", "currency written on a percentage"),
    "E402": ("types", "percentage outside 0-100 %"),
    "E403": ("types", "operator not defined for this type"),
    "E404": ("types", "condition is not true/false"),
    "E405": ("types", "number where an amount with currency is needed"),
    "E406": ("types", "wrong number or type of arguments"),
    "E407": ("types", "invalid number"),
    "E408": ("types", "'pending' needs a typed comparison"),
    "E409": ("types", "FX rate not linked to the table's first base currency"),
    # dates
    "E500": ("dates", "not a valid calendar date"),
    "E501": ("dates", "'until' is not after 'from'"),
    "E502": ("dates", "effective periods of one requirement overlap"),
    "E503": ("dates", "'by' outside the version's period"),
    "E504": ("dates", "'by' on a version without 'from'"),
    "E505": ("dates", "deadline version does not follow the version it replaces"),
    "E506": ("dates", "'binds_applicants' without 'by'"),
    # warnings
    "W600": ("advice", "unconfirmed requirement marked as blocking"),
    "W601": ("advice", "instrument declared but never cited"),
    "W602": ("advice", "requirement with a pending threshold marked confirmed"),
    "W603": ("advice", "gap between dated versions of one requirement"),
    "W604": ("advice", "citation with an empty provision"),
    # case files: jurisdiction cases (`cases/*.yaml`), checked against the rules they test
    "E700": ("cases", "unknown key in a case"),
    "E701": ("cases", "expectation names a requirement that does not exist"),
    "E702": ("cases", "unknown status, verdict or route in an expectation"),
    "E703": ("cases", "expected amount not written CUR AMOUNT"),
}


@dataclass(frozen=True, slots=True)
class Diagnostic:
    """One finding, located in a source file."""

    code: str
    message: str
    span: Span
    severity: Severity = Severity.ERROR
    help: str | None = None
    notes: tuple[str, ...] = field(default=())

    def sort_key(self) -> tuple[str, int, int, str]:
        """Order by file, then position, then code."""
        return (self.span.file, self.span.line, self.span.column, self.code)

    def to_json(self) -> dict[str, object]:
        """A plain dict for `--format json`."""
        return {
            "file": self.span.file,
            "line": self.span.line,
            "column": self.span.column,
            "end_line": self.span.end_line,
            "end_column": self.span.end_column,
            "severity": self.severity.value,
            "code": self.code,
            "phase": CODES[self.code][0],
            "message": self.message,
            "help": self.help,
            "notes": list(self.notes),
        }


class DslError(Exception):
    """Raised with the diagnostics that stopped a rule bundle from loading."""

    def __init__(self, diagnostics: Iterable[Diagnostic]) -> None:
        self.diagnostics = tuple(sorted(diagnostics, key=Diagnostic.sort_key))
        first = self.diagnostics[0] if self.diagnostics else None
        summary = f"{first.code}: {first.message}" if first else "invalid rules"
        super().__init__(f"{len(self.diagnostics)} problem(s) in the rules; first: {summary}")


def did_you_mean(word: str, candidates: Iterable[str]) -> str | None:
    """A `help:` line suggesting the closest candidate, if one is close enough."""
    pool = sorted(set(candidates))
    matches = difflib.get_close_matches(word, pool, n=1, cutoff=0.6)
    if not matches:
        lowered = {c.lower(): c for c in pool}
        if word.lower() in lowered:
            matches = [lowered[word.lower()]]
    return f"did you mean '{matches[0]}'?" if matches else None


LISTED_CHOICES = 12  # longest list of valid values a help line spells out


def choices_help(word: str, candidates: Iterable[str], noun: str = "values") -> str:
    """A `help:` line for a word outside a closed set: the did-you-mean, if any, then the
    valid choices (the first `LISTED_CHOICES` of them, alphabetically)."""
    pool = sorted(set(candidates))
    shown = ", ".join(pool[:LISTED_CHOICES]) + (", …" if len(pool) > LISTED_CHOICES else "")
    hint = did_you_mean(word, pool)
    return (f"{hint} " if hint else "") + f"{noun}: {shown}"


def unknown_name(kind: str, word: object, candidates: Iterable[str], named: bool = True) -> str:
    """The message for a name that is not one of `candidates`: `unknown KIND 'WORD'`, with
    a did-you-mean hint when one candidate is close.

    `named=False` leaves the word out, for messages whose path already shows it.
    """
    hint = did_you_mean(str(word), candidates)
    return f"unknown {kind}" + (f" {word!r}" if named else "") + (f"; {hint}" if hint else "")


def _gutter_width(diagnostic: Diagnostic) -> int:
    return len(str(diagnostic.span.line))


SHOWN_WIDTH = 200  # longest stretch of a source line printed under a diagnostic


def _window(raw: str, span: Span) -> tuple[str, int, int]:
    """The part of a source line to print, and the caret's start and end in it. A long
    line is cut around the span, marked with '…', so the caret stays under the problem."""
    text = raw.rstrip("\r\n").expandtabs(1)
    start = max(span.column - 1, 0)
    end = span.end_column - 1 if span.end_line == span.line else len(text)
    end = max(end, start + 1)
    offset = 0
    if len(text) > SHOWN_WIDTH:
        offset = max(0, min(start - SHOWN_WIDTH // 3, len(text) - SHOWN_WIDTH))
        prefix = "…" if offset else ""
        text = (
            prefix
            + text[offset : offset + SHOWN_WIDTH]
            + ("…" if offset + SHOWN_WIDTH < len(raw) else "")
        )
        offset -= len(prefix)
    start, end = start - offset, min(end - offset, len(text) + 1)
    return text, min(start, len(text)), end


def render_one(diagnostic: Diagnostic, source_lines: list[str] | None) -> str:
    """Render one diagnostic with its source line and caret."""
    span = diagnostic.span
    head = (
        f"{span.file}:{span.line}:{span.column}: "
        f"{diagnostic.severity.value}[{diagnostic.code}]: {diagnostic.message}"
    )
    lines = [head]
    width = _gutter_width(diagnostic)
    if source_lines is not None and 1 <= span.line <= len(source_lines):
        shown, start, end = _window(source_lines[span.line - 1], span)
        pad = " " * width
        lines.append(f"{pad} |")
        lines.append(f"{span.line} | {shown}")
        lines.append(f"{pad} | {' ' * start}{'^' * max(end - start, 1)}")
    pad = " " * width
    if diagnostic.help:
        lines.append(f"{pad} = help: {diagnostic.help}")
    lines.extend(f"{pad} = note: {note}" for note in diagnostic.notes)
    return "\n".join(lines)


def summary_line(diagnostics: Iterable[Diagnostic]) -> str:
    """`2 errors, 1 warning` (or `no problems`)."""
    items = list(diagnostics)
    errors = sum(1 for d in items if d.severity is Severity.ERROR)
    warnings = len(items) - errors
    if not items:
        return "no problems"
    return f"{_count(errors, 'error')}, {_count(warnings, 'warning')}"


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"


def render_text(diagnostics: Iterable[Diagnostic], sources: Mapping[str, str]) -> str:
    """Render every diagnostic, sorted by location, followed by a count."""
    ordered = sorted(diagnostics, key=Diagnostic.sort_key)
    split = {path: text.split("\n") for path, text in sources.items()}
    blocks = [render_one(d, split.get(d.span.file)) for d in ordered]
    blocks.append(summary_line(ordered))
    return "\n\n".join(blocks[:-1]) + ("\n\n" if len(blocks) > 1 else "") + blocks[-1]


def render_json(diagnostics: Iterable[Diagnostic]) -> str:
    """Diagnostics as a JSON array, sorted by location."""
    ordered = sorted(diagnostics, key=Diagnostic.sort_key)
    return json.dumps([d.to_json() for d in ordered], indent=2, ensure_ascii=False)
