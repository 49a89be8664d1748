"""Money: a `Decimal` amount with its currency. Never a float."""

from __future__ import annotations

import re
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


# The one written form of an amount: digits, optionally a point and more digits. No grouping
# separators: `300.000,50` (a European 300,000.50) and `3,00,000` (an Indian 300,000) read
# with the separators dropped would be off by a factor of 1000 or silently regrouped.
AMOUNT_FORM = re.compile(r"-?[0-9]+(\.[0-9]+)?")
AMOUNT_HINT = "digits with an optional decimal point and no grouping separators, e.g. '300000.50'"


class AmountError(ValueError):
    """Text that is not an amount in the accepted form."""


def parse_amount(text: str) -> Decimal:
    """A decimal amount from text such as `250000` or `300000.50` (`AmountError` if not)."""
    if AMOUNT_FORM.fullmatch(text) is None:
        raise AmountError(f"{text!r} is not an amount: write {AMOUNT_HINT}")
    return Decimal(text)
