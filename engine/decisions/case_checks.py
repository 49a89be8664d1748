"""A case file checked before its cases run: each problem a located diagnostic (E7xx).

A case that names a key the runner does not know, a requirement the rules do not have, a
status no answer can carry or an amount it cannot read would otherwise test nothing, or
fail with a message far from the line at fault: it is refused instead, with the line and
column in its YAML file, a stable code and, where one is close, a did-you-mean.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any, get_args

import yaml

from engine.results.common import RequirementStatus, Route, Verdict
from rulesdsl.errors import Diagnostic, choices_help, did_you_mean
from rulesdsl.ir import Bundle as Rules
from rulesdsl.syntax.nodes import Span

CASE_KEYS = frozenset(
    {
        "name",
        "profile",
        "host",
        "activity",
        "as_of",
        "framework",
        "apply_for",
        "attributes",
        "expect",
        "backend",
        "transfers",  # the bands a host's tiers put transfer amounts in: see tier_cases
    }
)
# expect keys whose value maps a host requirement id to what its line must show
PER_REQUIREMENT_KEYS = (
    "requirements",
    "missing",
    "reasons",
    "shortfall",
    "lower_bound",
    "deemed_by",
    "breaches_home",
    "deadline",
)
EXPECT_KEYS = frozenset({"route", "verdict", "host_licence", "alternatives", *PER_REQUIREMENT_KEYS})
NOT_EVALUATED = "not evaluated"  # a requirement the decision does not list at all
STATUSES = (*get_args(RequirementStatus), NOT_EVALUATED)
ROUTES: tuple[str, ...] = get_args(Route)
VERDICTS: tuple[str, ...] = get_args(Verdict)

_AMOUNT = re.compile(r"^(?P<currency>[A-Z]{3}) (?P<amount>-?[0-9][0-9_]*(?:\.[0-9]+)?)$")

Path = tuple[str, ...]  # keys from a case down to one value: ("expect", "requirements", "X")


@dataclass(frozen=True, slots=True)
class Locations:
    """Where each key and value of one case stands in its file."""

    file: str
    keys: Mapping[Path, Span]
    values: Mapping[Path, Span]
    case: Span  # the case's first line

    def key(self, path: Path) -> Span:
        """The span of a key, or of the nearest enclosing one."""
        return self._find(self.keys, path)

    def value(self, path: Path) -> Span:
        """The span of a value, or of its key, or of the nearest enclosing one."""
        return self.values.get(path) or self._find(self.keys, path)

    def _find(self, table: Mapping[Path, Span], path: Path) -> Span:
        while path:
            if path in table:
                return table[path]
            path = path[:-1]
        return self.case


def _span(file: str, node: yaml.Node) -> Span:
    start, end = node.start_mark, node.end_mark
    end_column = end.column + 1 if end.line == start.line else start.column + 2
    return Span(file, start.line + 1, start.column + 1, start.line + 1, end_column)


def _walk(file: str, node: yaml.Node, path: Path) -> Iterator[tuple[str, Path, Span]]:
    """("key" | "value", path, span) for every mapping entry below `node`."""
    if not isinstance(node, yaml.MappingNode):
        return
    for key_node, value_node in node.value:
        inner = (*path, str(key_node.value))
        yield "key", inner, _span(file, key_node)
        yield "value", inner, _span(file, value_node)
        yield from _walk(file, value_node, inner)


def locate(file: str, text: str) -> list[Locations]:
    """Locations of every case of a case file (one per list item; [] if not a list)."""
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError:
        return []
    if not isinstance(root, yaml.SequenceNode):
        return []
    found = []
    for item in root.value:
        keys: dict[Path, Span] = {}
        values: dict[Path, Span] = {}
        for kind, path, span in _walk(file, item, ()):
            (keys if kind == "key" else values)[path] = span
        found.append(Locations(file, keys, values, _span(file, item)))
    return found


def _unknown_keys(data: Mapping[str, Any], where: Locations) -> Iterator[Diagnostic]:
    for key in sorted(set(map(str, data)) - CASE_KEYS):
        yield Diagnostic(
            "E700",
            f"unknown case key '{key}'",
            where.key((key,)),
            help=choices_help(key, CASE_KEYS, "case keys"),
        )
    expect = data.get("expect")
    for key in sorted(set(map(str, expect)) - EXPECT_KEYS) if isinstance(expect, Mapping) else ():
        yield Diagnostic(
            "E700",
            f"unknown expect key '{key}'",
            where.key(("expect", key)),
            help=choices_help(key, EXPECT_KEYS, "expect keys"),
        )


def _closed_set(
    path: Path, value: object, allowed: tuple[str, ...], where: Locations
) -> Iterator[Diagnostic]:
    if str(value) not in allowed:
        noun = path[-1] if path[-1] in ("route", "verdict") else "status"
        if path[1] == "alternatives":
            noun = "verdict"
        yield Diagnostic(
            "E702",
            f"'{value}' is not a {noun}",
            where.value(path),
            help=choices_help(str(value), allowed, {"status": "statuses"}.get(noun, f"{noun}s")),
        )


def _statuses(expect: Mapping[str, Any], where: Locations) -> Iterator[Diagnostic]:
    for key, allowed in (("route", ROUTES), ("verdict", VERDICTS)):
        if key in expect:
            yield from _closed_set(("expect", key), expect[key], allowed, where)
    for section, allowed in (("requirements", STATUSES), ("alternatives", VERDICTS)):
        entries = expect.get(section)
        for name, value in entries.items() if isinstance(entries, Mapping) else ():
            path = ("expect", section, str(name))
            yield from _closed_set(path, value, allowed, where)


def requirement_ids(rules: Rules, code: str | None = None) -> set[str]:
    """The requirement ids of one jurisdiction of the rules (of all when `code` is None)."""
    return {
        requirement.id
        for jurisdiction in rules.jurisdictions
        if code is None or jurisdiction.code == code
        for requirement in jurisdiction.requirements
    }


def _unknown_ids(
    expect: Mapping[str, Any], host: str, rules: Rules, where: Locations
) -> Iterator[Diagnostic]:
    everywhere = requirement_ids(rules)
    known = requirement_ids(rules, host) or everywhere  # an unknown host is reported elsewhere
    for section in PER_REQUIREMENT_KEYS:
        entries = expect.get(section)
        for name in entries if isinstance(entries, Mapping) else ():
            if str(name) not in known:
                yield _no_such_requirement(
                    str(name), host, known, where.key(("expect", section, str(name)))
                )
    for section in ("deemed_by", "breaches_home"):  # home requirements: any jurisdiction's
        entries = expect.get(section)
        for name, cited in entries.items() if isinstance(entries, Mapping) else ():
            for home_id in cited if isinstance(cited, list) else ():
                if str(home_id) not in everywhere:
                    span = where.value(("expect", section, str(name)))
                    yield _no_such_requirement(str(home_id), None, everywhere, span)


def _no_such_requirement(
    rid: str, host: str | None, known: Iterable[str], span: Span
) -> Diagnostic:
    whose = f"{host} has no requirement" if host else "no jurisdiction has a requirement"
    hint = did_you_mean(rid, known)
    return Diagnostic(
        "E701",
        f"{whose} '{rid}': the expectation would test nothing",
        span,
        help=hint or "expectations name requirement ids as the rules declare them",
    )


def parse_amount(text: object) -> tuple[str, Decimal] | None:
    """`MYR 1253279.46` as (currency, amount), or None when it is not written so."""
    found = _AMOUNT.match(str(text).strip())
    if found is None:
        return None
    try:
        return found["currency"], Decimal(found["amount"].replace("_", ""))
    except InvalidOperation:  # pragma: no cover - the pattern admits only decimals
        return None


def _amounts(expect: Mapping[str, Any], where: Locations) -> Iterator[Diagnostic]:
    entries = expect.get("shortfall")
    for name, value in entries.items() if isinstance(entries, Mapping) else ():
        if parse_amount(value) is None:
            yield Diagnostic(
                "E703",
                f"expected shortfall {value!r} is not an amount",
                where.value(("expect", "shortfall", str(name))),
                help="write the currency code, a space and the amount, e.g. `MYR 1253279.46`",
            )


def check_case(data: Mapping[str, Any], rules: Rules, where: Locations) -> list[Diagnostic]:
    """Every problem of one case as written, before it runs."""
    found = list(_unknown_keys(data, where))
    expect = data.get("expect")
    if isinstance(expect, Mapping):
        found.extend(_statuses(expect, where))
        found.extend(_unknown_ids(expect, str(data.get("host")), rules, where))
        found.extend(_amounts(expect, where))
    return sorted(found, key=Diagnostic.sort_key)
