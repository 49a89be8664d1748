"""FX tables: the checker flags exactly the rates conversion cannot use (E409).

A rate linked to its table's first base currency by no chain of rates is never used; the
checker says so and the engine then has no rate for its currencies. Both follow
`rulesdsl.ir.rates.link_rates`; the property below holds them to each other on random tables.
"""

from __future__ import annotations

import datetime as dt
import tempfile
from decimal import Decimal
from itertools import combinations
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from engine.errors import EngineError
from engine.inputs.fx import FxBook, FxSource
from rulesdsl import ir
from rulesdsl.loader import check_paths

CURRENCIES = ("USD", "EUR", "MYR", "NGN", "TRY", "BHD")
DAY = dt.date(2026, 1, 1)
PAIRS = st.lists(
    st.sampled_from(list(combinations(CURRENCIES, 2))).flatmap(
        lambda pair: st.sampled_from([pair, pair[::-1]])
    ),
    min_size=1,
    max_size=6,
    unique_by=lambda pair: frozenset(pair),
)


def _flagged_lines(pairs: list[tuple[str, str]]) -> set[int]:
    """Lines of the rates the checker reports as E409 (the table's first rate is line 3)."""
    lines = [f"rate {quote} 2 per {base}" for base, quote in pairs]
    text = f'fx {DAY} {{\n  source "test"\n  ' + "\n  ".join(lines) + "\n}\n"
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "rates.rules"
        path.write_text(text, encoding="utf-8")
        found = check_paths([path]).diagnostics
    assert {d.code for d in found} <= {"E409"}, found
    return {d.span.line for d in found}


def _converts(book: FxBook, source: str, target: str) -> bool:
    try:
        book.rate(source, target, DAY)
    except EngineError:
        return False
    return True


@settings(max_examples=60, deadline=None)
@given(PAIRS)
def test_the_checker_flags_exactly_the_rates_conversion_cannot_use(
    pairs: list[tuple[str, str]],
) -> None:
    flagged = _flagged_lines(pairs)
    rates = tuple(ir.FxRate(base=b, quote=q, price=Decimal(2), pegged=False) for b, q in pairs)
    book = FxBook([FxSource("file", (ir.FxTable(valid_from=DAY, source="t", rates=rates),))], {})
    pivot = pairs[0][0]
    for line, (base, quote) in enumerate(pairs, start=3):
        usable = _converts(book, base, pivot) and _converts(book, quote, pivot)
        assert usable == (line not in flagged), (pairs, line)


def test_an_unlinked_pair_is_flagged_and_then_has_no_rate() -> None:
    pairs = [("USD", "MYR"), ("NGN", "TRY")]
    assert _flagged_lines(pairs) == {4}
    rates = tuple(ir.FxRate(base=b, quote=q, price=Decimal(2), pegged=False) for b, q in pairs)
    book = FxBook([FxSource("file", (ir.FxTable(valid_from=DAY, source="t", rates=rates),))], {})
    assert _converts(book, "MYR", "USD")
    assert not _converts(book, "NGN", "TRY")
