"""The decision log in a PostgreSQL database (psycopg 3), shared by any number of servers."""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING, Any

from engine.interfaces.decision_log.records import (
    MIGRATIONS,
    SELECT,
    StoredDecision,
    from_row,
    insert_statement,
    row_of,
)
from engine.results import Decision

if TYPE_CHECKING:
    import psycopg

# Serialises migrations between processes starting at once against one PostgreSQL database.
MIGRATION_LOCK_KEY = 0x4A415741  # "JAWA"
INSERT = insert_statement("%s")


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
        # Imported here: only a PostgreSQL log needs the driver, and it is slow to import.
        import psycopg

        self.url = url
        self._lock = threading.Lock()
        self._db = psycopg.connect(url, autocommit=True)
        with self._lock:
            postgres_migrate(self._db)

    def record(self, request: dict[str, Any], decision: Decision) -> StoredDecision:
        """Store one decision and commit before returning."""
        stored, row = row_of(request, decision)
        with self._lock, self._db.transaction():
            self._db.execute(INSERT, row)
        return stored

    def get(self, decision_id: str) -> StoredDecision | None:
        """The stored decision with this id, or None."""
        with self._lock:
            row = self._db.execute(f"{SELECT} WHERE id = %s", (decision_id,)).fetchone()
        return None if row is None else from_row(row)

    def close(self) -> None:
        """Close the connection."""
        with self._lock:
            self._db.close()
