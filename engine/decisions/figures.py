"""Which way a revised condition moved: its figures compared after each operator's
direction (DESIGN §4, "Redline").

Two conditions of the same shape differ only in their figures. A figure that a firm must
reach (the right of `>=`, the left of `<=`) tightens the rule when it rises; one the firm
must stay under loosens it when it rises; a list of allowed values loosens it when it
grows. Money is ranked only in one currency (a conversion would rank by a rate, not by
the law); a figure going to or from `pending`, a changed operator or a figure whose
direction the condition does not fix is `changed`, unranked. A count's filter is ranked by
what it admits: a filter admitting more entries raises the count (`engine.decisions.persons`
proves which admits more, over representative entries).
"""

from __future__ import annotations

from decimal import Decimal

from engine.decisions.answers import money_out
from engine.decisions.persons import implies
from engine.evaluation.explanations import subject
from engine.inputs.money import Money
from engine.presentation.describe import describe
from engine.results import MoneyOut
from engine.results.redline import ThresholdChangeOut, Unranked
from rulesdsl import ir

# +1: a larger figure tightens the rule; -1: it loosens it; 0: the direction is not fixed.
Polarity = int
Where = tuple[str, str]  # the attribute and the operator a figure is compared under
Found = list[ThresholdChangeOut]


def figure_changes(before: ir.Expr, after: ir.Expr) -> Found | None:
    """The figures that differ between two conditions, each with its direction; None when
    the conditions differ in more than their figures (another shape, attribute or
    operator)."""
    return _walk(before, after, 1, ("", ""))


def _walk(a: ir.Expr, b: ir.Expr, polarity: Polarity, where: Where) -> Found | None:
    if _figure(a) and _figure(b):
        return _figures(a, b, polarity, where)
    if type(a) is not type(b):
        return None
    match a, b:
        case (ir.AllOf(operands=left), ir.AllOf(operands=right)) | (
            ir.AnyOf(operands=left),
            ir.AnyOf(operands=right),
        ):
            return _each(left, right, [polarity] * len(left), where)
        case ir.NotExpr(operand=left), ir.NotExpr(operand=right):
            return _walk(left, right, -polarity, where)
        case ir.Comparison(), ir.Comparison():
            if a.op != b.op:
                return None
            about = (subject(a), a.op.symbol)
            sides = {"minimum": (-1, 1), "maximum": (1, -1), None: (0, 0)}[a.op.bound]
            return _each((a.left, a.right), (b.left, b.right), [s * polarity for s in sides], about)
        case ir.Membership(), ir.Membership():
            about = (subject(a), "in")
            return _each((a.item, a.collection), (b.item, b.collection), [0, -polarity], about)
        case ir.SubsetOf(), ir.SubsetOf():
            about = (subject(a), "subset")
            return _each((a.left, a.right), (b.left, b.right), [polarity, -polarity], about)
        case ir.ContainsItem(), ir.ContainsItem():
            about = (subject(a), "contains")
            return _each((a.collection, a.item), (b.collection, b.item), [polarity, 0], about)
        case ir.Extremum(), ir.Extremum():
            if a.kind != b.kind:
                return None
            return _each(a.args, b.args, [polarity] * len(a.args), where)
        case ir.PercentOf(), ir.PercentOf():
            return _scaled(a, b, polarity, where)
        case ir.MonthsOf(), ir.MonthsOf():
            return _scaled(a, b, polarity, where)
        case ir.Count(), ir.Count():
            if a.of != b.of:
                return None
            return _filter_change(a, b, polarity)
        case _:
            return [] if a == b else None


def _filter_change(a: ir.Count, b: ir.Count, polarity: Polarity) -> Found:
    """A count whose filter changed: it counts more entries when the new filter admits
    every entry the old one did (and more), fewer in the opposite case, and either way a
    larger count moves the rule as `polarity` says. Filters neither of which implies the
    other (as far as `implies` proves) are `changed`, unranked."""
    if a.where == b.where:
        return []
    shown = _filter_text(a.where), _filter_text(b.where)
    wider = implies(a.where, b.where, roles_only=False)
    narrower = implies(b.where, a.where, roles_only=False)
    where = (a.of.name, "where")
    if wider == narrower:  # the same entries (written otherwise), or not comparable
        found = _unranked(shown, a, b, where, "direction")
        return [] if wider else [found]
    return [_ranked(*shown, Decimal(0), Decimal(1 if wider else -1), polarity, where)]


def _filter_text(where: ir.Expr | None) -> str:
    return "every entry" if where is None else describe(where)


