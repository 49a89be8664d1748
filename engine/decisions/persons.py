"""Reasoning about `count(...)` filters for the prover and the matrix's synthesis.

A filter compares an entry's fields with constants (`==`, `!=`, `in`), or two country
fields with each other, so what it says about an entry depends only on which of the
constants it names each field equals: every role it does not name behaves alike, and so
does every country it does not name, up to whether residence and nationality are equal.
A finite set of representative entries (the named values, one role it does not name, two
countries it does not name) therefore decides every question about a filter exactly:
whether one filter implies another (`implies`), and which entry a filter pins down
(`determined`). Past `MAX_ENTRIES` representatives the answer is "not proven".
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Iterator, Sequence

from engine.evaluation.counting import passes
from engine.inputs.persons import Person
from rulesdsl import ir
from rulesdsl.ir.walk import nodes

MAX_ENTRIES = 50_000
# Stand-ins for values no filter names (never a real role or country code).
OTHER_ROLE = "\x00role"
OTHER_COUNTRIES = ("\x00one", "\x00two")


def _named(filters: Iterable[ir.Expr | None]) -> tuple[set[str], set[str]]:
    """The roles and the countries the filters name (a role never equals a country)."""
    roles: set[str] = set()
    countries: set[str] = set()
    for where in filters:
        for node in nodes(where):
            if isinstance(node, ir.Comparison | ir.Membership):
                fields = {n.name for n in nodes(node) if isinstance(n, ir.PersonField)}
                values = {v for n in nodes(node) for v in _symbols(n)}
                (roles if "role" in fields else countries).update(values)
    return roles, countries


def _symbols(node: ir.Expr) -> tuple[str, ...]:
    if isinstance(node, ir.SymbolConst):
        return (node.value,)
    if isinstance(node, ir.SetConst):
        return node.values
    return ()


def representatives(
    filters: Sequence[ir.Expr | None], roles_only: bool = False
) -> Iterator[Person] | None:
    """Entries standing for every entry, as far as `filters` can tell; None if too many."""
    roles, countries = _named(filters)
    role_values = [*sorted(roles), OTHER_ROLE]
    if roles_only:  # a roles list: its entries are roles, the other fields never read
        unread = OTHER_COUNTRIES[0]
        return (Person(role, unread, unread, False) for role in role_values)
    places = [*sorted(countries), *OTHER_COUNTRIES]
    if len(role_values) * len(places) ** 2 * 2 > MAX_ENTRIES:
        return None
    return (
        Person(role, residence, nationality, full_time)
        for role, residence, nationality, full_time in itertools.product(
            role_values, places, places, (False, True)
        )
    )


def _passes(where: ir.Expr | None, entry: Person) -> bool:
    return where is None or passes(where, entry)


def implies(premise: ir.Expr | None, conclusion: ir.Expr | None, roles_only: bool) -> bool:
    """Whether every entry passing `premise` passes `conclusion` (None: every entry)."""
    if conclusion is None:
        return True
    entries = representatives((premise, conclusion), roles_only)
    if entries is None:
        return False
    return all(_passes(conclusion, e) for e in entries if _passes(premise, e))


def determined(where: ir.Expr | None, roles_only: bool) -> Person | None:
    """The one entry `where` admits, if it fixes every field to a named value; else None."""
    entries = representatives((where,), roles_only)
    if entries is None:
        return None
    found = [e for e in entries if _passes(where, e)]
    if len(found) != 1:
        return None
    entry = found[0]
    placeholders = {OTHER_ROLE, *OTHER_COUNTRIES}
    if entry.role in placeholders:
        return None
    if not roles_only and {entry.residence, entry.nationality} & placeholders:
        return None
    return entry
