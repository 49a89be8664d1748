"""The fast path: requirement lists compiled once into plain Python functions.

A list of requirements becomes one generated function that returns each requirement's
status. Safety (DESIGN §6): the generated source holds no text from a rule file at all:
attribute names and literal values live in a constants tuple `K` and are referenced by
index, and the function runs with no builtins but `max` and `min`. Rule files therefore
cannot make the engine run code.

Speed: money is converted once per question into the currencies the list compares in
(`prepare`), so the generated code compares plain Decimals. When an attribute the
condition needs is missing, or a threshold is pending, the generated code returns `SLOW`
for that requirement and the reference evaluator (Kleene logic) decides it, so both paths
agree by construction on exactly those cases and the fast path covers the rest.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from engine.evaluate import Context, Status, comparison_currency, requirement_status
from engine.facts import Value
from engine.money import Money
from rulesdsl import ir

SLOW = None  # "let the reference evaluator decide"
_LOCAL = re.compile(r"\ba\d+\b")
_OPS = {"ge": ">=", "gt": ">", "le": "<=", "lt": "<", "eq": "==", "ne": "!="}


class NotCompilableError(Exception):
    """A condition shape the generator leaves to the reference evaluator."""


@dataclass
class _Emitter:
    """Builds one function's source; constants go to `consts`, never into the text."""

    consts: list[object] = field(default_factory=list)
    keys: dict[str, str] = field(default_factory=dict)  # value key -> local variable
    needs: set[tuple[str, str]] = field(default_factory=set)  # (attribute, currency)
    money_attributes: frozenset[str] = frozenset()

    def const(self, value: object) -> str:
        self.consts.append(value)
        return f"K[{len(self.consts) - 1}]"

    def local(self, key: str) -> str:
        if key not in self.keys:
            self.keys[key] = f"a{len(self.keys)}"
        return self.keys[key]

    def attribute(self, name: str, currency: str) -> str:
        if name in self.money_attributes:
            self.needs.add((name, currency))
            return self.local(f"{name}@{currency}")
        return self.local(name)

    def value(self, expr: ir.Expr, currency: str) -> str:
        match expr:
            case ir.AttrRef(name=name):
                return self.attribute(name, currency)
            case ir.MoneyConst(amount=amount, currency=own):
                if own != currency:
                    raise NotCompilableError("amounts in two currencies in one comparison")
                return self.const(amount)
            case ir.PercentConst(value=number):
                return self.const(number)
            case ir.IntConst(value=number) | ir.BoolConst(value=number):
                return self.const(number)
            case ir.DateConst(value=day):
                return self.const(day)
            case ir.SymbolConst(value=symbol):
                return self.const(symbol)
            case ir.SetConst(values=values):
                return self.const(frozenset(values))
            case ir.Extremum(kind=kind, args=args):
                return f"{kind}(" + ", ".join(self.value(a, currency) for a in args) + ")"
            case ir.PercentOf(percent=percent, base=base):
                return f"({self.value(base, currency)} * {self.const(percent / 100)})"
        raise NotCompilableError(expr.kind)

    def condition(self, expr: ir.Expr, currency: str) -> str:
        match expr:
            case ir.AllOf(operands=operands):
                return "(" + " and ".join(self.condition(o, currency) for o in operands) + ")"
            case ir.AnyOf(operands=operands):
                return "(" + " or ".join(self.condition(o, currency) for o in operands) + ")"
            case ir.NotExpr(operand=operand):
                return f"(not {self.condition(operand, currency)})"
            case ir.Comparison(op=op, left=left, right=right):
                here = comparison_currency(expr, currency)
                return f"({self.value(left, here)} {_OPS[op]} {self.value(right, here)})"
            case ir.Membership(item=item, collection=collection):
                return f"({self.value(item, currency)} in {self.value(collection, currency)})"
            case ir.SubsetOf(left=left, right=right):
                return f"({self.value(left, currency)} <= {self.value(right, currency)})"
            case ir.ContainsItem(collection=collection, item=item):
                return f"({self.value(item, currency)} in {self.value(collection, currency)})"
            case ir.AttrRef():
                return f"({self.value(expr, currency)} is True)"
        raise NotCompilableError(expr.kind)


