"""FX rates over HTTP, through the real server: a request's own `fx`, `jawaz serve --fx
FILE`, the rates used and their origin in the answer and the log, and the guide's curl
examples run as written."""

from __future__ import annotations

import copy
import json
import re
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import yaml
from jawaz_cli import jawaz
from test_api import EXAMPLE, Server, serving

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")
GUIDE = Path(__file__).resolve().parents[1] / "docs" / "guides" / "http-api.md"
DAY = "2026-06-01"  # a Monday with an ECB publication
NAIRA = {"from": "USD", "to": "NGN", "rate": "1500", "date": "2026-05-01", "source": "Desk"}
FILE_RATES = 'fx 2026-05-01 {\n  source "Server file"\n  rate NGN 1500 per USD\n}\n'


@pytest.fixture(scope="module")
def profile() -> dict[str, Any]:
    """The Bahraini exchange, already licensed in Nigeria (its capital line then binds)."""
    data = yaml.safe_load(EXAMPLE.read_text(encoding="utf-8"))
    data["in_host"] = dict(data.get("in_host") or {}) | {"NG": {"licensed_in_host": True}}
    return dict(data)


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    with serving(tmp_path_factory.mktemp("api-fx") / "log.sqlite3") as running:
        yield running


def _capital(answer: dict[str, Any]) -> dict[str, Any]:
    return dict(next(r for r in answer["requirements"] if r["id"] == "NG-CAP-DAX"))


def _origins(answer: dict[str, Any]) -> set[str]:
    return {leg["origin"] for rate in answer["fx_rates"] for leg in rate["legs"]}


def test_a_requests_own_rate_prices_the_naira(server: Server, profile: dict[str, Any]) -> None:
    body = {"profile": profile, "host": "NG", "as_of": DAY}
    with httpx.Client(base_url=server.url, timeout=30) as http:
        without = http.post("/v1/passport", json=body).json()
        assert _capital(without)["status"] == "unknown"
        assert "fx_rate" in [r["kind"] for r in _capital(without)["reasons"]]
        answer = http.post("/v1/passport", json=body | {"fx": [NAIRA]}).json()
        assert _capital(answer)["status"] == "met"
        assert "request: Desk" in _origins(answer)
        assert answer["fx_hash"] != without["fx_hash"]
        stored = http.get(f"/v1/decisions/{answer['decision_id']}").json()
    assert stored["request"]["fx"] == [NAIRA]
    assert "request: Desk" in {leg["origin"] for r in stored["fx_rates"] for leg in r["legs"]}
    replayed = jawaz("replay", answer["decision_id"], "--db", str(server.db))
    assert (replayed.returncode, replayed.stdout.strip()) == (0, "identical")


def test_a_request_cannot_replace_a_published_rate(server: Server, profile: dict[str, Any]) -> None:
    """The ECB prices MYR: a request's MYR rate is not used, and the answer says whose was."""
    body = {"profile": profile, "host": "MY", "as_of": DAY}
    mine = {"from": "USD", "to": "MYR", "rate": "1", "date": "2026-05-01", "source": "Mine"}
    with httpx.Client(base_url=server.url, timeout=30) as http:
        plain = http.post("/v1/passport", json=body).json()
        asked = http.post("/v1/passport", json=body | {"fx": [mine]}).json()
    assert [r["rate"] for r in asked["fx_rates"]] == [r["rate"] for r in plain["fx_rates"]]
    assert not any(o.startswith("request:") for o in _origins(asked))


