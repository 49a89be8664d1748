"""Differential property test (DESIGN §6): the reference evaluator, the fast path and the
durable-rules backend give identical statuses.

For every bundled jurisdiction with licences, and for the example that uses every
condition form (`tests/dsl/ok/conditions.rules`), hypothesis draws firm profiles whose
values straddle each requirement's thresholds on purpose — each constant of the rules
just below, equal and just above, in the rule's currency, the host's, USD (converted
with the FX rates) or one the table cannot convert, sometimes missing — and as-of dates
around every requirement's start and end. Each applicable requirement must get the same
status from all three.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from ir_build import recorded

from engine.bundle import load_bundle
from engine.decisions.tiers import band_for
from engine.errors import EngineError
from engine.evaluation import reference as reference_evaluator
from engine.evaluation.backend import Context, Referring, StatusBackend
from engine.evaluation.durable.backend import DurableBackend
from engine.evaluation.fast import FastBackend
from engine.evaluation.reference import requirement_status
from engine.inputs.fx import FxBook, FxSource
from engine.inputs.money import Money
from engine.inputs.persons import Person
from engine.inputs.profiles import Value
from engine.interfaces.cli.main import cli
from rulesdsl import ir
from rulesdsl.ir.months import month_dates, next_month
from rulesdsl.ir.semantics import AGREED
from rulesdsl.ir.walk import attributes_read, nodes
from rulesdsl.loader import check_paths

ROOT = Path(__file__).resolve().parent.parent
UNCONVERTIBLE = "PKR"  # in the vocabulary, not in the bundled FX table
EARLY = dt.date(1990, 1, 1)  # a copy of the FX table from here: early dates convert too


@dataclass(frozen=True)
class World:
    """A vocabulary with its FX rates and one instance of each backend."""

    vocabulary: ir.Vocabulary
    fx: FxBook
    minor_units: dict[str, int]
    fast: StatusBackend  # the fast path, referring what it leaves to the reference
    durable: DurableBackend
    codes: tuple[str, ...]  # jurisdiction codes, for `home` and country attributes


def make_world(rules: ir.Bundle, tables: list[ir.FxTable]) -> World:
    minor_units = {c.code: c.minor_units for c in rules.vocabulary.currencies}
    money = [a.name for a in rules.vocabulary.attributes if a.type.kind == "money"]
    return World(
        rules.vocabulary,
        FxBook([FxSource("file", tuple(tables))], minor_units),
        minor_units,
        Referring(FastBackend(money), reference_evaluator.status),
        DurableBackend(rules.vocabulary),
        tuple(j.code for j in rules.jurisdictions),
    )


BUNDLED = load_bundle().ir
BUNDLED_WORLD = make_world(
    BUNDLED, [*BUNDLED.fx, BUNDLED.fx[0].model_copy(update={"valid_from": EARLY})]
)
CONDITIONS = check_paths([ROOT / "tests" / "dsl" / "ok" / "conditions.rules"]).bundles[0]
PEG = ir.FxRate(base="USD", quote="AED", price=Decimal("3.6725"), pegged=True)
CONDITIONS_WORLD = make_world(
    CONDITIONS, [ir.FxTable(valid_from=EARLY, source="test peg", rates=(PEG,))]
)


# ---- what the rules compare with -----------------------------------------------------------


def walk(expr: ir.Expr | None) -> Iterator[ir.Expr]:
    """Every node of a condition."""
    return nodes(expr)


@dataclass(frozen=True)
class Thresholds:
    """The constants of a requirement list, to draw values next to."""

    money: tuple[Money, ...]
    numbers: dict[str, tuple[Decimal, ...]]  # percentage / integer: constants
    days: tuple[dt.date, ...]
    symbols: tuple[str, ...]
    sets: tuple[frozenset[str], ...]
    attributes: tuple[str, ...]


def thresholds(requirements: tuple[ir.Requirement, ...]) -> Thresholds:
    """Every constant the requirements compare with, and the attributes they read."""
    nodes = [n for r in requirements for e in (r.when, r.require) for n in walk(e)]
    money = [Money(n.currency, n.amount) for n in nodes if isinstance(n, ir.MoneyConst)]
    shares = {n.percent for n in nodes if isinstance(n, ir.PercentOf) and n.percent}
    shares |= {Decimal(n.months * 100) for n in nodes if isinstance(n, ir.MonthsOf)}
    # `x >= max(K, 25% of y)`: y at K / 25% puts the two sides level.
    money += [
        Money(m.currency, (m.amount * 100 / share).quantize(Decimal(1).scaleb(-2)))
        for m in money
        for share in shares
    ]
    return Thresholds(
        money=tuple(money),
        numbers={
            "percentage": tuple(n.value for n in nodes if isinstance(n, ir.PercentConst)),
            "integer": tuple(Decimal(n.value) for n in nodes if isinstance(n, ir.IntConst)),
        },
        days=tuple(n.value for n in nodes if isinstance(n, ir.DateConst)),
        symbols=tuple(n.value for n in nodes if isinstance(n, ir.SymbolConst)),
        sets=tuple(frozenset(n.values) for n in nodes if isinstance(n, ir.SetConst)),
        attributes=tuple(sorted({n.name for n in nodes if isinstance(n, ir.AttrRef)})),
    )


@dataclass(frozen=True)
class Target:
    """One requirement list: a jurisdiction's requirements for one licence."""

    name: str
    requirements: tuple[ir.Requirement, ...]
    currency: str
    world: World
    limits: Thresholds
    days: tuple[dt.date, ...]


