"""IR → durable-rules ruleset JSON (DESIGN §6): plain, deterministic, golden-tested.

Every requirement becomes rules over one fact: `met` (when ∧ require), `unmet` (when ∧
¬require), `not_applicable` (¬when) and, with a `when`, `applies` (when); if no status
rule fires the status is `unknown`. That is exact for Kleene logic because each rule is
in negation normal form (durable has no `not`) and every literal is false when a value
it needs is missing: durable treats a comparison on a missing field as false (`!=`
included); a field compared with another field that is missing is *not* false, so the
other field is tested to exist first; a `pending` threshold is a test on a field no fact
carries; `x >= max(a, b)` is split as the reference splits it (`x >= a and x >= b`), and
comparisons it keeps whole (`==`, `% of max()`) test that every value exists.

Values durable cannot hold exactly are made integers here: money in integer multiples of
the comparison currency's minor units (or finer, if a literal needs it), percentages at
`PERCENT_PLACES` decimals (or more), dates as ordinal days; `25% of x` becomes a copy of
`x` pre-multiplied by an integer factor, so durable never multiplies (arithmetic on a
missing field is not false in durable either). A shape that cannot be translated exactly
is an `EngineError` here, at compile time, never a silent difference.
"""

from __future__ import annotations

import json
import math
import operator
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Literal

from engine.errors import EngineError
from engine.evaluate import comparison_currency
from rulesdsl import ir

Json = dict[str, Any]
Firing = Literal["met", "unmet", "not_applicable", "applies"]  # what a rule reports
PERCENT_PLACES = 6  # percentages are compared as integers of 10**-6 %
MAX_EXACT = 2**53  # every integer durable sees stays below this (exact as a double too)
MAX_BRANCHES = 1024  # durable expands `$or` into one branch per disjunct: bound the rule
TRUE_FIELD = "@true"  # every fact carries it: the test for a condition that always holds
PENDING_FIELD = "@pending"  # no fact carries it: a pending threshold never decides a rule
_NEGATE = {"ge": "lt", "gt": "le", "le": "gt", "lt": "ge", "eq": "ne", "ne": "eq"}
_MIRROR = {"ge": "le", "gt": "lt", "le": "ge", "lt": "gt", "eq": "eq", "ne": "ne"}
_DURABLE_OP = {"ge": "$gte", "gt": "$gt", "le": "$lte", "lt": "$lt", "ne": "$neq"}
_HOLDS: Mapping[str, Callable[[Any, Any], bool]] = {
    "ge": operator.ge, "gt": operator.gt, "le": operator.le,
    "lt": operator.lt, "eq": operator.eq, "ne": operator.ne,
}  # fmt: skip
_UNITS = {"percentage": "%", "integer": "int", "date": "day"}
_SCALAR_KINDS = {
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
    `multiplier`) or `true`.
    """

    name: str
    kind: Literal["raw", "set", "empty", "scaled", "const", "true"]
    attribute: str = ""
    value_kind: str = ""  # the attribute's kind (money, boolean, symbol…)
    currency: str = ""
    multiplier: int = 1
    constant: ir.MoneyConst | None = None


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


def _amount_text(amount: Decimal) -> str:
    # Field names are paths to durable, where "." means a nested object.
    return format(amount, "f").replace(".", "_")


# ---- operands of ordered comparisons ---------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Scale:
    """How one comparison's numbers become integers: units of 10**-exponent `unit`."""

    kind: str  # money, percentage, integer or date
    unit: str  # the comparison currency, %, int or day
    exponent: int


@dataclass(frozen=True, slots=True)
class _Atom:
    """An attribute, an amount converted at evaluation time, or a value known now; × factor."""

    attribute: str = ""
    constant: ir.MoneyConst | None = None
    value: Decimal | None = None
    factor: Decimal = Decimal(1)
    pending: bool = False  # a threshold not yet published: no comparison with it decides


@dataclass(frozen=True, slots=True)
class _Extreme:
    """`max` / `min`; `whole` when the reference computes it as one value (under `% of`)."""

    kind: Literal["max", "min"]
    args: tuple[_Atom | _Extreme, ...]
    whole: bool = False


_Operand = _Atom | _Extreme


def _times(operand: _Operand, factor: Decimal) -> _Operand:
    """`factor × operand`; factors are shares (0-1), so max and min keep their order."""
    if isinstance(operand, _Extreme):
        args = tuple(_times(arg, factor) for arg in operand.args)
        return _Extreme(operand.kind, args, whole=True)
    return _Atom(
        operand.attribute, operand.constant, operand.value, operand.factor * factor, operand.pending
    )


