"""Passport semantics (DESIGN §4): frameworks that waive, deem and keep; deeming that never
hides a breach; matrices under the models that differ from the status quo."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from engine.bundle import Bundle, load_bundle
from engine.inputs.money import Money
from engine.inputs.persons import Person
from engine.inputs.profiles import Profile, Value
from engine.results import Decision, MatrixResult

DAY = dt.date(2026, 11, 1)
BACKENDS = ("fast", "durable", "reference")
MODELS = ("pk-my-model", "oic-model", "oic-model-conservative")


@pytest.fixture(scope="module")
def bundle() -> Bundle:
    return load_bundle()


def profile(home: str, licence: str, attributes: dict[str, Value], **in_host: Any) -> Profile:
    return Profile(
        name=f"compliant {home} {licence}",
        home=home,
        licence=licence,
        activities=("exchange",),
        attributes=attributes,
        in_host=in_host,
    )


def myr(amount: str) -> Money:
    return Money("MYR", Decimal(amount))


# Meets every Malaysian RMO-DAX rule (facts.md §4) and what Pakistan's passported exchange
# still needs: FMU registration (kept), PVARA's real-time access and fit and proper
# (deemed categories, not shown equivalent, so applied).
MY_EXCHANGE: dict[str, Value] = {
    "paid_up_capital": myr("8000000"),
    "shareholders_funds": myr("9500000"),
    "direct_trade_model": False,
    "incorporated_in": "MY",
    "legal_form": "limited_liability_company",
    "part_of_foreign_group": False,
    "key_persons_fit_and_proper": True,
    "key_persons_competency_met": True,
    "policies_independently_validated": True,
    "regulator_pre_consultation_done": True,
    "change_notification_procedure": True,
    "technology_risk_framework": True,
    "assets_on_host_official_list": True,
    "issuer_ubo_sanctions_screening": True,
    "offers_shariah_compliant_tokens": False,
    "travel_rule_threshold": myr("0"),
    "client_assets_unencumbered": True,
    "clients_prefund_trades": True,
    "record_retention_years": 7,
    "fiu_registered": True,
    "regulator_system_access": True,
}


def compliant_firms() -> list[tuple[str, Profile, str, str]]:
    """(framework, firm, host, why) for the pairs the issue names."""
    my_home = {"local_place_of_business": True, "main_operations_in_host": True}
    my_people = {"resident_key_persons": frozenset({"ceo", "compliance_officer", "director"})}
    pk_exchange: dict[str, Value] = {
        **MY_EXCHANGE,
        "paid_up_capital": Money("PKR", Decimal("500000000")),
        "incorporated_in": "PK",
        "preliminary_approval_held": True,
        "travel_rule_threshold": Money("PKR", Decimal("0")),
    }
    bhd = lambda amount: Money("BHD", Decimal(amount))  # noqa: E731
    bh_exchange: dict[str, Value] = {
        "paid_up_capital": bhd("400000"),
        "annual_fixed_overheads": bhd("600000"),
        "legal_form": "joint_stock_company",
        "incorporated_in": "BH",
        "part_of_foreign_group": False,
        "cold_storage_min_share": Decimal(92),
        "client_assets_unencumbered": True,
        "client_assets_fully_backed": True,
        "custody_functionally_independent": True,
        "custody_arrangements_approved": True,
        "client_assets_with_licensed_custodian": False,
        "clients_prefund_trades": True,
        "travel_rule_threshold": bhd("0"),
        "record_retention_years": 10,
        "professional_indemnity_cover": bhd("100000"),
        "shareholders_funds": bhd("450000"),
        "direct_trade_model": False,
        "compliance_officer_experience_years": 8,
    }
    bh_home = {
        "capital_held_with_local_bank": True,
        "local_place_of_business": True,
        "resident_key_persons": frozenset(
            {
                "ceo",
                "compliance_officer",
                "mlro",
                "head_of_finance",
                "head_of_risk",
                "head_of_operations",
                "ciso",
            }
        ),
    }
    in_dubai = {
        "resident_key_persons": frozenset({"compliance_officer", "responsible_individual"}),
        # Two full-time Responsible Individuals and a Compliance Officer living in the UAE.
        "key_persons": tuple(
            Person(role, "AE", "BH", True)
            for role in ("responsible_individual", "responsible_individual", "compliance_officer")
        ),
    }
    return [
        (
            "pk-my-model",
            profile("MY", "rmo_dax", MY_EXCHANGE, MY={**my_home, **my_people}),
            "PK",
            "MY -> PK",
        ),
        (
            "oic-model",
            profile("BH", "category_4", bh_exchange, BH=bh_home, **{"AE-DU": in_dubai}),
            "AE-DU",
            "BH -> AE-DU",
        ),
        ("pk-my-model", profile("PK", "vasp", pk_exchange, PK=my_home), "MY", "PK -> MY"),
    ]


@pytest.mark.parametrize(("framework", "firm", "host", "why"), compliant_firms())
def test_a_compliant_home_licensee_is_eligible_by_passport(
    bundle: Bundle, framework: str, firm: Profile, host: str, why: str
) -> None:
    decision = bundle.passport(firm, host, "exchange", as_of=DAY, framework=framework)
    unmet = [
        (r.id, r.status)
        for r in decision.requirements
        if r.status not in ("met", "deemed_met", "waived")
    ]
    assert (decision.route, decision.verdict, unmet) == ("passport", "eligible", []), why
    waived = [r for r in decision.requirements if r.status == "waived"]
    assert waived, why
    assert all(r.waived_by and r.waived_by.instrument == "JAWAZ-MODELS" for r in waived)
    assert {r.category for r in waived} <= {"licensing", "presence", "capital"}
    assert [s.days for s in decision.steps] == [None, 10, 15]
    assert "at the latest 15 calendar days after notifying" in decision.steps[2].step


def _my_breaching_travel_rule() -> Profile:
    facts = {**MY_EXCHANGE, "travel_rule_threshold": Money("USD", Decimal("1000"))}
    return profile("MY", "rmo_dax", facts)


@pytest.mark.parametrize("backend", BACKENDS)
def test_deeming_never_hides_a_breach_of_the_home_rule(bundle: Bundle, backend: str) -> None:
    """A Malaysian exchange sending Travel Rule data only above USD 1,000 breaches
    Malaysia's every-transfer rule; Bahrain's Travel Rule cannot be deemed met from it."""
    firm = _my_breaching_travel_rule()
    decision = bundle.passport(
        firm, "BH", "exchange", as_of=DAY, framework="oic-model", backend=backend
    )
    line = next(r for r in decision.requirements if r.id == "BH-TRAVEL-RULE")
    assert (line.status, line.treatment, line.equivalence) == ("unmet", "deemed", "breached")
    assert [(h.jurisdiction, h.id) for h in line.breaches_home] == [("MY", "MY-TRAVEL-RULE")]
    assert line.deemed_by == []
    assert line.gaps and line.gaps[0].attribute == "travel_rule_threshold"


def test_a_home_rule_the_firm_meets_is_deemed(bundle: Bundle) -> None:
    firm = profile(
        "MY", "rmo_dax", {k: v for k, v in MY_EXCHANGE.items() if k != "travel_rule_threshold"}
    )
    decision = bundle.passport(firm, "BH", "exchange", as_of=DAY, framework="oic-model")
    line = next(r for r in decision.requirements if r.id == "BH-TRAVEL-RULE")
    # The firm states no threshold: its facts do not breach MY-TRAVEL-RULE, which implies
    # Bahrain's rule, so home supervision stands in.
    assert line.status == "deemed_met"
    assert [h.id for h in line.deemed_by] == ["MY-TRAVEL-RULE"]


def test_status_quo_answers_carry_no_passport_treatment(bundle: Bundle) -> None:
    firm = _my_breaching_travel_rule()
    decision = bundle.passport(firm, "BH", "exchange", as_of=DAY)
    assert decision.framework and decision.framework.id == "status_quo"
    assert decision.route == "local_licence"
    assert decision.steps == []
    assert all(r.treatment is None and not r.waived_by for r in decision.requirements)
    line = next(r for r in decision.requirements if r.id == "BH-TRAVEL-RULE")
    assert (line.status, line.breaches_home) == ("unmet", [])


def _cells(matrix: MatrixResult) -> dict[tuple[str, str, str], dict[str, object]]:
    return {(c.home, c.home_licence, c.host): c.model_dump() for c in matrix.cells}


def test_model_matrices_differ_from_the_status_quo(bundle: Bundle) -> None:
    quo = _cells(bundle.matrix("exchange", as_of=DAY))
    model = _cells(bundle.matrix("exchange", as_of=DAY, framework="oic-model"))
    conservative = _cells(bundle.matrix("exchange", as_of=DAY, framework="oic-model-conservative"))
    members = set(bundle.frameworks["oic-model"].members)
    licensing = {
        code
        for code in members
        if any("exchange" in lic.activities for lic in bundle.jurisdictions[code].licences)
    }
    between = [k for k in quo if k[0] in licensing and k[2] in licensing]
    assert between
    assert all(quo[k] != model[k] for k in between), [k for k in between if quo[k] == model[k]]
    assert {model[k]["route"] for k in between} == {"passport"}
    assert any(model[k]["verdict"] in ("eligible", "conditional") for k in between)
    assert any(conservative[k] != model[k] for k in between)


def test_not_covered_is_a_gap_in_the_matrix_only(bundle: Bundle) -> None:
    report = bundle.matrix_report("exchange", as_of=DAY, framework="oic-model")
    pair = next(d for d in report.pairs if (d.home, d.host) == ("BH", "MY"))
    covered = [r for r in pair.requirements if r.status == "not_covered"]
    assert covered and all(r.missing for r in covered)
    assert all(r.remedy.startswith("not required by the home licence") for r in covered)
    single = bundle.passport(
        profile("BH", "category_4", {}), "MY", "exchange", as_of=DAY, framework="oic-model"
    )
    assert "not_covered" not in {r.status for r in single.requirements}


def _decisions(bundle: Bundle, firm: Profile, host: str, framework: str) -> list[Decision]:
    return [
        bundle.passport(firm, host, "exchange", as_of=DAY, framework=framework, backend=b)
        for b in BACKENDS
    ]


def test_the_legal_guide_worked_example_is_what_the_engine_answers(bundle: Bundle) -> None:
    """The table under `<!-- worked-example: … -->` in the legal guide gives, per host
    requirement, its status under two frameworks: each cell is the engine's answer."""
    root = Path(__file__).resolve().parent.parent
    lines = (root / "docs" / "guides" / "legal.md").read_text(encoding="utf-8").splitlines()
    marker = next(i for i, text in enumerate(lines) if text.startswith("<!-- worked-example:"))
    path, host, day, *frameworks = lines[marker].removeprefix("<!-- worked-example:").split()[:-1]
    firm = bundle.read_profile(root / path)
    answers = {
        f: {
            r.id: r.status
            for r in bundle.passport(
                firm, host, as_of=dt.date.fromisoformat(day), framework=f
            ).requirements
        }
        for f in frameworks
    }
    rows = [t for t in lines[marker + 1 :] if t.startswith("| MY-")]
    assert len(rows) >= 5
    for row in rows:
        cells = [c.strip() for c in row.strip("|").split("|")]
        requirement = cells[0].split()[0]
        for framework, shown in zip(frameworks, cells[-len(frameworks) :], strict=True):
            assert answers[framework][requirement] == shown, (requirement, framework)
    assert (
        bundle.passport(
            firm, host, as_of=dt.date.fromisoformat(day), framework="pk-my-model"
        ).verdict
        == "eligible"
    )
