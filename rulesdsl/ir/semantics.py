"""Meaning shared by every backend, stated once: the currency a comparison of amounts is
made in, how a comparison with `max` / `min` splits into one per argument, a comparison
read from its attribute's side, and the fact a discretionary term tests."""

from __future__ import annotations

from rulesdsl.ir.expressions import (
    AllOf,
    AnyOf,
    AttrRef,
    Comparison,
    Expr,
    Extremum,
    MoneyConst,
    PendingConst,
)
from rulesdsl.ir.ops import Op, splits_into_all
from rulesdsl.ir.walk import nodes

# The built-in fact a `discretionary "…"` term tests (`rulesdsl.check.discretion`): the ids
# of the requirements whose discretionary terms the firm has agreed with the regulator.
# Every firm has it (empty when its profile records no agreement), so an agreement not
# recorded is a remediable gap, never an unknown.
AGREED = "agreed_with_regulator"


def comparison_currency(expr: Comparison, default: str) -> str:
    """The currency a comparison of amounts is made in: that of its first amount (or
    pending amount) as written, else `default` (its jurisdiction's currency).

    Lowering records it in `Comparison.currency`; backends read the record.
    """
    for node in nodes(expr):
        if isinstance(node, MoneyConst) or (isinstance(node, PendingConst) and node.currency):
            assert node.currency is not None
            return node.currency
    return default


def expand_extremum(expr: Comparison) -> AllOf | AnyOf | None:
    """`x >= max(a, b)` as `x >= a and x >= b` (and the other orderings likewise), so
    that a missing `b` leaves the answer unknown only when `a` does not already decide it;
    None when the comparison does not split (no extremum on one side only, or `==`)."""
    op, left, right = expr.op, expr.left, expr.right
    if isinstance(left, Extremum) and not isinstance(right, Extremum):
        op, left, right = op.mirror, right, left
    if not isinstance(right, Extremum):
        return None
    every = splits_into_all(op, right.kind)
    if every is None:
        return None
    parts: tuple[Expr, ...] = tuple(
        Comparison(op=op, left=left, right=arg, currency=expr.currency) for arg in right.args
    )
    return AllOf(operands=parts) if every else AnyOf(operands=parts)


def attribute_first(left: Expr, op: Op, right: Expr) -> tuple[AttrRef, Op, Expr] | None:
    """`left op right` with the attribute on the left (`5 <= x` reads `x >= 5`), or None
    when neither side is an attribute."""
    if isinstance(left, AttrRef):
        return left, op, right
    if isinstance(right, AttrRef):
        return right, op.mirror, left
    return None
