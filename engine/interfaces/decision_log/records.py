"""What both decision-log stores share: the schema's migrations, the stored record, its row.

Nothing here touches a database: `sqlite_store` and `postgres_store` run the same
`MIGRATIONS`, insert the same `row_of()` and read rows back with `from_row()`.
"""

from __future__ import annotations

import datetime as dt
import json
import uuid
from typing import Any, Protocol

from pydantic import BaseModel, ConfigDict

from engine.results import Decision
from rulesdsl.ir.canonical import canonical_json

# Applied in order; the index + 1 is the schema version a step brings the database to.
# Append new steps, never edit old ones: databases in the field already ran them. The DDL
# is portable: SQLite (3.25+) and PostgreSQL run the same text.
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
    # The rules' hash became canonical (independent of file order) and the FX data got a
    # hash of its own; rows logged before have no fx_hash.
    """
    ALTER TABLE decisions RENAME COLUMN bundle_hash TO rules_hash;
    ALTER TABLE decisions ADD COLUMN fx_hash TEXT;
    """,
)

COLUMNS = (
    "id",
    "recorded_at",
    "request",
    "decision",
    "rules_hash",
    "fx_hash",
    "framework",
    "as_of",
    "host",
    "fx_rates",
)
SELECT = f"SELECT {', '.join(COLUMNS)} FROM decisions"


def insert_statement(placeholder: str) -> str:
    """The INSERT of one row, with the driver's parameter placeholder (`?` or `%s`)."""
    marks = ", ".join([placeholder] * len(COLUMNS))
    return f"INSERT INTO decisions ({', '.join(COLUMNS)}) VALUES ({marks})"


class StoredDecision(BaseModel):
    """One logged decision, as stored and as `GET /v1/decisions/{id}` returns it."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    decision_id: str
    recorded_at: str
    rules_hash: str
    fx_hash: str | None  # None: logged before FX data was hashed
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


def row_of(request: dict[str, Any], decision: Decision) -> tuple[StoredDecision, tuple[Any, ...]]:
    """The decision as returned and as the row both stores insert (in `COLUMNS` order)."""
    answer = decision.model_dump(mode="json")
    stored = StoredDecision(
        decision_id=uuid.uuid4().hex,
        recorded_at=dt.datetime.now(dt.UTC).isoformat(timespec="microseconds"),
        rules_hash=decision.rules_hash,
        fx_hash=decision.fx_hash,
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
        stored.rules_hash,
        stored.fx_hash,
        stored.framework,
        stored.as_of.isoformat(),
        stored.host,
        canonical_json(stored.fx_rates),
    )
    return stored, row


def from_row(row: Any) -> StoredDecision:
    """A stored decision from a `SELECT` row."""
    values = dict(zip(COLUMNS, row, strict=True))
    return StoredDecision(
        decision_id=values["id"],
        recorded_at=values["recorded_at"],
        request=json.loads(values["request"]),
        decision=json.loads(values["decision"]),
        rules_hash=values["rules_hash"],
        fx_hash=values["fx_hash"],
        framework=values["framework"],
        as_of=dt.date.fromisoformat(values["as_of"]),
        host=values["host"],
        fx_rates=json.loads(values["fx_rates"]),
    )
