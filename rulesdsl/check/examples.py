"""Example values for `help:` lines ("add `cite CRA \"…\"`").

An example inside a jurisdiction is drawn from that jurisdiction's own names, its
instruments, licences and currency, so that a help line in one jurisdiction's file never
suggests another's instrument; outside any jurisdiction, or where it has declared nothing
of the kind, a fixed sample stands in.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from rulesdsl.check.schema import FieldSpec, Form

FORM_EXAMPLES: Mapping[Form, str] = {
    Form.STRING: '"…"',  # one example for every text field would mislead (`name`, `remedy`)
    Form.SYMBOL: "capital",
    Form.SYMBOLS: "[exchange, custody]",
    Form.STRINGS: '["…"]',
    Form.DATE: "2026-05-20",
    Form.DATE_OR_MONTH: "2026-05",
    Form.BOOLEAN: "true",
    Form.INTEGER: "2",
    Form.CONDITION: "paid_up_capital >= BHD 300_000",
    Form.CITATION: 'CRA "CRA-3.1.2"',
    Form.URL: '"https://cbben.thomsonreuters.com/entiresection/605435"',
    Form.TYPE: "money, or enum [wll, bsc]",
    Form.RATE: "MYR 4.2150 per USD",
    Form.DURATION: "10 working days",
    Form.TIER: "AED 3_500 demands [originator_information]",
}


# A sample member of each namespace, for examples in help lines.
_NAMESPACE_SAMPLES: Mapping[str, tuple[str, str]] = {
    "category": ("capital", "capital, aml_cft"),
    "activity": ("exchange", "exchange, custody"),
    "currency": ("MYR", "MYR"),
    "licence": ("category_4", "category_4"),
    "jurisdiction": ("MY", "PK, MY"),
    "body": ("OIC", "OIC, FATF"),
    "country": ("MY", "MY"),
}


@dataclass(frozen=True, slots=True)
class Local:
    """The names a block can use where it stands: its jurisdiction's instruments (then the
    bundle's top-level ones), licences and currency, each in declaration order."""

    instruments: tuple[str, ...] = ()
    licences: tuple[str, ...] = ()
    currency: str | None = None


def _local_value(spec: FieldSpec, local: Local) -> str | None:
    """An example from the local names, or None where they have none of the kind."""
    if spec.form is Form.CITATION:  # with none declared yet, no other jurisdiction's name
        return f'{local.instruments[0]} "…"' if local.instruments else 'INSTRUMENT "…"'
    if spec.form is Form.URL and local.instruments:
        return '"https://…"'  # the fixed sample is one regulator's address
    if spec.form is Form.CONDITION and local.currency:
        return f"paid_up_capital >= {local.currency} 300_000"
    if spec.form is Form.TIER and local.currency:
        return f"{local.currency} 3_500 demands [originator_information]"
    if spec.namespace == "licence" and local.licences:
        return local.licences[0] if spec.form is Form.SYMBOL else f"[{local.licences[0]}]"
    if spec.namespace == "currency" and local.currency and spec.form is Form.SYMBOL:
        return local.currency
    return None


def example_value(spec: FieldSpec, local: Local | None = None) -> str:
    """A value that fits the field, for `help:` lines; from `local` names where it can."""
    if spec.options and spec.form in (Form.SYMBOL, Form.SYMBOLS):
        return spec.options[0] if spec.form is Form.SYMBOL else f"[{spec.options[0]}]"
    if local is not None and (value := _local_value(spec, local)) is not None:
        return value
    sample = _NAMESPACE_SAMPLES.get(spec.namespace or "")
    if sample is not None and spec.form in (Form.SYMBOL, Form.SYMBOLS):
        one, several = sample
        return one if spec.form is Form.SYMBOL else f"[{several}]"
    return FORM_EXAMPLES.get(spec.form, "pending")  # TERM, DATE_OR_PENDING: both take it
