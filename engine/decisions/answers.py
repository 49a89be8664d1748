"""Shaping answers: verdicts from statuses, counts, and the result models of frameworks,
gaps and FX rates."""

from __future__ import annotations

from collections.abc import Sequence

from engine.evaluation.explanations import Gap
from engine.inputs.fx import RateUsed
from engine.inputs.money import Money
from engine.results import (
    Counts,
    FrameworkOut,
    GapOut,
    MoneyOut,
    RateOut,
    RequirementResult,
    Verdict,
)
from rulesdsl import ir


def verdict_of(results: Sequence[RequirementResult]) -> Verdict:
    """The verdict the requirement statuses give (the route being available)."""
    if any(r.status == "unmet" and r.blocking for r in results):
        return "not_eligible"
    if any(r.status == "unknown" for r in results):
        return "incomplete"
    if any(r.status == "unmet" for r in results):
        return "conditional"
    return "eligible"


def counts_of(results: Sequence[RequirementResult]) -> Counts:
    """How many requirements have each status."""
    statuses = [result.status for result in results]
    return Counts(
        met=statuses.count("met"),
        deemed_met=statuses.count("deemed_met"),
        unmet=statuses.count("unmet"),
        unknown=statuses.count("unknown"),
    )


def framework_out(framework: ir.Framework | None) -> FrameworkOut | None:
    if framework is None:
        return None
    return FrameworkOut(
        id=framework.id,
        title=framework.title,
        status=framework.status,
        mechanism=framework.mechanism,
        proposal_not_law=framework.status != "in_force",
    )


def framework_notes(framework: ir.Framework | None) -> list[str]:
    if framework is None or framework.status == "in_force":
        return []
    return [f"{framework.title} is a {framework.status} framework: a proposal, not law"]


def gap_out(gap: Gap) -> GapOut:
    shortfall = gap.shortfall
    return GapOut(
        attribute=gap.attribute,
        required=gap.required,
        actual=gap.actual,
        shortfall=MoneyOut(amount=str(shortfall.amount), currency=shortfall.currency)
        if isinstance(shortfall, Money)
        else None,
        shortfall_value=str(shortfall)
        if shortfall is not None and not isinstance(shortfall, Money)
        else None,
        missing_items=list(gap.missing_items),
    )


def rate_out(rate: RateUsed) -> RateOut:
    """An FX rate as answers report it."""
    return RateOut(
        source=rate.source,
        target=rate.target,
        rate=str(rate.rate),
        table_date=rate.table_date,
        pegged=rate.pegged,
        origin=rate.origin,
    )
