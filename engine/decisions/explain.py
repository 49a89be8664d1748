"""`jawaz explain`: one host requirement against one firm, step by step (DESIGN §5).

The status is the passport decision's own line for the requirement: the decision is asked
exactly as `jawaz passport` asks it, and the version and treatment explained are those of
the decision's plan. The steps beneath it are the reference evaluator's, part by part
(`engine.decisions.trace`), and a deemed line shows the home rules the deeming rests on
with the FX rates its proof used, from the same deemer the decision used.
"""

from __future__ import annotations

from engine.decisions.catalogue import in_force
from engine.decisions.deeming import Deeming
from engine.decisions.lines import treatments
from engine.decisions.passport import Decider
from engine.decisions.plans import licensed_for
from engine.decisions.question import Question
from engine.decisions.tiers import band_text
from engine.decisions.trace import Tracer
from engine.errors import EngineError
from engine.evaluation.backend import Context, StatusBackend
from engine.inputs.fx import FxBook
from engine.inputs.money import Money
from engine.inputs.profiles import Value
from engine.results import Decision, RequirementResult, Treatment
from engine.results.explanation import DecidedBy, Explanation, TierBandOut
from rulesdsl import ir
from rulesdsl.errors import unknown_name


def requirement_ids(jurisdiction: ir.Jurisdiction) -> list[str]:
    """The requirement ids of a jurisdiction, each once, in rule order."""
    return list(dict.fromkeys(r.id for r in jurisdiction.requirements))


def host_of(jurisdictions: list[ir.Jurisdiction], requirement: str) -> ir.Jurisdiction:
    """The jurisdiction whose rules hold `requirement`.

    Raises:
        EngineError: no bundled jurisdiction has it (with the nearest ids).
    """
    for jurisdiction in jurisdictions:
        if requirement in requirement_ids(jurisdiction):
            return jurisdiction
    known = [i for j in jurisdictions for i in requirement_ids(j)]
    raise EngineError(unknown_name("requirement", requirement, known), "requirement")


def check_requirement(jurisdiction: ir.Jurisdiction, requirement: str) -> None:
    """Raises EngineError unless `jurisdiction` has `requirement` (with the nearest ids)."""
    known = requirement_ids(jurisdiction)
    if requirement not in known:
        message = unknown_name(f"{jurisdiction.code} requirement", requirement, known)
        raise EngineError(message, "requirement")


def explain(
    decider: Decider,
    question: Question,
    requirement: str,
    decision: Decision,
    statuses: StatusBackend,
) -> Explanation:
    """Explain `requirement` of the host in `question`, whose passport answer is `decision`
    (given by `statuses`)."""
    facts: dict[str, Value] = question.profile.facts_for(question.host.code)
    facts.update(activity=question.activity, home=question.home_code)
    chosen, treatment, notes = _version(decider, question, requirement, decision, facts)
    line = next((r for r in decision.requirements if r.id == requirement), None)
    ctx = Context(facts, question.as_of, decider.fx, question.host.currency, decider.minor_units)
    tracer = Tracer(ctx, question.profile.facts_for(question.host.code), decider.rate_out)
    applies = tracer.step(chosen.when) if chosen.when is not None else None
    condition = tracer.step(chosen.require)
    if line is None:
        notes.append(_absent(decision, chosen, applies is not None and applies.truth == "false"))
    deeming = None
    if line is not None and treatment == "deemed":
        home = decider.home_rules(question, statuses)
        deeming = decider.deemer.deem(chosen, question.as_of, home)
    rates = set(ctx.rates) | (set(deeming.rates) if deeming else set())
    return Explanation.trusted(
        requirement=requirement,
        title=chosen.title,
        firm=decision.firm,
        home=decision.home,
        host=decision.host,
        host_licence=decision.host_licence,
        activity=decision.activity,
        as_of=decision.as_of,
        framework=decision.framework,
        route=decision.route,
        status=line.status if line is not None else "not_applicable",
        line=line,
        effective_from=chosen.period.start,
        effective_until=chosen.period.end,
        applies=applies,
        condition=condition,
        tiers=_tiers(chosen, facts, decider.fx, question),
        decided_by=_decided_by(decider, chosen, treatment, line, deeming),
        citation=decider.citation(question.host.code, chosen.citation),
        confidence=chosen.confidence,
        notes=notes,
        **decider.fx_fields(rates, question.as_of),
        rules_hash=decision.rules_hash,
        fx_hash=decision.fx_hash,
    )


