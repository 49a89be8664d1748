"""Money: a `Decimal` amount with its currency. Never a float."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_CEILING, ROUND_HALF_EVEN, Decimal

# Converted amounts are rounded to the target currency's minor units, half to even, so a
# conversion never favours either side; a shortfall is rounded up, so paying exactly the
# stated shortfall always closes the gap.
CONVERSION_ROUNDING = ROUND_HALF_EVEN
SHORTFALL_ROUNDING = ROUND_CEILING


@dataclass(frozen=True, slots=True, order=True)
class Money:
    """An amount in one currency."""

    currency: str
    amount: Decimal

    def __str__(self) -> str:
        return f"{self.currency} {self.amount:,}"

    def rounded(self, minor_units: int, rounding: str = CONVERSION_ROUNDING) -> Money:
        """The amount rounded to `minor_units` decimal places."""
        step = Decimal(1).scaleb(-minor_units)
        return Money(self.currency, self.amount.quantize(step, rounding=rounding))


def parse_amount(text: str) -> Decimal:
    """A decimal amount from text such as `1_500_000`, `1,500,000.50` or `250000`."""
    return Decimal(text.replace("_", "").replace(",", ""))
