"""The fast path: requirement lists compiled once into plain Python functions.

A list of requirements becomes one generated function that returns each requirement's
status. Safety (DESIGN §6): the generated source holds no text from a rule file at all:
attribute names and literal values live in a constants tuple `K` and are referenced by
index, and the function runs with no builtins but `max`, `min` and the counting helper
`cnt` (`engine.evaluation.fast_counts`). Rule files therefore
cannot make the engine run code.

Speed: money is converted once per question into the currencies the list compares in
(`converted_money`), so the generated code compares plain Decimals. When an attribute the
condition needs is missing, or a threshold is pending, the generated code returns `SLOW`
(None) for that requirement: the fast path leaves it undecided, and the composition in
`engine.evaluation.backend` refers it to the reference evaluator (Kleene logic), so both
agree by construction on exactly those cases and the fast path covers the rest. This
module never imports the evaluator it is held to.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from itertools import product
from types import MappingProxyType

from engine.errors import EngineError
from engine.evaluation.backend import Context, Status
from engine.evaluation.fast_counts import count_entries, entry_test
from engine.evaluation.lru import Kept, Lru
from engine.inputs.fx import RateUsed
from engine.inputs.money import Money
from engine.inputs.profiles import Value
from rulesdsl import ir
from rulesdsl.ir.walk import nodes

SLOW = None  # undecided: "let the reference evaluator decide"
_LOCAL = re.compile(r"\ba\d+\b")
CACHE_LIMIT = 256  # compiled lists kept per backend (one per licence, date and currency)


class NotCompilableError(Exception):
    """A condition shape the generator leaves to the reference evaluator."""


@dataclass
class _Emitter:
    """Builds the functions' source; constants go to `consts`, never into the text."""

    consts: list[object] = field(default_factory=list)
    loads: dict[str, tuple[str, ...]] = field(default_factory=dict)  # local -> constants
    keys: dict[str, str] = field(default_factory=dict)  # value key -> local variable
    needs: set[tuple[str, str]] = field(default_factory=set)  # (attribute, currency)
    money_attributes: frozenset[str] = frozenset()
    # The truth assumed for each `unstated` atom still to be emitted, in emission order.
    assumed: list[bool] = field(default_factory=list)

    def const(self, value: object) -> str:
        self.consts.append(value)
        return f"k{len(self.consts) - 1}"

    def attribute(self, name: str, currency: str) -> str:
        """The local holding an attribute (money: its amount in `currency`)."""
        key = f"{name}@{currency}" if name in self.money_attributes else name
        if key not in self.keys:
            local = self.keys[key] = f"a{len(self.keys)}"
            if name in self.money_attributes:
                self.needs.add((name, currency))
                self.loads[local] = (self.const(name), self.const(currency), self.const(key))
            else:
                self.loads[local] = (self.const(name),)
        return self.keys[key]

    def load_lines(self, careful: bool) -> list[str]:
        """Read every attribute once; money in the compared currency is read directly,
        other currencies from the converted amounts in `m`."""
        lines = []
        for local, consts in self.loads.items():
            read = f"fget({consts[0]})" if careful else f"f[{consts[0]}]"
            lines.append(f"    {local} = {read}")
            if len(consts) == 3:
                _, currency, key = consts
                other = f"mget({key})" if careful else f"m[{key}]"
                convert = f"{local}.amount if {local}.currency == {currency} else {other}"
                guard = f"if {local} is not None: " if careful else ""
                lines.append(f"    {guard}{local} = {convert}")
        return lines

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
            case ir.MonthsOf(months=months, base=base):
                return f"({self.value(base, currency)} * {self.const(Decimal(months))})"
            case ir.Count(of=of, where=where):
                # The filter is a closure built from the IR (`entry_test`), held in `K`
                # like any constant: the generated text only calls it by index.
                try:
                    test = self.const(entry_test(where) if where is not None else None)
                except TypeError as error:  # a filter shape it does not know: the reference's
                    raise NotCompilableError("count filter") from error
                return f"cnt({self.attribute(of.name, currency)}, {test})"
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
                here = expr.currency_or(currency)
                return f"({self.value(left, here)} {op.source} {self.value(right, here)})"
            case ir.Membership(item=item, collection=collection):
                return f"({self.value(item, currency)} in {self.value(collection, currency)})"
            case ir.SubsetOf(left=left, right=right):
                return f"({self.value(left, currency)} <= {self.value(right, currency)})"
            case ir.ContainsItem(collection=collection, item=item):
                return f"({self.value(item, currency)} in {self.value(collection, currency)})"
            case ir.AttrRef():
                return f"({self.value(expr, currency)} is True)"
            case ir.Unstated():
                return "True" if self.assumed.pop(0) else "False"
        raise NotCompilableError(expr.kind)


