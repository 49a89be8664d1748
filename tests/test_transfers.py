"""`jawaz transfer` and `POST /v1/transfers`: Travel Rule demands at both ends, the IVMS101
paths missing, registers and corridors, through the real CLI and the real server."""

from __future__ import annotations

import copy
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from jawaz_cli import REPO, jawaz
from test_api import Server, serving

from engine.decisions.travel_fields import DEMANDS
from rulesdsl.check.tiers import DEMANDS as TIER_DEMANDS

EXAMPLES = REPO / "examples" / "transfers"
ORIGINATOR = "originator.originatorPersons[0].naturalPerson"
ONE_OF = [
    f"{ORIGINATOR}.geographicAddress[0]",
    f"{ORIGINATOR}.nationalIdentification.nationalIdentifier",
    f"{ORIGINATOR}.customerIdentification",
    f"{ORIGINATOR}.dateAndPlaceOfBirth",
]


def _check(name: str, *extra: str) -> tuple[int, dict[str, Any]]:
    result = jawaz("transfer", str(EXAMPLES / name), "--format", "json", *extra)
    return result.returncode, json.loads(result.stdout)


def _end(answer: dict[str, Any], role: str) -> dict[str, Any]:
    return next(e for e in answer["ends"] if e["role"] == role)


def _rule(end: dict[str, Any], requirement: str) -> dict[str, Any]:
    return next(r for r in end["rules"] if r["requirement"] == requirement)


def _missing(end: dict[str, Any]) -> list[tuple[str | None, list[str], list[str]]]:
    return [(m["path"], m["one_of"], m["requirements"]) for m in end["missing"]]


def test_every_demand_a_tier_may_name_has_a_meaning() -> None:
    assert set(DEMANDS) == set(TIER_DEMANDS)


def test_a_complete_my_pk_payload_is_complete_and_pakistan_threshold_unknown() -> None:
    status, answer = _check("my-pk-complete.json")
    assert status == 0
    assert (answer["corridor"], answer["payload"]) == ("open", "complete")
    malaysia, pakistan = _end(answer, "originating"), _end(answer, "beneficiary")
    assert _rule(malaysia, "MY-TRAVEL-RULE")["status"] == "demands"
    assert malaysia["missing"] == [] and pakistan["missing"] == []
    pk = _rule(pakistan, "PK-TRAVEL-RULE")
    assert pk["status"] == "unknown"
    assert [(r["kind"], r["attribute"], r["currency"]) for r in pk["reasons"]] == [
        ("pending_threshold", "travel_rule_threshold", "PKR")
    ]
    assert pakistan["payload"] == "complete"  # carrying the baseline meets any threshold
    assert pakistan["counterparty"]["status"] == "unknown"
    assert [r["kind"] for r in pakistan["counterparty"]["reasons"]] == ["register"]


def test_an_incomplete_my_pk_payload_names_the_missing_paths_and_rules() -> None:
    status, answer = _check("my-pk-incomplete.json")
    assert status == 1
    malaysia, pakistan = _end(answer, "originating"), _end(answer, "beneficiary")
    assert _missing(malaysia) == [
        (None, ONE_OF, ["MY-TRAVEL-RULE"]),
        ("beneficiary.accountNumber[0]", [], ["MY-TRAVEL-RULE"]),
    ]
    assert malaysia["payload"] == "incomplete"
    assert _missing(pakistan) == [
        (None, ONE_OF, ["PK-TRAVEL-RULE"]),
        ("beneficiary.accountNumber[0]", [], ["PK-TRAVEL-RULE"]),
    ]
    assert pakistan["payload"] == "unknown"  # whether PVARA demands it is not known
    assert answer["payload"] == "incomplete"


