"""FX rates a request brings (`fx: [{from, to, rate, date, source}]`): checked as an `fx`
block of a `--fx FILE` is, turned into FX tables, and priced after every other source.

Like the rates of `--fx FILE`, they only fill what the ECB's reference rates, the bundled
pegs and the server's own `--fx` file leave unpriced (PKR, NGN, KZT, …): a request cannot
replace a published rate. Every rate an answer used is in its `fx_rates`, with its origin
(`request: SOURCE` for these), and the request itself is logged with its rates.
"""

from __future__ import annotations

import datetime as dt
import json
import threading
from collections.abc import Sequence
from decimal import Decimal
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field
from pydantic_core import PydanticCustomError

from engine.bundle import Bundle
from engine.errors import EngineError
from engine.inputs.money import AmountError, parse_amount
from engine.interfaces.api.problems import ErrorCode, Problem, Text, parse_iso_date
from rulesdsl import ir
from rulesdsl.errors import unknown_name
from rulesdsl.ir.rates import link_rates

MAX_RATES = 100  # far more than one question converts with; bounds the tables built
ORIGIN_PREFIX = "request: "
KEPT_BUNDLES = 32  # bundles kept per distinct set of rates (each ≈ 50 ms to build)


class RequestError(EngineError):
    """A request refused for `problems` that no single field model can see (422)."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems_found = problems
        super().__init__("; ".join(f"{path}: {message}" for path, _, message in problems))


def _rate(value: Any) -> Decimal:
    """A rate as an amount is written (digits[.digits], or a whole number), above zero."""
    if isinstance(value, bool) or not isinstance(value, str | int):
        raise ValueError("write a rate as a decimal string such as '280.5'")
    try:
        rate = parse_amount(str(value))
    except AmountError as error:
        raise PydanticCustomError(ErrorCode.INVALID_AMOUNT.value, str(error)) from None
    if rate <= 0:
        raise ValueError("a rate is above zero")
    return rate


def _date(value: Any) -> dt.date:
    if value is None:  # a rate's date is required (elsewhere a missing date means "today")
        raise ValueError("a date is a string YYYY-MM-DD")
    return parse_iso_date(value)  # type: ignore[return-value]


class FxRateIn(BaseModel):
    """One rate: 1 `from` = `rate` `to`, in force from `date` (until a later table's)."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    base: Text = Field(alias="from", max_length=8, description="Currency code, e.g. USD.")
    quote: Text = Field(alias="to", max_length=8, description="Currency code, e.g. PKR.")
    rate: Annotated[Decimal, BeforeValidator(_rate)] = Field(
        description="Units of `to` per unit of `from`: a decimal string, e.g. '280.5'."
    )
    date: Annotated[dt.date, BeforeValidator(_date)] = Field(
        description="YYYY-MM-DD: the rate is in force from this day."
    )
    source: Text = Field(
        min_length=1, max_length=200, description="Where the rate is from (shown as origin)."
    )


def rates_of(logged: Sequence[Any]) -> list[FxRateIn]:
    """The rates of a logged request (`jawaz replay`)."""
    return [FxRateIn.model_validate(entry) for entry in logged]


def tables_of(entries: Sequence[FxRateIn], currencies: frozenset[str]) -> tuple[ir.FxTable, ...]:
    """One FX table per date, each checked as an `fx` block is: known and different
    currencies, each pair once, every rate linked to the table's first base currency.

    Raises:
        RequestError: naming each entry at fault (`fx.3.from`).
    """
    problems: list[Problem] = []
    by_date: dict[dt.date, list[tuple[int, FxRateIn]]] = {}
    for index, entry in enumerate(entries):
        for field, code in (("from", entry.base), ("to", entry.quote)):
            if code not in currencies:
                message = unknown_name("currency", code, currencies)
                problems.append((f"fx.{index}.{field}", ErrorCode.INVALID_VALUE, message))
        if entry.base == entry.quote:
            message = "a rate needs two different currencies"
            problems.append((f"fx.{index}", ErrorCode.INVALID_VALUE, message))
        by_date.setdefault(entry.date, []).append((index, entry))
    for rates in by_date.values():
        problems.extend(_table_problems(rates))
    if problems:
        raise RequestError(problems)
    return tuple(
        ir.FxTable(
            valid_from=day,
            source=ORIGIN_PREFIX + "; ".join(dict.fromkeys(e.source for _, e in rates)),
            rates=tuple(
                ir.FxRate(base=e.base, quote=e.quote, price=e.rate, pegged=False) for _, e in rates
            ),
        )
        for day, rates in sorted(by_date.items())
    )


def _table_problems(rates: list[tuple[int, FxRateIn]]) -> list[Problem]:
    """A table's repeated pairs (E207 in a file) and unlinked rates (E409 in a file)."""
    problems: list[Problem] = []
    seen: dict[frozenset[str], int] = {}
    for index, entry in rates:
        pair = frozenset({entry.base, entry.quote})
        if pair in seen and len(pair) == 2:
            message = (
                f"a rate between {' and '.join(sorted(pair))} on {entry.date} is fx.{seen[pair]}"
            )
            problems.append((f"fx.{index}", ErrorCode.INVALID_VALUE, message))
        seen.setdefault(pair, index)
    graph = link_rates([(e.base, e.quote) for _, e in rates])
    for position in graph.unconnected:
        index, entry = rates[position]
        message = (
            f"the rate between {entry.base} and {entry.quote} is not linked to {graph.pivot}, "
            f"the first `from` currency of the rates dated {entry.date}"
        )
        problems.append((f"fx.{index}", ErrorCode.INVALID_VALUE, message))
    return problems


class RatedBundles:
    """The server's bundle with a request's rates added, kept per distinct set of rates."""

    def __init__(self, bundle: Bundle) -> None:
        self.bundle = bundle
        self._kept: dict[str, Bundle] = {}
        self._lock = threading.Lock()

    def for_rates(self, entries: Sequence[FxRateIn]) -> Bundle:
        """The bundle to answer with: the server's own when the request brings no rates."""
        if not entries:
            return self.bundle
        key = json.dumps([e.model_dump(mode="json", by_alias=True) for e in entries])
        with self._lock:
            found = self._kept.get(key)
        if found is not None:
            return found
        tables = tables_of(entries, self.bundle.profiles.env.currencies)
        own = self.bundle
        built = Bundle(own.ir, own.fx_tables, own.rules_hash, own.name, request_fx=tables)
        with self._lock:
            if len(self._kept) >= KEPT_BUNDLES:  # bounded: rates are the caller's to vary
                self._kept.clear()
            self._kept[key] = built
        return built
