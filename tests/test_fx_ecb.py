"""The default FX data: the ECB's reference rates, the cited pegs, and a caller's rates that
fill what is missing. Expected figures are worked out from the shipped ECB history, and no
test depends on today's date."""

from __future__ import annotations

import datetime as dt
import json
from decimal import ROUND_HALF_EVEN, Decimal, localcontext
from pathlib import Path
from typing import Any

import pytest
from jawaz_cli import REPO, jawaz

from engine import load_bundle
from engine.bundle import Bundle
from engine.inputs.ecb import ecb_history
from engine.inputs.fx import FxSource, ecb_source, fx_hash
from engine.inputs.money import Money

BAHRAIN = REPO / "examples" / "bahrain-exchange.yaml"
DAY = dt.date(2026, 6, 1)  # a Monday with an ECB publication
CALLER_RATES = """fx 2026-05-01 {
  source "Caller rates for the test"
  rate PKR 280.5 per USD
  rate NGN 1500 per USD
}
"""


@pytest.fixture(scope="module")
def bundle() -> Bundle:
    return load_bundle()


@pytest.fixture
def caller_rates(tmp_path: Path) -> Path:
    path = tmp_path / "rates.rules"
    path.write_text(CALLER_RATES, encoding="utf-8")
    return path


def _ask(*args: str) -> dict[str, Any]:
    result = jawaz("passport", str(BAHRAIN), "--format", "json", *args)
    assert result.returncode in (0, 1), result.stderr
    return dict(json.loads(result.stdout))


def _line(decision: dict[str, Any], requirement: str) -> dict[str, Any]:
    return dict(next(r for r in decision["requirements"] if r["id"] == requirement))


def _per_euro(day: dt.date, currency: str) -> Decimal:
    found = ecb_history().on_or_before(day)
    assert found is not None
    return found.per_euro[currency]


# ---- the done-when checks, through the command line ------------------------------------------


@pytest.mark.parametrize(
    ("host", "requirement", "currency"),
    [("TR", "TR-CAP-PLATFORM", "TRY"), ("ID", "ID-PEDAGANG-CAPITAL", "IDR")],
)
def test_try_and_idr_hosts_convert_at_the_ecb_rate_and_decide(
    host: str, requirement: str, currency: str
) -> None:
    args = ["--to", host, "--as-of", DAY.isoformat()]
    decision = _ask(*args, *(["--activity", "brokerage"] if host == "ID" else []))
    capital = _line(decision, requirement)
    assert capital["status"] == "unmet"
    assert not any(r["kind"] == "fx_rate" for r in capital["reasons"])
    [rate] = [r for r in decision["fx_rates"] if (r["source"], r["target"]) == ("BHD", currency)]
    assert rate["table_date"] == DAY.isoformat()  # the ECB publication day used
    with localcontext() as ctx:
        ctx.prec = 50
        exact = _per_euro(DAY, currency) / _per_euro(DAY, "USD") / Decimal("0.376")
    assert abs(Decimal(rate["rate"]) - exact) < Decimal("1e-9")
    legs = {(leg["base"], leg["quote"]): leg for leg in rate["legs"]}
    assert set(legs) == {("USD", "BHD"), ("EUR", "USD"), ("EUR", currency)}
    assert legs[("EUR", currency)]["date"] == DAY.isoformat()
    assert legs[("USD", "BHD")]["pegged"] and legs[("USD", "BHD")]["citation"]["url"]
    assert decision["fx_warnings"] == []


def test_the_latest_publication_day_on_or_before_the_date_is_used() -> None:
    sunday = dt.date(2026, 5, 31)
    decision = _ask("--to", "TR", "--as-of", sunday.isoformat())
    [rate] = decision["fx_rates"]
    found = ecb_history().on_or_before(sunday)
    assert found is not None and found.day < sunday
    assert rate["table_date"] == found.day.isoformat()
    assert decision["as_of"] == sunday.isoformat()


def test_naira_and_rupees_are_unknown_until_the_caller_supplies_them(
    tmp_path: Path, caller_rates: Path
) -> None:
    profile = tmp_path / "firm.yaml"
    # Already licensed in Nigeria: NGN 500m binds until the 2027 deadline (no open question).
    text = BAHRAIN.read_text(encoding="utf-8") + "  NG:\n    licensed_in_host: true\n"
    profile.write_text(text, encoding="utf-8")

    def capital(host: str, requirement: str, *fx: str) -> dict[str, Any]:
        result = jawaz(
            "passport",
            str(profile),
            "--to",
            host,
            "--as-of",
            DAY.isoformat(),
            "--format",
            "json",
            *fx,
        )
        assert result.returncode in (0, 1), result.stderr
        return _line(json.loads(result.stdout), requirement)

    for host, requirement, currency in (("NG", "NG-CAP-DAX", "NGN"), ("PK", "PK-CAPITAL", "PKR")):
        before = capital(host, requirement)
        assert before["status"] == "unknown"
        assert {"kind": "fx_rate", "from": "BHD", "to": currency} in [
            {"kind": r["kind"], **(r["rate"] or {})} for r in before["reasons"]
        ]
        after = capital(host, requirement, "--fx", str(caller_rates))
        assert not any(r["kind"] == "fx_rate" for r in after["reasons"])
    # With the naira rate Nigeria's line decides: BHD 300,000 = USD 797,872.34 = NGN 1.197bn.
    assert capital("NG", "NG-CAP-DAX", "--fx", str(caller_rates))["status"] == "met"
    # Pakistan's figure itself is not published: the line stays unknown, for that alone.
    pakistan = capital("PK", "PK-CAPITAL", "--fx", str(caller_rates))
    assert [r["kind"] for r in pakistan["reasons"]] == ["pending_threshold"]


