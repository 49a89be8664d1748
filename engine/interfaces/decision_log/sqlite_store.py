"""The decision log in one SQLite file (WAL, `synchronous=FULL`)."""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path
from typing import Any

from engine.interfaces.decision_log.records import (
    MIGRATIONS,
    SELECT,
    StoredDecision,
    from_row,
    insert_statement,
    row_of,
)
from engine.results import Decision

INSERT = insert_statement("?")


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
        stored, row = row_of(request, decision)
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                self._db.execute(INSERT, row)
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            self._db.execute("COMMIT")
        return stored

    def get(self, decision_id: str) -> StoredDecision | None:
        """The stored decision with this id, or None."""
        with self._lock:
            row = self._db.execute(f"{SELECT} WHERE id = ?", (decision_id,)).fetchone()
        return None if row is None else from_row(row)

    def close(self) -> None:
        """Close the connection (the WAL is checkpointed by SQLite on the last close)."""
        with self._lock:
            self._db.close()
