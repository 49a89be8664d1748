"""Every licence covering an activity is asked about: one comparison column per licence,
one matrix row per home licence, and the matrix's pair details from the chosen backend."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from jawaz_cli import jawaz

from engine import load_bundle
from engine.bundle import Bundle
from engine.decisions.catalogue import licences_for
from engine.presentation.html_tables import PRINT_GROUP
from rulesdsl import ir

DAY = dt.date(2026, 6, 1)


@pytest.fixture(scope="module")
def bundle() -> Bundle:
    """The bundled rules, loaded once for the module."""
    return load_bundle()


def covering(jurisdiction: ir.Jurisdiction, activity: str) -> list[str]:
    """The licence ids the rule files give `activity`, read from the IR directly."""
    return [lic.id for lic in jurisdiction.licences if activity in lic.activities]


def test_licences_for_lists_every_covering_licence(bundle: Bundle) -> None:
    """Bahrain custody: categories 2 and 3; Indonesia exchange: bursa only."""
    bahrain, indonesia = bundle.jurisdictions["BH"], bundle.jurisdictions["ID"]
    assert [lic.id for lic in licences_for(bahrain, "custody")] == ["category_2", "category_3"]
    assert [lic.id for lic in licences_for(indonesia, "exchange")] == ["bursa"]
    assert [lic.id for lic in licences_for(indonesia, "custody")] == ["custodian"]
    assert licences_for(bahrain, "token_issuance") == ()


def test_bahrain_custody_comparison_has_a_column_per_licence(bundle: Bundle) -> None:
    """BH licenses custody under two categories: each gets its column, with its own rules."""
    table = bundle.compare(["BH", "ID"], "custody", as_of=DAY)
    assert table.jurisdictions == ["BH", "ID"]
    columns = [(c.jurisdiction, c.licence) for c in table.columns]
    expected = [("BH", lic) for lic in covering(bundle.jurisdictions["BH"], "custody")]
    expected += [("ID", lic) for lic in covering(bundle.jurisdictions["ID"], "custody")]
    assert columns == expected
    assert ("BH", "category_2") in columns and ("BH", "category_3") in columns
    for row in table.rows:
        assert len(row.cells) == len(columns)
        for column, cell in zip(table.columns, row.cells, strict=True):
            if cell is None:
                continue
            assert cell.jurisdiction == column.jurisdiction
            rule = next(
                r
                for r in bundle.jurisdictions[column.jurisdiction].requirements
                if r.id == cell.requirement
            )
            assert not rule.licences or column.licence in rule.licences
    # The categories' own rules (capital, say) differ, so the two columns differ somewhere.
    assert any(
        (a.requirement if a else None) != (b.requirement if b else None)
        for a, b in (row.cells[:2] for row in table.rows)
    )


def test_indonesia_exchange_comparison_names_each_licence(bundle: Bundle) -> None:
    """Indonesia's exchange column names the licence covering exchange (bursa)."""
    table = bundle.compare(["ID", "MY"], "exchange", as_of=DAY)
    assert [(c.jurisdiction, c.licence) for c in table.columns] == [
        ("ID", lic) for lic in covering(bundle.jurisdictions["ID"], "exchange")
    ] + [("MY", lic) for lic in covering(bundle.jurisdictions["MY"], "exchange")]
    assert table.columns[0].licence == "bursa"


def test_unlicensed_jurisdiction_keeps_one_empty_column(bundle: Bundle) -> None:
    """A jurisdiction that prohibits the activity has one column, with no licence, no cells."""
    table = bundle.compare(["BH", "QA"], "exchange", as_of=DAY)
    assert [(c.jurisdiction, c.licence) for c in table.columns] == [
        ("BH", "category_4"),
        ("QA", None),
    ]
    assert all(row.cells[1] is None for row in table.rows)


def test_matrix_has_a_row_per_home_licence(bundle: Bundle) -> None:
    """Custody: BH and EU license it under two licences each, so each has two rows, and
    every (home, licence) row has one cell per other host."""
    grid = bundle.matrix("custody", as_of=DAY)
    rows = [(r.home, r.home_licence) for r in grid.rows]
    assert [lic for home, lic in rows if home == "BH"] == covering(
        bundle.jurisdictions["BH"], "custody"
    )
    assert len([home for home, _ in rows if home == "EU"]) == 2
    assert grid.homes == sorted({home for home, _ in rows})
    keys = [(c.home, c.home_licence, c.host) for c in grid.cells]
    assert len(keys) == len(set(keys)) == len(rows) * (len(grid.hosts) - 1)
    assert {(h, lic) for h, lic, _ in keys} == set(rows)


def test_matrix_pairs_come_from_the_requested_backend(bundle: Bundle) -> None:
    """The decisions behind the cells are asked with the backend the matrix was asked for
    (they once ignored it), and agree with the fast path's cells."""
    durable = bundle.matrix_report("custody", as_of=DAY, backend="durable")
    assert durable.pairs and {d.backend for d in durable.pairs} == {"durable"}
    fast = bundle.matrix_report("custody", as_of=DAY)
    assert {d.backend for d in fast.pairs} == {"fast"}
    assert durable.matrix.cells == fast.matrix.cells
    keys = [(d.home, d.home_licence, d.host) for d in durable.pairs]
    assert keys == [(c.home, c.home_licence, c.host) for c in durable.matrix.cells]


def test_cli_matrix_details_use_the_backend_and_link_each_licence() -> None:
    """`jawaz matrix --backend durable --format html`: every pair's detail names the durable
    backend, and each cell of a two-licence home links to its own detail."""
    result = jawaz(
        "matrix", "--activity", "custody", "--as-of", str(DAY), "--backend", "durable",
        "--format", "html",
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    # The screen's table once: the print groups repeat its cells (html_tables).
    html = re.sub(rf'<table class="{PRINT_GROUP}">.*?</table>', "", result.stdout, flags=re.S)
    anchors = re.findall(r'href="#(pair-[a-z0-9-]+)"', html)
    assert len(anchors) == len(set(anchors))
    assert all(f'id="{a}"' in html for a in anchors)
    assert "pair-bh-category-2-my" in anchors and "pair-bh-category-3-my" in anchors
    backends = re.findall(r"<dt>Backend</dt><dd>([a-z]+)</dd>", html)
    assert backends and set(backends) == {"durable"} and len(backends) == len(anchors)
