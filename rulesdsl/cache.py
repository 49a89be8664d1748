"""A cache of checked bundles, so a cold `jawaz passport` does not re-parse every file.

The key is a SHA-256 over the language implementation (this package's sources and grammar)
and every rule file's path and bytes, so any change to either misses. Entries are IR JSON,
validated by the same strict models on the way back in, each with its rules hash beside it
(`KEY.hash`). Other start-up data is kept here too, each under a key of everything it is
made from (the ECB history: `engine.inputs.ecb`). The cache is an optimisation only:
any problem reading or writing it is ignored and the bundle is built from source. Set
`JAWAZ_CACHE_DIR` to move it, or to an empty string to turn it off.
"""

from __future__ import annotations

import functools
import hashlib
import os
from pathlib import Path

from pydantic import ValidationError

from rulesdsl import ir


def cache_dir() -> Path | None:
    """Where entries live, or None when caching is off."""
    configured = os.environ.get("JAWAZ_CACHE_DIR")
    if configured is not None:
        return Path(configured) if configured else None
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "jawaz"


@functools.cache
def _implementation_digest() -> str:
    package = Path(__file__).resolve().parent
    digest = hashlib.sha256()
    for path in sorted([*package.rglob("*.py"), *package.rglob("*.lark")]):
        digest.update(str(path.relative_to(package)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def bundle_key(folder: Path, files: list[Path]) -> str:
    """The cache key of a bundle made of `files` under `folder`."""
    digest = hashlib.sha256(_implementation_digest().encode())
    for path in files:
        digest.update(str(path.relative_to(folder)).encode() + b"\0")
        digest.update(path.read_bytes() + b"\0")
    return digest.hexdigest()


def load(key: str) -> ir.Bundle | None:
    """The cached bundle for `key`, if there is a readable, valid one."""
    folder = cache_dir()
    if folder is None:
        return None
    try:
        return ir.Bundle.model_validate_json((folder / f"{key}.json").read_bytes())
    except (OSError, ValidationError, ValueError):
        return None


def load_hash(key: str) -> str | None:
    """The rules hash kept beside the cached bundle for `key`, if there is a well-formed one
    (it is a pure function of the bundle, so of `key`: kept, it spares hashing the IR on
    every start)."""
    folder = cache_dir()
    if folder is None:
        return None
    try:
        text = (folder / f"{key}.hash").read_text(encoding="ascii").strip()
    except (OSError, UnicodeDecodeError):
        return None
    well_formed = len(text) == 64 and all(c in "0123456789abcdef" for c in text)
    return text if well_formed else None


def store_hash(key: str, rules_hash: str) -> None:
    """Keep a bundle's rules hash beside it (failures are ignored)."""
    folder = cache_dir()
    if folder is not None:
        store_bytes(folder / f"{key}.hash", rules_hash.encode("ascii"))


def store(key: str, bundle: ir.Bundle) -> None:
    """Keep a bundle for next time (atomically; failures are ignored)."""
    folder = cache_dir()
    if folder is None:
        return
    store_bytes(folder / f"{key}.json", bundle.model_dump_json().encode("utf-8"))


def store_bytes(entry: Path, data: bytes) -> None:
    """Write one cache entry atomically, so a reader never sees half of it; failures are
    ignored (the cache is an optimisation only)."""
    try:
        entry.parent.mkdir(parents=True, exist_ok=True)
        temporary = entry.with_name(f".{entry.name}.{os.getpid()}.tmp")
        temporary.write_bytes(data)
        os.replace(temporary, entry)
    except OSError:
        return
