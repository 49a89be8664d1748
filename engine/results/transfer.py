"""The answer to a transfer check (`jawaz transfer`, `POST /v1/transfers`).

For each end of the transfer: the Travel Rule rules applied there (each with the band or
threshold the transfer's value falls in after FX, what it demands, or why that is unknown),
the IVMS101 groups required and those the payload lacks (as IVMS101 paths, or a "one of"
group), the obligations outside the payload, whether the counterparty is a licensed VASP on
the register given, and whether the end allows transfers; for the transfer, whether the
corridor is open and whether the payload is complete for both ends.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from engine.results.common import CitationOut, MoneyOut, RateOut, ReasonOut, ResultModel

# `demands`: the transfer falls in a band (or above a threshold) that asks for data;
# `nothing_demanded`: its band asks for nothing; `unknown`: the figure is not published,
# no FX rate converts the value, or no Travel Rule rule is recorded (see `reasons`).
TransferRuleStatus = Literal["demands", "nothing_demanded", "unknown"]
# Whether the payload carries what the end demands: `unknown` when a rule's answer is.
PayloadStatus = Literal["complete", "incomplete", "unknown"]
CounterpartyStatus = Literal["licensed", "not_licensed", "unhosted", "unknown"]
# The end's regime for transfer services on the day: `not_recorded` when the bundle has none.
RegimeStatus = Literal["licensed", "prohibited", "no_regime", "enacted", "not_recorded"]


class TransferRuleOut(ResultModel):
    """One Travel Rule rule of an end, as it applies to this transfer."""

    requirement: str
    title: str
    status: TransferRuleStatus
    band: str | None = None  # "over AED 3,500", "from MYR 0"
    value: MoneyOut | None = None  # the transfer's value in the rule's currency
    demands: list[str] = []
    confidence: str
    citation: CitationOut
    reasons: list[ReasonOut] = []


class FieldGroupOut(ResultModel):
    """IVMS101 elements a demand asks for: every path (`all`) or any one (`one_of`)."""

    demand: str
    kind: Literal["all", "one_of"]
    paths: list[str]
    requirements: list[str]  # the rules demanding it


class MissingOut(ResultModel):
    """What the payload lacks: one path, or a "one of" group of which none is present."""

    demand: str
    path: str | None = None
    one_of: list[str] = []
    requirements: list[str]


class CounterpartyOut(ResultModel):
    """Whether the end is a VASP licensed on the register of firms given."""

    status: CounterpartyStatus
    firm: str | None = None  # the register's id of the firm found
    until: dt.date | None = None  # the last day of its registration, when it lapsed
    reasons: list[ReasonOut] = []


class EndOut(ResultModel):
    """One end of the transfer under its own jurisdiction's rules."""

    role: Literal["originating", "beneficiary"]
    jurisdiction: str | None
    unhosted: bool
    regime: RegimeStatus
    regime_citation: CitationOut | None = None
    rules: list[TransferRuleOut] = []
    required: list[FieldGroupOut] = []
    missing: list[MissingOut] = []
    obligations: list[str] = []
    payload: PayloadStatus
    counterparty: CounterpartyOut


class TransferCheck(ResultModel):
    """The answer to one transfer."""

    transfer: str | None
    date: dt.date  # the transfer's
    as_of: dt.date  # the day whose rules and rates answer it (default: the transfer's date)
    asset: str
    amount: str
    value: MoneyOut
    corridor: Literal["open", "blocked"]
    # The ends' jurisdictions that prohibit transfer services on the day.
    blocked_by: list[str] = []
    payload: PayloadStatus  # for both ends together
    ends: list[EndOut]
    rates: list[RateOut] = []
    bundle: str
    rules_hash: str
    fx_hash: str
