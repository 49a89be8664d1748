"""The reference evaluator: three-valued (Kleene) logic over the IR, with explanations.

Every condition evaluates to true, false or unknown. Unknown arises from a missing
attribute or a `pending` threshold, and propagates as Kleene logic says: `false and
unknown` is false, `true or unknown` is true. A false comparison yields a `Gap` saying what
was required, what the firm has and, for amounts against an inclusive bound, the shortfall
in the requirement's currency. A pending figure is never compared: a conjunction that fails
a known part while a pending part is undecided is false, and its gaps on the attribute the
pending figure bounds are lower bounds, with no shortfall (`_failed_conjunction`). The
compiled fast path (`engine.evaluation.fast`) must agree with this module on every status;
this module also produces the explanations.
"""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import replace
from typing import assert_never

from engine.evaluation.backend import Context, Status
from engine.evaluation.counting import actual_words, passing, required_words
from engine.evaluation.explanations import (
    CONSTANTS,
    Gap,
    Missing,
    Outcome,
    Truth,
    make_gap,
    show,
    subject,
)
from engine.inputs.money import Money
from engine.inputs.profiles import Value
from rulesdsl import ir
from rulesdsl.ir.ops import extremum_function
from rulesdsl.ir.semantics import expand_extremum

__all__ = ["Context", "Outcome", "Status", "evaluate", "requirement_status", "status", "value"]

Operand = Value | Missing


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
        case ir.Unstated(text=text):
            return Missing(unstated=frozenset({text}))
        case ir.Count(of=ir.AttrRef(name=name)):
            listed = ctx.facts.get(name)
            return Missing(frozenset({name})) if listed is None else len(passing(expr, listed))
        case ir.PersonField():
            raise TypeError("a person's field is read only inside count()")
        case ir.Extremum(kind=kind, args=args):
            return _extremum(kind, [value(arg, ctx, currency) for arg in args])
        case ir.PercentOf(percent=share, base=base):
            whole = value(base, ctx, currency)
            if isinstance(whole, Money):
                return Money(whole.currency, whole.amount * share / 100)
            return whole
        case ir.MonthsOf(months=months, base=base):
            monthly = value(base, ctx, currency)
            if isinstance(monthly, Money):
                return Money(monthly.currency, monthly.amount * months)
            return monthly
        case (
            ir.Comparison()
            | ir.Membership()
            | ir.SubsetOf()
            | ir.ContainsItem()
            | ir.NotExpr()
            | ir.AllOf()
            | ir.AnyOf()
        ):
            raise TypeError(f"not an operand: {expr.kind}")
        case _:
            assert_never(expr)


def _extremum(kind: ir.Extreme, values: list[Operand]) -> Operand:
    missing = _missing_of(*values)
    if missing is not None:
        return missing
    return extremum_function(kind)(values)  # type: ignore[no-any-return]


# ---- conditions ---------------------------------------------------------------------------


def evaluate(expr: ir.Expr, ctx: Context) -> Outcome:
    """The three-valued truth of a condition, with gaps and missing attributes."""
    match expr:
        case ir.AllOf():
            return _all(expr, ctx)
        case ir.AnyOf():
            return _any(expr, ctx)
        case ir.NotExpr():
            return _not(expr, ctx)
        case ir.Comparison():
            return _compare_in(expr, ctx, expr.currency_or(ctx.currency))
        case ir.Membership() | ir.ContainsItem():
            return _element_test(expr, expr.item, expr.collection, ctx)
        case ir.SubsetOf():
            return _subset(expr, ctx)
        case (
            ir.AttrRef()
            | ir.MoneyConst()
            | ir.PercentConst()
            | ir.IntConst()
            | ir.BoolConst()
            | ir.DateConst()
            | ir.SymbolConst()
            | ir.SetConst()
            | ir.PendingConst()
            | ir.Unstated()
            | ir.Extremum()
            | ir.PercentOf()
            | ir.MonthsOf()
            | ir.Count()
            | ir.PersonField()
        ):
            return _bare(expr, ctx)
        case _:
            assert_never(expr)


