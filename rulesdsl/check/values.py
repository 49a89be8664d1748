"""Checks on field values beyond their form: whole-day durations, sensible FX rates (each
linked to its table's pivot), well-formed jurisdiction codes and the reserved built-in
attribute names."""

from __future__ import annotations

import re
from collections.abc import Iterable

from rulesdsl.check.collect import Collected, fx_rate_fields
from rulesdsl.check.countries import iso_country_codes
from rulesdsl.check.types import parse_decimal
from rulesdsl.errors import Diagnostic
from rulesdsl.ir.rates import link_rates
from rulesdsl.ir.semantics import AGREED
from rulesdsl.syntax import nodes as n

# `agreed_with_regulator` is written only through `discretionary "…"` (never by name), but it
# is a fact every firm has, so no vocabulary may declare an attribute of that name either.
BUILTIN_ATTRIBUTES = ("activity", "home", AGREED)
# A jurisdiction is a country (ISO 3166-1), the EU, or a sub-national authority written as
# its country's code, `-` and a local tag of 2 to 4 letters: an ISO 3166-2 subdivision
# (AE-DU: Dubai, AE-AZ: Abu Dhabi) or a regulator's own tag (AE-ADGM). The grammar is
# documented once, under "Jurisdiction codes" in docs/reference/language.md.
_SUBDIVISION = re.compile(r"^([A-Z]{2})-[A-Z]{2,4}$")


# ISO 3166-1 leaves these for private use: test and model jurisdictions can use them.
_USER_ASSIGNED = re.compile(r"^(AA|Q[M-Z]|X[A-Z]|ZZ)$")


JURISDICTION_CODE_HELP = (
    "use an ISO 3166-1 alpha-2 country code (BH), EU, a country code with a local tag of 2 to "
    "4 letters (AE-DU, AE-ADGM), or a user-assigned code (XA-XZ) for a model"
)


def valid_jurisdiction_code(code: str) -> bool:
    """Whether `code` names a country, the EU, a subdivision of a country, or a
    user-assigned code (XA, QZ, …) for test and model jurisdictions."""
    if code in iso_country_codes() or code == "EU" or _USER_ASSIGNED.match(code):
        return True
    match = _SUBDIVISION.match(code)
    return bool(match and match.group(1) in iso_country_codes())


def _durations(block: n.Block) -> Iterable[Diagnostic]:
    for item in block.fields():
        if isinstance(item.value, n.Duration) and "." in item.value.amount.text:
            yield Diagnostic(
                "E407",
                f"'{item.value.amount.text}' is not a whole number of days",
                item.value.amount.span,
                help="durations are whole days, e.g. `10 working days`",
            )


def _rates(block: n.Block) -> Iterable[Diagnostic]:
    seen: dict[frozenset[str], n.Field] = {}
    rates: list[n.Rate] = []
    for item, peg in fx_rate_fields(block):
        rate = item.value
        if not isinstance(rate, n.Rate):
            continue
        if peg is None:  # a cited peg is anchored to whatever prices its anchor (the ECB's
            rates.append(rate)  # rates), so it need not link to this table's pivot
        price = rate.price
        amount = parse_decimal(price.amount) if price.amount is not None else None
        if price.amount is None or price.is_percent or amount is None or amount <= 0:
            yield Diagnostic(
                "E407",
                "a rate needs a positive price",
                price.span,
                help="e.g. `rate MYR 4.2150 per USD`",
            )
        pair = frozenset({price.currency.text, rate.base.text})
        if len(pair) == 1:
            yield Diagnostic("E407", "a rate needs two different currencies", rate.span)
        elif pair in seen:
            first = seen[pair].span
            yield Diagnostic(
                "E207",
                f"a rate between {' and '.join(sorted(pair))} is already given",
                rate.span,
                help=f"first given at line {first.line}",
            )
        else:
            seen[pair] = item
    yield from _unlinked(rates)


def _unlinked(rates: list[n.Rate]) -> Iterable[Diagnostic]:
    """Rates that no chain of rates links to the table's pivot: conversion cannot use them."""
    graph = link_rates([(r.base.text, r.price.currency.text) for r in rates])
    for index in graph.unconnected:
        rate = rates[index]
        base, quote = rate.base.text, rate.price.currency.text
        yield Diagnostic(
            "E409",
            f"the rate between {base} and {quote} is not linked to {graph.pivot}, this "
            "table's first base currency",
            rate.span,
            help=f"add a rate linking {base} or {quote} to a currency this table already "
            f"prices, e.g. `rate {base} <price> per {graph.pivot}`",
            notes=(
                "conversion follows rates out from the first base currency quoted; "
                f"without a link, neither {base} nor {quote} can be converted with this table",
            ),
        )


def _jurisdiction_labels(collected: Collected) -> Iterable[Diagnostic]:
    for code, decl in collected.jurisdictions.items():
        if not valid_jurisdiction_code(code):
            label = decl.first.label
            yield Diagnostic(
                "E310",
                f"'{code}' is not a jurisdiction code",
                label.span if label else decl.first.kind.span,
                help=JURISDICTION_CODE_HELP,
            )


def _reserved(collected: Collected) -> Iterable[Diagnostic]:
    for name in BUILTIN_ATTRIBUTES:
        block = collected.attributes.get(name)
        if block is not None:
            yield Diagnostic(
                "E207",
                f"'{name}' is a built-in attribute and cannot be redeclared",
                block.label.span if block.label else block.kind.span,
                help=f"`{name}` is built into the engine; pick another name",
            )


def check_values(collected: Collected) -> list[Diagnostic]:
    """Every value problem the form checks cannot see."""
    found: list[Diagnostic] = []
    for block in collected.frameworks.values():
        found.extend(_durations(block))
    for block in collected.fx_tables:
        found.extend(_rates(block))
    found.extend(_jurisdiction_labels(collected))
    found.extend(_reserved(collected))
    return found