@dataclass(frozen=True)
class _Requirement:
    """One requirement's generated condition texts (None: left to the evaluator)."""

    require: str | None
    when: str | None
    locals: tuple[str, ...]
    # Converted amounts each part reads (`paid_up_capital@MYR`), to report the FX rates
    # the evaluator would have used: `when`'s always, `require`'s only if it applies.
    when_money: frozenset[str] = frozenset()
    require_money: frozenset[str] = frozenset()
    # With `unstated` atoms: (require, when) under every other truth assignment to them.
    # The status is decided only where all assignments agree: for atoms that each occur
    # once, exactly where Kleene logic decides it.
    variants: tuple[tuple[str, str | None], ...] = ()


MAX_UNSTATED = 3  # more `unstated` atoms in one requirement: left to the evaluator


def _translate(emitter: _Emitter, requirement: ir.Requirement, currency: str) -> _Requirement:
    if requirement.pending:
        return _Requirement(None, None, ())
    open_atoms = sum(
        isinstance(node, ir.Unstated)
        for part in (requirement.require, requirement.when)
        for node in nodes(part)
    )
    if open_atoms > MAX_UNSTATED:
        return _Requirement(None, None, ())
    variants: list[tuple[str, str | None]] = []
    try:
        for assumed in product((True, False), repeat=open_atoms):
            emitter.assumed = list(assumed)
            require = emitter.condition(requirement.require, currency)
            when = emitter.condition(requirement.when, currency) if requirement.when else None
            variants.append((require, when))
    except NotCompilableError:
        return _Requirement(None, None, ())
    require, when = variants[0]
    money = {local: key for key, local in emitter.keys.items() if "@" in key}
    return _Requirement(
        require,
        when,
        tuple(_locals_in(require, when)),
        frozenset(money[v] for v in _locals_in(when) if v in money),
        frozenset(money[v] for v in _locals_in(require) if v in money),
        tuple(variants[1:]),
    )


def _status_lines(item: _Requirement, careful: bool) -> list[str]:
    """The element of the returned list giving one requirement's status (a conditional
    expression: one list display builds the statuses faster than appending each);
    `careful` checks for missing values."""
    if item.require is None:
        return ["        SLOW,"]
    status = _status(item.require, item.when)
    if item.variants:  # `unstated` atoms: decided only where every assignment agrees
        others = " == ".join(f"({_status(r, w)})" for r, w in item.variants)
        status = f"(s if (s := ({status})) == {others} else SLOW)"
    if careful and item.locals:
        missing = " or ".join(f"{v} is None" for v in item.locals)
        status = f"SLOW if {missing} else {status}"
    return [f"        {status},"]


def _status(require: str, when: str | None) -> str:
    status = f"MET if {require} else UNMET"
    return f"NA if not {when} else {status}" if when else status


def _function(name: str, emitter: _Emitter, body: list[str], careful: bool) -> str:
    defaults = [f"k{i}=K[{i}]" for i in range(len(emitter.consts))]
    markers = ["SLOW=SLOW", "MET=MET", "UNMET=UNMET", "NA=NA", "max=max", "min=min", "cnt=cnt"]
    head = [f"def {name}(f, m, " + ", ".join([*defaults, *markers]) + "):"]
    if careful:
        head += ["    fget = f.get", "    mget = m.get"]
    head += emitter.load_lines(careful)
    return "\n".join([*head, "    return [", *body, "    ]", ""])


def _locals_in(*texts: str | None) -> list[str]:
    """The local variables (a0, a1, …) a generated condition reads, in a stable order."""
    found = {m for t in texts if t for m in _LOCAL.findall(t)}
    return sorted(found, key=lambda name: int(name[1:]))


StatusFunction = Callable[[Mapping[str, object], Mapping[str, object]], list[Status | None]]


@dataclass(frozen=True)
class CompiledList:
    """Generated functions for one requirement list, and the money conversions they need.

    `quick` assumes every attribute the list reads is present (it raises KeyError
    otherwise); `careful` checks each value and returns SLOW where one is missing.
    """

    requirements: tuple[ir.Requirement, ...]
    currency: str
    source: str
    careful: StatusFunction
    quick: StatusFunction
    needs: frozenset[tuple[str, str]]
    money_read: tuple[tuple[frozenset[str], frozenset[str]], ...] = ()  # (when, require)


def compile_requirements(
    requirements: Sequence[ir.Requirement], currency: str, money_attributes: Iterable[str]
) -> CompiledList:
    """Compile a requirement list for a jurisdiction whose own currency is `currency`."""
    emitter = _Emitter(money_attributes=frozenset(money_attributes))
    items = [_translate(emitter, requirement, currency) for requirement in requirements]
    careful = [line for item in items for line in _status_lines(item, careful=True)]
    quick = [line for item in items for line in _status_lines(item, careful=False)]
    source = "\n".join(
        [
            _function("careful", emitter, careful, True),
            _function("quick", emitter, quick, False),
        ]
    )
    namespace: dict[str, object] = {
        "__builtins__": {},
        "max": max,
        "min": min,
        "cnt": count_entries,
        "K": tuple(emitter.consts),
        "SLOW": SLOW,
        "MET": "met",
        "UNMET": "unmet",
        "NA": "not_applicable",
    }
    # The source holds only generated names, indices and operators (see the module doc).
    exec(compile(source, "<jawaz-compiled>", "exec"), namespace)
    return CompiledList(
        tuple(requirements),
        currency,
        source,
        namespace["careful"],  # type: ignore[arg-type]
        namespace["quick"],  # type: ignore[arg-type]
        frozenset(emitter.needs),
        tuple((item.when_money, item.require_money) for item in items),
    )


