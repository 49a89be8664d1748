"""One requirement against one firm, step by step (`jawaz explain`): the passport's own line
for it, the truth of each part of its condition with the operands read, and how a
framework decided it."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import Field

from engine.results.common import (
    CitationOut,
    Equivalence,
    FrameworkOut,
    FxWarningOut,
    GapOut,
    MoneyOut,
    RateOut,
    ReasonOut,
    RequirementStatus,
    ResultModel,
    Route,
    Treatment,
)
from engine.results.decision import HomeRequirementOut, RequirementResult

# Where an operand's value came from: the firm's profile, worked out by the engine (the
# question's activity and home, a count, a percentage or months of an amount, a max or min),
# the rule itself, or nowhere yet (an attribute not given, a figure not published).
OperandSource = Literal["profile", "derived", "rule", "missing", "pending"]
Truth = Literal["true", "false", "unknown"]


class OperandOut(ResultModel):
    """One operand as the reference evaluator read it: its value in the currency compared
    in (the profile's own figure in `given` where it was converted, with the rate used)."""

    expression: str
    source: OperandSource
    value: str | None  # null: missing or pending
    amount: MoneyOut | None = None
    given: MoneyOut | None = None  # the amount as stated, before conversion
    missing: list[str] = Field(default_factory=list)  # attributes it lacks
    conversions: list[RateOut] = Field(default_factory=list)
    parts: list[OperandOut] = Field(default_factory=list)  # what a computed value was made of


class ConditionStep(ResultModel):
    """The truth of one part of a condition (`and`, `or`, `not`, a comparison, a test) and
    why: its operands, the parts it combines, the gaps of a false test, the reasons of an
    unknown one."""

    kind: str  # the IR node kind: and, or, not, compare, in, subset, contains, attr, …
    expression: str
    truth: Truth
    currency: str | None = None  # the currency a comparison of amounts is made in
    pending: bool = False  # compares against a figure not yet published
    operands: list[OperandOut] = Field(default_factory=list)
    parts: list[ConditionStep] = Field(default_factory=list)
    gaps: list[GapOut] = Field(default_factory=list)
    reasons: list[ReasonOut] = Field(default_factory=list)


class DecidedBy(ResultModel):
    """How the passport decided the line under its framework: the category's treatment,
    and for a deemed line the home rules it rests on (or that the firm breaches) with the
    FX rates the proof converted with; for a waived line the framework's citation."""

    category: str
    treatment: Treatment | None  # null: no passport route, the host rule applies as written
    equivalence: Equivalence | None = None
    deemed_by: list[HomeRequirementOut] = Field(default_factory=list)
    breaches_home: list[HomeRequirementOut] = Field(default_factory=list)
    proof_rates: list[RateOut] = Field(default_factory=list)
    waived_by: CitationOut | None = None


class TierBandOut(ResultModel):
    """One band of a tiered requirement (`up to AED 3,500`) and what a transfer in it must
    carry; `firm_threshold`: the firm's own threshold (the tiers' `policy`), converted into
    the tiers' currency, falls in this band, so it meets the demands of this band's transfers
    from that figure on and of every band above."""

    band: str
    demands: list[str]
    firm_threshold: bool = False


class Explanation(ResultModel):
    """`jawaz explain REQ PROFILE`: one host requirement for one firm, step by step.

    `line` is the passport answer's own line for the requirement (null where the answer
    has none: the rule does not apply, or the route or the licence chosen leaves it out);
    `status` is its status, else `not_applicable`."""

    requirement: str
    title: str
    firm: str
    home: str
    host: str
    host_licence: str | None
    activity: str
    as_of: dt.date
    framework: FrameworkOut | None
    route: Route
    status: RequirementStatus
    line: RequirementResult | None
    effective_from: dt.date | None
    effective_until: dt.date | None
    applies: ConditionStep | None  # the rule's `when`, if it has one
    condition: ConditionStep
    tiers: list[TierBandOut] = Field(default_factory=list)  # empty: not written with tiers
    decided_by: DecidedBy
    citation: CitationOut
    confidence: Literal["confirmed", "medium", "unconfirmed"]
    notes: list[str] = Field(default_factory=list)
    fx_rates: list[RateOut] = Field(default_factory=list)
    fx_warnings: list[FxWarningOut] = Field(default_factory=list)
    rules_hash: str
    fx_hash: str
