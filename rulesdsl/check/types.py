"""Type-checks condition expressions against the vocabulary and elaborates them to IR.

One pass does both: a node that checks is turned into its IR form, so the meaning the
checker verified is exactly the meaning the engine receives. Names and literals are the
leaves (`rulesdsl.check.literals`); this module checks what is built of them.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import Decimal

from rulesdsl import ir
from rulesdsl.check.counts import count_call, count_compared, count_where
from rulesdsl.check.discretion import agreement, discretionary_figure
from rulesdsl.check.literals import (
    BOOLEAN,
    EQUATABLE_KINDS,
    ORDERED_KINDS,
    LeafChecker,
    Result,
    Ty,
    TypeEnv,
    parse_date,
    parse_decimal,
)
from rulesdsl.errors import did_you_mean
from rulesdsl.ir.semantics import comparison_currency
from rulesdsl.syntax import nodes as n

__all__ = ["ExprChecker", "Ty", "TypeEnv", "parse_date", "parse_decimal"]

MAX_MONTHS = 1200  # a hundred years: past that a count of months is a typo, not a rule
AMOUNT_BOUND = Decimal(10) ** 18  # no amount a rule computes from literals reaches it
# The largest factor a threshold may scale a firm's figure by, all nested factors together:
# a profile's amounts stay below 10^18, so every product stays exact well within Decimal's
# 28 significant digits (10^18 x 10^4 with minor units is 26 digits) and never overflows.
MAX_FACTOR = Decimal(10_000)


@dataclass
class ExprChecker(LeafChecker):
    """Checks and elaborates the expressions of one bundle; collects diagnostics.

    `requirement` and `in_when` say whose condition is being checked: a discretionary term
    elaborates to a test on that requirement's agreement (`rulesdsl.check.discretion`)."""

    requirement: str = ""
    in_when: bool = False
    discretion: str | None = None

    def condition(self, expr: n.Value) -> ir.Expr | None:
        """Check a `when` or `require` value: it must be true or false."""
        result = self.infer(expr, None)
        if result is None:
            return None
        ty, out = result
        if ty.kind != "boolean":
            self.report(
                "E404",
                f"condition is {ty.a()}, not true/false",
                expr.span,
                help="compare it, e.g. `paid_up_capital >= MYR 5_000_000`",
            )
            return None
        return out

    def infer(self, expr: n.Value, expected: Ty | None) -> Result:
        """The type and IR of `expr`; `expected` resolves bare names and `pending`."""
        rule = _RULES.get(type(expr))
        if rule is None:
            self.report("E404", "not a condition", expr.span)
            return None
        result = rule(self, expr, expected)
        if result is not None and result[0].kind == "persons":
            self.report(
                "E254",
                "a persons list is read through count()",
                expr.span,
                help="e.g. `count(key_persons where residence == AE) >= 2`",
            )
            return None
        return result

    # ---- composites -------------------------------------------------------------------------

    def pair(self, left: n.Value, right: n.Value) -> tuple[Result, Result]:
        """Infer two operands; a side that needs context (a bare value, a list, `pending`)
        is inferred after the other side and with its type."""
        if _needs_context(left, self) and not _needs_context(right, self):
            right_result = self.infer(right, None)
            left_result = self.infer(left, right_result[0]) if right_result else None
            return left_result, right_result
        left_result = self.infer(left, None)
        right_result = self.infer(right, left_result[0]) if left_result else None
        return left_result, right_result

    def discretionary(self, node: n.DiscretionaryLit, expected: Ty | None) -> Result:
        """`discretionary "…"` standing as a condition."""
        return agreement(self, node)

    def compare(self, node: n.Compare, expected: Ty | None) -> Result:
        if isinstance(node.right, n.DiscretionaryLit) or isinstance(node.left, n.DiscretionaryLit):
            other = node.left if isinstance(node.right, n.DiscretionaryLit) else node.right
            return discretionary_figure(self, node, self.infer(other, None))
        left, right = self.pair(node.left, node.right)
        if left is None or right is None or not count_compared(self, node, left, right):
            return None
        op = ir.Op(node.op)
        allowed = ORDERED_KINDS if op.ordered else EQUATABLE_KINDS
        if left[0].kind == "set" and right[0].kind == "set":
            self.report(
                "E403",
                f"'{node.op}' is not defined for sets",
                node.span,
                help="compare sets with `subset`, e.g. `[ceo, mlro] subset resident_key_persons`",
            )
            return None
        if left[0].kind != right[0].kind or left[0].kind == "set":
            self.report(
                "E400",
                f"cannot compare {left[0].a()} with {right[0].a()}",
                node.span,
            )
            return None
        if left[0].kind not in allowed:
            self.report("E403", f"'{node.op}' is not defined for {left[0].describe()}", node.span)
            return None
        compared = ir.Comparison(op=op, left=left[1], right=right[1])
        if left[0].kind == "money":  # recorded here, so that no backend derives it again
            currency = comparison_currency(compared, self.currency or "") or None
            compared = compared.model_copy(update={"currency": currency})
        return BOOLEAN, compared

    def member(self, node: n.Member, expected: Ty | None) -> Result:
        item = self.infer(node.item, None) if not _needs_context(node.item, self) else None
        if item is None and not _needs_context(node.item, self):
            return None
        if item is None:
            collection = self.infer(node.collection, None)
            if collection is None or not self.expect_set(collection[0], node.collection):
                return None
            item = self.infer(node.item, collection[0].element_type())
            if item is None:
                return None
        else:
            if item[0].kind not in ("enum", "country"):
                self.report("E403", f"'in' is not defined for {item[0].describe()}", node.span)
                return None
            collection = self.infer(node.collection, item[0].set_of())
            if collection is None or not self.expect_set(collection[0], node.collection):
                return None
        if not self.same_elements(collection[0], item[0], node):
            return None
        return BOOLEAN, ir.Membership(item=item[1], collection=collection[1])

    def subset(self, node: n.Subset, expected: Ty | None) -> Result:
        left, right = self.pair(node.left, node.right)
        if left is None or right is None:
            return None
        if not (self.expect_set(left[0], node.left) and self.expect_set(right[0], node.right)):
            return None
        if not self.same_elements(right[0], left[0].element_type(), node):
            return None
        return BOOLEAN, ir.SubsetOf(left=left[1], right=right[1])

    def contains(self, node: n.Contains, expected: Ty | None) -> Result:
        collection = self.infer(node.collection, None)
        if collection is None or not self.expect_set(collection[0], node.collection):
            return None
        item = self.infer(node.item, collection[0].element_type())
        if item is None:
            return None
        if not self.same_elements(collection[0], item[0], node):
            return None
        return BOOLEAN, ir.ContainsItem(collection=collection[1], item=item[1])

    def same_elements(self, collection: Ty, item: Ty, node: n.Value) -> bool:
        """Whether `item` can be a member of `collection` (same kind and value domain)."""
        if collection.element == item.kind and collection.domain == item.domain:
            return True
        self.report(
            "E400",
            f"{item.a()} cannot be a member of {collection.a()}",
            node.span,
        )
        return False

    def expect_set(self, ty: Ty, node: n.Value) -> bool:
        if ty.kind == "set":
            return True
        self.report("E403", f"expected a set, found {ty.a()}", node.span)
        return False

    def call(self, node: n.Call, expected: Ty | None) -> Result:
        function = node.function.text
        if function == "count":
            return count_call(self, node)
        if function not in ("max", "min"):
            self.report(
                "E308",
                f"unknown function '{function}'",
                node.function.span,
                help=did_you_mean(function, ("max", "min", "count")) or "functions: max, min",
            )
            return None
        if len(node.args) < 2:
            self.report("E406", f"{function}() needs at least two amounts", node.span)
            return None
        args = [self.infer(arg, expected) for arg in node.args]
        if any(arg is None for arg in args):
            return None
        kinds = {arg[0].kind for arg in args if arg is not None}
        if len(kinds) != 1 or not kinds <= ORDERED_KINDS:
            self.report("E406", f"{function}() needs amounts of one type", node.span)
            return None
        ir_args = tuple(arg[1] for arg in args if arg is not None)
        return Ty(kinds.pop()), ir.Extremum(kind=function, args=ir_args)  # type: ignore[arg-type]

    def call_where(self, node: n.CallWhere, expected: Ty | None) -> Result:
        return count_where(self, node)

    def percent_of(self, node: n.PercentOf, expected: Ty | None) -> Result:
        # A share that multiplies may exceed 100 % (`150% of x`); a bare percentage may not.
        found = self.scaled(node.percent, node.base, "E406", "'% of'")
        if found is None:
            return None
        share, base = found
        return self.bounded(ir.PercentOf(percent=share, base=base), node)

    def months_of(self, node: n.MonthsOf, expected: Ty | None) -> Result:
        count = parse_decimal(node.count.text)
        if count is None or count != count.to_integral_value() or not 1 <= count <= MAX_MONTHS:
            self.report(
                "E241",
                f"'{node.count.text} months': a number of months is whole, 1 to {MAX_MONTHS}",
                node.count.span,
            )
            return None
        base = self.infer(node.base, None)
        if base is None:
            return None
        if base[0].kind != "money":
            self.report(
                "E240", f"'months of' needs a monthly amount, found {base[0].a()}", node.base.span
            )
            return None
        return self.bounded(ir.MonthsOf(months=int(count), base=base[1]), node)

    def times(self, node: n.Times, expected: Ty | None) -> Result:
        found = self.scaled(node.factor, node.base, "E240", "'*'")
        if found is None:
            return None
        factor, base = found
        # `x * 1.5` and `x * 150%` mean `150% of x`: one IR node for a constant factor.
        share = factor if isinstance(node.factor, n.PercentLit) else factor * 100
        return self.bounded(ir.PercentOf(percent=share, base=base), node)

    def scaled(
        self, number: n.NumberLit | n.PercentLit, base_node: n.Expr, code: str, what: str
    ) -> tuple[Decimal, ir.Expr] | None:
        """The constant and the amount of `share of amount` or `amount * factor`, or None
        after reporting an unreadable number or a base that is not an amount."""
        factor = parse_decimal(number.text)
        base = self.infer(base_node, None)
        if factor is None or base is None:
            if factor is None:
                self.report("E407", f"invalid number '{number.text}'", number.span)
            return None
        if base[0].kind != "money":
            self.report(code, f"{what} needs an amount, found {base[0].a()}", base_node.span)
            return None
        return factor, base[1]

    def bounded(self, share: ir.PercentOf | ir.MonthsOf, node: n.Value) -> Result:
        """Refuse a share or multiple of a literal amount whose result reaches 10^18."""
        literal = share.base
        if isinstance(literal, ir.MoneyConst) and abs(literal.amount * ir.multiplier(share)) >= (
            AMOUNT_BOUND
        ):
            self.report("E242", "the computed amount is 10^18 or more", node.span)
            return None
        if _scale(share) > MAX_FACTOR:
            self.report(
                "E243",
                f"the amount is multiplied by more than {MAX_FACTOR:,} in all",
                node.span,
                help="a share is at most 1,000,000 %; nested shares and months multiply",
            )
            return None
        return Ty("money"), share

    def not_(self, node: n.Not, expected: Ty | None) -> Result:
        inner = self.logical(node.operand)
        return (BOOLEAN, ir.NotExpr(operand=inner)) if inner is not None else None

    def and_(self, node: n.And, expected: Ty | None) -> Result:
        parts = [self.logical(operand) for operand in node.operands]
        if any(part is None for part in parts):
            return None
        return BOOLEAN, ir.AllOf(operands=tuple(p for p in parts if p is not None))

    def or_(self, node: n.Or, expected: Ty | None) -> Result:
        parts = [self.logical(operand) for operand in node.operands]
        if any(part is None for part in parts):
            return None
        return BOOLEAN, ir.AnyOf(operands=tuple(p for p in parts if p is not None))

    def logical(self, operand: n.Value) -> ir.Expr | None:
        result = self.infer(operand, BOOLEAN)
        if result is None:
            return None
        if result[0].kind != "boolean":
            self.report("E404", f"{result[0].a()} is not true/false", operand.span)
            return None
        return result[1]


