"""Explanations: what is missing from an operand, why a comparison failed (a `Gap`), a
condition's `Outcome`, and operands as a compliance officer reads them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal

from engine.inputs.money import SHORTFALL_ROUNDING, Money
from engine.inputs.profiles import Value
from rulesdsl import ir


@dataclass(frozen=True, slots=True)
class Missing:
    """An operand that has no value: the attributes it lacks, a pending threshold, an FX
    rate the table does not have (`("BHD", "NGN")`), or what the source leaves open
    (`unstated`, its words); or, for a whole requirement, an open deadline
    (`open_deadline`) whose source does not say whether it binds applicants, or a date
    known only to the month (`month`, its first day) that the question falls in."""

    attributes: frozenset[str] = frozenset()
    pending: bool = False
    rates: frozenset[tuple[str, str]] = frozenset()  # (from, to)
    # (attribute, currency) of each comparison with a pending figure: what the figure bounds
    pending_for: frozenset[tuple[str, str | None]] = frozenset()
    open_deadline: dt.date | None = None
    unstated: frozenset[str] = frozenset()
    month: dt.date | None = None

    def __or__(self, other: Missing) -> Missing:
        return Missing(
            self.attributes | other.attributes,
            self.pending or other.pending,
            self.rates | other.rates,
            self.pending_for | other.pending_for,
            self.open_deadline or other.open_deadline,
            self.unstated | other.unstated,
            self.month or other.month,
        )

    @property
    def raised(self) -> frozenset[str]:
        """The attributes a pending figure bounds: a known bound on them is only a lower one."""
        return frozenset(attribute for attribute, _ in self.pending_for)


@dataclass(frozen=True, slots=True)
class Gap:
    """Why one comparison failed: the attribute, what is required of it (`op` and the
    figure as read, with the amount for money), what the firm has, and the shortfall.

    `lower_bound` marks a gap against a known part of a rule whose revised figure is
    pending: the firm needs at least that much, and no shortfall is final.
    """

    attribute: str
    op: str
    required: str
    actual: str
    shortfall: Money | Decimal | None = None
    missing_items: tuple[str, ...] = ()
    amount: Money | None = None
    lower_bound: bool = False
    actual_amount: Money | None = None  # what the firm has, when it is money


Truth = bool | None


@dataclass
class Outcome:
    """A condition's truth value and what explains it."""

    value: Truth
    missing: Missing = field(default_factory=Missing)
    gaps: list[Gap] = field(default_factory=list)
    applicability: bool = False  # the outcome is the rule's `when`, not its requirement


CONSTANTS = (
    ir.MoneyConst,
    ir.PercentConst,
    ir.IntConst,
    ir.BoolConst,
    ir.DateConst,
    ir.SymbolConst,
    ir.SetConst,
    ir.PendingConst,
)


def subject(expr: ir.Expr) -> str:
    """The attribute a condition is about, for explanations."""
    match expr:
        case ir.AttrRef(name=name):
            return name
        case ir.Comparison(left=left, right=right):
            return subject(left) if not isinstance(left, CONSTANTS) else subject(right)
        case ir.Membership(item=item):
            return subject(item)
        case ir.SubsetOf(left=left, right=right):
            return subject(right) if isinstance(left, ir.SetConst) else subject(left)
        case ir.ContainsItem(collection=collection):
            return subject(collection)
        case ir.Extremum(args=args):
            return next((subject(a) for a in args if not isinstance(a, CONSTANTS)), "threshold")
        case ir.PercentOf(base=base) | ir.MonthsOf(base=base):
            return subject(base)
        case ir.Count(of=of):
            return of.name
    return expr.kind


def show(operand: Value | Missing) -> str:
    """An operand as a compliance officer reads it."""
    match operand:
        case Money(currency=currency, amount=amount):
            return f"{currency} {amount:,}"
        case bool():
            return "true" if operand else "false"
        case Decimal():
            return f"{operand}%"
        case frozenset():
            return "[" + ", ".join(sorted(operand)) + "]"
        case tuple():  # a persons list, in the profile's order
            return "[" + "; ".join(person.described() for person in operand) + "]"
        case Missing():
            return "pending" if operand.pending else "not given"
    return str(operand)


def make_gap(
    about: str,
    op: ir.Op,
    firm: Value | Missing,
    bar: Value | Missing,
    minor_units: Mapping[str, int],
    computed: str | None = None,
) -> Gap:
    """The gap of a failed comparison.

    Against an inclusive bound (`>=`, `<=`) the shortfall is the difference, rounded up to
    the currency's minor unit. Against a strict bound (`>`, `<`) no shortfall is given: the
    firm needs "more than X", and naming the smallest step above X in minor units would
    state a precision no rule has (and read "short by 0.01" for a firm at exactly X).
    A computed bar is shown with its computation: `USD 4,500,000 = 18 months of USD 250,000`.
    """
    shortfall: Money | Decimal | None = None
    if op.ordered and not op.strict:
        if isinstance(firm, Money) and isinstance(bar, Money):
            raw = Money(bar.currency, abs(bar.amount - firm.amount))
            shortfall = raw.rounded(minor_units.get(bar.currency, 2), SHORTFALL_ROUNDING)
        elif isinstance(firm, Decimal | int) and isinstance(bar, Decimal | int):
            shortfall = abs(Decimal(bar) - Decimal(firm))
    amount = bar if isinstance(bar, Money) else None
    required = show(bar) if computed is None else f"{show(bar)} = {computed}"
    held = firm if isinstance(firm, Money) else None
    return Gap(about, op.symbol, required, show(firm), shortfall, amount=amount, actual_amount=held)
