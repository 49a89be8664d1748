"""The impact of a redline: which firms' answers change, on which requirement, and how
(DESIGN §4, "Redline": "who becomes non-compliant on 2027-07-01").

Each firm is asked the passport question for each of its activities in each host on both
sides (the same rules at two dates, or two revisions at one date), by the passport
decision itself; a line that appears, disappears or changes status is an impact.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from engine.inputs.profiles import Profile
from engine.results import Decision, RequirementStatus
from engine.results.redline import ImpactOut

# Asks one side's passport question: the firm, the host and the activity.
Ask = Callable[[Profile, str, str], Decision]


@dataclass(frozen=True, slots=True)
class Firm:
    """A firm profile as each side's rules read it (each side validates it)."""

    source: str  # the profile's file name
    before: Profile
    after: Profile


def impact_of(
    firms: Sequence[Firm], hosts: Callable[[Profile], list[str]], before: Ask, after: Ask
) -> list[ImpactOut]:
    """Every line whose status differs between the two sides, firm by firm, host by host."""
    found: list[ImpactOut] = []
    for firm in firms:
        for activity in firm.after.activities:
            for host in hosts(firm.after):
                old = before(firm.before, host, activity)
                new = after(firm.after, host, activity)
                found += _changed(firm.source, host, activity, old, new)
    return found


def _changed(
    source: str, host: str, activity: str, old: Decision, new: Decision
) -> list[ImpactOut]:
    was: dict[str, RequirementStatus] = {r.id: r.status for r in old.requirements}
    now: dict[str, RequirementStatus] = {r.id: r.status for r in new.requirements}
    return [
        ImpactOut.trusted(
            firm=new.firm,
            profile=source,
            host=host,
            activity=activity,
            requirement=ident,
            before=was.get(ident, "not_applicable"),
            after=now.get(ident, "not_applicable"),
            verdict_before=old.verdict,
            verdict_after=new.verdict,
        )
        for ident in sorted(was.keys() | now.keys())
        if was.get(ident, "not_applicable") != now.get(ident, "not_applicable")
    ]
