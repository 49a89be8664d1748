"""Every bundled jurisdiction case (`jurisdictions/*/cases/*.yaml`) as one pytest test.

Modelled on OpenFisca's YAML test runner: the cases are collected at import time and each
becomes a parametrised test named after its jurisdiction and case name, so a failure reads
as "MY: under the OIC model …" with the expectations that did not hold. The bundle is the
one under test (`tests/rules_under_test.py`: `$JAWAZ_RULES`, else the bundled rules), and
nothing here counts its jurisdictions or cases: a jurisdiction added to a copy needs no
change here.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from rules_under_test import jurisdiction_folders, load_rules, rules_root

from engine.bundle import Bundle
from engine.decisions.cases import Case, CaseResult, case_files, read_cases, run_case, uncovered

REPO = Path(__file__).resolve().parents[1]
ROOT = rules_root()


def _collect() -> list[Case]:
    return [case for path in case_files(ROOT) for case in read_cases(path)]


CASES = _collect()


def _case_id(case: Case) -> str:
    """`MY/frameworks: the status quo gives no credit for home supervision`."""
    folder = case.folder.parent.name
    stem = Path(case.source.rsplit(":", 1)[0]).stem
    return f"{folder}/{stem}: {case.name}"


@pytest.fixture(scope="module")
def bundle() -> Bundle:
    """The rules under test, loaded once for the module."""
    return load_rules()


@pytest.fixture(scope="module")
def results(bundle: Bundle) -> list[CaseResult]:
    """Every case's result, for the coverage check."""
    return [run_case(bundle, case) for case in CASES]


def test_cases_were_collected(bundle: Bundle) -> None:
    """Every jurisdiction of the bundle has a folder with cases, and nothing else has."""
    folders = {case.folder.parent.name for case in CASES}
    assert folders == jurisdiction_folders(ROOT) == set(bundle.jurisdictions)
    assert all(any(c.data.get("host") == code for c in CASES) for code in bundle.jurisdictions)


@pytest.mark.parametrize("case", CASES, ids=[_case_id(case) for case in CASES])
def test_case(bundle: Bundle, case: Case) -> None:
    """One YAML case: every expectation it states holds."""
    result = run_case(bundle, case)
    problems = [f"{d.code} {d.span.line}:{d.span.column} {d.message}" for d in result.problems]
    assert result.passed, f"{case.source}: " + "; ".join(result.failures + problems)


def test_every_requirement_version_is_exercised(bundle: Bundle, results: list[CaseResult]) -> None:
    """No requirement version of the bundled rules is left untested by the cases."""
    assert uncovered(bundle, results) == []


def test_uncovered_reports_what_no_case_evaluates(bundle: Bundle) -> None:
    """With no results at all, every requirement version is reported (the check is live)."""
    missing = uncovered(bundle, [])
    total = sum(len(j.requirements) for j in bundle.ir.jurisdictions)
    assert len(missing) == total > 0


def test_cli_test_coverage_exits_0() -> None:
    """`jawaz test --coverage` passes every case and exercises every requirement."""
    script = Path(sys.executable).with_name("jawaz")
    command = [str(script)] if script.exists() else [sys.executable, "-m", "engine.interfaces.cli"]
    result = subprocess.run(
        [*command, "test", "--coverage"],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert "Traceback" not in result.stdout + result.stderr
    assert result.returncode == 0, result.stdout + result.stderr
    assert "not exercised" not in result.stdout
