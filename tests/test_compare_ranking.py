"""Ranking in comparisons: only what can be compared, and every unranked cell says why."""

from __future__ import annotations

import datetime as dt

from engine import load_bundle
from engine.results import ComparisonCell, ComparisonResult

DAY = dt.date(2026, 6, 1)  # after Malaysia raised the DAX floor (figure not published)


def _capital(result: ComparisonResult) -> dict[str, ComparisonCell]:
    row = next(
        r
        for r in result.rows
        if (r.category, r.attribute, r.variant) == ("capital", "paid_up_capital", 0)
    )
    return {c.jurisdiction: c for c in row.cells if c is not None}


def test_a_known_floor_above_every_other_figure_is_the_strictest_as_a_lower_bound() -> None:
    result = load_bundle().compare(["MY", "BH", "AE-DU"], "exchange", as_of=DAY)
    cells = _capital(result)
    my, bh, ae = cells["MY"], cells["BH"], cells["AE-DU"]
    assert my.pending and my.threshold is not None and my.threshold.amount == "5000000"
    assert (my.mark, my.lower_bound, my.unranked) == ("strictest", True, "")
    assert (bh.mark, bh.lower_bound) == ("", False)  # MY's real figure is higher still
    assert (ae.mark, ae.lower_bound) == ("loosest", False)
    assert [(c.jurisdiction, c.licence) for c in result.columns] == [
        ("MY", "rmo_dax"),
        ("BH", "category_4"),
        ("AE-DU", "exchange_services"),
    ]


def test_a_pending_figure_without_a_known_floor_is_unranked_and_ranks_nothing() -> None:
    result = load_bundle().compare(["ID", "BH", "AE-DU"], "exchange", as_of=DAY)
    cells = _capital(result)
    pending = [c for c in cells.values() if c.pending]
    assert pending and all(c.unranked == "pending" and not c.mark for c in pending)
    assert all(not c.mark for c in cells.values())  # an unknown figure could be anywhere


def test_an_unconvertible_figure_is_unranked_with_its_reason() -> None:
    # Neither the ECB nor a peg gives a naira rate: Nigeria's NGN figure cannot be compared.
    result = load_bundle().compare(["NG", "BH", "AE-DU"], "exchange", as_of=DAY)
    cells = _capital(result)
    assert cells["NG"].converted is None
    assert (cells["NG"].unranked, cells["NG"].mark) == ("no_fx_rate", "")
    assert all(not c.mark for c in cells.values())
