"""The catalogue: which regimes, licences, hosts and requirement versions apply to a question.

Every "which licence covers this activity" answer comes from `licences_for`, and every
"which version of a requirement binds this firm on this date" answer from `versions_for`,
so the passport decision, the matrix, the comparison, the generated site and all three
backends agree on them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

from engine.errors import EngineError
from engine.evaluation.explanations import Missing
from engine.results import (
    NOT_RECORDED,
    JurisdictionList,
    JurisdictionSummary,
    StaleEntry,
    StaleList,
)
from rulesdsl import ir
from rulesdsl.ir.months import in_month, month_dates, not_after, reached

ALL_HOSTS = "all"  # the host "code" that asks about every bundled host but the home
# The per-host profile attribute that says whether a deadline ("comply by D") gives the firm
# until D: the vocabulary declares it, the version choice reads it.
LICENSED_IN_HOST = "licensed_in_host"
# The per-host profile attribute that says when the firm was authorised under the host's
# earlier law: a transitional route is offered only to a firm authorised before its date.
AUTHORISED_EARLIER = "authorised_under_earlier_law"


def in_force(period: ir.Period, day: dt.date) -> bool:
    """Whether `day` falls in `period`."""
    return period.contains(day)


def regime_on(jurisdiction: ir.Jurisdiction, activity: str, day: dt.date) -> ir.Regime | None:
    """The jurisdiction's regime for an activity on a date, if one is recorded."""
    return next(
        (r for r in jurisdiction.regimes if r.activity == activity and in_force(r.period, day)),
        None,
    )


def listed_on(bundle: ir.Bundle, country: str, which: str, day: dt.date) -> ir.FatfListing | None:
    """The FATF listing of `country` on list `which` in force on `day`, if any."""
    return next(
        (
            f
            for f in bundle.fatf
            if f.country == country and f.list == which and in_force(f.period, day)
        ),
        None,
    )


def licences_for(jurisdiction: ir.Jurisdiction, activity: str) -> tuple[ir.Licence, ...]:
    """Every full licence of `jurisdiction` covering `activity`, in the order the rules
    declare them (an alternative route, a sandbox or transitional route, is never one)."""
    return tuple(
        lic for lic in jurisdiction.licences if activity in lic.activities and lic.route == "full"
    )


def alternatives_for(jurisdiction: ir.Jurisdiction, activity: str) -> tuple[ir.Licence, ...]:
    """The alternative routes of `jurisdiction` covering `activity`: offered beside its full
    licences, never chosen in their place."""
    return tuple(
        lic for lic in jurisdiction.licences if activity in lic.activities and lic.route != "full"
    )


def licensing_licences(
    jurisdiction: ir.Jurisdiction, activity: str, day: dt.date
) -> tuple[ir.Licence, ...]:
    """The licences covering `activity` where the jurisdiction licenses it on `day` (else none)."""
    regime = regime_on(jurisdiction, activity, day)
    if regime is None or regime.status != "licensed":
        return ()
    return licences_for(jurisdiction, activity)


def licensing(jurisdictions: Iterable[ir.Jurisdiction], activity: str, day: dt.date) -> list[str]:
    """Codes, sorted, of the jurisdictions that license `activity` on `day` with a licence."""
    return sorted(j.code for j in jurisdictions if licensing_licences(j, activity, day))


def hosts_asked(codes: Iterable[str], home: str, host: str, apply_for: str | None) -> list[str]:
    """The hosts a passport question is about: one code, or every code but the home.

    Raises:
        EngineError: `apply_for` with every host (a licence belongs to one host).
    """
    if host != ALL_HOSTS:
        return [host]
    if apply_for is not None:
        raise EngineError(
            f"apply_for names a licence of one host; ask about one host, not {ALL_HOSTS!r}",
            "apply_for",
        )
    return sorted(code for code in codes if code != home)


def regimes_table(bundle: ir.Bundle, day: dt.date) -> JurisdictionList:
    """Every bundled jurisdiction with its regime status per activity on `day`."""
    activities = [a.id for a in bundle.vocabulary.activities]
    rows = []
    for j in sorted(bundle.jurisdictions, key=lambda j: j.code):
        regimes = {}
        for activity in activities:
            regime = regime_on(j, activity, day)
            regimes[activity] = regime.status if regime else NOT_RECORDED
        rows.append(
            JurisdictionSummary(
                code=j.code,
                name=j.name,
                currency=j.currency,
                verified_on=j.verified,
                regimes=regimes,
            )
        )
    return JurisdictionList(as_of=day, jurisdictions=rows)


