"""Which Travel Rule rules of one jurisdiction apply to a transfer, and what each demands.

Two kinds of rule: one written with `tiers transfer_amount { … }` demands what the band
the transfer's value falls in demands (after FX into the tiers' currency, as
`engine.decisions.tiers` places it); one written as a threshold on the firm's
`travel_rule_threshold` (`require travel_rule_threshold <= MYR 0`) demands the FATF
baseline (`travel_fields.BASELINE`) of every transfer worth at least the threshold, the
attribute's own reading ("amount from which, inclusive"). A threshold that is `pending`
is never compared: the rule's answer is `unknown`, reason `pending_threshold`. A
jurisdiction with no Travel Rule rule in force gives one `unknown` line of its own.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from engine.decisions.catalogue import in_force
from engine.decisions.tiers import band_text
from engine.decisions.travel_fields import BASELINE
from engine.errors import EngineError
from engine.inputs.fx import FxBook, RateUsed
from engine.inputs.money import Money
from engine.presentation.describe import describe
from rulesdsl import ir
from rulesdsl.ir.walk import nodes

CATEGORY = "travel_rule"
THRESHOLD = "travel_rule_threshold"
NO_RULE = "NO-TRAVEL-RULE"  # the line of a jurisdiction with no Travel Rule rule recorded


@dataclass(frozen=True, slots=True)
class Applied:
    """One rule's answer for a transfer (before it is shaped as a result)."""

    requirement: ir.Requirement | None  # None: the jurisdiction records no Travel Rule rule
    status: str  # a TransferRuleStatus
    band: str | None
    value: Money | None
    demands: tuple[str, ...]
    rate: RateUsed | None
    pending_currency: str | None = None  # set when a pending threshold makes it unknown
    missing_rate: tuple[str, str] | None = None  # set when no FX rate converts the value


@dataclass(frozen=True, slots=True)
class TravelRule:
    """A Travel Rule rule with the figures it bounds `travel_rule_threshold` by (read once)."""

    requirement: ir.Requirement
    known: tuple[ir.MoneyConst, ...]
    pending: str | None  # the currency of a pending figure, if the rule has one


def travel_rules(jurisdiction: ir.Jurisdiction) -> tuple[TravelRule, ...]:
    """The jurisdiction's Travel Rule rules written either way, on any day."""
    found = []
    for r in jurisdiction.requirements:
        if r.category != CATEGORY:
            continue
        known, pending = _thresholds(r) if r.tiers is None else ([], None)
        if r.tiers is not None or known or pending:
            found.append(TravelRule(r, tuple(known), pending))
    return tuple(found)


def binding(rules: tuple[TravelRule, ...], day: dt.date, licence: str | None) -> list[TravelRule]:
    """Those in force on `day`, for `licence` when the transfer names one (a rule with no
    licences binds every licence)."""
    return [
        rule
        for rule in rules
        if in_force(rule.requirement.period, day)
        and (
            licence is None or not rule.requirement.licences or licence in rule.requirement.licences
        )
    ]


def _thresholds(requirement: ir.Requirement) -> tuple[list[ir.MoneyConst], str | None]:
    """The known figures the rule bounds `travel_rule_threshold` by, and the currency of a
    pending one, if any."""
    known: list[ir.MoneyConst] = []
    pending: str | None = None
    for node in nodes(requirement.require):
        if not (isinstance(node, ir.Comparison) and isinstance(node.left, ir.AttrRef)):
            continue
        if node.left.name != THRESHOLD:
            continue
        if isinstance(node.right, ir.MoneyConst):
            known.append(node.right)
        elif isinstance(node.right, ir.PendingConst):
            pending = node.right.currency or "?"
    return known, pending


def _convert(
    value: Money, currency: str, day: dt.date, fx: FxBook
) -> tuple[Money, RateUsed | None]:
    return fx.convert(value, currency, day)


def apply_rule(rule: TravelRule, value: Money, day: dt.date, fx: FxBook) -> Applied:
    """What one rule demands of a transfer worth `value` on `day`."""
    requirement, known, pending = rule.requirement, rule.known, rule.pending
    tiers = requirement.tiers
    currency = tiers.currency if tiers is not None else None
    if tiers is None and pending is not None:
        return Applied(requirement, "unknown", None, None, BASELINE, None, pending_currency=pending)
    if currency is None:
        currency = max(known, key=lambda m: m.amount).currency
    try:
        converted, rate = _convert(value, currency, day, fx)
    except EngineError:
        return Applied(
            requirement, "unknown", None, None, (), None, missing_rate=(value.currency, currency)
        )
    if tiers is not None:
        band = tiers.band_at(converted.amount)
        status = "demands" if band.demands else "nothing_demanded"
        return Applied(requirement, status, band_text(band), converted, band.demands, rate)
    threshold = max(known, key=lambda m: m.amount)
    shown = f"from {describe(threshold)}"
    if converted.amount >= Decimal(threshold.amount):
        return Applied(requirement, "demands", shown, converted, BASELINE, rate)
    return Applied(
        requirement, "nothing_demanded", f"below {describe(threshold)}", converted, (), rate
    )


def apply_rules(
    jurisdiction: ir.Jurisdiction,
    rules: tuple[TravelRule, ...],
    licence: str | None,
    value: Money,
    day: dt.date,
    fx: FxBook,
) -> tuple[Applied, ...]:
    """Every Travel Rule rule of the jurisdiction (`rules`, from `travel_rules`) for this
    transfer; with none in force, one `unknown` line (the FATF baseline is what it would
    demand, its figure unknown)."""
    found = tuple(apply_rule(r, value, day, fx) for r in binding(rules, day, licence))
    if found:
        return found
    return (
        Applied(
            None, "unknown", None, None, BASELINE, None, pending_currency=jurisdiction.currency
        ),
    )
