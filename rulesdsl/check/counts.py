"""`count(...)` filters: the fields an entry of a persons or roles list has, and their check.

A filter is checked as any condition is, but in an environment whose only names are the
fields of the entry being counted: a person's `role` (from the list's roles domain),
`residence` and `nationality` (ISO 3166-1 countries: a person lives in a country, not in
a sub-national regulator's area, so a Dubai resident's residence is `AE`) and `full_time`;
a roles list's entries are roles, whose only field is `role`. What the filter's check
reports is re-coded into the count range (E252, E253), so that an author reads it as a
mistake in the filter, not in the firm's attributes.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Mapping
from typing import Protocol

from rulesdsl import ir
from rulesdsl.check.countries import iso_country_codes
from rulesdsl.check.literals import BOOLEAN, Ty, TypeEnv
from rulesdsl.errors import Diagnostic, did_you_mean
from rulesdsl.ir.walk import nodes
from rulesdsl.syntax import nodes as n

# Codes a filter's check may report that mean "a value of the wrong type for the field".
_MISMATCH = frozenset({"E307", "E310", "E400", "E403", "E404", "E405", "E406", "E407", "E408"})


class _Checks(Protocol):
    env: TypeEnv
    diagnostics: list[Diagnostic]

    def condition(self, expr: n.Value) -> ir.Expr | None: ...

    def report(self, code: str, message: str, span: n.Span, help: str | None = None) -> None: ...


_FIELD_TYPES = "role (a role), residence and nationality (countries), full_time (true/false)"


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
