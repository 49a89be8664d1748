"""Formulas for the durable-rules ruleset JSON: the building blocks `durable_rules_json`
compiles requirements into (literal tests, conjunctions, disjunctions) and the exact
integer scaling of the values durable compares (see that module's docstring)."""

from __future__ import annotations

import json
import math
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Literal

from engine.errors import EngineError
from rulesdsl import ir

Json = dict[str, Any]
PERCENT_PLACES = 6  # percentages are compared as integers of 10**-6 %
MAX_EXACT = 2**53  # every integer durable sees stays below this (exact as a double too)
MAX_BRANCHES = 1024  # durable expands `$or` into one branch per disjunct: bound the rule
TRUE_FIELD = "@true"  # every fact carries it: the test for a condition that always holds
PENDING_FIELD = "@pending"  # no fact carries it: a pending threshold never decides a rule
UNITS = {"percentage": "%", "integer": "int", "date": "day"}
SCALAR_KINDS = {
    ir.MoneyConst: "money",
    ir.PercentConst: "percentage",
    ir.IntConst: "integer",
    ir.DateConst: "date",
    ir.BoolConst: "boolean",
    ir.SymbolConst: "symbol",
}


def untranslatable(what: str, why: str) -> EngineError:
    """The error for an IR shape the durable backend cannot express exactly."""
    return EngineError(f"durable backend cannot translate {what}: {why}", "backend")


@dataclass(frozen=True, slots=True)
class FactField:
    """One value a fact carries; its name says how it is made from the facts.

    `kind` is `raw` (a boolean or symbol as given), `set` (a sorted list), `empty`
    (whether a set is empty), `scaled` (a number × `multiplier`, money first converted
    into `currency`), `const` (the amount `constant` converted into `currency`, ×
    `multiplier`), `count` (how many entries of the list `attribute` pass `where`: a
    derived fact, see `engine.evaluation.durable.counts`) or `true`.
    """

    name: str
    kind: Literal["raw", "set", "empty", "scaled", "const", "count", "true"]
    attribute: str = ""
    value_kind: str = ""  # the attribute's kind (money, boolean, symbol…)
    currency: str = ""
    multiplier: int = 1
    constant: ir.MoneyConst | None = None
    where: ir.Expr | None = None  # a count's filter (None: every entry)


# A formula is a durable test (JSON), `$and` / `$or` of formulas, or a constant.
Formula = Json | bool
PENDING: Json = {"$ex": {PENDING_FIELD: 1}}


def _junction(op: str, parts: Iterable[Formula]) -> Formula:
    """`$and` / `$or` of parts, flattened, with constants folded away."""
    unit, zero = op == "$and", op != "$and"  # the neutral and the absorbing constant
    unique: dict[str, Json] = {}  # by JSON text: a repeated `$or` branch fires twice
    for part in parts:
        if part is zero:
            return zero
        if isinstance(part, dict):
            for item in part[op] if list(part) == [op] else [part]:
                unique.setdefault(json.dumps(item, sort_keys=True), item)
    kept = list(unique.values())
    if not kept:
        return unit
    return kept[0] if len(kept) == 1 else {op: kept}


def all_of(parts: Iterable[Formula]) -> Formula:
    """Conjunction of formulas."""
    return _junction("$and", parts)


def any_of(parts: Iterable[Formula]) -> Formula:
    """Disjunction of formulas."""
    return _junction("$or", parts)


def to_json(formula: Formula) -> Json:
    """A formula as a rule's test; `True` tests the field every fact carries."""
    if formula is False:
        raise EngineError("a condition that never holds has no rule", "backend")
    return {TRUE_FIELD: True} if formula is True else formula


def fields_of(formula: Formula) -> frozenset[str]:
    """The fact fields a formula reads: keys that are no `$` operator, and `$m` targets."""
    if isinstance(formula, bool):
        return frozenset({TRUE_FIELD} if formula else ())
    found: set[str] = set()
    todo: list[object] = [formula]
    while todo:
        node = todo.pop()
        if isinstance(node, dict):
            found.update(k for k in node if not k.startswith("$"))
            found.update(v for k, v in node.items() if k == "$m")
            todo.extend(node.values())
        elif isinstance(node, list):
            todo.extend(node)
    return frozenset(found - {PENDING_FIELD})


def branches(formula: Formula) -> int:
    """How many branches durable makes of a rule (it fires once per true branch)."""
    if isinstance(formula, dict) and list(formula) in (["$and"], ["$or"]):
        counts = [branches(part) for part in next(iter(formula.values()))]
        return math.prod(counts) if "$and" in formula else sum(counts)
    return 1


def places(number: Decimal) -> int:
    """Decimal places a number needs (trailing zeros do not count)."""
    exponent = number.normalize().as_tuple().exponent
    return -exponent if isinstance(exponent, int) and exponent < 0 else 0


