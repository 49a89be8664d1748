"""Canonical forms of the IR, for content hashes: what the rules say, not how they are laid out.

The IR holds no source positions. What is left of the layout is order: files are read in
path order and declarations are kept in the order written. The canonical form sorts every
list of declarations by id (and by start date where one id has dated versions), so moving a
requirement within a file, or to another file, leaves the hash unchanged. Lists whose order
carries meaning are kept as written: the operands of a condition, the values of an enum,
the rates of an FX table (its first base currency is the table's pivot).

FX tables are not part of `rules_hash`: they are hashed on their own (`canonical_fx`), so an
answer says separately which rules and which rates it used.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Sequence
from typing import Any

from rulesdsl.ir.model import Bundle, FxTable

JsonObject = dict[str, Any]


def canonical_json(value: Any) -> str:
    """JSON with sorted keys, no spaces and no escaping: one text for one value."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def _field(item: JsonObject, dotted: str) -> str:
    value: Any = item
    for part in dotted.split("."):
        value = value.get(part) if isinstance(value, dict) else None
    return "" if value is None else str(value)


def _by(items: Iterable[JsonObject], *fields: str) -> list[JsonObject]:
    """`items` sorted by `fields`; the whole entry breaks ties, so no order survives."""
    return sorted(items, key=lambda i: (*(_field(i, f) for f in fields), canonical_json(i)))


def _jurisdiction(data: JsonObject) -> JsonObject:
    return data | {
        "regimes": _by(data["regimes"], "activity", "period.start"),
        "instruments": _by(data["instruments"], "id"),
        "licences": _by(data["licences"], "id"),
        "requirements": _by(data["requirements"], "id", "period.start"),
    }


def canonical_rules(bundle: Bundle) -> JsonObject:
    """The bundle without its FX tables, every list of declarations in a canonical order."""
    data = bundle.model_dump(mode="json", exclude={"fx"})
    vocabulary = data["vocabulary"]
    return data | {
        "vocabulary": vocabulary
        | {
            "currencies": _by(vocabulary["currencies"], "code"),
            "activities": _by(vocabulary["activities"], "id"),
            "categories": _by(vocabulary["categories"], "id"),
            "bodies": _by(vocabulary["bodies"], "id"),
            "attributes": _by(vocabulary["attributes"], "name"),
        },
        "instruments": _by(data["instruments"], "id"),
        "jurisdictions": _by((_jurisdiction(j) for j in data["jurisdictions"]), "code"),
        "frameworks": _by(data["frameworks"], "id", "period.start"),
        "fatf": _by(data["fatf"], "country", "list", "period.start"),
    }


def canonical_fx(tables: Sequence[FxTable]) -> list[JsonObject]:
    """FX tables by the date they take effect; each table's rates as written."""
    return _by((t.model_dump(mode="json") for t in tables), "valid_from")


def digest(value: Any) -> str:
    """SHA-256 (hex) of a JSON value's canonical text."""
    return hashlib.sha256(canonical_json(value).encode("utf-8")).hexdigest()


def rules_hash(bundle: Bundle) -> str:
    """The content hash of a bundle's rules: independent of file layout, order and source
    locations, and of its FX tables."""
    return digest(canonical_rules(bundle))
