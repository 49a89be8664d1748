"""The durable-rules backend (DESIGN §6): the independent second implementation.

The only module that imports durable. A requirement list is translated once
(`engine.evaluation.durable.ruleset`) and registered as one ruleset in a private, synchronous
`durable.engine.Host`; each question is then one fact: asserted, its firings collected,
retracted. It shares no evaluation code with the reference evaluator or the fast path
(only the FX book, and the IR's operator table and recorded comparison currencies, which
define the amounts), which is why the differential tests can hold the fast path to it.

The FX rates an answer reports, and values durable cannot hold exactly, count only for
fields the reference would read: all of `when`, and `require` when `when` holds (an
`applies` rule says so; a status of `unknown` alone cannot).

durable's traps (bench/peers/RESULTS.md) and how they are met here:
- its Host runs actions on a background dispatcher: `SynchronousHost` starts none;
- `post` events are consumed by the first rule that matches: facts are used instead;
- a fact no rule matches raises `MessageNotHandledException`: that means "nothing fired";
- the same fact twice raises: each fact gets a new id and is retracted after use;
- 1,024 live sessions per ruleset at most (the next corrupts the engine): every
  evaluation uses the one session `SESSION`, so state cannot accumulate;
- a duplicate ruleset name fails only at the next call: names come from a counter owned
  by the backend that owns the Host;
- a rule with `$or` fires once per true branch: firings are collected as sets;
- actions with two parameters (a default argument counts) run asynchronously, and their
  exceptions are swallowed: actions take one parameter and record into a plain sink.
"""

from __future__ import annotations

import contextlib
import copy
import datetime as dt
import itertools
import threading
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import durable.engine

from engine.errors import EngineError
from engine.evaluation.backend import Context, Status
from engine.evaluation.durable.counts import count_value
from engine.evaluation.durable.formula import FactField, Json, exact_integer
from engine.evaluation.durable.ruleset import CompiledRuleset, Firing, compile_ruleset
from engine.inputs.fx import RateUsed
from engine.inputs.money import Money
from engine.inputs.profiles import Value
from rulesdsl import ir

SESSION = "jawaz"  # the single durable session (sid) every evaluation runs in
Action = Callable[[Any], None]


class SynchronousHost(durable.engine.Host):  # type: ignore[misc]  # durable is untyped
    """A private durable Host whose actions all run inside the call that fired them.

    `durable.engine.Host.__init__` calls `_run`, which starts `threading.Timer` loops that
    call `start_action` on every ruleset from another thread, every 0.2 s. That thread can
    take over pending actions while `assert_fact` is still running; they then run after
    it has returned, and the result is silently incomplete (measured: 1 in 20,000 records
    one at a time, 4-15 % of records in batches). Overriding `_run` (private API, pinned
    by durable-rules 2.0.28 and by tests) is the only fix found: with no dispatcher, every
    action runs synchronously in `assert_fact`. It also disables durable's timers, which
    no Jawaz rule uses.
    """

    def __init__(self) -> None:
        self._registering: Mapping[str, Action] = {}
        super().__init__()

    def _run(self) -> None:
        """Start no dispatcher and no timer threads (see the class docstring)."""

    def get_action(self, action_name: str) -> Action:
        """The function for a rule's `run` name; durable asks while registering."""
        found = self._registering.get(action_name)
        if found is None:
            raise EngineError(f"durable rule names no known action {action_name!r}", "backend")
        return found

    def register(self, name: str, rules: Json, actions: Mapping[str, Action]) -> None:
        """Register one ruleset; its rules name their actions by keys of `actions`."""
        self._registering = actions
        try:
            # durable deletes each rule's "run" from the definition it is given.
            self.register_rulesets({name: copy.deepcopy(rules)})
        finally:
            self._registering = {}


# ---- facts -----------------------------------------------------------------------------------


@dataclass
class Fact:
    """A question as one durable fact, and what making it found."""

    values: Json = field(default_factory=dict)
    failures: dict[str, EngineError] = field(default_factory=dict)  # fields not made exactly
    rates: dict[str, RateUsed] = field(default_factory=dict)  # the FX rate behind each field


