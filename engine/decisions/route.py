"""The route of a passport question (DESIGN §4): `passport`, `local_licence` or `unavailable`.

`passport` when the framework is in force (or was asked for by name), home and host are both
members, it covers the activity and the firm's operating mode, the host defines a licence
for the activity, the home's rules are bundled, its licence covers the activity and the home
meets the framework's conditions on the date; `unavailable` when the host prohibits the
activity or has no regime for it; otherwise `local_licence`. A home condition that cannot be
decided (the home's FATF status before the recorded lists are complete) is not met: the
passport cannot be shown, and the answer says why, as text and as a structured reason.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

from engine.decisions.catalogue import in_force, licences_for, regime_on
from engine.decisions.fatf import Cite, country_of, fatf_status, known_from
from engine.decisions.question import Question
from engine.results import FatfListOut, FatfStatusOut, ReasonOut, Route
from rulesdsl import ir
from rulesdsl.check.schema import DEFAULT_MODES

MODE_WORDS = {
    "cross_border": "cross-border services",
    "branch": "a branch",
    "subsidiary": "a subsidiary",
}


@dataclass(frozen=True, slots=True)
class RouteAnswer:
    """The route, its reasons (text, and structured where the route could not decide
    something), and the home's FATF status on the date."""

    route: Route
    reasons: list[str]
    structured: list[ReasonOut]
    home_fatf: FatfStatusOut


@dataclass(slots=True)
class _Findings:
    """What the route checks found: reasons as text and as structured reasons."""

    reasons: list[str] = field(default_factory=list)
    structured: list[ReasonOut] = field(default_factory=list)

    def add(self, text: str, reason: ReasonOut | None = None) -> None:
        self.reasons.append(text)
        if reason is not None and reason not in self.structured:
            self.structured.append(reason)


def unbundled_line(code: str) -> str:
    """The reason an unbundled home never passports."""
    return f"{code} is not in these rules: nothing can be deemed from its licence"


def mou_in_force(bundle: ir.Bundle, home: str, host: str, day: dt.date) -> ir.Mou | None:
    """A `vasp_supervision` MoU between the home (or its country) and the host (or its
    country) in force on `day`, if one is recorded."""
    homes = {home, country_of(home)}
    hosts = {host, country_of(host)}
    return next(
        (
            m
            for m in bundle.mous
            if m.scope == "vasp_supervision"
            and in_force(m.period, day)
            and homes & set(m.parties)
            and (hosts - homes) & set(m.parties)
        ),
        None,
    )


def _listed_condition(
    bundle: ir.Bundle, question: Question, which: str, status: FatfListOut, found: _Findings
) -> None:
    home, day = question.home_code, question.as_of
    wanted = f"the framework requires a home not {which}-listed"
    if status.status == "listed":
        cite = status.citation
        source = f" ({cite.instrument} {cite.provision!r})" if cite else ""
        found.add(f"{home} was on the FATF {which} list on {day}{source}; {wanted}")
    elif status.status == "unknown":
        start = known_from(bundle, which)
        complete = f" (complete from {start})" if start else ""
        found.add(
            f"{home}'s FATF {which}-list status on {day} is not known from the recorded "
            f"lists{complete}; {wanted}, so the passport cannot be shown",
            ReasonOut(kind="fatf_status", attribute="home", date=day),
        )


def _home_licenses(question: Question, found: _Findings) -> None:
    home, day, activity = question.home_code, question.as_of, question.activity
    if question.home is None:
        found.add(
            f"{home} is not in these rules: whether it licenses {activity} is not known",
            ReasonOut(kind="unbundled_home", attribute="home"),
        )
        return
    regime = regime_on(question.home, activity, day)
    if regime is None or regime.status != "licensed":
        found.add(f"{home} does not license {activity} on {day}")


def home_condition_failures(
    bundle: ir.Bundle, question: Question, framework: ir.Framework, status: FatfStatusOut
) -> _Findings:
    """Which of the framework's home conditions the home fails (or cannot be shown to
    meet) on the date."""
    found = _Findings()
    checks: dict[str, Callable[[], None]] = {
        "not_grey_listed": lambda: _listed_condition(bundle, question, "grey", status.grey, found),
        "not_black_listed": lambda: _listed_condition(
            bundle, question, "black", status.black, found
        ),
        "home_licenses_activity": lambda: _home_licenses(question, found),
        "mou_in_force": lambda: _mou_condition(bundle, question, found),
    }
    for condition in framework.home_conditions:
        checks[condition]()
    return found


