"""The durable-rules backend and durable's traps (DESIGN §6, bench/peers/RESULTS.md).

Each trap has a test: what durable itself does (pinned, so that an upgrade that changes
it is noticed) and what the backend makes of it.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import subprocess
import sys
import threading
import time
from decimal import Decimal
from typing import Any

import durable.engine
import pytest
from ir_build import recorded, requirement

from engine.bundle import load_bundle
from engine.errors import EngineError
from engine.evaluation.backend import Context, Status
from engine.evaluation.durable.backend import SESSION, DurableBackend, SynchronousHost
from engine.evaluation.durable.formula import PENDING_FIELD
from engine.evaluation.durable.ruleset import compile_ruleset
from engine.evaluation.reference import requirement_status
from engine.inputs.money import Money
from engine.inputs.profiles import Value
from rulesdsl import ir

BUNDLE = load_bundle()
BUNDLE_ROOT = __import__("pathlib").Path(__file__).resolve().parent.parent
VOCABULARY = BUNDLE.ir.vocabulary
MINOR_UNITS = {c.code: c.minor_units for c in VOCABULARY.currencies}
DAY = dt.date(2026, 6, 1)
ROLES = ("ceo", "mlro")
SIX = ir.SetConst(values=tuple(f"value_{i}" for i in range(6)))  # x 4 ands: 6**4 branches


def attr(name: str) -> ir.AttrRef:
    return ir.AttrRef(name=name)


def bhd(amount: str) -> ir.MoneyConst:
    return ir.MoneyConst(amount=Decimal(amount), currency="BHD")


def compare(op: str, left: ir.Expr, right: ir.Expr) -> ir.Comparison:
    return recorded(ir.Comparison(op=ir.Op(op), left=left, right=right))


def context(facts: dict[str, Value], currency: str = "BHD") -> Context:
    return Context(facts, DAY, BUNDLE.fx, currency, MINOR_UNITS)


def statuses(
    backend: DurableBackend, requirements: list[ir.Requirement], facts: dict[str, Value]
) -> list[Status]:
    """Durable's statuses, checked against the reference evaluator's."""
    found = backend(requirements, context(facts))
    assert found == [requirement_status(r, context(facts))[0] for r in requirements]
    return found


@pytest.fixture(scope="module")
def backend() -> DurableBackend:
    return DurableBackend(VOCABULARY)


def fire(rules: dict[str, Any], fact: dict[str, Any]) -> list[str]:
    """Which of `rules` (name -> test) durable fires for `fact`, on a private host."""
    fired: list[str] = []

    def action_for(name: str) -> Any:
        return lambda closure: fired.append(name)

    host = SynchronousHost()
    definition = {name: {"all": [{"m": test}], "run": name} for name, test in rules.items()}
    host.register("probe", definition, {name: action_for(name) for name in rules})
    with contextlib.suppress(durable.engine.MessageNotHandledException):  # nothing fired
        host.assert_fact("probe", {"id": 1, **fact})
    return sorted(fired)


# ---- missing values --------------------------------------------------------------------------


def test_durable_comparisons_on_a_missing_field_are_false() -> None:
    """Every comparison with a missing field on its left is false, `!=` included: the
    premise that makes met / unmet / not_applicable rules in NNF exact for Kleene logic."""
    tests = {op: {op: {"gone": 5}} for op in ("$gt", "$gte", "$lt", "$lte", "$neq")} | {
        "eq": {"gone": 5},
        "eq-false": {"gone": False},
        "all-items": {"$iall": {"gone": {"$neq": {"$i": "x"}}}},
        "any-item": {"$iany": {"gone": {"$i": "x"}}},
        "field-ref": {"$neq": {"gone": {"$m": "here"}}},
    }
    assert fire(tests, {"here": 5}) == []


def test_durable_compares_with_a_missing_referenced_field_as_with_garbage() -> None:
    """Beside another test, `x >= gone` and `x < gone` both fire when `gone` is missing
    (the EU capital rule `funds >= max(EUR 150_000, 25% of overheads)` was met with no
    overheads given). The translation therefore tests that the other field exists."""
    tests = {
        op: {"$and": [{"$gte": {"a": 1}}, {op: {"x": {"$m": "gone"}}}]} for op in ("$gte", "$lt")
    }
    assert fire(tests, {"a": 2, "x": 5}) == ["$gte", "$lt"]
    guarded = {op: {"$and": [{"$ex": {"gone": 1}}, *test["$and"]]} for op, test in tests.items()}
    assert fire(guarded, {"a": 2, "x": 5}) == []


def test_attribute_compared_with_a_missing_attribute_is_unknown(backend: DurableBackend) -> None:
    rule = [requirement(compare(">=", attr("shareholders_funds"), attr("paid_up_capital")))]
    for amount in ("0", "5", "1000000000"):
        funds = Money("BHD", Decimal(amount))
        assert statuses(backend, rule, {"shareholders_funds": funds}) == ["unknown"]
        assert statuses(backend, rule, {"paid_up_capital": funds}) == ["unknown"]
    both: dict[str, Value] = {
        "shareholders_funds": Money("BHD", Decimal(2)),
        "paid_up_capital": Money("BHD", Decimal(1)),
    }
    assert statuses(backend, rule, both) == ["met"]


def test_unknown_when_nothing_fires(backend: DurableBackend) -> None:
    """A fact no rule matches raises MessageNotHandledException: every status unknown."""
    host = BUNDLE.jurisdictions["BH"]
    rules = [r for r in host.requirements if not r.licences or "category_4" in r.licences]
    assert set(statuses(backend, rules, {})) == {"unknown"}


def test_no_fx_rate_is_unknown_not_an_error(backend: DurableBackend) -> None:
    rule = [requirement(compare(">=", attr("paid_up_capital"), bhd("300000")))]
    capital = Money("PKR", Decimal("900000000"))
    assert statuses(backend, rule, {"paid_up_capital": capital}) == ["unknown"]


def test_pending_inside_max_decides_when_the_rest_does(backend: DurableBackend) -> None:
    """`x >= max(K, pending)` is `x >= K and x >= pending` (the reference's Kleene max):
    below K it is unmet; above, unknown."""
    pending = ir.PendingConst(type="money", currency="BHD")
    rules = [
        requirement(
            compare(
                ">=",
                attr("paid_up_capital"),
                ir.Extremum(kind="max", args=(bhd("300000"), pending)),
            )
        )
    ]
    below = {"paid_up_capital": Money("BHD", Decimal(100))}
    above = {"paid_up_capital": Money("BHD", Decimal(400000))}
    assert statuses(backend, rules, below) == ["unmet"]
    assert statuses(backend, rules, above) == ["unknown"]


def test_constant_conditions(backend: DurableBackend) -> None:
    """`require true` fires on a field every fact carries; `when false` leaves no rule."""
    rules = [
        requirement(ir.BoolConst(value=True)),
        requirement(ir.BoolConst(value=True), when=ir.BoolConst(value=False)),
        requirement(ir.BoolConst(value=False)),
    ]
    assert statuses(backend, rules, {}) == ["met", "not_applicable", "unmet"]


def test_fx_rates_are_recorded_as_the_reference_records_them(backend: DurableBackend) -> None:
    """An answer reports the FX rates of the comparisons the reference makes: none for a
    requirement whose `when` is unknown or false, the rate when it holds."""
    usd = Money("USD", Decimal(800_000))
    rules = [
        requirement(
            compare(">=", attr("paid_up_capital"), bhd("300000")), when=attr("direct_trade_model")
        )
    ]
    for flag, used in ((None, False), (False, False), (True, True)):
        facts: dict[str, Value] = {"paid_up_capital": usd}
        if flag is not None:
            facts["direct_trade_model"] = flag
        ctx = context(facts)
        backend(rules, ctx)
        reference = context(facts)
        requirement_status(rules[0], reference)
        assert ctx.rates == reference.rates
        assert bool(ctx.rates) == used


# ---- sets ------------------------------------------------------------------------------------


def test_durable_all_items_of_an_empty_list_is_false() -> None:
    assert fire({"all": {"$iall": {"s": {"$i": "x"}}}}, {"s": []}) == []


def test_empty_set_semantics(backend: DurableBackend) -> None:
    """`[] subset S` is true and `[x] subset []` false, although durable's allItems on an
    empty list is false: the fact carries `@empty`."""
    roles = ir.SetConst(values=ROLES)
    people = attr("resident_key_persons")
    within = [requirement(ir.SubsetOf(left=people, right=roles))]
    covers = [requirement(ir.SubsetOf(left=roles, right=people))]
    has = [requirement(ir.ContainsItem(collection=people, item=ir.SymbolConst(value="ceo")))]
    cases: list[tuple[frozenset[str] | None, list[Status]]] = [
        (frozenset(), ["met", "unmet", "unmet"]),
        (frozenset({"ceo"}), ["met", "unmet", "met"]),
        (frozenset({"ceo", "mlro"}), ["met", "met", "met"]),
        (frozenset({"ceo", "ciso"}), ["unmet", "unmet", "met"]),
        (None, ["unknown", "unknown", "unknown"]),
    ]
    for value, expected in cases:
        facts: dict[str, Value] = {} if value is None else {"resident_key_persons": value}
        assert statuses(backend, within + covers + has, facts) == expected


# ---- firing ----------------------------------------------------------------------------------


def test_or_fires_once_per_true_branch_and_is_deduplicated(backend: DurableBackend) -> None:
    forms = ir.SetConst(values=("joint_stock_company", "limited_liability_company"))
    either = ir.AnyOf(
        operands=(
            ir.Membership(item=attr("legal_form"), collection=forms),
            compare("==", attr("incorporated_in"), ir.SymbolConst(value="BH")),
        )
    )
    rules = [requirement(either)]
    facts: dict[str, Value] = {"legal_form": "joint_stock_company", "incorporated_in": "BH"}
    assert statuses(backend, rules, facts) == ["met"]
    assert backend.ruleset(rules, "BHD").sink == [(0, "met"), (0, "met")]


def test_conflicting_statuses_are_an_error(backend: DurableBackend) -> None:
    ruleset = backend.ruleset([requirement(attr("local_place_of_business"))], "BHD")
    assert ruleset.resolve([(0, "met"), (0, "met")]) == ["met"]
    with pytest.raises(EngineError):
        ruleset.resolve([(0, "met"), (0, "unmet")])


def test_actions_are_synchronous(backend: DurableBackend) -> None:
    """durable runs an action with two parameters (a default argument counts) later, on
    its own: every action here takes exactly one."""
    ruleset = backend.ruleset([requirement(attr("local_place_of_business"))], "BHD")
    actions = backend.host.get_ruleset(ruleset.name)._actions
    assert actions and all(promise._sync for promise in actions.values())


def test_pending_literal_never_fires(backend: DurableBackend) -> None:
    pending = ir.PendingConst(type="money", currency="MYR")
    against = compare(">=", attr("paid_up_capital"), pending)
    above = compare(">", attr("paid_up_capital"), ir.MoneyConst(amount=Decimal(5), currency="MYR"))
    rules = [
        requirement(against),
        requirement(ir.NotExpr(operand=against)),
        requirement(ir.AllOf(operands=(above, against))),
    ]
    compiled = compile_ruleset(rules, "BHD", VOCABULARY)
    assert PENDING_FIELD in compiled.dumps()
    assert PENDING_FIELD not in {f.name for f in compiled.fields}
    for amount, third in (("1", "unmet"), ("5", "unmet"), ("6", "unknown"), ("1e9", "unknown")):
        facts: dict[str, Value] = {"paid_up_capital": Money("MYR", Decimal(amount))}
        assert statuses(backend, rules, facts) == ["unknown", "unknown", third]


# ---- sessions, facts, threads ----------------------------------------------------------------


def test_many_evaluations_keep_one_session_and_no_facts(backend: DurableBackend) -> None:
    """3,000 questions (durable allows 1,024 live sessions per ruleset; the next one
    corrupts the engine): one session, every fact retracted, every answer right."""
    rules = [requirement(compare(">=", attr("paid_up_capital"), bhd("300000")))]
    ruleset = backend.ruleset(rules, "BHD")
    for i in range(3000):
        capital = Money("BHD", Decimal(299_999 + i % 3))
        expected = "met" if i % 3 else "unmet"
        assert backend(rules, context({"paid_up_capital": capital})) == [expected]
    assert backend.host.get_facts(ruleset.name, SESSION) == []
    state = backend.host.get_state(ruleset.name, SESSION)
    assert set(state) <= {"sid", "id", "$s"}  # no swallowed action exception in it


def test_the_same_question_twice(backend: DurableBackend) -> None:
    """Asserting an equal fact twice raises in durable: each fact gets its own id."""
    rules = [requirement(attr("local_place_of_business"))]
    ctx = {"local_place_of_business": True}
    assert [backend(rules, context(ctx)) for _ in range(3)] == [["met"]] * 3


def test_a_failure_leaves_no_state(
    backend: DurableBackend, monkeypatch: pytest.MonkeyPatch
) -> None:
    rules = [requirement(attr("client_assets_unencumbered"))]
    ruleset = backend.ruleset(rules, "BHD")
    facts: dict[str, Value] = {"client_assets_unencumbered": True}
    assert backend(rules, context(facts)) == ["met"]

    def broken(*args: object) -> None:
        raise RuntimeError("engine failure")

    with monkeypatch.context() as patch:
        patch.setattr(backend.host, "retract_fact", broken)
        with pytest.raises(RuntimeError):
            backend(rules, context(facts))
    with pytest.raises(durable.engine.durable_rules_engine.error):  # the session is gone
        backend.host.get_facts(ruleset.name, SESSION)
    assert backend(rules, context(facts)) == ["met"]
    assert backend.host.get_facts(ruleset.name, SESSION) == []


def test_no_dispatcher_threads(backend: DurableBackend) -> None:
    """durable's own Host starts dispatcher threads that run actions after assert_fact has
    returned; SynchronousHost starts none."""
    before = set(threading.enumerate())
    fresh = DurableBackend(VOCABULARY)
    rules = [requirement(attr("local_place_of_business"))]
    assert fresh(rules, context({"local_place_of_business": False})) == ["unmet"]
    time.sleep(0.3)  # durable's timers first fire after 0.1 s, then every 0.2 s
    assert set(threading.enumerate()) == before
    probe = (
        "import threading, time, durable.engine as d\n"
        "n = threading.active_count(); h = d.Host(); time.sleep(0.3)\n"
        "print(threading.active_count() - n)\n"
    )
    run = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=60)
    assert int(run.stdout) > 0, run.stderr  # the trap is real: a plain Host starts threads


def test_ruleset_names_are_unique_and_lists_compiled_once(backend: DurableBackend) -> None:
    one = [requirement(attr("local_place_of_business"))]
    two = [requirement(attr("clients_prefund_trades"))]
    first, second = backend.ruleset(one, "BHD"), backend.ruleset(two, "BHD")
    assert first.name != second.name
    assert backend.ruleset(one, "BHD") is first
    other = DurableBackend(VOCABULARY)  # its own Host: the same names do not clash
    assert other(one, context({"local_place_of_business": True})) == ["met"]


def test_durable_is_imported_only_when_asked() -> None:
    probe = (
        "import sys\n"
        "from engine.bundle import load_bundle\n"
        "b = load_bundle(); p = b.read_profile(__import__('pathlib').Path(sys.argv[1]))\n"
        "b.passport(p, host='MY'); print('durable' in sys.modules)\n"
        "b.passport(p, host='MY', backend='durable'); print('durable.engine' in sys.modules)\n"
    )
    profile = str(BUNDLE_ROOT / "examples" / "bahrain-exchange.yaml")
    run = subprocess.run(
        [sys.executable, "-c", probe, profile], capture_output=True, text=True, timeout=60
    )
    assert run.stdout.split() == ["False", "True"], run.stderr


# ---- exactness -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "condition",
    [
        ir.SubsetOf(left=attr("resident_key_persons"), right=attr("resident_key_persons")),
        ir.Membership(item=attr("legal_form"), collection=attr("resident_key_persons")),
        compare(">=", attr("local_place_of_business"), ir.BoolConst(value=True)),
        compare(">=", attr("record_retention_years"), ir.IntConst(value=2**60)),
        compare(">=", attr("no_such_attribute"), ir.IntConst(value=1)),
        ir.AllOf(
            operands=tuple(
                ir.Membership(item=attr(name), collection=SIX)
                for name in ("legal_form", "incorporated_in", "activity", "home")
            )
        ),
    ],
    ids=[
        "set-subset-set",
        "in-attribute-set",
        "ordered-boolean",
        "huge-integer",
        "unknown",
        "over-1024-branches",
    ],
)
def test_untranslatable_shapes_fail_at_compile_time(condition: ir.Expr) -> None:
    with pytest.raises(EngineError):
        compile_ruleset([requirement(condition)], "BHD", VOCABULARY)


def test_values_beyond_exact_integers_are_refused_when_they_matter(
    backend: DurableBackend,
) -> None:
    """A value that is no exact integer below 2**53 at its scale is an error, unless the
    reference would not read it (the requirement does not apply)."""
    cold = compare(">=", attr("cold_storage_min_share"), ir.PercentConst(value=Decimal(90)))
    plain = [requirement(cold)]
    guarded = [requirement(cold, when=attr("part_of_foreign_group"))]
    capital = [requirement(compare(">=", attr("paid_up_capital"), bhd("300000")))]
    years = [requirement(compare(">=", attr("record_retention_years"), ir.IntConst(value=10)))]
    refused: list[tuple[list[ir.Requirement], dict[str, Value]]] = [
        (plain, {"cold_storage_min_share": Decimal("90.1234567")}),  # 7 places > 6
        (capital, {"paid_up_capital": Money("BHD", Decimal("300000.0001"))}),  # 4 > 3
        (capital, {"paid_up_capital": Money("BHD", Decimal("1e13"))}),  # x 1000 > 2**53
        (years, {"record_retention_years": True}),  # durable equates true and 1
    ]
    for rules, facts in refused:
        with pytest.raises(EngineError):
            backend(rules, context(facts))
    precise = {"cold_storage_min_share": Decimal("90.123456"), "part_of_foreign_group": False}
    assert statuses(backend, plain, precise) == ["met"]
    too_fine = {"cold_storage_min_share": Decimal("90.1234567"), "part_of_foreign_group": False}
    assert backend(guarded, context(too_fine)) == ["not_applicable"]
