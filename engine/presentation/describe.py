"""Conditions in words: IR expressions printed as a rule author would write them."""

from __future__ import annotations

from decimal import Decimal
from typing import assert_never

from rulesdsl import ir


def amount_text(amount: Decimal) -> str:
    """`1500000` → `1,500,000`; fractions kept exactly."""
    return f"{amount:,}"


def describe(expr: ir.Expr) -> str:
    """The condition in the rule language's own notation (thousands separated)."""
    match expr:
        case ir.AttrRef(name=name):
            return name
        case ir.MoneyConst(amount=amount, currency=currency):
            return f"{currency} {amount_text(amount)}"
        case ir.PercentConst(value=value):
            return f"{value}%"
        case ir.IntConst(value=value):
            return str(value)
        case ir.BoolConst(value=value):
            return "true" if value else "false"
        case ir.DateConst(value=value):
            return value.isoformat()
        case ir.SymbolConst(value=value):
            return value
        case ir.SetConst(values=values):
            return "[" + ", ".join(values) + "]"
        case ir.PendingConst(currency=currency):
            return f"{currency} pending" if currency else "pending"
        case ir.Unstated(text=text):
            quoted = text.replace("\\", "\\\\").replace('"', '\\"')
            return f'unstated "{quoted}"'
        case ir.Extremum(kind=kind, args=args):
            return f"{kind}(" + ", ".join(describe(a) for a in args) + ")"
        case ir.PercentOf(percent=percent, base=base):
            return f"{percent}% of {describe(base)}"
        case ir.MonthsOf(months=months, base=base):
            return f"{months} months of {describe(base)}"
        case ir.PersonField(name=name):
            return name
        case ir.Count(of=of, where=where):
            test = "" if where is None else f" where {describe(where)}"
            return f"count({of.name}{test})"
        case ir.Comparison(op=op, left=left, right=right):
            return f"{describe(left)} {op.symbol} {describe(right)}"
        case ir.Membership(item=item, collection=collection):
            return f"{describe(item)} in {describe(collection)}"
        case ir.SubsetOf(left=left, right=right):
            return f"{describe(left)} subset {describe(right)}"
        case ir.ContainsItem(collection=collection, item=item):
            return f"{describe(collection)} contains {describe(item)}"
        case ir.NotExpr(operand=operand):
            return f"not ({describe(operand)})"
        case ir.AllOf(operands=operands):
            return " and ".join(_grouped(o) for o in operands)
        case ir.AnyOf(operands=operands):
            return " or ".join(_grouped(o) for o in operands)
        case _:
            assert_never(expr)


def _grouped(expr: ir.Expr) -> str:
    text = describe(expr)
    return f"({text})" if isinstance(expr, ir.AllOf | ir.AnyOf) else text
