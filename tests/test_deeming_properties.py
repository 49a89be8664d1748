"""Property (DESIGN §4, "Soundness of deeming"): for random firms, every bundled pair and
every model framework, each `deemed_met` line names home requirements that the firm does
not breach and that imply the host rule after FX; and the three backends give the same
answer.

Firms start from the home's minimum-compliant licensee and have each attribute the home's
and the host's rules read kept, dropped, or replaced by a value drawn around the rules'
own figures, so home rules are met, breached and left unknown in every combination.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from engine.bundle import load_bundle
from engine.decisions.implication import Prover
from engine.decisions.synthesis import minimum_licensee
from engine.evaluation import reference
from engine.evaluation.backend import Context
from engine.inputs.money import Money
from engine.inputs.profiles import Profile, Value
from rulesdsl import ir
from rulesdsl.ir.walk import attributes_read

BUNDLE = load_bundle()
RULES = BUNDLE.ir
DAYS = (dt.date(2026, 3, 1), dt.date(2026, 11, 1))
BACKENDS = ("fast", "durable", "reference")
ATTRIBUTES = {a.name: a for a in RULES.vocabulary.attributes}
JURISDICTIONS = {j.code: j for j in RULES.jurisdictions}
MINOR_UNITS = {c.code: c.minor_units for c in RULES.vocabulary.currencies}


def _pairs() -> list[tuple[str, str, str, str, str]]:
    """(framework, home, home licence, host, activity) for every model framework."""
    found = []
    for framework in RULES.frameworks:
        if framework.status != "model":
            continue
        for home in framework.members:
            for host in framework.members:
                if home == host:
                    continue
                for licence in JURISDICTIONS[home].licences:
                    for activity in ("exchange", "custody"):
                        if activity in licence.activities and any(
                            activity in lic.activities for lic in JURISDICTIONS[host].licences
                        ):
                            found.append((framework.id, home, licence.id, host, activity))
    return found


PAIRS = _pairs()


def _read(code: str, licence: str | None = None) -> set[str]:
    jurisdiction = JURISDICTIONS[code]
    names: set[str] = set()
    for requirement in jurisdiction.requirements:
        if licence is None or not requirement.licences or licence in requirement.licences:
            names |= set(attributes_read(requirement.require))
            if requirement.when is not None:
                names |= set(attributes_read(requirement.when))
    return {n for n in names if n in ATTRIBUTES}


def _figures(code: str) -> list[Money]:
    """Every fixed amount in a jurisdiction's rules."""
    found = []
    for requirement in JURISDICTIONS[code].requirements:
        for node in _constants(requirement.require):
            found.append(Money(node.currency, node.amount))
    return found


def _constants(expr: ir.Expr) -> list[ir.MoneyConst]:
    from rulesdsl.ir.walk import nodes

    return [n for n in nodes(expr) if isinstance(n, ir.MoneyConst)]


@st.composite
def value_for(draw: st.DrawFn, attribute: ir.Attribute, figures: list[Money]) -> Value:
    kind = attribute.type.kind
    if kind == "money":
        base = draw(st.sampled_from(figures)) if figures else Money("USD", Decimal(1000))
        factor = draw(st.sampled_from(("0", "0.5", "0.999", "1", "1.001", "2", "10")))
        return Money(base.currency, (base.amount * Decimal(factor)).quantize(Decimal(1)))
    if kind == "boolean":
        return draw(st.booleans())
    if kind in ("number", "integer"):
        return draw(st.sampled_from((0, 1, 2, 5, 7, 10, 20)))
    if kind == "percentage":
        return Decimal(draw(st.sampled_from((0, 50, 80, 90, 92, 95, 100))))
    options = sorted(attribute.type.values) if attribute.type.values else []
    if kind == "enum" and options:
        return draw(st.sampled_from(options))
    if kind in ("set", "roles") and options:
        return frozenset(draw(st.lists(st.sampled_from(options), max_size=len(options))))
    if kind == "country":
        return draw(st.sampled_from(sorted(JURISDICTIONS)[:6]))
    return None


@st.composite
def firms(draw: st.DrawFn) -> tuple[str, Profile, str, str, dt.date]:
    framework, home, licence, host, activity = draw(st.sampled_from(PAIRS))
    day = draw(st.sampled_from(DAYS))
    base = minimum_licensee(
        RULES,
        JURISDICTIONS[home],
        next(lic for lic in JURISDICTIONS[home].licences if lic.id == licence),
        activity,
        day,
    )
    attributes: dict[str, Value] = dict(base.attributes)
    own: dict[str, Value] = dict(base.in_host.get(home, {}))
    there: dict[str, Value] = {}
    figures = _figures(home) + _figures(host)
    for name in sorted(_read(home, licence) | _read(host)):
        attribute = ATTRIBUTES[name]
        choice = draw(st.sampled_from(("keep", "drop", "draw")))
        target = own if attribute.per_host else attributes
        if choice == "drop":
            target.pop(name, None)
        elif choice == "draw":
            value = draw(value_for(attribute, figures))
            if value is not None:
                target[name] = value
        if attribute.per_host and draw(st.booleans()):
            value = draw(value_for(attribute, figures))
            if value is not None:
                there[name] = value
    firm = Profile(
        name="drawn firm",
        home=home,
        licence=licence,
        activities=(activity,),
        attributes=attributes,
        in_host={home: own, host: there},
    )
    return framework, firm, host, activity, day


def _home_status(firm: Profile, requirement: ir.Requirement, activity: str, day: dt.date) -> str:
    home = JURISDICTIONS[firm.home]
    facts: dict[str, Any] = firm.facts_for(home.code)
    facts.update(activity=activity, home=home.code)
    ctx = Context(facts, day, BUNDLE.fx, home.currency, MINOR_UNITS)
    return reference.status(requirement, ctx)


@settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    derandomize=True,
)
@given(drawn=firms())
def test_deemed_lines_rest_on_home_rules_the_firm_keeps(
    drawn: tuple[str, Profile, str, str, dt.date],
) -> None:
    framework, firm, host, activity, day = drawn
    answers = [
        BUNDLE.passport(firm, host, activity, as_of=day, framework=framework, backend=b)
        for b in BACKENDS
    ]
    dumped = [a.model_dump(exclude={"backend"}) for a in answers]
    assert dumped[0] == dumped[1] == dumped[2], (framework, firm.home, host, day)
    decision = answers[0]
    host_rules = {r.id: r for r in JURISDICTIONS[host].requirements if r.period.contains(day)}
    home_rules = {r.id: r for r in JURISDICTIONS[firm.home].requirements if r.period.contains(day)}
    prover = Prover(BUNDLE.fx, day, frozenset(a for a, v in ATTRIBUTES.items() if v.per_host))
    for line in decision.requirements:
        if line.status != "deemed_met":
            assert line.deemed_by == []
            continue
        assert decision.route == "passport" and line.treatment == "deemed"
        relied = [home_rules[h.id] for h in line.deemed_by]
        assert relied, line.id
        for rule in relied:
            assert _home_status(firm, rule, activity, day) != "unmet", (line.id, rule.id)
        assert prover.implied(host_rules[line.id].require, relied) is not None, line.id
    for line in decision.requirements:
        if line.equivalence == "breached":
            assert line.status == "unmet" and line.breaches_home
            for h in line.breaches_home:
                assert _home_status(firm, home_rules[h.id], activity, day) == "unmet"
