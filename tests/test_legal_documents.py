"""Documents a legal team files and prints: the passport memo (Word, HTML, PDF), Word
comparisons and matrices laid out for the page, PDFs through the print stylesheet, CSV
provenance, thousands separators, and no research-note keys anywhere shown."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import os
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from docx import Document
from lxml import etree

from engine import load_bundle
from engine.interfaces.cli.main import cli
from engine.presentation.column_widths import CELL_PADDING_TWIPS, TABLE_POINTS
from engine.results import has_source_key

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
R = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
RELS = "{http://schemas.openxmlformats.org/package/2006/relationships}"
AS_OF = ["--as-of", "2026-06-01"]
FIVE = ["MY", "PK", "BH", "AE-DU", "EU"]
PROFILE = "examples/bahrain-exchange.yaml"
REPO = Path(__file__).resolve().parents[1]
# The narrowest a character of 8-point text may be given (in twips): a column narrower than
# its longest word at this width would break that word in any common face.
MIN_CHAR_TWIPS = 0.5 * TABLE_POINTS * 20


def run(*args: str) -> bytes:
    result = CliRunner().invoke(cli, list(args))
    assert result.exit_code == 0, result.output
    return result.stdout_bytes


def memo(tmp_path: Path, fmt: str) -> Path:
    out = tmp_path / f"memo.{fmt}"
    run("passport", PROFILE, "--to", "MY", *AS_OF, "--format", fmt, "--out", str(out))
    return out


def compare_file(tmp_path: Path, fmt: str) -> Path:
    out = tmp_path / f"compare.{fmt}"
    run("compare", *FIVE, "--activity", "exchange", *AS_OF, "--format", fmt, "--out", str(out))
    return out


def _xml(docx: Path, part: str) -> etree._Element:
    return etree.fromstring(zipfile.ZipFile(docx).read(part))


# ---- Word -----------------------------------------------------------------------------


def test_memo_docx_has_every_section_and_a_footnote_per_requirement(tmp_path: Path) -> None:
    path = memo(tmp_path, "docx")
    document = Document(str(path))
    text = "\n".join(p.text for p in document.paragraphs)
    model = CliRunner().invoke(cli, ["passport", PROFILE, "--to", "MY", *AS_OF, "--format", "json"])
    answer = json.loads(model.stdout)
    for heading in ("Question", "Answer", "What the firm does next", "Requirements", "Glossary"):
        assert heading in [p.text for p in document.paragraphs if p.style.name.startswith("Head")]
    assert answer["rules_hash"] in text and answer["fx_hash"] in text
    assert "Not legal advice" in text
    assert "paid_up_capital: " in text  # the glossary defines an attribute the memo reads
    table = document.tables[0]
    assert len(table.rows) == len(answer["requirements"]) + 1
    statuses = [row.cells[1].text for row in table.rows[1:]]
    assert "UNMET" in statuses and "unknown" in statuses
    # Each requirement's first cell carries a footnote reference; each note has its link.
    body = _xml(path, "word/document.xml")
    references = [int(r.get(f"{W}id")) for r in body.iter(f"{W}footnoteReference")]
    assert references == list(range(1, len(answer["requirements"]) + 1))
    notes = _xml(path, "word/footnotes.xml")
    ids = [int(n.get(f"{W}id")) for n in notes.iter(f"{W}footnote")]
    assert ids == [-1, 0, *references]
    rels = _xml(path, "word/_rels/footnotes.xml.rels")
    targets = {r.get("Id"): r.get("Target") for r in rels.iter(f"{RELS}Relationship")}
    links = [targets[h.get(f"{R}id")] for h in notes.iter(f"{W}hyperlink")]
    urls = [r["citation"]["url"] for r in answer["requirements"] if r["citation"]["url"]]
    assert links == urls
    core = document.core_properties
    assert core.created.date().isoformat() == "2026-06-01" and core.title.startswith("Passport")


def test_every_part_is_well_formed_and_the_footnotes_part_is_related(tmp_path: Path) -> None:
    path = memo(tmp_path, "docx")
    archive = zipfile.ZipFile(path)
    for name in archive.namelist():
        if name.endswith((".xml", ".rels")):
            etree.fromstring(archive.read(name))  # raises on malformed XML
    types = _xml(path, "[Content_Types].xml")
    overrides = {o.get("PartName"): o.get("ContentType") for o in types}
    assert overrides["/word/footnotes.xml"].endswith("wordprocessingml.footnotes+xml")
    rels = _xml(path, "word/_rels/document.xml.rels")
    assert any(
        r.get("Type").endswith("/footnotes") and r.get("Target") == "footnotes.xml" for r in rels
    )


def _twips(cell: etree._Element) -> int:
    width = cell.find(f"{W}tcPr/{W}tcW")
    assert width is not None and width.get(f"{W}type") == "dxa"
    return int(width.get(f"{W}w"))


def test_word_comparison_is_landscape_with_a_repeated_header_and_unbroken_words(
    tmp_path: Path,
) -> None:
    path = compare_file(tmp_path, "docx")
    body = _xml(path, "word/document.xml")
    size = body.find(f".//{W}sectPr/{W}pgSz")
    assert size.get(f"{W}orient") == "landscape"
    assert int(size.get(f"{W}w")) > int(size.get(f"{W}h"))
    margins = body.find(f".//{W}sectPr/{W}pgMar")
    usable = int(size.get(f"{W}w")) - int(margins.get(f"{W}left")) - int(margins.get(f"{W}right"))
    tables = body.findall(f".//{W}tbl")
    shown: list[str] = []
    for table in tables:  # split by jurisdiction groups where the columns do not fit
        rows = table.findall(f"{W}tr")
        assert rows[0].find(f"{W}trPr/{W}tblHeader") is not None
        assert all(r.find(f"{W}trPr/{W}tblHeader") is None for r in rows[1:])
        assert table.find(f"{W}tblPr/{W}tblLayout").get(f"{W}type") == "fixed"
        assert sum(int(g.get(f"{W}w")) for g in table.iter(f"{W}gridCol")) <= usable
        heads = ["".join(c.itertext()) for c in rows[0].findall(f"{W}tc")]
        assert heads[0] == "Category / attribute"  # every part repeats the row labels
        shown += heads[1:]
        for row in rows:
            for cell in row.findall(f"{W}tc"):
                words = [
                    word
                    for paragraph in cell.findall(f"{W}p")
                    for word in "".join(
                        (t.text or "") if t.tag == f"{W}t" else " "
                        for t in paragraph.iter(f"{W}t", f"{W}br")
                    ).split()
                ]
                longest = max((len(w) for w in words), default=0)
                assert _twips(cell) - CELL_PADDING_TWIPS >= longest * MIN_CHAR_TWIPS, words
    assert [h.split(" ")[0] for h in shown] == FIVE
    assert len({len(t.findall(f"{W}tr")) for t in tables}) == 1
    footer = _xml(path, "word/footer1.xml")
    fields = [f.get(f"{W}instr") for f in footer.iter(f"{W}fldSimple")]
    assert fields == ["PAGE", "NUMPAGES"]
    core = Document(str(path)).core_properties
    assert core.created.date().isoformat() == "2026-06-01"
    assert core.title == "Comparison: exchange" and "AE-DU" in core.subject


def test_word_matrix_has_a_row_per_home_licence(tmp_path: Path) -> None:
    out = tmp_path / "m.docx"
    run("matrix", "--activity", "exchange", *AS_OF, "--format", "docx", "--out", str(out))
    model = json.loads(run("matrix", "--activity", "exchange", *AS_OF, "--format", "json"))
    tables = Document(str(out)).tables
    assert {len(t.rows) for t in tables} == {len(model["rows"]) + 1}
    hosts = [c.text for t in tables for c in t.rows[0].cells[2:]]
    assert hosts == model["hosts"]
    assert all(
        [c.text for c in t.rows[0].cells[:2]] == ["home → host", "home licence"] for t in tables
    )
    assert [c.text for c in tables[-1].columns[0].cells[1:]] == [r["home"] for r in model["rows"]]
    assert _xml(out, "word/document.xml").find(f".//{W}tblHeader") is not None
    again = tmp_path / "again.docx"
    run("matrix", "--activity", "exchange", *AS_OF, "--format", "docx", "--out", str(again))
    assert again.read_bytes() == out.read_bytes()


def test_a_memo_format_refuses_several_hosts() -> None:
    result = CliRunner().invoke(cli, ["passport", PROFILE, "--to", "all", "--format", "html"])
    assert result.exit_code == 2


# ---- PDF ------------------------------------------------------------------------------


def _pdf_or_skip() -> None:
    reason = ""
    try:
        import weasyprint  # noqa: F401
    except (ImportError, OSError) as error:
        reason = f"WeasyPrint cannot load ({error}); pip install '.[pdf]'"
    if not reason and shutil.which("pdftotext") is None:
        reason = "no pdftotext (Debian: poppler-utils)"
    if not reason:
        return
    if os.environ.get("CI"):
        pytest.fail(f"CI is set but the PDF tests cannot run: {reason}", pytrace=False)
    pytest.skip(reason)


def _pages(pdf: Path, *options: str) -> list[str]:
    text = subprocess.run(
        ["pdftotext", *options, str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    return text.split("\f")[:-1] if text.endswith("\f") else text.split("\f")


def test_pdf_comparison_shows_every_jurisdiction_on_every_page_of_the_table(
    tmp_path: Path,
) -> None:
    _pdf_or_skip()
    pages = _pages(compare_file(tmp_path, "pdf"), "-layout")
    assert len(pages) > 1
    with_rows = [p for p in pages if "confidence: confirmed\n" in p or "no such requirement" in p]
    assert len(with_rows) >= 2
    for page in with_rows:
        for column in (
            "MY (rmo_dax)",
            "PK (vasp)",
            "BH (category_4)",
            "AE-DU",
            "EU (casp_class_3)",
        ):
            assert column in page, (column, page[:400])
    assert all(re.search(rf"Page {n} of {len(pages)}", p) for n, p in enumerate(pages, 1))


def test_a_table_too_wide_for_the_page_prints_in_groups_that_repeat_the_row_labels(
    tmp_path: Path,
) -> None:
    codes = sorted(load_bundle().jurisdictions)
    html = run("compare", *codes, "--activity", "exchange", *AS_OF, "--format", "html").decode()
    groups = re.findall(r'<table class="print-group"><thead><tr>(.*?)</tr>', html)
    assert len(groups) >= 2 and html.count('<table class="screen-only">') == 1
    heads = [re.findall(r"<th>(.*?)</th>", g) for g in groups]
    assert all(h[0] == "Category / attribute" for h in heads)  # row labels in every group
    shown = [re.match(r"[A-Z-]+", h).group() for g in heads for h in g[1:]]  # type: ignore[union-attr]
    assert shown == codes  # every column, once, in order
    # A table that fits is written once, with breaks allowed only after underscores.
    five = run("compare", *FIVE, "--activity", "exchange", *AS_OF, "--format", "html").decode()
    assert 'print-group"' not in five and "_<wbr>" in five
    _pdf_or_skip()
    out = tmp_path / "all.pdf"
    run("compare", *codes, "--activity", "exchange", *AS_OF, "--format", "pdf", "--out", str(out))
    pages = [p for p in _pages(out, "-layout") if "no such requirement" in p]
    assert pages and all("Category /" in p for p in pages)  # the label may wrap
    printed = {c for c in codes for p in pages if re.search(rf"(^|\s){re.escape(c)}(\s|$)", p)}
    assert printed == set(codes)


def test_pdf_memo_has_the_content_and_is_deterministic(tmp_path: Path) -> None:
    _pdf_or_skip()
    path = memo(tmp_path, "pdf")
    text = " ".join("".join(_pages(path)).split())
    for words in ("Question", "What the firm does next", "Not legal advice", "Glossary"):
        assert words in text
    assert "MY-DAX-CAPITAL" in text and "MYR 5,000,000" in text
    first = path.read_bytes()
    assert memo(tmp_path, "pdf").read_bytes() == first


# ---- figures, provenance, research-note keys --------------------------------------------


def test_converted_amounts_have_thousands_separators() -> None:
    for fmt in ("md", "html", "text"):
        text = run("compare", *FIVE, "--activity", "exchange", *AS_OF, "--format", fmt).decode()
        converted = re.findall(r"≈ USD ([0-9,.]+)", text)
        assert converted and all("," in c for c in converted if float(c.replace(",", "")) >= 1e3)
        assert not re.search(r"≈ USD [0-9]{4,}", text)


def test_csv_lines_carry_as_of_hashes_and_rates() -> None:
    model = json.loads(run("compare", *FIVE, "--activity", "exchange", *AS_OF, "--format", "json"))
    rows = list(
        csv.DictReader(
            io.StringIO(
                run("compare", *FIVE, "--activity", "exchange", *AS_OF, "--format", "csv").decode()
            )
        )
    )
    assert {r["as_of"] for r in rows} == {"2026-06-01"}
    assert {r["rules_hash"] for r in rows} == {model["rules_hash"]}
    assert {r["fx_hash"] for r in rows} == {model["fx_hash"]}
    bahrain = [r for r in rows if r["threshold_currency"] == "BHD"]
    assert bahrain and all(r["fx_rate"].startswith("1 BHD = ") for r in bahrain)
    assert all(r["fx_rate"] == "" for r in rows if r["threshold_currency"] == "USD")


def test_no_research_note_key_in_any_document_or_generated_page(tmp_path: Path) -> None:
    shown = [
        *(REPO / "docs" / "generated").rglob("*.md"),
    ]
    texts = [p.read_text(encoding="utf-8") for p in shown]
    for fmt in ("text", "json", "md", "html", "csv"):
        texts.append(
            run(
                "compare", "AE-DU", "PK", "MY", "--activity", "exchange", *AS_OF, "--format", fmt
            ).decode()
        )
        texts.append(
            run("matrix", "--activity", "exchange", *AS_OF, "--format", fmt).decode()
            if fmt != "csv"
            else ""
        )
    for fmt in ("text", "json", "md", "html"):
        texts.append(run("passport", PROFILE, "--to", "AE-DU", *AS_OF, "--format", fmt).decode())
    out = tmp_path / "ae.docx"
    run(
        "compare",
        "AE-DU",
        "PK",
        "--activity",
        "exchange",
        *AS_OF,
        "--format",
        "docx",
        "--out",
        str(out),
    )
    texts.append(zipfile.ZipFile(out).read("word/document.xml").decode())
    assert len(texts) > 20
    offending = [t for t in texts if has_source_key(t)]
    assert offending == []
    # The keys are there in the rules: it is the presentation that keeps them out.
    assert any(has_source_key(p.read_text()) for p in (REPO / "jurisdictions").rglob("*.rules"))


def test_compare_category_keeps_only_that_categorys_rows() -> None:
    args = ["compare", *FIVE, "--activity", "exchange", *AS_OF, "--format", "json"]
    everything = json.loads(run(*args))
    capital = json.loads(run(*args, "--category", "capital", "--category", "custody"))
    wanted = [r for r in everything["rows"] if r["category"] in ("capital", "custody")]
    assert capital["rows"] == wanted and 0 < len(wanted) < len(everything["rows"])
    assert capital["rules_hash"] == everything["rules_hash"]
    wrong = CliRunner().invoke(cli, [*args, "--category", "capitl"])
    assert wrong.exit_code == 2 and "capitl" in wrong.output


def test_matrix_category_cuts_the_details_not_the_verdicts() -> None:
    args = ["matrix", "--activity", "exchange", *AS_OF, "--format", "md"]
    report = load_bundle().matrix_report("exchange", as_of=dt.date(2026, 6, 1))
    capital = report.of_categories(["capital"])
    assert capital.matrix == report.matrix  # verdicts and counts of every requirement
    kept = [r.id for pair in capital.pairs for r in pair.requirements]
    every = [(r.id, r.category) for pair in report.pairs for r in pair.requirements]
    assert kept == [i for i, category in every if category == "capital"] and kept
    dropped = {i for i, category in every if category != "capital"}
    page, whole = run(*args, "--category", "capital").decode(), run(*args).decode()
    assert "Details list only the requirements of capital" in page
    assert {i for i in dropped if i in whole} and not {i for i in dropped if i in page}
    wrong = CliRunner().invoke(cli, [*args, "--category", "capitl"])
    assert wrong.exit_code == 2 and "capitl" in wrong.output