def stale_table(bundle: ir.Bundle, day: dt.date, days: int) -> StaleList:
    """The jurisdictions, and the requirements with a date of their own, not verified within
    `days` days before `day`; one never verified is always stale."""

    def entry(code: str, requirement: str | None, verified: dt.date | None) -> StaleEntry | None:
        age = (day - verified).days if verified is not None else None
        if age is not None and age <= days:
            return None
        return StaleEntry(
            jurisdiction=code, requirement=requirement, verified_on=verified, age_days=age
        )

    found: list[StaleEntry | None] = []
    for j in sorted(bundle.jurisdictions, key=lambda j: j.code):
        found.append(entry(j.code, None, j.verified))
        own = {(r.id, r.verified) for r in j.requirements if r.verified is not None}
        found.extend(entry(j.code, rid, verified) for rid, verified in sorted(own))
    return StaleList(as_of=day, days=days, stale=[e for e in found if e is not None])


# ---- requirement versions ------------------------------------------------------------------

VersionKey = tuple[str, dt.date | None]  # a requirement version: its id and its `from`


@dataclass(frozen=True, slots=True)
class InForce:
    """The versions of a licence's requirements that bind a firm on a date, in rule order.

    `undecided` maps the id of a requirement whose version cannot be chosen for this firm
    to what is missing (the firm's `licensed_in_host`, or an open deadline whose source
    is silent on applicants): the chosen entry in `requirements` is then its deadline
    version, answered `unknown` without any backend evaluating it.
    """

    requirements: tuple[ir.Requirement, ...]
    decided: tuple[ir.Requirement, ...]  # the versions the backends evaluate: one tuple, kept
    undecided: Mapping[str, Missing]


def successors(requirements: Sequence[ir.Requirement]) -> dict[VersionKey, ir.Requirement]:
    """The deadline version replacing each version: the one of the same id starting where
    it ends (the checker makes them meet, E505). Licensed firms stay on the replaced version
    until the deadline inclusive."""
    starts = {(r.id, r.period.start): r for r in requirements if r.deadline is not None}
    return {
        (r.id, r.period.start): starts[(r.id, r.period.end)]
        for r in requirements
        if r.period.end is not None and (r.id, r.period.end) in starts
    }


def deadline_of(
    requirement: ir.Requirement, replaced: Mapping[VersionKey, ir.Requirement]
) -> dt.date | None:
    """The deadline a version's answer line shows: its own, or that of its successor."""
    successor = replaced.get((requirement.id, requirement.period.start))
    return requirement.deadline or (successor.deadline if successor else None)


def known_to_month(
    requirement: ir.Requirement, replaced: Mapping[VersionKey, ir.Requirement]
) -> list[Literal["from", "until", "by"]]:
    """Which dates of a version's answer line are known only to the month: its `from`, its
    `until`, and the deadline it shows (its own, or that of its successor)."""
    successor = replaced.get((requirement.id, requirement.period.start))
    dated = requirement if requirement.deadline is not None else successor
    found: list[Literal["from", "until", "by"]] = []
    if requirement.period.start is not None and requirement.start_precision == "month":
        found.append("from")
    if requirement.period.end is not None and requirement.end_precision == "month":
        found.append("until")
    if dated is not None and dated.deadline is not None and dated.deadline_precision == "month":
        found.append("by")
    return found


