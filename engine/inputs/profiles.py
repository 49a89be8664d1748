"""Firm profiles: what an exchange submits, validated against the vocabulary.

The profile model is generated from the bundle's vocabulary (one optional, typed field per
attribute), so a new attribute in `vocabulary.rules` is accepted in profiles at once. A bad
profile is refused with every problem named by its path, e.g.
`attributes.paid_up_capital.currency: unknown currency 'RM'; did you mean 'MYR'?`.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, create_model

from engine.errors import EngineError
from engine.inputs import derived
from engine.inputs.agreements import FIELD as AGREEMENTS
from engine.inputs.agreements import discretionary_ids, read_agreements
from engine.inputs.attribute_values import (
    INVALID_AMOUNT,
    LARGEST_AMOUNT,
    Env,
    attribute_annotation,
)
from engine.inputs.checks import choice
from engine.inputs.money import Money
from engine.inputs.persons import INVALID_PERSON, MAX_NAME, Person
from engine.inputs.text import text_problems
from rulesdsl import ir
from rulesdsl.check.countries import country_code_named
from rulesdsl.errors import did_you_mean, unknown_name

__all__ = [
    "INVALID_AMOUNT",
    "INVALID_PERSON",
    "INVALID_TEXT",
    "LARGEST_AMOUNT",
    "MAX_PROFILE_BYTES",
    "OPERATING_MODES",
    "Profile",
    "ProfileError",
    "ProfileSchema",
    "Value",
    "read_profile_data",
]

MAX_PROFILE_BYTES = 256 * 1024
PROFILE_KEYS = (
    "name",
    "home",
    "licence",
    "operating_mode",
    "activities",
    "attributes",
    "in_host",
    "agreed_with_regulator",
)
# How the firm means to serve a host (engine.results.OperatingMode): not stated, a passport
# is answered as for cross-border services or a branch.
OPERATING_MODES = ("cross_border", "branch", "subsidiary")

Value = Money | Decimal | int | bool | dt.date | str | frozenset[str] | tuple[Person, ...]


# The stable code of text refused by `engine.inputs.text` (see docs/guides/http-api.md).
INVALID_TEXT = "invalid_text"


class ProfileError(EngineError):
    """A profile that cannot be used; `problems` lists (path, message) pairs, and `codes`
    the stable code of those paths whose problem has one."""

    def __init__(
        self,
        problems: list[tuple[str, str]],
        source: str = "profile",
        codes: Mapping[str, str] | None = None,
    ) -> None:
        self.problems = problems
        self.codes = dict(codes or {})
        text = "; ".join(f"{path}: {message}" for path, message in problems)
        super().__init__(f"{source}: {text}")


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
    # The requirements whose discretionary terms the firm has agreed with their regulator.
    agreed_with_regulator: frozenset[str] = frozenset()

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
        if self.agreed_with_regulator:
            found["agreed_with_regulator"] = sorted(self.agreed_with_regulator)
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
        self.env = Env(bundle)
        self.attribute_names = tuple(a.name for a in bundle.vocabulary.attributes)
        self._persons = frozenset(
            a.name for a in bundle.vocabulary.attributes if a.type.kind == "persons"
        )
        every_id = frozenset(r.id for j in bundle.jurisdictions for r in j.requirements)
        self._agreeable = (discretionary_ids(bundle), every_id)
        # Fields are named field_0, field_1, … with the attribute name as alias, so no
        # attribute name (`model_dump`, `_hidden`) can clash with pydantic's own names.
        self._field_of = {a.name: f"field_{i}" for i, a in enumerate(bundle.vocabulary.attributes)}
        fields: dict[str, Any] = {
            self._field_of[a.name]: (
                attribute_annotation(a, self.env) | None,
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
        # Text first, and alone: no later check echoes a string that cannot be encoded.
        bad_text = list(text_problems(data))
        if bad_text:
            raise ProfileError(bad_text, source, {path: INVALID_TEXT for path, _ in bad_text})
        codes: dict[str, str] = {}
        for key in sorted(set(data) - set(PROFILE_KEYS), key=str):
            problems.append((str(key), unknown_name("field", str(key), PROFILE_KEYS, named=False)))
        home = self._home(data.get("home"), problems)
        licence = self._licence(home, data.get("licence"), problems)
        activities = self._activities(data.get("activities"), problems)
        attributes = self._attributes(data.get("attributes", {}), problems, codes)
        in_host = self._in_host(data.get("in_host"), problems, codes)
        mode = self._mode(data.get("operating_mode"), problems)
        name = self._name(data.get("name"), problems)
        agreed = read_agreements(data.get(AGREEMENTS), *self._agreeable, problems)
        counts = derived.licence_counts(self.bundle, home, licence)
        if not problems and counts:
            problems = derived.contradictions(home, licence, attributes, in_host)
        if problems:
            raise ProfileError(problems, source, codes)
        return Profile(
            name=name or f"{home} {licence} licensee",
            home=home,
            licence=licence,
            activities=activities,
            attributes=attributes,
            in_host=in_host,
            operating_mode=mode,
            licence_counts=counts,
            agreed_with_regulator=agreed,
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

    def _name(self, value: Any, problems: list[tuple[str, str]]) -> str | None:
        if value is None or value == "":
            return None
        if not isinstance(value, str) or len(value) > MAX_NAME:
            problems.append(("name", f"a name is text of 1 to {MAX_NAME} characters"))
            return None
        return value

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
        self,
        value: Any,
        problems: list[tuple[str, str]],
        codes: dict[str, str],
        where: str = "attributes",
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
                if item["type"] == INVALID_AMOUNT:
                    codes[path] = INVALID_AMOUNT
                elif item["loc"] and item["loc"][0] in self._persons:
                    codes[path] = INVALID_PERSON  # one code for any fault in a persons list
            return {}
        return {
            name: value
            for name in known
            if (value := getattr(model, self._field_of[name])) is not None
        }

    def _in_host(
        self, value: Any, problems: list[tuple[str, str]], codes: dict[str, str]
    ) -> dict[str, dict[str, Value]]:
        if value is None:
            return {}
        if not isinstance(value, Mapping):
            problems.append(("in_host", "expected a mapping of host code: attributes"))
            return {}
        hosts = {j.code for j in self.bundle.jurisdictions}
        found: dict[str, dict[str, Value]] = {}
        for host, attributes in value.items():
            if host not in hosts:
                message = unknown_name("jurisdiction", str(host), hosts, named=False)
                problems.append((f"in_host.{host}", message))
                continue
            found[str(host)] = self._attributes(attributes, problems, codes, f"in_host.{host}")
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