def test_a_date_past_the_newest_ecb_rate_by_more_than_31_days_warns() -> None:
    newest = ecb_history().newest
    late = newest + dt.timedelta(days=32)
    decision = _ask("--to", "TR", "--as-of", late.isoformat())
    assert _line(decision, "TR-CAP-PLATFORM")["status"] == "unmet"
    warnings = decision["fx_warnings"]
    assert {(w["rate"]["from"], w["rate"]["to"]) for w in warnings} == {
        ("EUR", "TRY"),
        ("EUR", "USD"),
    }
    assert {(w["kind"], w["date"], w["days"]) for w in warnings} == {
        ("stale_fx_rate", newest.isoformat(), 32)
    }
    within = _ask("--to", "TR", "--as-of", (newest + dt.timedelta(days=31)).isoformat())
    assert within["fx_warnings"] == []


# ---- the book -------------------------------------------------------------------------------


def test_pegged_currencies_convert_through_the_us_dollar_exactly(bundle: Bundle) -> None:
    rate = bundle.fx.rate("AED", "BHD", DAY)
    assert rate.pegged and rate.table_date == dt.date(1999, 1, 1)
    with localcontext() as ctx:
        ctx.prec = 50
        assert abs(rate.rate - Decimal("0.376") / Decimal("3.6725")) < Decimal("1e-10")
    assert {leg.citation.instrument for leg in rate.legs if leg.citation} == {
        "CBUAE-PEG",
        "CBB-PEG",
    }


def test_the_brunei_dollar_is_the_singapore_dollar_at_par(bundle: Bundle) -> None:
    rate = bundle.fx.rate("BND", "USD", DAY)
    assert not rate.pegged and rate.table_date == DAY
    expected = _per_euro(DAY, "USD") / _per_euro(DAY, "SGD")
    assert rate.rate == expected.quantize(Decimal("1e-10"), rounding=ROUND_HALF_EVEN)
    [peg] = [leg for leg in rate.legs if leg.pegged]
    assert (peg.base, peg.quote, peg.price) == ("SGD", "BND", Decimal(1))
    assert peg.citation is not None and peg.citation.instrument == "CIA-1967"


def test_cross_rates_go_through_the_euro_with_the_conversion_rounding(bundle: Bundle) -> None:
    amount = Money("USD", Decimal("1000000"))
    converted, used = bundle.fx.convert(amount, "MYR", DAY)
    factor = _per_euro(DAY, "MYR") / _per_euro(DAY, "USD")
    assert converted.amount == (amount.amount * factor).quantize(
        Decimal("0.01"), rounding=ROUND_HALF_EVEN
    )
    assert used is not None and {(leg.base, leg.quote) for leg in used.legs} == {
        ("EUR", "MYR"),
        ("EUR", "USD"),
    }


def test_caller_rates_fill_what_is_missing_and_never_replace_the_ecb(tmp_path: Path) -> None:
    own = tmp_path / "rates.rules"
    own.write_text(
        'fx 2026-05-01 {\n  source "Caller"\n'
        "  rate MYR 9.99 per USD\n  rate PKR 280.5 per USD\n}\n",
        encoding="utf-8",
    )
    with_own = load_bundle(fx_file=own)
    plain = load_bundle()
    assert with_own.fx.rate("USD", "MYR", DAY) == plain.fx.rate("USD", "MYR", DAY)
    pkr = with_own.fx.rate("USD", "PKR", DAY)
    assert pkr.rate == Decimal("280.5") and pkr.table_date == dt.date(2026, 5, 1)
    assert not plain.fx.day_for(DAY).factor("USD", "PKR")


def test_fx_hash_covers_the_ecb_date_and_version_the_tables_and_caller_rates(
    bundle: Bundle, caller_rates: Path
) -> None:
    history = ecb_history()
    tables = FxSource("bundled", bundle.ir.fx)
    assert bundle.fx.hash == fx_hash([ecb_source(history), tables])
    other_release = FxSource("ecb", (), data_date=history.newest, version="0.0.1")
    newer_data = FxSource("ecb", (), data_date=history.newest + dt.timedelta(days=1))
    assert fx_hash([other_release, tables]) != bundle.fx.hash != fx_hash([newer_data, tables])
    assert load_bundle(fx_file=caller_rates).fx.hash != bundle.fx.hash


def test_a_publication_day_is_priced_once(bundle: Bundle) -> None:
    first = bundle.fx.day_for(DAY)
    assert bundle.fx.day_for(DAY) is first
    sunday_after = DAY + dt.timedelta(days=6)
    saturday = DAY + dt.timedelta(days=5)
    assert bundle.fx.day_for(sunday_after) is bundle.fx.day_for(saturday)


def test_before_the_ecb_series_only_the_pegs_convert(bundle: Bundle) -> None:
    day = dt.date(1999, 1, 2)
    assert bundle.fx.rate("AED", "BHD", day).pegged
    assert bundle.fx.day_for(day).factor("MYR", "USD") is None