@pytest.mark.parametrize(
    ("entries", "codes"),
    [
        ([NAIRA | {"rate": "1,500"}], {"fx.0.rate": "invalid_amount"}),
        ([NAIRA | {"rate": "0"}], {"fx.0.rate": "invalid_value"}),
        ([NAIRA | {"rate": 1500.5}], {"fx.0.rate": "invalid_value"}),
        ([NAIRA | {"from": "QQQ"}], {"fx.0.from": "invalid_value"}),
        ([NAIRA | {"to": "USD"}], {"fx.0": "invalid_value"}),
        ([NAIRA | {"date": "01/05/2026"}], {"fx.0.date": "invalid_value"}),
        ([NAIRA | {"source": "a\nb"}], {"fx.0.source": "invalid_text"}),
        ([{k: v for k, v in NAIRA.items() if k != "source"}], {"fx.0.source": "missing"}),
        ([NAIRA, NAIRA | {"rate": "1600"}], {"fx.1": "invalid_value"}),
        ([NAIRA, NAIRA | {"from": "PKR", "to": "KZT"}], {"fx.1": "invalid_value"}),
        ([NAIRA] * 101, {"fx": "too_long"}),
    ],
    ids=["grouped", "zero", "float", "currency", "same", "date", "text", "missing", "twice",
         "unlinked", "too-many"],
)  # fmt: skip
def test_bad_rates_are_named(
    server: Server, profile: dict[str, Any], entries: list[Any], codes: dict[str, str]
) -> None:
    body = {"profile": profile, "host": "NG", "as_of": DAY, "fx": entries}
    response = httpx.post(f"{server.url}/v1/passport", json=body, timeout=30)
    assert response.status_code == 422
    assert {e["path"]: e["code"] for e in response.json()["errors"]} == codes


def test_serve_fx_file_prices_every_request(tmp_path: Path, profile: dict[str, Any]) -> None:
    rates = tmp_path / "rates.rules"
    rates.write_text(FILE_RATES, encoding="utf-8")
    with (
        serving(tmp_path / "log.sqlite3", extra=("--fx", str(rates))) as running,
        httpx.Client(base_url=running.url, timeout=30) as http,
    ):
        body = {"profile": profile, "host": "NG", "as_of": DAY}
        answer = http.post("/v1/passport", json=body).json()
        assert _capital(answer)["status"] == "met"
        assert "Server file" in _origins(answer)
        # The file prices the naira first: the request's own naira rate is not used.
        again = http.post("/v1/passport", json=body | {"fx": [NAIRA]}).json()
        assert "request: Desk" not in _origins(again)


def test_serve_refuses_a_bad_fx_file(tmp_path: Path) -> None:
    rates = tmp_path / "rates.rules"
    rates.write_text('fx 2026-05-01 {\n  source "x"\n  rate NGN 0 per USD\n}\n', "utf-8")
    result = jawaz("serve", "--port", "1", "--db", str(tmp_path / "log"), "--fx", str(rates))
    assert result.returncode == 2
    assert "E407" in result.stderr


def _curl_examples() -> list[str]:
    blocks = re.findall(r"```sh\n(.*?)```", GUIDE.read_text(encoding="utf-8"), re.S)
    return [block for block in blocks if block.startswith("curl ")]


def test_the_guides_curl_examples_answer(server: Server) -> None:
    examples = _curl_examples()
    assert len(examples) >= 2
    for example in examples:
        command = example.strip().replace("localhost:8000", f"127.0.0.1:{server.port}")
        done = subprocess.run(
            ["bash", "-c", command + " -w '\\n%{http_code}'"],
            capture_output=True, text=True, timeout=60, check=False,
        )  # fmt: skip
        body, _, status = done.stdout.rpartition("\n")
        assert (done.returncode, status) == (0, "200"), example
        assert json.loads(body)


def test_fx_example_in_the_guide_uses_the_callers_rate(server: Server) -> None:
    """The guide's FX example is the one this module tests: its rate is the one used."""
    (example,) = [e for e in _curl_examples() if '"fx"' in e]
    command = example.strip().replace("localhost:8000", f"127.0.0.1:{server.port}")
    done = subprocess.run(["bash", "-c", command], capture_output=True, text=True, timeout=60)
    answer = json.loads(done.stdout)
    assert _capital(answer)["status"] == "met"
    assert "request: Treasury desk fixing" in _origins(copy.deepcopy(answer))
