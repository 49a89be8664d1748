"""IVMS101 payloads (interVASP Messaging Standard 101): their structure, checked.

The structure is declared once, as data (`PAYLOAD`): each element with its IVMS101 name,
its kind (text with a maximum length, a code from an IVMS101 code list, an ISO 3166
country, a date, an object, a list), and whether it must be present. `validate` walks a
payload against it and names every fault by its IVMS101 path
(`originator.originatorPersons[0].naturalPerson.name.nameIdentifier[0].primaryIdentifier`)
with a stable code, so nothing downstream reads an element the standard does not have.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from engine.inputs.text import text_problem
from rulesdsl.check.countries import iso_country_codes

# ---- the code lists of IVMS101 ----------------------------------------------------------

NATURAL_NAME_TYPES = ("ALIA", "BIRT", "MAID", "LEGL", "MISC")
LEGAL_NAME_TYPES = ("LEGL", "SHRT", "TRAD")
ADDRESS_TYPES = ("HOME", "BIZZ", "GEOG")
NATIONAL_IDENTIFIER_TYPES = (
    "ARNU",  # alien registration number
    "CCPT",  # passport number
    "RAID",  # registration authority identifier
    "DRLC",  # driver licence number
    "FIIN",  # foreign investment identity number
    "TXID",  # tax identification number
    "SOCS",  # social security number
    "IDCD",  # identity card number
    "LEIX",  # legal entity identifier
    "MISC",  # unspecified
)


# ---- the element kinds --------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Text:
    """Free text of at most `max_length` characters."""

    max_length: int
    required: bool = False


@dataclass(frozen=True, slots=True)
class Code:
    """One code of an IVMS101 code list."""

    codes: tuple[str, ...]
    required: bool = False


@dataclass(frozen=True, slots=True)
class Country:
    """An ISO 3166-1 alpha-2 country code."""

    required: bool = False


@dataclass(frozen=True, slots=True)
class Date:
    """A date written YYYY-MM-DD."""

    required: bool = False


@dataclass(frozen=True, slots=True)
class Obj:
    """An object with the named elements and no others."""

    fields: Mapping[str, Element]
    required: bool = False


@dataclass(frozen=True, slots=True)
class Many:
    """A list of `item`s: at least one when `required`, at most `max_items`."""

    item: Element
    required: bool = False
    max_items: int = 100


@dataclass(frozen=True, slots=True)
class Choice:
    """An object holding exactly one of the named elements (a person is natural or legal)."""

    choices: Mapping[str, Element]
    required: bool = False


Element = Text | Code | Country | Date | Obj | Many | Choice


@dataclass(frozen=True, slots=True)
class Problem:
    """One fault of a payload: its IVMS101 path, a stable code and a message."""

    path: str
    code: str  # one of CODES
    message: str


CODES = (
    "missing",
    "unknown_field",
    "too_long",
    "invalid_value",
    "invalid_code",
    "invalid_country",
)

# ---- the structure ------------------------------------------------------------------------

_NATIONAL_IDENTIFICATION = Obj(
    {
        "nationalIdentifier": Text(35, required=True),
        "nationalIdentifierType": Code(NATIONAL_IDENTIFIER_TYPES, required=True),
        "countryOfIssue": Country(),
        "registrationAuthority": Text(8),
    }
)
_ADDRESS = Obj(
    {
        "addressType": Code(ADDRESS_TYPES, required=True),
        "department": Text(50),
        "subDepartment": Text(70),
        "streetName": Text(70),
        "buildingNumber": Text(16),
        "buildingName": Text(35),
        "floor": Text(70),
        "postBox": Text(16),
        "room": Text(70),
        "postCode": Text(16),
        "townName": Text(35, required=True),
        "townLocationName": Text(35),
        "districtName": Text(35),
        "countrySubDivision": Text(35),
        "addressLine": Many(Text(70), max_items=7),
        "country": Country(required=True),
    }
)


def _names(identifier: Obj) -> Obj:
    """A person's `name`: its legal names, and the same in local script and phonetically,
    each a list of `identifier` (IVMS101 gives natural and legal persons this one shape)."""
    return Obj(
        {
            "nameIdentifier": Many(identifier, required=True),
            "localNameIdentifier": Many(identifier),
            "phoneticNameIdentifier": Many(identifier),
        },
        required=True,
    )


_NATURAL_NAME_IDENTIFIER = Obj(
    {
        "primaryIdentifier": Text(100, required=True),
        "secondaryIdentifier": Text(100),
        "nameIdentifierType": Code(NATURAL_NAME_TYPES, required=True),
    }
)
_NATURAL_PERSON = Obj(
    {
        "name": _names(_NATURAL_NAME_IDENTIFIER),
        "geographicAddress": Many(_ADDRESS),
        "nationalIdentification": _NATIONAL_IDENTIFICATION,
        "customerIdentification": Text(50),
        "dateAndPlaceOfBirth": Obj(
            {"dateOfBirth": Date(required=True), "placeOfBirth": Text(70, required=True)}
        ),
        "countryOfResidence": Country(),
    }
)
_LEGAL_NAME_IDENTIFIER = Obj(
    {
        "legalPersonName": Text(100, required=True),
        "legalPersonNameIdentifierType": Code(LEGAL_NAME_TYPES, required=True),
    }
)
_LEGAL_PERSON = Obj(
    {
        "name": _names(_LEGAL_NAME_IDENTIFIER),
        "geographicAddress": Many(_ADDRESS),
        "customerNumber": Text(50),
        "nationalIdentification": _NATIONAL_IDENTIFICATION,
        "countryOfRegistration": Country(),
    }
)
_PERSON = Choice({"naturalPerson": _NATURAL_PERSON, "legalPerson": _LEGAL_PERSON})
_ACCOUNTS = Many(Text(100))

PAYLOAD = Obj(
    {
        "originator": Obj({"originatorPersons": Many(_PERSON), "accountNumber": _ACCOUNTS}),
        "beneficiary": Obj({"beneficiaryPersons": Many(_PERSON), "accountNumber": _ACCOUNTS}),
        "originatingVASP": Obj({"originatingVASP": _PERSON}),
        "beneficiaryVASP": Obj({"beneficiaryVASP": _PERSON}),
    },
    required=True,
)


# ---- the walk -----------------------------------------------------------------------------


@dataclass(slots=True)
class _Walk:
    problems: list[Problem] = field(default_factory=list)

    def fault(self, path: str, code: str, message: str) -> None:
        self.problems.append(Problem(path, code, message))

    def element(self, spec: Element, value: Any, path: str) -> None:
        match spec:
            case Text():
                self.text(spec, value, path)
            case Code():
                if not isinstance(value, str) or value not in spec.codes:
                    self.fault(path, "invalid_code", f"not one of {', '.join(spec.codes)}")
            case Country():
                if not isinstance(value, str) or value not in iso_country_codes():
                    self.fault(path, "invalid_country", "not an ISO 3166-1 alpha-2 country code")
            case Date():
                self.date(value, path)
            case Obj():
                self.object(spec.fields, value, path)
            case Many():
                self.many(spec, value, path)
            case Choice():
                self.choice(spec, value, path)

    def text(self, spec: Text, value: Any, path: str) -> None:
        if not isinstance(value, str):
            self.fault(path, "invalid_value", "text expected")
        elif len(value) > spec.max_length:
            self.fault(path, "too_long", f"longer than {spec.max_length} characters")
        elif (problem := text_problem(value)) is not None:
            self.fault(path, "invalid_value", f"text {problem}")

    def date(self, value: Any, path: str) -> None:
        try:
            dt.date.fromisoformat(value if isinstance(value, str) and len(value) == 10 else "")
        except ValueError:
            self.fault(path, "invalid_value", "a date is written YYYY-MM-DD")

    def object(self, fields: Mapping[str, Element], value: Any, path: str) -> None:
        if not isinstance(value, Mapping):
            self.fault(path, "invalid_value", "an object expected")
            return
        prefix = f"{path}." if path else ""
        for name in value:
            if name not in fields:
                self.fault(f"{prefix}{name}", "unknown_field", "not an IVMS101 element here")
        for name, spec in fields.items():
            if name in value:
                self.element(spec, value[name], f"{prefix}{name}")
            elif spec.required:
                self.fault(f"{prefix}{name}", "missing", "required by IVMS101")

    def many(self, spec: Many, value: Any, path: str) -> None:
        if not isinstance(value, list):
            self.fault(path, "invalid_value", "a list expected")
        elif len(value) > spec.max_items:
            self.fault(path, "too_long", f"more than {spec.max_items} items")
        elif spec.required and not value:
            self.fault(path, "missing", "at least one item is required by IVMS101")
        else:
            for index, item in enumerate(value):
                self.element(spec.item, item, f"{path}[{index}]")

    def choice(self, spec: Choice, value: Any, path: str) -> None:
        if not isinstance(value, Mapping):
            self.fault(path, "invalid_value", "an object expected")
            return
        given = [name for name in value if name in spec.choices]
        if len(given) != 1:
            self.fault(path, "invalid_value", f"exactly one of {', '.join(spec.choices)}")
        self.object(spec.choices, value, path)


def validate(payload: Any, path: str = "") -> list[Problem]:
    """Every fault of `payload` against IVMS101, in document order (none: it is valid)."""
    walk = _Walk()
    walk.element(PAYLOAD, payload, path)
    return walk.problems