def encode_fact(fields: Sequence[FactField], ctx: Context) -> Fact:
    """The fact for `ctx`.

    A missing attribute or FX rate leaves its fields out, so comparisons on them are
    unknown. A value that is not an exact integer below 2**53 at its field's scale (or not
    of its attribute's type) is a failure, raised only if a requirement the reference
    would evaluate reads that field; FX rates are likewise recorded as used only then.
    """
    fact = Fact()
    derived = _counts(fields, ctx, fact)
    for spec in fields:
        if spec.name in fact.failures:
            continue
        try:
            value = _encode(spec, ctx, fact.rates, derived)
        except EngineError as error:
            fact.failures[spec.name] = error
            continue
        if value is not None:
            fact.values[spec.name] = value
    return fact


def _counts(fields: Sequence[FactField], ctx: Context, fact: Fact) -> dict[str, int]:
    """The derived counts (durable cannot count): by field name, for the lists given."""
    derived: dict[str, int] = {}
    for spec in fields:
        listed = ctx.facts.get(spec.attribute) if spec.kind == "count" else None
        if listed is None:
            continue
        try:
            derived[spec.name] = count_value(spec, listed)
        except TypeError as error:
            fact.failures[spec.name] = EngineError(str(error), f"attributes.{spec.attribute}")
    return derived


def _encode(
    spec: FactField, ctx: Context, rates: dict[str, RateUsed], derived: Mapping[str, int]
) -> object:
    if spec.kind == "true":
        return True
    if spec.kind == "count":
        return derived.get(spec.name)
    if spec.kind == "const":
        assert spec.constant is not None
        amount = Money(spec.constant.currency, spec.constant.amount)
        number = _convert(amount, spec, ctx, rates)
        return None if number is None else exact_integer(number * spec.multiplier, str(amount))
    value = derived[spec.attribute] if spec.attribute in derived else ctx.facts.get(spec.attribute)
    if value is None:
        return None
    path = f"attributes.{spec.attribute}"
    if spec.kind == "scaled":
        if isinstance(value, Money) and spec.value_kind == "money":
            number = _convert(value, spec, ctx, rates)
            if number is None:
                return None  # no FX rate: the comparison is unknown, as in the reference
        elif (number := _NUMBERS[spec.value_kind](value)) is None:
            raise _wrong_type(value, spec.value_kind, path)
        return exact_integer(number * spec.multiplier, f"{spec.attribute} {value}", path)
    wanted = _RAW[spec.value_kind] if spec.kind == "raw" else frozenset
    if not isinstance(value, wanted):
        raise _wrong_type(value, spec.value_kind, path)
    if isinstance(value, frozenset):
        return sorted(value) if spec.kind == "set" else not value
    return value


def _convert(
    money: Money, spec: FactField, ctx: Context, rates: dict[str, RateUsed]
) -> Decimal | None:
    """`money` in the field's currency, converted and rounded as the reference does; None
    when the FX table has no rate. The rate is noted, not yet recorded as used."""
    try:
        converted, used = ctx.fx.convert(money, spec.currency, ctx.as_of)
    except EngineError:
        return None
    if used is not None:
        rates[spec.name] = used
    return Decimal(converted.amount)


def _wrong_type(value: Value, kind: str, path: str) -> EngineError:
    return EngineError(f"durable backend: expected a {kind}, not {type(value).__name__}", path)


def _decimal(value: Value) -> Decimal | None:
    # bool is an int: it must not pass for a number (durable itself equates true and 1).
    ok = isinstance(value, Decimal | int) and not isinstance(value, bool)
    return Decimal(value) if ok else None  # type: ignore[arg-type]


def _day(value: Value) -> Decimal | None:
    ok = isinstance(value, dt.date) and not isinstance(value, dt.datetime)
    return Decimal(value.toordinal()) if ok else None  # type: ignore[union-attr]


_NUMBERS: Mapping[str, Callable[[Value], Decimal | None]] = {
    "money": lambda value: None,  # money that is no Money
    "percentage": _decimal,
    "integer": _decimal,
    "date": _day,
}
_RAW: Mapping[str, type] = {"boolean": bool, "symbol": str}


# ---- evaluation ------------------------------------------------------------------------------