def exact_integer(number: Decimal, what: str, path: str = "backend") -> int:
    """`number` as an int, or an error if it is not a whole number below 2**53."""
    if not number.is_finite() or number != number.to_integral_value():
        raise EngineError(f"durable backend: {what} is not a whole number at its scale", path)
    if abs(number) >= MAX_EXACT:
        raise EngineError(f"durable backend: {what} is too large (2**53 or more)", path)
    return int(number)


def amount_text(amount: Decimal) -> str:
    # Field names are paths to durable, where "." means a nested object.
    return format(amount, "f").replace(".", "_")


# ---- operands of ordered comparisons ---------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Scale:
    """How one comparison's numbers become integers: units of 10**-exponent `unit`."""

    kind: str  # money, percentage, integer or date
    unit: str  # the comparison currency, %, int or day
    exponent: int


@dataclass(frozen=True, slots=True)
class Atom:
    """An attribute, an amount converted at evaluation time, or a value known now; × factor."""

    attribute: str = ""
    constant: ir.MoneyConst | None = None
    value: Decimal | None = None
    factor: Decimal = Decimal(1)
    pending: bool = False  # a threshold not yet published: no comparison with it decides


@dataclass(frozen=True, slots=True)
class Extreme:
    """`max` / `min`; `whole` when the reference computes it as one value (under `% of`)."""

    kind: ir.Extreme
    args: tuple[Atom | Extreme, ...]
    whole: bool = False


Operand = Atom | Extreme


def times(operand: Operand, factor: Decimal) -> Operand:
    """`factor × operand`; factors are never negative (shares, also above 100 %, and numbers
    of months), so max and min keep their order."""
    if isinstance(operand, Extreme):
        args = tuple(times(arg, factor) for arg in operand.args)
        return Extreme(operand.kind, args, whole=True)
    return Atom(
        operand.attribute, operand.constant, operand.value, operand.factor * factor, operand.pending
    )


def opens(operand: Operand) -> bool:
    """Whether the reference splits a comparison with `operand` into one per argument."""
    return isinstance(operand, Extreme) and not operand.whole


def operand_atoms(operand: Operand) -> list[Atom]:
    if isinstance(operand, Extreme):
        return [atom for arg in operand.args for atom in operand_atoms(arg)]
    return [operand]


def leaves(expr: ir.Expr) -> list[ir.Expr]:
    """The attributes and literals of a comparison, through max, min and `% of`."""
    match expr:
        case ir.Comparison(left=left, right=right):
            return leaves(left) + leaves(right)
        case ir.Extremum(args=args):
            return [leaf for arg in args for leaf in leaves(arg)]
        case ir.PercentOf(base=base) | ir.MonthsOf(base=base):
            return leaves(base)
    return [expr]


@dataclass(frozen=True, slots=True)
class FieldRef:
    """A raw fact field as one side of an equality."""

    name: str


def exists(name: str) -> Json:
    return {"$ex": {name: 1}}


def literal_test(op: ir.Op, name: str, bound: FieldRef | int | str | bool) -> Formula:
    """`name op bound`, where `bound` is a value or another field."""
    target = {"$m": bound.name} if isinstance(bound, FieldRef) else bound
    test = {name: target} if op.durable is None else {op.durable: {name: target}}
    if not isinstance(bound, FieldRef):
        return test
    # durable compares a field with a *missing* field as with garbage (`x < missing` and
    # `x >= missing` can both hold), so the other field must be shown to exist first.
    return all_of([exists(bound.name), test])


# ---- sets ------------------------------------------------------------------------------------


def has(name: str, value: str, positive: bool) -> Formula:
    """Set field `name` holds `value` (or not: `allItems` is false on [], hence @empty)."""
    if positive:
        return {"$iany": {name: {"$i": value}}}
    empty = {f"{name}@empty": True}
    lacks = {"$iall": {name: {"$neq": {"$i": value}}}}
    return any_of([empty, lacks])


def within(name: str, values: tuple[str, ...], positive: bool) -> Formula:
    """Every item of set field `name` is one of `values` (or some item is none)."""
    empty = f"{name}@empty"
    if positive:
        each = _one([{"$i": value} for value in values], "$or")
        every = {"$iall": {name: each}} if values else False
        return any_of([{empty: True}, every])
    if not values:
        return {empty: False}
    each = _one([{"$neq": {"$i": value}} for value in values], "$and")
    return {"$iany": {name: each}}


def _one(tests: list[Json], op: str) -> Json:
    """Item tests joined inside `$iall` / `$iany` (durable keeps those as one branch)."""
    return tests[0] if len(tests) == 1 else {op: tests}
