"""The decision log: every passport decision the HTTP API gives, kept for audit and replay.

Two stores with the same `record()` / `get()` and the same `StoredDecision`:
`SqliteDecisionLog` (one file) and `PostgresDecisionLog` (a `postgresql://` URL, shared by
any number of workers and servers). `open_log` picks one from a `--db` value (parsed by
`target.parse_target`, the one parser `serve` and `replay` share). Nothing else in the API
depends on the storage.

Durability: a decision is committed (SQLite: WAL, `synchronous=FULL`; PostgreSQL: a
committed transaction) before the API answers, so an acknowledged decision survives a crash
of the process.
"""

from __future__ import annotations

from pathlib import Path
from typing import assert_never

from engine.interfaces.decision_log.postgres_store import (
    PostgresDecisionLog,
    postgres_migrate,
    postgres_schema_version,
)
from engine.interfaces.decision_log.records import MIGRATIONS, DecisionLog, StoredDecision
from engine.interfaces.decision_log.sqlite_store import SqliteDecisionLog, migrate, schema_version
from engine.interfaces.decision_log.target import (
    LogTarget,
    PostgresTarget,
    SqliteTarget,
    as_target,
    parse_target,
)


def open_log(db: str | Path | LogTarget) -> DecisionLog:
    """The decision log `db` names (see `target` for the forms of `--db`).

    Raises:
        EngineError: if `db` is text in none of the accepted forms.
    """
    target = as_target(db)
    match target:
        case SqliteTarget():
            return SqliteDecisionLog(target.path)
        case PostgresTarget():
            return PostgresDecisionLog(target.url)
        case unreachable:
            assert_never(unreachable)


__all__ = [
    "MIGRATIONS",
    "DecisionLog",
    "LogTarget",
    "PostgresDecisionLog",
    "PostgresTarget",
    "SqliteDecisionLog",
    "SqliteTarget",
    "StoredDecision",
    "migrate",
    "open_log",
    "parse_target",
    "postgres_migrate",
    "postgres_schema_version",
    "schema_version",
]
