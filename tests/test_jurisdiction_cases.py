"""Every bundled jurisdiction case (`jurisdictions/*/cases/*.yaml`) as one pytest test.

Modelled on OpenFisca's YAML test runner: the cases are collected at import time and each
becomes a parametrised test named after its jurisdiction and case name, so a failure reads
as "MY: under the OIC model …" with the expectations that did not hold.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from engine import load_bundle
from engine.bundle import Bundle
from engine.decisions.cases import Case, CaseResult, case_files, read_cases, run_case, uncovered
from rulesdsl.loader import bundled_root

REPO = Path(__file__).resolve().parents[1]
ROOT = bundled_root()


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
    """The bundled rules, loaded once for the module."""
    return load_bundle()


@pytest.fixture(scope="module")
def results(bundle: Bundle) -> list[CaseResult]:
    """Every case's result, for the coverage check."""
    return [run_case(bundle, case) for case in CASES]


def test_cases_were_collected() -> None:
    """Every jurisdiction folder has cases, and the collection is not empty."""
    assert len(CASES) > 100
    folders = {case.folder.parent.name for case in CASES}
    jurisdictions = {p.name for p in ROOT.iterdir() if p.is_dir() and (p / "cases").is_dir()}
    assert folders == jurisdictions
    assert len(folders) == 14


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
