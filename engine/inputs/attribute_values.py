"""The values a profile attribute may take, one pydantic annotation per vocabulary type:
money, percentages, whole numbers, booleans, dates, countries, enums, sets and persons."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from decimal import Decimal
from typing import Annotated, Any

from pydantic import AfterValidator, BeforeValidator
from pydantic_core import PydanticCustomError

from engine.inputs.checks import choice, strict_bool
from engine.inputs.money import AmountError, Money, parse_amount
from engine.inputs.persons import persons_annotation
from rulesdsl import ir
from rulesdsl.check.countries import iso_country_codes
from rulesdsl.check.currency_names import currency_hint

# The stable code of an amount not in the accepted form (see docs/guides/http-api.md).
INVALID_AMOUNT = "invalid_amount"

# Far above any real figure, far below Decimal's 28 digits after FX arithmetic.
LARGEST_AMOUNT = Decimal(10) ** 18


def _decimal(value: Any, what: str) -> Decimal:
    if isinstance(value, bool | float):
        raise ValueError(f"write the {what} as a string or a whole number, not {value!r}")
    try:
        number = parse_amount(str(value).strip().removesuffix("%"))
    except AmountError as error:
        # A custom error type: its code reaches the API answer (`_attributes` keeps it).
        raise PydanticCustomError(INVALID_AMOUNT, str(error)) from None
    if not number.is_finite():
        raise ValueError(f"{value!r} is not a finite number")
    if abs(number) >= LARGEST_AMOUNT:
        raise ValueError(f"{value!r} is larger than any {what} Jawaz accepts (10^18)")
    return number


def _currency(currencies: frozenset[str]) -> Callable[[Any], str]:
    def check(value: Any) -> str:
        if not isinstance(value, str) or value not in currencies:
            hint = currency_hint(str(value), currencies)
            raise ValueError(f"unknown currency {value!r}" + (f"; {hint}" if hint else ""))
        return value

    return check


def _money_parser(currencies: frozenset[str]) -> Callable[[Any], Money]:
    check_currency = _currency(currencies)

    def parse(value: Any) -> Money:
        if isinstance(value, str):
            parts = value.split()
            if len(parts) != 2:
                raise ValueError(f"write money as 'CUR amount', e.g. 'MYR 5000000', not {value!r}")
            value = {"currency": parts[0], "amount": parts[1]}
        if not isinstance(value, Mapping):
            raise ValueError("money needs an amount and a currency")
        unknown = set(value) - {"amount", "currency"}
        if unknown or "amount" not in value or "currency" not in value:
            raise ValueError("money is {amount: ..., currency: ...}")
        amount = _decimal(value["amount"], "amount")
        if amount < 0:
            raise ValueError("an amount cannot be negative")
        return Money(check_currency(value["currency"]), amount)

    return parse


def _percentage(value: Any) -> Decimal:
    # A percentage from YAML may be a float (95.5); its shortest repr is the number written.
    number = _decimal(str(value) if isinstance(value, float) else value, "percentage")
    if not Decimal(0) <= number <= Decimal(100):
        raise ValueError(f"{number} is outside 0-100")
    return number


def _whole(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise ValueError(f"expected a whole number, not {value!r}")
    try:
        return int(value)
    except ValueError:
        raise ValueError(f"expected a whole number, not {value!r}") from None


def _set_of(allowed: frozenset[str], what: str) -> Callable[[Any], frozenset[str]]:
    check = choice(allowed, what)

    def parse(value: Any) -> frozenset[str]:
        if not isinstance(value, list | tuple | set | frozenset):
            raise ValueError(f"expected a list of {what}s")
        return frozenset(check(item) for item in value)

    return parse


def attribute_annotation(attribute: ir.Attribute, env: Env) -> Any:
    """The pydantic annotation of one vocabulary attribute's values."""
    kind = attribute.type.kind
    values = frozenset(attribute.type.values)
    table: dict[str, Any] = {
        "money": Annotated[Money, BeforeValidator(_money_parser(env.currencies))],
        "percentage": Annotated[Decimal, BeforeValidator(_percentage)],
        "integer": Annotated[int, BeforeValidator(_whole)],
        "boolean": Annotated[bool, BeforeValidator(strict_bool)],
        "date": dt.date,
        "country": Annotated[str, AfterValidator(choice(env.countries, "country code"))],
        "enum": Annotated[str, BeforeValidator(choice(values, f"{attribute.name} value"))],
        "set": Annotated[
            frozenset[str], BeforeValidator(_set_of(values, f"{attribute.name} value"))
        ],
    }
    return persons_annotation(values) if kind == "persons" else table[kind]


class Env:
    """What attribute values are checked against: the bundle's currencies, countries and
    activities."""

    def __init__(self, bundle: ir.Bundle) -> None:
        self.currencies = frozenset(c.code for c in bundle.vocabulary.currencies)
        self.countries = frozenset(iso_country_codes() | {j.code for j in bundle.jurisdictions})
        self.activities = frozenset(a.id for a in bundle.vocabulary.activities)
