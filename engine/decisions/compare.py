"""Side-by-side comparison of jurisdictions for one activity (DESIGN §4, "Comparison").

Requirements are aligned by category and by the attribute they constrain. Each cell gives
the rule in its own currency and, for amounts, converted into one currency, with the
strictest and loosest marked, its citation and confidence. Rows that exist in only some
jurisdictions have empty cells for the others.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import TYPE_CHECKING, Literal

from engine.decisions.answers import rate_out
from engine.decisions.implication import atoms
from engine.decisions.passport import regime_on
from engine.errors import EngineError
from engine.inputs.money import Money
from engine.presentation.describe import attributes_of, describe
from engine.results import ComparisonCell, ComparisonResult, ComparisonRow, MoneyOut, RateOut
from rulesdsl import ir

if TYPE_CHECKING:
    from engine.bundle import Bundle


# The attribute's side of the comparison: at least (a minimum) or at most (a maximum).
_BOUND: dict[str, Literal["minimum", "maximum"]] = {
    "ge": "minimum",
    "gt": "minimum",
    "le": "maximum",
    "lt": "maximum",
}


def _threshold(requirement: ir.Requirement) -> tuple[str, Money] | None:
    """(op, amount) of a requirement whose condition is one money bound, if it is."""
    found = atoms(requirement.require) or []
    bounds = [(a.op, t.money) for a in found for t in a.terms if t.money is not None]
    if len(bounds) != 1:
        return None
    op, money = bounds[0]
    assert money is not None
    return op, money


def _rows_for(bundle: Bundle, code: str, activity: str, day: dt.date) -> list[ir.Requirement]:
    jurisdiction = bundle.jurisdiction(code, "jurisdictions")
    regime = regime_on(jurisdiction, activity, day)
    if regime is None or regime.status != "licensed":
        return []
    licence = next((lic for lic in jurisdiction.licences if activity in lic.activities), None)
    if licence is None:
        return []
    return list(bundle.decider.applicable(jurisdiction, licence.id, day))


def build_comparison(
    bundle: Bundle, codes: list[str], activity: str, day: dt.date, currency: str = "USD"
) -> ComparisonResult:
    """The aligned comparison of `codes` for `activity` on `day`, amounts also in `currency`."""
    if currency not in bundle.profiles.env.currencies:
        raise EngineError(f"unknown currency {currency!r}", "currency")
    rows: dict[tuple[str, str, int], list[ComparisonCell | None]] = {}
    rates: dict[tuple[str, str], RateOut] = {}
    for index, code in enumerate(codes):
        seen: dict[tuple[str, str], int] = {}
        for requirement in _rows_for(bundle, code, activity, day):
            topic = (requirement.category, (attributes_of(requirement.require) or ["—"])[0])
            # A jurisdiction's second rule on the same topic (a reduced figure `when` a
            # custodian holds the assets, say) gets a row of its own under the first.
            variant = seen[topic] = seen.get(topic, -1) + 1
            cells = rows.setdefault((*topic, variant), [None] * len(codes))
            cells[index] = _cell(bundle, code, requirement, day, currency, rates)
    ordered = sorted(rows.items(), key=lambda item: item[0])
    return ComparisonResult(
        activity=activity,
        as_of=day,
        currency=currency,
        jurisdictions=codes,
        rows=[
            ComparisonRow(category=c, attribute=a, variant=v, cells=_marked(cells))
            for (c, a, v), cells in ordered
        ],
        fx_rates=[rates[k] for k in sorted(rates)],
        rules_hash=bundle.rules_hash,
        fx_hash=bundle.fx.hash,
    )


def _cell(
    bundle: Bundle,
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
            value, used = bundle.fx.convert(money, currency, day)
            converted = MoneyOut(amount=str(value.amount), currency=value.currency)
            if used is not None:
                rates[(used.source, used.target)] = rate_out(used)
        except EngineError:
            converted = None
    rule = describe(requirement.require)
    if requirement.when is not None:
        rule = f"when {describe(requirement.when)}: {rule}"
    return ComparisonCell(
        jurisdiction=code,
        requirement=requirement.id,
        title=requirement.title,
        rule=rule,
        threshold=own,
        converted=converted,
        bound=_BOUND.get(threshold[0], "") if threshold else "",
        mark="",
        pending=requirement.pending,
        confidence=requirement.confidence,
        citation=bundle.decider.citation(code, requirement.citation),
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