NO_CONVERSIONS: Mapping[str, object] = MappingProxyType({})


def money_values(
    facts: Mapping[str, Value], needs: Iterable[tuple[str, str]], ctx: Context
) -> dict[str, object]:
    """Converted amounts for the money the compiled code compares in another currency
    (`paid_up_capital@MYR`). A conversion that cannot be made (no FX rate) is left out, so
    the requirement falls to the reference evaluator, which reports it."""
    return converted_money(facts, needs, ctx)[0]


def converted_money(
    facts: Mapping[str, Value], needs: Iterable[tuple[str, str]], ctx: Context
) -> tuple[dict[str, object], dict[str, RateUsed]]:
    """`money_values`, and the rate behind each converted amount (not yet reported: only
    the rates a requirement actually reads go into the answer)."""
    values: dict[str, object] = {}
    rates: dict[str, RateUsed] = {}
    for name, currency in needs:
        money = facts.get(name)
        if not isinstance(money, Money) or money.currency == currency:
            continue
        key = f"{name}@{currency}"
        try:
            converted, used = ctx.fx.convert(money, currency, ctx.as_of)
        except EngineError:
            continue
        values[key] = converted.amount
        if used is not None:
            rates[key] = used
    return values, rates


def _converts(facts: Mapping[str, Value], needs: Iterable[tuple[str, str]]) -> bool:
    """Whether any amount must be converted before the compiled code can compare it."""
    for name, currency in needs:
        money = facts.get(name)
        if isinstance(money, Money) and money.currency != currency:
            return True
    return False


def _report_rates(
    statuses: Sequence[Status | None],
    compiled: CompiledList,
    rates: Mapping[str, RateUsed],
    ctx: Context,
) -> None:
    """Add to the answer the rates behind the amounts each decided requirement read, as
    the reference evaluator would: `when`'s, and `require`'s unless it did not apply."""
    for status, (when, require) in zip(statuses, compiled.money_read, strict=True):
        if status is SLOW:
            continue  # the evaluator reports its own
        for key in when | (require if status != "not_applicable" else frozenset()):
            if key in rates:
                ctx.rates.add(rates[key])


class FastBackend:
    """Statuses from compiled code: a `PartialBackend` (None where it leaves a requirement
    to the reference evaluator; `engine.evaluation.backend.Referring` composes the two)."""

    def __init__(self, money_attributes: Iterable[str], limit: int = CACHE_LIMIT) -> None:
        self.money_attributes = frozenset(money_attributes)  # fixed: the vocabulary's
        # What the compiled code depends on: the requirements (by identity: the entry holds
        # them, so no id is reused while it lives) and the context's currency, the one
        # comparisons without a recorded currency are made in.
        self._compiled: Lru[tuple[tuple[int, ...], str], CompiledList] = Lru(limit)
        # The same, found by the identity of the list object itself, which the decider
        # keeps (one tuple per licence and date): no walk over the list per question. Kept,
        # not an Lru: this look-up is made for every question.
        self._by_list: Kept[tuple[int, str], tuple[Sequence[ir.Requirement], CompiledList]]
        self._by_list = Kept(limit)

    def compiled(self, requirements: Sequence[ir.Requirement], currency: str) -> CompiledList:
        """The compiled code of a requirement list for a context in `currency`."""
        entry = self._by_list.get((id(requirements), currency))
        if entry is not None and entry[0] is requirements:
            return entry[1]
        key = (tuple(id(r) for r in requirements), currency)
        found = self._compiled.get(key)
        if found is None:
            found = compile_requirements(requirements, currency, self.money_attributes)
            self._compiled.put(key, found)
        self._by_list[(id(requirements), currency)] = (requirements, found)
        return found

    def cached(self) -> int:
        """How many compiled lists are kept."""
        return len(self._compiled)

    def __call__(self, requirements: Sequence[ir.Requirement], ctx: Context) -> list[Status | None]:
        compiled = self.compiled(requirements, ctx.currency)
        try:  # every value present, every amount in the currency compared: nothing to do
            return compiled.quick(ctx.facts, NO_CONVERSIONS)
        except KeyError:  # a value is missing, or an amount needs converting (or both)
            pass
        money: Mapping[str, object] = NO_CONVERSIONS
        rates: dict[str, RateUsed] = {}
        if _converts(ctx.facts, compiled.needs):
            money, rates = converted_money(ctx.facts, compiled.needs, ctx)
        # One by one: a value (or an FX rate) still missing leaves its requirement undecided.
        fast = compiled.careful(ctx.facts, money)
        if rates:
            _report_rates(fast, compiled, rates, ctx)
        return fast
