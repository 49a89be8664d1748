"""Profile inputs in one accepted form: amounts without grouping separators, text without
lone surrogates or control characters. The same profile model serves the CLI, the HTTP API
and Python, so each is refused alike (the API's side is in tests/test_api_input.py)."""

from __future__ import annotations

import copy
import datetime as dt
import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from jawaz_cli import jawaz

from engine import load_bundle
from engine.bundle import Bundle
from engine.inputs.money import Money
from engine.inputs.profiles import ProfileError
from engine.inputs.text import MAX_TEXT_LENGTH

GOOD: dict[str, Any] = {
    "name": "Test Exchange",
    "home": "BH",
    "licence": "category_4",
    "activities": ["exchange"],
    "attributes": {"paid_up_capital": {"amount": "300000", "currency": "BHD"}},
}


@pytest.fixture(scope="module")
def bundle() -> Bundle:
    return load_bundle()


def _refused(bundle: Bundle, data: Any) -> ProfileError:
    with pytest.raises(ProfileError) as caught:
        bundle.profile(data)
    return caught.value


def _capital(amount: Any) -> dict[str, Any]:
    data = copy.deepcopy(GOOD)
    data["attributes"]["paid_up_capital"] = {"amount": amount, "currency": "BHD"}
    return data


@pytest.mark.parametrize(
    "amount",
    ["300.000,50", "3,00,000", "300,000.50", "1_500_000", "300 000", "1e5", "+5", ".5", "5.",
     "٣٠٠", "0x10", "Infinity"],
)  # fmt: skip
def test_amounts_with_separators_or_other_forms_are_refused(bundle: Bundle, amount: str) -> None:
    error = _refused(bundle, _capital(amount))
    path = "attributes.paid_up_capital"
    assert [p for p, _ in error.problems] == [path]
    assert error.codes == {path: "invalid_amount"}
    assert "300000.50" in dict(error.problems)[path]  # the message shows the accepted form


def test_the_cur_amount_form_is_as_strict(bundle: Bundle) -> None:
    data = copy.deepcopy(GOOD)
    data["attributes"]["paid_up_capital"] = "BHD 300,000"
    assert _refused(bundle, data).codes == {"attributes.paid_up_capital": "invalid_amount"}


@pytest.mark.parametrize(
    ("amount", "expected"),
    [("300000.50", "300000.50"), ("300000", "300000"), (300000, "300000"), ("0", "0")],
)
def test_decimal_strings_and_integers_are_read_exactly(
    bundle: Bundle, amount: Any, expected: str
) -> None:
    firm = bundle.profile(_capital(amount))
    assert firm.attributes["paid_up_capital"] == Money("BHD", Decimal(expected))


@pytest.mark.parametrize(
    ("where", "value"),
    [
        (("name",), "\ud800"),
        (("name",), "Exchange\x00"),
        (("name",), "line\nbreak"),
        (("name",), "\x85next line"),
        (("activities", 0), "exchange\udfff"),
        (("attributes", "paid_up_capital", "currency"), "BHD\x1b[31m"),
    ],
)
def test_lone_surrogates_and_control_characters_are_refused(
    bundle: Bundle, where: tuple[Any, ...], value: str
) -> None:
    data = copy.deepcopy(GOOD)
    target: Any = data
    for step in where[:-1]:
        target = target[step]
    target[where[-1]] = value
    error = _refused(bundle, data)
    path = ".".join(str(step) for step in where)
    assert error.codes == {path: "invalid_text"}
    # The message is encodable: it names the character, never carries it.
    json.dumps(str(error), ensure_ascii=False).encode("utf-8")


def test_a_bad_key_is_named_by_its_escape(bundle: Bundle) -> None:
    data = copy.deepcopy(GOOD)
    data["attributes"]["\ud83d"] = True
    error = _refused(bundle, data)
    assert error.codes == {"attributes.\\ud83d": "invalid_text"}


def test_text_is_bounded(bundle: Bundle) -> None:
    data = copy.deepcopy(GOOD)
    data["activities"] = ["x" * (MAX_TEXT_LENGTH + 1)]
    assert _refused(bundle, data).codes == {"activities.0": "invalid_text"}
    assert [p for p, _ in _refused(bundle, GOOD | {"name": "n" * 201}).problems] == ["name"]


def test_a_printable_name_is_kept(bundle: Bundle) -> None:
    firm = bundle.profile(GOOD | {"name": "Bahrain Börse ﷼ 💱"})
    decision = bundle.passport(firm, host="MY", as_of=dt.date(2026, 11, 22))
    assert decision.firm == "Bahrain Börse ﷼ 💱"


def test_the_cli_refuses_a_grouped_amount(tmp_path: Path) -> None:
    path = tmp_path / "firm.json"
    path.write_text(json.dumps(_capital("300.000,50")), encoding="utf-8")
    result = jawaz("passport", str(path), "--to", "MY", "--as-of", "2026-11-22")
    assert result.returncode == 2
    assert "attributes.paid_up_capital" in result.stderr
