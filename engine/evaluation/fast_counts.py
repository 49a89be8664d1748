"""`count(...)` on the fast path: a filter compiled into a closure over one entry.

The closure is built from the IR (never from text) and handed to the generated code as a
constant, so a filter adds nothing to the generated source but `cnt(aN, kM)`. An entry is
a person (with `role`, `residence`, `nationality`, `full_time`) or, in a roles list, a
role string, whose only field is the role itself. The durable backend counts its derived
facts with the same closures. This module shares no code with the reference evaluator,
which the differential tests hold it to (`lint-imports` checks that it imports none).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from types import MappingProxyType

from rulesdsl import ir

Test = Callable[[object], bool]
Reader = Callable[[object], object]


def _role(entry: object) -> object:
    return entry if isinstance(entry, str) else entry.role  # type: ignore[attr-defined]


_FIELDS: MappingProxyType[str, Reader] = MappingProxyType(
    {
        "role": _role,
        "residence": lambda entry: entry.residence,  # type: ignore[attr-defined]
        "nationality": lambda entry: entry.nationality,  # type: ignore[attr-defined]
        "full_time": lambda entry: entry.full_time,  # type: ignore[attr-defined]
    }
)


def count_entries(items: Iterable[object], test: Test | None) -> int:
    """How many entries pass `test` (all of them without one)."""
    if test is None:
        return sum(1 for _ in items)
    return sum(1 for entry in items if test(entry))


def _reader(expr: ir.Expr) -> Reader:
    match expr:
        case ir.PersonField(name=name):
            return _FIELDS[name]
        case ir.SymbolConst(value=value) | ir.BoolConst(value=value):
            return lambda entry: value
        case ir.SetConst(values=values):
            members = frozenset(values)
            return lambda entry: members
    raise TypeError(f"not a filter operand: {expr.kind}")


def entry_test(where: ir.Expr) -> Test:
    """The closure deciding whether one entry passes `where`."""
    match where:
        case ir.AllOf(operands=operands):
            every = tuple(entry_test(o) for o in operands)
            return lambda entry: all(test(entry) for test in every)
        case ir.AnyOf(operands=operands):
            some = tuple(entry_test(o) for o in operands)
            return lambda entry: any(test(entry) for test in some)
        case ir.NotExpr(operand=operand):
            inner = entry_test(operand)
            return lambda entry: not inner(entry)
        case ir.PersonField() | ir.BoolConst():
            read = _reader(where)
            return lambda entry: read(entry) is True
        case ir.Comparison(op=op, left=left, right=right):
            holds, first, second = op.holds, _reader(left), _reader(right)
            return lambda entry: bool(holds(first(entry), second(entry)))
        case ir.Membership(item=item, collection=collection):
            element, members = _reader(item), _reader(collection)
            return lambda entry: element(entry) in members(entry)  # type: ignore[operator]
    raise TypeError(f"not a filter: {where.kind}")
