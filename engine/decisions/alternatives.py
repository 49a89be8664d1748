"""Alternative routes (DESIGN §4): a sandbox or a transitional route, offered beside the full
licence's answer and never chosen as the answer in its place.

A sandbox is time-limited and, where the rules say so, at the regulator's discretion: its
answer is never `eligible`, since admission is not the firm's to establish. A transitional
route is offered only to a firm whose profile shows it was authorised under the host's
earlier law before the route's date, and only up to the day the route ends; a new entrant
never sees it. Either is answered on the requirements that name it (one naming no licence
binds the full licences alone).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from typing import Protocol

from engine.decisions.answers import counts_of, verdict_of
from engine.decisions.catalogue import AUTHORISED_EARLIER
from engine.decisions.question import Question
from engine.evaluation.backend import StatusBackend
from engine.inputs.fx import RateUsed
from engine.results import AlternativeOut, CitationOut, RequirementResult, Route, Verdict
from rulesdsl import ir


class Evaluator(Protocol):
    """What offering the routes needs of the passport decider: a licence's lines, and
    citations as answers show them."""

    def evaluate_licence(
        self, question: Question, licence: ir.Licence, route: Route, statuses: StatusBackend
    ) -> tuple[list[RequirementResult], set[RateUsed]]:
        """Every applicable requirement of one host licence, with statuses."""

    @property
    def citation(self) -> Callable[[str, ir.Citation], CitationOut]:
        """A citation of a jurisdiction's rules, as answers show it."""


def _offered(question: Question, licence: ir.Licence) -> bool:
    """Whether the route is open to this firm on the question's date."""
    if licence.route != "transitional":
        return True
    earlier = question.profile.facts_for(question.host.code).get(AUTHORISED_EARLIER)
    if not isinstance(earlier, dt.date) or licence.authorised_before is None:
        return False  # a new entrant, or one whose profile does not show it: not offered
    if earlier >= licence.authorised_before:
        return False
    return licence.ends is None or question.as_of <= licence.ends


def _reasons(licence: ir.Licence, host: ir.Jurisdiction) -> list[str]:
    """What the answer says about the route itself: time limit, discretion, end."""
    found: list[str] = []
    if licence.route == "sandbox":
        term = licence.term
        found.append(
            f"time-limited: admission for {term.amount} {term.unit}"
            if term is not None
            else "time-limited: its duration is not stated in these rules"
        )
    else:
        ends = licence.ends
        found.append(
            f"for firms authorised under {host.code}'s earlier law before "
            f"{licence.authorised_before}; ends "
            + (f"on {ends} at the latest" if ends else "on a day not retrieved")
            + ", or on the decision on the firm's new authorisation if sooner"
        )
    if licence.discretionary:
        regulator = host.authorities[0] if host.authorities else f"the {host.code} regulator"
        found.append(f"admission is at the discretion of {regulator}")
    return found


def _verdict(licence: ir.Licence, results: list[RequirementResult]) -> Verdict:
    """The route's verdict: its lines', but never `eligible` where admission is discretionary."""
    verdict = verdict_of(results)
    return "conditional" if verdict == "eligible" and licence.discretionary else verdict


def alternatives(
    decider: Evaluator,
    question: Question,
    route: Route,
    statuses: StatusBackend,
    routes: Sequence[ir.Licence],
) -> list[AlternativeOut]:
    """Which of `routes` (the host's alternative routes for the activity,
    `catalogue.alternatives_for`) are offered to this firm beside the full licence's
    answer, each answered."""
    if route == "unavailable":
        return []
    found = []
    for licence in routes:
        if not _offered(question, licence):
            continue
        results = decider.evaluate_licence(question, licence, route, statuses)[0]
        term = licence.term
        found.append(
            AlternativeOut.trusted(
                route=licence.route,
                licence=licence.id,
                title=licence.title,
                term=f"{term.amount} {term.unit}" if term is not None else None,
                term_pending=licence.route == "sandbox" and term is None,
                discretionary=licence.discretionary,
                authorised_before=licence.authorised_before,
                ends=licence.ends,
                verdict=_verdict(licence, results),
                reasons=_reasons(licence, question.host),
                counts=counts_of(results),
                requirements=results,
                citation=(
                    decider.citation(question.host.code, licence.citation)
                    if licence.citation
                    else None
                ),
            )
        )
    return found


def discretion_notes(host: ir.Jurisdiction, results: list[RequirementResult]) -> list[str]:
    """ "The regulator may require more" notes of the answered requirements: never blocking,
    never pending, said on the answer."""
    answered = {r.id for r in results}
    return [
        f"{r.id}: the regulator may require more: {r.may_require_more}"
        for r in host.requirements
        if r.may_require_more and r.id in answered
    ]
