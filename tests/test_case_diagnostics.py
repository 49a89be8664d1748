"""Case files are checked before they run: each problem is a located E7xx diagnostic.

A case with an unknown key, a requirement id the host lacks, a status no answer gives or
an amount not written `CUR AMOUNT` is refused (it would test nothing); amounts compare as
amounts. The examples of the "Case-file errors" section of the diagnostics page are run
here too. Assertions are on codes, positions and values, never on wording.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from engine import load_bundle
from engine.bundle import Bundle
from engine.decisions.cases import CaseResult, read_cases, run_case
from engine.interfaces.cli.main import cli
from rulesdsl.errors import CODES

REPO = Path(__file__).resolve().parents[1]
DIAGNOSTICS = REPO / "docs" / "reference" / "diagnostics.md"
CASE_CODES = {code for code, (phase, _) in CODES.items() if phase == "cases"}

PROFILE = "../../../examples/bahrain-exchange.yaml"
BROKER = "../../../examples/dubai-vara-broker.yaml"


@pytest.fixture(scope="module")
def bundle() -> Bundle:
    """The bundled rules, loaded once for the module."""
    return load_bundle()


def write_cases(root: Path, text: str, host: str = "BH") -> Path:
    """A case file at ROOT/rules/HOST/cases/cases.yaml, with the examples the profiles
    name (`../../../examples/…`) beside it."""
    folder = root / "rules" / host / "cases"
    folder.mkdir(parents=True)
    shutil.copytree(REPO / "examples", root / "examples")
    path = folder / "cases.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def run_all(bundle: Bundle, path: Path) -> list[CaseResult]:
    return [run_case(bundle, case) for case in read_cases(path)]


def codes(result: CaseResult) -> list[str]:
    return [d.code for d in result.problems]


def case(expect: str, extra: str = "", host: str = "BH", profile: str = PROFILE) -> str:
    return (
        f"- name: one case\n  profile: {profile}\n  host: {host}\n  as_of: 2026-06-01\n"
        f"{extra}  expect:\n{expect}"
    )


def test_unknown_case_key_is_E700_at_its_line_with_did_you_mean(
    bundle: Bundle, tmp_path: Path
) -> None:
    path = write_cases(tmp_path, case("    verdict: eligible\n", extra="  hots: BH\n"))
    (result,) = run_all(bundle, path)
    assert not result.passed
    assert codes(result) == ["E700"]
    problem = result.problems[0]
    assert (problem.span.file, problem.span.line, problem.span.column) == (str(path), 5, 3)
    assert problem.help is not None and "'host'" in problem.help


def test_unknown_expect_key_is_E700_with_did_you_mean(bundle: Bundle, tmp_path: Path) -> None:
    path = write_cases(tmp_path, case("    verdcit: eligible\n"))
    (result,) = run_all(bundle, path)
    assert codes(result) == ["E700"]
    assert result.problems[0].span.line == 6
    assert result.problems[0].help is not None and "'verdict'" in result.problems[0].help


def test_a_requirement_the_host_lacks_is_E701_even_when_not_evaluated(
    bundle: Bundle, tmp_path: Path
) -> None:
    """`not evaluated` holds for any id the answer lacks: a typo would pass for ever."""
    expect = "    requirements: {BH-CAP-44: not evaluated, BH-CAP-4: met}\n"
    path = write_cases(tmp_path, case(expect))
    (result,) = run_all(bundle, path)
    assert codes(result) == ["E701"]
    assert (result.problems[0].span.line, result.problems[0].span.column) == (6, 20)
    assert result.problems[0].help is not None and "'BH-CAP-4'" in result.problems[0].help


def test_another_jurisdictions_id_is_E701_and_home_ids_must_exist(
    bundle: Bundle, tmp_path: Path
) -> None:
    expect = "    requirements: {MY-DAX-CAPITAL: met}\n    deemed_by: {BH-CAP-4: [MY-NOPE]}\n"
    path = write_cases(tmp_path, case(expect))
    (result,) = run_all(bundle, path)
    assert codes(result) == ["E701", "E701"]


@pytest.mark.parametrize(
    "expect",
    [
        "    requirements: {BH-CAP-4: passed}\n",
        "    verdict: ok\n",
        "    route: local\n",
        "    alternatives: {sandbox: fine}\n",
    ],
)
def test_unknown_status_verdict_or_route_is_E702(
    bundle: Bundle, tmp_path: Path, expect: str
) -> None:
    path = write_cases(tmp_path, case(expect))
    (result,) = run_all(bundle, path)
    assert codes(result) == ["E702"]
    assert result.problems[0].span.line == 6


def test_an_amount_not_written_cur_amount_is_E703(bundle: Bundle, tmp_path: Path) -> None:
    path = write_cases(tmp_path, case("    shortfall: {BH-CAP-4: 100000 BHD}\n"))
    (result,) = run_all(bundle, path)
    assert codes(result) == ["E703"]


BROKER_SHORT = (
    "  attributes:\n    client_assets_with_licensed_custodian: false\n"  # AED 250,000 short
)


@pytest.mark.parametrize(
    ("written", "passes"),
    [
        ("AED 250000.00", True),
        ("AED 250000", True),
        ("AED 250_000.0", True),
        ("AED 250000.01", False),
        ("USD 250000.00", False),
    ],
)
def test_shortfalls_compare_as_amounts_in_their_currency(
    bundle: Bundle, tmp_path: Path, written: str, passes: bool
) -> None:
    expect = f"    shortfall: {{AE-DU-CAP-BROKER-DEALER: {written}}}\n"
    text = case(expect, extra=BROKER_SHORT, host="AE-DU", profile=BROKER)
    (result,) = run_all(bundle, write_cases(tmp_path, text, "AE-DU"))
    assert result.problems == []
    assert result.passed is passes, result.failures


def test_jawaz_test_prints_located_codes_and_exits_1(tmp_path: Path) -> None:
    path = write_cases(tmp_path, case("    verdict: ok\n", extra="  hots: BH\n"))
    result = CliRunner().invoke(cli, ["test", str(path)])
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    headers = re.findall(r"^(\S+):(\d+):(\d+): error\[(E7\d\d)\]", result.stderr, re.M)
    assert [(line, code) for _, line, _, code in headers] == [("5", "E700"), ("7", "E702")]


def test_bundled_cases_have_no_problems(bundle: Bundle) -> None:
    """Every bundled case reads as written (the checks are live: see the tests above)."""
    from engine.decisions.cases import case_files
    from rulesdsl.loader import bundled_root

    cases = [c for path in case_files(bundled_root()) for c in read_cases(path)]
    assert cases and all(c.where is not None for c in cases)
    problems = [d for c in cases for d in run_case(bundle, c).problems]
    assert problems == []


# ---- the diagnostics page: every case code has an example that produces it ------------------

CASE_FENCE = re.compile(r"^<!-- check: case expect=(?P<codes>[E0-9,]+) -->\n\n```yaml\n", re.M)
HEADING = re.compile(r"^### (?P<code>[EW]\d{3}) — ", re.M)


def _page_examples() -> list[tuple[str, set[str], str]]:
    """(section code, expected codes, YAML) for every case example of the page."""
    text = DIAGNOSTICS.read_text(encoding="utf-8")
    found = []
    for match in CASE_FENCE.finditer(text):
        section = [h["code"] for h in HEADING.finditer(text, 0, match.start())][-1]
        end = text.index("```\n", match.end())
        found.append((section, set(match["codes"].split(",")), text[match.end() : end]))
    return found


def test_every_case_code_has_an_example_under_its_heading() -> None:
    shown = {section for section, expected, _ in _page_examples() if section in expected}
    assert shown == CASE_CODES


@pytest.mark.parametrize("example", _page_examples(), ids=lambda e: e[0])
def test_case_example_produces_its_codes(
    bundle: Bundle, tmp_path: Path, example: tuple[str, set[str], str]
) -> None:
    _, expected, text = example
    (result,) = run_all(bundle, write_cases(tmp_path, text))
    assert set(codes(result)) == expected
