"""The HTTP API: answers equal the Python API's, errors name fields, the log loses nothing."""

from __future__ import annotations

import json
import os
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest
import yaml
from fastapi.testclient import TestClient

from engine import load_bundle
from engine.bundle import Bundle
from engine.interfaces.api.app import MAX_BODY_BYTES, create_app

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "bahrain-exchange.yaml"
DAY = "2026-11-22"


@pytest.fixture(scope="module")
def bundle() -> Bundle:
    return load_bundle()


@pytest.fixture(scope="module")
def profile() -> dict[str, Any]:
    data = yaml.safe_load(EXAMPLE.read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


@pytest.fixture(scope="module")
def client(bundle: Bundle, tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    app = create_app(bundle, tmp_path_factory.mktemp("api") / "log.sqlite3")
    with TestClient(app, raise_server_exceptions=False) as test_client:
        yield test_client


def _paths(response: httpx.Response) -> set[str]:
    return {e["path"] for e in response.json()["errors"]}


# ---- answers --------------------------------------------------------------------------------


def test_passport_matches_the_python_api_and_is_logged(
    client: TestClient, bundle: Bundle, profile: dict[str, Any]
) -> None:
    response = client.post("/v1/passport", json={"profile": profile, "host": "MY", "as_of": DAY})
    assert response.status_code == 200
    answer = response.json()
    decision_id, recorded_at = answer.pop("decision_id"), answer.pop("recorded_at")
    assert recorded_at and answer.pop("kind") == "one_host"
    import datetime as dt

    expected = bundle.passport(bundle.profile(profile), host="MY", as_of=dt.date(2026, 11, 22))
    assert answer == json.loads(expected.model_dump_json())
    stored = client.get(f"/v1/decisions/{decision_id}")
    assert stored.status_code == 200
    assert stored.json()["decision"] == answer
    assert stored.json()["request"]["host"] == "MY"


def test_durable_backend_gives_the_same_answer(client: TestClient, profile: dict[str, Any]) -> None:
    body = {"profile": profile, "host": "MY", "as_of": DAY}
    fast = client.post("/v1/passport", json=body).json()
    durable = client.post("/v1/passport", json=body | {"backend": "durable"}).json()
    ignored = {"backend", "decision_id", "recorded_at"}
    assert {k: v for k, v in fast.items() if k not in ignored} == {
        k: v for k, v in durable.items() if k not in ignored
    }


def test_passport_to_all_hosts_is_told_apart_by_kind(
    client: TestClient, profile: dict[str, Any]
) -> None:
    response = client.post("/v1/passport", json={"profile": profile, "host": "all", "as_of": DAY})
    assert response.status_code == 200
    assert response.json()["kind"] == "all_hosts"
    decisions = response.json()["decisions"]
    hosts = [d["host"] for d in decisions]
    assert hosts == sorted(hosts) and "BH" not in hosts and len(set(hosts)) == len(hosts)
    assert {d["kind"] for d in decisions} == {"one_host"}
    assert len({d["decision_id"] for d in decisions}) == len(hosts)


@pytest.mark.parametrize(
    "url",
    [
        "/healthz",
        "/v1/jurisdictions",
        "/v1/jurisdictions/MY",
        "/v1/compare?codes=BH,MY&activity=exchange&as_of=2026-11-22",
        "/v1/matrix?activity=exchange&as_of=2026-11-22",
        "/v1/vocabulary",
    ],
)
def test_read_endpoints_answer(client: TestClient, url: str) -> None:
    response = client.get(url)
    assert response.status_code == 200
    assert response.json()


def test_jurisdiction_ir_carries_requirements_with_citations(client: TestClient) -> None:
    body = client.get("/v1/jurisdictions/BH").json()
    assert body["code"] == "BH"
    assert body["requirements"]
    assert all("citation" in r or "versions" in r for r in body["requirements"])


def test_openapi_lists_every_path_with_the_example(client: TestClient) -> None:
    schema = client.get("/openapi.json").json()
    assert {
        "/v1/passport",
        "/v1/jurisdictions",
        "/v1/jurisdictions/{code}",
        "/v1/compare",
        "/v1/matrix",
        "/v1/decisions/{decision_id}",
        "/healthz",
    } <= set(schema["paths"])
    content = schema["paths"]["/v1/passport"]["post"]["requestBody"]["content"]
    assert content["application/json"]["examples"]["bahrain-exchange"]["value"]["host"] == "MY"


# ---- errors --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("change", "path"),
    [
        ({"host": "ZZ"}, "host"),
        ({"host": 7}, "host"),
        ({"activity": "juggling"}, "activity"),
        ({"framework": "nope"}, "framework"),
        ({"as_of": "2026-13-01"}, "as_of"),
        ({"as_of": 20261122}, "as_of"),
        ({"backend": "quantum"}, "backend"),
        ({"apply_for": "no_such_licence"}, "apply_for"),
        ({"surprise": 1}, "surprise"),
        ({"profile": "not a mapping"}, "profile"),
    ],
)
def test_bad_request_fields_are_named(
    client: TestClient, profile: dict[str, Any], change: dict[str, Any], path: str
) -> None:
    body = {"profile": profile, "host": "MY", "as_of": DAY} | change
    response = client.post("/v1/passport", json=body)
    assert response.status_code == 422
    assert path in _paths(response)


def test_profile_problems_are_named_under_profile(
    client: TestClient, profile: dict[str, Any]
) -> None:
    bad = profile | {"home": "XX", "colour": "blue"}
    bad["attributes"] = dict(profile["attributes"]) | {"paid_up_capital": "lots"}
    response = client.post("/v1/passport", json={"profile": bad, "host": "MY"})
    assert response.status_code == 422
    paths = _paths(response)
    assert {"profile.home", "profile.colour"} <= paths
    assert any(p.startswith("profile.attributes") for p in paths)


@pytest.mark.parametrize(
    "raw",
    [
        b"",
        b"{",
        b"null",
        b"[]",
        b"42",
        b'"text"',
        b"\xff\xfe\x00",
        b'{"profile": {}}',
        b"[" * 100_000 + b"]" * 100_000,
        b'{"host": "MY", "profile": ' + b'{"a":' * 40_000 + b"1" + b"}" * 40_001,
    ],
)
def test_garbage_bodies_are_4xx_json(client: TestClient, raw: bytes) -> None:
    response = client.post(
        "/v1/passport", content=raw, headers={"content-type": "application/json"}
    )
    assert 400 <= response.status_code < 500
    assert response.json()["errors"]


def test_oversized_body_is_413(client: TestClient) -> None:
    raw = b'{"pad": "' + b"x" * MAX_BODY_BYTES + b'"}'
    response = client.post(
        "/v1/passport", content=raw, headers={"content-type": "application/json"}
    )
    assert response.status_code == 413
    assert _paths(response) == {"body"}


def test_a_bad_content_length_is_400(client: TestClient) -> None:
    response = client.post("/v1/passport", content=b"{}", headers={"content-length": "abc"})
    assert response.status_code == 400
    assert _paths(response) == {"content-length"}


def test_oversized_streamed_body_is_413(client: TestClient) -> None:
    def chunks() -> Iterator[bytes]:
        for _ in range(MAX_BODY_BYTES // 4096 + 2):
            yield b"x" * 4096

    response = client.post(
        "/v1/passport", content=chunks(), headers={"content-type": "application/json"}
    )
    assert response.status_code == 413


@pytest.mark.parametrize(
    ("url", "status", "path"),
    [
        ("/v1/nowhere", 404, "/v1/nowhere"),
        ("/v1/jurisdictions/QQ", 404, "/v1/jurisdictions/QQ"),
        ("/v1/decisions/0000", 404, "/v1/decisions/0000"),
        ("/v1/compare?codes=BH,QQ&activity=exchange", 422, "codes"),
        ("/v1/compare?codes=BH,MY&activity=juggling", 422, "activity"),
        ("/v1/compare?codes=BH,MY&activity=exchange&currency=QQQ", 422, "currency"),
        ("/v1/compare?codes=BH,MY", 422, "activity"),
        ("/v1/compare?codes=BH,MY&activity=exchange&as_of=2026-02-30", 422, "as_of"),
        ("/v1/matrix?activity=exchange&framework=nope", 422, "framework"),
        ("/v1/matrix?activity=juggling", 422, "activity"),
    ],
)
def test_bad_queries_are_named(client: TestClient, url: str, status: int, path: str) -> None:
    response = client.get(url)
    assert response.status_code == status
    assert path in _paths(response)


def test_a_server_fault_is_a_bare_500(bundle: Bundle, tmp_path: Path) -> None:
    app = create_app(bundle, tmp_path / "log.sqlite3")

    @app.get("/boom")
    def boom() -> None:
        raise RuntimeError("secret internals")

    with TestClient(app, raise_server_exceptions=False) as test_client:
        response = test_client.get("/boom")
    assert response.status_code == 500
    assert "secret" not in response.text


# ---- a real server under load ---------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


class Server:
    """`jawaz serve` in a subprocess on loopback; always killed by the fixture."""

    def __init__(self, db: Path | str, workers: int = 1, extra: tuple[str, ...] = ()) -> None:
        self.db = db
        self.workers = workers
        self.extra = extra  # more `jawaz serve` options
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        command = [sys.executable, "-m", "engine.interfaces.cli", "serve", "--port", str(self.port)]
        self.process = subprocess.Popen(
            [*command, "--db", str(self.db), "--workers", str(self.workers), *self.extra],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            env=os.environ | {"PYTHONUNBUFFERED": "1"},
        )
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"{self.url}/healthz", timeout=1).status_code == 200:
                    return
            except httpx.TransportError:
                time.sleep(0.05)
        raise AssertionError("jawaz serve did not start")

    def kill(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait(timeout=10)
        self.process = None


@contextmanager
def serving(db: Path | str, workers: int = 1, extra: tuple[str, ...] = ()) -> Iterator[Server]:
    """A started `jawaz serve`, killed on leaving the block whatever happened in it."""
    running = Server(db, workers, extra)
    try:
        running.start()
        yield running
    finally:
        running.kill()


@pytest.fixture(params=["sqlite", "postgresql"])
def db(request: pytest.FixtureRequest, tmp_path: Path) -> Path | str:
    """The server's decision log: a SQLite file, or a fresh database on a throwaway
    PostgreSQL server (`conftest.postgres_server`; skipped without its binaries unless CI)."""
    if request.param == "postgresql":
        return str(request.getfixturevalue("postgres_url"))
    return tmp_path / "log.sqlite3"


@pytest.fixture
def server(db: Path | str) -> Iterator[Server]:
    running = Server(db)
    try:
        yield running
    finally:
        running.kill()


def _ask(http: httpx.Client, body: dict[str, Any]) -> str | None:
    """The decision id if the server acknowledged the request, else None."""
    try:
        response = http.post("/v1/passport", json=body)
    except httpx.TransportError:
        return None
    return str(response.json()["decision_id"]) if response.status_code == 200 else None


def _assert_logged_once(db: Path | str, acknowledged: list[str]) -> None:
    if isinstance(db, str):
        import psycopg

        with psycopg.connect(db) as pg:
            rows = pg.execute("SELECT id, count(*) FROM decisions GROUP BY id").fetchall()
        counts = {row[0]: row[1] for row in rows}
        assert all(counts.get(i) == 1 for i in acknowledged)
        return
    with sqlite3.connect(db) as connection:
        assert connection.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        counts = dict(connection.execute("SELECT id, count(*) FROM decisions GROUP BY id"))
    assert all(counts.get(i) == 1 for i in acknowledged)


def test_every_acknowledged_decision_survives_load_and_sigkill(
    server: Server, profile: dict[str, Any]
) -> None:
    body = {"profile": profile, "host": "MY", "as_of": DAY}
    server.start()
    with httpx.Client(base_url=server.url, timeout=10) as http, ThreadPoolExecutor(8) as pool:
        acknowledged = [i for i in pool.map(lambda _: _ask(http, body), range(200)) if i]
    assert len(acknowledged) == 200
    _assert_logged_once(server.db, acknowledged)

    done: list[str] = []
    with httpx.Client(base_url=server.url, timeout=10) as http, ThreadPoolExecutor(8) as pool:
        futures = [pool.submit(_ask, http, body) for _ in range(400)]
        deadline = time.monotonic() + 20
        while sum(f.done() for f in futures) < 50 and time.monotonic() < deadline:
            time.sleep(0.005)
        server.kill()  # mid-load: some requests are in flight
        done = [i for f in futures if (i := f.result())]
    assert 0 < len(done) < 400

    server.start()
    with httpx.Client(base_url=server.url, timeout=10) as http:
        for decision_id in [*acknowledged[:5], *done[-5:]]:
            assert http.get(f"/v1/decisions/{decision_id}").status_code == 200
        assert _ask(http, body) is not None
    _assert_logged_once(server.db, acknowledged + done)


def test_garbage_from_one_client_does_not_stop_valid_answers(
    server: Server, profile: dict[str, Any]
) -> None:
    server.start()
    stop = threading.Event()
    garbage_statuses: list[int] = []
    junk = [b"{", b"\x00" * 1000, b"[" * 5000, b"x" * (MAX_BODY_BYTES + 10), b'{"host": []}']

    def send_garbage() -> None:
        with httpx.Client(base_url=server.url, timeout=10) as http:
            while not stop.is_set():
                for raw in junk:
                    response = http.post(
                        "/v1/passport", content=raw, headers={"content-type": "application/json"}
                    )
                    garbage_statuses.append(response.status_code)

    thread = threading.Thread(target=send_garbage)
    thread.start()
    try:
        body = {"profile": profile, "host": "MY", "as_of": DAY}
        with httpx.Client(base_url=server.url, timeout=10) as http:
            answers = [_ask(http, body) for _ in range(50)]
    finally:
        stop.set()
        thread.join(timeout=20)
    assert all(answers)
    assert garbage_statuses and all(400 <= s < 500 for s in garbage_statuses)


def test_workers_share_one_log(db: Path | str, profile: dict[str, Any]) -> None:
    with serving(db, workers=2) as running:
        body = {"profile": profile, "host": "MY", "as_of": DAY}
        with httpx.Client(base_url=running.url, timeout=10) as http, ThreadPoolExecutor(4) as pool:
            acknowledged = [i for i in pool.map(lambda _: _ask(http, body), range(60)) if i]
    assert len(acknowledged) == 60
    _assert_logged_once(running.db, acknowledged)


def test_serve_warns_when_binding_off_loopback(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import uvicorn
    from click.testing import CliRunner

    from engine.interfaces.cli.main import cli

    ran: list[str] = []
    monkeypatch.setattr(uvicorn.Server, "run", lambda self, sockets=None: ran.append("run"))
    monkeypatch.setenv("JAWAZ_DB", "unused")  # serve sets it; monkeypatch restores it
    db = str(tmp_path / "log.sqlite3")
    quiet = CliRunner().invoke(cli, ["serve", "--db", db])
    loud = CliRunner().invoke(cli, ["serve", "--host", "0.0.0.0", "--db", db])
    assert quiet.exit_code == 0 and loud.exit_code == 0
    assert "warning" not in quiet.output and "warning" in loud.output
    assert ran == ["run", "run"]


def test_two_servers_share_one_postgres_log(postgres_url: str, profile: dict[str, Any]) -> None:
    """Two `jawaz serve` processes behind one URL: each reads what the other logged."""
    first, second = Server(postgres_url), Server(postgres_url)
    try:
        first.start()
        second.start()
        body = {"profile": profile, "host": "MY", "as_of": DAY}
        with (
            httpx.Client(base_url=first.url, timeout=10) as a,
            httpx.Client(base_url=second.url, timeout=10) as b,
        ):
            ids = [_ask(a, body), _ask(b, body)]
            assert all(ids)
            assert b.get(f"/v1/decisions/{ids[0]}").status_code == 200
            assert a.get(f"/v1/decisions/{ids[1]}").status_code == 200
            assert a.get("/healthz").json()["decision_log"] == "PostgresDecisionLog"
    finally:
        first.kill()
        second.kill()
    _assert_logged_once(postgres_url, [i for i in ids if i])


def test_a_json_file_posted_as_a_form_is_read_as_json(client: TestClient) -> None:
    """`curl -X POST …/v1/passport -d @examples/passport-request.json` (no content type,
    so curl says form) gets the same decision as a JSON post."""
    body = (Path(__file__).resolve().parents[1] / "examples" / "passport-request.json").read_bytes()
    as_form = client.post(
        "/v1/passport",
        content=body,
        headers={"content-type": "application/x-www-form-urlencoded"},
    )
    as_json = client.post(
        "/v1/passport", content=body, headers={"content-type": "application/json"}
    )
    assert as_form.status_code == 200 and as_json.status_code == 200
    first, second = as_form.json(), as_json.json()
    for answer in (first, second):
        answer.pop("decision_id")
        answer.pop("recorded_at")
        answer.pop("kind")
    assert first == second
    assert first["host"] == "MY"
    garbage = client.post("/v1/passport", content=b"not json at all")
    assert garbage.status_code == 422
    assert "body" in _paths(garbage)
