"""The decision log: every passport decision the HTTP API gives, kept for audit and replay.

Two implementations of `DecisionLog` (same `record()` / `get()`, same `StoredDecision`):
`SqliteDecisionLog` (one file) and `PostgresDecisionLog` (a `postgresql://` URL, shared by
any number of workers and servers). Nothing else in the API depends on the storage.

Durability: a decision is committed (SQLite: WAL, `synchronous=FULL`; PostgreSQL: a
committed transaction) before the API answers, so an acknowledged decision survives a crash
of the process.
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
import threading
import uuid
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from pydantic import BaseModel, ConfigDict

from engine.results import Decision

if TYPE_CHECKING:
    import psycopg

POSTGRES_SCHEMES = ("postgresql://", "postgres://")
# Serialises migrations between processes starting at once against one PostgreSQL database.
MIGRATION_LOCK_KEY = 0x4A415741  # "JAWA"

# Applied in order; the index + 1 is the schema version a step brings the database to.
# Append new steps, never edit old ones: databases in the field already ran them.
MIGRATIONS: tuple[str, ...] = (
    """
    CREATE TABLE decisions (
        id TEXT PRIMARY KEY,
        recorded_at TEXT NOT NULL,
        request TEXT NOT NULL,
        decision TEXT NOT NULL,
        bundle_hash TEXT NOT NULL,
        framework TEXT,
        as_of TEXT NOT NULL,
        host TEXT NOT NULL,
        fx_rates TEXT NOT NULL
    );
    CREATE INDEX decisions_recorded_at ON decisions (recorded_at);
    """,
)


class StoredDecision(BaseModel):
    """One logged decision, as stored and as `GET /v1/decisions/{id}` returns it."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    decision_id: str
    recorded_at: str
    bundle_hash: str
    framework: str | None
    as_of: dt.date
    host: str
    request: dict[str, Any]
    decision: dict[str, Any]
    fx_rates: list[dict[str, Any]]


class DecisionLog(Protocol):
    """Where decisions are recorded: `SqliteDecisionLog` or `PostgresDecisionLog`."""

    def record(self, request: dict[str, Any], decision: Decision) -> StoredDecision:
        """Store one decision durably and return it with its id and timestamp."""
        ...

    def get(self, decision_id: str) -> StoredDecision | None:
        """The stored decision with this id, or None."""
        ...

    def close(self) -> None:
        """Release the storage."""
        ...


