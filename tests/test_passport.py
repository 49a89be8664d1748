"""Passport decisions (DESIGN §4): route, verdict, statuses, shortfalls, FX and frameworks.

Assertions are on values and codes (statuses, routes, ids, amounts), not on wording.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from decimal import ROUND_CEILING, ROUND_HALF_EVEN, Decimal, localcontext
from pathlib import Path
from typing import Any

import pytest
from jawaz_cli import jawaz
from rules_under_test import jurisdiction_folders, load_rules, rules_root

from engine import EngineError
from engine.bundle import Bundle
from engine.decisions.catalogue import regime_on
from engine.inputs.profiles import Profile
from engine.results import Decision, RequirementResult

REPO = Path(__file__).resolve().parents[1]
EXAMPLES = sorted((REPO / "examples").glob("*.yaml"))
BAHRAIN = REPO / "examples" / "bahrain-exchange.yaml"
MALAYSIA = REPO / "examples" / "malaysian-dax.yaml"
PAKISTAN = REPO / "examples" / "pakistani-applicant.yaml"
DAY = dt.date(2026, 1, 15)  # before Malaysia's 20 May 2026 revision
# Also before it, and after the black list is known complete (13 Feb 2026): a home's FATF
# status is known, so a model framework's home conditions can be met.
PASSPORT_DAY = dt.date(2026, 3, 1)
AFTER_REVISION = dt.date(2026, 6, 1)
OIC_STATES = ("AE-DU", "BH", "BN", "EG", "ID", "JO", "KZ", "MY", "NG", "PK", "QA", "SA", "TR")


@pytest.fixture(scope="module")
def bundle() -> Bundle:
    """The rules under test (`$JAWAZ_RULES`, else the bundled rules), loaded once."""
    return load_rules()


def profile_data(path: Path) -> dict[str, Any]:
    """An example profile as plain data, ready to be changed by a test."""
    import yaml

    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


def line(decision: Decision, rid: str) -> RequirementResult:
    """The decision's line for one requirement id."""
    found = [r for r in decision.requirements if r.id == rid]
    assert found, f"{rid} not evaluated: {[r.id for r in decision.requirements]}"
    return found[0]


def profiles(bundle: Bundle) -> list[Profile]:
    """Every example profile, validated."""
    return [bundle.read_profile(path) for path in EXAMPLES]


# ---- the CLI question of the README ---------------------------------------------------------


def test_cli_bahrain_into_malaysia_capital_shortfall() -> None:
    """BH exchange into MY: capital unmet, with the shortfall computed by hand from the peg
    and the ECB's reference rates of the day."""
    result = jawaz(
        "passport", str(BAHRAIN), "--to", "MY", "--format", "json", "--as-of", "2026-01-15"
    )
    assert result.returncode == 0, result.stderr
    decision = json.loads(result.stdout)
    capital = next(r for r in decision["requirements"] if r["id"] == "MY-DAX-CAPITAL")
    assert capital["status"] == "unmet"
    # By hand: BHD is pegged at 0.376 per USD, and the ECB's reference rates of 15 January
    # 2026 give MYR 4.715 and USD 1.1624 per EUR, so 1 USD = 4.715 / 1.1624 MYR.
    # BHD 300,000 = USD 300,000 / 0.376 = USD 797,872.3404…
    #             = MYR 797,872.3404… × 4.056262… = MYR 3,236,379.9779… → 3,236,379.98
    #               (converted amounts are rounded half-even to the minor unit)
    # shortfall   = MYR 5,000,000 − 3,236,379.98 = MYR 1,763,620.02 (rounded up: exact here)
    with localcontext() as ctx:
        ctx.prec = 50
        converted = Decimal(300_000) / Decimal("0.376") * Decimal("4.715") / Decimal("1.1624")
    converted = converted.quantize(Decimal("0.01"), rounding=ROUND_HALF_EVEN)
    shortfall = (Decimal(5_000_000) - converted).quantize(Decimal("0.01"), rounding=ROUND_CEILING)
    assert shortfall == Decimal("1763620.02")
    gaps = [g for g in capital["gaps"] if g["shortfall"]]
    assert [g["attribute"] for g in gaps] == ["paid_up_capital"]
    assert gaps[0]["shortfall"] == {"amount": str(shortfall), "currency": "MYR"}
    rates = [r for r in decision["fx_rates"] if (r["source"], r["target"]) == ("BHD", "MYR")]
    assert len(rates) == 1
    assert rates[0]["table_date"] == "2026-01-15"  # the ECB publication day used
    with localcontext() as ctx:
        ctx.prec = 50
        exact = Decimal("4.715") / Decimal("1.1624") / Decimal("0.376")
    assert abs(Decimal(rates[0]["rate"]) - exact) < Decimal("1e-9")
    citation = capital["citation"]
    assert citation["instrument"] and citation["provision"]
    assert decision["rules_hash"] and decision["fx_hash"] and decision["as_of"] == "2026-01-15"


