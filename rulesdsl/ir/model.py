"""The checked, lowered rule bundle: what the engine runs and what is hashed.

Pydantic v2 models, frozen, `extra="forbid"`; the conditions inside requirements are in
`rulesdsl.ir.expressions`. The IR holds
no source positions, so reformatting a file leaves it (and the bundle hash) unchanged.
Money amounts are `Decimal` (JSON: strings); dates are `date`.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Literal

from rulesdsl.ir.expressions import Expr, IrModel
from rulesdsl.ir.tiers import Tiers

# ---- vocabulary ---------------------------------------------------------------------------


class ValueType(IrModel):
    """An attribute's type. `values` is the domain of an enum, set or roles type, and the
    roles domain of a `persons` list (each person: role, residence, nationality, full_time)."""

    kind: Literal[
        "money", "percentage", "integer", "boolean", "date", "country", "enum", "set", "persons"
    ]
    values: tuple[str, ...] = ()
    roles: bool = False  # a set whose members are roles held by people


class Currency(IrModel):
    """A currency and its minor units (the rounding rule for amounts in it)."""

    code: str
    name: str
    minor_units: int


class Term(IrModel):
    """A named item of a closed list: an activity, a category or a body."""

    id: str
    title: str


class Attribute(IrModel):
    """A typed attribute a firm profile may carry."""

    name: str
    type: ValueType
    description: str
    per_host: bool = False  # residents there, an office there: never carried across hosts


class Vocabulary(IrModel):
    """What every jurisdiction's rules are written in."""

    currencies: tuple[Currency, ...]
    activities: tuple[Term, ...]
    categories: tuple[Term, ...]
    bodies: tuple[Term, ...]
    attributes: tuple[Attribute, ...]


# ---- law ----------------------------------------------------------------------------------

Confidence = Literal["confirmed", "medium", "unconfirmed"]


class Instrument(IrModel):
    """A legal instrument that citations point into."""

    id: str
    title: str
    number: str | None = None
    date: dt.date | None = None
    url: str | None = None


class Citation(IrModel):
    """A provision of an instrument, with the address of that provision where the rule gives
    one (an answer falls back to the instrument's)."""

    instrument: str
    provision: str
    url: str | None = None


class Period(IrModel):
    """`[start, end)`; an open end is None."""

    start: dt.date | None = None
    end: dt.date | None = None

    def contains(self, day: dt.date) -> bool:
        """Whether `day` falls in the period."""
        return (self.start is None or self.start <= day) and (self.end is None or day < self.end)


# The legal status of an activity: `enacted` is law made whose details are not published.
RegimeStatus = Literal["licensed", "prohibited", "no_regime", "enacted"]
# How precisely a requirement's date is known: to the day, or only to the month (the IR
# then holds the month's first day). A question dated inside such a month cannot be decided
# by that date.
Precision = Literal["day", "month"]


class Regime(IrModel):
    """The legal status of an activity in a jurisdiction during a period."""

    activity: str
    status: RegimeStatus
    period: Period
    citation: Citation | None = None
    confidence: Confidence = "confirmed"
    note: str | None = None


class TimeSpan(IrModel):
    """How long an alternative route lasts: a number of years or months."""

    amount: int
    unit: Literal["years", "months"]


class Licence(IrModel):
    """A licence a jurisdiction grants."""

    id: str
    title: str
    activities: tuple[str, ...]
    citation: Citation | None = None
    note: str | None = None
    # An alternative route (DESIGN §4), offered beside the full licences, never instead.
    route: Literal["full", "sandbox", "transitional"] = "full"
    term: TimeSpan | None = None  # sandbox: how long; None with a sandbox: pending
    discretionary: bool = False
    authorised_before: dt.date | None = None  # transitional: authorised earlier before this
    ends: dt.date | None = None  # transitional: last day (inclusive); None: pending


