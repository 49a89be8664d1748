"""A jurisdiction's FATF status on a date (DESIGN §4), from the bundle's `fatf` blocks.

Per list, for country C on day d: `listed` where a listing of C covers d (a listing with
no `from` covers every day before its `until`); `not_listed` where none does and d is on or
after the day from which that list's recorded listings are complete (`grey_known_from`,
`black_known_from`); `unknown` otherwise: before the earliest dated evidence a country is
never called "not listed". A child jurisdiction (AE-DU) takes its country's (AE) status.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from engine.decisions.catalogue import listed_on
from engine.results import CitationOut, FatfListOut, FatfStatusOut, ListStatus
from rulesdsl import ir

Cite = Callable[[ir.Citation], CitationOut]
LISTS = ("grey", "black")


def country_of(code: str) -> str:
    """The country whose FATF status a jurisdiction code takes: AE for AE-DU."""
    return code.split("-", 1)[0]


def known_from(bundle: ir.Bundle, which: str) -> dt.date | None:
    """The first day from which the recorded listings of list `which` are complete."""
    lists = bundle.fatf_lists
    return lists.grey_known_from if which == "grey" else lists.black_known_from


def list_status(bundle: ir.Bundle, code: str, which: str, day: dt.date, cite: Cite) -> FatfListOut:
    """The status of `code` (or its country) on list `which` on `day`."""
    listing = listed_on(bundle, country_of(code), which, day)
    if listing is not None:
        return FatfListOut(
            status="listed", citation=cite(listing.citation), until=listing.period.end
        )
    start = known_from(bundle, which)
    status: ListStatus = "not_listed" if start is not None and day >= start else "unknown"
    return FatfListOut(status=status)


def fatf_status(bundle: ir.Bundle, code: str, day: dt.date, cite: Cite) -> FatfStatusOut:
    """The grey and black list status of `code` on `day`, with the warning where due."""
    change = bundle.fatf_lists.lists_may_change_after
    warning = (
        f"the FATF lists recorded are those known before {change}; they may have changed "
        f"since (check the FATF's current lists for {day})"
        if change is not None and day >= change
        else None
    )
    return FatfStatusOut(
        country=country_of(code),
        grey=list_status(bundle, code, "grey", day, cite),
        black=list_status(bundle, code, "black", day, cite),
        warning=warning,
    )
