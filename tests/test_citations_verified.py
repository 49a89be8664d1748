"""Answers true to the letter of the law: per-provision citation links (`cite_url`, E210),
instruments' full titles in documents, and verified-on dates (`jawaz jurisdictions --stale`).
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from jawaz_cli import jawaz
from rules_under_test import load_rules

from engine.bundle import Bundle
from engine.decisions.catalogue import stale_table
from engine.interfaces.cli.main import cli
from engine.presentation.registry import render
from engine.results import Decision
from rulesdsl.loader import check_paths

DAY = dt.date(2026, 11, 1)
CRA = "https://cbben.thomsonreuters.com/entiresection/605435"  # the instrument's url
CRA_818 = "https://cbben.thomsonreuters.com/rulebook/cra-818"  # facts.md [B3]
CRA_2 = "https://cbben.thomsonreuters.com/entiresection/605396"  # facts.md [B2]
CRA_TITLE = "CBB Rulebook Volume 6 (Capital Markets), Module CRA (Crypto-Asset)"


@pytest.fixture(scope="module")
def bundle() -> Bundle:
    return load_rules()


def exchange(home: str = "MY", licence: str = "rmo_dax") -> dict[str, Any]:
    return {
        "name": "Kuala Lumpur Digital Exchange Sdn Bhd",
        "home": home,
        "licence": licence,
        "activities": ["exchange"],
        "attributes": {"paid_up_capital": {"amount": "1000000", "currency": "BHD"}},
    }


@pytest.fixture(scope="module")
def into_bahrain(bundle: Bundle) -> Decision:
    return bundle.passport(bundle.profile(exchange()), host="BH", as_of=DAY)


def _citation(decision: Decision, requirement: str) -> tuple[str, str | None]:
    line = next(r for r in decision.requirements if r.id == requirement)
    return line.citation.provision, line.citation.url


# ---- 1. per-provision links -------------------------------------------------------------------


def test_a_requirement_links_to_its_own_provision(into_bahrain: Decision) -> None:
    assert _citation(into_bahrain, "BH-COLD") == ("CRA-8.1.8", CRA_818)
    assert _citation(into_bahrain, "BH-FORM-4") == ("CRA-2.1.1", CRA_2)


def test_without_cite_url_the_instruments_address_is_used(into_bahrain: Decision) -> None:
    assert _citation(into_bahrain, "BH-CAP-4") == ("CRA-3.1.2", CRA)


def test_citations_of_one_provision_with_different_links_are_kept_apart(bundle: Bundle) -> None:
    """The citation cache keys on the link too: the same provision under two links gives two
    citations, not the first one twice."""
    cite = bundle.decider.citation
    bh = bundle.jurisdictions["BH"]
    cold = next(r for r in bh.requirements if r.id == "BH-COLD").citation
    bare = cold.model_copy(update={"url": None})
    assert cite("BH", cold).url == CRA_818
    assert cite("BH", bare).url == CRA


def test_every_bundled_link_is_a_source_of_facts_md(bundle: Bundle) -> None:
    facts = Path("/work/shared/domain/facts.md")
    if not facts.exists():
        pytest.skip("facts.md is not beside this checkout")
    text = facts.read_text(encoding="utf-8")
    links = {
        r.citation.url
        for j in bundle.ir.jurisdictions
        for r in j.requirements
        if r.citation.url is not None
    }
    assert len(links) >= 30
    assert {url for url in links if url not in text} == set()


@pytest.mark.parametrize(
    ("url", "column"),
    [
        ('"cbben.thomsonreuters.com/entiresection/605435"', 14),
        ('"https://cbben.thomsonreuters.com/entire section/605435"', 14),
        ('"ftp://cbben.thomsonreuters.com/605435"', 14),
        ('"https:///605435"', 14),
    ],
)
def test_a_bad_web_address_is_e210_at_its_value(tmp_path: Path, url: str, column: int) -> None:
    source = Path("tests/dsl/bad/E210-bad-cite-url.rules").read_text(encoding="utf-8")
    good = '    url "https://cbben.thomsonreuters.com/entiresection/605435"'
    bad = source.replace('    url "cbben.thomsonreuters.com/entiresection/605435"', good)
    bad = bad.replace(
        'cite_url "https://cbben.thomsonreuters.com/entire section/605435"', f"cite_url {url}"
    )
    path = tmp_path / "bad.rules"
    path.write_text(bad, encoding="utf-8")
    found = [(d.code, d.span.line, d.span.column) for d in check_paths([path]).diagnostics]
    assert found == [("E210", 17, column)]


def test_a_good_web_address_checks_clean(tmp_path: Path) -> None:
    source = Path("tests/dsl/bad/E210-bad-cite-url.rules").read_text(encoding="utf-8")
    fixed = source.replace('url "cbben.', 'url "https://cbben.').replace("entire section", "x")
    path = tmp_path / "good.rules"
    path.write_text(fixed, encoding="utf-8")
    assert [d.code for d in check_paths([path]).diagnostics] == []


# ---- 2. full titles in documents --------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["md", "html"])
def test_comparison_documents_show_the_instruments_title(bundle: Bundle, fmt: str) -> None:
    result = bundle.compare(["BH", "MY"], "exchange", as_of=DAY)
    shown = render(result, fmt).decode("utf-8")
    assert f"{CRA_TITLE} (CRA), CRA-2.1.1" in shown
    assert CRA_2 in shown


def test_decision_documents_show_the_title_and_the_text_table_stays_compact(
    into_bahrain: Decision,
) -> None:
    markdown = render(into_bahrain, "md").decode("utf-8")
    assert f"[{CRA_TITLE} (CRA), CRA-8.1.8]({CRA_818})" in markdown
    text = render(into_bahrain, "text").decode("utf-8")
    assert "CRA CRA-8.1.8" in text
    assert f"{CRA_TITLE} (CRA)" not in text


def test_word_comparison_shows_the_title(bundle: Bundle, tmp_path: Path) -> None:
    from docx import Document

    out = tmp_path / "cmp.docx"
    out.write_bytes(render(bundle.compare(["BH", "MY"], "exchange", as_of=DAY), "docx"))
    cells = [c.text for t in Document(str(out)).tables for row in t.rows for c in row.cells]
    assert any(f"{CRA_TITLE} (CRA), CRA-3.1.2" in c for c in cells)


# ---- 3. verified-on dates ---------------------------------------------------------------------


def test_a_decision_carries_the_hosts_verified_date(into_bahrain: Decision) -> None:
    assert into_bahrain.host_verified_on == dt.date(2023, 4, 1)


def test_comparison_columns_and_header_carry_verified_dates(bundle: Bundle) -> None:
    result = bundle.compare(["BH", "KZ", "MY"], "exchange", as_of=DAY)
    dates = {c.jurisdiction: c.verified_on for c in result.columns}
    assert dates == {"BH": dt.date(2023, 4, 1), "KZ": None, "MY": dt.date(2026, 5, 20)}
    assert "BH 2023-04-01; KZ never; MY 2026-05-20" in render(result, "md").decode("utf-8")


def _stale(*args: str) -> Any:
    result = CliRunner().invoke(cli, ["jurisdictions", *args, "--format", "json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def test_stale_30_days_lists_every_jurisdiction_with_its_age() -> None:
    listed = _stale("--stale", "30", "--as-of", "2026-12-01")
    assert (listed["as_of"], listed["days"]) == ("2026-12-01", 30)
    rows = {e["jurisdiction"]: (e["verified_on"], e["age_days"]) for e in listed["stale"]}
    assert rows["BH"] == ("2023-04-01", (dt.date(2026, 12, 1) - dt.date(2023, 4, 1)).days)
    assert rows["MY"] == ("2026-05-20", 195)
    assert rows["PK"] == ("2026-05-01", 214)
    assert rows["KZ"] == (None, None)  # facts.md gives no status date: never verified
    # Every verified date of the bundle is before 2026-11-01: each jurisdiction is listed.
    assert set(rows) == set(load_rules().jurisdictions)


def test_stale_keeps_what_was_verified_within_the_window() -> None:
    codes = {e["jurisdiction"] for e in _stale("--stale", "200", "--as-of", "2026-12-01")["stale"]}
    assert "MY" not in codes  # 195 days
    assert {"PK", "BH", "KZ"} <= codes  # 214 days, 3 years, never


def test_a_requirements_own_date_overrides_and_is_listed(bundle: Bundle) -> None:
    pk = bundle.jurisdictions["PK"]

    def stale_of(header: dt.date, noc: dt.date) -> set[tuple[str, str | None]]:
        requirements = tuple(
            r.model_copy(update={"verified": noc}) if r.id == "PK-NOC" else r
            for r in pk.requirements
        )
        host = pk.model_copy(update={"verified": header, "requirements": requirements})
        rules = bundle.ir.model_copy(update={"jurisdictions": (host,)})
        found = stale_table(rules, dt.date(2026, 12, 1), 5).stale
        return {(e.jurisdiction, e.requirement) for e in found}

    assert stale_of(dt.date(2026, 11, 28), dt.date(2026, 11, 20)) == {("PK", "PK-NOC")}
    assert stale_of(dt.date(2020, 1, 1), dt.date(2026, 11, 30)) == {("PK", None)}
    assert stale_of(dt.date(2026, 11, 26), dt.date(2026, 11, 26)) == set()  # 5 days: in time


@pytest.mark.parametrize("days", ["-1", "1.5", "ten", ""])
def test_stale_needs_a_whole_number_of_days(days: str) -> None:
    result = jawaz("jurisdictions", "--stale", days, "--as-of", "2026-12-01")
    assert result.returncode == 2
    assert "--stale" in result.stderr and result.stdout == ""


def test_stale_text_names_the_window() -> None:
    result = jawaz("jurisdictions", "--stale", "30", "--as-of", "2026-12-01")
    assert result.returncode == 0
    assert "Not verified within 30 days of 2026-12-01" in result.stdout
    assert "never" in result.stdout


def test_the_jurisdiction_list_shows_verified_dates() -> None:
    listed = json.loads(CliRunner().invoke(cli, ["jurisdictions", "--format", "json"]).output)
    dates = {j["code"]: j["verified_on"] for j in listed["jurisdictions"]}
    assert dates["NG"] == "2026-01-16" and dates["EU"] is None
