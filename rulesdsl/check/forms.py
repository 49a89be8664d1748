"""The value forms, labels and spec records that the structure table (`schema.py`) is made of."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum


class Form(StrEnum):
    """The shape of a field's value."""

    STRING = "text"  # "…"
    SYMBOL = "name"  # a name from a namespace or a fixed set of options
    SYMBOLS = "list of names"  # [a, b]
    STRINGS = "list of texts"  # ["…", "…"]
    DATE = "date"  # 2026-05-20
    DATE_OR_MONTH = "date or month"  # 2026-05-20, 2026-05
    BOOLEAN = "true or false"
    INTEGER = "whole number"
    CONDITION = "condition"  # an expression that is true or false
    CITATION = "citation"  # INSTRUMENT "provision"
    URL = "web address"  # "https://…": http or https, no spaces
    TYPE = "type"  # money | enum [a, b] | …
    RATE = "exchange rate"  # MYR 4.2150 per USD
    DURATION = "duration"  # 10 working days
    TERM = "time span or pending"  # 2 years, 6 months, pending
    DATE_OR_PENDING = "date or pending"  # 2026-07-01, pending
    TIER = "tier"  # AED 3_500 demands [originator_information]


class Label(StrEnum):
    """What follows a block's kind keyword."""

    NONE = "none"
    NAME = "name"
    DATE = "date"


@dataclass(frozen=True, slots=True)
class FieldSpec:
    """One field a block may hold."""

    form: Form
    doc: str
    required: bool = False
    namespace: str | None = None  # symbol table a SYMBOL(S) value must name
    options: tuple[str, ...] = ()  # closed set of words, instead of a namespace
    repeatable: bool = False


@dataclass(frozen=True, slots=True)
class BlockSpec:
    """One block kind."""

    kind: str
    label: Label
    parents: tuple[str | None, ...]  # None = top level of a file
    doc: str
    fields: Mapping[str, FieldSpec] = field(default_factory=dict)
    label_namespace: str | None = None  # the label names a member of this namespace
