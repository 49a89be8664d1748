"""`jawaz explain`: one requirement against one firm, step by step, and always the very
line the passport answer gives (real bundled ids, example profiles)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from jawaz_cli import REPO, jawaz

from engine import EngineError, load_bundle
from engine.bundle import Bundle
from engine.presentation.registry import formats, render

DAY = dt.date(2026, 12, 1)


def example(name: str) -> Path:
    """An example profile (those the bundled cases share are links into the bundle)."""
    return REPO / "examples" / name


@pytest.fixture(scope="module")
def bundle() -> Bundle:
    return load_bundle()


def test_a_deemed_line_names_the_home_rule_and_the_fx_of_its_proof(bundle: Bundle) -> None:
    firm = bundle.read_profile(example("malaysian-dax.yaml"))
    result = bundle.explain(firm, "AE-DU-TRAVEL-RULE", None, None, DAY, "oic-model")
    passport = bundle.passport(firm, "AE-DU", as_of=DAY, framework="oic-model")
    assert result.host == "AE-DU" and result.route == "passport"
    assert result.line == next(r for r in passport.requirements if r.id == "AE-DU-TRAVEL-RULE")
    assert result.status == "deemed_met"
    decided = result.decided_by
    assert (decided.treatment, decided.equivalence) == ("deemed", "shown")
    assert [(h.jurisdiction, h.id) for h in decided.deemed_by] == [("MY", "MY-TRAVEL-RULE")]
    assert [(r.source, r.target) for r in decided.proof_rates] == [("AED", "MYR")]
    assert float(decided.proof_rates[0].rate) > 0


def test_a_waived_line_names_the_framework(bundle: Bundle) -> None:
    firm = bundle.read_profile(example("malaysian-dax.yaml"))
    result = bundle.explain(firm, "AE-DU-ENTITY", "AE-DU", None, DAY, "oic-model")
    framework = bundle.frameworks["oic-model"]
    assert result.status == "waived"
    assert result.decided_by.treatment == "waived"
    assert result.decided_by.category in framework.waives
    assert result.decided_by.waived_by is not None
    assert framework.citation is not None
    assert result.decided_by.waived_by.instrument == framework.citation.instrument


def test_an_unmet_line_shows_each_part_the_conversion_and_the_pending_figure(
    bundle: Bundle,
) -> None:
    firm = bundle.read_profile(example("bahrain-exchange.yaml"))
    result = bundle.explain(firm, "MY-DAX-CAPITAL", None, None, DAY, "oic-model")
    passport = bundle.passport(firm, "MY", as_of=DAY, framework="oic-model")
    assert result.line == next(r for r in passport.requirements if r.id == "MY-DAX-CAPITAL")
    assert result.status == "unmet"
    condition = result.condition
    assert (condition.kind, condition.truth) == ("and", "false")
    known, pending = condition.parts
    assert (known.truth, pending.truth, pending.pending) == ("false", "unknown", True)
    assert [r.kind for r in pending.reasons] == ["pending_threshold"]
    capital = known.operands[0]
    assert capital.source == "profile"
    assert capital.given is not None and capital.given.currency == "BHD"
    assert capital.amount is not None and capital.amount.currency == "MYR"
    assert [(r.source, r.target) for r in capital.conversions] == [("BHD", "MYR")]
    assert capital.conversions[0].rate == passport.fx_rates[0].rate
    assert known.operands[1].source == "rule"
    assert [g.attribute for g in known.gaps] == ["paid_up_capital"]
    assert result.citation.url is not None and result.confidence == "unconfirmed"


def test_a_count_is_a_derived_operand_with_what_it_counted(bundle: Bundle) -> None:
    firm = bundle.read_profile(example("dubai-vara-broker.yaml"))
    result = bundle.explain(firm, "AE-DU-RESPONSIBLE-INDIVIDUALS", None, None, DAY, None)
    assert result.decided_by.treatment is None  # the firm's own regime: no passport
    count = result.condition.operands[0]
    assert (count.source, count.value) == ("derived", "2")
    assert [p.source for p in count.parts] == ["profile"]
    assert result.line is not None and result.status == result.line.status


def test_unknown_requirement_suggests_the_nearest(bundle: Bundle) -> None:
    firm = bundle.read_profile(example("malaysian-dax.yaml"))
    with pytest.raises(EngineError) as caught:
        bundle.explain(firm, "BH-TRAVEL-RULES", None, None, DAY, None)
    assert caught.value.path == "requirement"
    assert "'BH-TRAVEL-RULE'" in caught.value.message
    with pytest.raises(EngineError) as elsewhere:
        bundle.explain(firm, "BH-TRAVEL-RULE", "AE-DU", None, DAY, None)
    assert elsewhere.value.path == "requirement"


def test_cli_json_and_exit_codes() -> None:
    profile = str(example("malaysian-dax.yaml"))
    shown = jawaz(
        "explain", "AE-DU-TRAVEL-RULE", profile, "--framework", "oic-model",
        "--as-of", "2026-12-01", "--format", "json",
    )  # fmt: skip
    assert shown.returncode == 0, shown.stderr
    data = json.loads(shown.stdout)
    assert data["status"] == data["line"]["status"] == "deemed_met"
    assert data["decided_by"]["deemed_by"][0]["id"] == "MY-TRAVEL-RULE"
    text = jawaz("explain", "AE-DU-ENTITY", profile, "--framework", "oic-model")
    assert text.returncode == 0 and "waived" in text.stdout
    wrong = jawaz("explain", "AE-DU-TRAVEL-RULEZ", profile)
    assert wrong.returncode == 2
    assert "AE-DU-TRAVEL-RULE" in wrong.stderr


def test_every_format_renders_the_same_bytes_twice(bundle: Bundle) -> None:
    firm = bundle.read_profile(example("bahrain-exchange.yaml"))
    result = bundle.explain(firm, "MY-DAX-CAPITAL", None, None, DAY, "oic-model")
    for name in formats("explanation"):
        assert render(result, name) == render(result, name)
