"""Firm profiles: what an exchange submits, validated against the vocabulary.

The profile model is generated from the bundle's vocabulary (one optional, typed field per
attribute), so a new attribute in `vocabulary.rules` is accepted in profiles at once. A bad
profile is refused with every problem named by its path, e.g.
`attributes.paid_up_capital.currency: unknown currency 'RM'; did you mean 'MYR'?`.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Mapping
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Annotated, Any

import yaml
from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationError,
    create_model,
)

from engine.errors import EngineError
from engine.inputs import derived
from engine.inputs.checks import choice, strict_bool
from engine.inputs.money import Money, parse_amount
from engine.inputs.persons import Person, persons_annotation
from rulesdsl import ir
from rulesdsl.check.countries import country_code_named, iso_country_codes
from rulesdsl.check.currency_names import currency_hint
from rulesdsl.errors import did_you_mean, unknown_name

MAX_PROFILE_BYTES = 256 * 1024
PROFILE_KEYS = (
    "name",
    "home",
    "licence",
    "operating_mode",
    "activities",
    "attributes",
    "in_host",
)
# How the firm means to serve a host (engine.results.OperatingMode): not stated, a passport
# is answered as for cross-border services or a branch.
OPERATING_MODES = ("cross_border", "branch", "subsidiary")

Value = Money | Decimal | int | bool | dt.date | str | frozenset[str] | tuple[Person, ...]


class ProfileError(EngineError):
    """A profile that cannot be used; `problems` lists (path, message) pairs."""

    def __init__(self, problems: list[tuple[str, str]], source: str = "profile") -> None:
        self.problems = problems
        text = "; ".join(f"{path}: {message}" for path, message in problems)
        super().__init__(f"{source}: {text}")


# Far above any real figure, far below Decimal's 28 digits after FX arithmetic.
LARGEST_AMOUNT = Decimal(10) ** 18


def _decimal(value: Any, what: str) -> Decimal:
    if isinstance(value, bool | float):
        raise ValueError(f"write the {what} as a string or a whole number, not {value!r}")
    try:
        number = parse_amount(str(value).strip().removesuffix("%"))
    except InvalidOperation:
        raise ValueError(f"{value!r} is not a number") from None
    if not number.is_finite():
        raise ValueError(f"{value!r} is not a finite number")
    if abs(number) >= LARGEST_AMOUNT:
        raise ValueError(f"{value!r} is larger than any {what} Jawaz accepts (10^18)")
    return number


class MoneyIn(BaseModel):
    """Money as given in a profile: `{amount: "1500000", currency: AED}` or `"AED 1500000"`."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    amount: Decimal
    currency: str


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


def _attribute_annotation(attribute: ir.Attribute, env: _Env) -> Any:
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


class _Env:
    def __init__(self, bundle: ir.Bundle) -> None:
        self.currencies = frozenset(c.code for c in bundle.vocabulary.currencies)
        self.countries = frozenset(iso_country_codes() | {j.code for j in bundle.jurisdictions})
        self.activities = frozenset(a.id for a in bundle.vocabulary.activities)


class Profile(BaseModel):
    """A validated firm profile; `attributes` hold typed values (Money, Decimal, …)."""

    model_config = ConfigDict(frozen=True, arbitrary_types_allowed=True)
    name: str
    home: str
    licence: str
    activities: tuple[str, ...]
    attributes: Mapping[str, Value]
    operating_mode: str | None = None  # one of OPERATING_MODES; None: not stated
    # What differs per host (people resident there, a local office): host code → attributes.
    in_host: Mapping[str, Mapping[str, Value]] = {}
    # Whether the home licence is a licence (`engine.inputs.derived.licence_counts`).
    licence_counts: bool = True

    def facts_for(self, host: str) -> dict[str, Value]:
        """The attributes as they stand for one host: the general ones, then its own, then
        what the home licence says unstated (`engine.inputs.derived`)."""
        facts = dict(self.attributes)
        facts.update(self.in_host.get(host, {}))
        if derived.LICENSED_ELSEWHERE not in facts:
            elsewhere = derived.licensed_elsewhere(self.home, host, self.licence_counts)
            if elsewhere is not None:
                facts[derived.LICENSED_ELSEWHERE] = elsewhere
        return facts

    def canonical(self) -> dict[str, Any]:
        """A JSON-ready form, stable across runs (for hashing and echoing requests); the
        operating mode only where stated, so profiles without one keep their form."""
        found: dict[str, Any] = {
            "name": self.name,
            "home": self.home,
            "licence": self.licence,
            "activities": list(self.activities),
            "attributes": {k: _json_value(self.attributes[k]) for k in sorted(self.attributes)},
            "in_host": {
                host: {k: _json_value(v[k]) for k in sorted(v)}
                for host, v in sorted(self.in_host.items())
            },
        }
        if self.operating_mode is not None:
            found["operating_mode"] = self.operating_mode
        return found


