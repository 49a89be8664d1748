"""Side-by-side comparison of jurisdictions for one activity (DESIGN §4, "Comparison").

Requirements are aligned by category and by the attribute they constrain; each licence
covering the activity has a column of its own. Each cell gives
the rule in its own currency and, for amounts, converted into one currency, with the
strictest and loosest marked, its citation and confidence. Rows that exist in only some
jurisdictions have empty cells for the others.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal
from typing import Literal

from engine.decisions.answers import fx_warnings, rate_out
from engine.decisions.catalogue import licensing_licences
from engine.decisions.implication import atoms
from engine.decisions.passport import Decider
from engine.errors import EngineError
from engine.inputs.money import Money
from engine.presentation.wording import rule_text
from engine.results import (
    ComparisonCell,
    ComparisonColumn,
    ComparisonResult,
    ComparisonRow,
    MoneyOut,
    RateOut,
)
from rulesdsl import ir
from rulesdsl.ir.semantics import attribute_first
from rulesdsl.ir.walk import attributes_read

BoundSide = Literal["minimum", "maximum", ""]


def _threshold(requirement: ir.Requirement) -> tuple[BoundSide, Money | None] | None:
    """(floor, ceiling or neither; amount) of a requirement whose condition is one money
    bound, if it is. A rule whose figure is pending is read by `_pending_threshold`."""
    if requirement.pending:
        return _pending_threshold(requirement.require)
    found = atoms(requirement.require) or []
    bounds = [(a.op, t.money) for a in found for t in a.terms if t.money is not None]
    if len(bounds) != 1:
        return None
    op, money = bounds[0]
    return (op.bound if isinstance(op, ir.Op) else None) or "", money


def _pending_threshold(expr: ir.Expr) -> tuple[BoundSide, Money | None] | None:
    """A rule bounding one attribute, in one direction, by a pending figure and at most one
    known amount (`x > MYR 5m and x >= MYR pending`; `x >= IDR pending`): its side and the
    known amount (None where none is known). None for any other shape: not ranked."""
    parts = expr.operands if isinstance(expr, ir.AllOf) else (expr,)
    sides: set[tuple[str, BoundSide]] = set()
    known: list[Money] = []
    for part in parts:
        if not isinstance(part, ir.Comparison):
            return None
        oriented = attribute_first(part.left, part.op, part.right)
        if oriented is None or oriented[1].bound is None:
            return None
        attr, op, other = oriented
        sides.add((attr.name, op.bound or ""))
        match other:
            case ir.MoneyConst(amount=amount, currency=currency):
                known.append(Money(currency, amount))
            case ir.PendingConst():
                pass
            case _:
                return None
    if len(sides) != 1 or len(known) > 1:
        return None
    [(_, side)] = sides
    return side, (known[0] if known else None)


def _columns(
    decider: Decider, jurisdiction: ir.Jurisdiction, activity: str, day: dt.date
) -> list[tuple[ComparisonColumn, tuple[ir.Requirement, ...]]]:
    """One column per licence covering `activity`, with its requirements in force on `day`;
    a jurisdiction that does not license the activity gets one empty column."""
    licences = licensing_licences(jurisdiction, activity, day)
    if not licences:
        column = ComparisonColumn(
            jurisdiction=jurisdiction.code, licence=None, verified_on=jurisdiction.verified
        )
        return [(column, ())]
    return [
        (
            ComparisonColumn(
                jurisdiction=jurisdiction.code,
                licence=licence.id,
                verified_on=jurisdiction.verified,
            ),
            # The rules as written for a new applicant: the version each source has in force.
            decider.applicable(jurisdiction, licence.id, day, False).requirements,
        )
        for licence in licences
    ]


def build_comparison(
    decider: Decider,
    jurisdictions: Sequence[ir.Jurisdiction],
    activity: str,
    day: dt.date,
    currency: str = "USD",
) -> ComparisonResult:
    """The aligned comparison of `jurisdictions` for `activity` on `day`, amounts also in
    `currency` (a currency of the vocabulary)."""
    columns = [c for j in jurisdictions for c in _columns(decider, j, activity, day)]
    rows: dict[tuple[str, str, int], list[ComparisonCell | None]] = {}
    rates: dict[tuple[str, str], RateOut] = {}
    for index, (column, requirements) in enumerate(columns):
        seen: dict[tuple[str, str], int] = {}
        for requirement in requirements:
            topic = (requirement.category, (attributes_read(requirement.require) or ("—",))[0])
            # A licence's second rule on the same topic (a reduced figure `when` a
            # custodian holds the assets, say) gets a row of its own under the first.
            variant = seen[topic] = seen.get(topic, -1) + 1
            cells = rows.setdefault((*topic, variant), [None] * len(columns))
            cells[index] = _cell(decider, column.jurisdiction, requirement, day, currency, rates)
    ordered = sorted(rows.items(), key=lambda item: item[0])
    return ComparisonResult(
        activity=activity,
        as_of=day,
        currency=currency,
        jurisdictions=[j.code for j in jurisdictions],
        columns=[column for column, _ in columns],
        rows=[
            ComparisonRow(category=c, attribute=a, variant=v, cells=_marked(cells))
            for (c, a, v), cells in ordered
        ],
        fx_rates=[rates[k] for k in sorted(rates)],
        fx_warnings=fx_warnings(list(rates.values()), day),
        bundle=decider.bundle_name,
        rules_hash=decider.rules_hash,
        fx_hash=decider.fx.hash,
    )


def _cell(
    decider: Decider,
    code: str,
    requirement: ir.Requirement,
    day: dt.date,
    currency: str,
    rates: dict[tuple[str, str], RateOut],
) -> ComparisonCell:
    side, money = _threshold(requirement) or ("", None)
    own = converted = None
    if money is not None:
        own = MoneyOut(amount=str(money.amount), currency=money.currency)
        try:
            value, used = decider.fx.convert(money, currency, day)
            converted = MoneyOut(amount=str(value.amount), currency=value.currency)
            if used is not None:
                rates[(used.source, used.target)] = rate_out(used)
        except EngineError:
            converted = None
    return ComparisonCell(
        jurisdiction=code,
        requirement=requirement.id,
        title=requirement.title,
        rule=rule_text(requirement),
        threshold=own,
        converted=converted,
        bound=side,
        mark="",
        pending=requirement.pending,
        confidence=requirement.confidence,
        citation=decider.citation(code, requirement.citation),
    )


def _marked(cells: list[ComparisonCell | None]) -> list[ComparisonCell | None]:
    """Mark the strictest and loosest converted thresholds of a row: for minimums the
    highest is strictest, for maximums (a Travel Rule threshold) the lowest.

    Only what can be compared is ranked. A pending minimum with a known floor (`> MYR 5m
    and >= MYR pending`) counts as at least its floor, so it can be the strictest, marked
    as a lower bound, when that floor already exceeds every other figure. A cell whose
    figure is pending otherwise, or that has no FX rate, says why it is not ranked, and a
    row holding one gets no marks at all: its unknown figure could be anywhere. Rows that
    mix floors and ceilings, or whose amounts are all equal, are left unmarked.
    """
    candidates = {i: c for i, c in enumerate(cells) if c is not None and c.bound}
    if len(candidates) < 2:
        return cells  # nothing to rank against
    known: dict[int, Decimal] = {}
    floors: dict[int, Decimal] = {}
    unranked: dict[int, Literal["pending", "no_fx_rate"]] = {}
    for i, c in candidates.items():
        if c.pending and c.threshold is None:  # no known part at all
            unranked[i] = "pending"
        elif c.converted is None:
            unranked[i] = "no_fx_rate"
        elif not c.pending:
            known[i] = _amount(c)
        elif c.bound == "minimum":
            floors[i] = _amount(c)
        else:
            unranked[i] = "pending"
    marks: dict[int, Literal["strictest", "loosest"]] = {}
    bounds = {candidates[i].bound for i in (*known, *floors)}
    if not unranked and len(bounds) == 1 and len(known) + len(floors) >= 2:
        marks = _ranks(known, floors, bounds == {"maximum"})
    unranked |= {i: "pending" for i in floors if i not in marks}
    updates = {
        i: {"mark": marks.get(i, ""), "lower_bound": i in floors and i in marks}
        | ({"unranked": unranked[i]} if i in unranked else {})
        for i in candidates
    }
    return [
        c if c is None or i not in updates else c.model_copy(update=updates[i])
        for i, c in enumerate(cells)
    ]


def _ranks(
    known: dict[int, Decimal], floors: dict[int, Decimal], ceilings: bool
) -> dict[int, Literal["strictest", "loosest"]]:
    """Strictest and loosest among the known figures of a row and at most one floor (only
    minimums have floors: the caller leaves pending ceilings unranked)."""
    if len(floors) > 1 or (floors and not known):
        return {}  # two lower bounds cannot be ordered against each other
    low, high = min(known.values()), max(known.values())
    if not floors:
        if low == high:
            return {}
        strict, loose = (low, high) if ceilings else (high, low)
        return {
            i: "strictest" if a == strict else "loosest"
            for i, a in known.items()
            if a in (strict, loose)
        }
    [(index, least)] = floors.items()
    marks: dict[int, Literal["strictest", "loosest"]] = {}
    if least > high:  # at least `least`: already above every known figure
        marks[index] = "strictest"
    if low < least:  # the floor's figure is at least `least`, so above `low` too
        marks |= {i: "loosest" for i, a in known.items() if a == low}
    return marks


def _amount(cell: ComparisonCell) -> Decimal:
    assert cell.converted is not None
    return Decimal(cell.converted.amount)
