"""The one operator table: what every pass knows about the comparison operators.

Each operator's symbol (also the rule language's and the IR JSON's spelling), its mirror
(the operator with the operands swapped), its negation, the Python function that decides
it, the Python source the fast path emits and the test durable-rules writes for it. The
table is built by an exhaustive `match`, so an operator added to `Op` and left out here
fails mypy (and the import); every pass that switches on an operator reads this table or
matches with `assert_never`, so a new operator breaks each pass that does not handle it.

The extremum functions (`max`, `min`) and how a comparison with one splits into one
comparison per argument are stated here too, once, for the evaluators and the prover.
"""

from __future__ import annotations

import operator
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from types import MappingProxyType
from typing import Any, Literal, assert_never


class Op(StrEnum):
    """A comparison operator; its value is its symbol (`>=`)."""

    GE = ">="
    GT = ">"
    LE = "<="
    LT = "<"
    EQ = "=="
    NE = "!="

    @property
    def symbol(self) -> str:
        """How the rule language and explanations write it."""
        return self.value

    @property
    def mirror(self) -> Op:
        """The operator with the operands swapped: `a >= b` is `b <= a`."""
        return _TABLE[self].mirror

    @property
    def negation(self) -> Op:
        """The operator of the negated comparison: `not (a >= b)` is `a < b`."""
        return _TABLE[self].negation

    @property
    def holds(self) -> Callable[[Any, Any], bool]:
        """The Python function deciding `left op right` on plain values."""
        return _TABLE[self].holds

    @property
    def source(self) -> str:
        """The Python operator the fast path writes into generated code."""
        return _TABLE[self].source

    @property
    def durable(self) -> str | None:
        """durable-rules' name for the test; None: durable writes equality as `{field: value}`."""
        return _TABLE[self].durable

    @property
    def ordered(self) -> bool:
        """Whether it orders its operands (`>=`, `>`, `<=`, `<`), not only equates them."""
        return _TABLE[self].bound is not None

    @property
    def bound(self) -> Bound | None:
        """For an ordered operator, what the right side is to the left: a minimum or a maximum."""
        return _TABLE[self].bound

    @property
    def strict(self) -> bool:
        """Whether equality fails it (`>`, `<`, `!=`)."""
        return not self.holds(0, 0)


Bound = Literal["minimum", "maximum"]  # `x >= 5`: 5 is a minimum for x
Extreme = Literal["max", "min"]


@dataclass(frozen=True, slots=True)
class _Facts:
    mirror: Op
    negation: Op
    holds: Callable[[Any, Any], bool]
    source: str
    durable: str | None
    bound: Bound | None


def _facts(op: Op) -> _Facts:
    match op:
        case Op.GE:
            return _Facts(Op.LE, Op.LT, operator.ge, ">=", "$gte", "minimum")
        case Op.GT:
            return _Facts(Op.LT, Op.LE, operator.gt, ">", "$gt", "minimum")
        case Op.LE:
            return _Facts(Op.GE, Op.GT, operator.le, "<=", "$lte", "maximum")
        case Op.LT:
            return _Facts(Op.GT, Op.GE, operator.lt, "<", "$lt", "maximum")
        case Op.EQ:
            return _Facts(Op.EQ, Op.NE, operator.eq, "==", None, None)
        case Op.NE:
            return _Facts(Op.NE, Op.EQ, operator.ne, "!=", "$neq", None)
        case _:
            assert_never(op)


_TABLE = MappingProxyType({op: _facts(op) for op in Op})


def extremum_function(kind: Extreme) -> Callable[..., Any]:
    """The Python function computing `max(…)` or `min(…)`."""
    match kind:
        case "max":
            return max
        case "min":
            return min
        case _:
            assert_never(kind)


def splits_into_all(op: Op, kind: Extreme) -> bool | None:
    """How `x op max(a, b)` (the extremum on the right) splits into one comparison per
    argument: True for all of them (`x >= max(a, b)` is `x >= a and x >= b`), False for
    any of them (`x <= max(a, b)`), None when it does not split (`==`, `!=`)."""
    bound = op.bound
    if bound is None:
        return None
    return (kind == "max") == (bound == "minimum")
