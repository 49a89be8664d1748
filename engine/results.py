"""The answers the engine gives, as pydantic models (JSON via `model_dump_json()`).

Field order is fixed and every list is sorted or kept in rule order, so the same question
gives byte-identical JSON.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal, get_args

from pydantic import BaseModel, ConfigDict, Field

Route = Literal["passport", "local_licence", "unavailable"]
Verdict = Literal["eligible", "conditional", "not_eligible", "incomplete"]
Backend = Literal["fast", "durable"]  # the evaluators a caller may choose
RequirementStatus = Literal["met", "deemed_met", "unmet", "unknown", "not_applicable"]
# Why a requirement is `unknown` (DESIGN §4): the one list every answer draws its reasons from.
ReasonKind = Literal[
    "attribute",  # the profile lacks an attribute the rule reads
    "condition",  # a condition cannot be decided; with `applicability`, the rule's `when`
    "pending_threshold",  # the rule's figure is not published
    "discretion",  # the regulator decides case by case
    "fx_rate",  # no FX rate converts the firm's amount into the rule's currency
    "fatf_status",  # FATF status on a date before the earliest recorded list
    "unbundled_home",  # the home jurisdiction's rules are not in the bundle
    "month_precision",  # a date known only to the month decides it
    "register",  # a fact only a register of firms can give
]
REASON_KINDS: tuple[ReasonKind, ...] = get_args(ReasonKind)
# A country's status on one FATF list on a date: `unknown` before the earliest dated
# evidence the rules record for that list (never "not listed" then).
ListStatus = Literal["listed", "not_listed", "unknown"]
OperatingMode = Literal["cross_border", "branch", "subsidiary"]
OPERATING_MODES: tuple[OperatingMode, ...] = get_args(OperatingMode)


class ResultModel(BaseModel):
    """Base of every result model."""

    model_config = ConfigDict(frozen=True, extra="forbid")


class MoneyOut(ResultModel):
    """An amount with its currency; the amount is a decimal string, never a float."""

    amount: str
    currency: str


class CitationOut(ResultModel):
    """Where a rule comes from."""

    instrument: str
    title: str
    provision: str
    url: str | None = None


class RequiredOut(ResultModel):
    """What a requirement demands of one attribute: `op` (`>=`, `>`, `in`, `includes`, `==`,
    `not`) and the figure, as read (`value`) and, for money, as an amount."""

    op: str
    value: str
    amount: MoneyOut | None = None


class GapOut(ResultModel):
    """One reason a requirement is unmet.

    `shortfall` is the exact amount missing against an inclusive bound (`>=`, `<=`). It is
    null against a strict bound (`>`: "more than X" has no smallest amount to name) and for
    a `lower_bound`: the firm fails a known part of a rule whose revised figure is not
    published, so what it needs is at least the bound shown, and no amount is final.
    """

    attribute: str
    required: RequiredOut
    actual: str
    shortfall: MoneyOut | None = None
    shortfall_value: str | None = None  # percentage points or a count, when not money
    lower_bound: bool = False
    missing_items: list[str] = []


class RatePairOut(ResultModel):
    """An FX rate an answer lacks: from one currency (`from`) to another (`to`)."""

    model_config = ConfigDict(
        frozen=True, extra="forbid", serialize_by_alias=True, validate_by_name=True
    )

    source: str = Field(alias="from")
    target: str = Field(alias="to")


class ReasonOut(ResultModel):
    """Why a requirement is `unknown`: a `kind` from `ReasonKind` and what it concerns.

    `attribute` for `attribute`, `pending_threshold` (the attribute the unpublished figure
    bounds, with the figure's `currency`), `condition`, and "home" for `fatf_status` and
    `unbundled_home` (reasons of the route); `rate` for `fx_rate`; `date` for
    `fatf_status`, `month_precision` and a `condition` on an open deadline (whether the new
    version binds an applicant before that day). `applicability` is true when the reason is
    about the rule's `when` (whether the rule applies at all), not about its requirement.
    """

    kind: ReasonKind
    attribute: str | None = None
    currency: str | None = None
    rate: RatePairOut | None = None
    date: dt.date | None = None
    applicability: bool = False


class HomeRequirementOut(ResultModel):
    """The home requirement that makes a host requirement deemed met."""

    jurisdiction: str
    id: str
    title: str
    citation: CitationOut


class RequirementResult(ResultModel):
    """The status of one host requirement for this firm."""

    id: str
    title: str
    category: str
    status: RequirementStatus
    blocking: bool
    confidence: Literal["confirmed", "medium", "unconfirmed"]
    pending: bool
    missing: list[str]  # attributes the firm can supply to decide an `unknown` line
    reasons: list[ReasonOut]  # why an `unknown` line is unknown; empty otherwise
    gaps: list[GapOut]
    remedy: str
    citation: CitationOut
    effective_from: dt.date | None
    effective_until: dt.date | None
    # "Comply by": on a version with a deadline, the day by which a firm already licensed
    # must meet it; on the version it replaces (effective_until <= deadline), the last day
    # that version still binds such a firm.
    deadline: dt.date | None = None
    deemed_by: list[HomeRequirementOut] = []


class RateOut(ResultModel):
    """An FX rate used in the answer: 1 `source` = `rate` `target`."""

    source: str
    target: str
    rate: str
    table_date: dt.date
    pegged: bool
    origin: str


class FrameworkOut(ResultModel):
    """The framework the question was asked under."""

    id: str
    title: str
    status: Literal["in_force", "proposed", "model"]
    mechanism: Literal["notification", "recognition", "none"]
    proposal_not_law: bool


class FatfListOut(ResultModel):
    """A jurisdiction's status on one FATF list on the answer's date; when `listed`, the
    listing's citation and the day it ends (null: not recorded as ended)."""

    status: ListStatus
    citation: CitationOut | None = None
    until: dt.date | None = None


class FatfStatusOut(ResultModel):
    """The home's FATF status on the answer's date, read for `country` (a child
    jurisdiction such as AE-DU takes its country's, AE). `warning` is set from the day of
    the next plenary after the newest list recorded: the lists may have changed since."""

    country: str
    grey: FatfListOut
    black: FatfListOut
    warning: str | None = None


class Counts(ResultModel):
    """How many requirements have each status."""

    met: int = 0
    deemed_met: int = 0
    unmet: int = 0
    unknown: int = 0


class Decision(ResultModel):
    """The answer to "can this firm operate in `host`, by which route, and what is missing?"."""

    firm: str
    home: str
    home_licence: str
    host: str
    host_name: str
    activity: str
    as_of: dt.date
    framework: FrameworkOut | None
    operating_mode: OperatingMode | None  # as the profile states it; null: not stated
    route: Route
    host_licence: str | None
    verdict: Verdict
    reasons: list[str]
    # What the route could not decide, structured: `fatf_status` (the home's FATF status
    # on `date` is not known from the recorded lists), `unbundled_home` (no rules of the
    # home to read); `attribute` is "home".
    route_reasons: list[ReasonOut]
    home_fatf: FatfStatusOut
    counts: Counts
    requirements: list[RequirementResult]
    fx_rates: list[RateOut]
    rules_hash: str  # the rules used: canonical IR, independent of layout and order
    fx_hash: str  # the FX data converted with: tables, their source and any caller rates
    backend: Literal["fast", "durable", "reference"]


class Decisions(ResultModel):
    """Answers for several hosts (`--to all`)."""

    decisions: list[Decision]


class MatrixCell(ResultModel):
    """What a minimum-compliant home licensee gets in one host."""

    home: str
    host: str
    home_licence: str
    route: Route
    verdict: Verdict
    host_licence: str | None
    unmet: int
    unknown: int
    deemed_met: int
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
    rules_hash: str  # the rules used: canonical IR, independent of layout and order
    fx_hash: str  # the FX data converted with: tables, their source and any caller rates


class MatrixReport(ResultModel):
    """A matrix with the full decision behind each of its cells, in cell order."""

    matrix: MatrixResult
    pairs: list[Decision]


class ComparisonColumn(ResultModel):
    """One column of a comparison: a jurisdiction and the licence its rules are those of.

    `licence` is None for a jurisdiction that does not license the activity (its column is
    empty).
    """

    jurisdiction: str
    licence: str | None


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
    rules_hash: str  # the rules used: canonical IR, independent of layout and order
    fx_hash: str  # the FX data converted with: tables, their source and any caller rates


# The regimes table is served by the HTTP API as it stands: plain models, whose names and
# docstrings are its OpenAPI schema.


class JurisdictionSummary(BaseModel):
    """One row of `GET /v1/jurisdictions`."""

    code: str
    name: str
    currency: str
    regimes: dict[str, str]


class JurisdictionList(BaseModel):
    """`GET /v1/jurisdictions`."""

    as_of: dt.date
    jurisdictions: list[JurisdictionSummary]
