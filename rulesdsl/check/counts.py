"""`count(...)`: its forms, the fields an entry of a persons or roles list has, the check
of its filter and of what it is compared with.

A filter is checked as any condition is, but in an environment whose only names are the
fields of the entry being counted: a person's `role` (from the list's roles domain),
`residence` and `nationality` (ISO 3166-1 countries: a person lives in a country, not in
a sub-national regulator's area, so a Dubai resident's residence is `AE`) and `full_time`;
a roles list's entries are roles, whose only field is `role`. What the filter's check
reports is re-coded into the count range (E252, E253; E255 for a person's field read on a
roles list), so that an author reads it as a mistake in the filter, not in the firm's
attributes. A count is a whole number: compared with anything else it is E256.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Mapping
from typing import Protocol

from rulesdsl import ir
from rulesdsl.check.countries import iso_country_codes
from rulesdsl.check.literals import BOOLEAN, Result, Ty, TypeEnv
from rulesdsl.errors import Diagnostic, did_you_mean
from rulesdsl.ir.walk import nodes
from rulesdsl.syntax import nodes as n

Typed = tuple[Ty, ir.Expr]

# Codes a filter's check may report that mean "a value of the wrong type for the field".
_MISMATCH = frozenset({"E307", "E310", "E400", "E403", "E404", "E405", "E406", "E407", "E408"})


class _Checks(Protocol):
    env: TypeEnv
    diagnostics: list[Diagnostic]

    def condition(self, expr: n.Value) -> ir.Expr | None: ...

    def name(self, node: n.Name, expected: Ty | None) -> Result: ...

    def report(self, code: str, message: str, span: n.Span, help: str | None = None) -> None: ...


_FIELD_TYPES = "role (a role), residence and nationality (countries), full_time (true/false)"
_COUNT_FORMS = "e.g. `count(key_persons where residence == AE) >= 2`, `count(resident_key_persons)`"
# A person's fields beyond the role: a roles list has none of them.
_PERSON_ONLY = frozenset(ir.PERSON_FIELDS) - {"role"}


def count_call(checker: _Checks, node: n.Call) -> Result:
    """`count(list)`, or `count(list in [roles])`: the entries holding one of the roles."""
    if len(node.args) != 1:
        checker.report("E251", "count() takes one list", node.span, help=_COUNT_FORMS)
        return None
    arg = node.args[0]
    if isinstance(arg, n.Member) and isinstance(arg.item, n.Name):
        role = n.Name("role", span=arg.item.span)
        return count(checker, arg.item, n.Member(role, arg.collection, span=arg.span))
    return count(checker, arg, None)


def count_where(checker: _Checks, node: n.CallWhere) -> Result:
    """`count(list where filter)`; no other function takes a filter."""
    if node.function.text != "count":
        checker.report("E251", f"only count() takes 'where', not {node.function.text}()", node.span)
        return None
    return count(checker, node.subject, node.where)


def count(checker: _Checks, subject: n.Expr, where: n.Expr | None) -> Result:
    """How many entries of a persons or roles list pass `where` (all, without one)."""
    if not isinstance(subject, n.Name):
        checker.report("E250", "count() counts a persons or roles attribute", subject.span)
        return None
    found = checker.name(subject, None)
    if found is None:
        return None
    listed, ref = found
    if listed.kind != "persons" and not listed.roles:
        checker.report(
            "E250",
            f"count() counts persons or roles; '{subject.text}' is {listed.describe()}",
            subject.span,
            help=_COUNT_FORMS,
        )
        return None
    test = check_filter(checker, listed, where) if where is not None else None
    if where is not None and test is None:
        return None
    assert isinstance(ref, ir.AttrRef)
    return Ty("integer"), ir.Count(of=ref, where=test)


def count_compared(checker: _Checks, node: n.Compare, left: Typed, right: Typed) -> bool:
    """Whether a comparison that has a count on one side compares it with a whole number
    (a literal, an integer attribute, another count or `pending`); reports E256 if not.
    A count of persons is never an amount or a share: `count(...) >= USD 2` is a slip."""
    counted = isinstance(left[1], ir.Count), isinstance(right[1], ir.Count)
    if not any(counted):
        return True
    other = right if counted[0] else left
    if other[0].kind == "integer":
        return True
    what = "an amount of money" if other[0].kind == "money" else other[0].a()
    checker.report(
        "E256",
        f"a count is a whole number of entries; it cannot be compared with {what}",
        node.span,
        help="compare a count with a number of persons or roles, e.g. `>= 2`",
    )
    return False


def entry_fields(listed: Ty) -> Mapping[str, Ty]:
    """The fields of one entry of a persons list (or of a roles list: `role` only)."""
    role = Ty("enum", listed.domain, f"{listed.domain_name} role".strip())
    if listed.kind != "persons":
        return {"role": role}
    country = Ty("country", iso_country_codes(), "country code")
    return {"role": role, "residence": country, "nationality": country, "full_time": BOOLEAN}


def check_filter(checker: _Checks, listed: Ty, where: n.Expr) -> ir.Expr | None:
    """The IR of a `where` filter over the entries of `listed`, or None (reported)."""
    fields = entry_fields(listed)
    env = TypeEnv(fields, checker.env.currencies, checker.env.countries, frozenset(fields))
    inner = dataclasses.replace(checker, env=env, diagnostics=[])  # type: ignore[type-var]
    test = inner.condition(where)
    checker.diagnostics.extend(_recoded(d, listed, tuple(fields)) for d in inner.diagnostics)
    if test is None or inner.diagnostics:
        return None
    if any(isinstance(node, ir.PendingConst | ir.Unstated) for node in nodes(test)):
        checker.report(
            "E253",
            "a count() filter compares fields with known values, not 'pending' or 'unstated'",
            where.span,
            help="leave the filter as the source states it; a pending figure is the count's",
        )
        return None
    return test


def _recoded(diagnostic: Diagnostic, listed: Ty, fields: tuple[str, ...]) -> Diagnostic:
    what = f"entries of {listed.domain_name}" if listed.domain_name else "entries"
    if diagnostic.code == "E300":
        quoted = re.search(r"'([^']*)'", diagnostic.message)
        word = quoted.group(1) if quoted else ""
        if listed.kind != "persons" and word in _PERSON_ONLY:  # a person's field, on roles
            return dataclasses.replace(
                diagnostic,
                code="E255",
                message=f"{listed.domain_name or 'a roles list'} lists roles, not persons: "
                f"a role has no {word}",
                help="a person's residence, nationality and full_time are read from a "
                "persons attribute, e.g. `count(key_persons where residence == AE)`",
            )
        if word in listed.domain or word in iso_country_codes():  # a value, of another type
            return dataclasses.replace(
                diagnostic,
                code="E253",
                message=f"'{word}' is not a value the field it is compared with takes",
                help=f"fields: {_FIELD_TYPES}",
            )
        return dataclasses.replace(
            diagnostic,
            code="E252",
            message=f"{what} have no field '{word}'",
            help=did_you_mean(word, fields) or f"a filter reads the fields {', '.join(fields)}",
        )
    if diagnostic.code in _MISMATCH:
        help = diagnostic.help
        if diagnostic.code == "E310":
            help = "residence and nationality are countries (ISO 3166-1), e.g. AE for Dubai"
        return dataclasses.replace(diagnostic, code="E253", help=help)
    return diagnostic
