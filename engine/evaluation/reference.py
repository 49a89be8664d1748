"""The reference evaluator: three-valued (Kleene) logic over the IR, with explanations.

Every condition evaluates to true, false or unknown. Unknown arises from a missing
attribute or a `pending` threshold, and propagates as Kleene logic says: `false and
unknown` is false, `true or unknown` is true. A false comparison yields a `Gap` saying what
was required, what the firm has and, for amounts, the shortfall in the requirement's
currency. The compiled fast path (`engine.evaluation.fast`) must agree with this module on every
status; this module also produces the explanations.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Literal

from engine.errors import EngineError
from engine.evaluation.explanations import CONSTANTS, Gap, Missing, make_gap, show, subject
from engine.evaluation.memo import ExplanationMemo
from engine.inputs.fx import FxBook, RateUsed
from engine.inputs.money import Money
from engine.inputs.profiles import Value
from rulesdsl import ir

Truth = bool | None
Status = Literal["met", "unmet", "unknown", "not_applicable"]
ComparisonOp = Literal["ge", "gt", "le", "lt", "eq", "ne"]


@dataclass
class Outcome:
    """A condition's truth value and what explains it."""

    value: Truth
    missing: Missing = field(default_factory=Missing)
    gaps: list[Gap] = field(default_factory=list)


@dataclass
class Context:
    """What one evaluation needs: the facts, the date, FX, and the default currency."""

    facts: Mapping[str, Value]
    as_of: dt.date
    fx: FxBook
    currency: str
    minor_units: Mapping[str, int]
    rates: set[RateUsed] = field(default_factory=set)
    # Outcomes already worked out in this question, by requirement identity, so that a
    # requirement the fast path handed over is not evaluated twice for its explanation.
    explained: dict[int, tuple[Status, Outcome]] = field(default_factory=dict)
    # Across questions: outcomes keyed by exactly the inputs they depend on (optional).
    memo: ExplanationMemo | None = None

    def convert(self, money: Money, target: str) -> Money | Missing:
        """`money` in `target`; Missing when the FX table has no rate for the pair, so the
        comparison is unknown rather than the whole question failing."""
        try:
            converted, used = self.fx.convert(money, target, self.as_of)
        except EngineError:
            return Missing(rates=frozenset({f"{money.currency}→{target}"}))
        if used is not None:
            self.rates.add(used)
        return converted


Operand = Value | Missing


def comparison_currency(expr: ir.Expr, default: str) -> str:
    """The currency a money comparison is made in: its first money literal's, else `default`."""
    found = _first_currency(expr)
    return found or default


def _first_currency(expr: ir.Expr) -> str | None:
    match expr:
        case ir.MoneyConst(currency=currency):
            return currency
        case ir.PendingConst(currency=currency) if currency:
            return currency
        case ir.Comparison(left=left, right=right):
            return _first_currency(left) or _first_currency(right)
        case ir.Extremum(args=args):
            return next((c for c in map(_first_currency, args) if c), None)
        case ir.PercentOf(base=base):
            return _first_currency(base)
    return None


# ---- values -------------------------------------------------------------------------------


def value(expr: ir.Expr, ctx: Context, currency: str) -> Operand:
    """The value of an operand; money is converted into `currency`."""
    match expr:
        case ir.AttrRef(name=name):
            found = ctx.facts.get(name)
            if found is None:
                return Missing(frozenset({name}))
            return ctx.convert(found, currency) if isinstance(found, Money) else found
        case ir.MoneyConst(amount=amount, currency=own):
            return ctx.convert(Money(own, amount), currency)
        case ir.PercentConst(value=number):
            return number
        case ir.IntConst(value=number):
            return number
        case ir.BoolConst(value=flag):
            return flag
        case ir.DateConst(value=day):
            return day
        case ir.SymbolConst(value=symbol):
            return symbol
        case ir.SetConst(values=values):
            return frozenset(values)
        case ir.PendingConst():
            return Missing(pending=True)
        case ir.Extremum(kind=kind, args=args):
            return _extremum(kind, [value(arg, ctx, currency) for arg in args])
        case ir.PercentOf(percent=share, base=base):
            whole = value(base, ctx, currency)
            if isinstance(whole, Money):
                return Money(whole.currency, whole.amount * share / 100)
            return whole
    raise TypeError(f"not an operand: {expr.kind}")


def _extremum(kind: str, values: list[Operand]) -> Operand:
    missing = _missing_of(*values)
    if missing is not None:
        return missing
    pick = max if kind == "max" else min
    return pick(values)  # type: ignore[type-var]


# ---- conditions ---------------------------------------------------------------------------