def canonical_json(value: Any) -> str:
    """JSON with sorted keys and no spaces: the same request always stores the same text."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def schema_version(connection: sqlite3.Connection) -> int:
    """The schema version of an open log database (0 for a new one)."""
    connection.execute("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)")
    row = connection.execute("SELECT max(version) FROM schema_version").fetchone()
    return int(row[0] or 0)


def migrate(connection: sqlite3.Connection) -> int:
    """Apply the migrations a database has not run yet; returns the resulting version."""
    current = schema_version(connection)
    for version, step in enumerate(MIGRATIONS[current:], start=current + 1):
        # executescript commits first; BEGIN makes each step and its version row atomic.
        connection.executescript(
            f"BEGIN IMMEDIATE; {step}; INSERT INTO schema_version VALUES ({version}); COMMIT;"
        )
    return len(MIGRATIONS)


class SqliteDecisionLog:
    """A decision log in one SQLite file, shared by the server's threads behind a lock.

    One connection and a lock rather than a connection per thread: writes serialise in
    SQLite anyway, and the lock keeps reads from seeing a half-used connection. Several
    server processes may share the file: WAL and the busy timeout arbitrate between them.
    """

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self._lock = threading.Lock()
        # isolation_level=None: transactions are explicit, so a commit is where we say.
        self._db = sqlite3.connect(
            path, check_same_thread=False, isolation_level=None, timeout=30.0
        )
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=FULL")
        self._db.execute("PRAGMA busy_timeout=30000")
        with self._lock:
            migrate(self._db)

    def record(self, request: dict[str, Any], decision: Decision) -> StoredDecision:
        """Store one decision and commit before returning."""
        stored, row = _stored_row(request, decision)
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                self._db.execute("INSERT INTO decisions VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", row)
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            self._db.execute("COMMIT")
        return stored

    def get(self, decision_id: str) -> StoredDecision | None:
        """The stored decision with this id, or None."""
        with self._lock:
            row = self._db.execute(f"{SELECT} WHERE id = ?", (decision_id,)).fetchone()
        return None if row is None else _from_row(row)

    def close(self) -> None:
        """Close the connection (the WAL is checkpointed by SQLite on the last close)."""
        with self._lock:
            self._db.close()


SELECT = (
    "SELECT id, recorded_at, request, decision, bundle_hash, framework, as_of, host, fx_rates"
    " FROM decisions"
)


def _stored_row(
    request: dict[str, Any], decision: Decision
) -> tuple[StoredDecision, tuple[str | None, ...]]:
    """The decision as returned and as the row both backends insert."""
    answer = decision.model_dump(mode="json")
    stored = StoredDecision(
        decision_id=uuid.uuid4().hex,
        recorded_at=dt.datetime.now(dt.UTC).isoformat(timespec="microseconds"),
        bundle_hash=decision.bundle_hash,
        framework=decision.framework.id if decision.framework else None,
        as_of=decision.as_of,
        host=decision.host,
        request=request,
        decision=answer,
        fx_rates=answer["fx_rates"],
    )
    row = (
        stored.decision_id,
        stored.recorded_at,
        canonical_json(request),
        decision.model_dump_json(),
        stored.bundle_hash,
        stored.framework,
        stored.as_of.isoformat(),
        stored.host,
        canonical_json(stored.fx_rates),
    )
    return stored, row


def _from_row(row: Any) -> StoredDecision:
    """A stored decision from a `SELECT` row."""
    return StoredDecision(
        decision_id=row[0],
        recorded_at=row[1],
        request=json.loads(row[2]),
        decision=json.loads(row[3]),
        bundle_hash=row[4],
        framework=row[5],
        as_of=dt.date.fromisoformat(row[6]),
        host=row[7],
        fx_rates=json.loads(row[8]),
    )


def postgres_schema_version(connection: psycopg.Connection[Any]) -> int:
    """The schema version of a PostgreSQL log database (0 for a new one); no commit."""
    connection.execute("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)")
    row = connection.execute("SELECT max(version) FROM schema_version").fetchone()
    return int(row[0] or 0) if row else 0


def postgres_migrate(connection: psycopg.Connection[Any]) -> int:
    """Apply the migrations the database has not run yet, in one transaction.

    The same `MIGRATIONS` as SQLite (the DDL is portable). An advisory lock makes workers
    that start together take turns: the first migrates, the others then find it done.
    """
    with connection.transaction():
        connection.execute("SELECT pg_advisory_xact_lock(%s)", (MIGRATION_LOCK_KEY,))
        current = postgres_schema_version(connection)
        for version, step in enumerate(MIGRATIONS[current:], start=current + 1):
            for statement in filter(str.strip, step.split(";")):
                connection.execute(statement.encode())
            connection.execute("INSERT INTO schema_version VALUES (%s)", (version,))
    return len(MIGRATIONS)


class PostgresDecisionLog:
    """A decision log in a PostgreSQL database, shared by any number of processes.

    One connection per process behind a lock, as with SQLite; PostgreSQL arbitrates between
    processes and servers. Each `record()` is its own committed transaction.
    """

    def __init__(self, url: str) -> None:
        import psycopg

        self.url = url
        self._lock = threading.Lock()
        self._db = psycopg.connect(url, autocommit=True)
        with self._lock:
            postgres_migrate(self._db)

    def record(self, request: dict[str, Any], decision: Decision) -> StoredDecision:
        """Store one decision and commit before returning."""
        stored, row = _stored_row(request, decision)
        with self._lock, self._db.transaction():
            self._db.execute(
                "INSERT INTO decisions VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s)", row
            )
        return stored

    def get(self, decision_id: str) -> StoredDecision | None:
        """The stored decision with this id, or None."""
        with self._lock:
            row = self._db.execute(f"{SELECT} WHERE id = %s", (decision_id,)).fetchone()
        return None if row is None else _from_row(row)

    def close(self) -> None:
        """Close the connection."""
        with self._lock:
            self._db.close()


def is_postgres_url(db: str | Path) -> bool:
    """Whether `--db` names a PostgreSQL database rather than a SQLite file."""
    return isinstance(db, str) and db.startswith(POSTGRES_SCHEMES)


def open_log(db: str | Path) -> DecisionLog:
    """The decision log `db` names: a `postgresql://` URL, else a SQLite file path."""
    if is_postgres_url(db):
        return PostgresDecisionLog(str(db))
    return SqliteDecisionLog(Path(db))