class Requirement(IrModel):
    """One requirement, in force during `period`.

    A version with a `deadline` ("comply by D") binds firms already licensed in the host
    from the day after D; until then the previous version of the same id binds them. It
    binds new applicants from `period.start` only where `binds_applicants` says the source
    does so; otherwise which version binds an applicant before D is not known.
    """

    id: str
    title: str
    category: str
    licences: tuple[str, ...]  # empty: every licence of the jurisdiction
    when: Expr | None = None
    require: Expr  # with `tiers`: the firm's policy attribute against the first boundary
    tiers: Tiers | None = None
    period: Period
    deadline: dt.date | None = None
    # `from 2025-09`: the period starts on some day of September 2025 (`period.start` is
    # its first day); likewise the end and the deadline.
    start_precision: Precision = "day"
    end_precision: Precision = "day"
    deadline_precision: Precision = "day"
    binds_applicants: bool = False
    citation: Citation
    confidence: Confidence
    remedy: str
    blocking: bool = False
    pending: bool = False  # the condition compares against a `pending` threshold
    # The attributes `when` and `require` read, in first-use order: recorded at lowering,
    # so that what an outcome depends on is stated once (the explanation memo keys on it).
    reads: tuple[str, ...]
    note: str | None = None
    verified: dt.date | None = None  # its own verification date, overriding the jurisdiction's
    # "The regulator may require more", case by case: a note on the answer, never blocking.
    may_require_more: str | None = None
    # `discretionary "…"`: what the regulator sets with each firm (the condition tests
    # whether the firm's profile records it agreed); the text is the remedy and an open question.
    discretion: str | None = None


class Jurisdiction(IrModel):
    """A jurisdiction with everything its files declare."""

    code: str
    name: str
    currency: str
    authorities: tuple[str, ...]
    memberships: tuple[str, ...]
    regimes: tuple[Regime, ...]
    instruments: tuple[Instrument, ...]
    licences: tuple[Licence, ...]
    requirements: tuple[Requirement, ...]
    note: str | None = None
    verified: dt.date | None = None  # the day its facts were last checked against sources


class Duration(IrModel):
    """A time limit in working or calendar days."""

    days: int
    unit: Literal["working", "calendar"]


class Framework(IrModel):
    """A passport regime between jurisdictions."""

    id: str
    title: str
    status: Literal["in_force", "proposed", "model"]
    members: tuple[str, ...]
    mechanism: Literal["notification", "recognition", "none"]
    activities: tuple[str, ...]  # empty: all
    home_conditions: tuple[str, ...]
    # How the firm may serve the host under the passport (default: cross_border, branch).
    modes: tuple[str, ...] = ("cross_border", "branch")
    # Every requirement category is classed once (the checker holds this): recognised
    # outright, tested for equivalence with the home's rules, or applied by the host.
    waives: tuple[str, ...] = ()
    deems: tuple[str, ...]
    keeps: tuple[str, ...]
    notify_within: Duration | None = None
    starts_at_latest_after: Duration | None = None
    period: Period
    citation: Citation | None = None
    note: str | None = None


class FatfListing(IrModel):
    """A country's period on a FATF list."""

    country: str
    list: Literal["grey", "black"]
    period: Period
    citation: Citation
    note: str | None = None


class FatfLists(IrModel):
    """What the recorded FATF listings say about days with no listing (DESIGN §4).

    From `grey_known_from` (`black_known_from`) the recorded listings of that list are
    complete: a country no listing covers on such a day is not listed. Before it, its
    status is unknown. `lists_may_change_after` is the next plenary after the newest
    recorded list: from that day an answer warns that the lists may have changed.
    """

    grey_known_from: dt.date | None = None
    black_known_from: dt.date | None = None
    lists_may_change_after: dt.date | None = None


class Mou(IrModel):
    """A memorandum of understanding between the supervisors of `parties`."""

    id: str
    parties: tuple[str, ...]
    scope: Literal["vasp_supervision", "aml_cooperation"]
    period: Period
    citation: Citation
    note: str | None = None


class FxRate(IrModel):
    """`price` units of `quote` buy one unit of `base`."""

    base: str
    quote: str
    price: Decimal
    pegged: bool
    citation: Citation | None = None  # a cited peg's instrument and provision


class FxTable(IrModel):
    """Rates valid from `valid_from` until the next table."""

    valid_from: dt.date
    source: str
    rates: tuple[FxRate, ...]


class Bundle(IrModel):
    """Everything the engine needs, checked and self-contained."""

    vocabulary: Vocabulary
    instruments: tuple[Instrument, ...]
    jurisdictions: tuple[Jurisdiction, ...]
    frameworks: tuple[Framework, ...]
    fatf: tuple[FatfListing, ...]
    fatf_lists: FatfLists = FatfLists()
    mous: tuple[Mou, ...] = ()
    fx: tuple[FxTable, ...]


_RECURSIVE: tuple[type[IrModel], ...] = (
    Requirement,
    Jurisdiction,
    Bundle,
)
for _model in _RECURSIVE:
    _model.model_rebuild()
