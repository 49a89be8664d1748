"""`count(...)` for the reference evaluator: which entries of a list pass a filter, and the
filter in words for explanations.

An entry is a `Person` of a persons list, or a role (a string) of a roles list, whose only
field is `role`. A filter is built of comparisons of a field with a value (`==`, `!=`),
`role in [...]`, a bare `full_time`, `not`, `and` and `or`; the checker admits nothing
else, and the profile gives every field of every person, so a filter is always true or
false: only a missing list makes a count unknown.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import assert_never

from engine.inputs.persons import Person
from rulesdsl import ir

Entry = Person | str


def entries(listed: object) -> tuple[Entry, ...]:
    """The entries of a persons list (in order) or of a roles list (sorted: distinct roles)."""
    if isinstance(listed, frozenset):
        return tuple(sorted(listed))
    if isinstance(listed, tuple):
        return tuple(listed)
    raise TypeError(f"not a list of persons or roles: {type(listed).__name__}")


def field(entry: Entry, name: ir.PersonFieldName) -> str | bool:
    """One field of an entry (a role's only field is `role`)."""
    if isinstance(entry, str):
        if name != "role":
            raise TypeError(f"a role has no field {name}")
        return entry
    value: str | bool = getattr(entry, name)
    return value


def _operand(expr: ir.Expr, entry: Entry) -> object:
    match expr:
        case ir.PersonField(name=name):
            return field(entry, name)
        case ir.SymbolConst(value=value) | ir.BoolConst(value=value):
            return value
        case ir.SetConst(values=values):
            return frozenset(values)
    raise TypeError(f"not a filter operand: {expr.kind}")


def passes(where: ir.Expr, entry: Entry) -> bool:
    """Whether one entry passes a filter."""
    match where:
        case ir.AllOf(operands=operands):
            return all(passes(o, entry) for o in operands)
        case ir.AnyOf(operands=operands):
            return any(passes(o, entry) for o in operands)
        case ir.NotExpr(operand=operand):
            return not passes(operand, entry)
        case ir.PersonField() | ir.BoolConst():
            return _operand(where, entry) is True
        case ir.Comparison(op=op, left=left, right=right):
            return bool(op.holds(_operand(left, entry), _operand(right, entry)))
        case ir.Membership(item=item, collection=collection):
            found = _operand(collection, entry)
            assert isinstance(found, frozenset)
            return _operand(item, entry) in found
    raise TypeError(f"not a filter: {where.kind}")


def passing(count: ir.Count, listed: object) -> list[Entry]:
    """The entries of `listed` that `count` counts."""
    return [e for e in entries(listed) if count.where is None or passes(count.where, e)]


# ---- in words ----------------------------------------------------------------------------


def _test_words(expr: ir.Expr) -> str:
    match expr:
        case (
            ir.Comparison(op=op, left=ir.PersonField(name=name), right=right)
            | ir.Comparison(op=op, right=ir.PersonField(name=name), left=right)
        ) if isinstance(right, ir.SymbolConst | ir.BoolConst):
            words = _field_words(name, right.value)
            return words if op == ir.Op.EQ else f"not {words}"
        case ir.Membership(item=ir.PersonField(name=name), collection=ir.SetConst(values=values)):
            return _field_words(name, " or ".join(values))
        case ir.PersonField(name=name):
            return _field_words(name, True)
    return words_of(expr)


def _field_words(name: ir.PersonFieldName, value: object) -> str:
    match name:
        case "role":
            return f"as {value}"
        case "residence":
            return f"resident in {value}"
        case "nationality":
            return f"of {value} nationality"
        case "full_time":
            return "full-time" if value is True else "not full-time"
        case _:
            assert_never(name)


def words_of(where: ir.Expr) -> str:
    """A filter as a compliance officer reads it: `resident in AE or of AE nationality`."""
    match where:
        case ir.AllOf(operands=operands):
            return _join((_nested(o) for o in operands), "and")
        case ir.AnyOf(operands=operands):
            return _join((_nested(o) for o in operands), "or")
        case ir.NotExpr(operand=operand):
            return f"not {_nested(operand)}"
    return _test_words(where)


def _nested(expr: ir.Expr) -> str:
    text = words_of(expr)
    return f"({text})" if isinstance(expr, ir.AllOf | ir.AnyOf) else text


def _join(parts: Iterable[str], word: str) -> str:
    items = list(parts)
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} {word} {items[-1]}"


def required_words(count: ir.Count, bar: object, persons: bool) -> str:
    """What a count must reach: `2 persons resident in AE or of AE nationality`."""
    noun = ("person" if persons else "role") + ("" if bar == 1 else "s")
    if count.where is None:
        return f"{bar} {noun}"
    return f"{bar} {noun} {words_of(count.where)}"


SHOWN = 5  # entries named in an explanation; more are counted, not listed


def actual_words(found: list[Entry]) -> str:
    """What the firm has: `1: Ms X (ceo)`; the count alone when none pass."""
    if not found:
        return "0"
    labels = [e if isinstance(e, str) else e.label() for e in found[:SHOWN]]
    more = f" and {len(found) - SHOWN} more" if len(found) > SHOWN else ""
    return f"{len(found)}: {', '.join(labels)}{more}"