def test_cli_to_all_answers_every_host_but_home(bundle: Bundle) -> None:
    """`--to all` gives one decision per bundled host except the home."""
    result = jawaz(
        "passport", str(BAHRAIN), "--to", "all", "--format", "json", "--as-of", "2026-01-15"
    )
    assert result.returncode == 0, result.stderr
    hosts = [d["host"] for d in json.loads(result.stdout)["decisions"]]
    assert "BH" in bundle.jurisdictions and len(bundle.jurisdictions) > 1
    assert sorted(hosts) == sorted(set(bundle.jurisdictions) - {"BH"})
    assert len(hosts) == len(bundle.jurisdictions) - 1


def test_passport_all_matches_cli_hosts(bundle: Bundle) -> None:
    """The Python API's `passport_all` answers the same hosts, home excluded."""
    decisions = bundle.passport_all(bundle.read_profile(BAHRAIN), as_of=DAY)
    assert [d.host for d in decisions] == sorted(set(bundle.jurisdictions) - {"BH"})


# ---- verdicts -------------------------------------------------------------------------------


def test_firm_meeting_every_requirement_is_eligible(bundle: Bundle) -> None:
    """A Bahraini Category 4 exchange at the Bahraini minimums is eligible in Bahrain."""
    decision = bundle.passport(bundle.read_profile(BAHRAIN), host="BH", as_of=DAY)
    assert decision.verdict == "eligible"
    assert decision.host_licence == "category_4"
    assert decision.requirements
    assert {r.status for r in decision.requirements} == {"met"}
    assert decision.counts.met == len(decision.requirements)
    assert decision.counts.unmet == decision.counts.unknown == 0


@pytest.mark.parametrize(
    ("where", "attribute", "rid"),
    [
        ("attributes", "client_assets_fully_backed", "BH-FULLY-BACKED"),
        ("attributes", "paid_up_capital", "BH-CAP-4"),
        ("in_host", "local_place_of_business", "BH-PLACE"),
    ],
)
def test_missing_attribute_makes_incomplete(
    bundle: Bundle, where: str, attribute: str, rid: str
) -> None:
    """Without one attribute the answer is incomplete and names what is missing."""
    data = profile_data(BAHRAIN)
    values = data["in_host"]["BH"] if where == "in_host" else data["attributes"]
    del values[attribute]
    decision = bundle.passport(bundle.profile(data), host="BH", as_of=DAY)
    assert decision.verdict == "incomplete"
    requirement = line(decision, rid)
    assert requirement.status == "unknown"
    assert requirement.missing == [attribute]
    assert [r.id for r in decision.requirements if r.status != "met"] == [rid]


def test_remediable_gaps_are_conditional(bundle: Bundle) -> None:
    """Only non-blocking requirements unmet, nothing unknown: conditional, with the gap."""
    data = profile_data(BAHRAIN)
    data["attributes"]["cold_storage_min_share"] = 50  # below BH-COLD's 90 %
    decision = bundle.passport(bundle.profile(data), host="BH", as_of=DAY)
    cold = line(decision, "BH-COLD")
    assert cold.status == "unmet" and not cold.blocking
    assert cold.gaps[0].attribute == "cold_storage_min_share"
    assert cold.gaps[0].shortfall_value == "40"
    assert cold.remedy
    assert decision.verdict == "conditional"