def _block(emitter: _Emitter, requirement: ir.Requirement, currency: str) -> list[str]:
    """Source lines appending one requirement's status to `out`."""
    if requirement.pending:
        return ["    out(SLOW)"]
    try:
        require = emitter.condition(requirement.require, currency)
        when = emitter.condition(requirement.when, currency) if requirement.when else None
    except NotCompilableError:
        return ["    out(SLOW)"]
    used = _locals_in(require, when)
    lines = []
    if used:
        lines.append("    if " + " or ".join(f"{v} is None" for v in used) + ":")
        lines.append("        out(SLOW)")
        lines.append("    elif " + (f"not {when}" if when else "False") + ":")
    else:
        lines.append("    if " + (f"not {when}" if when else "False") + ":")
    lines.append("        out(NA)")
    lines.append(f"    elif {require}:")
    lines.append("        out(MET)")
    lines.append("    else:")
    lines.append("        out(UNMET)")
    return lines


def _locals_in(*texts: str | None) -> list[str]:
    """The local variables (a0, a1, …) a generated condition reads, in a stable order."""
    found = {m for t in texts if t for m in _LOCAL.findall(t)}
    return sorted(found, key=lambda name: int(name[1:]))


@dataclass(frozen=True)
class CompiledList:
    """One generated function for a list of requirements, and what it needs."""

    requirements: tuple[ir.Requirement, ...]
    source: str
    function: Callable[[Mapping[str, object]], list[Status | None]]
    needs: frozenset[tuple[str, str]]


def compile_requirements(
    requirements: Sequence[ir.Requirement], currency: str, money_attributes: Iterable[str]
) -> CompiledList:
    """Compile a requirement list for a jurisdiction whose own currency is `currency`."""
    emitter = _Emitter(money_attributes=frozenset(money_attributes))
    body: list[str] = []
    for requirement in requirements:
        body.extend(_block(emitter, requirement, currency))
    header = ["def evaluate(v):", "    result = []", "    out = result.append", "    get = v.get"]
    for key, var in emitter.keys.items():
        header.append(f"    {var} = get({emitter.const(key)})")
    source = "\n".join([*header, *body, "    return result", ""])
    namespace: dict[str, object] = {
        "__builtins__": {},
        "max": max,
        "min": min,
        "K": tuple(emitter.consts),
        "SLOW": SLOW,
        "MET": "met",
        "UNMET": "unmet",
        "NA": "not_applicable",
    }
    exec(compile(source, "<jawaz-compiled>", "exec"), namespace)  # source built from indices only
    function = namespace["evaluate"]
    return CompiledList(tuple(requirements), source, function, frozenset(emitter.needs))  # type: ignore[arg-type]


def prepare(
    facts: Mapping[str, Value], needs: Iterable[tuple[str, str]], ctx: Context
) -> dict[str, object]:
    """The facts with money converted into the currencies the compiled code compares in.

    A conversion that cannot be made (no FX rate) is left out, so the requirement falls
    to the reference evaluator, which reports it.
    """
    values: dict[str, object] = {k: v for k, v in facts.items() if not isinstance(v, Money)}
    for name, currency in needs:
        money = facts.get(name)
        if isinstance(money, Money):
            converted = ctx.convert(money, currency)
            if isinstance(converted, Money):
                values[f"{name}@{currency}"] = converted.amount
    return values


class FastBackend:
    """Statuses from compiled code, with the reference evaluator for the SLOW cases."""

    def __init__(self, money_attributes: Iterable[str]) -> None:
        self.money_attributes = frozenset(money_attributes)
        self._cache: dict[tuple[int, ...], CompiledList] = {}

    def compiled(self, requirements: Sequence[ir.Requirement], currency: str) -> CompiledList:
        key = tuple(id(r) for r in requirements)
        found = self._cache.get(key)
        if found is None:
            found = compile_requirements(requirements, currency, self.money_attributes)
            self._cache[key] = found
        return found

    def __call__(self, requirements: Sequence[ir.Requirement], ctx: Context) -> list[Status]:
        compiled = self.compiled(requirements, ctx.currency)
        values = prepare(ctx.facts, compiled.needs, ctx)
        fast = compiled.function(values)
        return [
            status if status is not SLOW else requirement_status(requirement, ctx)[0]
            for status, requirement in zip(fast, requirements, strict=True)
        ]


def decimal_places(value: Decimal) -> int:
    """How many decimal places a Decimal has (helper for tests and tools)."""
    exponent = value.as_tuple().exponent
    return -exponent if isinstance(exponent, int) and exponent < 0 else 0
