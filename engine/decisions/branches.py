"""Branch coverage of jurisdiction cases: which sides of each `and`/`or` some case decided.

A requirement version can be exercised by cases and still hide an untested rule: in
`paid_up_capital >= USD 250_000 or paid_up_capital >= USD pending` a case that always meets
the first side never shows what the second one does. `jawaz test --coverage` therefore also
lists, per requirement, the branches of its conditions (`when` and `require`) no case
decided.

A branch is one way a connective gets its value, read left to right as the rule is written:
- for `a or b or c`: "side k decides" (the first true side, k = 1..n; an unknown side
  before it does not matter, `unknown or true` is true) and "every side false";
- for `a and b and c`: "side k decides" (the first false side) and "every side true".
An unknown connective decides no branch: nothing was shown; a branch that needs a `pending`
figure or an `unstated "…"` condition decided is not counted, since no case can take it (in
`home != PK or unstated "…"` only "side 1 decides" is a branch: the other two need the
unstated side false or true). `not` passes through (its
operand's connectives are counted on their own). The sides are judged by the reference
evaluator on the same facts the decision used (`facts_of`), so coverage never disagrees with
the answer the case checked.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Literal

from engine.decisions.passport import Decider
from engine.decisions.plans import licensed_for
from engine.decisions.question import Question, facts_of
from engine.evaluation.backend import Context
from engine.evaluation.reference import evaluate
from engine.results import Decision
from rulesdsl import ir
from rulesdsl.ir.walk import children, nodes

Part = Literal["when", "require"]
# Lines a decision did not judge on the firm's facts: a waived line is recognised, not
# evaluated, so it decides none of its branches.
_NOT_JUDGED = frozenset({"waived"})


@dataclass(frozen=True)
class BranchKey:
    """One branch of one requirement version: where it is and which way it goes.

    `path` gives the connective's position as side numbers from the condition's root
    ("" for the root itself, "2.1" for the first side of the root's second side); `side`
    is the deciding side (1-based), or 0 for "every side" (all false / all true).
    """

    jurisdiction: str
    requirement: str
    start: dt.date | None
    part: Part
    path: str
    side: int


@dataclass(frozen=True)
class Branch:
    """A branch with the connective it belongs to, for reporting."""

    key: BranchKey
    connective: ir.AllOf | ir.AnyOf


def _connectives(expr: ir.Expr, path: str = "") -> Iterator[tuple[str, ir.AllOf | ir.AnyOf]]:
    """Every `and`/`or` node of `expr` with its path, outermost first. A count's filter is
    judged person by person, not on the firm's facts, so its connectives are not branches
    of the condition."""
    if isinstance(expr, ir.AllOf | ir.AnyOf):
        yield path, expr
    if isinstance(expr, ir.Count):
        return
    for index, child in enumerate(children(expr), start=1):
        yield from _connectives(child, f"{path}.{index}" if path else str(index))


def _parts(requirement: ir.Requirement) -> Iterator[tuple[Part, ir.Expr]]:
    if requirement.when is not None:
        yield "when", requirement.when
    yield "require", requirement.require


def _never_known(expr: ir.Expr) -> bool:
    """Whether `expr` compares with a figure that is not published or reads what its source
    leaves open: its truth is never known, so a branch that needs it decided is one no case
    can take."""
    return any(isinstance(node, ir.PendingConst | ir.Unstated) for node in nodes(expr))


def _reachable(node: ir.AllOf | ir.AnyOf, side: int) -> bool:
    needed = node.operands if side == 0 else (node.operands[side - 1],)
    return not any(_never_known(operand) for operand in needed)


def branches_of(code: str, requirement: ir.Requirement) -> list[Branch]:
    """Every branch of one requirement version's conditions that some firm could take
    (one needing a `pending` figure or an `unstated` condition decided is left out: no
    case can decide it)."""
    found = []
    for part, condition in _parts(requirement):
        for path, node in _connectives(condition):
            for side in range(len(node.operands) + 1):
                if _reachable(node, side):
                    key = BranchKey(
                        code, requirement.id, requirement.period.start, part, path, side
                    )
                    found.append(Branch(key, node))
    return found


def deciding_side(node: ir.AllOf | ir.AnyOf, ctx: Context) -> int | None:
    """The branch `node` took for the facts in `ctx`; None when it is unknown."""
    decisive = isinstance(node, ir.AnyOf)  # true settles an `or`, false an `and`
    undecided = False
    for side, operand in enumerate(node.operands, start=1):
        truth = evaluate(operand, ctx).value
        if truth is decisive:  # settles it whatever the sides before it were
            return side
        undecided = undecided or truth is None
    return None if undecided else 0


def decided_in(
    code: str, binding: Sequence[ir.Requirement], decision: Decision, ctx: Context
) -> set[BranchKey]:
    """The branches `decision` decided, judged on the facts in `ctx`. `binding` are the
    versions of the host licence that bound the firm on the date (the decider's choice):
    each had its `when` judged (a false one leaves no line), and its `require` too where a
    line shows it and was not waived."""
    lines = {
        (line.id, line.effective_from)
        for line in decision.requirements
        if line.status not in _NOT_JUDGED
    }
    decided = set()
    for requirement in binding:
        shown = (requirement.id, requirement.period.start) in lines
        for part, condition in _parts(requirement):
            if part == "require" and not shown:
                continue
            for path, node in _connectives(condition):
                side = deciding_side(node, ctx)
                if side is not None:
                    start = requirement.period.start
                    decided.add(BranchKey(code, requirement.id, start, part, path, side))
    return decided


def decided_branches(decider: Decider, question: Question, decision: Decision) -> set[BranchKey]:
    """The branches `decision` (the answer to `question`) decided, on the facts and the
    versions the decider used for it."""
    host = question.host
    licence = next((lic for lic in host.licences if lic.id == decision.host_licence), None)
    if licence is None:  # no host licence was evaluated: the route decided the answer
        return set()
    facts = facts_of(question.profile, host.code, question.activity)
    ctx = Context(facts, question.as_of, decider.fx, host.currency, decider.minor_units)
    licensed = licensed_for(question, licence, facts)
    binding = decider.applicable(host, licence.id, question.as_of, licensed).decided
    return decided_in(host.code, binding, decision, ctx)


def undecided(rules: ir.Bundle, decided: Iterable[BranchKey]) -> list[Branch]:
    """The branches of every requirement version of `rules` that no case decided, in the
    bundle's order."""
    seen = set(decided)
    return [
        branch
        for jurisdiction in rules.jurisdictions
        for requirement in jurisdiction.requirements
        for branch in branches_of(jurisdiction.code, requirement)
        if branch.key not in seen
    ]


def branch_count(rules: ir.Bundle) -> int:
    """How many branches the conditions of `rules` have."""
    return sum(len(branches_of(j.code, r)) for j in rules.jurisdictions for r in j.requirements)
