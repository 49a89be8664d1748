"""Everyday names and symbols of currencies, so `RM 5m` or `BD 300,000` gets a useful
"did you mean 'MYR'?" rather than nothing (the letters are too far apart for spelling
similarity to find it)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from rulesdsl.errors import did_you_mean

EVERYDAY_NAMES: Mapping[str, str] = {
    "RM": "MYR",
    "RINGGIT": "MYR",
    "BD": "BHD",
    "DINAR": "BHD",
    "DH": "AED",
    "DHS": "AED",
    "DIRHAM": "AED",
    "RS": "PKR",
    "RUPEE": "PKR",
    "RP": "IDR",
    "RUPIAH": "IDR",
    "TL": "TRY",
    "₺": "TRY",
    "LIRA": "TRY",
    "₦": "NGN",
    "NAIRA": "NGN",
    "₸": "KZT",
    "TENGE": "KZT",
    "€": "EUR",
    "EURO": "EUR",
    "$": "USD",
    "US$": "USD",
    "DOLLAR": "USD",
    "SR": "SAR",
    "RIYAL": "SAR",
    "QR": "QAR",
    "JD": "JOD",
    "LE": "EGP",
    "E£": "EGP",
    "B$": "BND",
}


def currency_hint(word: str, known: Iterable[str]) -> str | None:
    """A `help:` text for an unknown currency: its ISO code if `word` is an everyday
    name of a known currency, else the closest code by spelling."""
    pool = set(known)
    code = EVERYDAY_NAMES.get(word.upper())
    if code in pool:
        return f"did you mean '{code}'? (currencies are ISO 4217 codes)"
    return did_you_mean(word, pool)
