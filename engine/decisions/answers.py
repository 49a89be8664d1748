"""Shaping answers: verdicts from statuses, counts, and the result models of frameworks,
gaps and FX rates."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from engine.evaluation.explanations import Gap, Outcome
from engine.evaluation.lru import Kept
from engine.inputs.fx import STALE_AFTER, RateUsed
from engine.inputs.fx_graph import RateLeg
from engine.inputs.money import Money
from engine.results import (
    ActualOut,
    CitationOut,
    Counts,
    FrameworkOut,
    FxWarningOut,
    GapOut,
    MoneyOut,
    RateLegOut,
    RateOut,
    RatePairOut,
    ReasonOut,
    RequiredOut,
    RequirementResult,
    StepOut,
    Verdict,
)
from rulesdsl import ir


def verdict_of(results: Sequence[RequirementResult]) -> Verdict:
    """The verdict the requirement statuses give (the route being available).

    A pending figure counts as unknown: a line that turns on it is `unknown`, so the
    verdict is at best `incomplete`. A line `unmet` against a lower bound (the firm fails a
    known part the pending figure can only raise) is unmet whatever the figure turns out to
    be, so it counts as unmet. A `not_covered` line (matrix: the home licence does not
    demand it) is a gap the firm can close by adding it, so it is remediable even where the
    rule is blocking; `waived` and `deemed_met` lines are satisfied.
    """
    unknown = remediable = False
    for result in results:  # one pass: this is asked of every licence of every answer
        status = result.status
        if status == "unmet":
            if result.blocking:
                return "not_eligible"
            remediable = True
        elif status == "unknown":
            unknown = True
        elif status == "not_covered":
            remediable = True
    if unknown:
        return "incomplete"
    return "conditional" if remediable else "eligible"


def counts_of(results: Sequence[RequirementResult]) -> Counts:
    """How many requirements have each status."""
    statuses: list[str] = [result.status for result in results]
    key = tuple(map(statuses.count, _COUNTED))
    found = _COUNTS.get(key)
    if found is None:  # counts are immutable: one per combination, shared
        if len(_COUNTS) > 4096:
            _COUNTS.clear()
        found = _COUNTS[key] = Counts.trusted(**dict(zip(_COUNTED, key, strict=True)))
    return found


_COUNTED = tuple(Counts.model_fields)  # met, deemed_met, waived, not_covered, unmet, unknown
_COUNTS: dict[tuple[int, ...], Counts] = {}


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


def _days(duration: ir.Duration) -> str:
    return f"{duration.days} {duration.unit} day{'s' if duration.days != 1 else ''}"


def passport_steps(
    framework: ir.Framework, authority: str, host: str, activity: str
) -> list[StepOut]:
    """What a passported firm does instead of applying for the host's licence: notify its
    home authority, which forwards the notification; then start (MiCA Art. 65 wording: on
    the home authority's communication, and at the latest on the given day)."""
    steps = [
        StepOut(
            step=f"notify {authority}, the home supervisor, of the intention to provide "
            f"{activity} in {host} under {framework.id}"
        )
    ]
    # (time limit, words before it, words after it): rule text never goes through
    # str.format, so braces in an authority's name are printed as written.
    timed = (
        (
            framework.notify_within,
            f"{authority} forwards the notification to the {host} supervisor within ",
            "",
        ),
        (
            framework.starts_at_latest_after,
            f"start once {authority} has communicated the notification, and at the latest ",
            " after notifying",
        ),
    )
    steps += [
        StepOut(step=before + _days(limit) + after, days=limit.days, unit=limit.unit)
        for limit, before, after in timed
        if limit is not None
    ]
    return steps


def framework_notes(framework: ir.Framework | None) -> list[str]:
    if framework is None or framework.status == "in_force":
        return []
    return [f"{framework.title} is a {framework.status} framework: a proposal, not law"]


def money_out(money: Money) -> MoneyOut:
    """An amount as answers report it."""
    return MoneyOut.trusted(amount=str(money.amount), currency=money.currency)


def gap_out(gap: Gap) -> GapOut:
    """A gap as answers report it: structured, with no shortfall for a strict bound or a
    lower bound (see `GapOut`)."""
    shortfall = gap.shortfall
    return GapOut.trusted(
        attribute=gap.attribute,
        required=RequiredOut.trusted(
            op=gap.op,
            value=gap.required,
            amount=money_out(gap.amount) if gap.amount is not None else None,
        ),
        actual=ActualOut.trusted(
            value=gap.actual,
            amount=money_out(gap.actual_amount) if gap.actual_amount is not None else None,
        ),
        shortfall=money_out(shortfall) if isinstance(shortfall, Money) else None,
        shortfall_value=str(shortfall)
        if shortfall is not None and not isinstance(shortfall, Money)
        else None,
        lower_bound=gap.lower_bound,
        missing_items=list(gap.missing_items),
    )


def reasons_of(outcome: Outcome) -> list[ReasonOut]:
    """Why an undecided outcome is undecided, as structured reasons in a fixed order: the
    applicability first (for an unknown `when`), then a month the question falls in, an open
    deadline, attributes, what the source leaves open, FX rates, pending figures.
    A condition undecided for none of these is a `condition` reason, so no unknown line is
    without one."""
    missing, about_when = outcome.missing, outcome.applicability
    reasons = [ReasonOut.trusted(kind="condition", applicability=True)] if about_when else []
    if missing.month is not None:  # whether the version is in force, or which one binds
        reasons.append(ReasonOut.trusted(kind="month_precision", date=missing.month))
    if missing.open_deadline is not None:  # which version binds an applicant before it
        reasons.append(ReasonOut.trusted(kind="condition", date=missing.open_deadline))
    reasons += [
        ReasonOut.trusted(kind="attribute", attribute=name, applicability=about_when)
        for name in sorted(missing.attributes)
    ]
    reasons += [
        ReasonOut.trusted(kind="condition", unstated=text, applicability=about_when)
        for text in sorted(missing.unstated)
    ]
    reasons += [
        ReasonOut.trusted(
            kind="fx_rate",
            rate=RatePairOut.trusted(source=source, target=target),
            applicability=about_when,
        )
        for source, target in sorted(missing.rates)
    ]
    pending = sorted(missing.pending_for, key=lambda p: (p[0], p[1] or ""))
    if missing.pending and not pending:  # a pending figure outside any comparison
        pending = [("", None)]
    reasons += [
        ReasonOut.trusted(
            kind="pending_threshold",
            attribute=attribute or None,
            currency=currency,
            applicability=about_when,
        )
        for attribute, currency in pending
    ]
    return reasons or [ReasonOut.trusted(kind="condition")]


class KeptRates:
    """`rate_out`, kept while the FX book keeps the rate itself (by its identity, checked
    on each hit) and bounded: one entry per pair and day asked."""

    def __init__(self, limit: int = 4096) -> None:
        self._kept: Kept[int, tuple[RateUsed, RateOut]] = Kept(limit)

    def __call__(self, rate: RateUsed) -> RateOut:
        found = self._kept.get(id(rate))
        if found is None or found[0] is not rate:
            found = self._kept[id(rate)] = (rate, rate_out(rate))
        return found[1]


def rate_out(rate: RateUsed) -> RateOut:
    """An FX rate as answers report it, with the legs it went through."""
    return RateOut.trusted(
        source=rate.source,
        target=rate.target,
        rate=str(rate.rate),
        table_date=rate.table_date,
        pegged=rate.pegged,
        origin=rate.origin,
        legs=[_leg_out(leg) for leg in rate.legs],
    )


def _leg_out(leg: RateLeg) -> RateLegOut:
    cited = leg.citation
    return RateLegOut.trusted(
        base=leg.base,
        quote=leg.quote,
        price=str(leg.price),
        date=leg.day,
        pegged=leg.pegged,
        origin=leg.origin,
        citation=CitationOut(
            instrument=cited.instrument, title=cited.title, provision=cited.provision, url=cited.url
        )
        if cited
        else None,
    )


def fx_reported(
    rates: Iterable[RateUsed], as_of: dt.date, out: Callable[[RateUsed], RateOut] | None = None
) -> dict[str, Any]:
    """An answer's `fx_rates` (sorted) and `fx_warnings`, as its model's fields (`out`:
    `rate_out`, or one that remembers its answers)."""
    shown = [(out or rate_out)(rate) for rate in sorted(rates)]
    return {"fx_rates": shown, "fx_warnings": fx_warnings(shown, as_of)}


def fx_warnings(rates: Sequence[RateOut], as_of: dt.date) -> list[FxWarningOut]:
    """A warning for each market rate used that is older than the as-of date by more than
    31 days (pegs do not age), once per rate, in a fixed order.

    DESIGN asks for a warning when the newest rate used is that old; warning on each stale
    rate says that and more (a caller's old rate beside a fresh ECB day is named too).
    """
    legs = {
        (leg.date, leg.base, leg.quote, leg.origin)
        for rate in rates
        for leg in rate.legs
        if not leg.pegged and as_of - leg.date > STALE_AFTER
    }
    return [
        FxWarningOut.trusted(
            rate=RatePairOut.trusted(source=base, target=quote),
            date=day,
            days=(as_of - day).days,
            origin=origin,
        )
        for day, base, quote, origin in sorted(legs)
    ]
