"""What the decider keeps between questions (plans, answers by the facts they read, lines,
explanations) is keyed by everything an answer depends on: a bundle that has answered many
other firms gives, byte for byte, the answer a fresh bundle gives."""

from __future__ import annotations

import copy
import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from engine import load_bundle
from engine.bundle import Bundle
from engine.inputs.profiles import read_profile_data

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "bahrain-exchange.yaml"
DAY = dt.date(2026, 11, 22)


@pytest.fixture(scope="module")
def warm() -> Bundle:
    return load_bundle()


def _variants(data: dict[str, Any]) -> Iterator[tuple[str, dict[str, Any]]]:
    """The example firm and firms that differ from it in one way each."""
    yield "as written", data
    for amount in ("299999.999", "300000.001", "5000000"):
        varied = copy.deepcopy(data)
        varied["attributes"]["paid_up_capital"]["amount"] = amount
        yield f"capital {amount}", varied
    dropped = copy.deepcopy(data)
    del dropped["attributes"]["paid_up_capital"]
    yield "no capital", dropped
    licensed = copy.deepcopy(data)
    licensed["attributes"]["licensed_in_host"] = True
    yield "licensed", licensed
    local = copy.deepcopy(data)
    local["attributes"]["incorporated_in"] = "MY"
    yield "incorporated in MY", local
    home_only = copy.deepcopy(data)
    home_only["in_host"]["BH"]["local_place_of_business"] = False
    yield "no office at home", home_only


def _answers(bundle: Bundle, data: dict[str, Any], framework: str | None) -> dict[str, str]:
    firm = bundle.profile(data)
    return {
        host: bundle.passport(firm, host=host, as_of=DAY, framework=framework).model_dump_json()
        for host in sorted(bundle.jurisdictions)
        if host != firm.home
    }


# The status quo, and a model framework under which lines are waived and deemed.
@pytest.mark.parametrize("framework", [None, "oic-model"])
def test_a_warm_bundle_answers_as_a_fresh_one(warm: Bundle, framework: str | None) -> None:
    variants = list(_variants(read_profile_data(EXAMPLE)))
    for _ in range(2):  # the second round is answered from what the first kept
        for name, data in variants:
            fresh = Bundle(warm.ir)
            assert _answers(warm, data, framework) == _answers(fresh, data, framework), name


def test_the_same_question_again_is_a_new_answer_equal_to_the_first(warm: Bundle) -> None:
    firm = warm.read_profile(EXAMPLE)
    first = warm.passport(firm, host="MY", as_of=DAY)
    again = warm.passport(firm, host="MY", as_of=DAY)
    assert again == first and again is not first
    assert again.requirements is not first.requirements  # each answer owns its lists