def evaluate(expr: ir.Expr, ctx: Context) -> Outcome:
    """The three-valued truth of a condition, with gaps and missing attributes."""
    rule = _CONDITIONS.get(expr.kind)
    if rule is not None:
        return rule(expr, ctx)
    operand = value(expr, ctx, ctx.currency)  # a bare boolean attribute
    if isinstance(operand, Missing):
        return Outcome(None, operand)
    if operand is True:
        return Outcome(True)
    name = expr.name if isinstance(expr, ir.AttrRef) else expr.kind
    return Outcome(False, gaps=[Gap(name, "true", "false")])


def _all(expr: ir.Expr, ctx: Context) -> Outcome:
    assert isinstance(expr, ir.AllOf)
    parts = [evaluate(op, ctx) for op in expr.operands]
    if any(p.value is False for p in parts):
        return Outcome(False, gaps=[g for p in parts if p.value is False for g in p.gaps])
    return _merge(parts, None if any(p.value is None for p in parts) else True)


def _any(expr: ir.Expr, ctx: Context) -> Outcome:
    assert isinstance(expr, ir.AnyOf)
    parts = [evaluate(op, ctx) for op in expr.operands]
    if any(p.value is True for p in parts):
        return Outcome(True)
    if any(p.value is None for p in parts):
        return _merge(parts, None)
    return Outcome(False, gaps=[g for p in parts for g in p.gaps])


def _combine(parts: list[Outcome], every: bool) -> Outcome:
    """Kleene conjunction (every) or disjunction of already evaluated parts."""
    decisive = not every  # the value that settles it: false for "and", true for "or"
    if any(p.value is decisive for p in parts):
        gaps = [g for p in parts if p.value is False for g in p.gaps]
        return Outcome(decisive, gaps=gaps if not decisive else [])
    if any(p.value is None for p in parts):
        return _merge(parts, None)
    return Outcome(not decisive, gaps=[g for p in parts for g in p.gaps] if every is False else [])


def _merge(parts: list[Outcome], truth: Truth) -> Outcome:
    missing = Missing()
    for part in parts:
        missing = missing | part.missing
    return Outcome(truth, missing)


def _not(expr: ir.Expr, ctx: Context) -> Outcome:
    assert isinstance(expr, ir.NotExpr)
    inner = evaluate(expr.operand, ctx)
    if inner.value is None:
        return inner
    if inner.value:
        return Outcome(False, gaps=[Gap(subject(expr.operand), "must not hold", "holds")])
    return Outcome(True)


_ORDER: Mapping[str, Callable[[object, object], bool]] = {
    "ge": lambda a, b: a >= b,  # type: ignore[operator]
    "gt": lambda a, b: a > b,  # type: ignore[operator]
    "le": lambda a, b: a <= b,  # type: ignore[operator]
    "lt": lambda a, b: a < b,  # type: ignore[operator]
    "eq": lambda a, b: a == b,
    "ne": lambda a, b: a != b,
}
_MIRROR: Mapping[str, ComparisonOp] = {
    "ge": "le",
    "gt": "lt",
    "le": "ge",
    "lt": "gt",
    "eq": "eq",
    "ne": "ne",
}


def _compare(expr: ir.Expr, ctx: Context) -> Outcome:
    assert isinstance(expr, ir.Comparison)
    return _compare_in(expr, ctx, comparison_currency(expr, ctx.currency))


def expand_extremum(expr: ir.Comparison) -> ir.Expr | None:
    """`x >= max(a, b)` as `x >= a and x >= b` (and the other orderings likewise), so
    that a missing `b` leaves the answer unknown only when `a` does not already decide it."""
    op, left, right = expr.op, expr.left, expr.right
    if isinstance(left, ir.Extremum) and not isinstance(right, ir.Extremum):
        op, left, right = _MIRROR[op], right, left
    if not isinstance(right, ir.Extremum) or op not in ("ge", "gt", "le", "lt"):
        return None
    parts = tuple(ir.Comparison(op=op, left=left, right=arg) for arg in right.args)
    every = (right.kind == "max") == (op in ("ge", "gt"))
    return ir.AllOf(operands=parts) if every else ir.AnyOf(operands=parts)


