"""Tiers in `jawaz diff` and `jawaz explain`: a revised band is a tightened or loosened rule,
and an explanation shows the bands with the one the firm's own threshold falls in."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from decimal import Decimal
from pathlib import Path

import pytest
from jawaz_cli import REPO, jawaz

from engine import load_bundle
from engine.decisions.tiers import band_text, tier_change
from rulesdsl.ir.tiers import Band, TierEdge, Tiers
from rulesdsl.loader import bundled_root

BOTH = ("originator_information", "beneficiary_information")


def edge(amount: str, inclusive: bool, currency: str = "AED") -> TierEdge:
    return TierEdge(amount=Decimal(amount), currency=currency, inclusive=inclusive)


def two_bands(amount: str, over: bool = True, high: tuple[str, ...] = BOTH) -> Tiers:
    """`up_to X / over X` (or, `over=False`, `below X / at_or_above X`)."""
    low = Band(lower=None, upper=edge(amount, over), demands=())
    top = Band(lower=edge(amount, not over), upper=None, demands=high)
    return Tiers(policy="travel_rule_threshold", bands=(low, top))


def test_a_band_is_written_as_the_tiers_write_it() -> None:
    tiers = two_bands("3500")
    assert [band_text(b) for b in tiers.bands] == ["up to AED 3,500", "over AED 3,500"]
    middle = Band(lower=edge("0", False), upper=edge("250000", False), demands=())
    assert band_text(middle) == "over AED 0 and below AED 250,000"


@pytest.mark.parametrize(
    ("after", "direction"),
    [
        (two_bands("5000"), "loosened"),  # fewer transfers carry the data
        (two_bands("1000"), "tightened"),
        (two_bands("3500", over=False), "tightened"),  # AED 3,500 itself now carries them
        (two_bands("3500", high=BOTH[:1]), "loosened"),
        (two_bands("3500", high=(*BOTH, "originator_verified")), "tightened"),
        (two_bands("5000", high=(*BOTH, "originator_verified")), "changed"),  # both ways
        (two_bands("3500", high=BOTH, over=True).model_copy(), None),
    ],
)
def test_a_revised_band_is_ranked_by_what_each_amount_is_demanded(
    after: Tiers, direction: str | None
) -> None:
    change = tier_change(two_bands("3500"), after)
    assert (change.direction if change else None) == direction
    if change is not None:
        assert (change.attribute, change.op) == ("transfer_amount", "tiers")
        assert change.unranked == ("direction" if direction == "changed" else None)


def test_bands_split_with_the_same_demands_are_no_change() -> None:
    split = Tiers(
        policy="travel_rule_threshold",
        bands=(
            Band(lower=None, upper=edge("1000", True), demands=()),
            Band(lower=edge("1000", False), upper=edge("3500", True), demands=()),
            Band(lower=edge("3500", False), upper=None, demands=BOTH),
        ),
    )
    assert tier_change(two_bands("3500"), split) is None


def test_tiers_in_another_currency_are_not_ranked() -> None:
    usd = Tiers(
        policy="travel_rule_threshold",
        bands=tuple(
            b.model_copy(
                update={
                    "lower": b.lower and b.lower.model_copy(update={"currency": "USD"}),
                    "upper": b.upper and b.upper.model_copy(update={"currency": "USD"}),
                }
            )
            for b in two_bands("3500").bands
        ),
    )
    change = tier_change(two_bands("3500"), usd)
    assert change is not None and (change.direction, change.unranked) == ("changed", "currency")


def test_diff_ranks_a_boundary_that_now_includes_itself(tmp_path: Path) -> None:
    # `over AED 3,500` becoming `at or above`: the firm check (threshold <= AED 3,500) is
    # the same on both sides, so only the bands show the rule tightened.
    rules = tmp_path / "rules"
    shutil.copytree(bundled_root(), rules, ignore=shutil.ignore_patterns("__pycache__"))
    path = rules / "AE-DU" / "compliance_risk_rulebook.rules"
    text = path.read_text(encoding="utf-8")
    written = "      up_to AED 3_500 demands []\n      over AED 3_500 demands"
    assert written in text
    path.write_text(
        text.replace(
            written, "      below AED 3_500 demands []\n      at_or_above AED 3_500 demands"
        ),
        encoding="utf-8",
    )
    result = jawaz(
        "diff", "--base", str(bundled_root()), "--rules", str(rules), "--to", "AE-DU",
        "--format", "json",
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    changes = {e["id"]: e for e in json.loads(result.stdout)["changes"]}
    assert set(changes) == {"AE-DU-TRAVEL-RULE"}
    entry = changes["AE-DU-TRAVEL-RULE"]
    assert entry["kinds"] == ["tightened"]
    assert [(t["op"], t["direction"]) for t in entry["thresholds"]] == [("tiers", "tightened")]
    assert "at or above AED 3,500" in entry["condition_after"]


def test_explain_marks_the_band_the_firm_s_threshold_falls_in() -> None:
    bundle = load_bundle()
    firm = bundle.read_profile(REPO / "examples" / "malaysian-dax.yaml")  # threshold MYR 0
    day = dt.date(2026, 12, 1)
    result = bundle.explain(firm, "AE-DU-TRAVEL-RULE", None, None, day)
    assert [(b.band, tuple(b.demands), b.firm_threshold) for b in result.tiers] == [
        ("up to AED 3,500", (), True),
        ("over AED 3,500", BOTH, False),
    ]
    untiered = bundle.explain(firm, "AE-DU-CAP-EXCHANGE", None, None, day)
    assert untiered.tiers == []