def _version(
    decider: Decider,
    question: Question,
    requirement: str,
    decision: Decision,
    facts: dict[str, Value],
) -> tuple[ir.Requirement, Treatment | None, list[str]]:
    """The version of `requirement` the decision answered and its treatment: from the
    decision's own plan; else (no line) the version in force on the date."""
    licence = next((lic for lic in question.host.licences if lic.id == decision.host_licence), None)
    if licence is not None and decision.route != "unavailable":
        licensed = licensed_for(question, licence, facts)
        plan = decider.plan(question, licence, decision.route, licensed)
        for version, treatment, _, _ in plan.lines:
            if version.id == requirement:
                return version, treatment, []
    versions = [r for r in question.host.requirements if r.id == requirement]
    current = [r for r in versions if in_force(r.period, question.as_of)]
    if not current:
        spans = ", ".join(f"{r.period.start or '…'} to {r.period.end or '…'}" for r in versions)
        raise EngineError(
            f"{requirement} is not in force on {question.as_of} (in force: {spans})", "as_of"
        )
    version = current[-1]
    classes = treatments(question.framework) if decision.route == "passport" else {}
    return version, classes.get(version.category), []


def _tiers(
    version: ir.Requirement, facts: dict[str, Value], fx: FxBook, question: Question
) -> list[TierBandOut]:
    """The bands of a tiered requirement, the one the firm's own threshold falls in marked
    (none where the firm states no threshold or no rate converts it on the day)."""
    if version.tiers is None:
        return []
    tiers = version.tiers
    chosen = None
    threshold = facts.get(tiers.policy)
    if isinstance(threshold, Money):
        try:
            converted, _ = fx.convert(threshold, tiers.currency, question.as_of)
            chosen = tiers.band_at(converted.amount)
        except EngineError:
            chosen = None  # the comparison's own step reports the missing rate
    return [
        TierBandOut.trusted(
            band=band_text(band), demands=list(band.demands), firm_threshold=band is chosen
        )
        for band in tiers.bands
    ]


def _absent(decision: Decision, version: ir.Requirement, scoped_out: bool) -> str:
    """Why the answer has no line for the requirement."""
    if decision.route == "unavailable":
        return f"the route to {decision.host} is unavailable: no requirement is answered"
    if version.licences and decision.host_licence not in version.licences:
        named = ", ".join(version.licences)
        return (
            f"{version.id} binds the licences {named}; the answer is for "
            f"{decision.host_licence or 'no licence'}"
        )
    if scoped_out:
        return f"{version.id} does not apply to this firm: its `when` does not hold"
    return f"the answer has no line for {version.id}"


def _decided_by(
    decider: Decider,
    version: ir.Requirement,
    treatment: Treatment | None,
    line: RequirementResult | None,
    deeming: Deeming | None,
) -> DecidedBy:
    proof = sorted(deeming.rates, key=lambda r: (r.source, r.target)) if deeming else []
    return DecidedBy.trusted(
        category=version.category,
        treatment=treatment,
        equivalence=line.equivalence if line is not None else None,
        deemed_by=list(line.deemed_by) if line is not None else [],
        breaches_home=list(line.breaches_home) if line is not None else [],
        proof_rates=[decider.rate_out(rate) for rate in proof],
        waived_by=line.waived_by if line is not None else None,
    )