def test_blocking_requirement_unmet_is_not_eligible(bundle: Bundle) -> None:
    """A dealing broker asking for MiCA Class 1 fails a blocking scope rule: not eligible;
    without `apply_for` the best host licence (Class 2) is chosen instead."""
    data = profile_data(REPO / "examples" / "dubai-vara-broker.yaml")
    data["attributes"]["direct_trade_model"] = True
    firm = bundle.profile(data)
    decision = bundle.passport(firm, host="EU", as_of=DAY, apply_for="casp_class_1")
    scope = line(decision, "EU-CLASS-1-SCOPE")
    assert scope.status == "unmet" and scope.blocking
    assert decision.verdict == "not_eligible"
    best = bundle.passport(firm, host="EU", as_of=DAY)
    assert best.host_licence == "casp_class_2"
    assert best.verdict != "not_eligible"


@pytest.mark.parametrize("host", ["EG", "QA"])
def test_host_that_prohibits_is_unavailable(bundle: Bundle, host: str) -> None:
    """A host that prohibits the activity: route unavailable, not eligible, with a reason."""
    regime = regime_on(bundle.jurisdictions[host], "exchange", DAY)
    assert regime is not None and regime.status == "prohibited"
    for framework in (None, "oic-model"):
        decision = bundle.passport(
            bundle.read_profile(BAHRAIN), host=host, as_of=DAY, framework=framework
        )
        assert decision.route == "unavailable"
        assert decision.verdict == "not_eligible"
        assert decision.host_licence is None
        assert decision.requirements == []
        assert any(host in reason for reason in decision.reasons)


def test_enacted_regime_is_incomplete(bundle: Bundle) -> None:
    """Jordan has enacted a regime without published details: incomplete, with a reason."""
    regime = regime_on(bundle.jurisdictions["JO"], "exchange", DAY)
    assert regime is not None and regime.status == "enacted"
    decision = bundle.passport(bundle.read_profile(BAHRAIN), host="JO", as_of=DAY)
    assert decision.route == "local_licence"
    assert decision.verdict == "incomplete"
    assert decision.host_licence is None
    assert len(decision.reasons) >= 2  # the route's reason, and the unpublished regime
    assert any("JO" in reason for reason in decision.reasons[1:])


def test_pending_threshold_is_unknown_and_named(bundle: Bundle) -> None:
    """After 20 May 2026 Malaysia's raised capital figure is pending: unknown for a firm
    above RM 5m, naming the unpublished threshold."""
    decision = bundle.passport(bundle.read_profile(MALAYSIA), host="MY", as_of=AFTER_REVISION)
    capital = line(decision, "MY-DAX-CAPITAL")
    assert capital.pending is True
    assert capital.status == "unknown"
    assert [(r.kind, r.attribute, r.currency) for r in capital.reasons] == [
        ("pending_threshold", "paid_up_capital", "MYR")
    ]
    assert decision.verdict == "incomplete"


def test_pending_threshold_still_decides_a_firm_at_the_old_minimum(bundle: Bundle) -> None:
    """`> RM 5m and >= pending` is false (not unknown) for a firm with exactly RM 5m."""
    data = profile_data(MALAYSIA)
    data["attributes"]["paid_up_capital"] = {"amount": "5000000", "currency": "MYR"}
    firm = bundle.profile(data)
    for backend in ("fast", "reference"):
        decision = bundle.passport(firm, host="MY", as_of=AFTER_REVISION, backend=backend)
        assert line(decision, "MY-DAX-CAPITAL").status == "unmet"


# ---- determinism ----------------------------------------------------------------------------


