"""The home side of a passport question: any ISO 3166 country as a home, the home's FATF
status with the dates the recorded lists are complete from, MoUs, operating modes, and no
passport into a host that defines no licence for the activity."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml
from fastapi.testclient import TestClient
from jawaz_cli import jawaz as run_jawaz

from engine import Bundle, load_bundle
from engine.decisions.route import mou_in_force
from engine.inputs.profiles import ProfileError
from engine.interfaces.api.app import create_app
from engine.results import Decision
from rulesdsl.loader import bundled_root

REPO = Path(__file__).resolve().parent.parent
KUWAIT = REPO / "examples" / "kuwait-exchange.yaml"
BAHRAIN = REPO / "examples" / "bahrain-exchange.yaml"
MALAYSIA = REPO / "examples" / "malaysian-dax.yaml"
FRAMEWORKS = ("status_quo", "mica", "pk-my-model", "oic-model")
AFTER_FEB_2026 = dt.date(2026, 3, 1)  # both lists known complete, no warning yet


@pytest.fixture(scope="module")
def bundle() -> Bundle:
    return load_bundle()


def data_of(path: Path, **changes: Any) -> dict[str, Any]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    data.update(changes)
    return data


def nigerian(bundle: Bundle, **changes: Any) -> Any:
    """A Nigerian DAX (the minimum-compliant profile is not needed: routes are tested)."""
    base = {"home": "NG", "licence": "dax", "activities": ["exchange"], "attributes": {}}
    base.update(changes)
    return bundle.profile(base)


def kinds(decision: Decision) -> list[str]:
    return [r.kind for r in decision.route_reasons]


# ---- any ISO 3166 country is a home ---------------------------------------------------------


def test_unbundled_home_answers_local_licence_with_its_fatf_status(bundle: Bundle) -> None:
    firm = bundle.read_profile(KUWAIT)
    assert firm.home == "KW" and firm.licence == "virtual_asset_exchange"  # taken as stated
    for framework in FRAMEWORKS:
        decision = bundle.passport(firm, host="MY", as_of=AFTER_FEB_2026, framework=framework)
        assert decision.route == "local_licence", framework
        assert decision.home == "KW"
        assert "unbundled_home" in kinds(decision)
        assert "KW is not in these rules: nothing can be deemed from its licence" in (
            decision.reasons
        )
        assert decision.home_fatf.country == "KW"
        assert decision.home_fatf.grey.status == "listed"
        assert decision.home_fatf.grey.citation is not None
        assert decision.home_fatf.grey.citation.instrument == "FATF-2026-02"
        assert decision.home_fatf.black.status == "not_listed"
        assert not any(r.status == "deemed_met" for r in decision.requirements)
        assert decision.requirements  # the host's own licence is evaluated as usual
    early = bundle.passport(firm, host="MY", as_of=dt.date(2025, 1, 1))
    assert early.home_fatf.grey.status == "unknown"
    assert early.home_fatf.black.status == "unknown"


def test_cli_passport_answers_for_an_unbundled_home() -> None:
    result = run_jawaz(
        "passport", str(KUWAIT), "--to", "MY", "--as-of", "2026-03-01", "--format", "json"
    )
    assert result.returncode == 0, result.stderr
    decision = Decision.model_validate_json(result.stdout)
    assert decision.route == "local_licence"
    assert decision.home_fatf.grey.status == "listed"
    assert decision.operating_mode == "subsidiary"


@pytest.mark.parametrize(("home", "hint"), [("XX", None), ("Malaysia", "MY"), ("MYS", "MY")])
def test_a_home_that_is_no_country_is_refused(bundle: Bundle, home: str, hint: str | None) -> None:
    with pytest.raises(ProfileError) as caught:
        bundle.profile(data_of(BAHRAIN, home=home))
    paths = dict(caught.value.problems)
    assert "home" in paths
    if hint:
        assert f"'{hint}'" in paths["home"]


@pytest.mark.parametrize("home", ["XX", "Malaysia"])
def test_cli_and_api_refuse_a_bad_home(home: str, tmp_path: Path, bundle: Bundle) -> None:
    path = tmp_path / "firm.yaml"
    path.write_text(yaml.safe_dump(data_of(BAHRAIN, home=home)), encoding="utf-8")
    result = run_jawaz("passport", str(path), "--to", "MY", "--as-of", "2026-03-01")
    assert result.returncode == 2
    assert "home" in result.stderr and "Traceback" not in result.stderr
    with TestClient(create_app(bundle, tmp_path / "log.sqlite3")) as client:
        answer = client.post(
            "/v1/passport", json={"profile": data_of(BAHRAIN, home=home), "host": "MY"}
        )
    assert answer.status_code == 422
    assert "profile.home" in [e["path"] for e in answer.json()["errors"]]


# ---- FATF status ----------------------------------------------------------------------------


def test_nigeria_grey_listed_the_day_before_its_removal(bundle: Bundle) -> None:
    firm = nigerian(bundle)
    day = dt.date(2025, 10, 23)
    decision = bundle.passport(firm, host="MY", as_of=day, framework="oic-model")
    assert decision.home_fatf.grey.status == "listed"
    assert decision.home_fatf.grey.until == dt.date(2025, 10, 24)
    assert decision.home_fatf.grey.citation is not None
    assert decision.home_fatf.grey.citation.instrument == "FATF-2025-10"
    assert decision.route == "local_licence"
    assert any(r.startswith("NG was on the FATF grey list on 2025-10-23") for r in decision.reasons)
    after = bundle.passport(firm, host="MY", as_of=dt.date(2025, 10, 24))
    assert after.home_fatf.grey.status == "not_listed"
    assert after.home_fatf.grey.citation is None


def test_pakistan_before_the_recorded_lists_is_unknown(bundle: Bundle) -> None:
    pakistani = bundle.profile(
        {"home": "PK", "licence": "vasp", "activities": ["exchange"], "attributes": {}}
    )
    day = dt.date(2025, 1, 1)
    decision = bundle.passport(pakistani, host="MY", as_of=day, framework="pk-my-model")
    assert decision.home_fatf.grey.status == "unknown"
    assert decision.route == "local_licence"
    fatf = [r for r in decision.route_reasons if r.kind == "fatf_status"]
    assert fatf and fatf[0].date == day and fatf[0].attribute == "home"
    # After both lists are known complete, the status is known and no such reason is given.
    later = bundle.passport(pakistani, host="MY", as_of=AFTER_FEB_2026, framework="pk-my-model")
    assert later.home_fatf.grey.status == "not_listed"
    assert "fatf_status" not in kinds(later)


def test_every_decision_reports_the_home_fatf_status(bundle: Bundle) -> None:
    firm = bundle.read_profile(BAHRAIN)
    for framework in FRAMEWORKS:
        decision = bundle.passport(firm, host="MY", as_of=AFTER_FEB_2026, framework=framework)
        assert decision.home_fatf.grey.status == "not_listed"
        assert decision.home_fatf.black.status == "not_listed"
        assert decision.operating_mode is None


def test_a_child_jurisdiction_takes_its_countrys_status(tmp_path: Path) -> None:
    root = copy_rules(tmp_path)
    (root / "ae-listing.rules").write_text(
        "fatf {\n  listing AE {\n    list grey\n    from 2026-01-01\n"
        '    cite FATF-2026-02 "test: AE"\n  }\n}\n',
        encoding="utf-8",
    )
    rules = load_bundle(root)
    data = data_of(REPO / "examples" / "dubai-vara-broker.yaml")
    decision = rules.passport(rules.profile(data), host="BH", as_of=AFTER_FEB_2026)
    assert decision.home == "AE-DU"
    assert decision.home_fatf.country == "AE"
    assert decision.home_fatf.grey.status == "listed"
    bundled = load_bundle().passport(load_bundle().profile(data), host="BH", as_of=AFTER_FEB_2026)
    assert bundled.home_fatf.country == "AE" and bundled.home_fatf.grey.status == "not_listed"


@pytest.mark.parametrize(("day", "warned"), [("2026-07-01", True), ("2026-03-01", False)])
def test_the_lists_may_have_changed_warning(bundle: Bundle, day: str, warned: bool) -> None:
    firm = bundle.read_profile(BAHRAIN)
    decision = bundle.passport(firm, host="MY", as_of=dt.date.fromisoformat(day))
    assert (decision.home_fatf.warning is not None) is warned


def test_text_and_markdown_show_the_fatf_status() -> None:
    for fmt in ("text", "md"):
        result = run_jawaz(
            "passport", str(KUWAIT), "--to", "MY", "--as-of", "2026-07-01", "--format", fmt
        )
        assert result.returncode == 0, result.stderr
        assert "FATF" in result.stdout and "grey listed" in result.stdout
        assert "Warning" in result.stdout


# ---- operating modes ------------------------------------------------------------------------


def test_a_subsidiary_gets_a_local_licence_under_a_passport(bundle: Bundle) -> None:
    branch = bundle.profile(data_of(BAHRAIN, operating_mode="branch"))
    subsidiary = bundle.profile(data_of(BAHRAIN, operating_mode="subsidiary"))
    unstated = bundle.read_profile(BAHRAIN)
    as_branch = bundle.passport(branch, host="MY", as_of=AFTER_FEB_2026, framework="oic-model")
    assert as_branch.route == "passport" and as_branch.operating_mode == "branch"
    as_subsidiary = bundle.passport(
        subsidiary, host="MY", as_of=AFTER_FEB_2026, framework="oic-model"
    )
    assert as_subsidiary.route == "local_licence"
    assert as_subsidiary.operating_mode == "subsidiary"
    as_unstated = bundle.passport(unstated, host="MY", as_of=AFTER_FEB_2026, framework="oic-model")
    assert as_unstated.route == "passport" and as_unstated.operating_mode is None
    assert sum("operating mode not stated" in r for r in as_unstated.reasons) == 1


def test_a_bad_operating_mode_is_refused(bundle: Bundle, tmp_path: Path) -> None:
    with pytest.raises(ProfileError) as caught:
        bundle.profile(data_of(BAHRAIN, operating_mode="subsidary"))
    found = dict(caught.value.problems)
    assert "'subsidiary'" in found["operating_mode"]
    path = tmp_path / "firm.yaml"
    path.write_text(yaml.safe_dump(data_of(BAHRAIN, operating_mode="agent")), encoding="utf-8")
    assert run_jawaz("passport", str(path), "--to", "MY").returncode == 2
    with TestClient(create_app(bundle, tmp_path / "log.sqlite3")) as client:
        answer = client.post(
            "/v1/passport",
            json={"profile": data_of(BAHRAIN, operating_mode="agent"), "host": "MY"},
        )
    assert answer.status_code == 422
    assert "profile.operating_mode" in [e["path"] for e in answer.json()["errors"]]


# ---- no passport into a host without a licence for the activity ------------------------------


@pytest.mark.parametrize("framework", FRAMEWORKS)
def test_no_passport_into_jordan(bundle: Bundle, framework: str) -> None:
    firm = bundle.read_profile(BAHRAIN)
    decision = bundle.passport(firm, host="JO", as_of=AFTER_FEB_2026, framework=framework)
    assert decision.route == "local_licence"
    assert decision.verdict == "incomplete"
    assert decision.host_licence is None


# ---- MoUs -------------------------------------------------------------------------------------


def copy_rules(tmp_path: Path) -> Path:
    root = tmp_path / "rules"
    shutil.copytree(bundled_root(), root, ignore=shutil.ignore_patterns("__pycache__", "*.py"))
    return root


MOU = """instrument TEST-MOU {{
  title "A test memorandum between two supervisors"
}}