def _bare(expr: ir.Expr, ctx: Context) -> Outcome:
    """An operand used as a condition: a boolean attribute (or constant)."""
    operand = value(expr, ctx, ctx.currency)
    if isinstance(operand, Missing):
        return Outcome(None, operand)
    if operand is True:
        return Outcome(True)
    name = expr.name if isinstance(expr, ir.AttrRef) else expr.kind
    return Outcome(False, gaps=[Gap(name, "==", "true", "false")])


def _all(expr: ir.AllOf, ctx: Context) -> Outcome:
    return _combine([evaluate(op, ctx) for op in expr.operands], every=True)


def _failed_conjunction(parts: list[Outcome]) -> Outcome:
    """A false conjunction: the gaps of its false parts. A gap on an attribute that an
    undecided part compares with a pending figure is a lower bound: the unpublished figure
    can only add to what the firm needs (`> MYR 5m and >= pending`)."""
    raised: frozenset[str] = frozenset()
    for part in parts:
        if part.value is None:
            raised |= part.missing.raised
    gaps = [
        replace(gap, lower_bound=True, shortfall=None) if gap.attribute in raised else gap
        for part in parts
        if part.value is False
        for gap in part.gaps
    ]
    return Outcome(False, gaps=gaps)


def _any(expr: ir.AnyOf, ctx: Context) -> Outcome:
    return _combine([evaluate(op, ctx) for op in expr.operands], every=False)


def _combine(parts: list[Outcome], every: bool) -> Outcome:
    """Kleene conjunction (every) or disjunction of already evaluated parts."""
    decisive = not every  # the value that settles it: false for "and", true for "or"
    if any(p.value is decisive for p in parts):
        return Outcome(True) if decisive else _failed_conjunction(parts)
    if any(p.value is None for p in parts):
        return _merge(parts, None)
    # Every part holds (and) or every part fails (or: each failure explains the whole).
    return Outcome(not decisive, gaps=[] if every else [g for p in parts for g in p.gaps])


def _merge(parts: list[Outcome], truth: Truth) -> Outcome:
    missing = Missing()
    for part in parts:
        missing = missing | part.missing
    return Outcome(truth, missing)


def _not(expr: ir.NotExpr, ctx: Context) -> Outcome:
    inner = evaluate(expr.operand, ctx)
    if inner.value is None:
        return inner
    if inner.value:
        return Outcome(False, gaps=[Gap(subject(expr.operand), "not", "holds", "holds")])
    return Outcome(True)


def _compare_in(expr: ir.Comparison, ctx: Context, currency: str) -> Outcome:
    expanded = expand_extremum(expr)
    if expanded is not None:
        split = [p for p in expanded.operands if isinstance(p, ir.Comparison)]
        parts = [_compare_in(p, ctx, currency) for p in split]
        return _combine(parts, every=isinstance(expanded, ir.AllOf))
    left, right = value(expr.left, ctx, currency), value(expr.right, ctx, currency)
    missing = _missing_of(left, right)
    if missing is not None:
        if missing.pending:  # name what the unpublished figure bounds, and its currency
            figure = next(
                (o for o in (expr.left, expr.right) if isinstance(o, ir.PendingConst)), None
            )
            about = frozenset({(subject(expr), figure.currency if figure else None)})
            missing = missing | Missing(pending_for=about)
        return Outcome(None, missing)
    if expr.op.holds(left, right):
        return Outcome(True)
    if isinstance(expr.left, ir.Count) or isinstance(expr.right, ir.Count):
        return Outcome(False, gaps=[_count_gap(expr, left, right, ctx)])
    # Explain from the firm's side: the attribute on the left, the requirement on the right.
    op, firm, bar, bar_expr = expr.op, left, right, expr.right
    if isinstance(expr.left, CONSTANTS) and not isinstance(expr.right, CONSTANTS):
        op, firm, bar, bar_expr = expr.op.mirror, right, left, expr.left
    computed = _computation(bar_expr, ctx, currency)
    gap = make_gap(subject(expr), op, firm, bar, ctx.minor_units, computed=computed)
    return Outcome(False, gaps=[gap])