class _Ruleset:
    """One requirement list registered as one durable ruleset, evaluated one fact at a time."""

    def __init__(
        self,
        host: SynchronousHost,
        name: str,
        requirements: tuple[ir.Requirement, ...],
        compiled: CompiledRuleset,
    ) -> None:
        self.host, self.name, self.compiled = host, name, compiled
        self.requirements = requirements  # held so that the cache's ids stay unique
        self.sink: list[tuple[int, Firing]] = []  # this evaluation's firings
        self.errors: list[BaseException] = []  # this evaluation's action errors
        self.ids = itertools.count(1)  # fact ids: a fact seen twice raises in durable
        self.lock = threading.Lock()  # the sink and the session serve one caller at a time
        host.register(
            name, compiled.rules, {n: self.action(k) for n, k in compiled.actions.items()}
        )

    def action(self, key: tuple[int, Firing]) -> Action:
        """The action recording `key`. Exactly one parameter: durable runs a two-parameter
        function (a default argument included) asynchronously."""

        def record(closure: Any) -> None:
            try:
                self.sink.append(key)
            except BaseException as error:  # durable would swallow it: keep it to raise
                self.errors.append(error)

        return record

    def statuses(self, ctx: Context) -> list[Status]:
        """Every requirement's status for the facts in `ctx`."""
        fact = encode_fact(self.compiled.fields, ctx)
        with self.lock:
            fired, errors = self.fire(fact.values)
        if errors:
            raise EngineError(f"a durable action failed: {errors[0]!r}", "backend")
        statuses = self.resolve(fired)
        applying = {index for index, what in fired if what == "applies"}
        for index, requirement in enumerate(self.requirements):
            # What the reference reads: all of `when`, and `require` if `when` holds.
            reads = self.compiled.when_fields[index]
            if requirement.when is None or index in applying:
                reads = reads | self.compiled.require_fields[index]
            for name in sorted(reads & fact.failures.keys()):
                raise fact.failures[name]
            ctx.rates.update(fact.rates[name] for name in reads & fact.rates.keys())
        return statuses

    def fire(self, fact: Json) -> tuple[list[tuple[int, Firing]], list[BaseException]]:
        """Assert `fact`, collect what fired, retract it: the session ends as it began."""
        self.sink.clear()
        self.errors.clear()
        fact["id"], fact["sid"] = next(self.ids), SESSION
        try:
            # No rule fired raises: every requirement is then unknown, and the fact not kept.
            with contextlib.suppress(durable.engine.MessageNotHandledException):
                self.host.assert_fact(self.name, fact)
            self.host.retract_fact(self.name, fact)
        except BaseException:
            with contextlib.suppress(Exception):  # whatever failed, keep no state behind
                self.host.delete_state(self.name, SESSION)
            raise
        return list(self.sink), list(self.errors)

    def resolve(self, fired: list[tuple[int, Firing]]) -> list[Status]:
        """One status per requirement; none fired is `unknown`, two different an error."""
        found: list[set[Status]] = [set() for _ in self.requirements]
        for index, what in fired:  # duplicates: a rule fires once per true `$or` branch
            if what != "applies":
                found[index].add(what)
        statuses: list[Status] = []
        for requirement, seen in zip(self.requirements, found, strict=True):
            if len(seen) > 1:
                raise EngineError(
                    f"durable gave {requirement.id} statuses {sorted(seen)}; expected one",
                    "backend",
                )
            statuses.append(seen.pop() if seen else "unknown")
        return statuses


class DurableBackend:
    """Requirement statuses from durable-rules (`--backend durable`): a `StatusBackend`."""

    def __init__(self, vocabulary: ir.Vocabulary) -> None:
        self.vocabulary = vocabulary
        self.host = SynchronousHost()
        self._names = itertools.count(1)  # ruleset names, unique within self.host
        self._cache: dict[tuple[tuple[int, ...], str], _Ruleset] = {}
        self._lock = threading.Lock()

    def ruleset(self, requirements: Sequence[ir.Requirement], currency: str) -> _Ruleset:
        """The registered ruleset of a requirement list (compiled on first use)."""
        key = (tuple(id(r) for r in requirements), currency)
        with self._lock:
            found = self._cache.get(key)
            if found is None:
                compiled = compile_ruleset(requirements, currency, self.vocabulary)
                name = f"jawaz-{next(self._names)}"
                found = _Ruleset(self.host, name, tuple(requirements), compiled)
                self._cache[key] = found
        return found

    def __call__(self, requirements: Sequence[ir.Requirement], ctx: Context) -> list[Status]:
        if not requirements:
            return []
        return self.ruleset(requirements, ctx.currency).statuses(ctx)
