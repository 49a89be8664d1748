"""A rule author's workbench: a copy of the bundle, a jurisdiction added with `jawaz new`, and
every command that reads rules seeing it through `--rules` or `JAWAZ_RULES` (DESIGN §5)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from jawaz_cli import REPO, jawaz

from rulesdsl.check.values import valid_jurisdiction_code
from rulesdsl.loader import bundled_root

NEW = "AE-ADGM"
BAHRAIN = REPO / "examples" / "bahrain-exchange.yaml"
AS_OF = "2026-06-01"
# The modules that iterate over the bundle's jurisdictions and cases (tests/rules_under_test.py).
JURISDICTION_MODULES = (
    "test_jurisdiction_cases.py",
    "test_citations_verified.py",
    "test_passport.py",
)


@pytest.fixture(scope="module")
def edited(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the bundled rules, named `edited-rules`, with NEW added by `jawaz new`."""
    rules = tmp_path_factory.mktemp("workbench") / "edited-rules"
    shutil.copytree(bundled_root(), rules, ignore=shutil.ignore_patterns("__pycache__"))
    result = jawaz(
        "new", "jurisdiction", NEW, "--name", "Abu Dhabi Global Market", "--currency", "AED",
        "--rules", str(rules),
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    return rules


def test_new_writes_the_header_an_instrument_and_a_case(edited: Path) -> None:
    folder = edited / NEW
    assert sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()) == [
        "cases/no-regime-yet.yaml",
        "instrument.rules",
        "jurisdiction.rules",
    ]
    header = (folder / "jurisdiction.rules").read_text(encoding="utf-8")
    assert f"jurisdiction {NEW} {{" in header and "currency AED" in header
    # Nothing regulatory is invented: no regime, licence or requirement, no amount.
    text = header + (folder / "instrument.rules").read_text(encoding="utf-8")
    code_lines = [line for line in text.splitlines() if not line.lstrip().startswith("#")]
    assert not any(word in " ".join(code_lines) for word in ("regime", "licence", "require"))
    assert jawaz("fmt", "--check", str(folder)).returncode == 0


def test_check_sees_the_new_jurisdiction(edited: Path) -> None:
    result = jawaz("check", "--rules", str(edited), "--format", "json")
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["errors"] == 0
    # The placeholder instrument is flagged until something cites it, and nothing else is.
    assert [d["code"] for d in report["diagnostics"]] == ["W601"]
    assert NEW in report["diagnostics"][0]["file"]


def test_test_with_coverage_runs_its_cases_against_its_own_bundle(edited: Path) -> None:
    whole = jawaz("test", str(edited), "--coverage")
    assert whole.returncode == 0, whole.stdout + whole.stderr
    assert "not exercised" not in whole.stdout
    # A jurisdiction's folder alone: its case is evaluated against the copy it belongs to
    # (against the bundled rules, its host would be unknown).
    alone = jawaz("test", str(edited / NEW), "--coverage")
    assert alone.returncode == 0, alone.stdout + alone.stderr
    assert "1 passed, 0 failed" in alone.stdout
    mixed = jawaz("test", str(edited / NEW), "--rules", str(bundled_root()))
    assert mixed.returncode == 2


def test_passport_compare_matrix_and_jurisdictions_see_it(edited: Path) -> None:
    rules = ("--rules", str(edited))
    passport = jawaz(
        "passport", str(BAHRAIN), "--to", NEW, "--as-of", AS_OF, "--format", "json", *rules
    )
    assert passport.returncode == 0, passport.stderr
    decision = json.loads(passport.stdout)
    assert (decision["host"], decision["route"], decision["verdict"]) == (
        NEW,
        "unavailable",
        "incomplete",
    )
    assert decision["bundle"] == "edited-rules" and decision["rules_hash"]
    compare = jawaz(
        "compare", NEW, "BH", "--activity", "exchange", "--as-of", AS_OF, "--format", "json",
        *rules,
    )  # fmt: skip
    assert compare.returncode == 0, compare.stderr
    table = json.loads(compare.stdout)
    assert table["jurisdictions"] == [NEW, "BH"] and table["bundle"] == "edited-rules"
    matrix = jawaz("matrix", "--activity", "exchange", "--as-of", AS_OF, "--format", "json", *rules)
    assert matrix.returncode == 0, matrix.stderr
    grid = json.loads(matrix.stdout)
    assert NEW in grid["hosts"] and grid["bundle"] == "edited-rules"
    listed = jawaz("jurisdictions", "--format", "json", env={"JAWAZ_RULES": str(edited)})
    assert listed.returncode == 0, listed.stderr
    assert NEW in listed.stdout