@pytest.mark.parametrize(
    ("below", "above", "requirement", "demands_below", "demands_above"),
    [
        (
            "ae-du-below.json",
            "ae-du-above.json",
            "AE-DU-TRAVEL-RULE",
            [],
            ["originator_information", "beneficiary_information"],
        ),
        (
            "tr-below.json",
            "tr-above.json",
            "TR-TRAVEL-RULE",
            ["originator_information", "beneficiary_information"],
            ["originator_information", "beneficiary_information", "originator_verified"],
        ),
        (
            "id-below.json",
            "id-above.json",
            "ID-TRAVEL-RULE",
            ["basic_information"],
            ["basic_information", "full_originator_information", "full_beneficiary_information"],
        ),
        (
            "eu-unhosted-below.json",
            "eu-unhosted-above.json",
            "EU-SELF-HOSTED",
            [],
            ["wallet_ownership_verified"],
        ),
    ],
)
def test_either_side_of_a_threshold_gets_different_demands(
    below: str, above: str, requirement: str, demands_below: list[str], demands_above: list[str]
) -> None:
    _, low = _check(below)
    _, high = _check(above)
    assert _rule(_end(low, "originating"), requirement)["demands"] == demands_below
    assert _rule(_end(high, "originating"), requirement)["demands"] == demands_above


def test_indonesia_above_usd_1000_wants_the_beneficiary_s_identity() -> None:
    status, answer = _check("id-above.json")
    assert status == 1
    paths = [m["path"] for m in _end(answer, "originating")["missing"]]
    assert paths == [
        f"{ORIGINATOR}.dateAndPlaceOfBirth",
        "beneficiary.beneficiaryPersons[0].naturalPerson.geographicAddress[0]",
        "beneficiary.beneficiaryPersons[0].naturalPerson.nationalIdentification.nationalIdentifier",
        "beneficiary.beneficiaryPersons[0].naturalPerson.dateAndPlaceOfBirth",
    ]


def test_the_register_decides_the_counterparty() -> None:
    register = str(EXAMPLES / "register.yaml")
    status, answer = _check("my-pk-complete.json", "--register", register)
    assert _end(answer, "originating")["counterparty"]["status"] == "licensed"
    lapsed = _end(answer, "beneficiary")["counterparty"]
    assert (lapsed["status"], lapsed["firm"], lapsed["until"]) == (
        "not_licensed",
        "PK-VASP-017",
        "2026-03-31",
    )
    assert status == 1
    _, earlier = _check("my-pk-complete.json", "--register", register, "--as-of", "2026-01-15")
    assert _end(earlier, "beneficiary")["counterparty"]["status"] == "licensed"
    assert earlier["as_of"] == "2026-01-15"


def _bad(tmp_path: Path, change: Any) -> list[str]:
    data = json.loads((EXAMPLES / "my-pk-complete.json").read_text())
    change(data)
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(data))
    result = jawaz("transfer", str(path))
    assert result.returncode == 2
    return [
        line.split(": error[")[0] + " " + line.split("[")[-1].split("]")[0]
        for line in result.stderr.splitlines()
    ]


def _person(data: dict[str, Any]) -> dict[str, Any]:
    person: dict[str, Any] = data["ivms101"]["originator"]["originatorPersons"][0]["naturalPerson"]
    return person


def test_bad_payloads_are_named_by_ivms101_path_and_code(tmp_path: Path) -> None:
    assert _bad(tmp_path, lambda d: _person(d).update(nickname="x")) == [
        f"ivms101.{ORIGINATOR}.nickname unknown_field"
    ]

    def long_name(data: dict[str, Any]) -> None:
        _person(data)["name"]["nameIdentifier"][0].update(primaryIdentifier="x" * 101)

    assert _bad(tmp_path, long_name) == [
        f"ivms101.{ORIGINATOR}.name.nameIdentifier[0].primaryIdentifier too_long"
    ]
    assert _bad(tmp_path, lambda d: _person(d).update(countryOfResidence="XX")) == [
        f"ivms101.{ORIGINATOR}.countryOfResidence invalid_country"
    ]
    bad_type = lambda d: _person(d)["name"]["nameIdentifier"][0].update(nameIdentifierType="NICK")  # noqa: E731
    assert _bad(tmp_path, bad_type) == [
        f"ivms101.{ORIGINATOR}.name.nameIdentifier[0].nameIdentifierType invalid_code"
    ]
    assert _bad(tmp_path, lambda d: d["value"].update(amount=1000.5)) == [
        "value.amount invalid_amount"
    ]
    assert _bad(tmp_path, lambda d: d.update(amount="-5")) == ["amount invalid_amount"]


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    with serving(tmp_path_factory.mktemp("transfers") / "log.sqlite3") as running:
        yield running


