"""`discretionary "…"`: terms the regulator sets with each firm. Not recorded as agreed in
the profile, the line is unmet with the remedy (the verdict can be `conditional`, never
`incomplete` for ever); recorded, it is met; on all three backends alike."""

from __future__ import annotations

import datetime as dt
import shutil
from typing import Any

import pytest

from engine import load_bundle
from engine.bundle import Bundle
from engine.decisions.synthesis import minimum_licensee
from engine.errors import EngineError
from rulesdsl.loader import bundled_root

DAY = dt.date(2026, 6, 1)
BACKENDS = ("fast", "reference", "durable")

_HOST = """
instrument XA-RULES {
  title "Example custody rules"
}
jurisdiction XA {
  name "Example jurisdiction"
  currency USD
  authorities ["Example Regulatory Authority"]
  regime custody {
    status licensed
    cite XA-RULES "1.1"
  }
  licence custodian {
    title "Custodian"
    activities [custody]
  }
  requirement XA-COLD {
    title "Cold storage share agreed with the regulator"
    category custody
    require cold_storage_min_share >= discretionary "the share agreed with the authority"
    cite XA-RULES "4.2"
    confidence confirmed
    remedy "Agree the cold-storage share with the authority"
  }
  requirement XA-OFFICE {
    title "A local office, or the authority's waiver"
    category presence
    require local_place_of_business or discretionary "a waiver of the local office"
    cite XA-RULES "2.1"
    confidence confirmed
    remedy "Open an office, or ask the authority for a waiver"
  }
}
"""


@pytest.fixture(scope="module")
def bundle(tmp_path_factory: pytest.TempPathFactory) -> Bundle:
    """The bundled vocabulary and FX tables with one example host using discretion."""
    folder = tmp_path_factory.mktemp("rules")
    for name in ("vocabulary.rules", "fx.rules"):
        shutil.copy(bundled_root() / name, folder / name)
    (folder / "host.rules").write_text(_HOST, encoding="utf-8")
    return load_bundle(folder)


def _profile(bundle: Bundle, **extra: Any) -> Any:
    data: dict[str, Any] = {
        "name": "Example Custody",
        "home": "XA",
        "licence": "custodian",
        "activities": ["custody"],
        "attributes": {"cold_storage_min_share": "95", "local_place_of_business": False},
    }
    data.update(extra)
    return bundle.profile(data)


def _lines(bundle: Bundle, backend: str, **extra: Any) -> tuple[str, dict[str, str]]:
    decision = bundle.passport(_profile(bundle, **extra), host="XA", as_of=DAY, backend=backend)
    return decision.verdict, {r.id: r.status for r in decision.requirements}


@pytest.mark.parametrize("backend", BACKENDS)
def test_not_agreed_is_unmet_and_the_verdict_conditional(bundle: Bundle, backend: str) -> None:
    """Nothing recorded: both lines unmet, and the answer is conditional, not incomplete."""
    verdict, lines = _lines(bundle, backend)
    assert lines == {"XA-COLD": "unmet", "XA-OFFICE": "unmet"}
    assert verdict == "conditional"


@pytest.mark.parametrize("backend", BACKENDS)
def test_agreed_terms_are_met(bundle: Bundle, backend: str) -> None:
    """The agreement recorded: the figure line is met; the waiver closes the `or`."""
    verdict, lines = _lines(bundle, backend, agreed_with_regulator=["XA-COLD", "XA-OFFICE"])
    assert lines == {"XA-COLD": "met", "XA-OFFICE": "met"}
    assert verdict == "eligible"
    _, lines = _lines(bundle, backend, agreed_with_regulator=["XA-COLD"])
    assert lines == {"XA-COLD": "met", "XA-OFFICE": "unmet"}


def test_the_unmet_line_says_what_to_agree(bundle: Bundle) -> None:
    """The line carries the remedy and the term's text; it is never `unknown`."""
    decision = bundle.passport(_profile(bundle), host="XA", as_of=DAY)
    (cold,) = [r for r in decision.requirements if r.id == "XA-COLD"]
    assert cold.remedy == "Agree the cold-storage share with the authority"
    assert cold.discretion == "the share agreed with the authority"
    assert cold.reasons == []


def test_the_office_line_is_met_by_its_own_facts(bundle: Bundle) -> None:
    """A firm with the office meets the `or` without any waiver."""
    data = {"cold_storage_min_share": "95", "local_place_of_business": True}
    _, lines = _lines(bundle, "fast", attributes=data)
    assert lines["XA-OFFICE"] == "met"


@pytest.mark.parametrize(
    ("agreed", "code_word"),
    [
        (["XA-COLDD"], "did you mean 'XA-COLD'"),
        (["XA-NOTHING"], "unknown requirement"),
        ("XA-COLD", "expected a list"),
        ([7], "expected a requirement id"),
    ],
)
def test_agreements_are_checked(bundle: Bundle, agreed: Any, code_word: str) -> None:
    """A typo or a wrong shape is refused, naming the field, never silently ignored."""
    with pytest.raises(EngineError) as raised:
        _profile(bundle, agreed_with_regulator=agreed)
    assert "agreed_with_regulator" in str(raised.value)
    assert code_word in str(raised.value)


def test_a_requirement_without_discretion_cannot_be_agreed() -> None:
    """In the bundled rules BH-CAP-4 has a published figure: there is nothing to agree."""
    bundled = load_bundle()
    data = bundled.read_profile(bundled_root().parent / "examples" / "bahrain-exchange.yaml")
    raw = data.canonical() | {"agreed_with_regulator": ["BH-CAP-4"]}
    with pytest.raises(EngineError) as raised:
        bundled.profile(raw)
    assert "no discretionary term" in str(raised.value)


def test_the_agreement_is_part_of_the_profile_hash(bundle: Bundle) -> None:
    """Recorded agreements appear in the profile's canonical form (so in its hash and the
    decision log); a profile without any keeps its old form."""
    assert "agreed_with_regulator" not in _profile(bundle).canonical()
    agreed = _profile(bundle, agreed_with_regulator=["XA-OFFICE"]).canonical()
    assert agreed["agreed_with_regulator"] == ["XA-OFFICE"]


def test_the_minimum_licensee_has_agreed_its_home_terms(bundle: Bundle) -> None:
    """The matrix's synthesised home licensee is licensed, so its home terms are agreed."""
    home = bundle.jurisdiction("XA")
    (licence,) = home.licences
    profile = minimum_licensee(bundle.ir, home, licence, "custody", DAY)
    assert profile.agreed_with_regulator == {"XA-COLD", "XA-OFFICE"}