def test_the_flag_wins_over_the_variable_and_the_default_is_the_bundled_rules(
    edited: Path,
) -> None:
    ask = ("passport", str(BAHRAIN), "--to", NEW, "--as-of", AS_OF, "--format", "json")
    assert jawaz(*ask, env={"JAWAZ_RULES": str(edited)}).returncode == 0
    bundled = jawaz(*ask, "--rules", str(bundled_root()), env={"JAWAZ_RULES": str(edited)})
    assert bundled.returncode == 2  # the bundled rules know no NEW
    assert jawaz(*ask, env={"JAWAZ_RULES": ""}).returncode == 2
    day = ("passport", str(BAHRAIN), "--to", "MY", "--as-of", AS_OF, "--format", "json")
    default = json.loads(jawaz(*day, env={"JAWAZ_RULES": ""}).stdout)
    assert default["bundle"] == bundled_root().name


def test_docs_build_writes_a_page_for_it(edited: Path, tmp_path: Path) -> None:
    out = tmp_path / "generated"
    result = jawaz("docs", "build", "--rules", str(edited), "--out", str(out))
    assert result.returncode == 0, result.stderr
    assert (out / "jurisdictions" / f"{NEW.lower()}.md").is_file()


@pytest.mark.parametrize(
    "command",
    [
        ("check",),
        ("test",),
        ("jurisdictions",),
        ("matrix", "--activity", "exchange"),
        ("compare", "BH", "--activity", "exchange"),
        ("passport", str(BAHRAIN), "--to", "MY"),
        ("docs", "build", "--check"),
        ("new", "jurisdiction", "KW", "--name", "Kuwait", "--currency", "KWD"),
    ],
    ids=lambda c: c[0],
)
def test_a_folder_that_is_not_a_bundle_is_a_usage_error(
    command: tuple[str, ...], edited: Path
) -> None:
    for not_a_bundle in (edited / "BH", edited / "missing"):
        assert jawaz(*command, "--rules", str(not_a_bundle)).returncode == 2
    assert jawaz(*command, env={"JAWAZ_RULES": str(edited / "BH")}).returncode == 2


@pytest.mark.parametrize(
    ("code", "currency"),
    [
        (NEW, "AED"),  # the folder exists
        ("AE-DU", "AED"),  # declared already
        ("ae-fsra", "AED"),  # lower case
        ("AE-ABUDHABI", "AED"),  # a local tag of more than 4 letters
        ("AE-1", "AED"),  # digits
        ("QQ-DU", "AED"),  # no such country
        ("KW", "KWX"),  # no such currency
        ("KW", "KWD"),  # an ISO currency the vocabulary does not declare
    ],
)
def test_new_refuses(code: str, currency: str, edited: Path) -> None:
    before = sorted(p.name for p in edited.iterdir())
    args = ("new", "jurisdiction", code, "--name", "X", "--currency", currency)
    assert jawaz(*args, "--rules", str(edited)).returncode == 2
    assert sorted(p.name for p in edited.iterdir()) == before


@pytest.mark.parametrize("code", ["MY", "EU", "XA", "AE-DU", "AE-AZ", "AE-ADG", "AE-ADGM"])
def test_jurisdiction_codes_e310_accepts(code: str) -> None:
    assert valid_jurisdiction_code(code)


@pytest.mark.parametrize("code", ["M", "MYS", "my", "AE-", "AE-D", "AE-ABUDH", "AE-1", "QQ-DU"])
def test_jurisdiction_codes_e310_refuses(code: str) -> None:
    assert not valid_jurisdiction_code(code)


def test_the_jurisdiction_modules_run_over_the_copy_unchanged(edited: Path) -> None:
    """The tests that iterate over the bundle's jurisdictions and cases pass over the copy
    with NEW in it, with no Python change: they read the bundle from JAWAZ_RULES."""
    tests = Path(__file__).resolve().parent
    result = subprocess.run(
        [
            sys.executable, "-m", "pytest", "-v", "-p", "no:cacheprovider",
            *(str(tests / m) for m in JURISDICTION_MODULES),
        ],
        cwd=REPO,
        env={**os.environ, "JAWAZ_RULES": str(edited)},
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-2000:]
    assert f"{NEW}/no-regime-yet: no regime recorded yet" in result.stdout  # its case ran
    assert "test_cases_were_collected PASSED" in result.stdout
