"""Deadlines ("comply by D", DESIGN §4): a licensed firm keeps the old version until D
inclusive, a new applicant's answer in the window is unknown unless the source binds it.

Through the Python API and the real `jawaz passport`, on Nigeria's capital circular of
16 Jan 2026 (DAX: NGN 500m, then NGN 2bn by 30 Jun 2027), across all three backends.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
from jawaz_cli import jawaz

from engine import load_bundle
from engine.bundle import Bundle
from engine.decisions.catalogue import LICENSED_IN_HOST, successors, versions_for
from engine.presentation.decision_text import render_markdown
from engine.results import Decision, RequirementResult
from rulesdsl import ir
from rulesdsl.loader import bundled_root
from rulesdsl.tools.formatter import format_file

DEADLINE = dt.date(2027, 6, 30)
OLD, NEW = "500000000", "2000000000"
BACKENDS = ("fast", "durable", "reference")


@pytest.fixture(scope="module")
def bundle() -> Bundle:
    return load_bundle(bundled_root())


def dax(licensed: bool | None, capital: str = OLD, home: str = "NG") -> dict[str, Any]:
    """A Nigerian-incorporated exchange; `licensed` is its `licensed_in_host` for NG."""
    in_host: dict[str, Any] = {}
    if licensed is not None:
        in_host = {"NG": {LICENSED_IN_HOST: licensed}}
    return {
        "name": "Lagos Digital Exchange Ltd",
        "home": home,
        "licence": "dax" if home == "NG" else "category_4",
        "activities": ["exchange"],
        "attributes": {
            "paid_up_capital": {"amount": capital, "currency": "NGN"},
            "incorporated_in": "NG",
            "local_place_of_business": True,
            "resident_key_persons": ["ceo", "compliance_officer", "mlro"],
            "travel_rule_threshold": {"amount": "0", "currency": "NGN"},
        },
        "in_host": in_host,
    }


def capital(decision: Decision) -> RequirementResult:
    return next(r for r in decision.requirements if r.id == "NG-CAP-DAX")


def ask(bundle: Bundle, data: dict[str, Any], day: dt.date, backend: str) -> RequirementResult:
    return capital(bundle.passport(bundle.profile(data), host="NG", as_of=day, backend=backend))


@pytest.mark.parametrize("backend", BACKENDS)
def test_licensed_firm_keeps_the_old_figure_on_the_deadline_day(
    bundle: Bundle, backend: str
) -> None:
    line = ask(bundle, dax(True), DEADLINE, backend)
    # The old version (it ends, as written, where the circular starts), with its successor's
    # deadline.
    assert (line.status, line.effective_until, line.deadline) == (
        "met",
        dt.date(2026, 1, 16),
        DEADLINE,
    )
    short = ask(bundle, dax(True, "400000000"), DEADLINE, backend)
    assert short.status == "unmet"
    assert [g.shortfall.amount for g in short.gaps if g.shortfall] == ["100000000.00"]


@pytest.mark.parametrize("backend", BACKENDS)
def test_licensed_firm_needs_the_new_figure_the_day_after(bundle: Bundle, backend: str) -> None:
    after = DEADLINE + dt.timedelta(days=1)
    line = ask(bundle, dax(True), after, backend)
    assert line.status == "unmet"
    assert [g.shortfall.amount for g in line.gaps if g.shortfall] == ["1500000000.00"]
    assert (line.effective_from, line.deadline) == (dt.date(2026, 1, 16), DEADLINE)
    assert ask(bundle, dax(True, NEW), after, backend).status == "met"


@pytest.mark.parametrize("backend", BACKENDS)
def test_new_applicant_in_the_window_is_unknown_naming_the_deadline(
    bundle: Bundle, backend: str
) -> None:
    for figure in (OLD, NEW):
        line = ask(bundle, dax(False, figure), dt.date(2026, 6, 1), backend)
        assert line.status == "unknown"
        assert line.deadline == DEADLINE
        assert line.missing == []  # nothing the firm can supply decides it
        assert [(r.kind, r.date) for r in line.reasons] == [("condition", DEADLINE)]


@pytest.mark.parametrize("backend", BACKENDS)
def test_unsaid_licence_status_is_unknown_naming_the_attribute(
    bundle: Bundle, backend: str
) -> None:
    decision = bundle.passport(
        bundle.profile(dax(None, home="BH")), host="NG", as_of=dt.date(2026, 6, 1), backend=backend
    )
    assert capital(decision).status == "unknown"
    assert capital(decision).missing == [LICENSED_IN_HOST]
    assert decision.verdict == "incomplete"


def test_firm_asking_about_the_licence_it_holds_is_licensed(bundle: Bundle) -> None:
    """A Nigerian DAX asking about NG without saying so is held to the old figure."""
    line = ask(bundle, dax(None), DEADLINE, "fast")
    assert line.status == "met"


def test_before_the_circular_everyone_is_on_the_old_figure(bundle: Bundle) -> None:
    day = dt.date(2025, 12, 1)
    for licensed in (True, False, None):
        line = ask(bundle, dax(licensed, home="BH"), day, "fast")
        assert (line.effective_until, line.status) == (dt.date(2026, 1, 16), "met")


def test_the_answer_line_shows_the_deadline(bundle: Bundle) -> None:
    decision = bundle.passport(bundle.profile(dax(False)), host="NG", as_of=dt.date(2026, 6, 1))
    assert str(DEADLINE) in render_markdown([decision])


# ---- the version choice, on hand-made versions ----------------------------------------------


def version(
    start: dt.date | None,
    end: dt.date | None,
    deadline: dt.date | None = None,
    applicants: bool = False,
) -> ir.Requirement:
    return ir.Requirement(
        id="R",
        title="R",
        category="capital",
        licences=(),
        require=ir.AttrRef(name="paid_up_capital"),
        period=ir.Period(start=start, end=end),
        deadline=deadline,
        binds_applicants=applicants,
        citation=ir.Citation(instrument="I", provision="p"),
        confidence="confirmed",
        remedy="r",
        reads=("paid_up_capital",),
    )


@pytest.mark.parametrize("applicants", [True, False])
def test_versions_for_chooses_by_licence_status(applicants: bool) -> None:
    start, deadline = dt.date(2026, 1, 1), dt.date(2026, 12, 31)
    old, new = version(None, start), version(start, None, deadline, applicants)
    rules = (old, new)
    replaced = successors(rules)

    def chosen(day: dt.date, licensed: bool | None) -> tuple[list[ir.Requirement], list[str]]:
        found = versions_for(rules, replaced, "any", day, licensed)
        return list(found.decided), list(found.undecided)

    assert chosen(deadline, True) == ([old], [])
    assert chosen(deadline + dt.timedelta(days=1), True) == ([new], [])
    assert chosen(deadline, None) == ([], ["R"])
    assert chosen(deadline, False) == (([new], []) if applicants else ([], ["R"]))
    assert chosen(start - dt.timedelta(days=1), None) == ([old], [])


# ---- the command line and the formatter --------------------------------------------------------


def test_cli_passport_agrees_across_backends(tmp_path: Path) -> None:
    profile = tmp_path / "dax.json"
    profile.write_text(json.dumps(dax(True)))
    statuses = {}
    for day, backend in [(d, b) for d in ("2027-06-30", "2027-07-01") for b in ("fast", "durable")]:
        result = jawaz(
            "passport", str(profile), "--to", "NG", "--as-of", day,
            "--backend", backend, "--format", "json",
        )  # fmt: skip
        assert result.returncode == 0, result.stderr
        line = next(r for r in json.loads(result.stdout)["requirements"] if r["id"] == "NG-CAP-DAX")
        assert line["deadline"] == str(DEADLINE)
        statuses[day, backend] = line["status"]
    assert statuses == {
        ("2027-06-30", "fast"): "met",
        ("2027-06-30", "durable"): "met",
        ("2027-07-01", "fast"): "unmet",
        ("2027-07-01", "durable"): "unmet",
    }


def test_formatter_round_trips_by(tmp_path: Path) -> None:
    """The bundled file is already formatted, and a misindented `by` is put back."""
    path = Path(bundled_root()) / "NG" / "capital_circular_2026.rules"
    found = format_file(path, str(path))
    assert isinstance(found, tuple)
    original, formatted = found
    assert formatted == original
    assert formatted.count("    by 2027-06-30\n") == 3
    scratch = tmp_path / "capital.rules"
    scratch.write_text(original.replace("    by 2027-06-30\n", "  by    2027-06-30\n"))
    again = format_file(scratch, "capital.rules")
    assert isinstance(again, tuple)
    assert again[0] != original
    assert again[1] == original
