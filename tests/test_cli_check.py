"""`jawaz check`, run as a user runs it: in a fresh process, judged by exit status and codes.

Exit statuses (DESIGN §5): 0 clean, 1 findings, 2 usage or input error. Assertions are on
codes, counts and positions, never on wording, and no output may hold a traceback.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path
from typing import Any

import pytest
from jawaz_cli import jawaz

from rulesdsl.errors import CODES
from rulesdsl.loader import bundled_root, parse_file, rule_files
from rulesdsl.syntax import nodes as n

ROOT = bundled_root()
CRA = ROOT / "BH" / "cra.rules"


def check_json(*paths: Path, cwd: Path) -> tuple[int, dict[str, Any]]:
    """`jawaz check --format json PATHS`: the exit status and the parsed report."""
    result = jawaz("check", "--format", "json", *map(str, paths), cwd=cwd)
    return result.returncode, json.loads(result.stdout)


def requirement_count(*paths: Path) -> int:
    """How many `requirement` blocks the files declare (nested in any block)."""
    count = 0
    for path in paths:
        stack = list(parse_file(path).items)
        while stack:
            item = stack.pop()
            if isinstance(item, n.Block):
                count += item.kind.text == "requirement"
                stack.extend(item.items)
    return count


@pytest.fixture
def bundle_copy(tmp_path: Path) -> Path:
    """A writable copy of the bundled rules."""
    target = tmp_path / "rules"
    shutil.copytree(ROOT, target, ignore=shutil.ignore_patterns("__pycache__", "*.py"))
    return target


def replace_once(path: Path, old: str, new: str) -> int:
    """Edit a rule file in place; returns the 1-based line of the edit."""
    text = path.read_text(encoding="utf-8")
    assert text.count(old) >= 1, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return text[: text.index(old)].count("\n") + 1


# ---- the bundled rules --------------------------------------------------------------------


def test_default_run_checks_the_bundled_rules(tmp_path: Path) -> None:
    """No paths: every bundled file is checked, clean, with a summary of the counts."""
    result = jawaz("check", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    files, requirements = len(rule_files(ROOT)), requirement_count(*rule_files(ROOT))
    summary = result.stdout.strip().splitlines()[-1]
    assert [int(number) for number in re.findall(r"\d+", summary)][:2] == [files, requirements]


def test_json_report_of_the_bundled_rules(tmp_path: Path) -> None:
    """`--format json` is one JSON object with the counts and an empty diagnostic list."""
    status, report = check_json(cwd=tmp_path)
    assert status == 0
    assert report == {
        "files": len(rule_files(ROOT)),
        "requirements": requirement_count(*rule_files(ROOT)),
        "errors": 0,
        "warnings": 0,
        "diagnostics": [],
    }


def test_one_file_inside_the_bundle(tmp_path: Path) -> None:
    """A single file is checked in its bundle's context and counted alone."""
    status, report = check_json(CRA, cwd=tmp_path)
    assert status == 0
    assert report["files"] == 1
    assert report["requirements"] == requirement_count(CRA)
    assert report["diagnostics"] == []


# ---- findings -----------------------------------------------------------------------------


def test_misspelt_attribute_is_E300_with_did_you_mean(bundle_copy: Path) -> None:
    """A typo in a requirement: exit 1, E300 at the typo, the right name suggested."""
    cra = bundle_copy / "BH" / "cra.rules"
    line = replace_once(cra, "require paid_up_capital >=", "require paid_up_capitl >=")
    status, report = check_json(bundle_copy, cwd=bundle_copy.parent)
    assert status == 1
    assert report["errors"] == 1
    (found,) = report["diagnostics"]
    assert (found["code"], found["phase"], found["severity"]) == ("E300", "names", "error")
    assert (bundle_copy.parent / found["file"]).resolve() == cra.resolve()  # relative to cwd
    assert (found["line"], found["column"]) == (line, len("    require ") + 1)
    assert (found["end_line"], found["end_column"]) == (line, found["column"] + 14)
    assert "paid_up_capital" in (found["help"] or "")


