"""Input defects through the real server (`jawaz serve` in a subprocess): grouped amounts,
lone surrogates, oversized bodies from a plain client, malformed framing. Every error is
JSON `{"errors": [{"path", "code", "message"}]}` with a documented code."""

from __future__ import annotations

import copy
import http.client
import json
import re
import socket
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from test_api import DAY, EXAMPLE, Server, serving

from engine.interfaces.api.problems import ErrorCode

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")
GUIDE = Path(__file__).resolve().parents[1] / "docs" / "guides" / "http-api.md"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    with serving(tmp_path_factory.mktemp("api-input") / "log.sqlite3") as running:
        yield running


@pytest.fixture(scope="module")
def profile() -> dict[str, Any]:
    data = yaml.safe_load(EXAMPLE.read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


def _post(connection: http.client.HTTPConnection, body: bytes) -> tuple[int, Any]:
    connection.request("POST", "/v1/passport", body, {"content-type": "application/json"})
    response = connection.getresponse()
    return response.status, json.loads(response.read())


def _codes(answer: Any) -> dict[str, str]:
    return {e["path"]: e["code"] for e in answer["errors"]}


@pytest.mark.parametrize("amount", ["300.000,50", "3,00,000", "300,000"])
def test_grouped_amounts_are_refused(server: Server, profile: dict[str, Any], amount: str) -> None:
    firm = copy.deepcopy(profile)
    firm["attributes"]["paid_up_capital"] = {"amount": amount, "currency": "BHD"}
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
    status, answer = _post(connection, json.dumps({"profile": firm, "host": "MY"}).encode())
    assert status == 422
    assert _codes(answer) == {"profile.attributes.paid_up_capital": "invalid_amount"}


def test_a_bad_person_is_a_422_naming_its_field(server: Server, profile: dict[str, Any]) -> None:
    firm = copy.deepcopy(profile)
    person = {"role": "ceo", "residence": "AE-DU", "nationality": "AE", "full_time": True}
    firm["attributes"]["key_persons"] = [person, {**person, "residence": "AE", "role": "cfo"}]
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
    status, answer = _post(connection, json.dumps({"profile": firm, "host": "AE-DU"}).encode())
    assert status == 422
    assert _codes(answer) == {
        "profile.attributes.key_persons.0.residence": "invalid_person",
        "profile.attributes.key_persons.1.role": "invalid_person",
    }


@pytest.mark.parametrize(
    ("field", "path"),
    [(("profile", "name"), "profile.name"), (("host",), "host"), (("activity",), "activity")],
)
def test_a_lone_surrogate_is_a_422_and_the_connection_stays_usable(
    server: Server, profile: dict[str, Any], field: tuple[str, ...], path: str
) -> None:
    good = {"profile": profile, "host": "MY", "as_of": DAY}
    bad = copy.deepcopy(good)
    target: Any = bad
    for step in field[:-1]:
        target = target[step]
    target[field[-1]] = "\ud800"
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
    status, answer = _post(connection, json.dumps(bad).encode())  # ensure_ascii: `\ud800`
    assert status == 422
    assert _codes(answer) == {path: "invalid_text"}
    status, answer = _post(connection, json.dumps(good).encode())  # the same connection
    assert status == 200
    assert answer["host"] == "MY"


def test_a_control_character_in_a_name_is_a_422(server: Server, profile: dict[str, Any]) -> None:
    firm = profile | {"name": "Exchange\u0000\u001b[2J"}
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
    status, answer = _post(connection, json.dumps({"profile": firm, "host": "MY"}).encode())
    assert status == 422
    assert _codes(answer) == {"profile.name": "invalid_text"}


def test_five_megabytes_from_urllib_get_a_json_413(server: Server) -> None:
    """Repeated: before the body was drained, some tries ended in a connection reset."""
    for _ in range(4):
        request = urllib.request.Request(
            f"{server.url}/v1/passport",
            data=b"x" * 5_000_000,
            headers={"content-type": "application/json"},
        )
        with pytest.raises(urllib.error.HTTPError) as caught:
            urllib.request.urlopen(request, timeout=30)
        assert caught.value.code == 413
        assert _codes(json.loads(caught.value.read())) == {"body": "body_too_large"}


def _raw(server: Server, request: bytes) -> tuple[int, dict[str, str], bytes]:
    with socket.create_connection(("127.0.0.1", server.port), timeout=10) as raw:
        raw.sendall(request)
        received = b""
        while chunk := raw.recv(65536):
            received += chunk
    head, _, body = received.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    headers = dict(line.lower().split(": ", 1) for line in lines[1:])
    return int(lines[0].split()[1]), headers, body


@pytest.mark.parametrize("length", [b"abc", b"-1", b"12, 13", b"1e3"])
def test_a_bad_content_length_is_a_json_400(server: Server, length: bytes) -> None:
    status, headers, body = _raw(
        server,
        b"POST /v1/passport HTTP/1.1\r\nHost: test\r\nContent-Type: application/json\r\n"
        b"Content-Length: " + length + b"\r\n\r\n{}",
    )
    assert status == 400
    assert headers["content-type"] == "application/json"
    assert _codes(json.loads(body)) == {"request": "malformed_request"}


def test_every_error_carries_a_documented_code(server: Server) -> None:
    with urllib.request.urlopen(f"{server.url}/openapi.json", timeout=10) as response:
        schema = json.loads(response.read())
    # No route declares FastAPI's own 422 body: every one answers `ErrorBody`.
    assert "HTTPValidationError" not in schema["components"]["schemas"]
    documented = set(schema["components"]["schemas"]["ErrorCode"]["enum"])
    assert documented == {code.value for code in ErrorCode}
    listed = set(re.findall(r"^\| `([a-z_]+)` \| [0-9]", GUIDE.read_text(encoding="utf-8"), re.M))
    assert listed == documented
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
    seen = set()
    for method, url in (("GET", "/v1/nowhere"), ("PUT", "/v1/passport"), ("GET", "/v1/matrix")):
        connection.request(method, url)
        answer = json.loads(connection.getresponse().read())
        seen |= set(_codes(answer).values())
    assert seen == {"not_found", "method_not_allowed", "missing"}
