"""The decision log (SQLite and PostgreSQL): migrations, durable records, reopening, replay.

The PostgreSQL cases use the throwaway server of `conftest.postgres_server` (skipped without
Debian's PostgreSQL binaries unless CI is set).
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from engine import load_bundle
from engine.bundle import Bundle
from engine.interfaces.cli.main import cli
from engine.interfaces.decision_log.log import (
    MIGRATIONS,
    DecisionLog,
    PostgresDecisionLog,
    SqliteDecisionLog,
    migrate,
    open_log,
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
    assert stored.host == "MY" and stored.as_of == DAY and stored.bundle_hash == bundle.hash
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
        tampered = json.loads(row[0]) | {"verdict": "eligible", "bundle_hash": "0" * 64}
        db.execute(
            "UPDATE decisions SET decision = ?, bundle_hash = ? WHERE id = ?",
            (json.dumps(tampered), "0" * 64, decision_id),
        )
    result = CliRunner().invoke(cli, ["replay", decision_id, "--db", str(path)])
    assert result.exit_code == 1
    assert "bundle changed" in result.output
    assert "differs: bundle_hash" in result.output


def test_replay_of_an_unknown_id_is_a_usage_error(tmp_path: Path) -> None:
    path = tmp_path / "log.sqlite3"
    SqliteDecisionLog(path).close()
    result = CliRunner().invoke(cli, ["replay", "nope", "--db", str(path)])
    assert result.exit_code == 2