def _opens(operand: _Operand) -> bool:
    """Whether the reference splits a comparison with `operand` into one per argument."""
    return isinstance(operand, _Extreme) and not operand.whole


def _atoms(operand: _Operand) -> list[_Atom]:
    if isinstance(operand, _Extreme):
        return [atom for arg in operand.args for atom in _atoms(arg)]
    return [operand]


def _leaves(expr: ir.Expr) -> list[ir.Expr]:
    """The attributes and literals of a comparison, through max, min and `% of`."""
    match expr:
        case ir.Comparison(left=left, right=right):
            return _leaves(left) + _leaves(right)
        case ir.Extremum(args=args):
            return [leaf for arg in args for leaf in _leaves(arg)]
        case ir.PercentOf(base=base):
            return _leaves(base)
    return [expr]


@dataclass(frozen=True, slots=True)
class _Field:
    """A raw fact field as one side of an equality."""

    name: str


def _exists(name: str) -> Json:
    return {"$ex": {name: 1}}


def _test(op: str, name: str, bound: _Field | int | str | bool) -> Formula:
    """`name op bound`, where `bound` is a value or another field."""
    target = {"$m": bound.name} if isinstance(bound, _Field) else bound
    test = {name: target} if op == "eq" else {_DURABLE_OP[op]: {name: target}}
    if not isinstance(bound, _Field):
        return test
    # durable compares a field with a *missing* field as with garbage (`x < missing` and
    # `x >= missing` can both hold), so the other field must be shown to exist first.
    return all_of([_exists(bound.name), test])


# ---- the compiler ----------------------------------------------------------------------------


