"""The checked, lowered rule bundle: what the engine runs and what is hashed.

Pydantic v2 models, frozen, `extra="forbid"`, with tagged unions on `kind`. The IR holds
no source positions, so reformatting a file leaves it (and the bundle hash) unchanged.
Money amounts are `Decimal` (JSON: strings); dates are `date`.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field


class IrModel(BaseModel):
    """Base of every IR model."""

    model_config = ConfigDict(frozen=True, extra="forbid")


# ---- types --------------------------------------------------------------------------------

ScalarKind = Literal["money", "percentage", "integer", "boolean", "date", "country", "enum"]


class ValueType(IrModel):
    """An attribute's type. `values` is the domain of an enum, set or roles type."""

    kind: Literal["money", "percentage", "integer", "boolean", "date", "country", "enum", "set"]
    values: tuple[str, ...] = ()
    roles: bool = False  # a set whose members are roles held by people


# ---- expressions --------------------------------------------------------------------------


class AttrRef(IrModel):
    """The value of a firm-profile attribute (or the built-ins `activity` and `home`)."""

    kind: Literal["attr"] = "attr"
    name: str


class MoneyConst(IrModel):
    """An amount in a currency."""

    kind: Literal["money"] = "money"
    amount: Decimal
    currency: str


class PercentConst(IrModel):
    """A percentage, 0-100."""

    kind: Literal["percent"] = "percent"
    value: Decimal


class IntConst(IrModel):
    """A whole number."""

    kind: Literal["int"] = "int"
    value: int


class BoolConst(IrModel):
    """`true` or `false`."""

    kind: Literal["bool"] = "bool"
    value: bool


class DateConst(IrModel):
    """A calendar date."""

    kind: Literal["date"] = "date"
    value: dt.date


class SymbolConst(IrModel):
    """An enum value, activity or country code."""

    kind: Literal["symbol"] = "symbol"
    value: str


class SetConst(IrModel):
    """A literal set of symbols, in the order written."""

    kind: Literal["set"] = "set"
    values: tuple[str, ...]


class PendingConst(IrModel):
    """A threshold not yet published: any comparison with it is `unknown`."""

    kind: Literal["pending"] = "pending"
    type: ScalarKind
    currency: str | None = None


class Extremum(IrModel):
    """`max(…)` or `min(…)` of amounts: 'the higher of AED 1.5m or 25 % of overheads'."""

    kind: Literal["max", "min"]
    args: tuple[Expr, ...]


class PercentOf(IrModel):
    """`25% of fixed_overheads`."""

    kind: Literal["percent_of"] = "percent_of"
    percent: Decimal
    base: Expr


class Comparison(IrModel):
    """`left op right`."""

    kind: Literal["compare"] = "compare"
    op: Literal["ge", "gt", "le", "lt", "eq", "ne"]
    left: Expr
    right: Expr


class Membership(IrModel):
    """`item in collection`."""

    kind: Literal["in"] = "in"
    item: Expr
    collection: Expr


class SubsetOf(IrModel):
    """`left subset right`."""

    kind: Literal["subset"] = "subset"
    left: Expr
    right: Expr


class ContainsItem(IrModel):
    """`collection contains item`."""

    kind: Literal["contains"] = "contains"
    collection: Expr
    item: Expr


class NotExpr(IrModel):
    """`not operand`."""

    kind: Literal["not"] = "not"
    operand: Expr


class AllOf(IrModel):
    """`a and b and …`."""

    kind: Literal["and"] = "and"
    operands: tuple[Expr, ...]


class AnyOf(IrModel):
    """`a or b or …`."""

    kind: Literal["or"] = "or"
    operands: tuple[Expr, ...]


Expr = Annotated[
    AttrRef
    | MoneyConst
    | PercentConst
    | IntConst
    | BoolConst
    | DateConst
    | SymbolConst
    | SetConst
    | PendingConst
    | Extremum
    | PercentOf
    | Comparison
    | Membership
    | SubsetOf
    | ContainsItem
    | NotExpr
    | AllOf
    | AnyOf,
    Field(discriminator="kind"),
]

COMPARATOR_OPS: dict[str, Literal["ge", "gt", "le", "lt", "eq", "ne"]] = {
    ">=": "ge",
    ">": "gt",
    "<=": "le",
    "<": "lt",
    "==": "eq",
    "!=": "ne",
}

# ---- vocabulary ---------------------------------------------------------------------------


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
    """A provision of an instrument."""

    instrument: str
    provision: str


class Period(IrModel):
    """`[start, end)`; an open end is None."""

    start: dt.date | None = None
    end: dt.date | None = None

    def contains(self, day: dt.date) -> bool:
        """Whether `day` falls in the period."""
        return (self.start is None or self.start <= day) and (self.end is None or day < self.end)


class Regime(IrModel):
    """The legal status of an activity in a jurisdiction during a period."""

    activity: str
    status: Literal["licensed", "prohibited", "no_regime", "enacted"]
    period: Period
    citation: Citation | None = None
    confidence: Confidence = "confirmed"
    note: str | None = None


class Licence(IrModel):
    """A licence a jurisdiction grants."""

    id: str
    title: str
    activities: tuple[str, ...]
    citation: Citation | None = None
    note: str | None = None


class Requirement(IrModel):
    """One requirement, in force during `period`."""

    id: str
    title: str
    category: str
    licences: tuple[str, ...]  # empty: every licence of the jurisdiction
    when: Expr | None = None
    require: Expr
    period: Period
    citation: Citation
    confidence: Confidence
    remedy: str
    blocking: bool = False
    pending: bool = False  # the condition compares against a `pending` threshold
    note: str | None = None


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
    deems: tuple[str, ...]
    keeps: tuple[str, ...]
    notify_within: Duration | None = None
    may_start_after: Duration | None = None
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


class FxRate(IrModel):
    """`price` units of `quote` buy one unit of `base`."""

    base: str
    quote: str
    price: Decimal
    pegged: bool


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
    fx: tuple[FxTable, ...]


_RECURSIVE: tuple[type[IrModel], ...] = (
    Extremum,
    PercentOf,
    Comparison,
    Membership,
    SubsetOf,
    ContainsItem,
    NotExpr,
    AllOf,
    AnyOf,
    Requirement,
    Jurisdiction,
    Bundle,
)
for _model in _RECURSIVE:
    _model.model_rebuild()