def test_same_question_gives_identical_json(bundle: Bundle) -> None:
    """The same question twice (even on a freshly loaded bundle) gives byte-identical JSON."""
    firm = bundle.read_profile(BAHRAIN)
    first = bundle.passport(firm, host="MY", as_of=DAY).model_dump_json()
    second = bundle.passport(firm, host="MY", as_of=DAY).model_dump_json()
    again = load_rules()
    third = again.passport(again.read_profile(BAHRAIN), host="MY", as_of=DAY).model_dump_json()
    assert first == second == third


def test_every_answer_carries_hash_date_framework_and_rates(bundle: Bundle) -> None:
    """Every answer carries the rules and FX hashes, the as-of date, the framework and FX rates."""
    for firm in profiles(bundle):
        for decision in bundle.passport_all(
            firm, activity=firm.activities[0], as_of=DAY, framework="oic-model"
        ):
            assert re.fullmatch(r"[0-9a-f]{64}", decision.rules_hash)
            assert re.fullmatch(r"[0-9a-f]{64}", decision.fx_hash)
            assert decision.rules_hash == bundle.rules_hash
            assert decision.fx_hash == bundle.fx.hash
            assert decision.as_of == DAY
            assert decision.framework is not None and decision.framework.id == "oic-model"
            assert isinstance(decision.fx_rates, list)
            dumped = json.loads(decision.model_dump_json())
            assert {"rules_hash", "fx_hash", "as_of", "framework", "fx_rates"} <= set(dumped)


def test_default_framework_is_the_status_quo(bundle: Bundle) -> None:
    """No framework named: the status quo, which is law and not a proposal."""
    decision = bundle.passport(bundle.read_profile(BAHRAIN), host="MY", as_of=DAY)
    assert decision.framework is not None
    assert decision.framework.id == "status_quo"
    assert decision.framework.proposal_not_law is False


# ---- frameworks ---------------------------------------------------------------------------


def test_oic_model_passports_bahrain_into_malaysia(bundle: Bundle) -> None:
    """Under the OIC model a BH exchange reaches MY by passport; the model is not law, and
    Bahrain's no-threshold Travel Rule, which the firm keeps, is deemed to satisfy
    Malaysia's."""
    data = profile_data(BAHRAIN)
    firm = bundle.profile(data)
    decision = bundle.passport(firm, host="MY", as_of=PASSPORT_DAY, framework="oic-model")
    assert decision.route == "passport"
    assert decision.framework is not None
    assert decision.framework.id == "oic-model"
    assert decision.framework.proposal_not_law is True
    deemed = [r for r in decision.requirements if r.status == "deemed_met"]
    assert deemed
    assert decision.counts.deemed_met == len(deemed)
    travel = line(decision, "MY-TRAVEL-RULE")
    assert travel.status == "deemed_met"
    assert [(d.jurisdiction, d.id) for d in travel.deemed_by] == [("BH", "BH-TRAVEL-RULE")]
    home_ids = {r.id for r in bundle.jurisdictions["BH"].requirements}
    assert all(d.id in home_ids and d.citation.instrument for r in deemed for d in r.deemed_by)
    # only the categories the framework deems are ever deemed
    deems = set(bundle.frameworks["oic-model"].deems)
    assert all(r.category in deems for r in deemed)
    status_quo = bundle.passport(firm, host="MY", as_of=PASSPORT_DAY)
    assert line(status_quo, "MY-TRAVEL-RULE").status == "met"
    assert line(status_quo, "MY-TRAVEL-RULE").treatment is None


def test_pk_my_model_excludes_bahrain(bundle: Bundle) -> None:
    """Bahrain is not a member of the Pakistan-Malaysia model: a local licence, and why."""
    decision = bundle.passport(
        bundle.read_profile(BAHRAIN), host="MY", as_of=DAY, framework="pk-my-model"
    )
    assert decision.route == "local_licence"
    assert decision.framework is not None and decision.framework.proposal_not_law is True
    assert any("BH" in r and "pk-my-model" in r for r in decision.reasons)
    assert not any(r.status == "deemed_met" for r in decision.requirements)


