"""Type-checks condition expressions against the vocabulary and elaborates them to IR.

One pass does both: a node that checks is turned into its IR form, so the meaning the
checker verified is exactly the meaning the engine receives. Bare names are resolved by
context: an attribute if the vocabulary declares one, otherwise a value of the type the
other operand expects (an enum value, an activity, a country code).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from rulesdsl import ir
from rulesdsl.check.currency_names import currency_hint
from rulesdsl.errors import Diagnostic, did_you_mean
from rulesdsl.syntax import nodes as n

ORDERED_KINDS = frozenset({"money", "percentage", "integer", "date"})
EQUATABLE_KINDS = ORDERED_KINDS | {"boolean", "enum", "country"}


@dataclass(frozen=True, slots=True)
class Ty:
    """A checker type. Sets record the kind and domain of their elements."""

    kind: str  # money percentage integer boolean date country enum set
    domain: frozenset[str] = frozenset()
    domain_name: str = ""
    element: str | None = None  # for sets: "enum" or "country"

    def element_type(self) -> Ty:
        """The type of one member of a set."""
        return Ty(self.element or "enum", self.domain, self.domain_name)

    def set_of(self) -> Ty:
        """The type of a set of values of this type."""
        return Ty("set", self.domain, self.domain_name, self.kind)

    def a(self) -> str:
        """The type's name with its indefinite article ("an integer", "a set of …")."""
        text = self.describe()
        return ("an " if text[0] in "aeiou" else "a ") + text

    def describe(self) -> str:
        """How the type is named in messages."""
        if self.kind == "set":
            return f"set of {self.domain_name or self.element}"
        if self.kind == "enum" and self.domain_name:
            return f"value of {self.domain_name}"
        return self.kind


BOOLEAN = Ty("boolean")


@dataclass(frozen=True, slots=True)
class TypeEnv:
    """What names mean inside conditions."""

    attributes: Mapping[str, Ty]
    currencies: frozenset[str]
    countries: frozenset[str]


Result = tuple[Ty, ir.Expr] | None


def parse_decimal(text: str) -> Decimal | None:
    """A number as written (`1_500_000`, `0.25`) as a Decimal, or None if malformed."""
    try:
        return Decimal(text.replace("_", ""))
    except InvalidOperation:
        return None


def parse_date(text: str) -> dt.date | None:
    """An ISO date, or None if it is not a real calendar day."""
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        return None