def make_target(
    name: str, jurisdiction: ir.Jurisdiction, licence: str | None, world: World
) -> Target:
    requirements = tuple(
        r
        for r in jurisdiction.requirements
        if licence is None or not r.licences or licence in r.licences
    )
    edges = {d for r in requirements for d in (r.period.start, r.period.end) if d is not None}
    # A date known only to the month: the days about both ends of its month.
    edges |= {next_month(d) for r in requirements for d in month_dates(r)}
    edges |= {dt.date(2024, 5, 22), dt.date(2026, 6, 1)}  # the FX table's date; an ordinary day
    days = {d + dt.timedelta(days=k) for d in edges for k in (-1, 0, 1)}
    return Target(
        name,
        requirements,
        jurisdiction.currency,
        world,
        thresholds(requirements),
        tuple(sorted(days)),
    )


TARGETS: dict[str, list[Target]] = {}
for _jurisdiction in BUNDLED.jurisdictions:
    for _licence in _jurisdiction.licences:
        _name = f"{_jurisdiction.code}-{_licence.id}"
        TARGETS.setdefault(_jurisdiction.code, []).append(
            make_target(_name, _jurisdiction, _licence.id, BUNDLED_WORLD)
        )
TARGETS["dsl-conditions"] = [
    make_target("dsl-conditions", CONDITIONS.jurisdictions[0], None, CONDITIONS_WORLD)
]


# ---- shapes the bundled rules do not use (yet) ---------------------------------------------


def _a(name: str) -> ir.AttrRef:
    return ir.AttrRef(name=name)


def _m(amount: str, currency: str = "BHD") -> ir.MoneyConst:
    return ir.MoneyConst(amount=Decimal(amount), currency=currency)


def _c(op: str, left: ir.Expr, right: ir.Expr) -> ir.Comparison:
    return recorded(ir.Comparison(op=ir.Op(op), left=left, right=right))


def _x(kind: str, *args: ir.Expr) -> ir.Extremum:
    return ir.Extremum(kind=kind, args=args)  # type: ignore[arg-type]


def _of(share: str, base: ir.Expr) -> ir.PercentOf:
    return ir.PercentOf(percent=Decimal(share), base=base)


def _months(count: int, base: ir.Expr) -> ir.MonthsOf:
    return ir.MonthsOf(months=count, base=base)


def _i(value: int) -> ir.IntConst:
    return ir.IntConst(value=value)


def _count(name: str, where: ir.Expr | None = None) -> ir.Count:
    return ir.Count(of=_a(name), where=where)


def _role_in(*roles: str) -> ir.Membership:
    return ir.Membership(item=ir.PersonField(name="role"), collection=ir.SetConst(values=roles))


def _field_not(flag: ir.PersonFieldName, field: ir.PersonFieldName, value: str) -> ir.Expr:
    """`not flag or (field != value and nationality == AE)`: every field, `!=` and `not`."""
    differs = ir.Comparison(op=ir.Op.NE, left=ir.PersonField(name=field), right=_sym(value))
    national = ir.Comparison(op=ir.Op.EQ, left=_sym("AE"), right=ir.PersonField(name="nationality"))
    flagged = ir.NotExpr(operand=ir.PersonField(name=flag))
    return ir.AnyOf(operands=(flagged, ir.AllOf(operands=(differs, national))))


