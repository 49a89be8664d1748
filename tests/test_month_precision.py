"""Dates known only to the month (`from 2025-09`): decided outside the month, `unknown`
with a `month_precision` reason inside it, shown as "September 2025".

Through the real engine on PVARA's expression of interest (September 2025), on every
backend, and on hand-built versions for `until` and `by` known to the month.
"""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest
from ir_build import requirement

from engine import load_bundle
from engine.bundle import Bundle
from engine.decisions.catalogue import successors, versions_for
from engine.presentation.decision_text import reason_text
from engine.presentation.site_pages import period_text
from engine.results import ReasonOut, RequirementResult
from rulesdsl import ir
from rulesdsl.ir.canonical import rules_hash
from rulesdsl.loader import bundled_root
from rulesdsl.syntax.sources import SourceFile
from rulesdsl.tools.formatter import format_source

ROOT = Path(__file__).resolve().parents[1]
BAHRAIN = ROOT / "examples" / "bahrain-exchange.yaml"
EOI = "PK-EOI-INTL-LICENCE"
SEPTEMBER = dt.date(2025, 9, 1)
BACKENDS = ("fast", "durable", "reference")


@pytest.fixture(scope="module")
def bundle() -> Bundle:
    return load_bundle(bundled_root())


def eoi(bundle: Bundle, day: dt.date, backend: str) -> RequirementResult | None:
    answer = bundle.passport(bundle.read_profile(BAHRAIN), host="PK", as_of=day, backend=backend)
    return next((r for r in answer.requirements if r.id == EOI), None)


def test_the_month_is_recorded_with_its_first_day(bundle: Bundle) -> None:
    (found,) = [r for j in bundle.ir.jurisdictions for r in j.requirements if r.id == EOI]
    assert (found.period.start, found.start_precision, found.period.end) == (
        SEPTEMBER,
        "month",
        None,
    )
    assert (found.end_precision, found.deadline_precision) == ("day", "day")


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("day", [dt.date(2025, 9, 1), dt.date(2025, 9, 15), dt.date(2025, 9, 30)])
def test_a_question_inside_the_month_is_unknown(bundle: Bundle, day: dt.date, backend: str) -> None:
    line = eoi(bundle, day, backend)
    assert line is not None and line.status == "unknown"
    assert [(r.kind, r.date) for r in line.reasons] == [("month_precision", SEPTEMBER)]
    assert line.missing == []  # nothing the firm could give decides it
    assert (line.effective_from, line.known_to_month) == (SEPTEMBER, ["from"])


@pytest.mark.parametrize("backend", BACKENDS)
def test_days_outside_the_month_are_decided(bundle: Bundle, backend: str) -> None:
    assert eoi(bundle, dt.date(2025, 8, 15), backend) is None
    assert eoi(bundle, dt.date(2025, 8, 31), backend) is None
    after = eoi(bundle, dt.date(2025, 10, 1), backend)
    assert after is not None and (after.status, after.reasons) == ("met", [])


def _version(
    start: dt.date | None,
    end: dt.date | None,
    precision: tuple[ir.Precision, ir.Precision] = ("day", "day"),
    deadline: dt.date | None = None,
    deadline_precision: ir.Precision = "day",
) -> ir.Requirement:
    return requirement(ir.AttrRef(name="fiu_registered"), rid="R").model_copy(
        update={
            "period": ir.Period(start=start, end=end),
            "start_precision": precision[0],
            "end_precision": precision[1],
            "deadline": deadline,
            "deadline_precision": deadline_precision,
        }
    )


def test_until_a_month_then_from_it_gives_one_unknown_line_in_that_month() -> None:
    may = dt.date(2026, 5, 1)
    old = _version(None, may, ("day", "month"))
    new = _version(may, None, ("month", "day"))
    rules = [old, new]

    def chosen(day: dt.date) -> tuple[list[dt.date | None], dict[str, dt.date | None]]:
        found = versions_for(rules, successors(rules), "any", day, False)
        months = {rid: m.month for rid, m in found.undecided.items()}
        return [r.period.start for r in found.requirements], months

    assert chosen(dt.date(2026, 4, 30)) == ([None], {})
    assert chosen(dt.date(2026, 5, 20)) == ([None], {"R": may})
    assert chosen(dt.date(2026, 6, 1)) == ([may], {})


@pytest.mark.parametrize(
    ("day", "binds", "month"),
    [
        (dt.date(2026, 5, 31), "old", None),
        (dt.date(2026, 6, 10), "old", dt.date(2026, 6, 1)),  # the deadline may have passed
        (dt.date(2026, 7, 1), "new", None),
    ],
)
def test_a_deadline_known_to_the_month_binds_a_licensed_firm_after_that_month(
    day: dt.date, binds: str, month: dt.date | None
) -> None:
    start = dt.date(2026, 1, 1)
    old = _version(None, start)
    new = _version(start, None, deadline=dt.date(2026, 6, 1), deadline_precision="month")
    rules = [old, new]
    found = versions_for(rules, successors(rules), "any", day, True)
    starts = [r.period.start for r in found.requirements]
    if month is None:
        assert starts == [None if binds == "old" else start] and not found.undecided
    else:
        assert found.undecided["R"].month == month and len(starts) == 1


def test_the_rules_hash_tells_a_month_from_its_first_day(tmp_path: Path) -> None:
    copy = tmp_path / "rules"
    shutil.copytree(bundled_root(), copy)
    target = copy / "PK" / "pvara_eoi_2025.rules"
    target.write_text(
        target.read_text(encoding="utf-8").replace("from 2025-09\n", "from 2025-09-01\n"),
        encoding="utf-8",
    )
    as_day = load_bundle(copy)
    assert rules_hash(as_day.ir) != rules_hash(load_bundle(bundled_root()).ir)


def test_the_formatter_keeps_the_month_form() -> None:
    text = (bundled_root() / "PK" / "pvara_eoi_2025.rules").read_text(encoding="utf-8")
    formatted = format_source(SourceFile("pvara_eoi_2025.rules", text))
    assert isinstance(formatted, str) and "    from 2025-09\n" in formatted
    assert formatted == text


def test_documents_show_the_month() -> None:
    period = ir.Period(start=SEPTEMBER, end=dt.date(2026, 5, 1))
    assert period_text(period, "month", "month") == "from September 2025 until May 2026"
    assert period_text(period) == "from 2025-09-01 until 2026-05-01"
    reason = ReasonOut(kind="month_precision", date=SEPTEMBER)
    assert "September 2025" in reason_text(reason)
