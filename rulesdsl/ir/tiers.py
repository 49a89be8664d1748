"""Tiers on a transfer's amount: the bands a requirement's demands depend on.

A band runs from its lower edge to its upper edge; each edge is an amount and whether the
amount itself belongs to the band (`at_or_above B` and `up_to B` include B; `over B` and
`below B` exclude it). The first band has no lower edge (it starts at zero), the last no
upper edge. The checker guarantees the bands are in rising order, in one currency, and that
every amount falls in exactly one band.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Literal

from rulesdsl.ir.expressions import IrModel


class TierEdge(IrModel):
    """A band boundary: `amount` in `currency`; `inclusive` when the amount is in the band."""

    amount: Decimal
    currency: str
    inclusive: bool


class Band(IrModel):
    """One band of a `tiers` block and what a transfer in it must carry or undergo."""

    lower: TierEdge | None  # None: from zero
    upper: TierEdge | None  # None: no upper bound
    demands: tuple[str, ...]

    def contains(self, amount: Decimal) -> bool:
        """Whether `amount` (in the tiers' currency) falls in this band."""
        if self.lower is not None and not (
            amount >= self.lower.amount if self.lower.inclusive else amount > self.lower.amount
        ):
            return False
        return self.upper is None or (
            amount <= self.upper.amount if self.upper.inclusive else amount < self.upper.amount
        )


class Tiers(IrModel):
    """`tiers transfer_amount { … }`: the bands, lowest first, and the firm attribute that
    says from what amount the firm meets the demands (compared with the first boundary)."""

    on: Literal["transfer_amount"] = "transfer_amount"
    policy: str
    bands: tuple[Band, ...]

    @property
    def currency(self) -> str:
        """The currency every boundary is written in."""
        edge = self.bands[0].upper
        assert edge is not None  # the checker requires at least two bands
        return edge.currency

    def band_at(self, amount: Decimal) -> Band:
        """The band `amount` (in `currency`) falls in: exactly one, by construction."""
        return next(band for band in self.bands if band.contains(amount))
