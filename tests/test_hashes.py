"""Content hashes: `rules_hash` follows what the rules say, `fx_hash` the FX data used.

The rules hash is over canonical IR, so moving a requirement or reformatting a file leaves
it alone while any change of substance moves it; the FX hash moves with the caller's own
rates (`--fx FILE`), through the Python API and the command line alike.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path

import pytest
from jawaz_cli import jawaz

from engine import load_bundle
from engine.bundle import Bundle
from engine.inputs.ecb import ecb_history
from engine.inputs.fx import FxSource, ecb_source, fx_hash
from rulesdsl import ir
from rulesdsl.loader import bundled_root, parse_file
from rulesdsl.syntax import nodes as n

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "bahrain-exchange.yaml"
DAY = dt.date(2026, 11, 22)
SWAPPED = Path("MY") / "recognized_markets.rules"  # a file with many requirements
OWN_RATES = """\
fx 2026-01-01 {
  source "Our treasury's rates"
  rate MYR 4.10 per USD
  peg BHD 0.376 per USD
}
"""


@pytest.fixture(autouse=True)
def _no_cache(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("JAWAZ_CACHE_DIR", "")


@pytest.fixture(scope="module")
def bundled() -> Bundle:
    return load_bundle()


def _copy(tmp_path: Path) -> Path:
    root = tmp_path / "rules"
    shutil.copytree(bundled_root(), root, ignore=shutil.ignore_patterns("*.py", "__pycache__"))
    return root


def _requirement_lines(path: Path) -> list[tuple[int, int]]:
    """(first, last) line, 1-based, of each requirement block in a file."""
    found = []
    for item in parse_file(path).items:
        if isinstance(item, n.Block):
            for block in item.blocks():
                if block.kind.text == "requirement":
                    found.append((block.span.line, block.span.end_line))
    return found


def _swap_first_two_requirements(path: Path) -> None:
    lines = path.read_text(encoding="utf-8").split("\n")
    (a_start, a_end), (b_start, b_end) = _requirement_lines(path)[:2]
    first, between, second = (
        lines[a_start - 1 : a_end],
        lines[a_end : b_start - 1],
        lines[b_start - 1 : b_end],
    )
    lines[a_start - 1 : b_end] = [*second, *between, *first]
    path.write_text("\n".join(lines), encoding="utf-8")


def _requirement_ids(bundle: Bundle, code: str) -> list[tuple[str, str]]:
    return [(r.id, str(r.period.start)) for r in bundle.jurisdiction(code).requirements]


def test_rules_hash_is_the_same_when_requirements_swap_places(
    bundled: Bundle, tmp_path: Path
) -> None:
    root = _copy(tmp_path)
    before = (root / SWAPPED).read_text(encoding="utf-8")
    _swap_first_two_requirements(root / SWAPPED)
    after = (root / SWAPPED).read_text(encoding="utf-8")
    assert after != before and sorted(after.split("\n")) == sorted(before.split("\n"))
    swapped = load_bundle(root)
    # Lowering orders declarations by id and start, so the IR itself, and so every answer,
    # is the same: one rules_hash never stands for two different answers.
    assert _requirement_ids(swapped, "MY") == _requirement_ids(bundled, "MY")
    assert swapped.rules_hash == bundled.rules_hash


def test_rules_hash_is_the_same_when_only_comments_and_spacing_change(
    bundled: Bundle, tmp_path: Path
) -> None:
    root = _copy(tmp_path)
    path = root / SWAPPED
    text = path.read_text(encoding="utf-8")
    spaced = text.replace("\n  requirement ", "\n\n\n  # a new comment\n  requirement ")
    assert spaced != text
    path.write_text("# heading comment\n" + spaced.replace(" {\n", "   {\n"), encoding="utf-8")
    assert load_bundle(root).rules_hash == bundled.rules_hash


def test_rules_hash_changes_when_a_figure_changes(bundled: Bundle, tmp_path: Path) -> None:
    root = _copy(tmp_path)
    path = root / "MY" / "aml.rules"
    text = path.read_text(encoding="utf-8")
    assert "<= MYR 0" in text
    path.write_text(text.replace("<= MYR 0", "<= MYR 1"), encoding="utf-8")
    changed = load_bundle(root)
    assert changed.rules_hash != bundled.rules_hash
    assert changed.fx.hash == bundled.fx.hash  # the FX data is untouched


def test_rules_hash_does_not_cover_the_fx_tables(bundled: Bundle) -> None:
    other_rates = ir.FxTable(valid_from=DAY, source="elsewhere", rates=())
    moved = Bundle(bundled.ir.model_copy(update={"fx": (other_rates,)}))
    assert moved.rules_hash == bundled.rules_hash
    assert moved.fx.hash != bundled.fx.hash


def test_fx_hash_changes_with_caller_rates_in_the_python_api(
    bundled: Bundle, tmp_path: Path
) -> None:
    own = tmp_path / "rates.rules"
    own.write_text(OWN_RATES, encoding="utf-8")
    with_own = load_bundle(fx_file=own)
    firm = bundled.read_profile(EXAMPLE)
    plain = bundled.passport(firm, host="MY", as_of=DAY)
    answer = with_own.passport(with_own.read_profile(EXAMPLE), host="MY", as_of=DAY)
    assert answer.rules_hash == plain.rules_hash == bundled.rules_hash
    assert answer.fx_hash == with_own.fx.hash != plain.fx_hash == bundled.fx.hash
    assert with_own.matrix("exchange", as_of=DAY).fx_hash == with_own.fx.hash
    assert with_own.compare(["MY", "BH"], "exchange", as_of=DAY).fx_hash == with_own.fx.hash
    own.write_text(OWN_RATES.replace("4.10", "4.11"), encoding="utf-8")
    assert load_bundle(fx_file=own).fx.hash not in {with_own.fx.hash, bundled.fx.hash}


def test_fx_hash_changes_with_fx_on_the_command_line(tmp_path: Path) -> None:
    own = tmp_path / "rates.rules"
    own.write_text(OWN_RATES, encoding="utf-8")
    asked = ["passport", str(EXAMPLE), "--to", "MY", "--as-of", str(DAY), "--format", "json"]
    plain = jawaz(*asked)
    with_own = jawaz(*asked, "--fx", str(own))
    assert plain.returncode == with_own.returncode == 0, plain.stderr + with_own.stderr
    first, second = json.loads(plain.stdout), json.loads(with_own.stdout)
    assert first["rules_hash"] == second["rules_hash"]
    assert first["fx_hash"] != second["fx_hash"]
    assert json.loads(jawaz(*asked, "--fx", str(own)).stdout)["fx_hash"] == second["fx_hash"]


def test_fx_hash_records_a_data_source_date_and_version(bundled: Bundle) -> None:
    tables = bundled.ir.fx
    plain = fx_hash([FxSource("bundled", tables)])
    dated = fx_hash([FxSource("bundled", tables, data_date=DAY, version="1.0")])
    newer = fx_hash([FxSource("bundled", tables, data_date=DAY, version="1.1")])
    assert len({plain, dated, newer}) == 3
    with_ecb = fx_hash([ecb_source(ecb_history()), FxSource("bundled", tables)])
    assert with_ecb == bundled.fx.hash != plain  # the ECB data's date and release count
    assert fx_hash([FxSource("file", tables)]) != plain  # who supplied the rates counts
