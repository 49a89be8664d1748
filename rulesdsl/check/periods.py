"""Date checks: real calendar days, `until` after `from`, no overlapping versions, no gaps.

A requirement version with `by D` ("comply by D") replaces the version before it: firms
already licensed in the host stay on the previous version until D inclusive. Its periods
as written do not overlap; the extension for licensed firms cannot overlap anything either,
because D must be a day of the deadline version's own period (E503) and the previous version
must end where the deadline version starts (E505).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from itertools import pairwise

from rulesdsl.check.collect import Collected, field_map, label_text
from rulesdsl.check.types import parse_date, parse_month
from rulesdsl.errors import Diagnostic, Severity
from rulesdsl.syntax import nodes as n

_OPEN_START = dt.date.min
_OPEN_END = dt.date.max


def field_date(item: n.Field | None) -> dt.date | None:
    """A field's date (a month's first day for `2025-09`); None where absent or invalid."""
    if item is None:
        return None
    if isinstance(item.value, n.DateLit):
        return parse_date(item.value.text)
    if isinstance(item.value, n.MonthLit):
        return parse_month(item.value.text)
    return None


def block_period(block: n.Block) -> tuple[dt.date | None, dt.date | None]:
    """The `from` and `until` dates of a block (None where absent or invalid); a month
    stands for its first day."""
    fields = field_map(block)
    return field_date(fields.get("from")), field_date(fields.get("until"))


def _unreadable_period(block: n.Block) -> bool:
    """Whether `from` or `until` is given but is not a real date: its version's place among
    the others is unknown, so overlaps and gaps are not judged (E500 or E205 says why)."""
    fields = field_map(block)
    start, end = block_period(block)
    return ("from" in fields and start is None) or ("until" in fields and end is None)


def _readable(groups: dict[str, list[n.Block]]) -> dict[str, list[n.Block]]:
    """The groups of versions whose periods can all be read."""
    return {
        key: blocks
        for key, blocks in groups.items()
        if not any(_unreadable_period(block) for block in blocks)
    }


def _invalid_dates(block: n.Block) -> Iterable[Diagnostic]:
    dates = [item.value for item in block.fields() if isinstance(item.value, n.DateLit)]
    if isinstance(block.label, n.DateLit):
        dates.append(block.label)
    for literal in dates:
        if parse_date(literal.text) is None:
            yield Diagnostic(
                "E500",
                f"{literal.text} is not a calendar date",
                literal.span,
                help="dates are YYYY-MM-DD, e.g. 2027-06-30",
            )
    for item in block.fields():
        if isinstance(item.value, n.MonthLit) and parse_month(item.value.text) is None:
            yield Diagnostic(
                "E230",
                f"{item.value.text} is not a calendar month",
                item.value.span,
                help="a month is YYYY-MM with MM from 01 to 12, e.g. 2025-09",
            )


def _until_after_from(block: n.Block) -> Iterable[Diagnostic]:
    start, end = block_period(block)
    if start is not None and end is not None and end <= start:
        until = field_map(block)["until"]
        yield Diagnostic(
            "E501",
            f"'until' {end} is not after 'from' {start}",
            until.value.span,
            help="'until' is the first day no longer in force; it must come after 'from'",
        )


def _date_field(block: n.Block, key: str) -> tuple[n.Field | None, dt.date | None]:
    item = field_map(block).get(key)
    return item, field_date(item)


def _deadline(block: n.Block) -> Iterable[Diagnostic]:
    """`by` needs `from` and must be a day of the version's period; `binds_applicants`
    says something only about a version with `by`."""
    by, deadline = _date_field(block, "by")
    if by is None:
        applicants = field_map(block).get("binds_applicants")
        if applicants is not None:
            yield Diagnostic(
                "E506",
                "'binds_applicants' says when applicants must meet a deadline version, "
                "but this version has no 'by'",
                applicants.key.span,
                help="add the deadline with `by`, or remove `binds_applicants`",
            )
        return
    start, end = block_period(block)
    if start is None and "from" not in field_map(block):
        yield Diagnostic(
            "E504",
            "'by' needs 'from': the deadline version's own start",
            by.value.span,
            help="add `from` with the date of the instrument that set the deadline",
        )
    elif (
        deadline is not None
        and start is not None
        and (deadline < start or (end is not None and deadline >= end))
    ):
        last = f" to {end - dt.timedelta(days=1)}" if end else " onwards"
        yield Diagnostic(
            "E503",
            f"'by' {deadline} is not a day of this version's period ({start}{last})",
            by.value.span,
            help="the deadline is the last day licensed firms may stay on the previous "
            "version; it falls on or after `from` and before `until`",
        )


def _replaces(groups: dict[str, list[n.Block]], what: str) -> Iterable[Diagnostic]:
    """A deadline version must start where the version it replaces ends."""
    for key, blocks in _readable(groups).items():
        dated = sorted(
            ((block_period(b), b) for b in blocks), key=lambda item: item[0][0] or _OPEN_START
        )
        for ((_, end), first), ((start, _), second) in pairwise(dated):
            if "by" in field_map(second) and end is not None and start is not None and end < start:
                yield Diagnostic(
                    "E505",
                    f"{what} '{key}' has a deadline, but the version it replaces ends on {end}, "
                    f"before this one's 'from' {start}",
                    field_map(second)["by"].key.span,
                    help=f"end the version at {first.span.file}:{first.span.line} with "
                    f"`until {start}`: licensed firms stay on it until the deadline",
                )


def _overlaps(groups: dict[str, list[n.Block]], what: str) -> Iterable[Diagnostic]:
    for key, blocks in _readable(groups).items():
        spans = []
        for block in blocks:
            start, end = block_period(block)
            spans.append((start or _OPEN_START, end or _OPEN_END, block))
        spans.sort(key=lambda item: item[0])
        for (_, end, first), (start, _, second) in pairwise(spans):
            if start < end:
                where = f"{first.span.file}:{first.span.line}"
                yield Diagnostic(
                    "E502",
                    f"{what} '{key}' has versions in force at the same time",
                    second.label.span if second.label else second.kind.span,
                    help=f"end the version at {where} with `until` before this one's `from`",
                )


def _gaps(groups: dict[str, list[n.Block]], what: str) -> Iterable[Diagnostic]:
    """W603: dated versions of one id that leave days between them, when the id is in
    force for no one (a deadline version that leaves a gap is E505 instead)."""
    for key, blocks in _readable(groups).items():
        dated = sorted(
            ((block_period(b), b) for b in blocks), key=lambda item: item[0][0] or _OPEN_START
        )
        for ((_, end), first), ((start, _), second) in pairwise(dated):
            if end is None or start is None or end >= start or "by" in field_map(second):
                continue
            last = start - dt.timedelta(days=1)
            days = f"{end}" if end == last else f"{end} to {last}"
            yield Diagnostic(
                "W603",
                f"{what} '{key}' is in force on no day from {days}",
                field_map(second)["from"].value.span,
                Severity.WARNING,
                help=f"end the version at {first.span.file}:{first.span.line} with "
                f"`until {start}`, or start this one with `from {end}`, unless the source "
                "leaves the gap",
            )


def _all_blocks(collected: Collected) -> Iterable[n.Block]:
    yield from collected.frameworks.values()
    yield from collected.mous.values()
    yield from collected.fatf_blocks
    yield from collected.listings
    yield from collected.fx_tables
    yield from collected.instruments.values()
    for decl in collected.jurisdictions.values():
        yield from decl.regimes
        yield from decl.requirements
        yield from decl.instruments.values()


def check_periods(collected: Collected) -> list[Diagnostic]:
    """Every date problem in the bundle."""
    found: list[Diagnostic] = []
    for block in _all_blocks(collected):
        found.extend(_invalid_dates(block))
        found.extend(_until_after_from(block))
    for decl in collected.jurisdictions.values():
        for block in decl.requirements:
            found.extend(_deadline(block))
    for decl in collected.jurisdictions.values():
        requirements: dict[str, list[n.Block]] = defaultdict(list)
        for block in decl.requirements:
            requirements[label_text(block)].append(block)
        found.extend(_overlaps(requirements, f"{decl.code} requirement"))
        found.extend(_replaces(requirements, f"{decl.code} requirement"))
        found.extend(_gaps(requirements, f"{decl.code} requirement"))
        regimes: dict[str, list[n.Block]] = defaultdict(list)
        for block in decl.regimes:
            regimes[label_text(block)].append(block)
        found.extend(_overlaps(regimes, f"{decl.code} regime for"))
    listings: dict[str, list[n.Block]] = defaultdict(list)
    for block in collected.listings:
        listings[label_text(block)].append(block)
    found.extend(_overlaps(listings, "FATF listing of"))
    tables: dict[str, list[n.Block]] = defaultdict(list)
    for block in collected.fx_tables:
        tables[label_text(block)].append(block)
    for day, blocks in tables.items():
        found.extend(
            Diagnostic("E207", f"two fx tables for {day}", block.kind.span) for block in blocks[1:]
        )
    return found