@dataclass
class _Compiler:
    """Translates conditions of one requirement list; collects the fields facts carry."""

    kinds: Mapping[str, str]  # attribute -> money percentage integer date boolean symbol set
    minor_units: Mapping[str, int]
    currency: str  # the host currency: the default comparison currency
    fields: dict[str, FactField] = field(default_factory=dict)

    def add(self, spec: FactField) -> str:
        self.fields.setdefault(spec.name, spec)
        return spec.name

    def attribute(self, expr: ir.AttrRef, *kinds: str) -> str:
        """The raw field of an attribute of one of `kinds` (a set also gets its `@empty`)."""
        kind = self.kinds.get(expr.name)
        if kind not in kinds:
            raise untranslatable(expr.kind, f"{expr.name} is a {kind or 'unknown'}, not {kinds[0]}")
        # durable reads `id` and `sid` of a fact itself: such attributes get another name.
        name = f"{expr.name}@" if expr.name in ("id", "sid") else expr.name
        if kind == "set":
            self.add(FactField(f"{name}@empty", "empty", expr.name, kind))
            return self.add(FactField(name, "set", expr.name, kind))
        return self.add(FactField(name, "raw", expr.name, kind))

    def condition(self, expr: ir.Expr, positive: bool) -> Formula:
        """`expr` (positive) or its negation, in negation normal form."""
        match expr:
            case ir.AllOf(operands=operands) | ir.AnyOf(operands=operands):
                parts = [self.condition(operand, positive) for operand in operands]
                return all_of(parts) if (expr.kind == "and") == positive else any_of(parts)
            case ir.NotExpr(operand=operand):
                return self.condition(operand, not positive)
            case ir.BoolConst(value=value):
                return value == positive
            case ir.AttrRef():
                name = self.attribute(expr, "boolean")
                return {name: positive}
            case ir.Comparison():
                return self.comparison(expr, positive)
            case ir.Membership(item=item, collection=collection):
                return self.member(item, collection, positive)
            case ir.ContainsItem(collection=collection, item=item):
                return self.member(item, collection, positive)
            case ir.SubsetOf(left=left, right=right):
                return self.subset(left, right, positive)
        raise untranslatable(expr.kind, "not a condition")

    # ---- comparisons -------------------------------------------------------------------------

    def comparison(self, expr: ir.Comparison, positive: bool) -> Formula:
        leaves = _leaves(expr)
        op = expr.op if positive else _NEGATE[expr.op]
        kinds = {self.leaf_kind(leaf) for leaf in leaves}
        if len(kinds) != 1:
            raise untranslatable(expr.kind, f"operands of kinds {sorted(kinds)}")
        kind = kinds.pop()
        if kind in ("boolean", "symbol"):
            return self.equality(expr, op)
        scale = self.scale(kind, expr, leaves)
        left, right = self.operand(expr.left, scale), self.operand(expr.right, scale)
        return self.kleene(op, left, right, scale)

    def leaf_kind(self, expr: ir.Expr) -> str:
        match expr:
            case ir.AttrRef(name=name):
                kind = self.kinds.get(name)
            case ir.PendingConst(type=pending):
                kind = "symbol" if pending in ("enum", "country") else pending
            case _:
                kind = _SCALAR_KINDS.get(type(expr))
        if kind is None or kind == "set":
            raise untranslatable(expr.kind, "not a comparison operand")
        return kind

    def scale(self, kind: str, expr: ir.Comparison, literals: list[ir.Expr]) -> _Scale:
        if kind == "money":
            unit = comparison_currency(expr, self.currency)
            # Amounts in the comparison currency are not rounded by the reference: keep
            # all their places. Other currencies are converted, so rounded to minor units.
            exact = [
                places(c.amount)
                for c in literals
                if isinstance(c, ir.MoneyConst) and c.currency == unit
            ]
            exponent = max([self.minor_units.get(unit, 2), *exact])
            return _Scale(kind, unit, exponent)
        if kind == "percentage":
            exact = [places(c.value) for c in literals if isinstance(c, ir.PercentConst)]
            return _Scale(kind, "%", max([PERCENT_PLACES, *exact]))
        return _Scale(kind, _UNITS[kind], 0)

    def operand(self, expr: ir.Expr, scale: _Scale) -> _Operand:
        match expr:
            case ir.AttrRef(name=name):
                return _Atom(attribute=name)
            case ir.MoneyConst(amount=amount, currency=currency):
                return _Atom(value=amount) if currency == scale.unit else _Atom(constant=expr)
            case ir.PercentConst(value=number):
                return _Atom(value=number)
            case ir.PendingConst():
                return _Atom(pending=True)
            case ir.IntConst(value=number):
                return _Atom(value=Decimal(number))
            case ir.DateConst(value=day):
                return _Atom(value=Decimal(day.toordinal()))
            case ir.Extremum(kind=kind, args=args):
                return _Extreme(kind, tuple(self.operand(arg, scale) for arg in args))
            case ir.PercentOf(percent=share, base=base):
                return _times(self.operand(base, scale), share / 100)
        raise untranslatable(expr.kind, f"not a {scale.kind} operand")

    def kleene(self, op: str, left: _Operand, right: _Operand, scale: _Scale) -> Formula:
        """`left op right` as the reference decides it: an ordered comparison with `max` /
        `min` is the and/or of comparisons with each argument, so a missing argument
        leaves it unknown only if the others do not decide it; `==`, `!=` and `% of max()`
        compare whole values, unknown if any part is missing."""
        if _opens(left) and not _opens(right):
            op, left, right = _MIRROR[op], right, left
        if _opens(right) and op in ("ge", "gt", "le", "lt"):
            assert isinstance(right, _Extreme)
            parts = [self.kleene(op, left, arg, scale) for arg in right.args]
            every = (right.kind == "max") == (op in ("ge", "gt"))
            return all_of(parts) if every else any_of(parts)
        if isinstance(left, _Atom) and isinstance(right, _Atom):
            return self.literal(op, left, right, scale)
        present = [self.exists(atom, scale) for atom in _atoms(left) + _atoms(right)]
        return all_of([*present, self.expand(op, left, right, scale)])

    def expand(self, op: str, left: _Operand, right: _Operand, scale: _Scale) -> Formula:
        """`left op right`, all values present, as and/or of comparisons of atoms."""
        if op in ("le", "lt"):
            return self.expand(_MIRROR[op], right, left, scale)
        if isinstance(left, _Atom) and isinstance(right, _Atom):
            return self.literal(op, left, right, scale)
        if op in ("eq", "ne"):
            lower, upper = ("ge", "le") if op == "eq" else ("gt", "lt")
            parts = [self.expand(lower, left, right, scale), self.expand(upper, left, right, scale)]
            return all_of(parts) if op == "eq" else any_of(parts)
        if isinstance(left, _Extreme):  # max(a, b) >= x: a >= x or b >= x; min: and
            parts = [self.expand(op, arg, right, scale) for arg in left.args]
            return any_of(parts) if left.kind == "max" else all_of(parts)
        assert isinstance(right, _Extreme)  # x >= max(a, b): x >= a and x >= b; min: or
        parts = [self.expand(op, left, arg, scale) for arg in right.args]
        return all_of(parts) if right.kind == "max" else any_of(parts)

    def literal(self, op: str, left: _Atom, right: _Atom, scale: _Scale) -> Formula:
        """One comparison of two atoms, as integers: both sides × the same multiplier."""
        if left.pending or right.pending:  # unknown either way: neither polarity may fire
            return all_of([self.exists(left, scale), self.exists(right, scale)])
        if left.value is not None and right.value is not None:
            return _HOLDS[op](left.value * left.factor, right.value * right.factor)
        if left.value is not None:
            return self.literal(_MIRROR[op], right, left, scale)
        multiplier = 10 ** (scale.exponent + max(places(left.factor), places(right.factor)))
        name = self.number_field(left, scale, left.factor * multiplier)
        if right.value is not None:
            bound = exact_integer(right.value * right.factor * multiplier, f"{right.value}")
            return _test(op, name, bound)
        return _test(op, name, _Field(self.number_field(right, scale, right.factor * multiplier)))

    def number_field(self, atom: _Atom, scale: _Scale, multiplier: Decimal) -> str:
        """The field holding `atom` × `multiplier` as an integer."""
        factor = exact_integer(multiplier, "a scale factor")
        money = scale.kind == "money"
        if atom.constant is not None:
            own = atom.constant
            name = f"={own.currency}{_amount_text(own.amount)}@{scale.unit}*{factor}"
            spec = FactField(name, "const", "", "money", scale.unit, factor, own)
            return self.add(spec)
        name = f"{atom.attribute}@{scale.unit}*{factor}"
        currency = scale.unit if money else ""
        return self.add(FactField(name, "scaled", atom.attribute, scale.kind, currency, factor))

    def exists(self, atom: _Atom, scale: _Scale) -> Formula:
        if atom.pending:
            return PENDING
        if atom.value is not None:
            return True
        name = self.number_field(atom, scale, Decimal(10**scale.exponent))
        return {"$ex": {name: 1}}

    def equality(self, expr: ir.Comparison, op: str) -> Formula:
        """`==` / `!=` on booleans, enum values and country codes."""
        if op not in ("eq", "ne"):
            raise untranslatable(expr.kind, f"{op} on unordered values")
        left, right = self.plain(expr.left), self.plain(expr.right)
        if left is None or right is None:  # pending: unknown either way, as the reference
            present = [_exists(side.name) for side in (left, right) if isinstance(side, _Field)]
            return all_of([*present, PENDING])
        if not isinstance(left, _Field) and not isinstance(right, _Field):
            return (left == right) == (op == "eq")
        if not isinstance(left, _Field):
            left, right = right, left
        assert isinstance(left, _Field)
        return _test(op, left.name, right)

    def plain(self, expr: ir.Expr) -> _Field | str | bool | None:
        """A field, a value, or None for a pending one."""
        match expr:
            case ir.PendingConst():
                return None
            case ir.AttrRef():
                return _Field(self.attribute(expr, "boolean", "symbol"))
            case ir.SymbolConst(value=value):
                return value
            case ir.BoolConst(value=flag):
                return flag
        raise untranslatable(expr.kind, "not a boolean or symbol operand")

    # ---- sets --------------------------------------------------------------------------------

    def member(self, item: ir.Expr, collection: ir.Expr, positive: bool) -> Formula:
        """`item in collection` (or `collection contains item`), or its negation."""
        match item, collection:
            case ir.SymbolConst(value=value), ir.SetConst(values=values):
                return (value in values) == positive
            case ir.AttrRef(), ir.SetConst(values=values):
                name = self.attribute(item, "symbol")
                if not values:  # `x in []` is false when x is given, unknown when not
                    return False if positive else _exists(name)
                tests = [
                    {name: v} if positive else {"$neq": {name: v}} for v in dict.fromkeys(values)
                ]
                return any_of(tests) if positive else all_of(tests)
            case ir.SymbolConst(value=value), ir.AttrRef():
                return self.has(self.attribute(collection, "set"), value, positive)
        raise untranslatable("in", "membership needs a literal on one side")

    def has(self, name: str, value: str, positive: bool) -> Formula:
        """Set field `name` holds `value` (or not: `allItems` is false on [], hence @empty)."""
        if positive:
            return {"$iany": {name: {"$i": value}}}
        empty = {f"{name}@empty": True}
        lacks = {"$iall": {name: {"$neq": {"$i": value}}}}
        return any_of([empty, lacks])

    def subset(self, left: ir.Expr, right: ir.Expr, positive: bool) -> Formula:
        """`left subset right`, or its negation, with a literal set on one side."""
        match left, right:
            case ir.SetConst(values=small), ir.SetConst(values=large):
                return set(small) <= set(large) if positive else not set(small) <= set(large)
            case ir.SetConst(values=values), ir.AttrRef():
                name = self.attribute(right, "set")
                if not values:  # [] subset x: true when x is given, unknown when not
                    return _exists(name) if positive else False
                parts = [self.has(name, value, positive) for value in dict.fromkeys(values)]
                return all_of(parts) if positive else any_of(parts)
            case ir.AttrRef(), ir.SetConst(values=values):
                return self.within(
                    self.attribute(left, "set"), tuple(dict.fromkeys(values)), positive
                )
        raise untranslatable("subset", "subset needs a literal set on one side")

    def within(self, name: str, values: tuple[str, ...], positive: bool) -> Formula:
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


