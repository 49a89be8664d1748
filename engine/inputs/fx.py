"""Dated FX tables and conversion at an as-of date.

A table is valid from its date until the next table's date. Rates within a table may be
quoted against different bases (`MYR 4.2150 per USD`, `TRY 38.41 per USD`, `USD 1.08 per
EUR`); they are joined into one graph (`rulesdsl.ir.rates`, which the checker uses too), so any
two currencies linked by rates convert. Every conversion reports the rate, the table date
and the source it used; the book's `hash` identifies all the FX data it holds.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Literal, assert_never

from engine.errors import EngineError
from engine.inputs.money import CONVERSION_ROUNDING, Money
from rulesdsl import ir
from rulesdsl.ir.canonical import canonical_fx, digest
from rulesdsl.ir.rates import link_rates

RATE_PLACES = Decimal("1e-10")  # rates are reported to 10 decimal places


@dataclass(frozen=True, slots=True, order=True)
class RateUsed:
    """One unit of `source` is worth `rate` units of `target`, per `table_date`'s table."""

    source: str
    target: str
    rate: Decimal
    table_date: dt.date
    pegged: bool
    origin: str  # the table's source text


@dataclass(frozen=True, slots=True)
class _PricedTable:
    table: ir.FxTable
    per_pivot: Mapping[str, Decimal]  # units of each currency per one unit of the pivot
    pegged: frozenset[str]


def _price_table(table: ir.FxTable) -> _PricedTable:
    """Join a table's rates into units-per-pivot, the pivot being the first base quoted."""
    graph = link_rates([(r.base, r.quote) for r in table.rates])
    per_pivot: dict[str, Decimal] = {graph.pivot: Decimal(1)} if graph.pivot else {}
    for link in graph.links:
        rate = table.rates[link.index]
        match link.derives:
            case "quote":
                per_pivot[rate.quote] = per_pivot[rate.base] * rate.price
            case "base":
                per_pivot[rate.base] = per_pivot[rate.quote] / rate.price
            case None:
                pass
            case unreachable:
                assert_never(unreachable)
    pegged = frozenset(c for r in table.rates if r.pegged for c in (r.base, r.quote))
    return _PricedTable(table, per_pivot, pegged)


@dataclass(frozen=True, slots=True)
class FxSource:
    """Where some of a book's tables come from, as its `fx_hash` records it.

    A data set published on a date by a package (such as the ECB's reference rates) gives
    its `data_date` and `version`, so new data or a new release changes the hash.
    """

    kind: Literal["bundled", "file"]
    tables: tuple[ir.FxTable, ...]
    data_date: dt.date | None = None
    version: str | None = None

    def canonical(self) -> dict[str, object]:
        """This source as hashed: its kind, metadata and tables, independent of order."""
        return {
            "kind": self.kind,
            "data_date": self.data_date.isoformat() if self.data_date else None,
            "version": self.version,
            "tables": canonical_fx(self.tables),
        }


def fx_hash(sources: Sequence[FxSource]) -> str:
    """The content hash of the FX data an answer converts with."""
    return digest([source.canonical() for source in sources])


class FxBook:
    """All FX tables of a bundle (or a caller's own file), ready to convert."""

    def __init__(self, sources: Sequence[FxSource], minor_units: Mapping[str, int]) -> None:
        tables = [table for source in sources for table in source.tables]
        self._tables = sorted((_price_table(t) for t in tables), key=lambda p: p.table.valid_from)
        self.hash = fx_hash(sources)
        self._minor_units = minor_units
        # (source, target, date) -> (factor, rate used): a conversion is then one multiply.
        self._factors: dict[tuple[str, str, dt.date], tuple[Decimal, RateUsed]] = {}

    def table_for(self, as_of: dt.date) -> _PricedTable:
        """The table in force on `as_of`."""
        chosen = None
        for priced in self._tables:
            if priced.table.valid_from <= as_of:
                chosen = priced
        if chosen is None:
            first = self._tables[0].table.valid_from if self._tables else None
            detail = f"; the first table is dated {first}" if first else ""
            raise EngineError(f"no FX rates in force on {as_of}{detail}", "as_of")
        return chosen

    def rate(self, source: str, target: str, as_of: dt.date) -> RateUsed:
        """The rate from `source` to `target` on `as_of`."""
        priced = self.table_for(as_of)
        missing = [c for c in (source, target) if c not in priced.per_pivot]
        if missing:
            raise EngineError(
                f"the FX table of {priced.table.valid_from} has no rate for {', '.join(missing)}",
                "fx",
            )
        exact = priced.per_pivot[target] / priced.per_pivot[source]
        return RateUsed(
            source=source,
            target=target,
            rate=exact.quantize(RATE_PLACES, rounding=CONVERSION_ROUNDING),
            table_date=priced.table.valid_from,
            pegged=source in priced.pegged and target in priced.pegged,
            origin=priced.table.source,
        )

    def convert(self, money: Money, target: str, as_of: dt.date) -> tuple[Money, RateUsed | None]:
        """`money` in `target`, rounded to its minor units, and the rate used (None if
        no conversion was needed)."""
        if money.currency == target:
            return money, None
        if not money.amount:  # zero is zero in every currency: no rate needed
            return Money(target, money.amount).rounded(self._minor_units.get(target, 2)), None
        key = (money.currency, target, as_of)
        found = self._factors.get(key)
        if found is None:
            used = self.rate(money.currency, target, as_of)
            priced = self.table_for(as_of)
            # The unrounded factor converts; the rounded one is only what is reported.
            factor = priced.per_pivot[target] / priced.per_pivot[money.currency]
            if len(self._factors) > 65536:  # bounded: dates are open-ended
                self._factors.clear()
            found = self._factors[key] = (factor, used)
        factor, used = found
        converted = Money(target, money.amount * factor).rounded(self._minor_units.get(target, 2))
        return converted, used