def _each(
    left: tuple[ir.Expr, ...], right: tuple[ir.Expr, ...], polarities: list[Polarity], where: Where
) -> Found | None:
    if len(left) != len(right):
        return None
    found: Found = []
    for a, b, polarity in zip(left, right, polarities, strict=True):
        part = _walk(a, b, polarity, where)
        if part is None:
            return None
        found += part
    return found


def _scaled(
    a: ir.PercentOf | ir.MonthsOf, b: ir.PercentOf | ir.MonthsOf, polarity: Polarity, where: Where
) -> Found | None:
    """`25% of X`, `18 months of X`: the bar rises with the factor and with X."""
    found = _walk(a.base, b.base, polarity, where)
    if found is None:
        return None
    # The figure the firm is held to is the scaled one: say so ("25% of NGN 1,000,000,000").
    found = [
        f.model_copy(
            update={
                "before": f"{_scale(a)} {f.before}",
                "after": f"{_scale(b)} {f.after}",
            }
        )
        for f in found
    ]
    factor_a = a.percent if isinstance(a, ir.PercentOf) else a.months
    factor_b = b.percent if isinstance(b, ir.PercentOf) else b.months
    if factor_a != factor_b:
        unit = "%" if isinstance(a, ir.PercentOf) else " months"
        shown = f"{factor_a}{unit}", f"{factor_b}{unit}"
        found.insert(0, _ranked(*shown, Decimal(factor_a), Decimal(factor_b), polarity, where))
    return found


def _scale(expr: ir.PercentOf | ir.MonthsOf) -> str:
    return f"{expr.percent}% of" if isinstance(expr, ir.PercentOf) else f"{expr.months} months of"


def _figure(expr: ir.Expr) -> bool:
    return isinstance(
        expr,
        ir.MoneyConst
        | ir.PendingConst
        | ir.PercentConst
        | ir.IntConst
        | ir.DateConst
        | ir.SetConst
        | ir.BoolConst
        | ir.SymbolConst,
    )


def _figures(a: ir.Expr, b: ir.Expr, polarity: Polarity, where: Where) -> Found:
    """Two figures at the same place of a condition: nothing when equal, else the change."""
    if a == b:
        return []
    shown = describe(a), describe(b)
    if isinstance(a, ir.PendingConst) or isinstance(b, ir.PendingConst):
        return [_unranked(shown, a, b, where, "pending")]
    match a, b:
        case ir.MoneyConst(), ir.MoneyConst():
            if a.currency != b.currency:
                return [_unranked(shown, a, b, where, "currency")]
            return [_ranked(*shown, a.amount, b.amount, polarity, where, a, b)]
        case ir.PercentConst(), ir.PercentConst():
            return [_ranked(*shown, a.value, b.value, polarity, where)]
        case ir.IntConst(), ir.IntConst():
            return [_ranked(*shown, Decimal(a.value), Decimal(b.value), polarity, where)]
        case ir.DateConst(), ir.DateConst():
            old_day, new_day = Decimal(a.value.toordinal()), Decimal(b.value.toordinal())
            return [_ranked(*shown, old_day, new_day, polarity, where)]
        case ir.SetConst(), ir.SetConst():
            old, new = frozenset(a.values), frozenset(b.values)
            if old < new or new < old:  # a list that only grew or only shrank
                return [_ranked(*shown, Decimal(len(old)), Decimal(len(new)), polarity, where)]
    return [_unranked(shown, a, b, where, "direction")]


def _ranked(
    before: str,
    after: str,
    old: Decimal,
    new: Decimal,
    polarity: Polarity,
    where: Where,
    a: ir.Expr | None = None,
    b: ir.Expr | None = None,
) -> ThresholdChangeOut:
    rise = 1 if new > old else -1
    moved = rise * polarity
    direction = "tightened" if moved > 0 else "loosened" if moved < 0 else "changed"
    return ThresholdChangeOut.trusted(
        attribute=where[0],
        op=where[1],
        before=before,
        after=after,
        before_amount=_amount(a),
        after_amount=_amount(b),
        direction=direction,
        unranked="direction" if moved == 0 else None,
    )


def _unranked(
    shown: tuple[str, str], a: ir.Expr, b: ir.Expr, where: Where, why: Unranked
) -> ThresholdChangeOut:
    return ThresholdChangeOut.trusted(
        attribute=where[0],
        op=where[1],
        before=shown[0],
        after=shown[1],
        before_amount=_amount(a),
        after_amount=_amount(b),
        direction="changed",
        unranked=why,
    )


def _amount(expr: ir.Expr | None) -> MoneyOut | None:
    if isinstance(expr, ir.MoneyConst):
        return money_out(Money(expr.currency, expr.amount))
    return None
