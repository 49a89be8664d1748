"""The passport decision (DESIGN §4): route, verdict and every requirement's status.

The route comes from `engine.decisions.route`. Verdict: `not_eligible` if the route is
unavailable or a blocking requirement is unmet, else `incomplete` if anything is unknown,
else `conditional` if anything is unmet, else `eligible`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Hashable, Mapping
from typing import Any

from engine.decisions.alternatives import alternatives, discretion_notes
from engine.decisions.answers import (
    KeptRates,
    counts_of,
    framework_notes,
    framework_out,
    fx_reported,
    passport_steps,
    verdict_of,
)
from engine.decisions.catalogue import (
    InForce,
    VersionKey,
    alternatives_for,
    licences_for,
    regime_on,
    successors,
    versions_for,
)
from engine.decisions.deeming import NO_HOME_RULES, Deemer, HomeRules
from engine.decisions.fatf import fatf_status
from engine.decisions.lines import Line, LineBuilder, treatments
from engine.decisions.plans import Answered, Plan, PlanKey, licensed_for, plan_of
from engine.decisions.question import Question, facts_of
from engine.decisions.route import RouteAnswer, route_of
from engine.evaluation.backend import Context, StatusBackend
from engine.evaluation.explanations import Outcome
from engine.evaluation.lru import Kept
from engine.evaluation.memo import ExplanationMemo
from engine.evaluation.reference import requirement_status
from engine.inputs.fx import FxBook, RateUsed
from engine.results import (
    CitationOut,
    Decision,
    FatfStatusOut,
    FrameworkOut,
    RateOut,
    RequirementResult,
    Route,
    StepOut,
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
MET = Outcome(True)  # the outcome of every met line (never mutated: shared lines read it)


class Decider:
    """Answers passport questions against one bundle."""

    def __init__(self, bundle: ir.Bundle, fx: FxBook, rules_hash: str, bundle_name: str) -> None:
        self.bundle = bundle
        self.fx = fx
        self.rules_hash = rules_hash
        self.bundle_name = bundle_name  # named in every answer beside the rules hash
        self.minor_units = {c.code: c.minor_units for c in bundle.vocabulary.currencies}
        self.per_host = frozenset(a.name for a in bundle.vocabulary.attributes if a.per_host)
        self.memo = ExplanationMemo()
        # Each cache below is bounded (`Kept`: dates are open-ended, firms' figures vary).
        # The applicable list per licence and date does not depend on the firm: built once.
        self._applicable: Kept[tuple[str, str, dt.date, bool | None], InForce] = Kept(4096)
        self._replaced: dict[str, dict[VersionKey, ir.Requirement]] = {
            j.code: successors(j.requirements) for j in bundle.jurisdictions
        }
        self.lines = LineBuilder(bundle, self._replaced)
        # Pure functions of the bundle and their keys, kept.
        self._plans: Kept[PlanKey, Plan] = Kept(4096)
        # A plan's lines for the facts they read: the same question again (a client asking
        # twice, the same firm into many hosts' matrices) is answered without evaluating.
        self._answered: Kept[Hashable, Answered] = Kept(4096)
        self._fatf: Kept[tuple[str, dt.date], FatfStatusOut] = Kept(4096)
        self._routes: Kept[tuple[object, ...], RouteAnswer] = Kept(4096)
        self._regimes: Kept[
            tuple[str, str, dt.date],
            tuple[tuple[ir.Licence, ...], ir.Regime | None, tuple[ir.Licence, ...]],
        ] = Kept(4096)
        self._framework_out: dict[str, FrameworkOut | None] = {}
        # An answer's `fx_rates` and `fx_warnings` by the rates it used and the date (most
        # answers use none or the same one or two).
        self._fx_fields: Kept[
            tuple[frozenset[RateUsed], dt.date], tuple[tuple[RateOut, ...], tuple[Any, ...]]
        ] = Kept(4096)
        # The hosts with a "may require more" note on some requirement (most have none).
        self._noted = frozenset(
            j.code for j in bundle.jurisdictions if any(r.may_require_more for r in j.requirements)
        )
        # By the identity of the rate (the FX book keeps one per pair and date; the entry
        # holds it, so no id is reused while it lives).
        self.rate_out = KeptRates()  # an FX rate as answers report it
        self.deemer = Deemer(fx, self.per_host)
        self.citation = self.lines.citation

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
            named = any(lic.id == licence and lic.route != "full" for lic in jurisdiction.licences)
            found = versions_for(jurisdiction.requirements, replaced, licence, day, licensed, named)
            self._applicable[key] = found
        return found

    def evaluate_licence(
        self, question: Question, licence: ir.Licence, route: Route, statuses: StatusBackend
    ) -> tuple[list[RequirementResult], set[RateUsed]]:
        """Every applicable requirement of one host licence, with statuses and explanations.

        On a passport route each line is treated as the framework classes its category:
        waived outright, deemed where home rules the firm does not breach imply it (else
        applied: "not shown equivalent"), or kept.
        """
        facts = facts_of(question.profile, question.host.code, question.activity)
        plan = self.plan(question, licence, route, licensed_for(question, licence, facts))
        key = None
        if not plan.deems:
            key = (plan.key, question.minimum_licensee, tuple(map(facts.get, plan.reads)))
            answered = self._answered.get(key)
            if answered is not None and answered.statuses is statuses:
                return list(answered.results), set(answered.rates)
        ctx = Context(
            facts,
            question.as_of,
            self.fx,
            question.host.currency,
            self.minor_units,
            memo=self.memo,
        )
        results, rates = self._evaluate(question, plan, ctx, statuses)
        if key is not None:
            self._answered[key] = Answered(statuses, tuple(results), frozenset(rates))
        return results, rates

    def _evaluate(
        self, question: Question, plan: Plan, ctx: Context, statuses: StatusBackend
    ) -> tuple[list[RequirementResult], set[RateUsed]]:
        """The lines of `plan` for the firm in `ctx`, and the FX rates they used."""
        found = statuses(plan.decided, ctx)
        lines = self.lines
        rates = ctx.rates
        home: HomeRules | None = None  # read only when a deemed line needs it
        results = []
        for requirement, treatment, index, undecided in plan.lines:
            if undecided is not None:
                if treatment == "waived":
                    results.append(lines.waived(question, requirement))
                    continue
                line = Line(question, requirement, treatment)
                results.append(lines.unknown_or_gap(line, Outcome(None, undecided)))
                continue
            status = found[index]
            if status == "not_applicable":
                continue
            if treatment == "waived":
                results.append(lines.waived(question, requirement))
                continue
            deeming = None
            if treatment == "deemed":
                # Under equivalence the host relies on home supervision wherever it is
                # shown, so a deemed line says so even when the firm also meets it itself.
                if home is None:
                    home = self.home_rules(question, statuses)
                deeming = self.deemer.deem(requirement, question.as_of, home)
                rates = rates | deeming.rates
            if status == "met" and (deeming is None or deeming.equivalence != "shown"):
                results.append(lines.shared(question, requirement, treatment, MET))
                continue
            outcome = requirement_status(requirement, ctx)[1]
            if deeming is None and not question.minimum_licensee:
                results.append(lines.explained(question, requirement, treatment, status, outcome))
                continue
            line = Line(question, requirement, treatment)
            results.append(lines.result(line, status, outcome, deeming))
        return results, rates

    def plan(
        self, question: Question, licence: ir.Licence, route: Route, licensed: bool | None
    ) -> Plan:
        """The firm-independent part of answering `licence` in `question` (kept)."""
        framework = question.framework
        passport = route == "passport"
        key = (
            question.host.code,
            licence.id,
            question.as_of,
            licensed,
            framework.id if framework is not None else None,
            passport,
        )
        found = self._plans.get(key)
        if found is None:
            chosen = self.applicable(question.host, licence.id, question.as_of, licensed)
            found = plan_of(key, chosen, treatments(framework) if passport else {})
            assert all(u is not None or i >= 0 for _, _, i, u in found.lines)
            self._plans[key] = found
        return found

    def home_rules(self, question: Question, statuses: StatusBackend) -> HomeRules:
        """The firm's home requirements for its licence on the date, judged on its home
        facts (the licence is held there, so the versions binding licensees apply)."""
        home = question.home
        if home is None:  # an unbundled home: no rules to read (and never a passport)
            return NO_HOME_RULES
        facts = facts_of(question.profile, home.code, question.activity)
        ctx = Context(facts, question.as_of, self.fx, home.currency, self.minor_units)
        in_force = self.applicable(home, question.profile.licence, question.as_of, True).decided
        return HomeRules.of(in_force, statuses, ctx)

    def route(self, question: Question) -> RouteAnswer:
        """The route of `question` (kept: it reads the bundle and these parts of the
        question alone, never the firm's attributes; callers copy its lists)."""
        framework = question.framework
        key = (
            question.home_code,
            question.home is None,
            question.host.code,
            question.activity,
            question.as_of,
            framework.id if framework is not None else None,
            question.framework_requested,
            question.profile.licence,
            question.profile.operating_mode,
        )
        found = self._routes.get(key)
        if found is None:
            home_fatf = self.home_fatf(question.home_code, question.as_of)
            found = self._routes[key] = route_of(self.bundle, question, self._cite, home_fatf)
        return found

    def host_regime(
        self, host: ir.Jurisdiction, activity: str, day: dt.date
    ) -> tuple[tuple[ir.Licence, ...], ir.Regime | None, tuple[ir.Licence, ...]]:
        """The host's licences covering `activity`, its regime for it on `day` and its
        alternative routes for it (kept)."""
        key = (host.code, activity, day)
        found = self._regimes.get(key)
        if found is None:
            found = (
                licences_for(host, activity),
                regime_on(host, activity, day),
                alternatives_for(host, activity),
            )
            self._regimes[key] = found
        return found

    def _cite(self, citation: ir.Citation) -> CitationOut:
        return self.citation("", citation)

    def home_fatf(self, home: str, day: dt.date) -> FatfStatusOut:
        """The home's FATF status on `day` (kept: it depends on the bundle alone)."""
        key = (home, day)
        found = self._fatf.get(key)
        if found is None:
            found = self._fatf[key] = fatf_status(self.bundle, home, day, self._cite)
        return found

    def fx_fields(self, rates: set[RateUsed], day: dt.date) -> dict[str, Any]:
        """An answer's `fx_rates` and `fx_warnings` for the rates it used (kept; each
        answer gets lists of its own)."""
        key = (frozenset(rates), day)
        found = self._fx_fields.get(key)
        if found is None:
            fields = fx_reported(rates, day, self.rate_out)
            found = (tuple(fields["fx_rates"]), tuple(fields["fx_warnings"]))
            self._fx_fields[key] = found
        return {"fx_rates": list(found[0]), "fx_warnings": list(found[1])}

    def framework_out(self, framework: ir.Framework | None) -> FrameworkOut | None:
        """The framework as answers report it (kept, by id: one per bundled framework)."""
        if framework is None:
            return None
        found = self._framework_out.get(framework.id)
        if found is None:
            found = self._framework_out[framework.id] = framework_out(framework)
        return found

    def steps(self, question: Question) -> list[StepOut]:
        """The notification a passported firm makes instead of a licence application."""
        framework = question.framework
        assert framework is not None
        authorities = question.home.authorities if question.home else ()
        authority = authorities[0] if authorities else f"the {question.home_code} supervisor"
        return passport_steps(framework, authority, question.host.code, question.activity)

    # ---- the decision -----------------------------------------------------------------------

    def decide(self, question: Question, statuses: StatusBackend, backend: str) -> Decision:
        """Answer one question."""
        answer = self.route(question)
        route, reasons = answer.route, list(answer.reasons)
        covering, regime, offered = self.host_regime(
            question.host, question.activity, question.as_of
        )
        best: tuple[Verdict, str | None, list[RequirementResult], set[RateUsed]] | None = None
        if route != "unavailable":
            licences = [lic for lic in covering if question.apply_for in (None, lic.id)]
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
        if question.host.code in self._noted:
            reasons += discretion_notes(question.host, results)
        # Every field below is of its declared type by construction (the profile was
        # validated when read): no validation, which would walk every line again.
        return Decision.trusted(
            firm=question.profile.name,
            home=question.home_code,
            home_licence=question.profile.licence,
            host=question.host.code,
            host_name=question.host.name,
            host_verified_on=question.host.verified,
            activity=question.activity,
            as_of=question.as_of,
            framework=self.framework_out(question.framework),
            operating_mode=question.profile.operating_mode,
            route=route,
            host_licence=host_licence,
            verdict=verdict,
            reasons=reasons + framework_notes(question.framework),
            steps=self.steps(question) if route == "passport" else [],
            route_reasons=list(answer.structured),
            home_fatf=answer.home_fatf,
            counts=counts_of(results),
            requirements=results,
            **self.fx_fields(rates, question.as_of),
            bundle=self.bundle_name,
            rules_hash=self.rules_hash,
            fx_hash=self.fx.hash,
            backend=backend,
            alternatives=alternatives(self, question, route, statuses, offered) if offered else [],
        )
