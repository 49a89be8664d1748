"""A case's `transfers`: the bands a host's tiers put given transfer amounts in.

    transfers:
      - amount: {amount: "3500.01", currency: AED}
        demands: {AE-DU-TRAVEL-RULE: [originator_information, beneficiary_information]}

Each listed requirement must be tiered and in force on the case's day, and the band the
amount falls in must demand exactly the names given (in any order).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any

from engine.decisions.tiers import band_for
from engine.errors import EngineError
from engine.inputs.fx import FxBook
from engine.inputs.money import Money, parse_amount
from rulesdsl import ir


def _money(value: Any, where: str) -> Money:
    if not isinstance(value, Mapping) or not {"amount", "currency"} <= set(value):
        raise EngineError('a transfer\'s amount is {amount: "…", currency: CUR}', where)
    try:
        return Money(str(value["currency"]), parse_amount(str(value["amount"])))
    except ArithmeticError:
        raise EngineError(f"{value['amount']!r} is not an amount", where) from None


def check_transfers(
    jurisdiction: ir.Jurisdiction, day: dt.date, fx: FxBook, transfers: Any, where: str
) -> Iterable[str]:
    """A failure message for every transfer whose band demands other than expected."""
    if not isinstance(transfers, list):
        raise EngineError("transfers is a list of {amount, demands}", where)
    for item in transfers:
        if not isinstance(item, Mapping) or not isinstance(item.get("demands"), Mapping):
            raise EngineError("each transfer has an amount and demands", where)
        amount = _money(item.get("amount"), where)
        found = {band.requirement: band for band in band_for(jurisdiction, day, amount, fx)}
        for rid, wanted in item["demands"].items():
            band = found.get(str(rid))
            if band is None:
                yield f"transfer {amount}: {rid} is not a tiered requirement in force"
            elif sorted(band.demands) != sorted(str(d) for d in wanted or ()):
                yield f"transfer {amount}: {rid} demands {list(band.demands)}, expected {wanted}"
