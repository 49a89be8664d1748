"""The route of a passport question (DESIGN §4): `passport`, `local_licence` or `unavailable`.

`passport` when the framework is in force (or was asked for by name), home and host are both
members, it covers the activity and the home meets its conditions on the date; `unavailable`
when the host prohibits the activity or has no regime for it; otherwise `local_licence`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from engine.decisions.catalogue import in_force, listed_on, regime_on
from engine.decisions.question import Question
from engine.results import Route
from rulesdsl import ir


def home_condition_failures(
    bundle: ir.Bundle, question: Question, framework: ir.Framework
) -> list[str]:
    """Which of the framework's home conditions the home fails on the date."""
    home, day = question.home.code, question.as_of
    failures = []
    checks: Mapping[str, Callable[[], str | None]] = {
        "not_grey_listed": lambda: (
            f"{home} is on the FATF grey list on {day}"
            if listed_on(bundle, home, "grey", day)
            else None
        ),
        "not_black_listed": lambda: (
            f"{home} is on the FATF black list on {day}"
            if listed_on(bundle, home, "black", day)
            else None
        ),
        "home_licenses_activity": lambda: (
            None
            if (r := regime_on(question.home, question.activity, day)) and r.status == "licensed"
            else f"{home} does not license {question.activity} on {day}"
        ),
    }
    for condition in framework.home_conditions:
        failure = checks[condition]()
        if failure:
            failures.append(failure)
    return failures


def route_of(bundle: ir.Bundle, question: Question) -> tuple[Route, list[str]]:
    """The route and the reasons for it."""
    host, day, activity = question.host, question.as_of, question.activity
    regime = regime_on(host, activity, day)
    if regime is None:
        return "unavailable", [
            f"no regime for {activity} in {host.code} on {day} is recorded in these rules: "
            "whether it is licensed, prohibited or unregulated is not known"
        ]
    if regime.status in ("prohibited", "no_regime"):
        words = {"prohibited": "prohibits", "no_regime": "has no licensing regime for"}[
            regime.status
        ]
        note = f": {regime.note}" if regime.note else ""
        return "unavailable", [f"{host.code} {words} {activity} on {day}{note}"]
    framework = question.framework
    if framework is None or framework.mechanism == "none":
        return "local_licence", [
            f"no passport framework applies; a licence from {host.code} is needed"
        ]
    blockers = passport_blockers(bundle, question, framework)
    if blockers:
        return "local_licence", blockers
    return "passport", [
        f"{framework.title}: {question.home.code} licence passported to {host.code}"
    ]


def passport_blockers(bundle: ir.Bundle, question: Question, framework: ir.Framework) -> list[str]:
    """Why the framework does not give a passport for this question (empty: it does)."""
    reasons = []
    day = question.as_of
    if not question.framework_requested and not (
        framework.status == "in_force" and in_force(framework.period, day)
    ):
        reasons.append(f"{framework.id} is not in force on {day}")
    for code in (question.home.code, question.host.code):
        if code not in framework.members:
            reasons.append(f"{code} is not a member of {framework.id}")
    if question.home.code == question.host.code:
        reasons.append("home and host are the same jurisdiction")
    if framework.activities and question.activity not in framework.activities:
        reasons.append(f"{framework.id} does not cover {question.activity}")
    held = next((lic for lic in question.home.licences if lic.id == question.profile.licence), None)
    if held is None or question.activity not in held.activities:
        reasons.append(
            f"the home licence {question.profile.licence} does not cover {question.activity}"
        )
    reasons.extend(home_condition_failures(bundle, question, framework))
    return reasons
