"""Persons lists and `count(...)`: profiles, explanations, the prover and synthesis."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from engine import load_bundle
from engine.decisions.implication import Prover, atoms
from engine.decisions.persons import determined, implies
from engine.decisions.synthesis import minimum_licensee
from engine.evaluation.backend import Context
from engine.evaluation.durable.backend import DurableBackend
from engine.evaluation.fast import FastBackend
from engine.evaluation.reference import evaluate, requirement_status
from engine.inputs.persons import Person
from engine.inputs.profiles import ProfileError
from rulesdsl import ir
from rulesdsl.syntax.parser import parse_text
from rulesdsl.tools.formatter import format_module

BUNDLE = load_bundle()
DAY = dt.date(2026, 6, 1)
RI = "responsible_individual"


def person(role: str, residence: str, nationality: str, full_time: bool = True) -> Person:
    return Person(role, residence, nationality, full_time)


def profile_data(persons: Any) -> dict[str, Any]:
    return {
        "home": "AE-DU",
        "licence": "broker_dealer_services",
        "activities": ["brokerage"],
        "attributes": {"key_persons": persons},
    }


# ---- profiles ------------------------------------------------------------------------------


def test_a_persons_list_is_read_into_persons_and_echoed_canonically() -> None:
    given = [{"role": RI, "residence": "AE", "nationality": "IN", "full_time": True, "name": "X"}]
    profile = BUNDLE.profile(profile_data(given))
    assert profile.attributes["key_persons"] == (Person(RI, "AE", "IN", True, "X"),)
    assert profile.canonical()["attributes"]["key_persons"] == given


@pytest.mark.parametrize(
    ("entry", "path"),
    [
        ({"role": "cfo", "residence": "AE", "nationality": "AE", "full_time": True}, "0.role"),
        ({"role": RI, "residence": "AE-DU", "nationality": "AE", "full_time": True}, "0.residence"),
        ({"role": RI, "residence": "AE", "nationality": "UAE", "full_time": True}, "0.nationality"),
        ({"role": RI, "residence": "AE", "nationality": "AE", "full_time": "yes"}, "0.full_time"),
        ({"role": RI, "residence": "AE", "nationality": "AE", "full_time": True, "x": 1}, "0"),
        ({"role": RI, "residence": "AE", "full_time": True}, "0"),
        ("ceo", "0"),
    ],
)
def test_a_bad_person_is_refused_naming_its_path(entry: Any, path: str) -> None:
    with pytest.raises(ProfileError) as caught:
        BUNDLE.profile(profile_data([entry]))
    assert [p for p, _ in caught.value.problems] == [f"attributes.key_persons.{path}"]
    assert caught.value.codes == {f"attributes.key_persons.{path}": "invalid_person"}


def test_a_persons_list_must_be_a_list() -> None:
    with pytest.raises(ProfileError) as caught:
        BUNDLE.profile(profile_data({"role": RI}))
    assert [p for p, _ in caught.value.problems] == ["attributes.key_persons"]
    assert caught.value.codes == {"attributes.key_persons": "invalid_person"}


# ---- evaluation ----------------------------------------------------------------------------


def requirement(code: str, rid: str) -> ir.Requirement:
    found = BUNDLE.jurisdictions[code].requirements
    return next(r for r in found if r.id == rid)


RIS = requirement("AE-DU", "AE-DU-RESPONSIBLE-INDIVIDUALS")


def context(facts: dict[str, Any]) -> Context:
    minor = {c.code: c.minor_units for c in BUNDLE.ir.vocabulary.currencies}
    return Context(facts, DAY, BUNDLE.fx, "AED", minor)


def statuses(req: ir.Requirement, facts: dict[str, Any]) -> list[str]:
    money = [a.name for a in BUNDLE.ir.vocabulary.attributes if a.type.kind == "money"]
    reference = requirement_status(req, context(facts))[0]
    fast = FastBackend(money)([req], context(facts))[0]
    durable = DurableBackend(BUNDLE.ir.vocabulary)([req], context(facts))[0]
    return [reference, fast or "undecided", durable]


@pytest.mark.parametrize(
    ("persons", "status"),
    [
        # a UAE resident and a UAE national living abroad: both count
        ((person(RI, "AE", "IN"), person(RI, "GB", "AE")), "met"),
        # one of two outside the UAE and not a national
        ((person(RI, "AE", "IN"), person(RI, "GB", "GB")), "unmet"),
        # part-time, or in another role, does not count
        (
            (person(RI, "AE", "AE", False), person("ceo", "AE", "AE"), person(RI, "AE", "AE")),
            "unmet",
        ),
        ((), "unmet"),
    ],
)
def test_every_backend_counts_the_responsible_individuals(
    persons: tuple[Person, ...], status: str
) -> None:
    assert statuses(RIS, {"key_persons": persons}) == [status] * 3


def test_without_persons_the_count_is_unknown_on_every_backend() -> None:
    reference, fast, durable = statuses(RIS, {})
    assert (reference, durable) == ("unknown", "unknown")
    assert fast == "undecided"  # left to the reference evaluator
    outcome = evaluate(RIS.require, context({}))
    assert outcome.missing.attributes == {"key_persons"}


def test_a_failed_count_names_the_shortfall_and_who_counts() -> None:
    named = Person(RI, "AE", "IN", True, "Ms X")
    outcome = evaluate(RIS.require, context({"key_persons": (named, person(RI, "GB", "GB"))}))
    assert outcome.value is False
    (gap,) = outcome.gaps
    assert (gap.attribute, gap.op, gap.shortfall) == ("key_persons", ">=", Decimal(1))
    assert gap.actual.startswith("1:") and "Ms X" in gap.actual


def roles_count(where: ir.Expr | None, op: str, bar: int) -> ir.Comparison:
    count = ir.Count(of=ir.AttrRef(name="resident_key_persons"), where=where)
    return ir.Comparison(op=ir.Op(op), left=count, right=ir.IntConst(value=bar))


def role_in(*roles: str) -> ir.Membership:
    return ir.Membership(item=ir.PersonField(name="role"), collection=ir.SetConst(values=roles))


def test_a_roles_list_counts_distinct_roles() -> None:
    facts = {"resident_key_persons": frozenset({"ceo", "mlro", "ciso"})}
    assert evaluate(roles_count(None, ">=", 3), context(facts)).value is True
    assert evaluate(roles_count(role_in("ceo", "director"), ">=", 2), context(facts)).value is False


# ---- the prover ----------------------------------------------------------------------------


def residence(code: str) -> ir.Comparison:
    field = ir.PersonField(name="residence")
    return ir.Comparison(op=ir.Op.EQ, left=field, right=ir.SymbolConst(value=code))


def persons_count(where: ir.Expr | None, op: str, bar: int) -> ir.Comparison:
    count = ir.Count(of=ir.AttrRef(name="key_persons"), where=where)
    return ir.Comparison(op=ir.Op(op), left=count, right=ir.IntConst(value=bar))


def proves(home: ir.Expr, host: ir.Expr) -> bool:
    prover = Prover(BUNDLE.fx, DAY)
    (premise,), (conclusion,) = atoms(home) or (), atoms(host) or ()
    return prover.atom_implies(premise, conclusion)


RESIDENT_CEO = ir.AllOf(operands=(residence("AE"), role_in("ceo")))


@pytest.mark.parametrize(
    ("home", "host", "proven"),
    [
        (persons_count(RESIDENT_CEO, ">=", 2), persons_count(RESIDENT_CEO, ">=", 1), True),
        (persons_count(RESIDENT_CEO, ">=", 2), persons_count(residence("AE"), ">=", 2), True),
        (persons_count(RESIDENT_CEO, ">=", 2), persons_count(None, ">", 1), True),
        (persons_count(RESIDENT_CEO, "==", 2), persons_count(RESIDENT_CEO, ">=", 2), True),
        (persons_count(residence("AE"), "<=", 1), persons_count(RESIDENT_CEO, "<=", 2), True),
        (persons_count(RESIDENT_CEO, ">=", 1), persons_count(RESIDENT_CEO, ">=", 2), False),
        (persons_count(residence("AE"), ">=", 2), persons_count(RESIDENT_CEO, ">=", 2), False),
        (persons_count(RESIDENT_CEO, ">=", 2), persons_count(RESIDENT_CEO, "<=", 5), False),
        (persons_count(RESIDENT_CEO, ">=", 2), roles_count(role_in("ceo"), ">=", 1), False),
        (roles_count(role_in("ceo"), ">=", 1), roles_count(None, ">=", 1), True),
    ],
)
def test_count_implication_is_sound_and_conservative(
    home: ir.Expr, host: ir.Expr, proven: bool
) -> None:
    assert proves(home, host) is proven


def test_filter_implication_is_decided_over_all_entries() -> None:
    either = ir.AnyOf(operands=(residence("AE"), residence("SA")))
    assert implies(residence("AE"), either, roles_only=False)
    assert not implies(either, residence("AE"), roles_only=False)
    differ = ir.Comparison(
        op=ir.Op.NE, left=ir.PersonField(name="residence"), right=ir.PersonField(name="nationality")
    )
    assert not implies(ir.NotExpr(operand=residence("AE")), differ, roles_only=False)


# ---- synthesis -----------------------------------------------------------------------------


def test_a_filter_pins_down_an_entry_only_when_it_fixes_every_field() -> None:
    nationality = ir.Comparison(
        op=ir.Op.EQ, left=ir.PersonField(name="nationality"), right=ir.SymbolConst(value="AE")
    )
    every = ir.AllOf(operands=(RESIDENT_CEO, nationality, ir.PersonField(name="full_time")))
    assert determined(every, roles_only=False) == Person("ceo", "AE", "AE", True)
    assert determined(RESIDENT_CEO, roles_only=False) is None  # nationality left open
    found = determined(role_in("ceo"), roles_only=True)  # a role: its only field
    assert found is not None and found.role == "ceo"
    assert determined(role_in("ceo", "mlro"), roles_only=True) is None


def test_a_home_that_pins_its_key_persons_down_gets_exactly_those() -> None:
    nationality = ir.Comparison(
        op=ir.Op.EQ, left=ir.PersonField(name="nationality"), right=ir.SymbolConst(value="AE")
    )
    every = ir.AllOf(operands=(RESIDENT_CEO, nationality, ir.PersonField(name="full_time")))
    rules = (
        RIS.model_copy(update={"require": persons_count(every, ">=", 2)}),
        RIS.model_copy(update={"id": "X-2", "require": persons_count(RESIDENT_CEO, ">=", 1)}),
        RIS.model_copy(update={"id": "X-3", "require": persons_count(None, "<=", 3)}),
    )
    home = BUNDLE.jurisdictions["AE-DU"].model_copy(update={"requirements": rules})
    licence = next(lic for lic in home.licences if lic.id == "broker_dealer_services")
    firm = minimum_licensee(BUNDLE.ir, home, licence, "brokerage", DAY)
    assert firm.attributes["key_persons"] == (Person("ceo", "AE", "AE", True),) * 2
    facts = firm.facts_for("AE-DU")
    assert all(requirement_status(r, context(facts))[0] == "met" for r in rules)
    # the smallest list breaching an upper bound is no licensee at all: left unknown
    tight = (*rules, RIS.model_copy(update={"id": "X-4", "require": persons_count(None, "<=", 1)}))
    home = home.model_copy(update={"requirements": tight})
    assert (
        "key_persons" not in minimum_licensee(BUNDLE.ir, home, licence, "brokerage", DAY).attributes
    )


def test_the_minimum_dubai_licensee_leaves_its_key_persons_unknown() -> None:
    """VARA accepts a UAE resident or a UAE national: no one list is the smallest, so the
    synthesised licensee claims none, and a host's count of its key persons is unknown."""
    home = BUNDLE.jurisdictions["AE-DU"]
    licence = next(lic for lic in home.licences if lic.id == "broker_dealer_services")
    firm = minimum_licensee(BUNDLE.ir, home, licence, "brokerage", DAY)
    assert "key_persons" not in firm.facts_for("AE-DU")
    assert requirement_status(RIS, context(firm.facts_for("AE-DU")))[0] == "unknown"


# ---- the formatter -------------------------------------------------------------------------


def test_a_long_count_is_wrapped_and_reads_back_the_same() -> None:
    text = (
        "jurisdiction BH {\n  requirement X {\n    require count(key_persons where "
        "role == responsible_individual and full_time and (residence == AE or nationality == AE)"
        ") >= 2\n  }\n}\n"
    )
    module = parse_text(text)
    formatted = format_module(module, text)
    assert "count(key_persons where (\n" in formatted and ")) >= 2\n" in formatted
    assert parse_text(formatted).items == module.items
    assert format_module(parse_text(formatted), formatted) == formatted