@dataclass
class ExprChecker:
    """Checks and elaborates the expressions of one bundle; collects diagnostics."""

    env: TypeEnv
    diagnostics: list[Diagnostic] = field(default_factory=list)

    def report(self, code: str, message: str, span: n.Span, help: str | None = None) -> None:
        self.diagnostics.append(Diagnostic(code, message, span, help=help))

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
        return rule(self, expr, expected)

    # ---- leaves ---------------------------------------------------------------------------

    def is_attribute(self, expr: n.Value) -> bool:
        return isinstance(expr, n.Name) and expr.text in self.env.attributes

    def name(self, node: n.Name, expected: Ty | None) -> Result:
        if node.text in self.env.attributes:
            return self.env.attributes[node.text], ir.AttrRef(name=node.text)
        if expected is not None and expected.kind in ("enum", "country"):
            if node.text in expected.domain:
                return expected, ir.SymbolConst(value=node.text)
            self.report(
                "E310" if expected.kind == "country" else "E307",
                f"'{node.text}' is not {expected.a()}",
                node.span,
                help=did_you_mean(node.text, expected.domain),
            )
            return None
        self.report(
            "E300",
            f"unknown attribute '{node.text}'",
            node.span,
            help=did_you_mean(node.text, self.env.attributes),
        )
        return None

    def number(self, node: n.NumberLit, expected: Ty | None) -> Result:
        if expected is not None and expected.kind == "money":
            self.report(
                "E405",
                "an amount needs its currency",
                node.span,
                help=f"write the currency first, e.g. `USD {node.text}`",
            )
            return None
        if expected is not None and expected.kind == "percentage":
            self.report("E400", "a percentage needs '%'", node.span, help=f"write `{node.text}%`")
            return None
        if "." in node.text:
            self.report("E407", f"'{node.text}' is not a whole number", node.span)
            return None
        return Ty("integer"), ir.IntConst(value=int(node.text.replace("_", "")))

    def percent(self, node: n.PercentLit, expected: Ty | None) -> Result:
        value = parse_decimal(node.text)
        if value is None or not Decimal(0) <= value <= Decimal(100):
            self.report("E402", f"{node.text}% is outside 0-100 %", node.span)
            return None
        return Ty("percentage"), ir.PercentConst(value=value)

    def money(self, node: n.MoneyLit, expected: Ty | None) -> Result:
        code = node.currency.text
        if code not in self.env.currencies:
            self.report(
                "E305",
                f"unknown currency '{code}'",
                node.currency.span,
                help=currency_hint(code, self.env.currencies),
            )
            return None
        if node.is_percent:
            self.report(
                "E401",
                "a percentage takes no currency",
                node.span,
                help=f"write `{node.amount}%`, or `{node.amount}% of ATTRIBUTE` for a share",
            )
            return None
        if node.amount is None:
            return Ty("money"), ir.PendingConst(type="money", currency=code)
        amount = parse_decimal(node.amount)
        if amount is None:
            self.report("E407", f"'{node.amount}' is not a number", node.span)
            return None
        return Ty("money"), ir.MoneyConst(amount=amount, currency=code)

    def date(self, node: n.DateLit, expected: Ty | None) -> Result:
        value = parse_date(node.text)
        if value is None:
            self.report("E500", f"{node.text} is not a calendar date", node.span)
            return None
        return Ty("date"), ir.DateConst(value=value)

    def string(self, node: n.StringLit, expected: Ty | None) -> Result:
        self.report(
            "E403",
            "text cannot be used in a condition",
            node.span,
            help="name an enum value without quotes, e.g. `legal_form == bsc`",
        )
        return None

    def boolean(self, node: n.BoolLit, expected: Ty | None) -> Result:
        return BOOLEAN, ir.BoolConst(value=node.value)

    def pending(self, node: n.PendingLit, expected: Ty | None) -> Result:
        if expected is None or expected.kind not in EQUATABLE_KINDS:
            self.report(
                "E408",
                "'pending' must be compared with an attribute",
                node.span,
                help="e.g. `record_retention_years >= pending`",
            )
            return None
        if expected.kind == "money":
            self.report(
                "E408",
                "a pending amount needs its currency",
                node.span,
                help="e.g. `paid_up_capital >= PKR pending`",
            )
            return None
        kind = expected.kind
        return expected, ir.PendingConst(type=kind)  # type: ignore[arg-type]

    def list_(self, node: n.ListLit, expected: Ty | None) -> Result:
        element = expected.element_type() if expected and expected.kind == "set" else None
        values: list[str] = []
        for item in node.items:
            if not isinstance(item, n.Name):
                self.report("E403", "a list holds names, e.g. `[exchange, custody]`", item.span)
                return None
            if element is None:
                self.report(
                    "E300" if not self.is_attribute(item) else "E403",
                    f"cannot tell what '{item.text}' is here",
                    item.span,
                    help="compare it with an attribute, e.g. `legal_form in [partnership, other]`",
                )
                return None
            if self.name(item, element) is None:
                return None
            values.append(item.text)
        ty = expected if expected is not None else Ty("set")
        return ty, ir.SetConst(values=tuple(values))

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

    def compare(self, node: n.Compare, expected: Ty | None) -> Result:
        left, right = self.pair(node.left, node.right)
        if left is None or right is None:
            return None
        allowed = ORDERED_KINDS if node.op not in ("==", "!=") else EQUATABLE_KINDS
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
        op = ir.COMPARATOR_OPS[node.op]
        return BOOLEAN, ir.Comparison(op=op, left=left[1], right=right[1])

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
        if function not in ("max", "min"):
            self.report(
                "E308",
                f"unknown function '{function}'",
                node.function.span,
                help=did_you_mean(function, ("max", "min")) or "functions: max, min",
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

    def percent_of(self, node: n.PercentOf, expected: Ty | None) -> Result:
        share = self.percent(node.percent, None)
        base = self.infer(node.base, None)
        if share is None or base is None:
            return None
        if base[0].kind != "money":
            self.report("E406", f"'% of' needs an amount, found {base[0].a()}", node.base.span)
            return None
        value = share[1].value if isinstance(share[1], ir.PercentConst) else Decimal(0)
        return Ty("money"), ir.PercentOf(percent=value, base=base[1])

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
    n.ListLit: ExprChecker.list_,  # type: ignore[dict-item]
    n.Compare: ExprChecker.compare,  # type: ignore[dict-item]
    n.Member: ExprChecker.member,  # type: ignore[dict-item]
    n.Subset: ExprChecker.subset,  # type: ignore[dict-item]
    n.Contains: ExprChecker.contains,  # type: ignore[dict-item]
    n.Call: ExprChecker.call,  # type: ignore[dict-item]
    n.PercentOf: ExprChecker.percent_of,  # type: ignore[dict-item]
    n.Not: ExprChecker.not_,  # type: ignore[dict-item]
    n.And: ExprChecker.and_,  # type: ignore[dict-item]
    n.Or: ExprChecker.or_,  # type: ignore[dict-item]
}
