"""Persons lists in profiles: one entry per person and role, validated strictly.

A `persons` attribute (`key_persons`) is a list of mappings, each with the person's
`role` (from the attribute's roles domain), `residence` and `nationality` (ISO 3166-1
alpha-2 countries: a person lives in a country, so a resident of Dubai gives `AE`) and
`full_time` (true or false), and optionally a `name` for explanations. Every problem is
named by its path (`attributes.key_persons.1.residence`), as elsewhere in profiles.

A person's residence is a fact about the person, the same whichever host is asked about,
so a persons list needs no `in_host` entry: a rule compares the residence with the
country it requires (`residence == AE`), where a roles list (`resident_key_persons`)
records "resident in the host" and is therefore given per host.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, create_model

from engine.inputs.checks import choice, strict_bool
from rulesdsl.check.countries import country_code_named, iso_country_codes
from rulesdsl.errors import unknown_name

# The stable code of every problem inside a persons list (see docs/guides/http-api.md).
INVALID_PERSON = "invalid_person"
MAX_PERSONS = 1000  # far above any firm's key persons; bounds the work a profile can ask
MAX_NAME = 200


@dataclass(frozen=True, slots=True)
class Person:
    """One person in one role (a person holding two roles is listed twice)."""

    role: str
    residence: str
    nationality: str
    full_time: bool
    name: str | None = None

    def as_json(self) -> dict[str, Any]:
        """The entry as a profile gives it (canonical: the name only where given)."""
        found: dict[str, Any] = {
            "role": self.role,
            "residence": self.residence,
            "nationality": self.nationality,
            "full_time": self.full_time,
        }
        if self.name is not None:
            found["name"] = self.name
        return found

    def label(self) -> str:
        """How an explanation names the person: the name with the role, else the role."""
        return f"{self.name} ({self.role})" if self.name else self.role

    def described(self) -> str:
        """The person with every field a filter reads: `Ms X (ceo): resident in AE, of GB
        nationality, full-time`."""
        hours = "full-time" if self.full_time else "not full-time"
        return (
            f"{self.label()}: resident in {self.residence}, "
            f"of {self.nationality} nationality, {hours}"
        )


Persons = tuple[Person, ...]


def _country(value: Any) -> str:
    codes = iso_country_codes()
    if isinstance(value, str) and value in codes:
        return value
    text = str(value)
    if "-" in text and text.split("-", 1)[0] in codes:
        country = text.split("-", 1)[0]
        raise ValueError(f"{text!r} is not a country; a person resides in one: write {country!r}")
    named = country_code_named(text) if len(text) > 2 else None
    if named is not None:
        raise ValueError(f"unknown country code {text!r}; did you mean {named!r}?")
    raise ValueError(unknown_name("country code", text, codes) + " (ISO 3166-1 alpha-2)")


def _name(value: Any) -> str:
    if not isinstance(value, str) or not value.strip() or len(value) > MAX_NAME:
        raise ValueError(f"a name is text of 1 to {MAX_NAME} characters")
    return value


FIELDS = ("role", "residence", "nationality", "full_time", "name")
REQUIRED = FIELDS[:4]


def _entry(value: Any) -> Any:
    """A person is a mapping of the known fields, the first four required."""
    if not isinstance(value, Mapping):
        raise ValueError("a person is a mapping {role, residence, nationality, full_time}")
    unknown = sorted(str(key) for key in value if key not in FIELDS)
    if unknown:
        raise ValueError(
            unknown_name("field", unknown[0], FIELDS) + f" (fields: {', '.join(FIELDS)})"
        )
    missing = [key for key in REQUIRED if key not in value]
    if missing:
        raise ValueError(f"missing {', '.join(missing)}")
    return value


def _listed(value: Any) -> Any:
    if not isinstance(value, list | tuple):
        raise ValueError("expected a list of persons, each {role, residence, nationality, ...}")
    if len(value) > MAX_PERSONS:
        raise ValueError(f"more than {MAX_PERSONS} persons")
    return value


def persons_annotation(roles: frozenset[str]) -> Any:
    """The pydantic annotation of a persons attribute whose roles domain is `roles`."""
    role = choice(roles, "role")
    entry = create_model(
        "PersonIn",
        __config__=ConfigDict(extra="forbid", frozen=True),
        role=(Annotated[str, BeforeValidator(role)], ...),
        residence=(Annotated[str, BeforeValidator(_country)], ...),
        nationality=(Annotated[str, BeforeValidator(_country)], ...),
        full_time=(Annotated[bool, BeforeValidator(strict_bool)], ...),
        name=(Annotated[str, BeforeValidator(_name)] | None, None),
    )

    def to_persons(items: tuple[BaseModel, ...]) -> Persons:
        return tuple(Person(**item.model_dump()) for item in items)

    checked = Annotated[entry, BeforeValidator(_entry)]  # type: ignore[valid-type]
    listed = tuple[checked, ...]
    return Annotated[listed, BeforeValidator(_listed), AfterValidator(to_persons)]
