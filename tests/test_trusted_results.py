"""Answers built without validation (`ResultModel.trusted`) are exactly the validated ones.

The decider builds lines and decisions from fields it typed itself; validation stays at the
edges (profiles, HTTP input). Every such answer must survive a round trip through the
strict models unchanged, field for field and byte for byte.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from engine import load_bundle
from engine.bundle import Bundle
from engine.results import ActualOut, Counts, Decision, GapOut, MatrixResult, RequiredOut

REPO = Path(__file__).resolve().parents[1]
EXAMPLES = sorted((REPO / "examples").glob("*.yaml"))
DAYS = (dt.date(2026, 1, 15), dt.date(2026, 11, 22))


@pytest.fixture(scope="module")
def bundle() -> Bundle:
    return load_bundle()


def _round_trips(answer: Decision | MatrixResult) -> None:
    again = type(answer).model_validate(answer.model_dump())
    assert again == answer
    assert again.model_dump_json() == answer.model_dump_json()
    assert type(answer).model_validate_json(answer.model_dump_json()) == answer


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.stem)
def test_decisions_round_trip_through_validation(bundle: Bundle, example: Path) -> None:
    firm = bundle.read_profile(example)
    for framework in (None, *sorted(bundle.frameworks)):
        for day in DAYS:
            for activity in firm.activities:
                for host in sorted(bundle.jurisdictions):
                    answer = bundle.passport(
                        firm, host=host, activity=activity, as_of=day, framework=framework
                    )
                    _round_trips(answer)


def test_matrix_round_trips_through_validation(bundle: Bundle) -> None:
    _round_trips(bundle.matrix("exchange", as_of=DAYS[1]))


def test_trusted_fills_defaults_and_refuses_unknown_or_missing_fields() -> None:
    required = RequiredOut.trusted(op=">=", value="1")
    assert required == RequiredOut(op=">=", value="1")
    actual = ActualOut.trusted(value="0")
    gap = GapOut.trusted(attribute="a", required=required, actual=actual)
    assert gap == GapOut(attribute="a", required=required, actual=ActualOut(value="0"))
    assert (
        gap.missing_items == []
        and gap.missing_items
        is not GapOut.trusted(attribute="a", required=required, actual=actual).missing_items
    )
    assert Counts.trusted(unknown=2, met=1) == Counts(met=1, unknown=2)
    assert list(Counts.trusted(unknown=2, met=1).model_dump()) == list(Counts.model_fields)
    with pytest.raises(TypeError):
        Counts.trusted(bogus=1)
    with pytest.raises(TypeError):
        RequiredOut.trusted(op=">=")
