"""Pending figures, lower bounds and structured reasons (DESIGN §4, "Pending, deadlines, scope").

Every bundled requirement with a `pending` figure is evaluated for firms just below, at and
just above each known figure it names. The expected status comes from an oracle that does
not look at the evaluator's handling of `pending`: the rule with the pending figure replaced
by zero and by an enormous amount. When both give the same answer, the pending figure cannot
change it (an `unmet` is then reported as a lower bound); when they differ, the line is
`unknown`, with a `pending_threshold` reason.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from engine.bundle import Bundle, load_bundle
from engine.decisions.answers import gap_out, reasons_of
from engine.decisions.cases import case_files, decide_case, read_cases
from engine.evaluation import reference
from engine.evaluation.backend import Context, Referring
from engine.evaluation.durable.backend import DurableBackend
from engine.evaluation.explanations import make_gap
from engine.evaluation.fast import FastBackend
from engine.inputs.money import Money
from engine.presentation.decision_text import reason_text
from engine.results import REASON_KINDS, Decision, ReasonOut, RequirementResult
from rulesdsl import ir
from rulesdsl.ir.walk import nodes

REPO = Path(__file__).resolve().parent.parent
BUNDLE = load_bundle()
RULES = BUNDLE.ir
MINOR_UNITS = {c.code: c.minor_units for c in RULES.vocabulary.currencies}
MONEY = [a.name for a in RULES.vocabulary.attributes if a.type.kind == "money"]
FAST = Referring(FastBackend(MONEY), reference.status)
DURABLE = DurableBackend(RULES.vocabulary)
HUGE = Decimal(10) ** 15  # above every amount a test firm has: a figure no firm meets
CENT = Decimal("0.01")
DAY = dt.date(2026, 6, 1)  # after Malaysia's 2026 revision


def pending_requirements() -> list[tuple[ir.Jurisdiction, ir.Requirement]]:
    """Every bundled requirement whose condition has a pending figure, found from the IR."""
    return [
        (jurisdiction, requirement)
        for jurisdiction in RULES.jurisdictions
        for requirement in jurisdiction.requirements
        if any(isinstance(node, ir.PendingConst) for node in nodes(requirement.require))
    ]


PENDING = pending_requirements()


def with_figure(requirement: ir.Requirement, amount: Decimal) -> ir.Requirement:
    """The requirement with every pending figure published as `amount` (and no `when`)."""

    def publish(data: Any) -> Any:
        if isinstance(data, dict):
            if data.get("kind") == "pending":
                return {"kind": "money", "amount": str(amount), "currency": data["currency"]}
            return {key: publish(value) for key, value in data.items()}
        if isinstance(data, list):
            return [publish(item) for item in data]
        return data

    dumped = publish(requirement.model_dump(mode="json"))
    dumped["when"] = None
    return ir.Requirement.model_validate(dumped)


def firms(requirement: ir.Requirement) -> list[tuple[str, Money]]:
    """(attribute, amount) just below, at and just above each known figure the condition
    compares an attribute with, and far below and above a condition with none."""
    found: list[tuple[str, Money]] = []
    pending = [n for n in nodes(requirement.require) if isinstance(n, ir.PendingConst)]
    for node in nodes(requirement.require):
        if not isinstance(node, ir.Comparison):
            continue
        attribute = next(
            (n.name for n in (node.left, node.right) if isinstance(n, ir.AttrRef)), None
        )
        figure = next((n for n in (node.left, node.right) if isinstance(n, ir.MoneyConst)), None)
        if attribute is None:
            continue
        if figure is not None:
            for step in (-CENT, Decimal(0), CENT):
                found.append((attribute, Money(figure.currency, figure.amount + step)))
        elif pending and pending[0].currency:
            for amount in (Decimal(1), Decimal(10) ** 9):
                found.append((attribute, Money(pending[0].currency, amount)))
    return found


def context(jurisdiction: ir.Jurisdiction, facts: dict[str, Any], day: dt.date) -> Context:
    return Context(facts, day, BUNDLE.fx, jurisdiction.currency, MINOR_UNITS)


def bounded_attributes(requirement: ir.Requirement) -> set[str]:
    """Attributes a pending figure is compared with."""
    return {
        side.name
        for node in nodes(requirement.require)
        if isinstance(node, ir.Comparison)
        and any(isinstance(s, ir.PendingConst) for s in (node.left, node.right))
        for side in (node.left, node.right)
        if isinstance(side, ir.AttrRef)
    }


def test_the_bundle_has_pending_rules_with_and_without_a_known_part() -> None:
    """The property below is not vacuous: it meets `> known and >= pending` (MY), `known or
    pending` (KZ, NG, PK) and a bare pending figure (ID, NG)."""
    ids = {r.id for _, r in PENDING}
    assert {"MY-DAX-CAPITAL", "MY-IEO-CAPITAL", "PK-CAPITAL", "KZ-TRAVEL-RULE"} <= ids
    assert all(firms(r) for _, r in PENDING)


@pytest.mark.parametrize(
    ("jurisdiction", "requirement"), PENDING, ids=[f"{j.code}:{r.id}" for j, r in PENDING]
)
def test_pending_figure_is_never_compared_as_known(
    jurisdiction: ir.Jurisdiction, requirement: ir.Requirement
) -> None:
    """Below, at and above each known part: the oracle's status, a lower bound for an unmet
    line, a `pending_threshold` reason for an unknown one, never a concrete shortfall; the
    fast path and durable give the same status as the reference evaluator."""
    day = requirement.period.start or dt.date(2026, 6, 1)
    bare = requirement.model_copy(update={"when": None})
    bounded = bounded_attributes(requirement)
    for attribute, amount in firms(requirement):
        facts = {attribute: amount}
        low = reference.evaluate(
            with_figure(requirement, Decimal(0)).require, context(jurisdiction, facts, day)
        )
        high = reference.evaluate(
            with_figure(requirement, HUGE).require, context(jurisdiction, facts, day)
        )
        outcome = reference.evaluate(requirement.require, context(jurisdiction, facts, day))
        expected = low.value if low.value == high.value else None
        assert outcome.value == expected, (attribute, amount)
        gaps = [gap_out(g) for g in outcome.gaps]
        assert all(g.shortfall is None for g in gaps if g.attribute in bounded), gaps
        if expected is False:
            assert any(g.lower_bound for g in gaps if g.attribute in bounded), gaps
        if expected is None:
            kinds = {(r.kind, r.attribute) for r in reasons_of(outcome)}
            assert ("pending_threshold", attribute) in kinds, kinds
        status = {True: "met", False: "unmet", None: "unknown"}[expected]
        for backend in (FAST, DURABLE):
            assert backend([bare], context(jurisdiction, facts, day)) == [status], (backend, amount)


def bahrain_in_malaysia(bundle: Bundle, day: dt.date, **attributes: Any) -> RequirementResult:
    import yaml

    data = yaml.safe_load((REPO / "examples" / "bahrain-exchange.yaml").read_text())
    data["attributes"].update(attributes)
    decision = bundle.passport(bundle.profile(data), host="MY", as_of=day)
    return next(r for r in decision.requirements if r.id == "MY-DAX-CAPITAL")


def test_bahrain_exchange_in_malaysia_is_short_of_a_lower_bound() -> None:
    """After the 2026 revision, BD 300,000 (MYR 3.7m) is below even the superseded RM 5m:
    unmet, against "more than MYR 5,000,000" as a lower bound, with no shortfall figure."""
    capital = bahrain_in_malaysia(BUNDLE, dt.date(2026, 6, 1))
    assert capital.status == "unmet"
    assert capital.reasons == []
    [gap] = capital.gaps
    assert gap.lower_bound is True
    assert gap.shortfall is None
    assert (gap.required.op, gap.required.amount) == (">", _money("5000000", "MYR"))


def test_before_the_revision_the_shortfall_is_exact() -> None:
    capital = bahrain_in_malaysia(BUNDLE, dt.date(2026, 1, 15))
    [gap] = capital.gaps
    assert (gap.lower_bound, gap.shortfall) == (False, _money("1763620.02", "MYR"))


def test_exactly_the_old_minimum_is_not_short_by_zero() -> None:
    """RM 5,000,000 fails `> RM 5m`: unmet, a lower bound, and no "short 0.00"."""
    five = {"amount": "5000000", "currency": "MYR"}
    capital = bahrain_in_malaysia(BUNDLE, dt.date(2026, 6, 1), paid_up_capital=five)
    assert capital.status == "unmet"
    assert [(g.lower_bound, g.shortfall) for g in capital.gaps] == [(True, None)]


def test_above_the_old_minimum_is_unknown_naming_the_pending_figure() -> None:
    six = {"amount": "6000000", "currency": "MYR"}
    capital = bahrain_in_malaysia(BUNDLE, dt.date(2026, 6, 1), paid_up_capital=six)
    assert capital.status == "unknown"
    assert capital.reasons == [
        ReasonOut(kind="pending_threshold", attribute="paid_up_capital", currency="MYR")
    ]
    assert capital.missing == []


@pytest.mark.parametrize(("firm", "shortfall"), [("5000000", None), ("4000000", None)])
def test_a_strict_bound_has_no_shortfall(firm: str, shortfall: None) -> None:
    """`> X` states "more than X": no amount, for a firm at X or below it."""
    gap = make_gap(
        "c", ir.Op.GT, Money("MYR", Decimal(firm)), Money("MYR", Decimal(5_000_000)), MINOR_UNITS
    )
    assert gap.shortfall is shortfall
    inclusive = make_gap(
        "c", ir.Op.GE, Money("MYR", Decimal(firm)), Money("MYR", Decimal(5_000_000)), MINOR_UNITS
    )
    assert inclusive.shortfall == Money("MYR", Decimal(5_000_000) - Decimal(firm))


def _money(amount: str, currency: str) -> Any:
    from engine.results import MoneyOut

    return MoneyOut(amount=amount, currency=currency)


# ---- every unknown has a structured reason ----------------------------------------------


def bundled_decisions() -> list[tuple[str, Decision]]:
    """Every bundled case's decision, and every example, for each of its activities,
    against every host."""
    found = []
    for path in case_files(REPO / "jurisdictions"):
        for case in read_cases(path):
            found.append((case.source, decide_case(BUNDLE, case)))
    for example in sorted((REPO / "examples").glob("*.yaml")):
        profile = BUNDLE.read_profile(example)
        for activity in profile.activities:
            for decision in BUNDLE.passport_all(profile, activity=activity, as_of=DAY):
                found.append((f"{example.name} {activity} → {decision.host}", decision))
    return found


def test_every_unknown_has_a_structured_reason() -> None:
    """Over every case and example: each unknown line has a reason; `missing` holds only
    attributes the firm can supply, each also named by an `attribute` reason."""
    unknowns = 0
    for where, decision in bundled_decisions():
        for result in decision.requirements:
            if result.status != "unknown":
                assert result.reasons == [], (where, result.id)
                continue
            unknowns += 1
            assert result.reasons, (where, result.id)
            named = {r.attribute for r in result.reasons if r.kind == "attribute"}
            assert set(result.missing) == named, (where, result.id)
    assert unknowns > 100


def test_an_unknown_when_is_the_applicability() -> None:
    """A rule whose `when` cannot be decided says so: a `condition` reason about the
    applicability, and what the condition lacks, also marked as the applicability."""
    found = [
        result
        for _, decision in bundled_decisions()
        for result in decision.requirements
        if any(r.kind == "condition" and r.applicability for r in result.reasons)
    ]
    assert found
    for result in found:
        assert all(r.applicability for r in result.reasons)
        assert len(result.reasons) >= 2


@pytest.mark.parametrize("kind", REASON_KINDS)
def test_every_reason_kind_is_rendered(kind: str) -> None:
    """Each kind has words of its own in the text answer."""
    texts = {reason_text(ReasonOut(kind=k)) for k in REASON_KINDS}  # type: ignore[arg-type]
    assert len(texts) == len(REASON_KINDS)
    assert reason_text(ReasonOut(kind=kind))  # type: ignore[arg-type]
