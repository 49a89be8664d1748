"""The minimum-compliant licensee of a home licence (DESIGN §4, "Matrix").

The profile is synthesised from the home's own requirements for the licence in force on the
date: every threshold at exactly the home minimum (or maximum), every boolean the home
demands, the first allowed value of each enum, every role the home requires. Attributes the
home does not demand are left out, so a host requirement on them is answered `unknown`: an
H licence says nothing about them. Optional features that switch home rules on (`when
direct_trade_model`) are taken as not taken up. Attributes used only as the base of a
percentage (`25% of annual_fixed_overheads`) are set to zero, the smallest firm. What holds
only in the home (residents, an office: `per_host` attributes) is given for the home alone.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal

from engine.decisions.catalogue import successors, versions_for
from engine.decisions.implication import Atom, atoms
from engine.decisions.persons import determined
from engine.evaluation.counting import passing
from engine.inputs.money import Money
from engine.inputs.persons import Person
from engine.inputs.profiles import Profile, Value
from rulesdsl import ir


def _bound(atom: Atom) -> Value | None:
    """The value sitting exactly on a single-term bound, if the bound has one."""
    fixed = [t for t in atom.terms if t.money is not None or t.number is not None]
    if not fixed:
        return None
    if isinstance(atom.op, ir.Op) and atom.op.bound == "minimum":
        strict = atom.op.strict  # `>`: one step above the bound
        money = [t.money for t in fixed if t.money is not None]
        if money and all(m.currency == money[0].currency for m in money):
            top = max(money, key=lambda m: m.amount)
            return Money(top.currency, top.amount + Decimal("0.01")) if strict else top
        numbers = [t.number for t in fixed if t.number is not None]
        return max(numbers) + (1 if strict else 0) if numbers else None
    term = fixed[0]
    return term.money if term.money is not None else term.number


def _percent_bases(atom: Atom) -> list[str]:
    return [t.base for t in atom.terms if t.base is not None]


def _apply(values: dict[str, Value], atom: Atom, types: dict[str, ir.ValueType]) -> None:
    kind = types.get(atom.attribute)
    if kind is None or atom.count is not None:  # counts: `persons_meeting`, once all are known
        return
    if isinstance(atom.op, ir.Op) and atom.op.ordered:
        value = _bound(atom)
        if kind.kind == "integer" and isinstance(value, Decimal):
            value = int(value)
        if value is not None:
            values[atom.attribute] = value
    elif atom.op == ir.Op.EQ and atom.scalar is not None:
        values[atom.attribute] = atom.scalar  # type: ignore[assignment]
    elif atom.op == "in" and atom.symbols:
        allowed = [v for v in kind.values if v in atom.symbols] or sorted(atom.symbols)
        values[atom.attribute] = allowed[0]
    elif atom.op == "includes":
        held = values.get(atom.attribute)
        values[atom.attribute] = frozenset(atom.symbols) | (
            held if isinstance(held, frozenset) else frozenset()
        )


def _meeting(counts: list[Atom], held: Value | None, persons: bool) -> Value | None:
    """The smallest persons (or roles) list meeting the home's counts, where they pin it
    down: the entries every compliant firm has (a lower bound whose filter admits exactly
    one kind of entry, every field fixed, as many times as the largest such bound asks),
    provided they meet every count. A bound they leave unmet by a filter that leaves a
    choice (`residence == AE or nationality == AE`) has no smallest list: None, and the
    list stays unknown."""
    needs: dict[Person, int] = {}
    for atom in counts:
        if atom.count is None or atom.op not in (ir.Op.GE, ir.Op.GT, ir.Op.EQ):
            continue  # an upper bound asks for no one; it is checked below
        need = int(atom.terms[0].number or 0) + (1 if atom.op == ir.Op.GT else 0)
        if need <= 0:
            continue
        witness = determined(atom.count.where, roles_only=not persons)
        if witness is None or (not persons and need > 1):
            continue  # no entry forced: the check below says whether the others meet it
        needs[witness] = max(needs.get(witness, 0), need)
    listed: Value
    if persons:
        listed = tuple(p for p, need in needs.items() for _ in range(need))
    else:
        have = held if isinstance(held, frozenset) else frozenset()
        listed = have | {p.role for p in needs}
    for atom in counts:
        assert atom.count is not None and isinstance(atom.op, ir.Op)
        if not atom.op.holds(len(passing(atom.count, listed)), int(atom.terms[0].number or 0)):
            return None
    return listed


def minimum_licensee(
    bundle: ir.Bundle, home: ir.Jurisdiction, licence: ir.Licence, activity: str, day: dt.date
) -> Profile:
    """The profile of a firm meeting exactly the home minimum for `licence` on `day`."""
    types = {a.name: a.type for a in bundle.vocabulary.attributes}
    values: dict[str, Value] = {}
    bases: set[str] = set()
    in_force = list(_in_force(home, licence.id, day))
    options = _optional_features(in_force)
    applying = [r for r in in_force if _applies(r.when, options)]
    for requirement in applying:
        for atom in atoms(requirement.require) or ():
            _apply(values, atom, types)
            bases.update(_percent_bases(atom))
    counts = [a for r in applying for a in atoms(r.require) or () if a.count is not None]
    for base in bases - set(values):
        values[base] = Money(home.currency, Decimal(0))
    for name in sorted({atom.attribute for atom in counts}):
        persons = types[name].kind == "persons"
        mine = [a for a in counts if a.attribute == name]
        listed = _meeting(mine, values.get(name), persons)
        if listed is None:
            values.pop(name, None)  # not pinned down by the home's rules: left unknown
        else:
            values[name] = listed
    for name in options:
        values.setdefault(name, False)
    per_host = {a.name for a in bundle.vocabulary.attributes if a.per_host}
    return Profile(
        name=f"minimum {home.code} {licence.id} licensee",
        home=home.code,
        licence=licence.id,
        activities=(activity,),
        attributes={k: v for k, v in values.items() if k not in per_host},
        in_host={home.code: {k: v for k, v in values.items() if k in per_host}},
        # Licensed at home, it has agreed whatever its home regulator sets firm by firm.
        agreed_with_regulator=frozenset(r.id for r in applying if r.discretion is not None),
    )


def _optional_features(requirements: Iterable[ir.Requirement]) -> set[str]:
    """Boolean attributes that switch requirements on (`when direct_trade_model`): the
    minimum licensee takes none of these options up."""
    found = set()
    for requirement in requirements:
        when = requirement.when
        if isinstance(when, ir.NotExpr):
            when = when.operand
        if isinstance(when, ir.AttrRef):
            found.add(when.name)
    return found


def _applies(when: ir.Expr | None, options: set[str]) -> bool:
    """Whether a requirement applies to a firm that takes up no option."""
    if when is None:
        return True
    if isinstance(when, ir.NotExpr) and isinstance(when.operand, ir.AttrRef):
        return when.operand.name in options
    return False


def _in_force(home: ir.Jurisdiction, licence: str, day: dt.date) -> Iterable[ir.Requirement]:
    # The minimum licensee holds its home licence: home deadlines give it until their day.
    chosen = versions_for(home.requirements, successors(home.requirements), licence, day, True)
    return (r for r in chosen.decided if not r.pending)
