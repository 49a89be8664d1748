"""Branch coverage of the jurisdiction cases (`engine.decisions.branches`): which side of
each `and`/`or` some case decided, and the report `jawaz test --coverage` prints."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from jawaz_cli import jawaz

from engine import load_bundle
from engine.bundle import Bundle
from engine.decisions.branches import (
    BranchKey,
    branch_count,
    branches_of,
    deciding_side,
    undecided,
)
from engine.decisions.cases import case_files, read_cases, run_case
from engine.evaluation.backend import Context
from engine.inputs.money import Money
from engine.inputs.profiles import Value
from rulesdsl import ir
from rulesdsl.loader import bundled_root


@pytest.fixture(scope="module")
def bundle() -> Bundle:
    """The bundled rules, loaded once for the module."""
    return load_bundle()


def _requirement(bundle: Bundle, code: str, rid: str) -> ir.Requirement:
    return next(r for r in bundle.jurisdiction(code).requirements if r.id == rid)


def _context(bundle: Bundle, facts: dict[str, Value]) -> Context:
    return Context(facts, dt.date(2026, 6, 1), bundle.fx, "USD", {"USD": 2})


def _either(a: str, b: str) -> ir.AnyOf:
    return ir.AnyOf(operands=(ir.AttrRef(name=a), ir.AttrRef(name=b)))


@pytest.mark.parametrize(
    ("facts", "side"),
    [
        ({"a": True, "b": True}, 1),  # the first true side decides
        ({"a": False, "b": True}, 2),
        ({"b": True}, 2),  # unknown or true is true, and the true side decided it
        ({"a": False, "b": False}, 0),  # every side false
        ({"a": False}, None),  # false or unknown is unknown: nothing shown
    ],
)
def test_the_side_that_decides_an_or(
    bundle: Bundle, facts: dict[str, Value], side: int | None
) -> None:
    """An `or` is decided by its first true side, or by every side being false."""
    assert deciding_side(_either("a", "b"), _context(bundle, facts)) == side


def test_the_side_that_decides_an_and(bundle: Bundle) -> None:
    """An `and` is decided by its first false side, or by every side being true."""
    both = ir.AllOf(operands=(ir.AttrRef(name="a"), ir.AttrRef(name="b")))
    assert deciding_side(both, _context(bundle, {"a": True, "b": False})) == 2
    assert deciding_side(both, _context(bundle, {"a": True, "b": True})) == 0
    assert deciding_side(both, _context(bundle, {"b": False})) == 2
    assert deciding_side(both, _context(bundle, {"a": True})) is None


def test_a_side_against_a_pending_figure_is_no_branch(bundle: Bundle) -> None:
    """`capital >= USD 250,000 or capital >= USD pending`: only the known side can decide
    (the pending side and "every side false" never can), so only it is a branch."""
    requirement = _requirement(bundle, "KZ", "KZ-CAP-DASP")
    keys = [b.key for b in branches_of("KZ", requirement)]
    assert [(k.part, k.path, k.side) for k in keys] == [("require", "", 1)]


def test_nested_connectives_have_paths(bundle: Bundle) -> None:
    """A connective inside another is addressed by its sides from the root."""
    inner = ir.AllOf(operands=(ir.AttrRef(name="a"), ir.AttrRef(name="b")))
    outer = ir.AnyOf(operands=(inner, ir.AttrRef(name="c")))
    requirement = _requirement(bundle, "TR", "TR-IS-AUDIT").model_copy(update={"require": outer})
    keys = [(b.key.path, b.key.side) for b in branches_of("TR", requirement)]
    assert keys == [("", 0), ("", 1), ("", 2), ("1", 0), ("1", 1), ("1", 2)]


def test_a_case_decides_the_branch_its_facts_take(bundle: Bundle) -> None:
    """A Dubai firm without its trade licence decides side 2 of AE-DU-ENTITY's `and`."""
    profile = bundle.read_profile(bundled_root().parent / "examples" / "dubai-vara-broker.yaml")
    decision = bundle.passport(profile, host="AE-DU", as_of=dt.date(2026, 6, 1))
    met = bundle.decided_branches(profile, decision)
    entity = {k for k in met if k.requirement == "AE-DU-ENTITY"}
    assert entity == {BranchKey("AE-DU", "AE-DU-ENTITY", None, "require", "", 0)}
    data = profile.canonical()
    data["attributes"]["local_trade_licence"] = False
    without = bundle.profile(data)
    decision = bundle.passport(without, host="AE-DU", as_of=dt.date(2026, 6, 1))
    entity = {
        k for k in bundle.decided_branches(without, decision) if k.requirement == "AE-DU-ENTITY"
    }
    assert entity == {BranchKey("AE-DU", "AE-DU-ENTITY", None, "require", "", 2)}


def test_bundled_cases_decide_every_branch(bundle: Bundle) -> None:
    """Every branch some firm could take is decided by a bundled case, and with no cases
    every branch is reported (the check is live)."""
    cases = [case for path in case_files(bundled_root()) for case in read_cases(path)]
    decided = set().union(*(run_case(bundle, case).branches for case in cases))
    assert undecided(bundle.ir, decided) == []
    assert len(undecided(bundle.ir, set())) == branch_count(bundle.ir) > 0


def test_cli_reports_branches() -> None:
    """`jawaz test --coverage` prints the branch count beside the version count."""
    result = jawaz("test", "--coverage")
    assert result.returncode == 0, result.stdout + result.stderr
    found = re.search(r"branches: (\d+) of (\d+) condition branches decided", result.stdout)
    assert found is not None and found.group(1) == found.group(2)
    assert "branch not decided" not in result.stdout


def test_undecided_branch_is_named(bundle: Bundle) -> None:
    """Without the case that decides it, a branch is reported with its requirement."""
    missing = undecided(bundle.ir, set())
    assert any(b.key.requirement == "TR-IS-AUDIT" and b.key.side == 2 for b in missing)
    assert all(isinstance(b.connective, ir.AllOf | ir.AnyOf) for b in missing)


def test_money_facts_are_judged_in_the_rule_currency(bundle: Bundle) -> None:
    """A side comparing money converts like the evaluator (KZ: USD 300,000 decides side 1)."""
    requirement = _requirement(bundle, "KZ", "KZ-CAP-DASP")
    condition = requirement.require
    assert isinstance(condition, ir.AnyOf)
    facts: dict[str, Value] = {
        "paid_up_capital": Money("USD", __import__("decimal").Decimal(300000))
    }
    assert deciding_side(condition, _context(bundle, facts)) == 1
