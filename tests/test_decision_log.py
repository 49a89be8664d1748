"""The decision log (SQLite and PostgreSQL): migrations, durable records, reopening, replay,
and the one parser of `--db` that `serve` and `replay` share.

The PostgreSQL cases use the throwaway server of `conftest.postgres_server` (skipped without
Debian's PostgreSQL binaries unless CI is set).
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner
from jawaz_cli import jawaz

from engine import load_bundle
from engine.bundle import Bundle
from engine.errors import EngineError
from engine.interfaces.cli.main import cli
from engine.interfaces.decision_log.log import (
    MIGRATIONS,
    DecisionLog,
    LogTarget,
    PostgresDecisionLog,
    PostgresTarget,
    SqliteDecisionLog,
    SqliteTarget,
    migrate,
    open_log,
    parse_target,
    postgres_migrate,
    postgres_schema_version,
    schema_version,
)

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "bahrain-exchange.yaml"
DAY = dt.date(2026, 11, 22)


@pytest.fixture(scope="module")
def bundle() -> Bundle:
    return load_bundle()


@pytest.fixture(params=["sqlite", "postgresql"])
def db(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """Where a log lives, for `open_log`: a SQLite file or a fresh PostgreSQL database."""
    if request.param == "postgresql":
        return str(request.getfixturevalue("postgres_url"))
    return str(tmp_path / "sub" / "log.sqlite3")


def _record(bundle: Bundle, log: DecisionLog) -> str:
    data = yaml.safe_load(EXAMPLE.read_text(encoding="utf-8"))
    decision = bundle.passport(bundle.profile(data), host="MY", as_of=DAY)
    request = {"profile": data, "host": "MY", "as_of": str(DAY), "backend": "fast"}
    return log.record(request, decision).decision_id


def test_new_database_is_migrated_to_the_latest_version(tmp_path: Path) -> None:
    log = SqliteDecisionLog(tmp_path / "sub" / "log.sqlite3")
    log.close()
    db = sqlite3.connect(tmp_path / "sub" / "log.sqlite3")
    assert schema_version(db) == len(MIGRATIONS)
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert migrate(db) == len(MIGRATIONS)  # running again changes nothing
    assert db.execute("SELECT count(*) FROM schema_version").fetchone()[0] == len(MIGRATIONS)


def test_new_postgres_database_is_migrated_to_the_latest_version(postgres_url: str) -> None:
    import psycopg

    PostgresDecisionLog(postgres_url).close()
    PostgresDecisionLog(postgres_url).close()  # reopening runs no step twice
    with psycopg.connect(postgres_url, autocommit=True) as connection:
        assert postgres_schema_version(connection) == len(MIGRATIONS)
        assert postgres_migrate(connection) == len(MIGRATIONS)
        counted = connection.execute("SELECT count(*) FROM schema_version").fetchone()
    assert counted is not None and counted[0] == len(MIGRATIONS)


def test_record_then_get_returns_the_same_decision(bundle: Bundle, db: str) -> None:
    log = open_log(db)
    decision_id = _record(bundle, log)
    stored = log.get(decision_id)
    assert stored is not None
    assert stored.host == "MY" and stored.as_of == DAY and stored.rules_hash == bundle.rules_hash
    assert stored.fx_hash == bundle.fx.hash
    assert stored.decision["verdict"] in {"eligible", "conditional", "not_eligible", "incomplete"}
    assert stored.fx_rates == stored.decision["fx_rates"]
    assert log.get("0" * 32) is None
    log.close()


def test_records_survive_reopening(bundle: Bundle, db: str) -> None:
    log = open_log(db)
    ids = [_record(bundle, log) for _ in range(5)]
    log.close()
    reopened = open_log(db)
    assert all(reopened.get(i) is not None for i in ids)
    assert len(set(ids)) == 5
    reopened.close()


def test_replay_reports_identical(bundle: Bundle, tmp_path: Path) -> None:
    path = tmp_path / "log.sqlite3"
    log = SqliteDecisionLog(path)
    decision_id = _record(bundle, log)
    log.close()
    result = CliRunner().invoke(cli, ["replay", decision_id, "--db", str(path)])
    assert result.exit_code == 0, result.output
    assert "identical" in result.output


def test_replay_names_changed_fields_and_a_changed_bundle(bundle: Bundle, tmp_path: Path) -> None:
    path = tmp_path / "log.sqlite3"
    log = SqliteDecisionLog(path)
    decision_id = _record(bundle, log)
    log.close()
    with sqlite3.connect(path) as db:
        row = db.execute("SELECT decision FROM decisions WHERE id = ?", (decision_id,)).fetchone()
        tampered = json.loads(row[0]) | {"verdict": "eligible", "rules_hash": "0" * 64}
        db.execute(
            "UPDATE decisions SET decision = ?, rules_hash = ? WHERE id = ?",
            (json.dumps(tampered), "0" * 64, decision_id),
        )
    result = CliRunner().invoke(cli, ["replay", decision_id, "--db", str(path)])
    assert result.exit_code == 1
    assert "rules_hash differs" in result.stderr and "fx_hash differs" not in result.stderr
    assert "differs: rules_hash" in result.stdout and "differs: verdict" in result.stdout


def test_replay_of_an_unknown_id_is_a_usage_error(tmp_path: Path) -> None:
    path = tmp_path / "log.sqlite3"
    SqliteDecisionLog(path).close()
    result = CliRunner().invoke(cli, ["replay", "nope", "--db", str(path)])
    assert result.exit_code == 2


# ---- where the log lives: one parser of --db for serve and replay ---------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("log.sqlite3", SqliteTarget(Path("log.sqlite3"))),
        ("/var/lib/jawaz/log.sqlite3", SqliteTarget(Path("/var/lib/jawaz/log.sqlite3"))),
        ("sqlite:logs/log.sqlite3", SqliteTarget(Path("logs/log.sqlite3"))),
        ("sqlite:///srv/logs/log.sqlite3", SqliteTarget(Path("/srv/logs/log.sqlite3"))),
        ("sqlite://localhost/srv/log.sqlite3", SqliteTarget(Path("/srv/log.sqlite3"))),
        (
            "postgresql://jawaz@db.internal/log",
            PostgresTarget("postgresql://jawaz@db.internal/log"),
        ),
        ("postgres://jawaz@db.internal/log", PostgresTarget("postgres://jawaz@db.internal/log")),
    ],
)
def test_each_db_form_is_parsed(text: str, expected: LogTarget) -> None:
    assert parse_target(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "",
        "sqlite:",
        "sqlite://",
        "sqlite://elsewhere/log.sqlite3",
        "mysql://h/db",
        "postgresql:log",
    ],
)
def test_a_db_in_no_accepted_form_is_refused(text: str) -> None:
    with pytest.raises(EngineError) as raised:
        parse_target(text)
    assert raised.value.path == "db"


def test_a_sqlite_target_means_the_same_file_from_any_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    passed_on = parse_target("sqlite:logs/log.sqlite3").for_workers()
    monkeypatch.chdir("/")  # a worker may start elsewhere
    assert parse_target(passed_on) == SqliteTarget(tmp_path / "logs" / "log.sqlite3")


def test_a_password_is_not_shown() -> None:
    shown = PostgresTarget("postgresql://jawaz:s3cret@db.internal:5432/log").shown()
    assert "s3cret" not in shown and "db.internal:5432/log" in shown


def test_no_folder_is_named_after_the_scheme(
    bundle: Bundle, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    log = open_log("sqlite:logs/log.sqlite3")
    decision_id = _record(bundle, log)
    log.close()
    assert (tmp_path / "logs" / "log.sqlite3").is_file()
    for db in ("sqlite:logs/log.sqlite3", f"sqlite://{tmp_path}/logs/log.sqlite3"):
        replayed = jawaz("replay", decision_id, "--db", db, cwd=tmp_path)
        assert replayed.returncode == 0, replayed.stderr
        assert replayed.stdout.strip() == "identical"
    missing = jawaz("replay", decision_id, "--db", "sqlite:other/log.sqlite3", cwd=tmp_path)
    assert missing.returncode == 2
    assert sorted(p.name for p in tmp_path.iterdir()) == ["logs"]  # nothing else was made


def test_serve_refuses_a_db_in_no_accepted_form() -> None:
    refused = jawaz("serve", "--db", "mysql://localhost/log")
    assert refused.returncode == 2 and "mysql" in refused.stderr


@pytest.mark.parametrize("scheme", ["postgresql", "postgres"])
def test_replay_reproduces_a_decision_logged_in_postgresql(
    bundle: Bundle, postgres_url: str, scheme: str
) -> None:
    log = PostgresDecisionLog(postgres_url)
    decision_id = _record(bundle, log)
    log.close()
    url = postgres_url.replace("postgresql://", f"{scheme}://", 1)
    replayed = jawaz("replay", decision_id, "--db", url)
    assert replayed.returncode == 0, replayed.stderr
    assert replayed.stdout.strip() == "identical"
    assert jawaz("replay", "0" * 32, "--db", url).returncode == 2


def _version_one(db: str) -> Any:
    """A log at schema version 1 with one row, as servers before the FX hash wrote it."""
    row = ("old", "2026-01-01T00:00:00+00:00", "{}", "{}", "a" * 64, None, "2026-01-01", "MY", "[]")
    if db.startswith("postgresql://"):
        import psycopg

        connection: Any = psycopg.connect(db, autocommit=True)
        connection.execute("CREATE TABLE schema_version (version INTEGER NOT NULL)")
        for statement in filter(str.strip, MIGRATIONS[0].split(";")):
            connection.execute(statement.encode())
        connection.execute("INSERT INTO schema_version VALUES (1)")
        connection.execute(f"INSERT INTO decisions VALUES ({', '.join(['%s'] * 9)})", row)
        return connection
    Path(db).parent.mkdir(parents=True, exist_ok=True)
    connection = sqlite3.connect(db, isolation_level=None)
    connection.executescript(
        "CREATE TABLE schema_version (version INTEGER NOT NULL);"
        f"{MIGRATIONS[0]}; INSERT INTO schema_version VALUES (1);"
    )
    connection.execute(f"INSERT INTO decisions VALUES ({', '.join(['?'] * 9)})", row)
    return connection


def test_an_older_log_gains_the_fx_hash_column(bundle: Bundle, db: str) -> None:
    _version_one(db).close()
    log = open_log(db)
    old = log.get("old")
    assert old is not None and old.rules_hash == "a" * 64 and old.fx_hash is None
    stored = log.get(_record(bundle, log))
    assert stored is not None and stored.fx_hash == bundle.fx.hash
    log.close()
