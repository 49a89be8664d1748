"""Where the decision log lives: the one parser of `--db` (for `serve` and `replay` alike).

Accepted forms:

| `--db` | log |
|---|---|
| `log.sqlite3`, `/var/lib/jawaz/log.sqlite3` | a SQLite file (a plain path) |
| `sqlite:relative/path.sqlite3` | a SQLite file, relative to the working folder |
| `sqlite:///abs/path.sqlite3` (or `sqlite://localhost/abs/…`) | a SQLite file, absolute |
| `postgresql://user@host/db`, `postgres://…` | a PostgreSQL database |

The scheme is never part of a file name: `sqlite:logs/a.sqlite3` is `logs/a.sqlite3`. Any
other `scheme://` is refused rather than taken for a folder.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from engine.errors import EngineError

SQLITE_SCHEME = "sqlite:"
POSTGRES_SCHEMES = ("postgresql://", "postgres://")
# A URL scheme, as RFC 3986 spells it, followed by `//`: never a file name.
_URL = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://")
_FORMS = "a file path, sqlite:PATH, sqlite:///ABSOLUTE/PATH or postgresql://…"


@dataclass(frozen=True, slots=True)
class SqliteTarget:
    """A decision log in a SQLite file."""

    path: Path

    def for_workers(self) -> str:
        """This target as `--db` text that means the same file from any working folder."""
        return f"sqlite://{self.path.resolve().as_posix()}"

    def shown(self) -> str:
        """How messages name the log."""
        return str(self.path)


@dataclass(frozen=True, slots=True)
class PostgresTarget:
    """A decision log in a PostgreSQL database, named by its connection URL."""

    url: str

    def for_workers(self) -> str:
        """This target as `--db` text (a URL already means the same everywhere)."""
        return self.url

    def shown(self) -> str:
        """How messages name the log: the URL without its password."""
        parts = urlsplit(self.url)
        if parts.password is None:
            return self.url
        host = parts.netloc.rsplit("@", 1)[1]
        return urlunsplit(parts._replace(netloc=f"{parts.username or ''}:***@{host}"))


LogTarget = SqliteTarget | PostgresTarget


def _sqlite_path(rest: str, text: str) -> Path:
    """The file of `sqlite:REST`: a path, or `//[localhost]/absolute/path`."""
    if rest.startswith("//"):
        host, slash, path = rest[2:].partition("/")
        if host not in ("", "localhost") or not slash:
            raise EngineError(
                f"{text!r}: a sqlite URL names a local file: sqlite:///absolute/path", "db"
            )
        rest = f"/{path}"
    if not rest.strip("/"):
        raise EngineError(f"{text!r} names no file; use {_FORMS}", "db")
    return Path(rest)


def parse_target(text: str) -> LogTarget:
    """The decision log `text` names.

    Raises:
        EngineError: for an empty value, a `sqlite:` URL naming no local file, or a URL
            scheme other than sqlite and postgresql.
    """
    if not text.strip():
        raise EngineError(f"the decision log is not named; use {_FORMS}", "db")
    if text.startswith(POSTGRES_SCHEMES):
        return PostgresTarget(text)
    if text.startswith(SQLITE_SCHEME):
        return SqliteTarget(_sqlite_path(text.removeprefix(SQLITE_SCHEME), text))
    if _URL.match(text) or text.startswith(("postgresql:", "postgres:")):
        scheme = text.split(":", 1)[0]
        raise EngineError(f"{scheme!r} is not a decision log scheme; use {_FORMS}", "db")
    return SqliteTarget(Path(text))


def as_target(db: str | Path | LogTarget) -> LogTarget:
    """A target from `--db` text; a `Path` is always a SQLite file, whatever its name."""
    if isinstance(db, SqliteTarget | PostgresTarget):
        return db
    if isinstance(db, Path):
        return SqliteTarget(db)
    return parse_target(db)
