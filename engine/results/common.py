"""What every answer is made of: the shared literals (routes, verdicts, statuses, reason
kinds), money, citations, gaps, reasons and FX rates, as pydantic models.

Field order is fixed and every list is sorted or kept in rule order, so the same question
gives byte-identical JSON.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any, ClassVar, Literal, Self, get_args

from pydantic import BaseModel, ConfigDict, Field, field_validator

from rulesdsl.ir.ops import Op

Route = Literal["passport", "local_licence", "unavailable"]
Verdict = Literal["eligible", "conditional", "not_eligible", "incomplete"]
Backend = Literal["fast", "durable"]  # the evaluators a caller may choose
RequirementStatus = Literal[
    "met", "deemed_met", "waived", "not_covered", "unmet", "unknown", "not_applicable"
]
# How a passport framework classes a host requirement's category (None: no passport route):
# recognised outright, met where an equivalent home rule is shown, or applied as to a local
# licensee.
Treatment = Literal["waived", "deemed", "kept"]
# For a deemed line that is not met directly: home rules shown to imply it, none shown (the
# host rule applies), or only rules the firm's own facts breach.
Equivalence = Literal["shown", "not_shown", "breached"]
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


# The rule files keep the keys of the research notes they were written from ("[X6]",
# "[T3][T12]", "facts.md §4"): a maintainer's trail back to the evidence, meaningless to a
# reader of an answer or a document, so nothing shown carries them.
_SOURCE_KEYS = re.compile(r"\s*(?:\[[A-Z]{1,2}[0-9]{1,3}\])+|\s*\(facts\.md §[0-9]+\)")
_FACTS_FILE = re.compile(r"facts\.md(?: §[0-9]+)?")


def public_text(text: str) -> str:
    """`text` without research-note keys: "as summarised by X [X6]" → "as summarised by X";
    a mention of the notes file itself becomes "the recorded sources"."""
    return _FACTS_FILE.sub("the recorded sources", _SOURCE_KEYS.sub("", text))


def has_source_key(text: str) -> bool:
    """Whether `text` still carries a research-note key (what `public_text` removes)."""
    return bool(_SOURCE_KEYS.search(text) or _FACTS_FILE.search(text))


class ResultModel(BaseModel):
    """Base of every result model."""

    # Validators are built on first use, not at import: a cold `jawaz passport` never
    # validates most answer models (the engine builds them with `trusted`).
    model_config = ConfigDict(frozen=True, extra="forbid", defer_build=True)
    # Per model: for each combination of field names `trusted` was given (a handful), the
    # set of them and whether they were every field in order. The set is shared by the
    # instances: a frozen model never adds to it, and pydantic copies it on copy.
    _given: ClassVar[dict[tuple[str, ...], tuple[set[str], bool]]] = {}

    @classmethod
    def __pydantic_init_subclass__(cls, **kwargs: Any) -> None:
        super().__pydantic_init_subclass__(**kwargs)
        cls._given = {}

    @classmethod
    def trusted(cls, **fields: Any) -> Self:
        """An instance of fields the engine built, each already of its declared type (never
        input from outside, which goes through validation): nothing is checked or copied.

        Equal to the validated instance and serialized identically: the fields are stored
        in declaration order, those not given taking their defaults. (`model_construct`
        does the same, but in Python per field, and is slower than validating.)
        """
        given = tuple(fields)
        known = cls._given.get(given)
        if known is None:
            known = cls._learn(given)
        fields_set, complete = known
        if not complete:  # some left to their defaults, or given out of order
            fields = cls._in_order(fields)
        instance = cls.__new__(cls)
        setattr_ = object.__setattr__
        setattr_(instance, "__dict__", fields)
        setattr_(instance, "__pydantic_fields_set__", fields_set)
        setattr_(instance, "__pydantic_extra__", None)
        setattr_(instance, "__pydantic_private__", None)
        return instance

    @classmethod
    def _learn(cls, given: tuple[str, ...]) -> tuple[set[str], bool]:
        """Check a combination of names `trusted` is given, and keep what it needs of it.

        Raises:
            TypeError: a name the model does not have, or a required field not given.
        """
        model_fields = cls.model_fields
        unknown = set(given) - set(model_fields)
        required = {n for n, f in model_fields.items() if f.is_required()} - set(given)
        if unknown or required:
            wrong = f"{sorted(unknown)} unknown, {sorted(required)} missing"
            raise TypeError(f"{cls.__name__}: {wrong}")
        known = (set(given), given == tuple(model_fields))
        if len(cls._given) < 64:  # bounded: callers give a few fixed combinations
            cls._given[given] = known
        return known

    @classmethod
    def _in_order(cls, fields: dict[str, Any]) -> dict[str, Any]:
        """Every field in declaration order, those not given taking their defaults."""
        return {
            name: fields[name] if name in fields else info.get_default(call_default_factory=True)
            for name, info in cls.model_fields.items()
        }


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

    @field_validator("title", "provision")
    @classmethod
    def _public(cls, text: str) -> str:
        return public_text(text)


# The operator of a gap: a comparison's (`Op`: `>=`, `>`, `<=`, `<`, `==`, `!=`), membership
# (`in`: the firm's value among those allowed; `includes`: the firm's set holding the items
# required) or `not` (a condition that must not hold).
GAP_OPS: tuple[str, ...] = (*(op.value for op in Op), "in", "includes", "not")


class RequiredOut(ResultModel):
    """What a requirement demands of one attribute: `op` (one of `GAP_OPS`) and the figure,
    as read (`value`) and, for money, as an amount."""

    op: str = Field(json_schema_extra={"enum": list(GAP_OPS)})
    value: str
    amount: MoneyOut | None = None


class ActualOut(ResultModel):
    """What the firm has of the attribute: as read (`value`) and, for money, as an amount."""

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
    actual: ActualOut
    shortfall: MoneyOut | None = None
    shortfall_value: str | None = None  # percentage points or a count, when not money
    lower_bound: bool = False
    missing_items: list[str] = []


class RatePairOut(ResultModel):
    """An FX rate an answer lacks: from one currency (`from`) to another (`to`)."""

    model_config = ConfigDict(
        frozen=True,
        extra="forbid",
        serialize_by_alias=True,
        validate_by_name=True,
        defer_build=True,
    )

    source: str = Field(alias="from")
    target: str = Field(alias="to")


class ReasonOut(ResultModel):
    """Why a requirement is `unknown`: a `kind` from `ReasonKind` and what it concerns.

    `attribute` for `attribute`, `pending_threshold` (the attribute the unpublished figure
    bounds, with the figure's `currency`), `condition`, and "home" for `fatf_status` and
    `unbundled_home` (reasons of the route); `rate` for `fx_rate`; `date` for
    `fatf_status`, a `condition` on an open deadline (whether the new version binds an
    applicant before that day) and `month_precision` (the first day of the month the
    question falls in, the one date of the line's requirement known only to the month);
    `unstated` for a `condition` the source leaves open (its words, from the rule's
    `unstated "…"`). `applicability` is true when the reason is about the rule's `when`
    (whether the rule applies at all), not about its requirement.
    """

    kind: ReasonKind
    attribute: str | None = None
    currency: str | None = None
    rate: RatePairOut | None = None
    date: dt.date | None = None
    unstated: str | None = None
    applicability: bool = False


class RateLegOut(ResultModel):
    """One published rate a conversion went through: 1 `base` = `price` `quote`, dated
    `date` (the ECB publication day used, or the date of the table holding it), with its
    source and, for a cited peg, the instrument fixing it."""

    base: str
    quote: str
    price: str
    date: dt.date
    pegged: bool
    origin: str
    citation: CitationOut | None = None


class RateOut(ResultModel):
    """An FX rate used in the answer: 1 `source` = `rate` `target`.

    `table_date` is the date of the newest market rate among its `legs` (for a conversion
    through pegs alone, the date of the pegs' table); `pegged` says every leg is a peg.
    """

    source: str
    target: str
    rate: str
    table_date: dt.date
    pegged: bool
    origin: str
    legs: list[RateLegOut] = []


class FxWarningOut(ResultModel):
    """A market rate used is older than the as-of date by more than 31 days: `rate` is its
    pair (from `base` to `quote`), `date` its date, `days` its age on the as-of date."""

    kind: Literal["stale_fx_rate"] = "stale_fx_rate"
    rate: RatePairOut
    date: dt.date
    days: int
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