def _json_value(value: Value) -> Any:
    if isinstance(value, Money):
        return {"amount": str(value.amount), "currency": value.currency}
    if isinstance(value, Decimal | dt.date):
        return str(value)
    if isinstance(value, frozenset):
        return sorted(value)
    return [p.as_json() for p in value] if isinstance(value, tuple) else value  # persons


class ProfileSchema:
    """The profile model of one bundle, generated from its vocabulary."""

    def __init__(self, bundle: ir.Bundle) -> None:
        self.bundle = bundle
        self.env = _Env(bundle)
        self.attribute_names = tuple(a.name for a in bundle.vocabulary.attributes)
        # Fields are named field_0, field_1, … with the attribute name as alias, so no
        # attribute name (`model_dump`, `_hidden`) can clash with pydantic's own names.
        self._field_of = {a.name: f"field_{i}" for i, a in enumerate(bundle.vocabulary.attributes)}
        fields: dict[str, Any] = {
            self._field_of[a.name]: (
                _attribute_annotation(a, self.env) | None,
                Field(default=None, alias=a.name),
            )
            for a in bundle.vocabulary.attributes
        }
        self.attributes_model = create_model(
            "ProfileAttributes", __config__=ConfigDict(extra="forbid"), **fields
        )

    def validate(self, data: Any, source: str = "profile") -> Profile:
        """A `Profile` from parsed JSON/YAML data, or `ProfileError` naming every problem."""
        problems: list[tuple[str, str]] = []
        if not isinstance(data, Mapping):
            raise ProfileError(
                [("(top)", "a profile is a mapping with home, licence, activities, attributes")],
                source,
            )
        for key in sorted(set(data) - set(PROFILE_KEYS), key=str):
            problems.append((str(key), unknown_name("field", str(key), PROFILE_KEYS, named=False)))
        home = self._home(data.get("home"), problems)
        licence = self._licence(home, data.get("licence"), problems)
        activities = self._activities(data.get("activities"), problems)
        attributes = self._attributes(data.get("attributes", {}), problems)
        in_host = self._in_host(data.get("in_host"), problems)
        mode = self._mode(data.get("operating_mode"), problems)
        counts = derived.licence_counts(self.bundle, home, licence)
        if not problems and counts:
            problems = derived.contradictions(home, licence, attributes, in_host)
        if problems:
            raise ProfileError(problems, source)
        return Profile(
            name=str(data.get("name") or f"{home} {licence} licensee"),
            home=home,
            licence=licence,
            activities=activities,
            attributes=attributes,
            in_host=in_host,
            operating_mode=mode,
            licence_counts=counts,
        )

    def _home(self, value: Any, problems: list[tuple[str, str]]) -> str:
        """Any ISO 3166-1 alpha-2 country, or a bundled jurisdiction code (AE-DU)."""
        if value is None:
            problems.append(("home", "missing: the jurisdiction whose licence the firm holds"))
        elif not isinstance(value, str):
            problems.append(("home", f"expected a country code such as BH, not {value!r}"))
        elif value not in self.env.countries:
            named = country_code_named(value) if len(value) > 2 else None
            message = (
                f"unknown country code {value!r}; did you mean '{named}'?"
                if named in self.env.countries
                else unknown_name("country code", value, self.env.countries)
            )
            problems.append(("home", f"{message} (an ISO 3166-1 alpha-2 code or a bundled one)"))
        return str(value)

    def _mode(self, value: Any, problems: list[tuple[str, str]]) -> str | None:
        if value is None:
            return None
        if not isinstance(value, str) or value not in OPERATING_MODES:
            problems.append(
                ("operating_mode", unknown_name("operating mode", str(value), OPERATING_MODES))
            )
            return None
        return value

    def _licence(self, home: str, value: Any, problems: list[tuple[str, str]]) -> str:
        jurisdiction = next((j for j in self.bundle.jurisdictions if j.code == home), None)
        if value is None:
            problems.append(("licence", "missing: the licence held in the home jurisdiction"))
        elif not isinstance(value, str):
            problems.append(("licence", f"expected a licence name, not {value!r}"))
        elif jurisdiction is not None:
            ids = {lic.id for lic in jurisdiction.licences}
            if value not in ids:
                hint = (
                    did_you_mean(str(value), ids)
                    or f"{home} licences: {', '.join(sorted(ids)) or 'none'}"
                )
                problems.append(("licence", f"{home} has no licence {value!r}; {hint}"))
        return str(value)

    def _activities(self, value: Any, problems: list[tuple[str, str]]) -> tuple[str, ...]:
        if value is None:
            return ()
        if not isinstance(value, list):
            problems.append(("activities", "expected a list of activities"))
            return ()
        check = choice(self.env.activities, "activity")
        out = []
        for index, item in enumerate(value):
            try:
                out.append(check(item))
            except ValueError as error:
                problems.append((f"activities.{index}", str(error)))
        return tuple(out)

    def _attributes(
        self, value: Any, problems: list[tuple[str, str]], where: str = "attributes"
    ) -> dict[str, Value]:
        if not isinstance(value, Mapping):
            problems.append((where, "expected a mapping of attribute: value"))
            return {}
        for key in sorted(set(value) - set(self.attribute_names), key=str):
            message = unknown_name("attribute", str(key), self.attribute_names, named=False)
            problems.append((f"{where}.{key}", message))
        known = {k: v for k, v in value.items() if k in self.attribute_names and v is not None}
        try:
            model = self.attributes_model.model_validate(known)
        except ValidationError as error:
            for item in error.errors():
                path = ".".join(str(part) for part in (where, *item["loc"]))
                problems.append((path, str(item["msg"]).removeprefix("Value error, ")))
            return {}
        return {
            name: value
            for name in known
            if (value := getattr(model, self._field_of[name])) is not None
        }

    def _in_host(self, value: Any, problems: list[tuple[str, str]]) -> dict[str, dict[str, Value]]:
        if value is None:
            return {}
        if not isinstance(value, Mapping):
            problems.append(("in_host", "expected a mapping of host code: attributes"))
            return {}
        codes = {j.code for j in self.bundle.jurisdictions}
        found: dict[str, dict[str, Value]] = {}
        for host, attributes in value.items():
            if host not in codes:
                message = unknown_name("jurisdiction", str(host), codes, named=False)
                problems.append((f"in_host.{host}", message))
                continue
            found[str(host)] = self._attributes(attributes, problems, f"in_host.{host}")
        return found


def read_profile_data(path: Path) -> Any:
    """Parse a YAML or JSON profile file (size-limited, safe loader)."""
    try:
        if path.stat().st_size > MAX_PROFILE_BYTES:
            raise EngineError(f"profile is larger than {MAX_PROFILE_BYTES:,} bytes", str(path))
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise EngineError("no such file", str(path)) from None
    except (OSError, UnicodeDecodeError) as error:
        raise EngineError(f"cannot read: {error}", str(path)) from None
    try:
        if path.suffix == ".json":
            return json.loads(text)
        return yaml.safe_load(text)
    except (json.JSONDecodeError, yaml.YAMLError) as error:
        raise EngineError(
            f"not valid {'JSON' if path.suffix == '.json' else 'YAML'}: {error}", str(path)
        ) from None
