"""Diagnostics that help: each points at the real problem, with the fix or the choices.

Dates written another way (E115), the block whose `}` is missing (E102), no follow-on
overlap after a bad date, gaps between versions (W603), empty provisions (W604), valid
values listed (E307, E311), examples from the block's own jurisdiction, and
`jawaz check --strict`. Assertions are on codes, positions and values, never on wording.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from engine.interfaces.cli.main import cli
from rulesdsl.check.schema import CONFIDENCE, REGIME_STATUS
from rulesdsl.errors import Diagnostic
from rulesdsl.loader import check_paths

REPO = Path(__file__).resolve().parents[1]
BAD = REPO / "tests" / "dsl" / "bad"

HEADER = """jurisdiction BH {
  name "Bahrain"
  currency BHD
  authorities ["Central Bank of Bahrain"]

  instrument CRA {
    title "CBB Rulebook Volume 6, Module CRA"
  }
"""


def diagnostics(tmp_path: Path, text: str) -> list[Diagnostic]:
    path = tmp_path / "example.rules"
    path.write_text(text, encoding="utf-8")
    return sorted(check_paths([path]).diagnostics, key=Diagnostic.sort_key)


def regime(body: str) -> str:
    return HEADER + f"  regime exchange {{\n{body}  }}\n}}\n"


def requirement(extra: str, rid: str = "BH-CAP") -> str:
    return (
        f'  requirement {rid} {{\n    title "Capital"\n    category capital\n'
        f'    require paid_up_capital >= BHD 1\n    cite CRA "CRA-3.1.2"\n'
        f'    confidence confirmed\n    remedy "Raise it"\n{extra}  }}\n'
    )


@pytest.mark.parametrize(
    ("written", "fixed"),
    [
        ("2027-7-1", "2027-07-01"),
        ("2027-07-1", "2027-07-01"),
        ("01/07/2027", None),
        ("2027/7/1", "2027-07-01"),
        ("2027-13-1", None),
    ],
)
def test_a_date_written_otherwise_is_E115_under_the_whole_date(
    tmp_path: Path, written: str, fixed: str | None
) -> None:
    text = regime(f'    status licensed\n    from {written}\n    cite CRA "CRA-1.1"\n')
    (found,) = diagnostics(tmp_path, text)
    assert found.code == "E115"
    assert (found.span.line, found.span.column) == (11, 10)
    assert found.span.end_column - found.span.column == len(written)
    assert (fixed is not None and f"`{fixed}`" in (found.help or "")) or fixed is None


def test_a_hyphen_that_is_no_date_is_not_E115(tmp_path: Path) -> None:
    text = regime('    status licensed\n    from 1-2\n    cite CRA "CRA-1.1"\n')
    assert [d.code for d in diagnostics(tmp_path, text)] == ["E108"]


def test_missing_brace_points_at_the_block_left_open() -> None:
    (found,) = check_paths([BAD / "E102-unclosed-block.rules"]).diagnostics
    assert (found.code, found.span.line, found.span.column) == ("E102", 3, 3)


def test_missing_brace_found_by_a_sibling_opening_at_its_column(tmp_path: Path) -> None:
    text = HEADER + '  licence a {\n    title "A"\n  licence b {\n    title "B"\n  }\n}\n'
    (found,) = diagnostics(tmp_path, text)
    assert (found.code, found.span.line, found.span.column) == ("E102", 9, 3)


def test_missing_brace_in_an_unindented_file_is_the_innermost_open_block(
    tmp_path: Path,
) -> None:
    (found,) = diagnostics(tmp_path, 'jurisdiction BH {\nlicence a {\ntitle "A"\n}\n')
    assert (found.code, found.span.line, found.span.column) == ("E102", 1, 1)


def test_no_overlap_reported_after_a_bad_date(tmp_path: Path) -> None:
    text = HEADER + requirement("    until 2026-02-30\n") + requirement("    from 2026-03-01\n")
    assert [d.code for d in diagnostics(tmp_path, text + "}\n")] == ["E500"]


def test_a_gap_between_versions_is_W603_naming_its_days(tmp_path: Path) -> None:
    text = HEADER + requirement("    until 2026-01-01\n") + requirement("    from 2026-02-01\n")
    (found,) = diagnostics(tmp_path, text + "}\n")
    assert found.code == "W603" and found.severity == "warning"
    assert "2026-01-01" in found.message and "2026-01-31" in found.message


def test_adjacent_versions_leave_no_gap(tmp_path: Path) -> None:
    text = HEADER + requirement("    until 2026-01-01\n") + requirement("    from 2026-01-01\n")
    assert diagnostics(tmp_path, text + "}\n") == []


def test_an_empty_provision_is_W604(tmp_path: Path) -> None:
    (found,) = diagnostics(tmp_path, regime('    status licensed\n    cite CRA " "\n'))
    assert (found.code, found.span.line, found.span.column) == ("W604", 11, 14)


def test_a_regime_without_cite_is_E203(tmp_path: Path) -> None:
    codes = [d.code for d in diagnostics(tmp_path, regime("    status licensed\n"))]
    assert codes == ["W601", "E203"]


def test_an_option_typo_keeps_did_you_mean_and_lists_every_option(tmp_path: Path) -> None:
    text = regime('    status licenced\n    cite CRA "CRA-1.1"\n    confidence high\n')
    status, confidence = diagnostics(tmp_path, text)
    assert (status.code, confidence.code) == ("E311", "E311")
    assert "'licensed'" in (status.help or "")
    assert all(option in (status.help or "") for option in REGIME_STATUS)
    assert all(option in (confidence.help or "") for option in CONFIDENCE)


def test_an_enum_typo_lists_the_values(tmp_path: Path) -> None:
    text = HEADER + requirement("    when legal_form == partnershp\n") + "}\n"
    (found,) = diagnostics(tmp_path, text)
    assert found.code == "E307"
    assert "'partnership'" in (found.help or "")
    assert "joint_stock_company" in (found.help or "")


def test_examples_come_from_the_blocks_own_jurisdiction() -> None:
    """Dubai's file is told to cite Dubai's instrument and licence, never Bahrain's."""
    cite, licences = check_paths(
        [BAD / "E203-cite-example-from-own-jurisdiction.rules"]
    ).diagnostics
    assert (cite.code, licences.code) == ("E203", "E205")
    assert "VARA-RULEBOOK" in (cite.help or "") and "CRA" not in (cite.help or "")
    assert "vasp_exchange" in (licences.help or "")


def test_check_strict_fails_on_warnings() -> None:
    warning_only = str(BAD / "W604-empty-provision.rules")
    assert CliRunner().invoke(cli, ["check", warning_only]).exit_code == 0
    assert CliRunner().invoke(cli, ["check", "--strict", warning_only]).exit_code == 1


def test_bundled_rules_are_clean_under_strict() -> None:
    """jurisdictions/README.md asks for no warnings: the bundle passes `check --strict`."""
    result = CliRunner().invoke(cli, ["check", "--strict"])
    assert result.exit_code == 0, result.output
    assert "no problems" in result.output