def _agreed(requirement: str) -> ir.ContainsItem:
    return ir.ContainsItem(collection=_a(AGREED), item=_sym(requirement))


def _sym(value: str) -> ir.SymbolConst:
    return ir.SymbolConst(value=value)


def _open(what: str) -> ir.Unstated:
    return ir.Unstated(text=f"whether {what}")


CAPITAL, FUNDS, COVER = (
    _a("paid_up_capital"),
    _a("shareholders_funds"),
    _a("professional_indemnity_cover"),
)
SHAPES: list[tuple[ir.Expr, ir.Expr | None]] = [
    (
        _c(">=", CAPITAL, _x("max", _m("300000"), ir.PendingConst(type="money", currency="BHD"))),
        None,
    ),
    (_c(">=", FUNDS, _of("25", _x("max", CAPITAL, _m("100000")))), None),
    (_c("==", CAPITAL, _x("max", FUNDS, _m("100000"))), None),
    (_c(">", _x("max", CAPITAL, FUNDS), _x("min", _m("500000", "USD"), COVER)), None),
    (
        _c(">=", CAPITAL, _of("12.5", FUNDS)),
        _c(">=", _a("cold_storage_min_share"), ir.PercentConst(value=Decimal("90.5"))),
    ),
    (
        ir.NotExpr(operand=_c("<", _a("travel_rule_threshold"), _m("1000", "USD"))),
        _a("part_of_foreign_group"),
    ),
    (
        _c(
            "<=",
            CAPITAL,
            _x("min", _m("300000"), _of("50", FUNDS), _x("max", COVER, _m("1", "EUR"))),
        ),
        None,
    ),
    (_c("!=", _x("min", CAPITAL, FUNDS), _m("300000")), None),
    # Arithmetic: a multiple of months, a share above 100 %, on either side and inside max /
    # min, with a pending figure beside a computed one.
    (_c(">=", CAPITAL, _x("max", _m("250000"), _months(18, FUNDS))), None),
    (_c("<=", _of("150", FUNDS), _x("min", CAPITAL, _months(6, _m("200000", "USD")))), None),
    (
        _c(
            ">",
            _x("max", _of("250", COVER), ir.PendingConst(type="money", currency="BHD")),
            _months(3, CAPITAL),
        ),
        None,
    ),
    (_c("==", _a("incorporated_in"), _a("home")), None),
    (_c("!=", _a("capital_held_with_local_bank"), _a("local_place_of_business")), None),
    (ir.SubsetOf(left=ir.SetConst(values=()), right=_a("resident_key_persons")), None),
    (ir.Membership(item=_a("legal_form"), collection=ir.SetConst(values=())), None),
    (
        _c(
            ">=",
            _a("record_retention_years"),
            _x("max", ir.IntConst(value=5), ir.PendingConst(type="integer")),
        ),
        None,
    ),
    # Counts: of persons with a filter on every field, of roles, against a pending figure.
    (_c("==", _count("key_persons", _field_not("full_time", "role", "ceo")), _i(1)), None),
    (
        _c("<", _i(2), _count("resident_key_persons", _role_in("ceo", "mlro"))),
        _a("part_of_foreign_group"),
    ),
    (_c(">=", _count("key_persons"), ir.PendingConst(type="integer")), None),
    # What the source leaves open: in `when` and `require`, under `not`, `and`, `or`, twice.
    (
        ir.AnyOf(operands=(_a("part_of_foreign_group"), _open("scope"))),
        ir.AnyOf(operands=(_c("!=", _a("home"), _sym("PK")), _open("applicants"))),
    ),
    (
        ir.AllOf(operands=(_c(">=", CAPITAL, _m("300000")), ir.NotExpr(operand=_open("a")))),
        None,
    ),
    (
        ir.AnyOf(operands=(ir.AllOf(operands=(_a("fiu_registered"), _open("a"))), _open("b"))),
        ir.NotExpr(operand=ir.AllOf(operands=(_a("part_of_foreign_group"), _open("c")))),
    ),
    # Discretion: a term agreed with the regulator, alone and beside the firm's own facts
    # (what `discretionary "…"` lowers to; the ids are those of the synthetic requirements).
    (_agreed("S-DISCRETION"), None),
    (ir.AnyOf(operands=(_a("local_place_of_business"), _agreed("S-DISCRETION"))), None),
]
SYNTHETIC = tuple(
    ir.Requirement(
        id=f"S-{index}",
        title="synthetic",
        category="capital",
        licences=(),
        when=when,
        require=require,
        period=ir.Period(),
        citation=ir.Citation(instrument="T", provision=str(index)),
        confidence="confirmed",
        remedy="-",
        reads=attributes_read(when, require),
    )
    for index, (require, when) in enumerate(SHAPES)
)
TARGETS["synthetic"] = [
    Target(
        "synthetic",
        SYNTHETIC,
        "BHD",
        BUNDLED_WORLD,
        thresholds(SYNTHETIC),
        (dt.date(2026, 6, 1),),
    )
]