mou MY-PK-TEST {{
  parties [MY, PK]
  scope {scope}
  from 2026-01-01
  until 2026-06-01
  cite TEST-MOU "Art. 1"
}}
"""


def mou_bundle(tmp_path: Path, scope: str) -> Bundle:
    """The bundled rules, pk-my-model asking only for an MoU, and one MoU MY-PK."""
    root = copy_rules(tmp_path)
    frameworks = root / "frameworks.rules"
    text = frameworks.read_text(encoding="utf-8")
    model = text.index("framework pk-my-model")
    conditions = "home_conditions [not_grey_listed, not_black_listed, home_licenses_activity]"
    at = text.index(conditions, model)
    text = text[:at] + "home_conditions [mou_in_force]" + text[at + len(conditions) :]
    frameworks.write_text(text, encoding="utf-8")
    (root / "mous.rules").write_text(MOU.format(scope=scope), encoding="utf-8")
    return load_bundle(root)


def test_mou_in_force_holds_inside_its_dates(tmp_path: Path) -> None:
    rules = mou_bundle(tmp_path, "vasp_supervision")
    firm = rules.read_profile(MALAYSIA)
    inside = rules.passport(firm, host="PK", as_of=dt.date(2026, 3, 1), framework="pk-my-model")
    assert not any("MoU" in r for r in inside.reasons)
    assert inside.route == "passport"
    for day in (dt.date(2025, 12, 31), dt.date(2026, 6, 1)):
        outside = rules.passport(firm, host="PK", as_of=day, framework="pk-my-model")
        assert outside.route == "local_licence"
        assert any("MoU" in r for r in outside.reasons)
    assert mou_in_force(rules.ir, "MY", "PK", dt.date(2026, 3, 1)) is not None
    assert mou_in_force(rules.ir, "PK", "MY", dt.date(2026, 3, 1)) is not None
    assert mou_in_force(rules.ir, "MY", "BH", dt.date(2026, 3, 1)) is None


def test_an_aml_cooperation_mou_does_not_meet_mou_in_force(tmp_path: Path) -> None:
    rules = mou_bundle(tmp_path, "aml_cooperation")
    firm = rules.read_profile(MALAYSIA)
    decision = rules.passport(firm, host="PK", as_of=dt.date(2026, 3, 1), framework="pk-my-model")
    assert decision.route == "local_licence"
    assert mou_in_force(rules.ir, "MY", "PK", dt.date(2026, 3, 1)) is None


def test_the_bundled_rules_record_no_mou(bundle: Bundle) -> None:
    assert bundle.ir.mous == ()
    lists = bundle.ir.fatf_lists
    assert lists.grey_known_from == dt.date(2025, 10, 24)
    assert lists.black_known_from == dt.date(2026, 2, 13)
    assert lists.lists_may_change_after == dt.date(2026, 6, 1)
