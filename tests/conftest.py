"""Shared pytest options and fixtures."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-golden",
        action="store_true",
        default=False,
        help="rewrite golden files (.ir.json, .diag) from the current output; review with git diff",
    )


@pytest.fixture
def update_golden(request: pytest.FixtureRequest) -> bool:
    """Whether this run rewrites golden files instead of comparing with them."""
    return bool(request.config.getoption("--update-golden"))


# ---- a throwaway PostgreSQL server for the decision-log tests ---------------------------------

POSTGRES_USER = "postgres"  # the Debian system user; PostgreSQL refuses to run as root
INITDB_OPTIONS = ("-U", POSTGRES_USER, "-A", "trust", "--no-sync", "-E", "UTF8", "--locale", "C")


def _postgres_bin() -> Path | None:
    """Debian's PostgreSQL server binaries (the newest version installed), if any."""
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"), key=lambda p: p.parent)
    candidates = [p.parent for p in found if (p.parent / "pg_ctl").exists()]
    return candidates[-1] if candidates else None


def _as_postgres(command: list[str]) -> list[str]:
    """Run as the postgres system user when we are root, else as ourselves."""
    if os.geteuid() == 0:
        return ["runuser", "-u", POSTGRES_USER, "--", *command]
    return command


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[str]:
    """A PostgreSQL cluster in a temp dir on 127.0.0.1:<free port>, `trust` auth on loopback.

    Skipped when Debian's binaries are missing (`apt-get install postgresql`), unless CI is
    set: then it fails, so that CI cannot skip the PostgreSQL tests silently.
    """
    binaries = _postgres_bin()
    reason = None
    if binaries is None:
        reason = "no PostgreSQL server binaries under /usr/lib/postgresql/*/bin"
    elif os.geteuid() == 0 and (shutil.which("runuser") is None or not _user_exists()):
        reason = "running as root without runuser or a postgres system user"
    if reason is not None or binaries is None:
        if os.environ.get("CI"):
            pytest.fail(f"CI is set but the PostgreSQL tests cannot run: {reason}", pytrace=False)
        pytest.skip(str(reason))
    root = Path(tempfile.mkdtemp(prefix="jawaz-pg-"))
    data, port = root / "data", _free_port()
    if os.geteuid() == 0:
        shutil.chown(root, POSTGRES_USER, POSTGRES_USER)
    pg_ctl = [str(binaries / "pg_ctl"), "-D", str(data)]
    started = False
    try:
        subprocess.run(
            _as_postgres([str(binaries / "initdb"), "-D", str(data), *INITDB_OPTIONS]),
            check=True,
            capture_output=True,
        )
        options = f"-h 127.0.0.1 -p {port} -k {root} -c fsync=on"
        subprocess.run(
            _as_postgres(
                [*pg_ctl, "-w", "-t", "60", "-o", options, "-l", str(root / "log"), "start"]
            ),
            check=True,
            capture_output=True,
        )
        started = True
        yield f"postgresql://{POSTGRES_USER}@127.0.0.1:{port}"
    finally:
        if started:
            subprocess.run(
                _as_postgres([*pg_ctl, "-m", "immediate", "stop"]), check=False, capture_output=True
            )
        shutil.rmtree(root, ignore_errors=True)


def _user_exists() -> bool:
    import pwd

    try:
        pwd.getpwnam(POSTGRES_USER)
    except KeyError:
        return False
    return True


@pytest.fixture
def postgres_url(postgres_server: str) -> str:
    """The URL of a new, empty database on the throwaway server (one per test)."""
    import psycopg

    name = f"jawaz_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(f"{postgres_server}/postgres", autocommit=True) as admin:
        admin.execute(f"CREATE DATABASE {name}".encode())
    return f"{postgres_server}/{name}"


# ---- every API answer parsed by the client generated from /openapi.json ------------------------


@pytest.fixture(autouse=True, scope="session")
def _answers_parse_with_the_generated_client() -> Iterator[None]:
    """Every answer any test gets from the API through httpx (TestClient included) must
    parse as the model the OpenAPI document declares for it (`openapi_client`)."""
    import httpx
    from openapi_client import check_response

    original = httpx.Client.send

    def send(self: httpx.Client, request: httpx.Request, **kwargs: object) -> httpx.Response:
        response = original(self, request, **kwargs)  # type: ignore[arg-type]
        check_response(response)
        return response

    httpx.Client.send = send  # type: ignore[method-assign]
    yield
    httpx.Client.send = original  # type: ignore[method-assign]
