"""Does a home requirement imply a host requirement? A sound, conservative check.

"Implies" is decided over normalised atoms: `attr >= bound`, `attr <= bound`,
`attr == value`, `attr in set`, `attr includes set`. A bound is the maximum of terms, each
a fixed amount or a percentage of an attribute (`max(AED 1_500_000, 25% of overheads)`).
Home `attr >= H` implies host `attr >= T` when every term of T is dominated by some term
of H: a fixed amount at least as large after FX, or a percentage at least as large of the
same attribute. Anything this module cannot prove (pending figures, `unstated` conditions,
conditions under `when`, negations, different attributes) is "not implied", never guessed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Literal

from engine.decisions.persons import implies
from engine.errors import EngineError
from engine.inputs.fx import FxBook, RateUsed
from engine.inputs.money import Money
from rulesdsl import ir
from rulesdsl.ir.semantics import attribute_first

SetTest = Literal["in", "includes"]  # `attr in [..]`, `attr` includes every one of [..]


@dataclass(frozen=True, slots=True)
class Term:
    """A fixed amount (`money`), or `percent` % of `base`."""

    money: Money | None = None
    number: Decimal | None = None
    percent: Decimal | None = None
    base: str | None = None


@dataclass(frozen=True, slots=True)
class Atom:
    """`attribute op operand` with the attribute on the left."""

    attribute: str
    op: ir.Op | SetTest  # never `!=`
    terms: tuple[Term, ...] = ()
    symbols: frozenset[str] = frozenset()
    scalar: object = None
    count: ir.Count | None = None  # `count(attribute where …) op number`: what is counted


def _terms(expr: ir.Expr) -> tuple[Term, ...] | None:
    match expr:
        case ir.MoneyConst(amount=amount, currency=currency):
            return (Term(money=Money(currency, amount)),)
        case ir.IntConst(value=number):
            return (Term(number=Decimal(number)),)
        case ir.PercentConst(value=number):
            return (Term(number=number),)
        case ir.PercentOf(percent=percent, base=ir.AttrRef(name=name)):
            return (Term(percent=percent, base=name),)
        case ir.MonthsOf(months=months, base=ir.AttrRef(name=name)):
            return (Term(percent=Decimal(months) * 100, base=name),)  # N months is N x 100 %
        case ir.Extremum(kind="max", args=args):
            parts = [_terms(arg) for arg in args]
            if any(p is None for p in parts):
                return None
            return tuple(t for p in parts if p is not None for t in p)
    return None


def atoms(expr: ir.Expr) -> list[Atom] | None:
    """The conjunction of atoms `expr` states, or None if it is not a plain conjunction."""
    match expr:
        case ir.AllOf(operands=operands):
            found: list[Atom] = []
            for operand in operands:
                inner = atoms(operand)
                if inner is None:
                    return None
                found.extend(inner)
            return found
        case ir.AttrRef(name=name):
            return [Atom(name, ir.Op.EQ, scalar=True)]
        case ir.Comparison(op=op, left=left, right=right):
            return _comparison_atom(op, left, right)
        case ir.Membership(item=ir.AttrRef(name=name), collection=ir.SetConst(values=values)):
            return [Atom(name, "in", symbols=frozenset(values))]
        case ir.SubsetOf(left=ir.SetConst(values=values), right=ir.AttrRef(name=name)):
            return [Atom(name, "includes", symbols=frozenset(values))]
        case ir.ContainsItem(collection=ir.AttrRef(name=name), item=ir.SymbolConst(value=item)):
            return [Atom(name, "includes", symbols=frozenset({item}))]
    return None


def _comparison_atom(op: ir.Op, left: ir.Expr, right: ir.Expr) -> list[Atom] | None:
    if isinstance(right, ir.Count):
        op, left, right = op.mirror, right, left
    if isinstance(left, ir.Count):
        if not isinstance(right, ir.IntConst) or op == ir.Op.NE:
            return None
        bound = Term(number=Decimal(right.value))
        return [Atom(left.of.name, op, terms=(bound,), count=left)]
    oriented = attribute_first(left, op, right)
    if oriented is None:
        return None
    left, op, right = oriented
    if op == ir.Op.EQ and isinstance(right, ir.BoolConst | ir.SymbolConst | ir.DateConst):
        return [Atom(left.name, op, scalar=right.value)]
    if op.ordered:
        terms = _terms(right)
        if terms is None or (op.bound == "maximum" and len(terms) != 1):
            return None
        return [Atom(left.name, op, terms=terms)]
    return None


class Prover:
    """Proves host atoms from home atoms, converting amounts at one date."""

    def __init__(self, fx: FxBook, as_of: dt.date, per_host: frozenset[str] = frozenset()) -> None:
        self.fx = fx
        self.as_of = as_of
        # What a firm has in its home (residents, an office) says nothing about the host.
        self.per_host = per_host
        self.rates: set[RateUsed] = set()

    def _at_least(self, home: Term, host: Term, strict: bool) -> bool:
        """home >= host (or > when strict), term by term."""
        if home.money is not None and host.money is not None:
            try:
                converted, used = self.fx.convert(home.money, host.money.currency, self.as_of)
            except EngineError:
                return False  # no rate: cannot prove
            if used is not None:
                self.rates.add(used)
            return (
                converted.amount > host.money.amount
                if strict
                else converted.amount >= host.money.amount
            )
        if home.number is not None and host.number is not None:
            return home.number > host.number if strict else home.number >= host.number
        if home.percent is not None and host.percent is not None and home.base == host.base:
            return home.percent > host.percent if strict else home.percent >= host.percent
        return False

    def atom_implies(self, home: Atom, host: Atom) -> bool:
        """Whether home's atom guarantees host's."""
        if home.attribute != host.attribute or home.attribute in self.per_host:
            return False
        if home.count is not None or host.count is not None:
            return self._count_implies(home, host)
        match host.op, home.op:
            case ir.Op(), ir.Op() if host.op.bound is not None and host.op.bound == home.op.bound:
                # A strict host bound needs a strict home bound or a strictly tighter one.
                strict = host.op.strict and not home.op.strict
                if host.op.bound == "minimum":
                    return all(
                        any(self._at_least(h, t, strict) for h in home.terms) for t in host.terms
                    )
                return self._at_least(host.terms[0], home.terms[0], strict)
            case ir.Op.EQ, ir.Op.EQ:
                return home.scalar == host.scalar
            case "in", "in":
                return home.symbols <= host.symbols
            case "in", ir.Op.EQ:
                return home.scalar in host.symbols
            case "includes", "includes":
                return host.symbols <= home.symbols
        return False

    def _count_implies(self, home: Atom, host: Atom) -> bool:
        """`count(P where A) >= 2` implies `count(P where B) >= 1` when every entry passing A
        passes B; for maximum bounds the other way round. Anything else: not proven."""
        if home.count is None or host.count is None or not isinstance(home.op, ir.Op):
            return False
        if not isinstance(host.op, ir.Op) or host.op.bound is None:
            return False
        home_op = home.op  # `count(…) == 3` bounds the count both ways
        if home_op == ir.Op.EQ:
            home_op = ir.Op.GE if host.op.bound == "minimum" else ir.Op.LE
        if home_op.bound != host.op.bound:
            return False
        first, then = home.count.where, host.count.where
        if host.op.bound == "maximum":
            first, then = then, first
        strict = host.op.strict and not home_op.strict
        if host.op.bound == "minimum":
            bar = self._at_least(home.terms[0], host.terms[0], strict)
        else:
            bar = self._at_least(host.terms[0], home.terms[0], strict)
        # A roles list's filter reads only `role`: the entries of persons decide it too.
        return bar and implies(first, then, roles_only=False)

    def implied(self, host: ir.Expr, home: Sequence[ir.Requirement]) -> list[ir.Requirement] | None:
        """The home requirements that together imply `host`, or None if not provable."""
        if isinstance(host, ir.AnyOf):
            for operand in host.operands:
                found = self.implied(operand, home)
                if found is not None:
                    return found
            return None
        wanted = atoms(host)
        if not wanted:
            return None
        used: list[ir.Requirement] = []
        for atom in wanted:
            source = next(
                (r for r in home for h in (atoms(r.require) or ()) if self.atom_implies(h, atom)),
                None,
            )
            if source is None:
                return None
            if source not in used:
                used.append(source)
        return used


def provable_home_requirements(requirements: Iterable[ir.Requirement]) -> list[ir.Requirement]:
    """Home requirements usable as premises: unconditional and with published figures."""
    return [r for r in requirements if r.when is None and not r.pending]