def _post(server: Server, body: dict[str, Any]) -> httpx.Response:
    return httpx.post(f"{server.url}/v1/transfers", json=body, timeout=30)


def test_the_api_answers_as_the_cli(server: Server) -> None:
    transfer = json.loads((EXAMPLES / "my-pk-incomplete.json").read_text())
    register = {"firms": [{"id": "MY-DAX-001", "jurisdiction": "MY"}]}
    response = _post(server, {"transfer": transfer, "register": register})
    assert response.status_code == 200
    answer = response.json()
    assert _missing(_end(answer, "originating")) == [
        (None, ONE_OF, ["MY-TRAVEL-RULE"]),
        ("beneficiary.accountNumber[0]", [], ["MY-TRAVEL-RULE"]),
    ]
    assert _end(answer, "originating")["counterparty"]["status"] == "licensed"
    assert _end(answer, "beneficiary")["counterparty"]["status"] == "not_licensed"
    _, cli = _check("my-pk-incomplete.json")
    assert _end(cli, "beneficiary")["rules"] == _end(answer, "beneficiary")["rules"]


def test_the_api_separates_the_ae_du_threshold(server: Server) -> None:
    below = json.loads((EXAMPLES / "ae-du-below.json").read_text())
    above = json.loads((EXAMPLES / "ae-du-above.json").read_text())
    demands = [
        _rule(_end(_post(server, {"transfer": t}).json(), "originating"), "AE-DU-TRAVEL-RULE")[
            "status"
        ]
        for t in (below, above)
    ]
    assert demands == ["nothing_demanded", "demands"]


def test_the_api_refuses_a_bad_payload_by_path_and_code(server: Server) -> None:
    transfer = json.loads((EXAMPLES / "my-pk-complete.json").read_text())
    bad = copy.deepcopy(transfer)
    _person(bad).update(countryOfResidence="MYS")
    bad["ivms101"]["originator"]["originatorPersons"][0]["naturalPerson"]["geographicAddress"][0][
        "addressType"
    ] = "OFFICE"
    response = _post(server, {"transfer": bad, "register": [{"jurisdiction": "MY"}]})
    assert response.status_code == 422
    assert [(e["path"], e["code"]) for e in response.json()["errors"]] == [
        (f"transfer.ivms101.{ORIGINATOR}.geographicAddress[0].addressType", "invalid_code"),
        (f"transfer.ivms101.{ORIGINATOR}.countryOfResidence", "invalid_country"),
    ]
    refused = _post(server, {"transfer": transfer, "register": [{"jurisdiction": "MY"}]})
    assert [(e["path"], e["code"]) for e in refused.json()["errors"]] == [
        ("register[0].id", "missing")
    ]


def _transcripts(page: Path) -> list[tuple[str, str]]:
    """(command, output) of every `$ jawaz …` line in the page's ```text blocks."""
    steps: list[tuple[str, list[str]]] = []
    inside = False
    for line in page.read_text(encoding="utf-8").split("\n"):
        if line == "```text":
            inside = True
        elif line == "```":
            inside = False
        elif inside and line.startswith("$ "):
            steps.append((line[2:], []))
        elif inside:
            steps[-1][1].append(line)
    return [(command, "\n".join(output)) for command, output in steps]


CORRIDORS = _transcripts(REPO / "docs" / "guides" / "corridors.md")


def test_the_corridor_guide_shows_every_example() -> None:
    shown = {command.split()[2] for command, _ in CORRIDORS}
    assert shown == {f"examples/transfers/{p.name}" for p in EXAMPLES.glob("*.json")}


@pytest.mark.parametrize(("command", "output"), CORRIDORS, ids=[c for c, _ in CORRIDORS])
def test_the_corridor_guide_shows_real_output(command: str, output: str) -> None:
    words = command.split()
    assert words[0] == "jawaz"
    assert jawaz(*words[1:]).stdout.rstrip("\n") == output
