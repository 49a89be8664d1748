"""The passport matrix and the side-by-side comparison (DESIGN §4), API and CLI."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from decimal import Decimal
from pathlib import Path

import pytest
from jawaz_cli import jawaz

from engine import EngineError, load_bundle
from engine.bundle import Bundle
from engine.decisions.catalogue import regime_on
from engine.inputs.money import Money
from engine.results import ComparisonCell
from rulesdsl.loader import bundled_root

REPO = Path(__file__).resolve().parents[1]
DAY = dt.date(2026, 1, 15)
AFTER_REVISION = dt.date(2026, 11, 22)


@pytest.fixture(scope="module")
def bundle() -> Bundle:
    """The bundled rules, loaded once for the module."""
    return load_bundle()


# ---- matrix -------------------------------------------------------------------------------


def licensing_homes(bundle: Bundle, activity: str, day: dt.date) -> list[str]:
    """Jurisdictions that license `activity` on `day` with a licence covering it."""
    homes = []
    for code, jurisdiction in sorted(bundle.jurisdictions.items()):
        regime = regime_on(jurisdiction, activity, day)
        covering = [lic for lic in jurisdiction.licences if activity in lic.activities]
        if regime is not None and regime.status == "licensed" and covering:
            homes.append(code)
    return homes


@pytest.mark.parametrize("day", [DAY, AFTER_REVISION])
def test_matrix_has_one_cell_per_home_and_host(bundle: Bundle, day: dt.date) -> None:
    """One cell per (home, host) pair, home ≠ host, for every home that licenses exchange."""
    grid = bundle.matrix("exchange", as_of=day)
    homes = licensing_homes(bundle, "exchange", day)
    assert grid.homes == homes
    assert {"BH", "MY", "AE-DU"} <= set(homes)
    assert not {"EG", "QA"} & set(homes)
    assert grid.hosts == sorted(bundle.jurisdictions)
    pairs = [(c.home, c.host) for c in grid.cells]
    assert len(pairs) == len(set(pairs))
    assert set(pairs) == {(h, j) for h in homes for j in grid.hosts if h != j}
    assert len(pairs) == len(homes) * (len(grid.hosts) - 1)
    assert grid.rules_hash == bundle.rules_hash and grid.fx_hash == bundle.fx.hash
    assert grid.as_of == day


def test_matrix_prohibiting_hosts_are_unavailable(bundle: Bundle) -> None:
    """EG and QA prohibit exchanges: every cell into them is unavailable, not eligible."""
    grid = bundle.matrix("exchange", as_of=DAY)
    into = [c for c in grid.cells if c.host in ("EG", "QA")]
    assert len(into) == 2 * len(grid.homes)
    for cell in into:
        assert cell.route == "unavailable"
        assert cell.verdict == "not_eligible"
        assert cell.host_licence is None
        assert cell.met == cell.unmet == cell.unknown == cell.deemed_met == 0


def test_matrix_cells_match_the_passport_counts(bundle: Bundle) -> None:
    """Each cell's counts are a consistent summary: no negative or impossible counts, and
    a route other than unavailable names a host licence or the host has none yet."""
    # After 13 Feb 2026 the homes' FATF status is known, so the model can passport.
    grid = bundle.matrix("exchange", as_of=dt.date(2026, 3, 1), framework="oic-model")
    assert grid.framework is not None and grid.framework.id == "oic-model"
    for cell in grid.cells:
        assert min(cell.met, cell.unmet, cell.unknown, cell.deemed_met) >= 0
        if cell.route == "unavailable":
            assert cell.verdict == "not_eligible"
        if cell.verdict == "eligible":
            assert cell.unmet == cell.unknown == 0
    assert any(c.route == "passport" for c in grid.cells)


def test_matrix_json_is_serialisable_and_deterministic(bundle: Bundle) -> None:
    """The matrix serialises to JSON, byte-identical when asked twice."""
    first = bundle.matrix("exchange", as_of=DAY).model_dump_json()
    second = bundle.matrix("exchange", as_of=DAY).model_dump_json()
    assert first == second
    data = json.loads(first)
    assert data["activity"] == "exchange" and data["as_of"] == DAY.isoformat()
    for rate in data["fx_rates"]:
        assert Decimal(rate["rate"]) > 0


def test_matrix_for_every_activity(bundle: Bundle) -> None:
    """Every activity of the vocabulary gives a matrix (possibly with no licensing home)."""
    for activity in (a.id for a in bundle.ir.vocabulary.activities):
        grid = bundle.matrix(activity, as_of=DAY)
        assert grid.homes == licensing_homes(bundle, activity, DAY)


def test_matrix_unknown_names(bundle: Bundle) -> None:
    """Unknown activity or framework: EngineError naming the field."""
    with pytest.raises(EngineError) as caught:
        bundle.matrix("exchang", as_of=DAY)
    assert caught.value.path == "activity"
    with pytest.raises(EngineError) as caught:
        bundle.matrix("exchange", as_of=DAY, framework="oic")
    assert caught.value.path == "framework"


def test_cli_matrix_json() -> None:
    """`jawaz matrix --activity exchange --format json` exits 0 with the matrix."""
    result = jawaz("matrix", "--activity", "exchange", "--format", "json", "--as-of", "2026-01-15")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["activity"] == "exchange"
    assert data["cells"]
    assert {c["route"] for c in data["cells"] if c["host"] in ("EG", "QA")} == {"unavailable"}


# ---- comparison ---------------------------------------------------------------------------


Row = tuple[str, str, int]


def cells_of(bundle: Bundle) -> dict[Row, list[ComparisonCell | None]]:
    """The BH / MY / AE-DU comparison's cells by (category, attribute, variant)."""
    table = bundle.compare(["BH", "MY", "AE-DU"], "exchange", as_of=DAY)
    return {(row.category, row.attribute, row.variant): row.cells for row in table.rows}


