"""Deeming under a passport framework (DESIGN §4, "Soundness of deeming").

A host requirement of a deemed category is `deemed_met` only when (a) home requirements for
the firm's licence are proven to imply it (`implication.Prover`), (b) those home rules are
in force on the date for that licence, and (c) the firm's own facts do not make any of them
false. A home rule the firm breaches cannot stand in for the host's: where only breached
home rules would imply the host rule, the host rule is `unmet`, citing both ("breaches
MY-TRAVEL-RULE, on which BH relies"). Where nothing implies it, the host rule applies as if
kept: "not shown equivalent".
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from engine.decisions.implication import Prover, provable_home_requirements
from engine.evaluation.backend import Context, StatusBackend
from engine.evaluation.lru import Kept
from engine.inputs.fx import FxBook, RateUsed
from engine.results import Equivalence
from rulesdsl import ir


@dataclass(frozen=True, slots=True)
class HomeRules:
    """The firm's home requirements usable as premises, split by what its facts show."""

    kept: tuple[ir.Requirement, ...]  # the firm does not breach these (met or unknown)
    breached: tuple[ir.Requirement, ...]  # the firm's facts make these false
    # The split by identity, worked out once: what a remembered proof is keyed by.
    split: tuple[tuple[int, ...], tuple[int, ...]] = ((), ())

    @classmethod
    def of(
        cls, in_force: Sequence[ir.Requirement], statuses: StatusBackend, ctx: Context
    ) -> HomeRules:
        """Premises from the home requirements in force for the licence on the date, each
        judged against the firm's home facts by the same backend as the host's rules."""
        premises = provable_home_requirements(in_force)
        judged = statuses(premises, ctx) if premises else []
        kept = tuple(r for r, s in zip(premises, judged, strict=True) if s != "unmet")
        breached = tuple(r for r, s in zip(premises, judged, strict=True) if s == "unmet")
        split = (tuple(id(r) for r in kept), tuple(id(r) for r in breached))
        return cls(kept, breached, split)


NO_HOME_RULES = HomeRules((), ())


@dataclass(frozen=True, slots=True)
class Deeming:
    """What deeming gives one host requirement: the home rules it rests on, or those the
    firm breaches, or nothing shown; and the FX rates the proof read."""

    equivalence: Equivalence
    home: tuple[ir.Requirement, ...] = ()
    rates: frozenset[RateUsed] = frozenset()


class Deemer:
    """Deems host requirements from home rules, remembering each proof: it depends only on
    the two rules, the date (through FX) and which premises the firm breaches."""

    def __init__(self, fx: FxBook, per_host: frozenset[str]) -> None:
        self.fx = fx
        self.per_host = per_host
        self._memo: Kept[tuple[int, dt.date, tuple[int, ...], tuple[int, ...]], Deeming]
        self._memo = Kept(65536)

    def deem(self, requirement: ir.Requirement, day: dt.date, home: HomeRules) -> Deeming:
        """Whether home supervision stands in for `requirement` for this firm."""
        key = (id(requirement), day, *home.split)
        found = self._memo.get(key)
        if found is None:
            prover = Prover(self.fx, day, self.per_host)
            shown = _deem(requirement, prover, home)
            found = self._memo[key] = Deeming(
                shown.equivalence, shown.home, frozenset(prover.rates)
            )
        return found


def _deem(requirement: ir.Requirement, prover: Prover, home: HomeRules) -> Deeming:
    relied = prover.implied(requirement.require, home.kept)
    if relied:
        return Deeming("shown", tuple(relied))
    if home.breached:
        would = prover.implied(requirement.require, (*home.kept, *home.breached))
        if would:
            breached = {id(r) for r in home.breached}
            return Deeming("breached", tuple(r for r in would if id(r) in breached))
    return Deeming("not_shown")
