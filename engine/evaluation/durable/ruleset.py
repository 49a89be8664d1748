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
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Literal

from engine.evaluation.durable.counts import count_field
from engine.evaluation.durable.formula import (
    MAX_BRANCHES,
    PENDING,
    PERCENT_PLACES,
    SCALAR_KINDS,
    TRUE_FIELD,
    UNITS,
    Atom,
    Extreme,
    FactField,
    FieldRef,
    Formula,
    Json,
    Operand,
    Scale,
    all_of,
    amount_text,
    any_of,
    branches,
    exact_integer,
    exists,
    fields_of,
    has,
    leaves,
    literal_test,
    opens,
    operand_atoms,
    places,
    times,
    to_json,
    untranslatable,
    within,
)
from rulesdsl import ir
from rulesdsl.ir.ops import splits_into_all
from rulesdsl.ir.semantics import AGREED

Firing = Literal["met", "unmet", "not_applicable", "applies"]  # what a rule reports


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
            case ir.Unstated():  # unknown either way: neither polarity may fire
                return PENDING
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
        operands = leaves(expr)
        op = expr.op if positive else expr.op.negation
        kinds = {self.leaf_kind(leaf) for leaf in operands}
        if len(kinds) != 1:
            raise untranslatable(expr.kind, f"operands of kinds {sorted(kinds)}")
        kind = kinds.pop()
        if kind in ("boolean", "symbol"):
            return self.equality(expr, op)
        scale = self.scale(kind, expr, operands)
        left, right = self.operand(expr.left, scale), self.operand(expr.right, scale)
        return self.kleene(op, left, right, scale)

    def leaf_kind(self, expr: ir.Expr) -> str:
        match expr:
            case ir.AttrRef(name=name):
                kind = self.kinds.get(name)
            case ir.PendingConst(type=pending):
                kind = "symbol" if pending in ("enum", "country") else pending
            case ir.Count():
                kind = "integer"
            case _:
                kind = SCALAR_KINDS.get(type(expr))
        if kind is None or kind == "set":
            raise untranslatable(expr.kind, "not a comparison operand")
        return kind

    def scale(self, kind: str, expr: ir.Comparison, literals: list[ir.Expr]) -> Scale:
        if kind == "money":
            unit = expr.currency_or(self.currency)
            # Amounts in the comparison currency are not rounded by the reference: keep
            # all their places. Other currencies are converted, so rounded to minor units.
            exact = [
                places(c.amount)
                for c in literals
                if isinstance(c, ir.MoneyConst) and c.currency == unit
            ]
            exponent = max([self.minor_units.get(unit, 2), *exact])
            return Scale(kind, unit, exponent)
        if kind == "percentage":
            exact = [places(c.value) for c in literals if isinstance(c, ir.PercentConst)]
            return Scale(kind, "%", max([PERCENT_PLACES, *exact]))
        return Scale(kind, UNITS[kind], 0)

    def operand(self, expr: ir.Expr, scale: Scale) -> Operand:
        match expr:
            case ir.AttrRef(name=name):
                return Atom(attribute=name)
            case ir.MoneyConst(amount=amount, currency=currency):
                return Atom(value=amount) if currency == scale.unit else Atom(constant=expr)
            case ir.PercentConst(value=number):
                return Atom(value=number)
            case ir.PendingConst():
                return Atom(pending=True)
            case ir.IntConst(value=number):
                return Atom(value=Decimal(number))
            case ir.Count():
                return Atom(attribute=self.add(count_field(expr)))
            case ir.DateConst(value=day):
                return Atom(value=Decimal(day.toordinal()))
            case ir.Extremum(kind=kind, args=args):
                return Extreme(kind, tuple(self.operand(arg, scale) for arg in args))
            case ir.PercentOf(percent=share, base=base):
                return times(self.operand(base, scale), share / 100)
            case ir.MonthsOf(months=months, base=base):
                return times(self.operand(base, scale), Decimal(months))
        raise untranslatable(expr.kind, f"not a {scale.kind} operand")

    def kleene(self, op: ir.Op, left: Operand, right: Operand, scale: Scale) -> Formula:
        """`left op right` as the reference decides it: an ordered comparison with `max` /
        `min` is the and/or of comparisons with each argument, so a missing argument
        leaves it unknown only if the others do not decide it; `==`, `!=` and `% of max()`
        compare whole values, unknown if any part is missing."""
        if opens(left) and not opens(right):
            op, left, right = op.mirror, right, left
        if isinstance(right, Extreme) and opens(right):
            every = splits_into_all(op, right.kind)
            if every is not None:
                parts = [self.kleene(op, left, arg, scale) for arg in right.args]
                return all_of(parts) if every else any_of(parts)
        if isinstance(left, Atom) and isinstance(right, Atom):
            return self.literal(op, left, right, scale)
        present = [self.exists(atom, scale) for atom in operand_atoms(left) + operand_atoms(right)]
        return all_of([*present, self.expand(op, left, right, scale)])

    def expand(self, op: ir.Op, left: Operand, right: Operand, scale: Scale) -> Formula:
        """`left op right`, all values present, as and/or of comparisons of atoms."""
        if op.bound == "maximum":
            return self.expand(op.mirror, right, left, scale)
        if isinstance(left, Atom) and isinstance(right, Atom):
            return self.literal(op, left, right, scale)
        if not op.ordered:  # a == b: a >= b and a <= b; a != b: a > b or a < b
            equal = op == ir.Op.EQ
            lower, upper = (ir.Op.GE, ir.Op.LE) if equal else (ir.Op.GT, ir.Op.LT)
            parts = [self.expand(lower, left, right, scale), self.expand(upper, left, right, scale)]
            return all_of(parts) if equal else any_of(parts)
        if isinstance(left, Extreme):  # max(a, b) >= x: a >= x or b >= x; min: and
            parts = [self.expand(op, arg, right, scale) for arg in left.args]
            return all_of(parts) if splits_into_all(op.mirror, left.kind) else any_of(parts)
        assert isinstance(right, Extreme)  # x >= max(a, b): x >= a and x >= b; min: or
        parts = [self.expand(op, left, arg, scale) for arg in right.args]
        return all_of(parts) if splits_into_all(op, right.kind) else any_of(parts)

    def literal(self, op: ir.Op, left: Atom, right: Atom, scale: Scale) -> Formula:
        """One comparison of two atoms, as integers: both sides × the same multiplier."""
        if left.pending or right.pending:  # unknown either way: neither polarity may fire
            return all_of([self.exists(left, scale), self.exists(right, scale)])
        if left.value is not None and right.value is not None:
            return op.holds(left.value * left.factor, right.value * right.factor)
        if left.value is not None:
            return self.literal(op.mirror, right, left, scale)
        multiplier = 10 ** (scale.exponent + max(places(left.factor), places(right.factor)))
        name = self.number_field(left, scale, left.factor * multiplier)
        if right.value is not None:
            bound = exact_integer(right.value * right.factor * multiplier, f"{right.value}")
            return literal_test(op, name, bound)
        return literal_test(
            op, name, FieldRef(self.number_field(right, scale, right.factor * multiplier))
        )

    def number_field(self, atom: Atom, scale: Scale, multiplier: Decimal) -> str:
        """The field holding `atom` × `multiplier` as an integer."""
        factor = exact_integer(multiplier, "a scale factor")
        money = scale.kind == "money"
        if atom.constant is not None:
            own = atom.constant
            name = f"={own.currency}{amount_text(own.amount)}@{scale.unit}*{factor}"
            spec = FactField(name, "const", "", "money", scale.unit, factor, own)
            return self.add(spec)
        name = f"{atom.attribute}@{scale.unit}*{factor}"
        currency = scale.unit if money else ""
        return self.add(FactField(name, "scaled", atom.attribute, scale.kind, currency, factor))

    def exists(self, atom: Atom, scale: Scale) -> Formula:
        if atom.pending:
            return PENDING
        if atom.value is not None:
            return True
        name = self.number_field(atom, scale, Decimal(10**scale.exponent))
        return {"$ex": {name: 1}}

    def equality(self, expr: ir.Comparison, op: ir.Op) -> Formula:
        """`==` / `!=` on booleans, enum values and country codes."""
        if op.ordered:
            raise untranslatable(expr.kind, f"{op.symbol} on unordered values")
        left, right = self.plain(expr.left), self.plain(expr.right)
        if left is None or right is None:  # pending: unknown either way, as the reference
            present = [exists(side.name) for side in (left, right) if isinstance(side, FieldRef)]
            return all_of([*present, PENDING])
        if not isinstance(left, FieldRef) and not isinstance(right, FieldRef):
            return op.holds(left, right)
        if not isinstance(left, FieldRef):
            left, right = right, left
        assert isinstance(left, FieldRef)
        return literal_test(op, left.name, right)

    def plain(self, expr: ir.Expr) -> FieldRef | str | bool | None:
        """A field, a value, or None for a pending one."""
        match expr:
            case ir.PendingConst():
                return None
            case ir.AttrRef():
                return FieldRef(self.attribute(expr, "boolean", "symbol"))
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
                    return False if positive else exists(name)
                tests = [
                    {name: v} if positive else {"$neq": {name: v}} for v in dict.fromkeys(values)
                ]
                return any_of(tests) if positive else all_of(tests)
            case ir.SymbolConst(value=value), ir.AttrRef():
                return has(self.attribute(collection, "set"), value, positive)
        raise untranslatable("in", "membership needs a literal on one side")

    def subset(self, left: ir.Expr, right: ir.Expr, positive: bool) -> Formula:
        """`left subset right`, or its negation, with a literal set on one side."""
        match left, right:
            case ir.SetConst(values=small), ir.SetConst(values=large):
                return set(small) <= set(large) if positive else not set(small) <= set(large)
            case ir.SetConst(values=values), ir.AttrRef():
                name = self.attribute(right, "set")
                if not values:  # [] subset x: true when x is given, unknown when not
                    return exists(name) if positive else False
                parts = [has(name, value, positive) for value in dict.fromkeys(values)]
                return all_of(parts) if positive else any_of(parts)
            case ir.AttrRef(), ir.SetConst(values=values):
                return within(self.attribute(left, "set"), tuple(dict.fromkeys(values)), positive)
        raise untranslatable("subset", "subset needs a literal set on one side")


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
    kinds = {"activity": "symbol", "home": "symbol", AGREED: "set"}  # the built-in attributes
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
