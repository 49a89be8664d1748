"""One passport question, fully resolved: the firm, host, activity, date and framework."""

from __future__ import annotations

import datetime as dt
from typing import NamedTuple

from engine.inputs.profiles import Profile, Value
from rulesdsl import ir
from rulesdsl.ir.semantics import AGREED


class Question(NamedTuple):
    """One passport question, fully resolved (immutable; a named tuple, since one is made
    for every decision and a frozen dataclass takes twice as long to build).

    `home` is None for a home whose rules are not in the bundle (any ISO 3166 country can
    be a home): nothing can be deemed from its licence, and `home_code` names it.
    """

    profile: Profile
    host: ir.Jurisdiction
    home: ir.Jurisdiction | None
    home_code: str
    activity: str
    as_of: dt.date
    framework: ir.Framework | None
    framework_requested: bool
    apply_for: str | None = None  # one host licence to evaluate; None: the best of them
    # The matrix's minimum-compliant licensee: it carries only what its home rules demand,
    # so a host rule on anything else is a gap the licence leaves (`not_covered`), not data
    # the firm has yet to supply.
    minimum_licensee: bool = False


def facts_of(profile: Profile, side: str, activity: str) -> dict[str, Value]:
    """The facts a requirement of jurisdiction `side` (host or home) is judged on: the
    firm's attributes there, the activity asked about and the firm's home. Every
    evaluation of a question reads them from here, so that what a case's coverage
    re-evaluates is what the decision saw."""
    facts: dict[str, Value] = profile.facts_for(side)
    facts.update(activity=activity, home=profile.home)
    facts[AGREED] = profile.agreed_with_regulator
    return facts
