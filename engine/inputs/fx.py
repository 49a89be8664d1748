"""Dated FX rates and conversion at an as-of date.

The rates in force on a day are layered (`engine.inputs.fx_graph`): the European Central
Bank's reference rates of the latest publication day on or before it (`engine.inputs.ecb`),
then the bundle's tables (the cited pegs of `jurisdictions/fx.rules`), then a caller's own
(`--fx FILE`), then a request's own (the HTTP API's `fx`), each layer pricing only what the
ones before it left unpriced. Within a layer a table is valid from its date until the next
table's date. Every conversion reports its rate, the legs it went through with their source
and date, and the citation of each peg; the book's `hash` identifies all the FX data it holds.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Literal

from engine.errors import EngineError
from engine.inputs.ecb import PACKAGE, SOURCE, EcbHistory
from engine.inputs.fx_graph import PricedDay, RateLeg, price_layers
from engine.inputs.money import CONVERSION_ROUNDING, Money
from rulesdsl import ir
from rulesdsl.ir.canonical import canonical_fx, digest

RATE_PLACES = Decimal("1e-10")  # rates are reported to 10 decimal places
STALE_AFTER = dt.timedelta(days=31)  # a market rate older than this on the as-of date warns


@dataclass(frozen=True, slots=True, order=True)
class RateUsed:
    """One unit of `source` is worth `rate` units of `target`.

    `table_date` is the date of the newest market rate among the `legs` (an ECB
    publication day, not the as-of date), or, for a conversion through pegs alone, of the
    table holding them; `pegged` says every leg is a peg.
    """

    source: str
    target: str
    rate: Decimal
    table_date: dt.date
    pegged: bool
    origin: str  # the sources of the legs, joined
    legs: tuple[RateLeg, ...] = ()
    # An answer puts each rate it reads into sets many times over; hashing walks the legs
    # and their citations, so it is done once (not compared, never shown).
    _hash: int = field(default=0, init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        fields = (self.source, self.target, self.rate, self.table_date, self.pegged)
        object.__setattr__(self, "_hash", hash((*fields, self.origin, self.legs)))

    def __hash__(self) -> int:
        return self._hash


@dataclass(frozen=True, slots=True)
class FxSource:
    """Where some of a book's rates come from, as its `fx_hash` records it.

    A data set published on a date by a package (the ECB's reference rates) gives its
    `data_date` and `version`, so new data or a new release changes the hash.
    """

    kind: Literal["ecb", "bundled", "file", "request"]
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


def ecb_source(history: EcbHistory) -> FxSource:
    """The ECB data as hashed: its newest day and the package release it came with (the
    rows themselves are fixed by those two)."""
    return FxSource("ecb", (), data_date=history.newest, version=history.version)


def _in_force(tables: Sequence[ir.FxTable], as_of: dt.date) -> ir.FxTable | None:
    chosen = None
    for table in tables:  # sorted by date
        if table.valid_from <= as_of:
            chosen = table
    return chosen


class FxBook:
    """All FX data of an answer (ECB rates, bundled tables, a caller's own), ready to convert."""

    def __init__(
        self,
        sources: Sequence[FxSource],
        minor_units: Mapping[str, int],
        ecb: EcbHistory | None = None,
        instruments: Mapping[str, ir.Instrument] | None = None,
    ) -> None:
        """`sources` in order of precedence (bundled before file); `ecb` goes first."""
        self._layers = [sorted(s.tables, key=lambda t: t.valid_from) for s in sources]
        self._ecb = ecb
        self._instruments = instruments or {}
        self.hash = fx_hash(([ecb_source(ecb)] if ecb else []) + list(sources))
        self._minor_units = minor_units
        # The joined rates per combination of tables in force (about one per ECB day asked).
        self._days: dict[tuple[dt.date | None, ...], PricedDay] = {}
        # (source, target, date) -> (factor, rate used): a conversion is then one multiply.
        self._factors: dict[tuple[str, str, dt.date], tuple[Decimal, RateUsed]] = {}

    def _ecb_table(self, as_of: dt.date) -> ir.FxTable | None:
        day = self._ecb.on_or_before(as_of) if self._ecb else None
        if day is None or self._ecb is None:
            return None
        return ir.FxTable(
            valid_from=day.day,
            source=f"{SOURCE} ({PACKAGE} {self._ecb.version})",  # its date is the leg's
            rates=tuple(
                ir.FxRate(base="EUR", quote=currency, price=price, pegged=False)
                for currency, price in sorted(day.per_euro.items())
                if currency != "EUR"
            ),
        )

    def day_for(self, as_of: dt.date) -> PricedDay:
        """The rates in force on `as_of`, joined across layers."""
        ecb_day = self._ecb.on_or_before(as_of) if self._ecb else None
        chosen = [_in_force(layer, as_of) for layer in self._layers]
        key = (ecb_day.day if ecb_day else None, *(t.valid_from if t else None for t in chosen))
        found = self._days.get(key)
        if found is None:
            layers = [t for t in (self._ecb_table(as_of), *chosen) if t is not None]
            if not layers:
                raise EngineError(f"no FX rates in force on {as_of}", "as_of")
            if len(self._days) > 4096:  # bounded: one entry per publication day asked
                self._days.clear()
            found = self._days[key] = price_layers(layers, self._instruments)
        return found

    def _factor(self, source: str, target: str, as_of: dt.date) -> tuple[Decimal, RateUsed]:
        key = (source, target, as_of)
        found = self._factors.get(key)
        if found is not None:
            return found
        linked = self.day_for(as_of).factor(source, target)
        if linked is None:
            raise EngineError(f"no FX rate from {source} to {target} on {as_of}", "fx")
        factor, legs = linked
        market = [leg.day for leg in legs if not leg.pegged]
        used = RateUsed(
            source=source,
            target=target,
            rate=factor.quantize(RATE_PLACES, rounding=CONVERSION_ROUNDING),
            table_date=max(market or [leg.day for leg in legs] or [as_of]),  # no legs: itself
            pegged=not market,
            origin="; ".join(dict.fromkeys(leg.origin for leg in legs)),
            legs=legs,
        )
        if len(self._factors) > 65536:  # bounded: dates are open-ended
            self._factors.clear()
        found = self._factors[key] = (factor, used)
        return found

    def rate(self, source: str, target: str, as_of: dt.date) -> RateUsed:
        """The rate from `source` to `target` on `as_of`."""
        return self._factor(source, target, as_of)[1]

    def convert(self, money: Money, target: str, as_of: dt.date) -> tuple[Money, RateUsed | None]:
        """`money` in `target`, rounded to its minor units, and the rate used (None if
        no conversion was needed)."""
        if money.currency == target:
            return money, None
        if not money.amount:  # zero is zero in every currency: no rate needed
            return Money(target, money.amount).rounded(self._minor_units.get(target, 2)), None
        # The unrounded factor converts; the rounded one is only what is reported.
        factor, used = self._factor(money.currency, target, as_of)
        converted = Money(target, money.amount * factor).rounded(self._minor_units.get(target, 2))
        return converted, used
