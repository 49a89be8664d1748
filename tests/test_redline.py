"""`jawaz diff`: the redline between two dates and between two revisions of the rules,
with its impact over firm profiles; and the ranking of revised figures."""

from __future__ import annotations

import datetime as dt
import json
import shutil
import subprocess
from decimal import Decimal
from pathlib import Path

import pytest
from jawaz_cli import jawaz

from engine import load_bundle
from engine.decisions.figures import figure_changes
from engine.presentation.registry import formats, render
from rulesdsl import ir
from rulesdsl.ir.ops import Op
from rulesdsl.loader import bundled_root

NIGERIA_CAPITAL = {
    # id: (before, after) in NGN, as the SEC circular of 16 Jan 2026 raises them by 30 Jun 2027
    "NG-CAP-DAX": ("500000000", "2000000000"),
    "NG-CAP-DAC": ("500000000", "2000000000"),
    "NG-CAP-DAOP": ("500000000", "1000000000"),
}


def diff_json(*args: str) -> dict:  # type: ignore[type-arg]
    result = jawaz("diff", *args, "--format", "json")
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)  # type: ignore[no-any-return]


def test_dates_list_nigerias_capital_deadline_with_citations() -> None:
    data = diff_json("--since", "2027-06-29", "--until", "2027-07-02")
    assert data["mode"] == "dates"
    nigeria = {e["id"]: e for e in data["changes"] if e["jurisdiction"] == "NG"}
    assert set(NIGERIA_CAPITAL) <= set(nigeria)
    for ident, (before, after) in NIGERIA_CAPITAL.items():
        entry = nigeria[ident]
        assert entry["kinds"][0] == "tightened"
        (figure,) = entry["thresholds"]
        assert (figure["attribute"], figure["op"], figure["direction"]) == (
            "paid_up_capital",
            ">=",
            "tightened",
        )
        assert figure["before_amount"] == {"amount": before, "currency": "NGN"}
        assert figure["after_amount"] == {"amount": after, "currency": "NGN"}
        assert entry["citation_after"]["instrument"] == "SEC-CAPITAL-2026"
        assert entry["citation_after"]["url"].startswith("https://")
    fidelity = nigeria["NG-DAOP-FIDELITY"]
    assert fidelity["kinds"] == ["tightened"]
    assert fidelity["thresholds"][0]["after_amount"]["amount"] == "1000000000"


def test_to_limits_the_jurisdictions_and_unknown_codes_are_refused() -> None:
    data = diff_json("--since", "2026-01-01", "--until", "2026-02-01", "--to", "NG")
    assert data["jurisdictions"] == ["NG"]
    kinds = {e["id"]: e["kinds"] for e in data["changes"]}
    assert kinds["NG-CAP-AVASP"] == ["added"]
    # a pending figure becoming a known one is a change, never ranked
    assert kinds["NG-CAP-DAI"] == ["changed", "re_cited", "re_labelled"]
    wrong = jawaz("diff", "--since", "2026-01-01", "--until", "2026-02-01", "--to", "NGA")
    assert wrong.returncode == 2


def test_usage_errors_exit_2() -> None:
    assert jawaz("diff").returncode == 2
    assert jawaz("diff", "--since", "2027-07-02", "--until", "2027-06-29").returncode == 2
    assert jawaz("diff", "--base", ".", "--since", "2027-06-29").returncode == 2
    assert jawaz("diff", "--base", "no-such-revision-or-folder").returncode == 2


def test_impact_names_the_firm_that_falls_short_after_the_deadline(tmp_path: Path) -> None:
    (tmp_path / "lagos.yaml").write_text(
        "name: Lagos Digital Exchange\nhome: BH\nlicence: category_4\nactivities: [exchange]\n"
        "attributes:\n  paid_up_capital: {amount: '1500000000', currency: NGN}\n"
        "in_host:\n  NG: {licensed_in_host: true}\n",
        encoding="utf-8",
    )
    data = diff_json(
        "--since", "2027-06-29", "--until", "2027-07-02", "--to", "NG", "--profiles", str(tmp_path)
    )
    assert data["profiles"] == 1
    moved = [(i["host"], i["requirement"], i["before"], i["after"]) for i in data["impact"]]
    assert ("NG", "NG-CAP-DAX", "met", "unmet") in moved


def _git(repo: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-C", str(repo), "-c", "user.name=t", "-c", "user.email=t@example.org", *args],
        check=True,
        capture_output=True,
    )