def _compare_in(expr: ir.Comparison, ctx: Context, currency: str) -> Outcome:
    expanded = expand_extremum(expr)
    if expanded is not None:
        parts = [_compare_in(p, ctx, currency) for p in expanded.operands]  # type: ignore[union-attr, arg-type]
        return _combine(parts, every=isinstance(expanded, ir.AllOf))
    left, right = value(expr.left, ctx, currency), value(expr.right, ctx, currency)
    missing = _missing_of(left, right)
    if missing is not None:
        if missing.pending:  # name what the unpublished figure is for
            missing = missing | Missing(pending_for=frozenset({subject(expr)}))
        return Outcome(None, missing)
    if _ORDER[expr.op](left, right):
        return Outcome(True)
    # Explain from the firm's side: the attribute on the left, the requirement on the right.
    op: str = expr.op
    firm, bar = left, right
    if isinstance(expr.left, CONSTANTS) and not isinstance(expr.right, CONSTANTS):
        op, firm, bar = _MIRROR[expr.op], right, left
    return Outcome(False, gaps=[make_gap(subject(expr), op, firm, bar, ctx.minor_units)])


def _missing_of(*operands: Operand) -> Missing | None:
    """What the operands lack together, or None when every one has a value."""
    lacking = [o for o in operands if isinstance(o, Missing)]
    if not lacking:
        return None
    combined = Missing()
    for item in lacking:
        combined = combined | item
    return combined


def _membership(expr: ir.Expr, ctx: Context) -> Outcome:
    assert isinstance(expr, ir.Membership)
    return _element_test(expr, expr.item, expr.collection, ctx)


def _contains(expr: ir.Expr, ctx: Context) -> Outcome:
    assert isinstance(expr, ir.ContainsItem)
    return _element_test(expr, expr.item, expr.collection, ctx)


def _element_test(expr: ir.Expr, item_expr: ir.Expr, set_expr: ir.Expr, ctx: Context) -> Outcome:
    """`item in collection` and `collection contains item`: one test, two explanations
    (the attribute is the item in the first, the collection in the second)."""
    item, collection = value(item_expr, ctx, ctx.currency), value(set_expr, ctx, ctx.currency)
    missing = _missing_of(item, collection)
    if missing is not None:
        return Outcome(None, missing)
    assert isinstance(collection, frozenset)
    if item in collection:
        return Outcome(True)
    if isinstance(expr, ir.Membership):
        gap = Gap(subject(expr), f"one of {show(collection)}", show(item))
    else:
        lacking = (str(item),)
        gap = Gap(subject(expr), f"includes {show(item)}", show(collection), missing_items=lacking)
    return Outcome(False, gaps=[gap])


def _subset(expr: ir.Expr, ctx: Context) -> Outcome:
    assert isinstance(expr, ir.SubsetOf)
    left, right = value(expr.left, ctx, ctx.currency), value(expr.right, ctx, ctx.currency)
    missing = _missing_of(left, right)
    if missing is not None:
        return Outcome(None, missing)
    assert isinstance(left, frozenset) and isinstance(right, frozenset)
    if left <= right:
        return Outcome(True)
    lacking = tuple(sorted(left - right))
    gap = Gap(subject(expr), f"includes {show(left)}", show(right), missing_items=lacking)
    return Outcome(False, gaps=[gap])


_CONDITIONS: Mapping[str, Callable[[ir.Expr, Context], Outcome]] = {
    "and": _all,
    "or": _any,
    "not": _not,
    "compare": _compare,
    "in": _membership,
    "subset": _subset,
    "contains": _contains,
}


def requirement_status(requirement: ir.Requirement, ctx: Context) -> tuple[Status, Outcome]:
    """A requirement's status for the facts in `ctx` (applicability included)."""
    found = ctx.explained.get(id(requirement))
    if found is None:
        found = ctx.explained[id(requirement)] = _remembered(requirement, ctx)
    return found


def _remembered(requirement: ir.Requirement, ctx: Context) -> tuple[Status, Outcome]:
    if ctx.memo is None:
        return _requirement_status(requirement, ctx)
    key = ctx.memo.key(requirement, ctx.as_of, ctx.currency, ctx.facts)
    entry = ctx.memo.get(key)
    if entry is not None:
        status, outcome, rates = entry
        ctx.rates |= rates
        return status, outcome
    before, ctx.rates = ctx.rates, set()
    try:
        status, outcome = _requirement_status(requirement, ctx)
        ctx.memo.put(key, (status, outcome, frozenset(ctx.rates)))
    finally:
        ctx.rates = before | ctx.rates
    return status, outcome


def _requirement_status(requirement: ir.Requirement, ctx: Context) -> tuple[Status, Outcome]:
    if requirement.when is not None:
        applies = evaluate(requirement.when, ctx)
        if applies.value is False:
            return "not_applicable", applies
        if applies.value is None:
            return "unknown", applies
    outcome = evaluate(requirement.require, ctx)
    status: Status = {True: "met", False: "unmet", None: "unknown"}[outcome.value]  # type: ignore[assignment]
    return status, outcome