def test_status_quo_never_passports_between_oic_states(bundle: Bundle) -> None:
    """Today no OIC state recognises another's licence: no passport route, ever."""
    for firm in profiles(bundle):
        for activity in firm.activities:
            for day in (DAY, AFTER_REVISION):
                for decision in bundle.passport_all(firm, activity=activity, as_of=day):
                    if firm.home in OIC_STATES and decision.host in OIC_STATES:
                        assert decision.route != "passport", (firm.home, decision.host)
    for activity in ("exchange", "custody", "brokerage"):
        grid = bundle.matrix(activity, as_of=DAY)
        assert not [c for c in grid.cells if c.route == "passport"]


def test_home_licence_covering_no_activity_never_passports(bundle: Bundle) -> None:
    """A PVARA NOC covers no activity, so no framework passports it anywhere."""
    firm = bundle.read_profile(PAKISTAN)
    home = bundle.jurisdictions["PK"]
    assert next(lic for lic in home.licences if lic.id == "noc").activities == ()
    for framework in sorted(bundle.frameworks):
        for decision in bundle.passport_all(firm, as_of=DAY, framework=framework):
            assert decision.route != "passport", (framework, decision.host)


# ---- per-host attributes --------------------------------------------------------------------


def test_in_host_attributes_count_only_for_their_host(bundle: Bundle) -> None:
    """Residents given under `in_host: {BH: …}` count for BH, not for NG."""
    firm = bundle.read_profile(BAHRAIN)
    assert line(bundle.passport(firm, host="BH", as_of=DAY), "BH-RESIDENTS").status == "met"
    nigeria = line(bundle.passport(firm, host="NG", as_of=DAY), "NG-CEO-RESIDENT")
    assert nigeria.status == "unknown"
    assert nigeria.missing == ["resident_key_persons"]

    data = profile_data(BAHRAIN)
    data["attributes"]["resident_key_persons"] = []  # nobody resident anywhere else
    data["in_host"]["NG"] = {"resident_key_persons": ["ceo"]}
    moved = bundle.profile(data)
    assert line(bundle.passport(moved, host="BH", as_of=DAY), "BH-RESIDENTS").status == "met"
    nigeria = line(bundle.passport(moved, host="NG", as_of=DAY), "NG-CEO-RESIDENT")
    assert nigeria.status == "met"
    del data["in_host"]["NG"]
    general = bundle.profile(data)
    nigeria = line(bundle.passport(general, host="NG", as_of=DAY), "NG-CEO-RESIDENT")
    assert nigeria.status == "unmet"


def test_a_persons_residence_holds_for_every_host(bundle: Bundle) -> None:
    """Key persons are firm-wide: each host's count compares their countries with its own."""
    data = profile_data(BAHRAIN)
    data["attributes"]["key_persons"] = [
        {"role": "compliance_officer", "residence": "AE", "nationality": "BH", "full_time": True}
    ]
    firm = bundle.profile(data)
    dubai = line(bundle.passport(firm, host="AE-DU", as_of=DAY), "AE-DU-CO-RESIDENT")
    assert dubai.status == "met"
    data["attributes"]["key_persons"][0]["residence"] = "BH"
    firm = bundle.profile(data)
    dubai = line(bundle.passport(firm, host="AE-DU", as_of=DAY), "AE-DU-CO-RESIDENT")
    assert dubai.status == "unmet"


# ---- inputs the engine refuses ---------------------------------------------------------------


def test_apply_for_a_licence_not_covering_the_activity(bundle: Bundle) -> None:
    """`apply_for` naming a host licence that does not cover the activity is refused."""
    firm = bundle.read_profile(BAHRAIN)
    with pytest.raises(EngineError) as caught:
        bundle.passport(firm, host="BH", as_of=DAY, apply_for="category_1")
    assert caught.value.path == "apply_for"
    with pytest.raises(EngineError) as caught:
        bundle.passport(firm, host="MY", as_of=DAY, apply_for="no_such_licence")
    assert caught.value.path == "apply_for"
    chosen = bundle.passport(firm, host="BH", as_of=DAY, apply_for="category_4")
    assert chosen.host_licence == "category_4"


