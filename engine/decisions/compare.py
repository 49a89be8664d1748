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

from engine.decisions.answers import rate_out
from engine.decisions.catalogue import licensing_licences
from engine.decisions.implication import SetTest, atoms
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
from rulesdsl.ir.walk import attributes_read


def _bound(op: ir.Op | SetTest) -> Literal["minimum", "maximum", ""]:
    """The attribute's side of the comparison: at least (a minimum) or at most (a maximum)."""
    return (op.bound if isinstance(op, ir.Op) else None) or ""


def _threshold(requirement: ir.Requirement) -> tuple[ir.Op | SetTest, Money] | None:
    """(op, amount) of a requirement whose condition is one money bound, if it is."""
    found = atoms(requirement.require) or []
    bounds = [(a.op, t.money) for a in found for t in a.terms if t.money is not None]
    if len(bounds) != 1:
        return None
    op, money = bounds[0]
    assert money is not None
    return op, money


def _columns(
    decider: Decider, jurisdiction: ir.Jurisdiction, activity: str, day: dt.date
) -> list[tuple[ComparisonColumn, tuple[ir.Requirement, ...]]]:
    """One column per licence covering `activity`, with its requirements in force on `day`;
    a jurisdiction that does not license the activity gets one empty column."""
    licences = licensing_licences(jurisdiction, activity, day)
    if not licences:
        return [(ComparisonColumn(jurisdiction=jurisdiction.code, licence=None), ())]
    return [
        (
            ComparisonColumn(jurisdiction=jurisdiction.code, licence=licence.id),
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
    threshold = _threshold(requirement)
    own = converted = None
    if threshold is not None:
        money = threshold[1]
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
        bound=_bound(threshold[0]) if threshold else "",
        mark="",
        pending=requirement.pending,
        confidence=requirement.confidence,
        citation=decider.citation(code, requirement.citation),
    )


def _marked(cells: list[ComparisonCell | None]) -> list[ComparisonCell | None]:
    """Mark the strictest and loosest converted thresholds of a row: for minimums the
    highest is strictest, for maximums (a Travel Rule threshold) the lowest. Rows that mix
    the two, or whose amounts are all equal, are left unmarked."""
    priced = {
        i: c
        for i, c in enumerate(cells)
        if c is not None and c.converted is not None and not c.pending and c.bound
    }
    bounds = {c.bound for c in priced.values()}
    if len(priced) < 2 or len(bounds) != 1:
        return cells
    amounts = {i: _amount(c) for i, c in priced.items()}
    low, high = min(amounts.values()), max(amounts.values())
    if low == high:
        return cells
    strict, loose = (low, high) if bounds == {"maximum"} else (high, low)
    marks = {
        i: "strictest" if a == strict else "loosest" if a == loose else ""
        for i, a in amounts.items()
    }
    return [
        c if c is None or i not in marks else c.model_copy(update={"mark": marks[i]})
        for i, c in enumerate(cells)
    ]


def _amount(cell: ComparisonCell) -> Decimal:
    assert cell.converted is not None
    return Decimal(cell.converted.amount)
