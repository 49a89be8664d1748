"""Which rates of an FX table join its currencies into one graph, and which cannot.

A table's rates may be quoted against different bases; conversion prices every currency in
units per the table's pivot, its first base currency, by following rates out from the
pivot. A rate whose currencies are not linked to the pivot by any chain of rates can never
be used. The checker reports such rates (E409) and the engine's conversion follows the
same links, so "checks clean" and "converts" cannot disagree.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal


@dataclass(frozen=True, slots=True)
class RateLink:
    """Rate `index` of the table, used to price `derives` from its other currency.

    `derives` is "quote" (the quote is priced from the base), "base" (the other way), or
    None when both currencies were already priced (a redundant rate, closing a cycle).
    """

    index: int
    derives: Literal["quote", "base"] | None


@dataclass(frozen=True, slots=True)
class RateGraph:
    """How a table's rates link to its pivot."""

    pivot: str | None
    links: tuple[RateLink, ...]  # in the order they are applied
    unconnected: tuple[int, ...]  # indices of rates not linked to the pivot


def link_rates(pairs: Sequence[tuple[str, str]]) -> RateGraph:
    """Link `(base, quote)` pairs, in table order, to the first pair's base.

    Passes over the rates in the order written until none links a new currency, so the
    route used to price a currency is the same however often the table is read.
    """
    if not pairs:
        return RateGraph(None, (), ())
    pivot = pairs[0][0]
    priced = {pivot}
    pending = list(range(len(pairs)))
    links: list[RateLink] = []
    progress = True
    while pending and progress:
        progress = False
        for index in list(pending):
            base, quote = pairs[index]
            if base not in priced and quote not in priced:
                continue
            derives: Literal["quote", "base"] | None = None
            if quote not in priced:
                derives = "quote"
            elif base not in priced:
                derives = "base"
            priced.update((base, quote))
            links.append(RateLink(index, derives))
            pending.remove(index)
            progress = True
    return RateGraph(pivot, tuple(links), tuple(pending))
