"""Type-checks condition expressions against the vocabulary and elaborates them to IR.

One pass does both: a node that checks is turned into its IR form, so the meaning the
checker verified is exactly the meaning the engine receives. Names and literals are the
leaves (`rulesdsl.check.literals`); this module checks what is built of them.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from rulesdsl import ir
from rulesdsl.check.amounts import AmountChecker
from rulesdsl.check.counts import count_call, count_compared, count_where
from rulesdsl.check.discretion import agreement, discretionary_figure
from rulesdsl.check.literals import (
    BOOLEAN,
    EQUATABLE_KINDS,
    ORDERED_KINDS,
    Result,
    Ty,
    TypeEnv,
    parse_date,
    parse_decimal,
    parse_month,
)
from rulesdsl.errors import did_you_mean
from rulesdsl.ir.semantics import comparison_currency
from rulesdsl.syntax import nodes as n

__all__ = ["ExprChecker", "Ty", "TypeEnv", "parse_date", "parse_decimal", "parse_month"]


@dataclass
class ExprChecker(AmountChecker):
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
        if isinstance(left[1], ir.Unstated) or isinstance(right[1], ir.Unstated):
            self.report(
                "E403",
                f"'{node.op}' is not defined for 'unstated': it is a condition on its own",
                node.span,
                help='combine it with `and` / `or`, e.g. `home != PK or unstated "…"`',
            )
            return None
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

    def unstated(self, node: n.Unstated, expected: Ty | None) -> Result:
        """`unstated "…"`: true or false, but which the source does not say."""
        return BOOLEAN, ir.Unstated(text=node.text.value)

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
    n.Unstated: ExprChecker.unstated,  # type: ignore[dict-item]
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
