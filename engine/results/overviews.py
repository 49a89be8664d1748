"""Answers about many questions at once: the passport matrix, the comparison and the list of
jurisdictions."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Literal, get_args

from pydantic import BaseModel, Field

from engine.results.common import (
    CitationOut,
    FrameworkOut,
    FxWarningOut,
    MoneyOut,
    RateOut,
    ResultModel,
    Route,
    Verdict,
)
from engine.results.decision import (
    Decision,
)
from rulesdsl.ir.model import RegimeStatus


class MatrixCell(ResultModel):
    """What a minimum-compliant home licensee gets in one host."""

    home: str
    host: str
    home_licence: str
    route: Route
    verdict: Verdict
    host_licence: str | None
    unmet: int
    not_covered: int  # host rules on what the home licence does not demand: gaps to close
    unknown: int
    deemed_met: int
    waived: int
    met: int


class MatrixRow(ResultModel):
    """One row of the matrix: a home and one of its licences covering the activity."""

    home: str
    home_licence: str


class MatrixResult(ResultModel):
    """The H → J grid for one activity under one framework.

    A home with several licences covering the activity has one row per licence; its cells
    are told apart by `home_licence`.
    """

    activity: str
    as_of: dt.date
    framework: FrameworkOut | None
    homes: list[str]
    rows: list[MatrixRow]
    hosts: list[str]
    cells: list[MatrixCell]
    fx_rates: list[RateOut]
    # market rates used that are over 31 days old
    fx_warnings: list[FxWarningOut] = Field(default_factory=list)
    bundle: str  # the rule bundle's name: its folder's name, never a path
    rules_hash: str  # the rules used: canonical IR, independent of layout and order
    fx_hash: str  # the FX data converted with: tables, their source and any caller rates

    def grid(self) -> Iterator[tuple[MatrixRow, list[MatrixCell | None]]]:
        """Each row with its cells in host order (None where the pair has no cell: a home
        is not its own host), as every rendering of the matrix lays it out."""
        cells = {(c.home, c.home_licence, c.host): c for c in self.cells}
        for row in self.rows:
            yield row, [cells.get((row.home, row.home_licence, host)) for host in self.hosts]


class MatrixReport(ResultModel):
    """A matrix with the full decision behind each of its cells, in cell order."""

    matrix: MatrixResult
    pairs: list[Decision]
    # Where not empty, each pair lists only the requirements of these categories; verdicts
    # and counts stay those of every requirement.
    categories: list[str] = Field(default_factory=list)

    def of_categories(self, categories: list[str]) -> MatrixReport:
        """This report with each pair's requirements cut down to `categories`."""
        chosen = set(categories)
        pairs = [
            d.model_copy(
                update={"requirements": [r for r in d.requirements if r.category in chosen]}
            )
            for d in self.pairs
        ]
        return self.model_copy(update={"pairs": pairs, "categories": list(categories)})


class ComparisonColumn(ResultModel):
    """One column of a comparison: a jurisdiction and the licence its rules are those of.

    `licence` is None for a jurisdiction that does not license the activity (its column is
    empty).
    """

    jurisdiction: str
    licence: str | None
    verified_on: dt.date | None = None  # the day its facts were last checked; null: never


class ComparisonCell(ResultModel):
    """One jurisdiction's rule on one aligned row."""

    jurisdiction: str
    requirement: str
    title: str
    rule: str
    threshold: MoneyOut | None
    converted: MoneyOut | None
    bound: Literal["minimum", "maximum", ""] = ""  # the threshold is a floor or a ceiling
    mark: Literal["strictest", "loosest", ""]
    # The mark rests on a known floor whose revised figure is pending (it can only rise).
    lower_bound: bool = False
    # Why a threshold cell is not ranked against the others of its row: its figure is
    # pending (with no known floor that settles it), or it has no FX rate to compare with.
    unranked: Literal["", "pending", "no_fx_rate"] = ""
    pending: bool
    confidence: Literal["confirmed", "medium", "unconfirmed"]
    citation: CitationOut


class ComparisonRow(ResultModel):
    """Requirements of several jurisdictions on the same category and attribute."""

    category: str
    attribute: str
    variant: int = 0  # 1, 2, … for a jurisdiction's further rules on the same topic
    cells: list[ComparisonCell | None]  # one per column


class ComparisonResult(ResultModel):
    """Side-by-side requirements for one activity: one column per licence covering it.

    `jurisdictions` are the codes asked about; `columns` (which each row's cells follow)
    give every licence of each, so a jurisdiction may have several columns.
    """

    activity: str
    as_of: dt.date
    currency: str
    jurisdictions: list[str]
    columns: list[ComparisonColumn]
    rows: list[ComparisonRow]
    fx_rates: list[RateOut]
    # market rates used that are over 31 days old
    fx_warnings: list[FxWarningOut] = Field(default_factory=list)
    bundle: str  # the rule bundle's name: its folder's name, never a path
    rules_hash: str  # the rules used: canonical IR, independent of layout and order
    fx_hash: str  # the FX data converted with: tables, their source and any caller rates


# The regimes table is served by the HTTP API as it stands: plain models, whose names and
# docstrings are its OpenAPI schema.


# The regimes table's entry for an activity: the status the rules record on the day, or
# `not_recorded` where they record none.
RegimeEntry = Literal[RegimeStatus, "not_recorded"]
NOT_RECORDED: RegimeEntry = "not_recorded"
REGIME_ENTRIES: tuple[RegimeEntry, ...] = (*get_args(RegimeStatus), NOT_RECORDED)


class JurisdictionSummary(BaseModel):
    """One row of `GET /v1/jurisdictions`."""

    code: str
    name: str
    currency: str
    verified_on: dt.date | None = None  # the day its facts were last checked; null: never
    regimes: dict[str, RegimeEntry] = Field(description="activity → its regime on the day")


class JurisdictionList(BaseModel):
    """`GET /v1/jurisdictions`."""

    as_of: dt.date
    jurisdictions: list[JurisdictionSummary]


class StaleEntry(BaseModel):
    """A jurisdiction, or a requirement with a date of its own, not verified in time."""

    jurisdiction: str
    requirement: str | None = None  # null: the jurisdiction's own date
    verified_on: dt.date | None  # null: never verified
    age_days: int | None  # days from `verified_on` to the as-of date; null: never verified


class StaleList(BaseModel):
    """`jawaz jurisdictions --stale DAYS`: what was not verified within `days` of `as_of`."""

    as_of: dt.date
    days: int
    stale: list[StaleEntry]