@pytest.fixture(scope="module")
def revised(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A throwaway repository holding the rules in `rules/`, in two commits: the second
    raises Nigeria's DAX capital to NGN 3 billion and relabels the DAOP fidelity bond."""
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    repo = tmp_path_factory.mktemp("repo")
    rules = repo / "rules"
    shutil.copytree(bundled_root(), rules, ignore=shutil.ignore_patterns("__pycache__"))
    _git(repo, "init", "-q")
    _git(repo, "add", "-A")
    _git(repo, "commit", "-q", "-m", "rules as bundled")
    capital = rules / "NG" / "capital_circular_2026.rules"
    text = capital.read_text(encoding="utf-8")
    assert "NGN 2_000_000_000" in text
    capital.write_text(text.replace("NGN 2_000_000_000", "NGN 3_000_000_000", 1), encoding="utf-8")
    assets = rules / "NG" / "digital_assets_2022.rules"
    text = assets.read_text(encoding="utf-8")
    marker = '    confidence medium\n    remedy "Raise the fidelity bond'
    assert marker in text
    assets.write_text(text.replace(marker, marker.replace("medium", "confirmed")), "utf-8")
    _git(repo, "commit", "-q", "-a", "-m", "NG: DAX capital raised")
    return repo


def test_base_git_revision_against_the_current_rules(revised: Path) -> None:
    rules = str(revised / "rules")
    data = diff_json("--base", "HEAD~1", "--rules", rules, "--to", "NG")
    assert (data["mode"], data["base"]) == ("revisions", "HEAD~1")
    changes = {e["id"]: e for e in data["changes"]}
    assert set(changes) == {"NG-CAP-DAX", "NG-DAOP-FIDELITY"}
    dax = changes["NG-CAP-DAX"]
    assert dax["kinds"] == ["tightened"]
    assert dax["effective_after"][0] == "2026-01-16"  # the version of the circular, not the old
    assert dax["thresholds"][0]["after_amount"]["amount"] == "3000000000"
    fidelity = changes["NG-DAOP-FIDELITY"]
    assert fidelity["kinds"] == ["re_labelled"]
    assert (fidelity["confidence_before"], fidelity["confidence_after"]) == ("medium", "confirmed")
    assert data["rules_hash_before"] != data["rules_hash_after"]
    same = diff_json("--base", "HEAD", "--rules", rules)
    assert same["changes"] == []


def test_a_git_base_for_rules_outside_the_history_names_the_tracked_folder(
    revised: Path,
) -> None:
    # As after a non-editable install into a virtual environment inside the clone: the
    # installed rules are below the repository's top but were never committed.
    installed = revised / ".venv" / "site-packages" / "jurisdictions"
    shutil.copytree(revised / "rules", installed)
    result = jawaz("diff", "--base", "HEAD~1", "--rules", str(installed))
    assert result.returncode == 2
    assert "not tracked" in result.stderr and "--rules" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_base_that_does_not_check_is_refused_with_its_diagnostics(tmp_path: Path) -> None:
    base = tmp_path / "base"
    shutil.copytree(bundled_root(), base, ignore=shutil.ignore_patterns("__pycache__"))
    broken = base / "NG" / "capital_circular_2026.rules"
    broken.write_text(broken.read_text(encoding="utf-8") + "\nrequirement {\n", "utf-8")
    result = jawaz("diff", "--base", str(base))
    assert result.returncode == 2
    assert "error[E" in result.stderr


def _at_least(amount: str, currency: str = "NGN", op: Op = Op.GE) -> ir.Expr:
    return ir.Comparison(
        op=op,
        left=ir.AttrRef(name="paid_up_capital"),
        right=ir.MoneyConst(amount=Decimal(amount), currency=currency),
        currency=currency,
    )


def test_figures_are_ranked_after_the_operators_direction() -> None:
    raised = figure_changes(_at_least("5"), _at_least("6"))
    assert raised is not None and [f.direction for f in raised] == ["tightened"]
    lowered_cap = figure_changes(_at_least("5", op=Op.LE), _at_least("6", op=Op.LE))
    assert lowered_cap is not None and [f.direction for f in lowered_cap] == ["loosened"]
    negated = figure_changes(ir.NotExpr(operand=_at_least("5")), ir.NotExpr(operand=_at_least("6")))
    assert negated is not None and [f.direction for f in negated] == ["loosened"]
    other_currency = figure_changes(_at_least("5"), _at_least("5", "USD"))
    assert other_currency is not None
    assert [(f.direction, f.unranked) for f in other_currency] == [("changed", "currency")]
    assert figure_changes(_at_least("5"), _at_least("5", op=Op.GT)) is None  # not only figures
    allowed = ir.Membership(
        item=ir.AttrRef(name="legal_form"), collection=ir.SetConst(values=("llc",))
    )
    wider = allowed.model_copy(update={"collection": ir.SetConst(values=("llc", "plc"))})
    grown = figure_changes(allowed, wider)
    assert grown is not None and [f.direction for f in grown] == ["loosened"]


def test_every_format_renders_the_same_bytes_twice() -> None:
    bundle = load_bundle()
    result = bundle.redline(dates=(dt.date(2027, 6, 29), dt.date(2027, 7, 2)), hosts=["NG"])
    for name in formats("redline"):
        assert render(result, name) == render(result, name)
    assert "## NG" in render(result, "md").decode()