def test_text_output_has_the_code_and_location_of_each_finding(bundle_copy: Path) -> None:
    """The human form: `path:line:col: error[CODE]` on stderr, the summary on stdout."""
    cra = bundle_copy / "BH" / "cra.rules"
    line = replace_once(cra, "require paid_up_capital >=", "require paid_up_capitl >=")
    result = jawaz("check", str(bundle_copy), cwd=bundle_copy.parent)
    assert result.returncode == 1
    assert re.search(rf"cra\.rules:{line}:13: error\[E300\]", result.stderr), result.stderr
    assert "E300" not in result.stdout  # diagnostics go to stderr


def test_two_independent_errors_are_both_reported_in_order(bundle_copy: Path) -> None:
    """The checker collects every problem (it does not stop at the first), sorted by place."""
    cra = bundle_copy / "BH" / "cra.rules"
    late = replace_once(cra, "require record_retention_years >= 10", "require record_years >= 10")
    early = replace_once(cra, "category capital", "category capitol")
    assert early < late
    status, report = check_json(cra, cwd=bundle_copy.parent)
    assert status == 1
    codes = [(d["code"], d["line"]) for d in report["diagnostics"]]
    assert codes == [("E302", early), ("E300", late)]
    assert report["errors"] == 2
    for found in report["diagnostics"]:
        assert found["code"] in CODES and found["phase"] == CODES[found["code"]][0]
        assert {"file", "line", "column", "severity", "phase", "message"} <= found.keys()


def test_checking_one_file_reports_only_that_file(bundle_copy: Path) -> None:
    """Errors elsewhere in the bundle do not leak into the report on one file."""
    cra, aml = bundle_copy / "BH" / "cra.rules", bundle_copy / "BH" / "aml.rules"
    replace_once(cra, "require paid_up_capital >=", "require paid_up_capitl >=")
    replace_once(aml, "category ", "category no_such_category_")
    status, report = check_json(aml, cwd=bundle_copy.parent)
    assert status == 1
    assert report["files"] == 1
    assert {Path(d["file"]).name for d in report["diagnostics"]} == {"aml.rules"}
    assert [d["code"] for d in report["diagnostics"]] == ["E302"]

    status, report = check_json(bundle_copy, cwd=bundle_copy.parent)
    assert status == 1
    assert sorted(d["code"] for d in report["diagnostics"]) == ["E300", "E302"]


def test_syntax_error_and_bad_bytes_are_findings_with_positions(bundle_copy: Path) -> None:
    """A file that does not parse and one that is not text: both located, exit 1."""
    cra, aml = bundle_copy / "BH" / "cra.rules", bundle_copy / "BH" / "aml.rules"
    line = replace_once(cra, "confidence confirmed", "confidence = confirmed")
    aml.write_bytes(aml.read_bytes().replace(b"AML", b"A\x00ML", 1))
    status, report = check_json(bundle_copy, cwd=bundle_copy.parent)
    assert status == 1
    found = {Path(d["file"]).name: d for d in report["diagnostics"]}
    assert found["cra.rules"]["code"] == "E103"
    assert found["cra.rules"]["line"] == line
    assert found["aml.rules"]["code"] == "E005"
    assert found["aml.rules"]["phase"] == "input"


# ---- usage --------------------------------------------------------------------------------


def test_help(tmp_path: Path) -> None:
    """`--help` on the program and on the command: exit 0, the command is listed."""
    top = jawaz("--help", cwd=tmp_path)
    assert top.returncode == 0 and "check" in top.stdout
    assert jawaz("check", "--help", cwd=tmp_path).returncode == 0


@pytest.mark.parametrize(
    "args",
    [("check", "--no-such-option"), ("check", "--format", "yaml"), ("no-such-command",)],
)
def test_usage_errors_exit_2(tmp_path: Path, args: tuple[str, ...]) -> None:
    """An unknown option, choice or command is a usage error."""
    assert jawaz(*args, cwd=tmp_path).returncode == 2


def test_missing_path_exits_2(tmp_path: Path) -> None:
    """A path that does not exist is an input error, reported as E001."""
    result = jawaz("check", "--format", "json", str(tmp_path / "nowhere.rules"), cwd=tmp_path)
    assert result.returncode == 2
    assert [d["code"] for d in json.loads(result.stdout)["diagnostics"]] == ["E001"]
