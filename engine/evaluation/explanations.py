"""Explanations: what is missing from an operand, why a comparison failed (a `Gap`), a
condition's `Outcome`, and operands as a compliance officer reads them."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal

from engine.inputs.money import SHORTFALL_ROUNDING, Money
from engine.inputs.profiles import Value
from rulesdsl import ir


@dataclass(frozen=True, slots=True)
class Missing:
    """An operand that has no value: the attributes it lacks, a pending threshold, or an
    FX rate the table does not have (`BHD→NGN`)."""

    attributes: frozenset[str] = frozenset()
    pending: bool = False
    rates: frozenset[str] = frozenset()
    pending_for: frozenset[str] = frozenset()  # attributes compared with a pending figure

    def __or__(self, other: Missing) -> Missing:
        return Missing(
            self.attributes | other.attributes,
            self.pending or other.pending,
            self.rates | other.rates,
            self.pending_for | other.pending_for,
        )

    def describe(self) -> list[str]:
        """What is missing, as a sorted list for answers."""
        return (
            sorted(self.attributes)
            + [f"FX rate {pair}" for pair in sorted(self.rates)]
            + [f"published threshold for {name}" for name in sorted(self.pending_for)]
        )


@dataclass(frozen=True, slots=True)
class Gap:
    """Why one comparison failed, in words and figures."""

    attribute: str
    required: str
    actual: str
    shortfall: Money | Decimal | None = None
    missing_items: tuple[str, ...] = ()


Truth = bool | None


@dataclass
class Outcome:
    """A condition's truth value and what explains it."""

    value: Truth
    missing: Missing = field(default_factory=Missing)
    gaps: list[Gap] = field(default_factory=list)


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
        case ir.PercentOf(base=base):
            return subject(base)
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
        case Missing():
            return "pending" if operand.pending else "not given"
    return str(operand)


def make_gap(
    about: str,
    op: ir.Op,
    firm: Value | Missing,
    bar: Value | Missing,
    minor_units: Mapping[str, int],
) -> Gap:
    """The gap of a failed comparison; a shortfall for amounts is rounded up."""
    shortfall: Money | Decimal | None = None
    if op.ordered:
        if isinstance(firm, Money) and isinstance(bar, Money):
            raw = Money(bar.currency, abs(bar.amount - firm.amount))
            shortfall = raw.rounded(minor_units.get(bar.currency, 2), SHORTFALL_ROUNDING)
        elif isinstance(firm, Decimal | int) and isinstance(bar, Decimal | int):
            shortfall = abs(Decimal(bar) - Decimal(firm))
    return Gap(about, f"{op.symbol} {show(bar)}", show(firm), shortfall)
