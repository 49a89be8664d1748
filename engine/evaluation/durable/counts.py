"""`count(...)` for durable-rules: counts computed as derived facts.

durable-rules cannot count: its item tests (`$iany`, `$iall`) say whether some or every
item of a list passes, never how many do, and a fact's items are plain values, not the
persons a filter reads several fields of. So each count a requirement list compares is a
field of its own (`key_persons@count<digest>`), computed here when the fact is made, by
this module's own reading of the filter; durable then compares that integer like any
other (`$gte`), and a missing list leaves the field out, so the comparison is unknown.
The field's name carries a digest of the filter, so two counts over one list with
different filters are two fields, and the ruleset JSON stays deterministic.
"""

from __future__ import annotations

import hashlib
import json

from engine.evaluation.durable.formula import FactField
from rulesdsl import ir


def count_field(count: ir.Count) -> FactField:
    """The derived field holding `count` for a fact."""
    where = None if count.where is None else count.where.model_dump(mode="json")
    text = json.dumps(where, sort_keys=True, separators=(",", ":"))
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()[:12]
    name = f"{count.of.name}@count{digest}"
    return FactField(name, "count", count.of.name, "count", where=count.where)


def _value(expr: ir.Expr, entry: object) -> object:
    match expr:
        case ir.PersonField(name="role"):
            return entry if isinstance(entry, str) else getattr(entry, "role")  # noqa: B009
        case ir.PersonField(name=name):
            return getattr(entry, name)
        case ir.SymbolConst(value=value) | ir.BoolConst(value=value):
            return value
        case ir.SetConst(values=values):
            return set(values)
    raise TypeError(f"durable backend: not a filter operand: {expr.kind}")


def _holds(where: ir.Expr, entry: object) -> bool:
    match where:
        case ir.AllOf(operands=operands):
            return all(_holds(o, entry) for o in operands)
        case ir.AnyOf(operands=operands):
            return any(_holds(o, entry) for o in operands)
        case ir.NotExpr(operand=operand):
            return not _holds(operand, entry)
        case ir.PersonField() | ir.BoolConst():
            return _value(where, entry) is True
        case ir.Comparison(op=ir.Op.EQ, left=left, right=right):
            return _value(left, entry) == _value(right, entry)
        case ir.Comparison(op=ir.Op.NE, left=left, right=right):
            return _value(left, entry) != _value(right, entry)
        case ir.Membership(item=item, collection=collection):
            members = _value(collection, entry)
            assert isinstance(members, set)
            return _value(item, entry) in members
    raise TypeError(f"durable backend: not a filter: {where.kind}")


def count_value(spec: FactField, listed: object) -> int:
    """How many entries of a persons list (a tuple) or roles list (a set) pass the filter."""
    if not isinstance(listed, tuple | frozenset):
        raise TypeError(f"durable backend: {spec.attribute} is not a list")
    where = spec.where
    return sum(1 for entry in listed if where is None or _holds(where, entry))
