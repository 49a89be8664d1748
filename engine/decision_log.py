"""The decision log: every passport decision the HTTP API gives, kept for audit and replay.

Only SQLite is implemented. `DecisionLog` is the interface a PostgreSQL log would
implement later (same `record()` / `get()`, same `StoredDecision`); nothing else in the API
depends on the storage.

Durability: a decision is committed (WAL, `synchronous=FULL`) before the API answers, so an
acknowledged decision survives a crash of the process or of the machine.
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
import threading
import uuid
from pathlib import Path
from typing import Any, Protocol

from pydantic import BaseModel, ConfigDict

from engine.results import Decision

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
    """Where decisions are recorded; SQLite now, PostgreSQL can implement the same."""

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
            row = self._db.execute(
                "SELECT id, recorded_at, request, decision, bundle_hash, framework, as_of, host,"
                " fx_rates FROM decisions WHERE id = ?",
                (decision_id,),
            ).fetchone()
        if row is None:
            return None
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

    def close(self) -> None:
        """Close the connection (the WAL is checkpointed by SQLite on the last close)."""
        with self._lock:
            self._db.close()


def open_log(db_path: Path) -> DecisionLog:
    """The decision log at `db_path` (SQLite; the only implementation so far)."""
    return SqliteDecisionLog(db_path)