def _count_gap(expr: ir.Comparison, left: Operand, right: Operand, ctx: Context) -> Gap:
    """A failed comparison of a count: what it must reach, and who the firm has that it
    counts (`needs at least 2 persons resident in AE …; has 1: Ms X (ceo)`)."""
    op, count, firm, bar = expr.op, expr.left, left, right
    if not isinstance(count, ir.Count):
        op, count, firm, bar = expr.op.mirror, expr.right, right, left
    assert isinstance(count, ir.Count)
    listed = ctx.facts[count.of.name]
    gap = make_gap(count.of.name, op, firm, bar, ctx.minor_units)
    return replace(
        gap,
        required=required_words(count, bar, isinstance(listed, tuple)),
        actual=actual_words(passing(count, listed)),
    )


def _computation(expr: ir.Expr, ctx: Context, currency: str) -> str | None:
    """How a computed bar was worked out, with the firm's figures: `18 months of USD
    250,000` (the base in the comparison's currency); None for a bar that is not computed."""
    match expr:
        case ir.PercentOf(percent=share, base=base):
            how = f"{share}% of"
        case ir.MonthsOf(months=months, base=base):
            how = f"{months} months of"
        case _:
            return None
    return f"{how} {show(value(base, ctx, currency))}"


def _missing_of(*operands: Operand) -> Missing | None:
    """What the operands lack together, or None when every one has a value."""
    lacking = [o for o in operands if isinstance(o, Missing)]
    if not lacking:
        return None
    if len(lacking) == 1:  # the common case: nothing to combine (a Missing is immutable)
        return lacking[0]
    combined = Missing()
    for item in lacking:
        combined = combined | item
    return combined


def _element_test(
    expr: ir.Membership | ir.ContainsItem, item_expr: ir.Expr, set_expr: ir.Expr, ctx: Context
) -> Outcome:
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
        gap = Gap(subject(expr), "in", show(collection), show(item))
    else:
        lacking = (str(item),)
        gap = Gap(subject(expr), "includes", show(item), show(collection), missing_items=lacking)
    return Outcome(False, gaps=[gap])


def _subset(expr: ir.SubsetOf, ctx: Context) -> Outcome:
    left, right = value(expr.left, ctx, ctx.currency), value(expr.right, ctx, ctx.currency)
    missing = _missing_of(left, right)
    if missing is not None:
        return Outcome(None, missing)
    assert isinstance(left, frozenset) and isinstance(right, frozenset)
    if left <= right:
        return Outcome(True)
    lacking = tuple(sorted(left - right))
    gap = Gap(subject(expr), "includes", show(left), show(right), missing_items=lacking)
    return Outcome(False, gaps=[gap])


def status(requirement: ir.Requirement, ctx: Context) -> Status:
    """A requirement's status alone: the `Referee` other backends refer to."""
    return requirement_status(requirement, ctx)[0]


def requirement_status(requirement: ir.Requirement, ctx: Context) -> tuple[Status, Outcome]:
    """A requirement's status for the facts in `ctx` (applicability included)."""
    found = ctx.explained.get(id(requirement))
    if found is not None:
        return found
    memo = ctx.memo
    key = None
    if memo is not None:
        key = memo.key(requirement, ctx.as_of, ctx.currency, ctx.facts)
        entry = memo.get(key)
        if entry is not None:
            status, outcome, rates = entry
            if rates:
                ctx.rates |= rates
            found = ctx.explained[id(requirement)] = (status, outcome)
            return found
    found = ctx.explained[id(requirement)] = _remembered(requirement, ctx, key)
    return found


def _remembered(requirement: ir.Requirement, ctx: Context, key: Hashable) -> tuple[Status, Outcome]:
    """Evaluate, and remember the outcome under `key` (the memo's, worked out by the caller)."""
    if ctx.memo is None:
        return _requirement_status(requirement, ctx)
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
            return "unknown", Outcome(None, applies.missing, applicability=True)
    outcome = evaluate(requirement.require, ctx)
    status: Status = {True: "met", False: "unmet", None: "unknown"}[outcome.value]  # type: ignore[assignment]
    return status, outcome