# ---- drawing profiles ----------------------------------------------------------------------


def draw_money(draw: st.DrawFn, target: Target, day: dt.date) -> Money:
    world = target.world
    base = draw(st.sampled_from([*target.limits.money, Money(target.currency, Decimal(0))]))
    currencies = sorted(
        {base.currency, target.currency, "USD", UNCONVERTIBLE} & set(world.minor_units)
    )
    currency = draw(st.sampled_from(currencies))
    amount = base.amount
    if currency != base.currency:
        try:
            amount = world.fx.convert(base, currency, day)[0].amount
        except EngineError:  # no rate (IDR, PKR…): the same figure, unconvertible
            amount = base.amount
    step = Decimal(1).scaleb(-world.minor_units[currency])
    amount += step * draw(st.sampled_from([-1, 0, 0, 1]))
    return Money(currency, max(amount, Decimal(0)).quantize(step))


def draw_number(draw: st.DrawFn, pool: tuple[Decimal, ...], steps: list[str]) -> Decimal:
    base = draw(st.sampled_from([*pool, Decimal(0)]))
    return base + Decimal(draw(st.sampled_from(steps)))


def draw_value(draw: st.DrawFn, attribute: ir.Attribute, target: Target, day: dt.date) -> Value:
    kind, limits = attribute.type.kind, target.limits
    if kind == "money":
        return draw_money(draw, target, day)
    if kind == "percentage":
        steps = ["-1", "-0.01", "-0.000001", "0", "0", "0.000001", "0.01", "1"]
        return min(
            max(draw_number(draw, limits.numbers["percentage"], steps), Decimal(0)), Decimal(100)
        )
    if kind == "integer":
        return int(draw_number(draw, limits.numbers["integer"], ["-1", "0", "0", "1"]))
    if kind == "date":
        base = draw(st.sampled_from([*limits.days, day]))
        return base + dt.timedelta(days=draw(st.sampled_from([-1, 0, 0, 1])))
    if kind == "boolean":
        return draw(st.booleans())
    if kind == "persons":
        return draw_persons(draw, attribute, target)
    if kind == "set":
        domain = attribute.type.values
        base = draw(st.sampled_from([frozenset(), frozenset(domain), *limits.sets]))
        drop = draw(st.frozensets(st.sampled_from(domain), max_size=1))
        add = draw(st.frozensets(st.sampled_from(domain), max_size=1))
        return frozenset((base - drop) | add)
    domain = attribute.type.values or (*limits.symbols, *target.world.codes, "US")
    return draw(st.sampled_from(sorted(set(domain))))


def draw_persons(draw: st.DrawFn, attribute: ir.Attribute, target: Target) -> Value:
    """Up to four persons, their countries among those the rules name (and one they do not)."""
    countries = sorted({s for s in target.limits.symbols if len(s) == 2} | {"AE", "GB"})
    person = st.builds(
        Person,
        role=st.sampled_from(attribute.type.values),
        residence=st.sampled_from(countries),
        nationality=st.sampled_from(countries),
        full_time=st.booleans(),
    )
    return tuple(draw(st.lists(person, max_size=4)))


@st.composite
def questions(draw: st.DrawFn, code: str) -> tuple[Target, dt.date, dict[str, Value]]:
    """A requirement list, an as-of date and facts drawn around its thresholds."""
    target = draw(st.sampled_from(TARGETS[code]))
    day = draw(st.sampled_from(target.days))
    attributes = {a.name: a for a in target.world.vocabulary.attributes}
    gaps = draw(st.sampled_from([0, 1, 3]))  # in tenths: how often a value is missing
    facts: dict[str, Value] = {}
    for name in target.limits.attributes:
        if draw(st.integers(0, 9)) < gaps:
            continue
        if name == "activity":
            facts[name] = draw(st.sampled_from([a.id for a in target.world.vocabulary.activities]))
        elif name == "home":
            facts[name] = draw(st.sampled_from([*target.world.codes, "US"]))
        elif name == AGREED:
            agreed = draw(st.sets(st.sampled_from(["S-DISCRETION", "S-OTHER"])))
            facts[name] = frozenset(agreed)
        else:
            facts[name] = draw_value(draw, attributes[name], target, day)
    return target, day, facts


