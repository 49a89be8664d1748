"""The passport decision (DESIGN §4): route, verdict and every requirement's status.

The route comes from `engine.decisions.route`. Verdict: `not_eligible` if the route is
unavailable or a blocking requirement is unmet, else `incomplete` if anything is unknown,
else `conditional` if anything is unmet, else `eligible`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from engine.decisions.answers import (
    counts_of,
    framework_notes,
    framework_out,
    gap_out,
    rate_out,
    reasons_of,
    verdict_of,
)
from engine.decisions.catalogue import (
    LICENSED_IN_HOST,
    InForce,
    VersionKey,
    deadline_of,
    licences_for,
    regime_on,
    successors,
    versions_for,
)
from engine.decisions.implication import Prover, provable_home_requirements
from engine.decisions.question import Question
from engine.decisions.route import route_of
from engine.evaluation.backend import Context, Status, StatusBackend
from engine.evaluation.explanations import Missing, Outcome
from engine.evaluation.memo import ExplanationMemo
from engine.evaluation.reference import requirement_status
from engine.inputs.fx import FxBook, RateUsed
from engine.inputs.profiles import Value
from engine.results import (
    CitationOut,
    Decision,
    HomeRequirementOut,
    RequirementResult,
    Route,
    Verdict,
)
from rulesdsl import ir

STATUS_QUO = "status_quo"
_VERDICT_RANK: Mapping[str, int] = {
    "eligible": 0,
    "conditional": 1,
    "incomplete": 2,
    "not_eligible": 3,
}


def _licensed(question: Question, licence: ir.Licence, facts: Mapping[str, Value]) -> bool | None:
    """Whether the firm already holds `licence`: the profile's `licensed_in_host`, else yes
    where it is the home licence itself (a firm asking about its own regime), else unknown."""
    given = facts.get(LICENSED_IN_HOST)
    if isinstance(given, bool):
        return given
    own = question.home_code == question.host.code and question.profile.licence == licence.id
    return True if own else None


class Decider:
    """Answers passport questions against one bundle."""

    def __init__(self, bundle: ir.Bundle, fx: FxBook, rules_hash: str) -> None:
        self.bundle = bundle
        self.fx = fx
        self.rules_hash = rules_hash
        self.minor_units = {c.code: c.minor_units for c in bundle.vocabulary.currencies}
        self.instruments = {(j.code, i.id): i for j in bundle.jurisdictions for i in j.instruments}
        self.instruments.update({("", i.id): i for i in bundle.instruments})
        self.per_host = frozenset(a.name for a in bundle.vocabulary.attributes if a.per_host)
        self.memo = ExplanationMemo()
        # Results are immutable, so the pieces that do not depend on the firm are built
        # once: the applicable list per licence and date, citations, and "met" lines.
        self._applicable: dict[tuple[str, str, dt.date, bool | None], InForce] = {}
        self._replaced: dict[str, dict[VersionKey, ir.Requirement]] = {
            j.code: successors(j.requirements) for j in bundle.jurisdictions
        }
        self._citations: dict[tuple[str, str, str], CitationOut] = {}
        self._shared: dict[tuple[str, int, bool | None, Missing, bool], RequirementResult] = {}

    # ---- requirements ---------------------------------------------------------------------

    def applicable(
        self, jurisdiction: ir.Jurisdiction, licence: str, day: dt.date, licensed: bool | None
    ) -> InForce:
        """The versions of a licence's requirements binding a firm on a date (before `when`
        is evaluated); `licensed`: whether it already holds the licence (None: not known)."""
        key = (jurisdiction.code, licence, day, licensed)
        found = self._applicable.get(key)
        if found is None:
            replaced = self._replaced.get(jurisdiction.code) or successors(
                jurisdiction.requirements
            )
            found = versions_for(jurisdiction.requirements, replaced, licence, day, licensed)
            if len(self._applicable) > 4096:  # bounded: dates are open-ended
                self._applicable.clear()
            self._applicable[key] = found
        return found

    def citation(self, jurisdiction: str, citation: ir.Citation) -> CitationOut:
        """A citation with its instrument's title and address."""
        key = (jurisdiction, citation.instrument, citation.provision)
        found = self._citations.get(key)
        if found is None:
            found = self._citations[key] = self._make_citation(jurisdiction, citation)
        return found

    def _make_citation(self, jurisdiction: str, citation: ir.Citation) -> CitationOut:
        instrument = self.instruments.get(
            (jurisdiction, citation.instrument)
        ) or self.instruments.get(("", citation.instrument))
        return CitationOut(
            instrument=citation.instrument,
            title=instrument.title if instrument else citation.instrument,
            provision=citation.provision,
            url=instrument.url if instrument else None,
        )

    def evaluate_licence(
        self, question: Question, licence: ir.Licence, route: Route, statuses: StatusBackend
    ) -> tuple[list[RequirementResult], set[RateUsed]]:
        """Every applicable requirement of one host licence, with statuses and explanations."""
        facts: dict[str, Value] = question.profile.facts_for(question.host.code)
        facts.update(activity=question.activity, home=question.home_code)
        ctx = Context(
            facts,
            question.as_of,
            self.fx,
            question.host.currency,
            self.minor_units,
            memo=self.memo,
        )
        chosen = self.applicable(
            question.host, licence.id, question.as_of, _licensed(question, licence, facts)
        )
        decided = chosen.decided
        found = dict(zip((id(r) for r in decided), statuses(decided, ctx), strict=True))
        prover = Prover(self.fx, question.as_of, self.per_host)
        deems = (
            set(question.framework.deems) if question.framework and route == "passport" else set()
        )
        # Only a deeming passport reads home rules; the licence is held, so licensed=True.
        held = question.profile.licence
        home = (
            self.applicable(question.home, held, question.as_of, True).decided
            if deems and question.home
            else ()
        )
        premises = provable_home_requirements(home)
        keeps = set(question.framework.keeps) if question.framework else set()
        results = []
        for requirement in chosen.requirements:
            if requirement.id in chosen.undecided:
                why = Outcome(None, chosen.undecided[requirement.id])
                results.append(self.shared_result(question.host.code, requirement, why))
                continue
            status = found[id(requirement)]
            if status == "not_applicable":
                continue
            if status == "met":
                results.append(self.shared_result(question.host.code, requirement, Outcome(True)))
                continue
            outcome = requirement_status(requirement, ctx)[1]
            deemed: list[ir.Requirement] | None = None
            if requirement.category in deems and requirement.category not in keeps:
                deemed = prover.implied(requirement.require, premises)
            results.append(self.result(question, requirement, status, outcome, deemed))
        return results, ctx.rates | prover.rates

    def shared_result(
        self, host: str, requirement: ir.Requirement, outcome: Outcome
    ) -> RequirementResult:
        """A line that depends only on the rule and what is missing (met and unknown lines,
        whose outcome has no gaps): built once and shared, since results are immutable."""
        assert outcome.value is not False
        key = (host, id(requirement), outcome.value, outcome.missing, outcome.applicability)
        found = self._shared.get(key)
        if found is None:
            if len(self._shared) > 65536:  # bounded: missing-attribute sets vary
                self._shared.clear()
            status = "met" if outcome.value else "unknown"
            found = self._shared[key] = self.result_model(host, requirement, status, outcome, [])
        return found

    def result(
        self,
        question: Question,
        requirement: ir.Requirement,
        status: Status,
        outcome: Outcome,
        deemed: list[ir.Requirement] | None,
    ) -> RequirementResult:
        final = "deemed_met" if deemed else status
        if final == "unknown":
            return self.shared_result(question.host.code, requirement, outcome)
        return self.result_model(
            question.host.code,
            requirement,
            final,
            outcome,
            [
                HomeRequirementOut(
                    jurisdiction=question.home_code,
                    id=r.id,
                    title=r.title,
                    citation=self.citation(question.home_code, r.citation),
                )
                for r in deemed or ()
            ],
        )

    def result_model(
        self,
        host: str,
        requirement: ir.Requirement,
        final: str,
        outcome: Outcome,
        deemed_by: list[HomeRequirementOut],
    ) -> RequirementResult:
        return RequirementResult(
            id=requirement.id,
            title=requirement.title,
            category=requirement.category,
            status=final,  # type: ignore[arg-type]
            blocking=requirement.blocking,
            confidence=requirement.confidence,
            pending=requirement.pending,
            missing=sorted(outcome.missing.attributes) if final == "unknown" else [],
            reasons=reasons_of(outcome) if final == "unknown" else [],
            gaps=[gap_out(g) for g in outcome.gaps] if final == "unmet" else [],
            remedy=requirement.remedy,
            citation=self.citation(host, requirement.citation),
            effective_from=requirement.period.start,
            effective_until=requirement.period.end,
            deadline=deadline_of(requirement, self._replaced.get(host, {})),
            deemed_by=deemed_by,
        )

    # ---- the decision -----------------------------------------------------------------------

    def decide(self, question: Question, statuses: StatusBackend, backend: str) -> Decision:
        """Answer one question."""
        answer = route_of(self.bundle, question, lambda c: self.citation("", c))
        route, reasons = answer.route, answer.reasons
        best: tuple[Verdict, str | None, list[RequirementResult], set[RateUsed]] | None = None
        if route != "unavailable":
            licences = [
                lic
                for lic in licences_for(question.host, question.activity)
                if question.apply_for in (None, lic.id)
            ]
            if not licences:
                reasons.append(
                    f"{question.host.code} defines no licence for {question.activity} yet"
                )
                best = ("incomplete", None, [], set())
            for licence in licences:
                results, rates = self.evaluate_licence(question, licence, route, statuses)
                candidate = (verdict_of(results), licence.id, results, rates)
                if best is None or _VERDICT_RANK[candidate[0]] < _VERDICT_RANK[best[0]]:
                    best = candidate
        regime = regime_on(question.host, question.activity, question.as_of)
        if regime is not None and regime.status == "enacted":
            note = f" ({regime.note})" if regime.note else ""
            reasons.append(
                f"{question.host.code} has enacted a regime for {question.activity}; "
                f"its details are not yet published{note}"
            )
            if best is not None and best[0] != "not_eligible":
                best = ("incomplete", *best[1:])
        # Unavailable because the host prohibits it or has no regime: not eligible. Unavailable
        # because the rules record nothing for the activity: not known, so incomplete.
        unrecorded = regime is None and route == "unavailable"
        fallback: Verdict = "incomplete" if unrecorded else "not_eligible"
        verdict, host_licence, results, rates = best or (fallback, None, [], set())
        return Decision(
            firm=question.profile.name,
            home=question.home_code,
            home_licence=question.profile.licence,
            host=question.host.code,
            host_name=question.host.name,
            activity=question.activity,
            as_of=question.as_of,
            framework=framework_out(question.framework),
            operating_mode=question.profile.operating_mode,  # type: ignore[arg-type]
            route=route,
            host_licence=host_licence,
            verdict=verdict,
            reasons=reasons + framework_notes(question.framework),
            route_reasons=answer.structured,
            home_fatf=answer.home_fatf,
            counts=counts_of(results),
            requirements=results,
            fx_rates=[rate_out(r) for r in sorted(rates)],
            rules_hash=self.rules_hash,
            fx_hash=self.fx.hash,
            backend=backend,  # type: ignore[arg-type]
        )
