"""IR expressions: the typed conditions and operands every backend evaluates.

Pydantic v2 models, frozen, `extra="forbid"`, a tagged union on `kind`. Operators are
`ops.Op`, serialised as their symbol (`>=`).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated, Literal, assert_never

from pydantic import BaseModel, ConfigDict, Field

from rulesdsl.ir.ops import Extreme, Op


class IrModel(BaseModel):
    """Base of every IR model."""

    model_config = ConfigDict(frozen=True, extra="forbid")


# ---- types --------------------------------------------------------------------------------

ScalarKind = Literal["money", "percentage", "integer", "boolean", "date", "country", "enum"]


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


class Unstated(IrModel):
    """`unstated "…"`: a condition the source leaves open. Its truth is unknown, so it
    decides nothing that the rest of the condition does not already decide; `text` says
    what the source leaves open."""

    kind: Literal["unstated"] = "unstated"
    text: str


class Extremum(IrModel):
    """`max(…)` or `min(…)` of amounts: 'the higher of AED 1.5m or 25 % of overheads'."""

    kind: Extreme
    args: tuple[Expr, ...]


class PercentOf(IrModel):
    """`25% of fixed_overheads`."""

    kind: Literal["percent_of"] = "percent_of"
    percent: Decimal
    base: Expr


class MonthsOf(IrModel):
    """`18 months of monthly_expenditure`: a monthly amount times a whole number of months."""

    kind: Literal["months_of"] = "months_of"
    months: int
    base: Expr


PersonFieldName = Literal["role", "residence", "nationality", "full_time"]
PERSON_FIELDS: tuple[PersonFieldName, ...] = ("role", "residence", "nationality", "full_time")


class PersonField(IrModel):
    """A field of the one person (or role) a `count` filter is testing: only inside `Count`."""

    kind: Literal["field"] = "field"
    name: PersonFieldName


class Count(IrModel):
    """`count(key_persons where residence == AE)`: how many entries of a list pass `where`.

    `of` is a `persons` attribute (one entry per person and role) or a roles list (a `set`
    with `roles`; one entry per distinct role, whose only field is `role`). No filter counts
    every entry. `where` reads the entry's fields (`PersonField`) and constants only.
    """

    kind: Literal["count"] = "count"
    of: AttrRef
    where: Expr | None = None


class Comparison(IrModel):
    """`left op right`.

    `currency` is recorded at lowering for a comparison of amounts: the currency it is
    made in (its first amount's, else its jurisdiction's). Every backend converts into
    it; None for comparisons of other values.
    """

    kind: Literal["compare"] = "compare"
    op: Op
    left: Expr
    right: Expr
    currency: str | None = None

    def currency_or(self, default: str) -> str:
        """The recorded currency, else `default` (the context's: for comparisons of other
        values, where it is not used, and for IR built without lowering)."""
        return self.currency or default


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
    | Unstated
    | Extremum
    | PercentOf
    | MonthsOf
    | PersonField
    | Count
    | Comparison
    | Membership
    | SubsetOf
    | ContainsItem
    | NotExpr
    | AllOf
    | AnyOf,
    Field(discriminator="kind"),
]


_RECURSIVE: tuple[type[IrModel], ...] = (
    Extremum,
    PercentOf,
    MonthsOf,
    Count,
    Comparison,
    Membership,
    SubsetOf,
    ContainsItem,
    NotExpr,
    AllOf,
    AnyOf,
)
for _model in _RECURSIVE:
    _model.model_rebuild()


def multiplier(expr: PercentOf | MonthsOf) -> Decimal:
    """The exact factor a share (`150%` is 1.5) or a number of months (`18`) multiplies by."""
    match expr:
        case PercentOf(percent=percent):
            return percent / 100
        case MonthsOf(months=months):
            return Decimal(months)
        case _:
            assert_never(expr)