def _mou_condition(bundle: ir.Bundle, question: Question, found: _Findings) -> None:
    home, host, day = question.home_code, question.host.code, question.as_of
    if mou_in_force(bundle, home, host, day) is None:
        found.add(
            f"no MoU on VASP supervision between {home} and {host} in force on {day} is "
            "recorded; the framework requires one"
        )


def route_of(
    bundle: ir.Bundle, question: Question, cite: Cite, home_fatf: FatfStatusOut | None = None
) -> RouteAnswer:
    """The route, the reasons for it and the home's FATF status (`home_fatf`: that status,
    already known)."""
    status = home_fatf or fatf_status(bundle, question.home_code, question.as_of, cite)
    route, found = _route(bundle, question, status)
    if question.home is None:
        line = unbundled_line(question.home_code)
        if line not in found.reasons:
            found.reasons.insert(0, line)
        found.structured.insert(0, ReasonOut(kind="unbundled_home", attribute="home"))
    structured = list(dict.fromkeys(found.structured))  # one of each, in order
    return RouteAnswer(route, found.reasons, structured, status)


def _route(bundle: ir.Bundle, question: Question, status: FatfStatusOut) -> tuple[Route, _Findings]:
    host, day, activity = question.host, question.as_of, question.activity
    found = _Findings()
    regime = regime_on(host, activity, day)
    if regime is None:
        found.add(
            f"no regime for {activity} in {host.code} on {day} is recorded in these rules: "
            "whether it is licensed, prohibited or unregulated is not known"
        )
        return "unavailable", found
    if regime.status in ("prohibited", "no_regime"):
        words = {"prohibited": "prohibits", "no_regime": "has no licensing regime for"}[
            regime.status
        ]
        note = f": {regime.note}" if regime.note else ""
        found.add(f"{host.code} {words} {activity} on {day}{note}")
        return "unavailable", found
    framework = question.framework
    if framework is None or framework.mechanism == "none":
        found.add(f"no passport framework applies; a licence from {host.code} is needed")
        return "local_licence", found
    if question.profile.operating_mode is None:
        modes = " or ".join(MODE_WORDS[m] for m in DEFAULT_MODES)
        found.add(f"operating mode not stated: answered as for {modes}")
    blockers = passport_blockers(bundle, question, framework, status)
    found.reasons.extend(blockers.reasons)
    found.structured.extend(blockers.structured)
    if blockers.reasons:
        return "local_licence", found
    found.add(f"{framework.title}: {question.home_code} licence passported to {host.code}")
    return "passport", found


def passport_blockers(
    bundle: ir.Bundle, question: Question, framework: ir.Framework, status: FatfStatusOut
) -> _Findings:
    """Why the framework does not give a passport for this question (empty: it does)."""
    found = _Findings()
    day, home, host = question.as_of, question.home_code, question.host.code
    if not question.framework_requested and not (
        framework.status == "in_force" and in_force(framework.period, day)
    ):
        found.add(f"{framework.id} is not in force on {day}")
    for code in (home, host):
        if code not in framework.members:
            found.add(f"{code} is not a member of {framework.id}")
    if home == host:
        found.add("home and host are the same jurisdiction")
    if framework.activities and question.activity not in framework.activities:
        found.add(f"{framework.id} does not cover {question.activity}")
    _mode_blocker(question, framework, found)
    if not licences_for(question.host, question.activity):
        found.add(
            f"{host} defines no licence for {question.activity}: there is no host licence "
            "a passport could stand in for"
        )
    if question.home is None:
        found.add(unbundled_line(home), ReasonOut(kind="unbundled_home", attribute="home"))
    else:
        held = next(
            (lic for lic in question.home.licences if lic.id == question.profile.licence), None
        )
        if held is None or question.activity not in held.activities:
            found.add(
                f"the home licence {question.profile.licence} does not cover {question.activity}"
            )
    conditions = home_condition_failures(bundle, question, framework, status)
    found.reasons.extend(conditions.reasons)
    found.structured.extend(conditions.structured)
    return found


def _mode_blocker(question: Question, framework: ir.Framework, found: _Findings) -> None:
    mode = question.profile.operating_mode or DEFAULT_MODES[0]
    if mode in framework.modes:
        return
    covered = " or ".join(MODE_WORDS[m] for m in framework.modes) or "no operating mode"
    extra = (
        ": a subsidiary is a separate legal person, authorised on its own"
        if mode == "subsidiary"
        else ""
    )
    found.add(
        f"{framework.id} passports only {covered}, not {MODE_WORDS[mode]}{extra}; "
        f"a licence from {question.host.code} is needed"
    )
