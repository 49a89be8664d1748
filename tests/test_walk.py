"""The exhaustive IR walk, what lowering records with it, and the explanation memo keyed on
what a requirement reads (`Requirement.reads`)."""

from __future__ import annotations

import datetime as dt
import typing
from decimal import Decimal

import pytest
from ir_build import recorded, requirement

from engine.bundle import load_bundle
from engine.evaluation.backend import Context
from engine.evaluation.memo import ExplanationMemo
from engine.evaluation.reference import requirement_status
from engine.inputs.money import Money
from engine.inputs.profiles import Value
from rulesdsl import ir
from rulesdsl.ir.walk import attributes_read, children, nodes

BUNDLE = load_bundle()
MINOR_UNITS = {c.code: c.minor_units for c in BUNDLE.ir.vocabulary.currencies}
DAY = dt.date(2026, 6, 1)


def expr_classes() -> set[type[ir.IrModel]]:
    """Every member of the `ir.Expr` union, read from the annotation itself."""
    union = typing.get_args(ir.Expr)[0]
    return set(typing.get_args(union))


def attr(name: str) -> ir.AttrRef:
    return ir.AttrRef(name=name)


A, B, C = attr("a"), attr("b"), attr("c")
SAMPLES: dict[type[ir.IrModel], tuple[ir.Expr, tuple[ir.Expr, ...]]] = {
    ir.AttrRef: (A, ()),
    ir.MoneyConst: (ir.MoneyConst(amount=Decimal(1), currency="BHD"), ()),
    ir.PercentConst: (ir.PercentConst(value=Decimal(1)), ()),
    ir.IntConst: (ir.IntConst(value=1), ()),
    ir.BoolConst: (ir.BoolConst(value=True), ()),
    ir.DateConst: (ir.DateConst(value=DAY), ()),
    ir.SymbolConst: (ir.SymbolConst(value="x"), ()),
    ir.SetConst: (ir.SetConst(values=("x",)), ()),
    ir.PendingConst: (ir.PendingConst(type="integer"), ()),
    ir.Unstated: (ir.Unstated(text="whether it applies"), ()),
    ir.Extremum: (ir.Extremum(kind="max", args=(A, B, C)), (A, B, C)),
    ir.PercentOf: (ir.PercentOf(percent=Decimal(5), base=A), (A,)),
    ir.MonthsOf: (ir.MonthsOf(months=18, base=A), (A,)),
    ir.PersonField: (ir.PersonField(name="residence"), ()),
    ir.Count: (ir.Count(of=A, where=B), (A, B)),
    ir.Comparison: (ir.Comparison(op=ir.Op.GE, left=A, right=B), (A, B)),
    ir.Membership: (ir.Membership(item=A, collection=B), (A, B)),
    ir.SubsetOf: (ir.SubsetOf(left=A, right=B), (A, B)),
    ir.ContainsItem: (ir.ContainsItem(collection=A, item=B), (A, B)),
    ir.NotExpr: (ir.NotExpr(operand=A), (A,)),
    ir.AllOf: (ir.AllOf(operands=(A, B, C)), (A, B, C)),
    ir.AnyOf: (ir.AnyOf(operands=(A, B, C)), (A, B, C)),
}


def test_every_expression_class_has_a_sample() -> None:
    assert set(SAMPLES) == expr_classes()


@pytest.mark.parametrize("cls", sorted(SAMPLES, key=lambda c: c.__name__), ids=lambda c: c.__name__)
def test_children_cover_every_node_kind(cls: type[ir.IrModel]) -> None:
    """`children` gives exactly the sub-expressions the model holds, in field order."""
    sample, wanted = SAMPLES[cls]
    assert isinstance(sample, cls)
    assert children(sample) == wanted
    held: list[object] = []
    for name in type(sample).model_fields:
        value = getattr(sample, name)
        items = value if isinstance(value, tuple) else (value,)
        held += [item for item in items if isinstance(item, tuple(expr_classes()))]
    assert list(children(sample)) == held


def test_nodes_and_attributes_read_in_first_use_order() -> None:
    expr = ir.AllOf(
        operands=(
            ir.Comparison(op=ir.Op.GE, left=B, right=ir.PercentOf(percent=Decimal(1), base=A)),
            ir.NotExpr(operand=ir.Membership(item=C, collection=ir.SetConst(values=()))),
            B,
        )
    )
    kinds = [node.kind for node in nodes(expr)]
    assert kinds == [
        "and",
        "compare",
        "attr",
        "percent_of",
        "attr",
        "not",
        "in",
        "attr",
        "set",
        "attr",
    ]
    assert attributes_read(None, expr, A) == ("b", "a", "c")