def test_compare_rows_are_aligned(bundle: Bundle) -> None:
    """Rows are keyed by category and attribute (and a variant number for a jurisdiction's
    further rules on one topic), sorted, one cell per jurisdiction."""
    table = bundle.compare(["BH", "MY", "AE-DU"], "exchange", as_of=DAY)
    assert table.jurisdictions == ["BH", "MY", "AE-DU"]
    keys = [(row.category, row.attribute, row.variant) for row in table.rows]
    assert keys == sorted(keys) and len(keys) == len(set(keys))
    for row in table.rows:
        assert len(row.cells) == 3
        assert any(cell is not None for cell in row.cells)
        for code, cell in zip(table.jurisdictions, row.cells, strict=True):
            if cell is not None:
                assert cell.jurisdiction == code
                requirement = next(
                    r for r in bundle.jurisdictions[code].requirements if r.id == cell.requirement
                )
                assert requirement.category == row.category
    rows = cells_of(bundle)
    capital = rows[("capital", "paid_up_capital", 0)]
    assert [c.requirement if c else None for c in capital] == [
        "BH-CAP-4",
        "MY-DAX-CAPITAL",
        "AE-DU-CAP-EXCHANGE",
    ]
    reduced = rows[("capital", "paid_up_capital", 1)]
    assert [c.requirement if c else None for c in reduced] == [
        None,
        None,
        "AE-DU-CAP-EXCHANGE-REDUCED",
    ]
    for (_, _, variant), cells in rows.items():
        if variant:
            assert sum(c is not None for c in cells) >= 1
    partial = [r for r in table.rows if None in r.cells]
    assert partial, "rows present in only some jurisdictions are shown as such"


def test_compare_cells_carry_citations(bundle: Bundle) -> None:
    """Every filled cell cites an instrument and a provision, with its confidence."""
    for cells in cells_of(bundle).values():
        for cell in cells:
            if cell is not None:
                assert cell.citation.instrument and cell.citation.provision
                assert cell.confidence in ("confirmed", "medium", "unconfirmed")
                assert cell.rule


