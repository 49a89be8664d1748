"""Computed thresholds (`N% of x` above 100 %, `N months of x`): values, gaps, unknowns,
currency conversion, pending figures and the implication prover."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from ir_build import recorded, requirement

from engine.bundle import load_bundle
from engine.decisions.implication import Prover
from engine.evaluation.backend import Context
from engine.evaluation.reference import requirement_status
from engine.inputs.money import Money
from engine.inputs.profiles import LARGEST_AMOUNT, Value
from rulesdsl import ir

BUNDLE = load_bundle()
MINOR_UNITS = {c.code: c.minor_units for c in BUNDLE.ir.vocabulary.currencies}
DAY = dt.date(2026, 6, 1)
FUNDS, COSTS = ir.AttrRef(name="shareholders_funds"), ir.AttrRef(name="annual_fixed_overheads")


def bhd(amount: str) -> Money:
    return Money("BHD", Decimal(amount))


def expenditure_rule(months: int = 18, floor: ir.Expr | None = None) -> ir.Requirement:
    """`shareholders_funds >= max(BHD 250_000, N months of annual_fixed_overheads)`."""
    fixed = floor or ir.MoneyConst(amount=Decimal(250_000), currency="BHD")
    bar = ir.Extremum(kind="max", args=(fixed, ir.MonthsOf(months=months, base=COSTS)))
    return requirement(recorded(ir.Comparison(op=ir.Op.GE, left=FUNDS, right=bar)))


def run(rule: ir.Requirement, facts: dict[str, Value]) -> tuple[str, object]:
    ctx = Context(facts, DAY, BUNDLE.fx, "BHD", MINOR_UNITS)
    return requirement_status(rule, ctx)


def test_months_of_meets_at_exactly_the_computed_bar() -> None:
    status, _ = run(
        expenditure_rule(), {"shareholders_funds": bhd("4500000"), COSTS.name: bhd("250000")}
    )
    assert status == "met"


def test_an_unmet_computed_bar_gives_its_amount_and_exact_shortfall() -> None:
    facts: dict[str, Value] = {"shareholders_funds": bhd("4000000"), COSTS.name: bhd("250000")}
    status, outcome = run(expenditure_rule(), facts)
    assert status == "unmet"
    (gap,) = outcome.gaps  # type: ignore[attr-defined]
    assert gap.amount == bhd("4500000")
    assert gap.shortfall == bhd("500000")


def test_a_missing_base_leaves_the_bar_unknown_for_the_attribute() -> None:
    # Above the fixed floor, so only the computed part can decide.
    status, outcome = run(expenditure_rule(), {"shareholders_funds": bhd("300000")})
    assert status == "unknown"
    assert outcome.missing.attributes == {COSTS.name}  # type: ignore[attr-defined]


def test_a_base_in_a_currency_without_a_rate_is_unknown_for_the_rate() -> None:
    facts: dict[str, Value] = {
        "shareholders_funds": bhd("300000"),
        COSTS.name: Money("PKR", Decimal("1000")),
    }
    status, outcome = run(expenditure_rule(), facts)
    assert status == "unknown"
    assert outcome.missing.rates  # type: ignore[attr-defined]


def test_a_base_in_another_currency_is_converted_before_multiplying() -> None:
    usd = Money("USD", Decimal("1000000"))
    converted = BUNDLE.fx.convert(usd, "BHD", DAY)[0]
    enough = Money("BHD", converted.amount * 18)
    facts: dict[str, Value] = {"shareholders_funds": enough, COSTS.name: usd}
    assert run(expenditure_rule(), facts)[0] == "met"
    short = Money("BHD", enough.amount - Decimal("0.01"))
    assert run(expenditure_rule(), {**facts, "shareholders_funds": short})[0] == "unmet"


def test_a_pending_floor_beside_a_failed_computed_part_is_a_lower_bound() -> None:
    rule = expenditure_rule(floor=ir.PendingConst(type="money", currency="BHD"))
    facts: dict[str, Value] = {"shareholders_funds": bhd("100"), COSTS.name: bhd("250000")}
    status, outcome = run(rule, facts)
    assert status == "unmet"
    (gap,) = outcome.gaps  # type: ignore[attr-defined]
    assert gap.lower_bound and gap.shortfall is None
    met = {**facts, "shareholders_funds": bhd("4500000")}
    assert run(rule, met)[0] == "unknown"  # the computed part holds; the pending one decides


def test_a_share_above_100_percent_multiplies() -> None:
    bar = ir.PercentOf(percent=Decimal(150), base=COSTS)
    rule = requirement(recorded(ir.Comparison(op=ir.Op.GE, left=FUNDS, right=bar)))
    facts: dict[str, Value] = {COSTS.name: bhd("1000")}
    assert run(rule, {**facts, "shareholders_funds": bhd("1500")})[0] == "met"
    assert run(rule, {**facts, "shareholders_funds": bhd("1499.99")})[0] == "unmet"


def test_the_prover_reads_months_as_a_multiple_and_proves_only_what_follows() -> None:
    prover = Prover(BUNDLE.fx, DAY)
    home = expenditure_rule(months=18)
    floor_only = ir.Comparison(
        op=ir.Op.GE, left=FUNDS, right=ir.MoneyConst(amount=Decimal(250_000), currency="BHD")
    )
    fewer = ir.Comparison(op=ir.Op.GE, left=FUNDS, right=ir.MonthsOf(months=12, base=COSTS))
    more = ir.Comparison(op=ir.Op.GE, left=FUNDS, right=ir.MonthsOf(months=24, base=COSTS))
    assert prover.implied(floor_only, [home]) == [home]
    assert prover.implied(fewer, [home]) == [home]
    assert prover.implied(more, [home]) is None


def test_the_largest_figure_times_the_largest_factor_is_decided_exactly() -> None:
    """A profile's amounts stay below 10^18 and the checker caps the factor at 10,000
    (E243): the product is exact, and a firm one minor unit short is unmet, not an error."""
    largest = LARGEST_AMOUNT - Decimal("0.01")
    bar = ir.PercentOf(percent=Decimal(1_000_000), base=COSTS)
    rule = requirement(recorded(ir.Comparison(op=ir.Op.GE, left=FUNDS, right=bar)))
    need = largest * 10_000
    facts: dict[str, Value] = {COSTS.name: bhd(str(largest)), "shareholders_funds": bhd(str(need))}
    status, _ = run(rule, facts)
    assert status == "met"
    short = {**facts, "shareholders_funds": bhd(str(need - Decimal("0.001")))}
    status, outcome = run(rule, short)
    assert status == "unmet"
    assert outcome.gaps[0].shortfall == bhd("0.001")  # type: ignore[attr-defined]
