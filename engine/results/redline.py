"""What changed between two dates or two revisions of the rules (`jawaz diff`), and which
firms it changes the answer for."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import Field

from engine.results.common import CitationOut, MoneyOut, RequirementStatus, ResultModel, Verdict

# How a requirement changed. A threshold is ranked only in one currency and under the same
# operator; any other difference of the condition (or of its `when`) is `changed`, unranked.
ChangeKind = Literal[
    "added", "removed", "tightened", "loosened", "changed", "re_cited", "re_labelled", "re_dated"
]
CHANGE_KINDS: tuple[ChangeKind, ...] = (
    "added",
    "removed",
    "tightened",
    "loosened",
    "changed",
    "re_cited",
    "re_labelled",
    "re_dated",
)
# Why a threshold that changed is not ranked.
Unranked = Literal["currency", "pending", "direction"]


class ThresholdChangeOut(ResultModel):
    """One figure of a condition, before and after, and which way it moved the rule."""

    attribute: str
    op: str
    before: str
    after: str
    before_amount: MoneyOut | None = None
    after_amount: MoneyOut | None = None
    direction: Literal["tightened", "loosened", "changed"]
    unranked: Unranked | None = None  # why a `changed` figure is not ranked


class RedlineEntry(ResultModel):
    """One requirement that changed in one jurisdiction."""

    jurisdiction: str
    id: str
    title: str
    category: str
    licences: list[str]  # empty: every licence of the jurisdiction
    kinds: list[ChangeKind]
    thresholds: list[ThresholdChangeOut] = Field(default_factory=list)
    condition_before: str | None  # null: not in force before (added)
    condition_after: str | None  # null: not in force after (removed)
    citation_before: CitationOut | None
    citation_after: CitationOut | None
    confidence_before: str | None
    confidence_after: str | None
    effective_before: tuple[dt.date | None, dt.date | None] | None
    effective_after: tuple[dt.date | None, dt.date | None] | None


class ImpactOut(ResultModel):
    """A firm whose answer changes on one requirement in one host (`not_applicable`: no line
    for it on that side)."""

    firm: str
    profile: str  # the profile's file name
    host: str
    activity: str
    requirement: str
    before: RequirementStatus
    after: RequirementStatus
    verdict_before: Verdict
    verdict_after: Verdict


class Redline(ResultModel):
    """A redline: between two dates of one set of rules (`since`, `until`: the versions
    binding a firm already licensed on each day), or between a base revision of the rules
    and the current one (every version, or those binding on `as_of` where given)."""

    mode: Literal["dates", "revisions"]
    since: dt.date | None = None
    until: dt.date | None = None
    base: str | None = None  # the base revision as asked for (a path or a git reference)
    as_of: dt.date | None = None
    jurisdictions: list[str]
    rules_hash_before: str
    rules_hash_after: str
    changes: list[RedlineEntry]
    profiles: int = 0  # how many firm profiles the impact was worked out for
    impact: list[ImpactOut] | None = None  # null: no profiles given
