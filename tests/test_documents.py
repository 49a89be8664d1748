"""Comparison and matrix documents: structure, self-containment and determinism."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from docx import Document
from pygments.lexers import get_lexer_by_name
from pygments.token import Error

from engine.interfaces.cli.main import cli
from engine.presentation.html_tables import PRINT_GROUP
from rulesdsl.loader import bundled_root
from rulesdsl.tools.lexer import JawazLexer

CODES = ["MY", "BH", "AE-DU"]
AS_OF = ["--as-of", "2026-06-01"]


def run(*args: str) -> bytes:
    """Run `jawaz` and return its stdout bytes, asserting success."""
    result = CliRunner().invoke(cli, list(args))
    assert result.exit_code == 0, result.output
    return result.stdout_bytes


def compare(fmt: str, *extra: str) -> bytes:
    return run("compare", *CODES, "--activity", "exchange", *AS_OF, "--format", fmt, *extra)


def test_docx_has_one_column_per_licence_and_citations(tmp_path: Path) -> None:
    out = tmp_path / "cmp.docx"
    compare("docx", "--out", str(out))
    model = json.loads(compare("json"))
    document = Document(str(out))
    assert len(document.tables) == 1
    table = document.tables[0]
    heads = [c.text for c in table.rows[0].cells]
    assert heads[0] == "Category / attribute"
    assert [c["jurisdiction"] for c in model["columns"]] == CODES
    assert len(heads) == len(model["columns"]) + 1
    for head, column in zip(heads[1:], model["columns"], strict=True):
        assert column["jurisdiction"] in head and column["licence"] in head
    assert table.style.name == "Table Grid"
    assert len(table.rows) == len(model["rows"]) + 1
    filled = 0
    for row, expected in zip(table.rows[1:], model["rows"], strict=True):
        for cell, want in zip(row.cells[1:], expected["cells"], strict=True):
            if want is None:
                assert cell.text == "no such requirement"
                continue
            filled += 1
            # The citation is the cell's last paragraph, a hyperlink to the instrument.
            citation = want["citation"]
            last = cell.paragraphs[-1]
            assert citation["instrument"] in last.text and citation["provision"] in last.text
            assert bool(last._p.xpath(".//w:hyperlink")) == bool(citation["url"])
    assert filled > 0
    assert any("Rules content hash" in p.text for p in document.paragraphs)


def test_docx_needs_out() -> None:
    result = CliRunner().invoke(
        cli, ["compare", *CODES, "--activity", "exchange", "--format", "docx"]
    )
    assert result.exit_code == 2


def test_docx_is_deterministic(tmp_path: Path) -> None:
    first, second = tmp_path / "a.docx", tmp_path / "b.docx"
    compare("docx", "--out", str(first))
    compare("docx", "--out", str(second))
    assert first.read_bytes() == second.read_bytes()


def _external_references(html: str) -> list[str]:
    """Every http(s) reference that is not a citation link `<a href=...>`."""
    stripped = re.sub(r'<a href="https?://[^"]*">', "", html)
    return re.findall(r"https?://", stripped)


@pytest.mark.parametrize("fmt", ["html", "md", "csv", "json", "text"])
def test_comparison_formats_are_deterministic(fmt: str) -> None:
    assert compare(fmt) == compare(fmt)


def test_comparison_html_is_standalone() -> None:
    html = compare("html").decode()
    assert _external_references(html) == []
    assert "<script" not in html
    assert not re.search(r"<link[^>]*stylesheet", html)
    assert "@import" not in html and "url(" not in html
    assert html.count('<a href="https://') > 0
    assert "no such requirement" in html


def test_comparison_md_and_csv_have_the_rows() -> None:
    md = compare("md").decode()
    licences = ["MY (rmo\\_dax)", "BH (category\\_4)", "AE-DU (exchange\\_services)"]
    assert "| Category / attribute | " + " | ".join(licences) + " |" in md
    assert "capital / paid\\_up\\_capital" in md
    assert "Rules content hash" in md and "FX rates used" in md
    rows = list(csv.DictReader(io.StringIO(compare("csv").decode())))
    assert {r["jurisdiction"] for r in rows} == set(CODES)
    capital = [r for r in rows if r["attribute"] == "paid_up_capital" and r["variant"] == "0"]
    assert len(capital) == 3 and all(r["instrument"] for r in capital)
    assert any(r["title"] == "no such requirement" for r in rows)


def test_matrix_html_colours_every_pair() -> None:
    printed = run("matrix", "--activity", "exchange", *AS_OF, "--format", "html").decode()
    # The screen's table once: the print groups repeat its cells (html_tables).
    html = re.sub(rf'<table class="{PRINT_GROUP}">.*?</table>', "", printed, flags=re.S)
    cells = re.findall(r'<td class="v-(eligible|conditional|incomplete|not_eligible)">', html)
    homes = re.findall(r"<tr><th>([A-Z-]+)</th>", html)
    hosts = re.findall(r"<th>([A-Z-]+)</th>", html.split("</thead>")[0])
    assert len(cells) == len(homes) * (len(hosts) - 1)
    anchors = set(re.findall(r'href="#(pair-[a-z-]+)"', html))
    assert anchors and all(f'id="{a}"' in html for a in anchors)
    assert _external_references(html) == []
    assert printed == run("matrix", "--activity", "exchange", *AS_OF, "--format", "html").decode()


def test_matrix_md() -> None:
    md = run("matrix", "--activity", "exchange", *AS_OF, "--format", "md").decode()
    assert md.startswith("# Passport matrix: exchange")
    anchors = set(re.findall(r"\]\(#(pair-[a-z-]+)\)", md))
    assert anchors and all(f'<a id="{a}"></a>' in md for a in anchors)


def test_lexer_is_registered_and_tokenises_bundled_rules() -> None:
    assert isinstance(get_lexer_by_name("rules"), JawazLexer)
    assert isinstance(get_lexer_by_name("jawaz"), JawazLexer)
    lexer = JawazLexer()
    files = sorted(bundled_root().rglob("*.rules"))
    assert files
    for path in files:
        errors = [v for t, v in lexer.get_tokens(path.read_text("utf-8")) if t is Error]
        assert errors == [], path


def test_a_rule_less_than_confirmed_shows_its_label_in_every_decision_format() -> None:
    """BH-PI (professional indemnity) rests on a 2021 secondary source: unconfirmed."""
    from engine import load_bundle
    from engine.presentation.registry import render

    bundle = load_bundle()
    firm = bundle.read_profile(Path("examples/malaysian-dax.yaml"))
    decision = bundle.passport(firm, host="BH", as_of=dt.date(2026, 11, 1))
    line = next(r for r in decision.requirements if r.id == "BH-PI")
    assert line.confidence == "unconfirmed"
    for output in ("text", "md"):
        text = render(decision, output).decode("utf-8")
        lines = text.splitlines()
        at = next(i for i, x in enumerate(lines) if "BH-PI" in x)
        row = " ".join(lines[at : at + 3])  # a text-table cell may wrap onto the next lines
        assert "[unconfirmed]" in row, (output, row)
