"""The catalogue: which regimes, licences and hosts apply to a question.

Every "which licence covers this activity" answer comes from `licences_for`, so the
passport decision, the matrix, the comparison and the generated site agree on it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from engine.errors import EngineError
from engine.results import JurisdictionList, JurisdictionSummary
from rulesdsl import ir

ALL_HOSTS = "all"  # the host "code" that asks about every bundled host but the home
NOT_RECORDED = "not recorded"  # the regimes table's entry where the rules record no regime


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
    """Every licence of `jurisdiction` covering `activity`, in the order the rules declare them."""
    return tuple(lic for lic in jurisdiction.licences if activity in lic.activities)


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
            JurisdictionSummary(code=j.code, name=j.name, currency=j.currency, regimes=regimes)
        )
    return JurisdictionList(as_of=day, jurisdictions=rows)