def test_lowering_records_reads_and_comparison_currencies() -> None:
    seen_currency = False
    for jurisdiction in BUNDLE.ir.jurisdictions:
        for rule in jurisdiction.requirements:
            assert rule.reads == attributes_read(rule.when, rule.require), rule.id
            for node in [*nodes(rule.when), *nodes(rule.require)]:
                if isinstance(node, ir.Comparison) and node.currency is not None:
                    written = [
                        n.currency
                        for n in nodes(node)
                        if isinstance(n, ir.MoneyConst | ir.PendingConst) and n.currency
                    ]
                    wanted = written[0] if written else jurisdiction.currency
                    assert node.currency == wanted, rule.id
                    seen_currency = True
    assert seen_currency


# ---- the explanation memo ------------------------------------------------------------------

CAPITAL = attr("paid_up_capital")
FUNDS = attr("shareholders_funds")
PLACE = attr("local_place_of_business")
FORM = attr("legal_form")
PERSONS = attr("resident_key_persons")


def bhd(amount: int) -> Money:
    return Money("BHD", Decimal(amount))


def ge(left: ir.Expr, right: ir.Expr) -> ir.Comparison:
    return recorded(ir.Comparison(op=ir.Op.GE, left=left, right=right))


ONE = ir.MoneyConst(amount=Decimal(1), currency="BHD")
BASE: dict[str, Value] = {"paid_up_capital": bhd(200)}
# Each condition reads its second attribute only through one node kind; the two firms
# differ only in that attribute, and their statuses differ.
NESTED: dict[str, tuple[ir.Expr, ir.Expr | None, dict[str, Value], dict[str, Value]]] = {
    "extremum": (
        ge(CAPITAL, ir.Extremum(kind="max", args=(ONE, FUNDS))),
        None,
        {"shareholders_funds": bhd(50)},
        {"shareholders_funds": bhd(500)},
    ),
    "percent_of": (
        ge(CAPITAL, ir.PercentOf(percent=Decimal(50), base=FUNDS)),
        None,
        {"shareholders_funds": bhd(100)},
        {"shareholders_funds": bhd(1000)},
    ),
    "months_of": (
        ge(CAPITAL, ir.MonthsOf(months=3, base=FUNDS)),
        None,
        {"shareholders_funds": bhd(10)},
        {"shareholders_funds": bhd(1000)},
    ),
    "not": (ir.NotExpr(operand=PLACE), None, {PLACE.name: False}, {PLACE.name: True}),
    "and": (ir.AllOf(operands=(ge(CAPITAL, ONE), PLACE)), None, {PLACE.name: True}, {}),
    "or": (
        ir.AnyOf(operands=(ge(ONE, CAPITAL), PLACE)),
        None,
        {PLACE.name: True},
        {PLACE.name: False},
    ),
    "in": (
        ir.Membership(item=FORM, collection=ir.SetConst(values=("public_company",))),
        None,
        {FORM.name: "public_company"},
        {FORM.name: "joint_stock_company"},
    ),
    "contains": (
        ir.ContainsItem(collection=PERSONS, item=ir.SymbolConst(value="ceo")),
        None,
        {PERSONS.name: frozenset({"ceo"})},
        {PERSONS.name: frozenset()},
    ),
    "subset": (
        ir.SubsetOf(left=ir.SetConst(values=("ceo",)), right=PERSONS),
        None,
        {PERSONS.name: frozenset({"ceo", "mlro"})},
        {PERSONS.name: frozenset({"mlro"})},
    ),
    "when": (ge(CAPITAL, ONE), ir.NotExpr(operand=PLACE), {PLACE.name: False}, {PLACE.name: True}),
}


def context(facts: dict[str, Value], memo: ExplanationMemo | None) -> Context:
    return Context({**BASE, **facts}, DAY, BUNDLE.fx, "BHD", MINOR_UNITS, memo=memo)


@pytest.mark.parametrize("shape", sorted(NESTED))
def test_firms_differing_in_a_nested_attribute_never_share_a_status(shape: str) -> None:
    require, when, first, second = NESTED[shape]
    rule = requirement(require, when)
    alone = [requirement_status(rule, context(facts, None))[0] for facts in (first, second)]
    assert alone[0] != alone[1]  # the firms do differ
    memo = ExplanationMemo()
    shared = [requirement_status(rule, context(facts, memo))[0] for facts in (first, second)]
    assert shared == alone
    again = [requirement_status(rule, context(facts, memo))[0] for facts in (first, second)]
    assert again == alone  # and the remembered outcomes are found again, each its own
