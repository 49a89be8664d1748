"""What every backend shares: the statuses, the question's context, the backend protocol,
and the composition that refers what a backend leaves undecided to another.

The fast path and durable depend on this module, never on the reference evaluator: the
evaluator a backend refers to is handed to `Referring` by whoever assembles the backends
(`engine.bundle`), so the independence of the implementations is a fact the import
contracts check.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal, cast

from engine.errors import EngineError
from engine.evaluation.explanations import Missing, Outcome
from engine.evaluation.memo import ExplanationMemo
from engine.inputs.fx import FxBook, RateUsed
from engine.inputs.money import Money
from engine.inputs.profiles import Value
from rulesdsl import ir

Status = Literal["met", "unmet", "unknown", "not_applicable"]


@dataclass
class Context:
    """What one evaluation needs: the facts, the date, FX, and the default currency."""

    facts: Mapping[str, Value]
    as_of: dt.date
    fx: FxBook
    currency: str
    minor_units: Mapping[str, int]
    rates: set[RateUsed] = field(default_factory=set)
    # Outcomes already worked out in this question, by requirement identity, so that a
    # requirement a backend referred is not evaluated twice for its explanation.
    explained: dict[int, tuple[Status, Outcome]] = field(default_factory=dict)
    # Across questions: outcomes keyed by exactly the inputs they depend on (optional).
    memo: ExplanationMemo | None = None

    def convert(self, money: Money, target: str) -> Money | Missing:
        """`money` in `target`; Missing when the FX table has no rate for the pair, so the
        comparison is unknown rather than the whole question failing."""
        try:
            converted, used = self.fx.convert(money, target, self.as_of)
        except EngineError:
            return Missing(rates=frozenset({(money.currency, target)}))
        if used is not None:
            self.rates.add(used)
        return converted


# Decides the status of each requirement of a list; the passport decision takes any.
StatusBackend = Callable[[Sequence[ir.Requirement], Context], list[Status]]
# Decides what it can; None for a requirement it leaves to another (the fast path).
PartialBackend = Callable[[Sequence[ir.Requirement], Context], list[Status | None]]
# Decides one requirement (the reference evaluator).
Referee = Callable[[ir.Requirement, Context], Status]


@dataclass(frozen=True)
class Referring:
    """A `StatusBackend`: asks `first`, and `referee` for only what `first` left undecided."""

    first: PartialBackend
    referee: Referee

    def __call__(self, requirements: Sequence[ir.Requirement], ctx: Context) -> list[Status]:
        found = self.first(requirements, ctx)
        if None not in found:  # the common case: nothing to refer, no list to build
            return cast(list[Status], found)
        return [
            status if status is not None else self.referee(requirement, ctx)
            for status, requirement in zip(found, requirements, strict=True)
        ]