def test_compare_converts_amounts_into_usd(bundle: Bundle) -> None:
    """Thresholds are converted into USD wherever the FX table has a rate."""
    table = bundle.compare(["BH", "MY", "AE-DU"], "exchange", as_of=DAY)
    assert table.currency == "USD"
    priced = [c for row in table.rows for c in row.cells if c is not None and c.threshold]
    assert priced
    for cell in priced:
        assert cell.threshold is not None and cell.converted is not None
        assert cell.converted.currency == "USD"
        own = cell.threshold
        expected, _ = bundle.fx.convert(Money(own.currency, Decimal(own.amount)), "USD", DAY)
        assert Decimal(cell.converted.amount) == expected.amount
    used = {(r.source, r.target) for r in table.fx_rates}
    assert {("BHD", "USD"), ("MYR", "USD"), ("AED", "USD")} <= used
    # BHD 300,000 at the peg of 0.376 per USD
    bahrain = next(c for c in priced if c.requirement == "BH-CAP-4")
    assert bahrain.converted is not None and bahrain.converted.amount == "797872.34"


def test_compare_without_a_rate_leaves_the_conversion_empty(bundle: Bundle) -> None:
    """PKR has no rate in the bundled table: its thresholds stay unconverted."""
    table = bundle.compare(["PK", "NG", "BH"], "exchange", as_of=DAY)
    for row in table.rows:
        for cell in row.cells:
            if cell and cell.threshold and cell.threshold.currency in ("PKR", "NGN"):
                assert cell.converted is None
                assert cell.mark == ""


def test_compare_marks_strictest_and_loosest(bundle: Bundle) -> None:
    """A row with two comparable thresholds marks the strictest and the loosest."""
    rows = cells_of(bundle)
    capital = rows[("capital", "paid_up_capital", 0)]
    marks = {c.requirement: c.mark for c in capital if c is not None}
    # MYR 5m ≈ USD 1.06m > BHD 300k ≈ USD 0.80m > AED 1.5m ≈ USD 0.41m: more is stricter
    assert marks == {
        "MY-DAX-CAPITAL": "strictest",
        "BH-CAP-4": "",
        "AE-DU-CAP-EXCHANGE": "loosest",
    }
    travel = rows[("travel_rule", "travel_rule_threshold", 0)]
    # a Travel Rule threshold is an upper bound: lower is stricter (BH and MY: none at all)
    assert {c.requirement: c.mark for c in travel if c is not None} == {
        "BH-TRAVEL-RULE": "strictest",
        "MY-TRAVEL-RULE": "strictest",
        "AE-DU-TRAVEL-RULE": "loosest",
    }
    for cells in rows.values():
        priced = [c for c in cells if c is not None and c.converted and not c.pending]
        if len(priced) < 2:
            assert all(c.mark == "" for c in cells if c is not None)


def test_compare_in_another_currency(bundle: Bundle) -> None:
    """`currency=` converts into that currency instead."""
    table = bundle.compare(["BH", "MY"], "exchange", as_of=DAY, currency="MYR")
    assert table.currency == "MYR"
    capital = next(r for r in table.rows if r.attribute == "paid_up_capital")
    bahrain = capital.cells[0]
    assert bahrain is not None and bahrain.converted is not None
    assert bahrain.converted.currency == "MYR"
    assert bahrain.converted.amount == "3236379.98"  # as in the passport's capital line


def test_compare_is_deterministic(bundle: Bundle) -> None:
    """The comparison serialises to the same bytes twice."""
    first = bundle.compare(["BH", "MY", "AE-DU"], "exchange", as_of=DAY).model_dump_json()
    second = bundle.compare(["BH", "MY", "AE-DU"], "exchange", as_of=DAY).model_dump_json()
    assert first == second


