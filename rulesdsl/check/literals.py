"""Checker types, literal parsing and the leaves of conditions (names and literals).

A bare name is resolved by context: an attribute if the vocabulary declares one, otherwise
a value of the type the other operand expects (an enum value, an activity, a country code).
`rulesdsl.check.types` builds the composite expressions on top of these leaves.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from rulesdsl import ir
from rulesdsl.check.currency_names import currency_hint
from rulesdsl.errors import Diagnostic, choices_help, did_you_mean
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
    roles: bool = False  # a set of roles held by people (`roles [...]`), which count() counts

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
        if self.kind == "persons":
            return f"persons list {self.domain_name}".rstrip()
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
    # Inside a `count(... where ...)` filter: the names among `attributes` that are fields
    # of the entry being tested (`role`, `residence`, …), not attributes of the firm.
    fields: frozenset[str] = frozenset()


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


def parse_month(text: str) -> dt.date | None:
    """The first day of a month written `YYYY-MM`, or None if it is no calendar month."""
    return parse_date(f"{text}-01")


@dataclass
class LeafChecker:
    """Checks and elaborates names and literals; collects diagnostics.

    `currency` is the jurisdiction's whose rules are elaborated (None when only checking):
    comparisons of amounts with no amount written are made in it.
    """

    env: TypeEnv
    diagnostics: list[Diagnostic] = field(default_factory=list)
    currency: str | None = None

    def report(self, code: str, message: str, span: n.Span, help: str | None = None) -> None:
        self.diagnostics.append(Diagnostic(code, message, span, help=help))

    def is_attribute(self, expr: n.Value) -> bool:
        return isinstance(expr, n.Name) and expr.text in self.env.attributes

    def name(self, node: n.Name, expected: Ty | None) -> Result:
        if node.text in self.env.fields:
            return self.env.attributes[node.text], ir.PersonField(name=node.text)  # type: ignore[arg-type]
        if node.text in self.env.attributes:
            return self.env.attributes[node.text], ir.AttrRef(name=node.text)
        if expected is not None and expected.kind in ("enum", "country"):
            if node.text in expected.domain:
                return expected, ir.SymbolConst(value=node.text)
            country = expected.kind == "country"  # too many codes to list: hint only
            self.report(
                "E310" if country else "E307",
                f"'{node.text}' is not {expected.a()}",
                node.span,
                help=did_you_mean(node.text, expected.domain)
                if country
                else choices_help(node.text, expected.domain),
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