# ---- requirement lists -----------------------------------------------------------------------


@dataclass(frozen=True)
class CompiledRuleset:
    """A requirement list as durable rules, and what facts and actions they need."""

    rules: Json  # the ruleset definition: rule name -> {"all": [...], "run": action name}
    actions: Mapping[str, tuple[int, Firing]]  # action name -> (requirement index, what)
    fields: tuple[FactField, ...]  # what a fact carries, by name
    when_fields: tuple[frozenset[str], ...]  # per requirement: fields its `when` reads
    require_fields: tuple[frozenset[str], ...]  # per requirement: fields `require` reads

    def dumps(self) -> str:
        """The ruleset as indented JSON (the golden-file form)."""
        return json.dumps(self.rules, indent=2, ensure_ascii=False) + "\n"


def attribute_kinds(vocabulary: ir.Vocabulary) -> dict[str, str]:
    """What each attribute is, as the translation needs to know it."""
    kinds = {"activity": "symbol", "home": "symbol"}  # the built-in attributes
    for attribute in vocabulary.attributes:
        kind = attribute.type.kind
        kinds[attribute.name] = "symbol" if kind in ("enum", "country") else kind
    return kinds


def compile_ruleset(
    requirements: Sequence[ir.Requirement], currency: str, vocabulary: ir.Vocabulary
) -> CompiledRuleset:
    """Translate a requirement list whose jurisdiction's own currency is `currency`."""
    minor_units = {c.code: c.minor_units for c in vocabulary.currencies}
    compiler = _Compiler(attribute_kinds(vocabulary), minor_units, currency)
    compiler.add(FactField(TRUE_FIELD, "true"))
    rules: Json = {}
    actions: dict[str, tuple[int, Firing]] = {}
    whens, requires = [], []
    for index, requirement in enumerate(requirements):
        applies, excluded = _when(compiler, requirement)
        holds = compiler.condition(requirement.require, True)
        fails = compiler.condition(requirement.require, False)
        candidates: tuple[tuple[Firing, Formula], ...] = (
            ("met", all_of([applies, holds])),
            ("unmet", all_of([applies, fails])),
            ("not_applicable", excluded),
            # Whether `when` holds, which decides whether the reference reads `require`
            # (for FX rates used and values durable cannot hold): unknown needs it.
            ("applies", applies if requirement.when is not None else False),
        )
        for status, formula in candidates:
            if formula is False:
                continue  # a rule that can never fire is left out
            if branches(formula) > MAX_BRANCHES:
                raise untranslatable(requirement.id, f"over {MAX_BRANCHES} branches")
            name = f"{index}:{requirement.id}:{status}"
            rules[name] = {"all": [{"m": to_json(formula)}], "run": name}
            actions[name] = (index, status)
        whens.append(fields_of(applies) | fields_of(excluded))
        requires.append(fields_of(holds) | fields_of(fails))
    fields = tuple(compiler.fields[name] for name in sorted(compiler.fields))
    return CompiledRuleset(rules, actions, fields, tuple(whens), tuple(requires))


def _when(compiler: _Compiler, requirement: ir.Requirement) -> tuple[Formula, Formula]:
    """When the requirement applies, and when it does not (no `when`: always applies)."""
    if requirement.when is None:
        return True, False
    return compiler.condition(requirement.when, True), compiler.condition(requirement.when, False)
