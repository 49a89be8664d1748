"""Every entry of the operator table (`rulesdsl/ir/ops.py`) is handled by every backend.

Parametrised over `ir.Op` itself, so an operator added to the table is tested here without
a line changed: a one-requirement list is evaluated on the reference evaluator, the fast
path (on its own: it must decide the comparison, not refer it) and durable, at the
threshold and either side of it, and compared with the truth of the Python operator.
"""

from __future__ import annotations

import datetime as dt
import itertools
from decimal import Decimal

import pytest
from ir_build import recorded, requirement

from engine.bundle import load_bundle
from engine.evaluation import reference
from engine.evaluation.backend import Context, Status
from engine.evaluation.durable.backend import DurableBackend
from engine.evaluation.fast import FastBackend
from engine.inputs.money import Money
from engine.inputs.profiles import Value
from rulesdsl import ir

BUNDLE = load_bundle()
VOCABULARY = BUNDLE.ir.vocabulary
MINOR_UNITS = {c.code: c.minor_units for c in VOCABULARY.currencies}
MONEY = [a.name for a in VOCABULARY.attributes if a.type.kind == "money"]
DAY = dt.date(2026, 6, 1)
OPS = list(ir.Op)
ORDERED = [op for op in OPS if op.ordered]
EQUATING = [op for op in OPS if not op.ordered]


def bhd(amount: str) -> ir.MoneyConst:
    return ir.MoneyConst(amount=Decimal(amount), currency="BHD")


def attr(name: str) -> ir.AttrRef:
    return ir.AttrRef(name=name)


def compare(op: ir.Op, left: ir.Expr, right: ir.Expr) -> ir.Comparison:
    return recorded(ir.Comparison(op=op, left=left, right=right))


@pytest.fixture(scope="module")
def durable() -> DurableBackend:
    return DurableBackend(VOCABULARY)


def context(facts: dict[str, Value]) -> Context:
    return Context(facts, DAY, BUNDLE.fx, "BHD", MINOR_UNITS)


def statuses(
    condition: ir.Expr, facts: dict[str, Value], durable: DurableBackend
) -> tuple[Status, Status | None, Status]:
    """(reference, fast on its own, durable) for a one-requirement list."""
    rules = (requirement(condition),)
    fast = FastBackend(MONEY)(rules, context(facts))
    return (
        reference.status(rules[0], context(facts)),
        fast[0],
        durable(rules, context(facts))[0],
    )


def expected(truth: bool) -> Status:
    return "met" if truth else "unmet"


# (attribute, threshold literal, the threshold and values around it as the firm gives them)
ORDERED_CASES = [
    (
        "paid_up_capital",
        bhd("1000"),
        Decimal(1000),
        [Money("BHD", Decimal(v)) for v in ("999.999", "1000", "1000.001")],
    ),
    ("record_retention_years", ir.IntConst(value=5), 5, [4, 5, 6]),
    (
        "cold_storage_min_share",
        ir.PercentConst(value=Decimal(90)),
        Decimal(90),
        [Decimal("89.5"), Decimal(90), Decimal("90.5")],
    ),
]


def plain(value: Value) -> object:
    return value.amount if isinstance(value, Money) else value


@pytest.mark.parametrize("op", OPS, ids=lambda op: op.name)
@pytest.mark.parametrize("case", ORDERED_CASES, ids=lambda case: case[0])
def test_every_operator_on_numbers(
    op: ir.Op, case: tuple[str, ir.Expr, object, list[Value]], durable: DurableBackend
) -> None:
    name, literal, threshold, values = case
    for value in values:
        truth = op.holds(plain(value), threshold)
        facts = {name: value}
        # Attribute on the left, on the right (the mirror), and negated (the negation).
        shapes = [
            (compare(op, attr(name), literal), truth),
            (compare(op.mirror, literal, attr(name)), truth),
            (ir.NotExpr(operand=compare(op, attr(name), literal)), not truth),
        ]
        for condition, holds in shapes:
            found = statuses(condition, facts, durable)
            assert found == (expected(holds),) * 3, (op, value, condition)


@pytest.mark.parametrize("op", OPS, ids=lambda op: op.name)
def test_every_operator_against_an_extremum(op: ir.Op, durable: DurableBackend) -> None:
    """`x op max(BHD 1000, y)`: split per argument (ordered) or compared whole (==, !=)."""
    for kind, capital, funds in itertools.product(("max", "min"), (999, 1000, 1001), (0, 2000)):
        bar = ir.Extremum(kind=kind, args=(bhd("1000"), attr("shareholders_funds")))
        condition = compare(op, attr("paid_up_capital"), bar)
        facts: dict[str, Value] = {
            "paid_up_capital": Money("BHD", Decimal(capital)),
            "shareholders_funds": Money("BHD", Decimal(funds)),
        }
        pick = max if kind == "max" else min
        truth = op.holds(Decimal(capital), pick(Decimal(1000), Decimal(funds)))
        assert statuses(condition, facts, durable) == (expected(truth),) * 3, facts


@pytest.mark.parametrize("op", EQUATING, ids=lambda op: op.name)
def test_equating_operators_on_symbols_and_booleans(op: ir.Op, durable: DurableBackend) -> None:
    symbol = ir.SymbolConst(value="joint_stock_company")
    for form, flag in itertools.product(("joint_stock_company", "public_company"), (True, False)):
        facts: dict[str, Value] = {"legal_form": form, "local_place_of_business": flag}
        on_form = compare(op, attr("legal_form"), symbol)
        truth = op.holds(form, "joint_stock_company")
        assert statuses(on_form, facts, durable) == (expected(truth),) * 3
        on_flag = compare(op, attr("local_place_of_business"), ir.BoolConst(value=True))
        assert statuses(on_flag, facts, durable) == (expected(op.holds(flag, True)),) * 3


@pytest.mark.parametrize("op", ORDERED, ids=lambda op: op.name)
def test_missing_value_is_unknown_and_referred_by_the_fast_path(
    op: ir.Op, durable: DurableBackend
) -> None:
    condition = compare(op, attr("paid_up_capital"), bhd("1000"))
    assert statuses(condition, {}, durable) == ("unknown", None, "unknown")


@pytest.mark.parametrize("op", OPS, ids=lambda op: op.name)
def test_the_table_is_consistent(op: ir.Op) -> None:
    values = [Decimal(1), Decimal(2), Decimal(3)]
    assert op.mirror.mirror is op and op.negation.negation is op
    assert ir.Op(op.symbol) is op  # the IR and the rule language spell it alike
    for a, b in itertools.product(values, values):
        assert op.mirror.holds(b, a) == op.holds(a, b)
        assert op.negation.holds(a, b) == (not op.holds(a, b))
        assert eval(f"a {op.source} b", {}, {"a": a, "b": b}) == op.holds(a, b)
    assert op.strict == (not op.holds(values[0], values[0]))
    assert op.ordered == (op.bound is not None)
    assert (op.durable is None) == (op is ir.Op.EQ)  # durable writes equality bare


def test_ir_json_spells_operators_as_symbols() -> None:
    dumped = compare(ir.Op.GE, attr("paid_up_capital"), bhd("1")).model_dump(mode="json")
    assert dumped["op"] == ">=" and dumped["currency"] == "BHD"
    assert ir.Comparison.model_validate(dumped).op is ir.Op.GE