def versions_for(
    requirements: Sequence[ir.Requirement],
    replaced: Mapping[VersionKey, ir.Requirement],
    licence: str,
    day: dt.date,
    licensed: bool | None,
    named_only: bool = False,
) -> InForce:
    """Which version of each requirement of `licence` binds a firm on `day`.

    `licensed` says whether the firm already holds the host's licence (None: not known).
    A deadline version binds a licensed firm from the day after its deadline, the version
    it replaces binding it until then; it binds a new applicant from its `from` only where
    the source says so (`binds_applicants`). Where a date known only to the month decides
    it and `day` falls in that month, the version is undecided (`Missing.month`); of the
    versions of one id undecided so, the first stands for the rest.

    Args:
        requirements: every requirement of the jurisdiction, in rule order.
        replaced: `successors(requirements)`, computed once per jurisdiction.
        licence: the licence asked about.
        day: the as-of date.
        licensed: the firm's `licensed_in_host`, if given.
        named_only: an alternative route: only requirements that name it bind it (one that
            names no licence binds the full licences).
    """
    chosen: list[ir.Requirement] = []
    undecided: dict[str, Missing] = {}
    for r in requirements:
        if (r.licences and licence not in r.licences) or (named_only and not r.licences):
            continue
        missing = _unsettled(r, replaced.get((r.id, r.period.start)), day, licensed)
        if missing is None:
            continue
        if missing.month is not None and r.id in undecided:
            continue  # two versions of one id, each perhaps in force: one unknown line
        if missing != _SETTLED:
            undecided[r.id] = missing
        chosen.append(r)
    decided = tuple(r for r in chosen if r.id not in undecided)
    return InForce(tuple(chosen), decided, undecided)


_SETTLED = Missing()  # the version binds the firm on the day, and nothing is missing


def _unsettled(
    r: ir.Requirement, successor: ir.Requirement | None, day: dt.date, licensed: bool | None
) -> Missing | None:
    """None where version `r` does not bind the firm on `day`; else what keeps it from
    being known to (`_SETTLED`: nothing)."""
    if licensed is True:
        binds = _binds_licensed(r, successor, day)
        if binds is False:
            return None
        return _SETTLED if binds else Missing(month=_month_deciding(day, r, successor))
    force = period_holds(r, day)
    if force is False:
        return None
    missing = _SETTLED if force else Missing(month=_month_deciding(day, r))
    if r.deadline is None:
        return missing
    before = not_after(day, r.deadline, r.deadline_precision)
    if before is False:
        return missing
    if licensed is None:
        missing |= Missing(attributes=frozenset({LICENSED_IN_HOST}))
    elif not r.binds_applicants:
        # The source sets no date for applicants: whether the new figure binds them
        # before the deadline is a question the rules cannot answer.
        missing |= Missing(open_deadline=r.deadline)
    else:
        return missing  # binds an applicant from `from` either way
    return missing if before else missing | Missing(month=_month_deciding(day, r))


def period_holds(requirement: ir.Requirement, day: dt.date) -> bool | None:
    """Whether `day` falls in the version's period; None where it falls in the month of a
    start or end known only to the month."""
    start, end = requirement.period.start, requirement.period.end
    started = True if start is None else reached(day, start, requirement.start_precision)
    ended = False if end is None else reached(day, end, requirement.end_precision)
    if started is False or ended is True:
        return False
    return None if started is None or ended is None else True


def _month_deciding(day: dt.date, *versions: ir.Requirement | None) -> dt.date | None:
    """The first day of the month-precision month of the versions' dates that `day` falls in."""
    months = (m for v in versions if v is not None for m in month_dates(v))
    return next((m for m in months if in_month(day, m, "month")), None)


def _binds_licensed(
    requirement: ir.Requirement, successor: ir.Requirement | None, day: dt.date
) -> bool | None:
    """Whether a version binds a firm already licensed in the host on `day`: in its own
    period once its deadline (if any) has passed, or in its successor's period until the
    successor's deadline; None where a date known only to the month leaves it open."""
    deadline = requirement.deadline
    passed = (
        True if deadline is None else _not(not_after(day, deadline, requirement.deadline_precision))
    )
    own = _and(period_holds(requirement, day), passed)
    extended: bool | None = False
    if successor is not None and successor.deadline is not None:
        pending = not_after(day, successor.deadline, successor.deadline_precision)
        extended = _and(period_holds(successor, day), pending)
    if own is True or extended is True:
        return True
    return None if own is None or extended is None else False


def _not(value: bool | None) -> bool | None:
    return None if value is None else not value


def _and(left: bool | None, right: bool | None) -> bool | None:
    """Kleene conjunction."""
    if left is False or right is False:
        return False
    return None if left is None or right is None else True
