"""What each Travel Rule demand asks of an IVMS101 payload, and which of it a payload lacks.

The rule files name demands by tier (`over AED 3_500 demands [originator_information, …]`,
the names `rulesdsl.check.tiers.DEMANDS` allows); a rule written as a plain threshold on
`travel_rule_threshold` demands the FATF baseline (`BASELINE`). This module is the one
place that says what a demand means in IVMS101 elements: FATF Recommendation 16 and its
Interpretive Note (INR.16) ask for the originator's name and account number and one of
their address, national identity number, customer identification number or date and
place of birth, and for the beneficiary's name and account number. A demand is a list of
groups; a group is met when all its paths are present (`all`) or any one is (`one_of`).
Checks that are not data (verifying the sender, a self-hosted wallet's ownership) are
obligations: named in the answer, never looked for in the payload.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Literal

Party = Literal["originator", "beneficiary"]
PersonKind = Literal["naturalPerson", "legalPerson"]
# Elements of a person, by kind: what "name", "address"… are in IVMS101.
PERSON_ELEMENTS: Mapping[str, Mapping[PersonKind, str]] = {
    "name": {
        "naturalPerson": "name.nameIdentifier[0].primaryIdentifier",
        "legalPerson": "name.nameIdentifier[0].legalPersonName",
    },
    "address": {"naturalPerson": "geographicAddress[0]", "legalPerson": "geographicAddress[0]"},
    "national_identity": {
        "naturalPerson": "nationalIdentification.nationalIdentifier",
        "legalPerson": "nationalIdentification.nationalIdentifier",
    },
    "customer_identification": {
        "naturalPerson": "customerIdentification",
        "legalPerson": "customerNumber",
    },
    # A legal person has no date and place of birth: the alternative is not open to it.
    "date_and_place_of_birth": {"naturalPerson": "dateAndPlaceOfBirth"},
}
_PERSONS: Mapping[Party, str] = {
    "originator": "originator.originatorPersons[0]",
    "beneficiary": "beneficiary.beneficiaryPersons[0]",
}
BASELINE = ("originator_information", "beneficiary_information")
BASELINE_SOURCE = "FATF Recommendation 16 and INR.16"


@dataclass(frozen=True, slots=True)
class Group:
    """Elements of one party a demand asks for: all of them, or one of them."""

    party: Party
    kind: Literal["all", "one_of"]
    elements: tuple[str, ...]  # keys of PERSON_ELEMENTS, or "account"


@dataclass(frozen=True, slots=True)
class Demand:
    """What one demand name asks for: payload groups, or an obligation outside the payload."""

    groups: tuple[Group, ...] = ()
    obligation: str | None = None
    unhosted_only: bool = False  # applies only where the other end is a self-hosted wallet


_ORIGINATOR_ONE_OF = ("address", "national_identity", "customer_identification")
DEMANDS: Mapping[str, Demand] = {
    "originator_information": Demand(
        (
            Group("originator", "all", ("name", "account")),
            Group("originator", "one_of", (*_ORIGINATOR_ONE_OF, "date_and_place_of_birth")),
        )
    ),
    "beneficiary_information": Demand((Group("beneficiary", "all", ("name", "account")),)),
    # Indonesia's basic data: the regulation's own list was not retrieved; the names and
    # accounts of both parties are what every Travel Rule message carries (INR.16).
    "basic_information": Demand(
        (
            Group("originator", "all", ("name", "account")),
            Group("beneficiary", "all", ("name", "account")),
        )
    ),
    # "ID, address, place and date of birth" of the sender and of the recipient.
    "full_originator_information": Demand(
        (
            Group(
                "originator",
                "all",
                ("name", "account", "address", "national_identity", "date_and_place_of_birth"),
            ),
        )
    ),
    "full_beneficiary_information": Demand(
        (
            Group(
                "beneficiary",
                "all",
                ("name", "account", "address", "national_identity", "date_and_place_of_birth"),
            ),
        )
    ),
    "originator_verified": Demand(obligation="verify the originator's information"),
    "wallet_ownership_verified": Demand(
        obligation="verify that the self-hosted wallet is owned or controlled by the client",
        unhosted_only=True,
    ),
}


@dataclass(frozen=True, slots=True)
class Shortfall:
    """A group a payload does not meet: the paths missing (`all`) or the paths of which
    none is present (`one_of`)."""

    demand: str
    kind: Literal["all", "one_of"]
    paths: tuple[str, ...]


@functools.lru_cache(maxsize=1024)  # bounded: the paths are those of the demand table
def _steps(path: str) -> tuple[str | int, ...]:
    """`a.b[0].c` as ("a", "b", 0, "c")."""
    steps: list[str | int] = []
    for part in path.split("."):
        name, _, index = part.partition("[")
        steps.append(name)
        if index:
            steps.append(int(index.rstrip("]")))
    return tuple(steps)


def present(payload: Mapping[str, Any], path: str) -> bool:
    """Whether a valid payload carries the element at `path` (an empty text or list, or an
    empty object, is not carrying it)."""
    value: Any = payload
    for step in _steps(path):
        if isinstance(step, int):
            if not isinstance(value, list) or step >= len(value):
                return False
        elif not isinstance(value, Mapping) or step not in value:
            return False
        value = value[step]
    return value not in ("", None, [], {})


def person_kind(payload: Mapping[str, Any], party: Party) -> PersonKind | None:
    """Whether the party's first person is natural or legal (None: no person given)."""
    persons = payload.get(party, {}).get(f"{party}Persons") or [{}]
    first = persons[0] if isinstance(persons[0], Mapping) else {}
    return next((k for k in ("naturalPerson", "legalPerson") if k in first), None)


def group_paths(group: Group, kind: PersonKind | None) -> tuple[str, ...]:
    """The IVMS101 paths of a group's elements for a person of `kind` (a natural person's
    paths when the payload names no person: what it would need to say)."""
    shown: PersonKind = kind or "naturalPerson"
    paths = []
    for element in group.elements:
        if element == "account":
            paths.append(f"{group.party}.accountNumber[0]")
        elif shown in PERSON_ELEMENTS[element]:
            paths.append(f"{_PERSONS[group.party]}.{shown}.{PERSON_ELEMENTS[element][shown]}")
    return tuple(paths)


def shortfalls(
    demands: Iterable[str], payload: Mapping[str, Any]
) -> tuple[list[tuple[str, Group, tuple[str, ...]]], list[Shortfall]]:
    """For the demands named: every group with its paths, and what the payload lacks."""
    groups: list[tuple[str, Group, tuple[str, ...]]] = []
    missing: list[Shortfall] = []
    kinds = {p: person_kind(payload, p) for p in ("originator", "beneficiary")}
    for name in demands:
        for group in DEMANDS[name].groups:
            paths = group_paths(group, kinds[group.party])
            groups.append((name, group, paths))
            if group.kind == "all":
                lacking = tuple(p for p in paths if not present(payload, p))
                if lacking:
                    missing.append(Shortfall(name, "all", lacking))
            elif not any(present(payload, p) for p in paths):
                missing.append(Shortfall(name, "one_of", paths))
    return groups, missing
