"""Which band of a host's tiers a transfer's amount falls in, and what that band demands.

A requirement written with `tiers transfer_amount { … }` demands different things of
transfers of different amounts (the Travel Rule's data above a threshold, verification
from an amount). `band_for` answers it for one transfer: the amount is converted into the
tiers' currency at the rates in force on the day asked, exactly as a comparison converts a
firm's figure, and placed by the boundaries' own comparisons (`over`, `at_or_above`, …).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from itertools import pairwise
from typing import Literal

from engine.decisions.catalogue import in_force
from engine.inputs.fx import FxBook, RateUsed
from engine.inputs.money import Money
from engine.presentation.describe import describe
from engine.results.redline import ThresholdChangeOut, Unranked
from rulesdsl import ir
from rulesdsl.ir.tiers import Band, TierEdge, Tiers

Direction = Literal["tightened", "loosened", "changed"]


@dataclass(frozen=True, slots=True)
class TierBand:
    """The band one tiered requirement puts a transfer in."""

    requirement: str
    title: str
    confidence: str
    band: Band
    amount: Money  # the transfer's amount in the tiers' currency, rounded to its minor units
    rate: RateUsed | None  # the conversion used, if the transfer was in another currency

    @property
    def demands(self) -> tuple[str, ...]:
        """What a transfer in this band must carry or undergo."""
        return self.band.demands


def tiered_requirements(
    jurisdiction: ir.Jurisdiction, day: dt.date, category: str | None = None
) -> Iterable[ir.Requirement]:
    """The host's requirements in force on `day` that are written with tiers."""
    for requirement in jurisdiction.requirements:
        if requirement.tiers is None or not in_force(requirement.period, day):
            continue
        if category is None or requirement.category == category:
            yield requirement


def band_for(
    jurisdiction: ir.Jurisdiction,
    day: dt.date,
    amount: Money,
    fx: FxBook,
    category: str | None = None,
) -> tuple[TierBand, ...]:
    """For a transfer of `amount` in the host on `day`: each tiered requirement in force
    (of `category`, if given) with the band the amount falls in. Raises `EngineError` when no
    rate converts the amount into a tiers' currency on that day."""
    found: list[TierBand] = []
    for requirement in tiered_requirements(jurisdiction, day, category):
        tiers = requirement.tiers
        assert tiers is not None
        converted, rate = fx.convert(amount, tiers.currency, day)
        found.append(
            TierBand(
                requirement=requirement.id,
                title=requirement.title,
                confidence=requirement.confidence,
                band=tiers.band_at(converted.amount),
                amount=converted,
                rate=rate,
            )
        )
    return tuple(found)


def _edge_text(edge: TierEdge, lower: bool) -> str:
    shown = describe(ir.MoneyConst(amount=edge.amount, currency=edge.currency))
    if lower:
        return f"at or above {shown}" if edge.inclusive else f"over {shown}"
    return f"up to {shown}" if edge.inclusive else f"below {shown}"


def band_text(band: Band) -> str:
    """A band in the words its tiers are written in: `up to AED 3,500`, `over AED 3,500`."""
    edges = [_edge_text(band.lower, True)] if band.lower is not None else []
    edges += [_edge_text(band.upper, False)] if band.upper is not None else []
    return " and ".join(edges)


def tiers_text(tiers: Tiers) -> str:
    """Every band with what it demands, lowest first."""
    return "; ".join(
        f"{band_text(band)}: {', '.join(band.demands) or 'nothing'}" for band in tiers.bands
    )


def _probes(before: Tiers, after: Tiers) -> list[Decimal]:
    """Amounts that meet every band of both tiers: zero, each boundary, a point between
    each two and one past the last (the demands are constant between boundaries)."""
    edges = sorted(
        {e.amount for t in (before, after) for b in t.bands for e in (b.lower, b.upper) if e}
    )
    between = [(a + b) / 2 for a, b in pairwise(edges)]
    return [Decimal(0), *edges, *between, edges[-1] + 1]


def tier_change(before: Tiers, after: Tiers) -> ThresholdChangeOut | None:
    """How revised tiers moved the rule: `tightened` when every transfer is demanded at
    least what it was and some more, `loosened` the reverse, `changed` when some demand
    more and some less (or the currency changed: a conversion would rank by a rate); None
    when every amount is demanded the same."""
    shown = {"attribute": "transfer_amount", "op": "tiers"}
    text = {"before": tiers_text(before), "after": tiers_text(after)}
    if before.currency != after.currency:
        return ThresholdChangeOut.trusted(**shown, **text, direction="changed", unranked="currency")
    more = less = False
    for amount in _probes(before, after):
        old = set(before.band_at(amount).demands)
        new = set(after.band_at(amount).demands)
        more, less = more or bool(new - old), less or bool(old - new)
    if not (more or less):
        return None
    direction: Direction = "changed" if more and less else "tightened" if more else "loosened"
    unranked: Unranked | None = "direction" if direction == "changed" else None
    return ThresholdChangeOut.trusted(**shown, **text, direction=direction, unranked=unranked)
