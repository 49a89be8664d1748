"""The passport decision as an answer: one line per host requirement, counts, steps and the
decision itself."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import Field

from engine.results.common import (
    CitationOut,
    Equivalence,
    FatfStatusOut,
    FrameworkOut,
    FxWarningOut,
    GapOut,
    OperatingMode,
    RateOut,
    ReasonOut,
    RequirementStatus,
    ResultModel,
    Route,
    Treatment,
    Verdict,
)


class HomeRequirementOut(ResultModel):
    """A home requirement a host requirement relies on under a deeming framework."""

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
    # Which of `effective_from`, `effective_until` and `deadline` are known only to the
    # month (`from 2025-09`): each such date is its month's first day and stands for the
    # month ("September 2025").
    known_to_month: list[Literal["from", "until", "by"]] = Field(default_factory=list)
    treatment: Treatment | None = None
    equivalence: Equivalence | None = None
    # `deemed_met`: the home rules that imply this one and that the firm does not breach.
    deemed_by: list[HomeRequirementOut] = Field(default_factory=list)
    # `unmet` under deeming: home rules that would imply this one but that the firm's own
    # facts breach, so home supervision cannot stand in ("breaches MY-TRAVEL-RULE").
    breaches_home: list[HomeRequirementOut] = Field(default_factory=list)
    # `waived`: the framework that recognises the home authorisation for it.
    waived_by: CitationOut | None = None
    # A term the regulator sets with each firm (`discretionary "…"`): what is to be agreed.
    # The line is met once the profile lists the requirement in `agreed_with_regulator`.
    discretion: str | None = None


class Counts(ResultModel):
    """How many requirements have each status."""

    met: int = 0
    deemed_met: int = 0
    waived: int = 0
    not_covered: int = 0
    unmet: int = 0
    unknown: int = 0


class StepOut(ResultModel):
    """A step a passported firm takes in place of the host's licence application, with its
    time limit in working or calendar days where the framework sets one."""

    step: str
    days: int | None = None
    unit: Literal["working", "calendar"] | None = None


class AlternativeOut(ResultModel):
    """An alternative route offered beside the full licence's answer, never in its place:
    a sandbox (time-limited) or a transitional route for a firm authorised under the host's
    earlier law, with its own verdict and lines."""

    route: Literal["sandbox", "transitional"]
    licence: str
    title: str
    # sandbox: how long admission lasts ("2 years"); null with `term_pending`: not stated
    term: str | None = None
    term_pending: bool = False
    discretionary: bool  # admission is at the regulator's discretion
    authorised_before: dt.date | None = None  # transitional: firms authorised before this
    ends: dt.date | None = None  # transitional: last day (inclusive); null: not retrieved
    verdict: Verdict
    reasons: list[str]
    counts: Counts
    requirements: list[RequirementResult]
    citation: CitationOut | None


class Decision(ResultModel):
    """The answer to "can this firm operate in `host`, by which route, and what is missing?"."""

    firm: str
    home: str
    home_licence: str
    host: str
    host_name: str
    host_verified_on: dt.date | None  # the day the host's facts were last checked; null: never
    activity: str
    as_of: dt.date
    framework: FrameworkOut | None
    operating_mode: OperatingMode | None  # as the profile states it; null: not stated
    route: Route
    host_licence: str | None
    verdict: Verdict
    reasons: list[str]
    # passport route: the notification instead of an application
    steps: list[StepOut] = Field(default_factory=list)
    # What the route could not decide, structured: `fatf_status` (the home's FATF status
    # on `date` is not known from the recorded lists), `unbundled_home` (no rules of the
    # home to read); `attribute` is "home".
    route_reasons: list[ReasonOut]
    home_fatf: FatfStatusOut
    counts: Counts
    requirements: list[RequirementResult]
    fx_rates: list[RateOut]
    # market rates used that are over 31 days old
    fx_warnings: list[FxWarningOut] = Field(default_factory=list)
    bundle: str  # the rule bundle's name: its folder's name, never a path
    rules_hash: str  # the rules used: canonical IR, independent of layout and order
    fx_hash: str  # the FX data converted with: tables, their source and any caller rates
    backend: Literal["fast", "durable", "reference"]
    # Alternative routes (a sandbox, a transitional route) offered beside the full licence's
    # answer above, never chosen as the answer in its place.
    alternatives: list[AlternativeOut] = Field(default_factory=list)


class Decisions(ResultModel):
    """Answers for several hosts (`--to all`)."""

    decisions: list[Decision]
