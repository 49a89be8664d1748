"""Explanations remembered across questions.

A requirement's status and explanation are a pure function of the question's date, the
host currency and the values of the attributes the requirement reads (`Requirement.reads`,
recorded at lowering; the FX tables being fixed for a bundle). Many firms lack the same
attributes, and the same firm asks many times, so the reference evaluator's work is kept,
keyed by exactly those inputs, together with the FX rates it used. The store is bounded:
past `limit` entries it starts afresh.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Hashable, Mapping
from typing import TYPE_CHECKING, Any

from rulesdsl import ir

if TYPE_CHECKING:
    from engine.inputs.fx import RateUsed


class ExplanationMemo:
    """Outcomes of the reference evaluator, by requirement and the inputs it reads."""

    def __init__(self, limit: int = 65536) -> None:
        self.limit = limit
        self._entries: dict[Hashable, tuple[Any, Any, frozenset[RateUsed]]] = {}

    def key(
        self, requirement: ir.Requirement, day: dt.date, currency: str, facts: Mapping[str, Any]
    ) -> Hashable:
        """Everything the requirement's outcome depends on."""
        # An absent attribute reads as None, which no fact holds (a None value is absent to
        # every evaluator): the tuple of the values read is then the whole of the firm's part.
        return (id(requirement), day, currency, tuple(map(facts.get, requirement.reads)))

    def get(self, key: Hashable) -> tuple[Any, Any, frozenset[RateUsed]] | None:
        """A remembered (status, outcome, rates), if any."""
        return self._entries.get(key)

    def put(self, key: Hashable, entry: tuple[Any, Any, frozenset[RateUsed]]) -> None:
        """Remember an outcome."""
        if len(self._entries) >= self.limit:
            self._entries.clear()
        self._entries[key] = entry