# ---- the property --------------------------------------------------------------------------


def context(target: Target, day: dt.date, facts: dict[str, Value]) -> Context:
    world = target.world
    return Context(facts, day, world.fx, target.currency, world.minor_units)


@pytest.mark.parametrize("code", sorted(TARGETS))
@settings(
    max_examples=30,
    derandomize=True,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(data=st.data())
def test_backends_agree(code: str, data: st.DataObject) -> None:
    """Reference, fast path and durable give each applicable requirement one status."""
    target, day, facts = data.draw(questions(code))
    applicable = [r for r in target.requirements if r.period.contains(day)]
    reference_ctx, fast_ctx, durable_ctx = (context(target, day, facts) for _ in range(3))
    reference = [requirement_status(r, reference_ctx)[0] for r in applicable]
    fast = target.world.fast(applicable, fast_ctx)
    durable = target.world.durable(applicable, durable_ctx)
    table = list(zip((r.id for r in applicable), reference, fast, durable, strict=True))
    assert reference == fast == durable, f"{target.name} on {day}: {table}"
    # The FX rates an answer reports: durable's are the conversions the reference makes.
    # (The fast path also reports rates of comparisons it skipped; not checked here.)
    assert durable_ctx.rates == reference_ctx.rates


# ---- tiers: the firm check and the band of a transfer agree -------------------------------

TIERED = {
    code: [t for t in targets if any(r.tiers for r in t.requirements)]
    for code, targets in TARGETS.items()
    if any(r.tiers for t in targets for r in t.requirements)
}


def test_tiered_rules_are_drawn_from() -> None:
    """The bundled Travel Rules written with tiers are among the targets drawn from."""
    assert {"AE-DU", "TR", "ID", "EU"} <= set(TIERED)


@pytest.mark.parametrize("code", sorted(TIERED))
@settings(max_examples=30, derandomize=True, deadline=None)
@given(data=st.data())
def test_tier_firm_check_agrees_with_band_for(code: str, data: st.DataObject) -> None:
    """A firm complying from T meets a tiered requirement exactly when T, converted at the
    day's rates, is at or below the first boundary, i.e. T is in the lowest band or is the
    boundary itself; the backends give it one status, and `band_for` places T."""
    target = data.draw(st.sampled_from(TIERED[code]))
    day = data.draw(st.sampled_from(target.days))
    for requirement in (r for r in target.requirements if r.tiers and r.period.contains(day)):
        tiers = requirement.tiers
        assert tiers is not None
        threshold = draw_money(data.draw, target, day)
        facts: dict[str, Value] = {tiers.policy: threshold}
        status = requirement_status(requirement, context(target, day, facts))[0]
        assert status == target.world.fast([requirement], context(target, day, facts))[0]
        assert status == target.world.durable([requirement], context(target, day, facts))[0]
        jurisdiction = next(j for j in BUNDLED.jurisdictions if j.code == code)
        try:
            bands = band_for(jurisdiction, day, threshold, target.world.fx)
        except EngineError:  # no rate into the tiers' currency: the comparison is unknown
            assert status == "unknown"
            continue
        found = next(b for b in bands if b.requirement == requirement.id)
        first = tiers.bands[0]
        boundary = first.upper
        assert boundary is not None
        lowest = found.band == first or found.amount.amount == boundary.amount
        assert status == ("met" if lowest else "unmet"), (requirement.id, threshold, found)


def passport_json(backend: str) -> dict[str, Any]:
    result = CliRunner().invoke(
        cli,
        [
            "passport",
            str(ROOT / "examples" / "bahrain-exchange.yaml"),
            "--to",
            "MY",
            "--format",
            "json",
            "--backend",
            backend,
        ],
    )
    assert result.exit_code in (0, 1), result.output
    answer: dict[str, Any] = json.loads(result.stdout)
    assert answer.pop("backend") == backend
    return answer


def test_cli_durable_answer_equals_fast() -> None:
    """`jawaz passport … --backend durable` answers exactly as the fast path does."""
    assert passport_json("durable") == passport_json("fast")
