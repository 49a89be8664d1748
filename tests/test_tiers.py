"""Tiers on a transfer's amount: the bands lowered from the rules, `band_for`, and the
`transfers` of a case."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest

from engine.bundle import load_bundle
from engine.decisions.cases import Case, run_case
from engine.decisions.tiers import band_for
from engine.errors import EngineError
from engine.inputs.money import Money
from rulesdsl.ir.tiers import Band, TierEdge
from rulesdsl.loader import check_paths

ROOT = Path(__file__).resolve().parent.parent
BUNDLE = load_bundle()
DAY = dt.date(2026, 6, 1)
BOTH = ("originator_information", "beneficiary_information")


def demands(
    host: str, amount: str, currency: str, day: dt.date = DAY
) -> dict[str, tuple[str, ...]]:
    money = Money(currency, Decimal(amount))
    found = band_for(BUNDLE.jurisdictions[host], day, money, BUNDLE.fx)
    return {band.requirement: band.demands for band in found}


@pytest.mark.parametrize(
    ("amount", "wanted"), [("0", ()), ("3500", ()), ("3500.01", BOTH), ("1000000", BOTH)]
)
def test_vara_demands_data_strictly_over_aed_3500(amount: str, wanted: tuple[str, ...]) -> None:
    assert demands("AE-DU", amount, "AED") == {"AE-DU-TRAVEL-RULE": wanted}


@pytest.mark.parametrize(
    ("amount", "verified"), [("14999.99", False), ("15000", True), ("15000.01", True)]
)
def test_masak_verifies_at_or_above_try_15000(amount: str, verified: bool) -> None:
    found = demands("TR", amount, "TRY", dt.date(2026, 1, 15))["TR-TRAVEL-RULE"]
    assert ("originator_verified" in found) is verified
    assert set(BOTH) <= set(found)


def test_an_amount_in_another_currency_is_converted_at_the_day_s_rates() -> None:
    # At the 3.6725 peg USD 953.04 = AED 3,500.04 (3,500.0394 rounded), while USD 953.03
    # = AED 3,500.00 (3,500.0027 rounded): exactly the boundary, which is not over it.
    found = band_for(BUNDLE.jurisdictions["AE-DU"], DAY, Money("USD", Decimal("953.04")), BUNDLE.fx)
    assert [(b.amount, b.demands) for b in found] == [(Money("AED", Decimal("3500.04")), BOTH)]
    assert found[0].rate is not None and found[0].rate.rate == Decimal("3.6725")
    assert demands("AE-DU", "953.03", "USD") == {"AE-DU-TRAVEL-RULE": ()}


def test_only_requirements_in_force_are_answered() -> None:
    assert demands("TR", "20000", "TRY", dt.date(2025, 2, 24)) == {}
    assert demands("EU", "1000.01", "EUR") == {"EU-SELF-HOSTED": ("wallet_ownership_verified",)}
    assert demands("ID", "1000", "USD", dt.date(2024, 6, 1))["ID-TRAVEL-RULE"][1:] == (
        "full_originator_information",
        "full_beneficiary_information",
    )


def test_an_unconvertible_amount_is_an_engine_error() -> None:
    with pytest.raises(EngineError):
        demands("AE-DU", "1000", "PKR")


def test_three_bands_lower_with_each_edge_as_written() -> None:
    rules = check_paths([ROOT / "tests" / "dsl" / "ok" / "requirement-fields.rules"]).bundles[0]
    tiered = {r.id: r for r in rules.jurisdictions[0].requirements if r.tiers}
    tiers = tiered["PK-TRAVEL-TIERS"].tiers
    assert tiers is not None and tiers.policy == "travel_rule_threshold"
    zero, top = (
        TierEdge(amount=Decimal(a), currency="PKR", inclusive=i)
        for a, i in [("0", True), ("250000", False)]
    )
    assert tiers.bands[0] == Band(lower=None, upper=zero, demands=())
    assert tiers.bands[1].lower == zero.model_copy(update={"inclusive": False})
    assert tiers.bands[1].upper == top
    assert tiers.bands[2].lower == top.model_copy(update={"inclusive": True})
    assert tiers.bands[2].upper is None
    assert [tiers.band_at(Decimal(a)) for a in ("0", "0.01", "249999.99", "250000")] == [
        tiers.bands[0],
        tiers.bands[1],
        tiers.bands[1],
        tiers.bands[2],
    ]
    # The firm check is the policy against the first boundary.
    require = tiered["PK-TRAVEL-VERIFIED"].require
    assert require.model_dump()["op"] == "<="
    assert tiered["PK-TRAVEL-VERIFIED"].reads == ("travel_rule_threshold",)


def test_a_transfer_in_the_wrong_band_fails_its_case() -> None:
    data = {
        "name": "wrong band",
        "profile": "../../profiles/dubai-vara-broker.yaml",
        "host": "AE-DU",
        "as_of": "2026-06-01",
        "transfers": [
            {
                "amount": {"amount": "3500", "currency": "AED"},
                "demands": {"AE-DU-TRAVEL-RULE": list(BOTH)},
            },
            {
                "amount": {"amount": "3500.01", "currency": "AED"},
                "demands": {"AE-DU-TRAVEL-RULE": list(BOTH)},
            },
            {"amount": {"amount": "1", "currency": "AED"}, "demands": {"AE-DU-NOPE": []}},
        ],
    }
    case = Case("wrong band", "test:1", data, ROOT / "jurisdictions" / "AE-DU" / "cases")
    result = run_case(BUNDLE, case)
    assert len(result.failures) == 2
    assert all(f.startswith("transfer AED 3,500:") or "AE-DU-NOPE" in f for f in result.failures)