@pytest.mark.parametrize(
    ("codes", "activity", "currency", "path"),
    [
        (["BH", "XX"], "exchange", "USD", "jurisdictions"),
        (["BH", "MY"], "exchang", "USD", "activity"),
        (["BH", "MY"], "exchange", "RM", "currency"),
        (["BH", "MY"], "exchange", "usd", "currency"),
    ],
)
def test_compare_unknown_names(
    bundle: Bundle, codes: list[str], activity: str, currency: str, path: str
) -> None:
    """Unknown jurisdiction, activity or currency: EngineError naming the field."""
    with pytest.raises(EngineError) as caught:
        bundle.compare(codes, activity, as_of=DAY, currency=currency)
    assert caught.value.path == path


def test_cli_compare_json() -> None:
    """`jawaz compare BH MY AE-DU --activity exchange --format json` exits 0."""
    result = jawaz(
        "compare", "BH", "MY", "AE-DU", "--activity", "exchange", "--format", "json",
        "--as-of", "2026-01-15",
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["jurisdictions"] == ["BH", "MY", "AE-DU"]
    assert data["rows"]


@pytest.mark.parametrize(
    ("args", "field"),
    [
        (["compare", "BH", "XX", "--activity", "exchange"], "jurisdictions"),
        (["compare", "BH", "MY", "--activity", "exchang"], "activity"),
        (["compare", "BH", "MY", "--activity", "exchange", "--currency", "RM"], "currency"),
        (["matrix", "--activity", "exchang"], "activity"),
        (["matrix", "--activity", "exchange", "--framework", "oic"], "framework"),
        (["matrix", "--activity", "exchange", "--as-of", "2026-02-30"], "--as-of"),
    ],
)
def test_cli_unknown_names_exit_2(args: list[str], field: str) -> None:
    """Unknown names through the CLI: exit 2, the field on stderr, nothing on stdout."""
    result = jawaz(*args)
    assert result.returncode == 2
    assert field in result.stderr
    assert result.stdout == ""


# ---- strictest and loosest, however the bound is written ------------------------------------

_TWO_HOSTS = """
instrument X {
  title "x"
}
jurisdiction BH {
  name "Bahrain"
  currency BHD
  authorities ["x"]
  regime exchange {
    status licensed
    cite X "x"
  }
  licence c4 {
    title "x"
    activities [exchange]
  }
  requirement BH-TR {
    title "x"
    category travel_rule
    BH_WHEN
    require BH_RULE
    cite X "x"
    confidence confirmed
    remedy "x"
  }
}
jurisdiction MY {
  name "Malaysia"
  currency MYR
  authorities ["x"]
  regime exchange {
    status licensed
    cite X "x"
  }
  licence dax {
    title "x"
    activities [exchange]
  }
  requirement MY-TR {
    title "x"
    category travel_rule
    MY_WHEN
    require MY_RULE
    cite X "x"
    confidence confirmed
    remedy "x"
  }
}
"""


@pytest.mark.parametrize(
    ("when", "bh_rule", "my_rule"),
    [
        (
            "when part_of_foreign_group",
            "travel_rule_threshold <= BHD 0",
            "travel_rule_threshold <= MYR 1_000",
        ),
        ("", "BHD 0 >= travel_rule_threshold", "MYR 1_000 >= travel_rule_threshold"),
    ],
    ids=["when", "amount-first"],
)
def test_compare_marks_upper_bounds_however_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, when: str, bh_rule: str, my_rule: str
) -> None:
    """A Travel Rule threshold of 0 is stricter than one of MYR 1,000, however it is written."""
    monkeypatch.setenv("JAWAZ_CACHE_DIR", "")
    folder = tmp_path / "rules"
    folder.mkdir()
    for name in ("vocabulary.rules", "fx.rules"):
        shutil.copy(bundled_root() / name, folder / name)
    text = (
        _TWO_HOSTS.replace("BH_WHEN", when)
        .replace("MY_WHEN", when)
        .replace("BH_RULE", bh_rule)
        .replace("MY_RULE", my_rule)
    )
    (folder / "hosts.rules").write_text(text, encoding="utf-8")
    table = load_bundle(folder).compare(["BH", "MY"], "exchange", as_of=DAY)
    (row,) = table.rows
    assert [c.mark if c else None for c in row.cells] == ["strictest", "loosest"]
