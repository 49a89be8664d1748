"""A plan: what answering one host licence needs that does not depend on the firm, and
the kept answer of a plan for one firm's facts."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from engine.decisions.catalogue import LICENSED_IN_HOST, InForce
from engine.decisions.question import Question
from engine.evaluation.backend import StatusBackend
from engine.evaluation.explanations import Missing
from engine.inputs.fx import RateUsed
from engine.inputs.profiles import Value
from engine.results import RequirementResult, Treatment
from rulesdsl import ir


@dataclass(frozen=True, slots=True)
class Plan:
    """What answering one licence's requirements needs that does not depend on the firm:
    the list the backend evaluates and, per answer line in rule order, the requirement,
    its treatment, its position in that list (-1: not evaluated) and, for a version that
    cannot be chosen for the firm, what is missing."""

    key: PlanKey
    decided: Sequence[ir.Requirement]
    lines: tuple[tuple[ir.Requirement, Treatment | None, int, Missing | None], ...]
    # Every attribute the evaluated requirements read, and whether one of them is deemed
    # (its answer then depends on the home facts too): what an answer of the plan depends on.
    reads: tuple[str, ...]
    deems: bool


PlanKey = tuple[str, str, dt.date, bool | None, str | None, bool]


@dataclass(frozen=True, slots=True)
class Answered:
    """The lines one plan gave for one firm's facts, by one backend (kept)."""

    statuses: StatusBackend
    results: tuple[RequirementResult, ...]
    rates: frozenset[RateUsed]


def plan_of(key: PlanKey, chosen: InForce, classes: Mapping[str, Treatment]) -> Plan:
    """The plan of the versions `chosen`, each line treated as `classes` says."""
    position = {id(r): index for index, r in enumerate(chosen.decided)}
    return Plan(
        key,
        chosen.decided,
        tuple(
            (r, classes.get(r.category), position.get(id(r), -1), chosen.undecided.get(r.id))
            for r in chosen.requirements
        ),
        # A version that cannot be chosen reads nothing: its line is what is missing.
        tuple(sorted({name for r in chosen.decided for name in r.reads})),
        any(classes.get(r.category) == "deemed" for r in chosen.decided),
    )


def licensed_for(
    question: Question, licence: ir.Licence, facts: Mapping[str, Value]
) -> bool | None:
    """Whether the firm already holds `licence`: the profile's `licensed_in_host`, else yes
    where it is the home licence itself (a firm asking about its own regime), else unknown
    (the matrix's minimum licensee: no)."""
    given = facts.get(LICENSED_IN_HOST)
    if isinstance(given, bool):
        return given
    own = question.home_code == question.host.code and question.profile.licence == licence.id
    if own:
        return True
    # The matrix's minimum licensee holds only its home licence: in any other host it is
    # a new applicant.
    return False if question.minimum_licensee else None
