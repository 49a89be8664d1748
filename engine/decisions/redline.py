"""The redline (DESIGN §4): what changed in the requirements between two dates of one set
of rules, or between two revisions of the rules, per jurisdiction.

Between dates, each side is the version of each requirement that binds a firm already
licensed in the host on that day (`catalogue.versions_for`, so a "comply by" deadline
moves a licensed firm to the new figure the day after it, as the passport decision
does). Between revisions, each side is every version of each requirement (or, with an
as-of date, the versions binding on it), matched by id and start date. Each requirement
that differs is classed: added, removed, tightened, loosened (`figures`), changed,
re-cited, re-labelled (confidence), re-dated.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

from engine.decisions.catalogue import successors, versions_for
from engine.decisions.figures import figure_changes
from engine.decisions.tiers import tier_change, tiers_text
from engine.presentation.describe import describe
from engine.results import CitationOut
from engine.results.redline import ChangeKind, RedlineEntry, ThresholdChangeOut
from rulesdsl import ir

Cite = Callable[[str, ir.Citation], CitationOut]
Key = tuple[str, str]  # requirement id and, between revisions, the version's start date


@dataclass(frozen=True, slots=True)
class Side:
    """One side of a redline: rules, the day they are read on (None: every version) and
    how their citations are reported."""

    rules: ir.Bundle
    day: dt.date | None
    cite: Cite


def binding_on(jurisdiction: ir.Jurisdiction, day: dt.date) -> dict[Key, ir.Requirement]:
    """The version of each requirement binding a firm already licensed on `day`, under any
    of the jurisdiction's licences."""
    replaced = successors(jurisdiction.requirements)
    found: dict[Key, ir.Requirement] = {}
    for licence in jurisdiction.licences:
        chosen = versions_for(jurisdiction.requirements, replaced, licence.id, day, True)
        for requirement in chosen.decided:
            key = (requirement.id, "")
            if key in found and found[key] is not requirement:  # other licences, other rule
                key = (requirement.id, ",".join(requirement.licences))
            found.setdefault(key, requirement)
    return found


def every_version(jurisdiction: ir.Jurisdiction) -> dict[Key, ir.Requirement]:
    """Every version of each requirement, by id and start date."""
    return {(r.id, str(r.period.start or "")): r for r in jurisdiction.requirements}


def redline(
    before: Side, after: Side, codes: Iterable[str] | None, revisions: bool
) -> tuple[list[str], list[RedlineEntry]]:
    """The jurisdictions compared (`codes`, else every one either side has) and the
    requirements that changed in them, by jurisdiction and id; `revisions`: the sides are
    two revisions of the rules (else two dates of the same rules)."""
    old = {j.code: j for j in before.rules.jurisdictions}
    new = {j.code: j for j in after.rules.jurisdictions}
    chosen = sorted(codes) if codes is not None else sorted(old.keys() | new.keys())
    entries: list[RedlineEntry] = []
    for code in chosen:
        left = _versions(old.get(code), before.day)
        right = _versions(new.get(code), after.day)
        entries += _compare(code, left, right, before.cite, after.cite, revisions)
    return chosen, entries


def _versions(
    jurisdiction: ir.Jurisdiction | None, day: dt.date | None
) -> dict[Key, ir.Requirement]:
    if jurisdiction is None:
        return {}
    return every_version(jurisdiction) if day is None else binding_on(jurisdiction, day)


def _compare(
    code: str,
    left: Mapping[Key, ir.Requirement],
    right: Mapping[Key, ir.Requirement],
    cite_left: Cite,
    cite_right: Cite,
    revisions: bool,
) -> list[RedlineEntry]:
    pairs: dict[Key, tuple[ir.Requirement | None, ir.Requirement | None]] = {
        key: (left.get(key), right.get(key)) for key in left.keys() | right.keys()
    }
    if revisions:
        _pair_redated(pairs)
    entries = []
    for key in sorted(pairs):
        old, new = pairs[key]
        entry = _entry(code, old, new, cite_left, cite_right, revisions)
        if entry is not None:
            entries.append(entry)
    return entries


def _pair_redated(pairs: dict[Key, tuple[ir.Requirement | None, ir.Requirement | None]]) -> None:
    """Between revisions, a version whose start date moved is one version re-dated, not
    one removed and one added: pair the one unmatched version of an id on each side."""
    lone_old: dict[str, list[Key]] = {}
    lone_new: dict[str, list[Key]] = {}
    for key, (old, new) in pairs.items():
        if new is None:
            lone_old.setdefault(key[0], []).append(key)
        elif old is None:
            lone_new.setdefault(key[0], []).append(key)
    for ident, olds in lone_old.items():
        news = lone_new.get(ident, [])
        if len(olds) == 1 and len(news) == 1 and olds[0][1] and news[0][1]:
            pairs[news[0]] = (pairs.pop(olds[0])[0], pairs[news[0]][1])


def _entry(
    code: str,
    old: ir.Requirement | None,
    new: ir.Requirement | None,
    cite_left: Cite,
    cite_right: Cite,
    revisions: bool,
) -> RedlineEntry | None:
    kinds, figures = _kinds(old, new, revisions)
    if not kinds:
        return None
    shown = new or old
    assert shown is not None
    return RedlineEntry.trusted(
        jurisdiction=code,
        id=shown.id,
        title=shown.title,
        category=shown.category,
        licences=list(shown.licences),
        kinds=kinds,
        thresholds=figures,
        condition_before=_condition(old),
        condition_after=_condition(new),
        citation_before=cite_left(code, old.citation) if old else None,
        citation_after=cite_right(code, new.citation) if new else None,
        confidence_before=old.confidence if old else None,
        confidence_after=new.confidence if new else None,
        effective_before=(old.period.start, old.period.end) if old else None,
        effective_after=(new.period.start, new.period.end) if new else None,
    )


def _kinds(
    old: ir.Requirement | None, new: ir.Requirement | None, revisions: bool
) -> tuple[list[ChangeKind], list[ThresholdChangeOut]]:
    """How `old` became `new`, in a fixed order, and the figures that moved. Between
    dates the two are successive versions, whose dates always differ: only between
    revisions is a changed period a change (`re_dated`)."""
    if old is None:
        return ["added"], []
    if new is None:
        return ["removed"], []
    kinds: list[ChangeKind] = []
    figures: list[ThresholdChangeOut] = []
    if old.tiers is not None and new.tiers is not None and old.when == new.when:
        # The condition of tiers is drawn from their first boundary: the bands say more.
        change = tier_change(old.tiers, new.tiers)
        if old.tiers.policy != new.tiers.policy:
            kinds.append("changed")
        elif change is not None:
            figures = [change]
            kinds.append(change.direction)
    elif old.require != new.require or old.when != new.when:
        found = figure_changes(old.require, new.require) if old.when == new.when else None
        figures = found or []
        directions = {f.direction for f in figures}
        if found is None or not directions or len(directions) > 1:
            kinds.append("changed")
        else:
            kinds.append(directions.pop())
    if old.citation != new.citation:
        kinds.append("re_cited")
    if old.confidence != new.confidence:
        kinds.append("re_labelled")
    if revisions and (old.period != new.period or old.deadline != new.deadline):
        kinds.append("re_dated")
    return kinds, figures


def _condition(requirement: ir.Requirement | None) -> str | None:
    if requirement is None:
        return None
    text = describe(requirement.require)
    if requirement.tiers is not None:
        text = f"{text} (tiers: {tiers_text(requirement.tiers)})"
    return text if requirement.when is None else f"{text} when {describe(requirement.when)}"
