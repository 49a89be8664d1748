"""Alternative routes (DESIGN §4): a sandbox or a transitional route is offered beside the
full licence's answer, never chosen as the best answer in its place; a transitional route
only to a firm authorised under the host's earlier law before its date, until it ends."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from engine import load_bundle
from engine.bundle import Bundle
from engine.decisions.catalogue import alternatives_for, licences_for
from engine.errors import EngineError
from engine.presentation.decision_text import alternative_lines

DAY = dt.date(2026, 5, 1)


@pytest.fixture(scope="module")
def bundle() -> Bundle:
    """The bundled rules, loaded once for the module."""
    return load_bundle()


def _startup(bundle: Bundle, **in_host: Any) -> Any:
    data = {
        "name": "Start-up",
        "home": "BH",
        "licence": "category_4",
        "activities": ["exchange"],
        "attributes": {"aml_cft_programme": False, "fiu_registered": False},
        "in_host": dict(in_host),
    }
    return bundle.profile(data)


def test_alternative_routes_are_never_full_licences(bundle: Bundle) -> None:
    """The sandbox and the transitional route are listed apart from the full licences."""
    pk, eu = bundle.jurisdictions["PK"], bundle.jurisdictions["EU"]
    assert "sandbox" not in [lic.id for lic in licences_for(pk, "exchange")]
    assert [lic.id for lic in alternatives_for(pk, "exchange")] == ["sandbox"]
    assert [lic.route for lic in alternatives_for(eu, "exchange")] == ["transitional"]


@pytest.mark.parametrize("backend", ["fast", "durable"])
def test_sandbox_is_offered_beside_the_full_licence(bundle: Bundle, backend: str) -> None:
    """Whatever the sandbox's verdict, the answer is the full licence's."""
    decision = bundle.passport(_startup(bundle), "PK", as_of=DAY, backend=backend)
    assert decision.host_licence == "vasp"
    assert decision.verdict in ("incomplete", "not_eligible")
    [alt] = decision.alternatives
    assert (alt.route, alt.licence, alt.verdict) == ("sandbox", "sandbox", "conditional")
    assert alt.discretionary and alt.term_pending and alt.term is None
    assert alternative_lines(decision)


def test_apply_for_cannot_pick_the_sandbox_as_the_answer(bundle: Bundle) -> None:
    """Asking for the sandbox by name is refused: it is never the answer."""
    with pytest.raises(EngineError) as raised:
        bundle.passport(_startup(bundle), "PK", as_of=DAY, apply_for="sandbox")
    assert raised.value.path == "apply_for"


@pytest.mark.parametrize(
    ("authorised", "day", "offered"),
    [
        (dt.date(2023, 3, 1), dt.date(2026, 5, 1), True),
        (dt.date(2023, 3, 1), dt.date(2026, 7, 1), True),  # its last day
        (dt.date(2023, 3, 1), dt.date(2026, 7, 2), False),  # ended
        (dt.date(2024, 12, 30), dt.date(2026, 5, 1), False),  # not before the date
        (None, dt.date(2026, 5, 1), False),  # a new entrant
    ],
)
def test_transitional_route_only_for_firms_authorised_before(
    bundle: Bundle, authorised: dt.date | None, day: dt.date, offered: bool
) -> None:
    """MiCA Art. 143(3): authorised under national law before 30 Dec 2024, until 1 Jul 2026."""
    facts = {"EU": {"authorised_under_earlier_law": authorised.isoformat()}} if authorised else {}
    decision = bundle.passport(_startup(bundle, **facts), "EU", as_of=day)
    routes = [alt.route for alt in decision.alternatives]
    assert routes == (["transitional"] if offered else [])
    assert decision.host_licence is not None and decision.host_licence != "transitional"
    if offered:
        assert decision.alternatives[0].ends == dt.date(2026, 7, 1)
        assert decision.alternatives[0].authorised_before == dt.date(2024, 12, 30)


def test_may_require_more_is_a_note_that_never_changes_the_verdict(bundle: Bundle) -> None:
    """BH capital: the CBB may require more (CRA-3.1.3/3.1.4); the note is on the answer."""
    data = {
        "name": "Exchange",
        "home": "MY",
        "licence": "rmo_dax",
        "activities": ["exchange"],
        "attributes": {"paid_up_capital": {"amount": "500000", "currency": "BHD"}},
    }
    decision = bundle.passport(bundle.profile(data), "BH", as_of=dt.date(2026, 6, 1))
    capital = next(r for r in decision.requirements if r.id == "BH-CAP-4")
    assert capital.status == "met"
    assert [n for n in decision.reasons if n.startswith("BH-CAP-4:")]
    rule = next(r for r in bundle.jurisdictions["BH"].requirements if r.id == "BH-CAP-4")
    assert rule.may_require_more and not rule.pending and not rule.blocking
