"""Exhaustive walks over IR expressions.

`children` names the sub-expressions of every node kind, with `assert_never` for the
rest: a node kind added to `ir.Expr` and forgotten here fails mypy, and the generic folds
below (`nodes`, `attributes_read`) never silently skip part of a condition.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import assert_never

from rulesdsl.ir.expressions import (
    AllOf,
    AnyOf,
    AttrRef,
    BoolConst,
    Comparison,
    ContainsItem,
    Count,
    DateConst,
    Expr,
    Extremum,
    IntConst,
    Membership,
    MoneyConst,
    MonthsOf,
    NotExpr,
    PendingConst,
    PercentConst,
    PercentOf,
    PersonField,
    SetConst,
    SubsetOf,
    SymbolConst,
    Unstated,
)


def children(expr: Expr) -> tuple[Expr, ...]:
    """The direct sub-expressions of a node, in source order."""
    match expr:
        case (
            AttrRef()
            | MoneyConst()
            | PercentConst()
            | IntConst()
            | BoolConst()
            | DateConst()
            | SymbolConst()
            | SetConst()
            | PendingConst()
            | Unstated()
            | PersonField()
        ):
            return ()
        case Extremum(args=args):
            return args
        case PercentOf(base=base) | MonthsOf(base=base):
            return (base,)
        case Count(of=of, where=where):
            return (of,) if where is None else (of, where)
        case Comparison(left=left, right=right) | SubsetOf(left=left, right=right):
            return (left, right)
        case Membership(item=item, collection=collection):
            return (item, collection)
        case ContainsItem(collection=collection, item=item):
            return (collection, item)
        case NotExpr(operand=operand):
            return (operand,)
        case AllOf(operands=operands) | AnyOf(operands=operands):
            return operands
        case _:
            assert_never(expr)


def nodes(expr: Expr | None) -> Iterator[Expr]:
    """Every node of an expression, depth first, parents before children."""
    if expr is None:
        return
    todo = [expr]
    while todo:
        node = todo.pop()
        yield node
        todo.extend(reversed(children(node)))


def attributes_read(*exprs: Expr | None) -> tuple[str, ...]:
    """The attributes the expressions read, in first-use order, each once."""
    found = (node.name for expr in exprs for node in nodes(expr) if isinstance(node, AttrRef))
    return tuple(dict.fromkeys(found))
