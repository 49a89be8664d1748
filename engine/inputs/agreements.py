"""A profile's `agreed_with_regulator`: the requirements whose discretionary terms the firm
has agreed with the regulator (`discretionary "…"` in the rules).

Each entry is a requirement id with such a term; anything else is refused with the reason,
so a typo cannot silently leave a gap open (or close one).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from rulesdsl import ir
from rulesdsl.errors import unknown_name

FIELD = "agreed_with_regulator"


def discretionary_ids(bundle: ir.Bundle) -> Mapping[str, str]:
    """Every requirement id with a discretionary term, with the term's text."""
    return {
        r.id: r.discretion
        for j in bundle.jurisdictions
        for r in j.requirements
        if r.discretion is not None
    }


def read_agreements(
    value: Any,
    discretionary: Mapping[str, str],
    all_ids: frozenset[str],
    problems: list[tuple[str, str]],
) -> frozenset[str]:
    """The ids `value` lists, each checked; problems are appended as (path, message)."""
    if value is None:
        return frozenset()
    if not isinstance(value, list):
        problems.append((FIELD, "expected a list of requirement ids, e.g. [BH-COLD]"))
        return frozenset()
    found = set()
    for index, item in enumerate(value):
        where = f"{FIELD}.{index}"
        if not isinstance(item, str):
            problems.append((where, f"expected a requirement id, not {item!r}"))
        elif item in discretionary:
            found.add(item)
        elif item in all_ids:
            problems.append((where, f"{item} has no discretionary term: there is nothing to agree"))
        else:
            problems.append((where, unknown_name("requirement", item, discretionary)))
    return frozenset(found)