@pytest.mark.parametrize(
    ("options", "path"),
    [
        ({"host": "XX"}, "host"),
        ({"host": "MY", "framework": "oic_model"}, "framework"),
        ({"host": "MY", "activity": "exchang"}, "activity"),
        ({"host": "MY", "backend": "rete"}, "backend"),
    ],
)
def test_unknown_names_are_refused_with_their_path(
    bundle: Bundle, options: dict[str, Any], path: str
) -> None:
    """Unknown host, framework, activity or backend: an EngineError naming the field."""
    with pytest.raises(EngineError) as caught:
        bundle.passport(bundle.read_profile(BAHRAIN), as_of=DAY, **options)
    assert caught.value.path == path


def test_activity_must_be_named_when_the_profile_has_several(bundle: Bundle) -> None:
    """The EU platform lists two activities: the question must say which."""
    firm = bundle.read_profile(REPO / "examples" / "eu-mica-class3-platform.yaml")
    assert len(firm.activities) > 1
    with pytest.raises(EngineError) as caught:
        bundle.passport(firm, host="MY", as_of=DAY)
    assert caught.value.path == "activity"


# ---- the fast path agrees with the reference evaluator -------------------------------------


def _without_backend(decision: Decision) -> dict[str, Any]:
    """The decision as JSON data without the backend field and the FX rates reported (the
    rates are held to agreement by the test below)."""
    dumped = decision.model_dump(mode="json")
    dumped.pop("backend")
    dumped.pop("fx_rates")
    return dumped


def test_backends_agree_on_every_example_and_host(bundle: Bundle) -> None:
    """For every example, activity, host, date and framework, fast == reference."""
    for firm in profiles(bundle):
        for activity in firm.activities:
            for day in (DAY, AFTER_REVISION):
                for framework in (None, "oic-model"):
                    for host in sorted(bundle.jurisdictions):
                        options: dict[str, Any] = {
                            "host": host,
                            "activity": activity,
                            "as_of": day,
                            "framework": framework,
                        }
                        fast = bundle.passport(firm, backend="fast", **options)
                        reference = bundle.passport(firm, backend="reference", **options)
                        assert fast.backend == "fast" and reference.backend == "reference"
                        assert _without_backend(fast) == _without_backend(reference), options


def test_backends_agree_with_each_attribute_removed(bundle: Bundle) -> None:
    """Dropping any one attribute (the SLOW paths of the compiled code) changes nothing in
    the agreement between the two evaluators."""
    for path in EXAMPLES:
        data = profile_data(path)
        for name in sorted(data.get("attributes") or {}):
            changed = dict(data, attributes=dict(data["attributes"]))
            del changed["attributes"][name]
            firm = bundle.profile(changed)
            for host in sorted(bundle.jurisdictions):
                options: dict[str, Any] = {
                    "host": host,
                    "activity": firm.activities[0],
                    "as_of": AFTER_REVISION,
                }
                fast = bundle.passport(firm, backend="fast", **options)
                reference = bundle.passport(firm, backend="reference", **options)
                assert _without_backend(fast) == _without_backend(reference), (name, options)


def test_backends_report_the_same_fx_rates(bundle: Bundle) -> None:
    """The FX rates an answer reports do not depend on the backend."""
    firm = bundle.read_profile(BAHRAIN)
    fast = bundle.passport(firm, host="AE-DU", as_of=DAY, backend="fast")
    reference = bundle.passport(firm, host="AE-DU", as_of=DAY, backend="reference")
    assert fast.fx_rates == reference.fx_rates


def test_every_jurisdiction_has_its_folder(bundle: Bundle) -> None:
    """The bundle the tests above rely on: one folder per jurisdiction, named by its code."""
    assert set(bundle.jurisdictions) == jurisdiction_folders(rules_root())
    assert {"BH", "MY", "AE-DU", "PK"} <= set(bundle.jurisdictions)  # the hosts asked above
