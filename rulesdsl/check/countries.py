"""ISO 3166-1 alpha-2 country codes and ISO 4217 currency codes, from `pycountry`.

`pycountry` ships the ISO data that Debian's iso-codes maintains, so the codes follow the
standard's changes with a package update instead of a hand-typed list. Jurisdictions that
are not countries (`EU`, or a sub-national regulator such as `AE-DU`) become valid codes by
being declared with a `jurisdiction` block.
"""

from __future__ import annotations

import functools

import pycountry


@functools.cache  # one entry: the installed ISO data never changes within a process
def iso_country_codes() -> frozenset[str]:
    """Every ISO 3166-1 alpha-2 code."""
    return frozenset(country.alpha_2 for country in pycountry.countries)


@functools.cache
def iso_currency_codes() -> frozenset[str]:
    """Every ISO 4217 alphabetic currency code."""
    return frozenset(currency.alpha_3 for currency in pycountry.currencies)


def country_code_named(word: str) -> str | None:
    """The alpha-2 code of a country written by name or alpha-3 code ("Malaysia", "MYS"),
    for a did-you-mean; None when ISO 3166 knows no such country."""
    try:
        country = pycountry.countries.lookup(word)
    except LookupError:
        return None
    code = getattr(country, "alpha_2", None)
    return code if isinstance(code, str) else None
