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

from engine.decisions.catalogue import in_force
from engine.inputs.fx import FxBook, RateUsed
from engine.inputs.money import Money
from rulesdsl import ir
from rulesdsl.ir.tiers import Band


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