def _scale(expr: ir.Expr) -> Decimal:
    """The largest factor `expr` multiplies an amount by, through nested shares and months."""
    if isinstance(expr, ir.PercentOf | ir.MonthsOf):
        return ir.multiplier(expr) * _scale(expr.base)
    if isinstance(expr, ir.Extremum):
        return max(_scale(arg) for arg in expr.args)
    return Decimal(1)


def _needs_context(expr: n.Value, checker: ExprChecker) -> bool:
    if isinstance(expr, n.Name):
        return not checker.is_attribute(expr)
    return isinstance(expr, n.ListLit | n.PendingLit)


_RULES: Mapping[type, Callable[[ExprChecker, n.Value, Ty | None], Result]] = {
    n.Name: ExprChecker.name,  # type: ignore[dict-item]
    n.NumberLit: ExprChecker.number,  # type: ignore[dict-item]
    n.PercentLit: ExprChecker.percent,  # type: ignore[dict-item]
    n.MoneyLit: ExprChecker.money,  # type: ignore[dict-item]
    n.DateLit: ExprChecker.date,  # type: ignore[dict-item]
    n.StringLit: ExprChecker.string,  # type: ignore[dict-item]
    n.BoolLit: ExprChecker.boolean,  # type: ignore[dict-item]
    n.PendingLit: ExprChecker.pending,  # type: ignore[dict-item]
    n.DiscretionaryLit: ExprChecker.discretionary,  # type: ignore[dict-item]
    n.ListLit: ExprChecker.list_,  # type: ignore[dict-item]
    n.Compare: ExprChecker.compare,  # type: ignore[dict-item]
    n.Member: ExprChecker.member,  # type: ignore[dict-item]
    n.Subset: ExprChecker.subset,  # type: ignore[dict-item]
    n.Contains: ExprChecker.contains,  # type: ignore[dict-item]
    n.Call: ExprChecker.call,  # type: ignore[dict-item]
    n.CallWhere: ExprChecker.call_where,  # type: ignore[dict-item]
    n.PercentOf: ExprChecker.percent_of,  # type: ignore[dict-item]
    n.MonthsOf: ExprChecker.months_of,  # type: ignore[dict-item]
    n.Times: ExprChecker.times,  # type: ignore[dict-item]
    n.Not: ExprChecker.not_,  # type: ignore[dict-item]
    n.And: ExprChecker.and_,  # type: ignore[dict-item]
    n.Or: ExprChecker.or_,  # type: ignore[dict-item]
}
