"""`count(...)` for durable-rules: counts computed as derived facts.

durable-rules cannot count: its item tests (`$iany`, `$iall`) say whether some or every
item of a list passes, never how many do, and a fact's items are plain values, not the
persons a filter reads several fields of. So each count a requirement list compares is a
field of its own (`key_persons@count<digest>`), computed here when the fact is made, with
the filter compiled as the fast path compiles it (`engine.evaluation.fast_counts`; the
reference evaluator's own reading stays independent of both, and the differential test
holds them to it); durable then compares that integer like any other (`$gte`), and a
missing list leaves the field out, so the comparison is unknown.
The field's name carries a digest of the filter, so two counts over one list with
different filters are two fields, and the ruleset JSON stays deterministic.
"""

from __future__ import annotations

import hashlib
import json

from engine.evaluation.durable.formula import FactField
from engine.evaluation.fast_counts import count_entries, entry_test
from rulesdsl import ir


def count_field(count: ir.Count) -> FactField:
    """The derived field holding `count` for a fact."""
    where = None if count.where is None else count.where.model_dump(mode="json")
    text = json.dumps(where, sort_keys=True, separators=(",", ":"))
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()[:12]
    name = f"{count.of.name}@count{digest}"
    return FactField(name, "count", count.of.name, "count", where=count.where)


def count_value(spec: FactField, listed: object) -> int:
    """How many entries of a persons list (a tuple) or roles list (a set) pass the filter."""
    if not isinstance(listed, tuple | frozenset):
        raise TypeError(f"durable backend: {spec.attribute} is not a list")
    return count_entries(listed, entry_test(spec.where) if spec.where is not None else None)
