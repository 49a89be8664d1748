"""Pricing the rates in force on a day: every currency in units of its pivot, with the
rates (legs) that price it.

The rates come from several layers (the ECB's day, the bundled pegs, a caller's table), in
that order of precedence: a later layer only prices what an earlier one left unpriced, so
caller rates fill what is missing and never replace the ECB's. Rates are linked by the same
function the checker uses (`rulesdsl.ir.rates.link_rates`), from the first layer's first
base (the euro, on any day the ECB has published): a rate no chain links to it is not
used, as the checker's E409 says of a single table.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Literal, assert_never

from rulesdsl import ir
from rulesdsl.ir.rates import link_rates


@dataclass(frozen=True, slots=True, order=True)
class RateCitation:
    """The instrument a cited peg rests on, resolved for the answer."""

    instrument: str
    title: str
    provision: str
    url: str | None


@dataclass(frozen=True, slots=True, order=True)
class RateLeg:
    """One rate a conversion goes through: `price` units of `quote` per one `base`, dated
    `day` (an ECB publication day, or the date of the table holding it)."""

    base: str
    quote: str
    price: Decimal
    day: dt.date
    pegged: bool
    origin: str  # the source of the table the rate is from
    citation: RateCitation | None = None


@dataclass(frozen=True, slots=True)
class _Priced:
    pivot: str
    per_pivot: Decimal  # units of this currency per one unit of the pivot
    path: tuple[int, ...]  # the legs (indices) that price it from the pivot


@dataclass(frozen=True, slots=True)
class PricedDay:
    """The rates in force on a day, joined: which currencies convert, and how."""

    legs: tuple[RateLeg, ...]
    prices: Mapping[str, _Priced]

    def factor(self, source: str, target: str) -> tuple[Decimal, tuple[RateLeg, ...]] | None:
        """Units of `target` per one `source`, exact, and the legs used; None if unlinked."""
        one, other = self.prices.get(source), self.prices.get(target)
        if one is None or other is None or one.pivot != other.pivot:
            return None
        used = sorted(set(one.path) ^ set(other.path))  # the common route cancels out
        return other.per_pivot / one.per_pivot, tuple(self.legs[i] for i in used)


def price_layers(
    layers: Sequence[ir.FxTable], instruments: Mapping[str, ir.Instrument]
) -> PricedDay:
    """Join the tables of `layers` (highest precedence first) into one priced day."""
    legs = tuple(
        RateLeg(
            rate.base,
            rate.quote,
            rate.price,
            table.valid_from,
            rate.pegged,
            table.source,
            _cited(rate.citation, instruments),
        )
        for table in layers
        for rate in table.rates
    )
    graph = link_rates([(leg.base, leg.quote) for leg in legs])
    prices: dict[str, _Priced] = {}
    if graph.pivot is not None:
        prices[graph.pivot] = _Priced(graph.pivot, Decimal(1), ())
    for link in graph.links:
        _derive(prices, legs, link.index, link.derives)
    return PricedDay(legs, prices)


def _derive(
    prices: dict[str, _Priced],
    legs: Sequence[RateLeg],
    index: int,
    derives: Literal["quote", "base"] | None,
) -> None:
    leg = legs[index]
    match derives:
        case "quote":
            known = prices[leg.base]
            prices[leg.quote] = _Priced(
                known.pivot, known.per_pivot * leg.price, (*known.path, index)
            )
        case "base":
            known = prices[leg.quote]
            prices[leg.base] = _Priced(
                known.pivot, known.per_pivot / leg.price, (*known.path, index)
            )
        case None:
            pass  # both already priced: an earlier layer (or rate) takes precedence
        case unreachable:
            assert_never(unreachable)


def _cited(
    citation: ir.Citation | None, instruments: Mapping[str, ir.Instrument]
) -> RateCitation | None:
    if citation is None:
        return None
    found = instruments.get(citation.instrument)
    return RateCitation(
        instrument=citation.instrument,
        title=found.title if found else citation.instrument,
        provision=citation.provision,
        url=found.url if found else None,
    )
