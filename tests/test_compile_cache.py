"""The fast path's compiled-code cache: keyed by everything the code depends on, bounded."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from ir_build import recorded, requirement

from engine.bundle import load_bundle
from engine.evaluation import reference
from engine.evaluation.backend import Context
from engine.evaluation.fast import FastBackend
from engine.evaluation.lru import Lru
from engine.inputs.money import Money
from engine.inputs.profiles import Value
from rulesdsl import ir

BUNDLE = load_bundle()
MINOR_UNITS = {c.code: c.minor_units for c in BUNDLE.ir.vocabulary.currencies}
MONEY = [a.name for a in BUNDLE.ir.vocabulary.attributes if a.type.kind == "money"]
DAY = dt.date(2026, 6, 1)
# Compared in the context's currency (no amount written, none recorded): BHD has three
# decimals, USD two, so rounding the converted side decides the answer.
FUNDS_COVER_CAPITAL = requirement(
    recorded(
        ir.Comparison(
            op=ir.Op.GE,
            left=ir.AttrRef(name="shareholders_funds"),
            right=ir.AttrRef(name="paid_up_capital"),
        )
    )
)
FACTS: dict[str, Value] = {
    "shareholders_funds": Money("USD", Decimal("1.00")),
    "paid_up_capital": Money("BHD", Decimal("0.3761")),
}


def context(currency: str, facts: dict[str, Value] = FACTS) -> Context:
    return Context(facts, DAY, BUNDLE.fx, currency, MINOR_UNITS)


def test_one_list_for_two_currencies_is_two_entries_each_correct() -> None:
    backend = FastBackend(MONEY)
    rules = (FUNDS_COVER_CAPITAL,)
    answers = {}
    for currency in ("BHD", "USD", "BHD"):
        found = backend(rules, context(currency))
        assert found == [reference.status(rules[0], context(currency))]
        answers[currency] = found
    assert answers["BHD"] != answers["USD"]  # the currency does change the answer
    assert backend.cached() == 2
    assert backend.compiled(rules, "BHD") is not backend.compiled(rules, "USD")
    assert backend.compiled(rules, "USD").currency == "USD"


def test_equal_lists_share_compiled_code() -> None:
    backend = FastBackend(MONEY)
    first = (FUNDS_COVER_CAPITAL,)
    second = (FUNDS_COVER_CAPITAL,)  # another tuple of the same requirements
    assert backend.compiled(first, "BHD") is backend.compiled(second, "BHD")
    assert backend.cached() == 1


def test_the_cache_never_exceeds_its_bound() -> None:
    limit = 3
    backend = FastBackend(MONEY, limit=limit)
    lists = [
        (
            requirement(
                recorded(
                    ir.Comparison(
                        op=ir.Op.GE,
                        left=ir.AttrRef(name="paid_up_capital"),
                        right=ir.MoneyConst(amount=Decimal(amount), currency="BHD"),
                    )
                ),
                rid=f"R{amount}",
            ),
        )
        for amount in range(10)
    ]
    facts: dict[str, Value] = {"paid_up_capital": Money("BHD", Decimal(5))}
    for _ in range(2):  # the second round recompiles what was dropped
        for amount, rules in enumerate(lists):
            assert backend(rules, context("BHD", facts)) == ["met" if amount <= 5 else "unmet"]
            assert backend.cached() <= limit
    assert backend.cached() == limit


def test_lru_keeps_what_was_used_last() -> None:
    cache: Lru[str, int] = Lru(2)
    cache.put("a", 1)
    cache.put("b", 2)
    assert cache.get("a") == 1  # now "b" is the oldest
    cache.put("c", 3)
    assert (cache.get("a"), cache.get("b"), cache.get("c"), len(cache)) == (1, None, 3, 2)
