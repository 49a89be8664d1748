"""`jawaz docs build`: the committed generated pages are the ones the rules give."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from engine.bundle import load_bundle
from engine.interfaces.cli.main import cli
from engine.interfaces.site.build import build_pages, stale_files

GENERATED = Path(__file__).resolve().parents[1] / "docs" / "generated"


def test_committed_pages_are_up_to_date() -> None:
    result = CliRunner().invoke(cli, ["docs", "build", "--check", "--out", str(GENERATED)])
    assert result.exit_code == 0, result.output


def test_check_reports_a_stale_page(tmp_path: Path) -> None:
    runner = CliRunner()
    assert runner.invoke(cli, ["docs", "build", "--out", str(tmp_path)]).exit_code == 0
    assert runner.invoke(cli, ["docs", "build", "--check", "--out", str(tmp_path)]).exit_code == 0
    (tmp_path / "index.md").write_text("edited\n")
    (tmp_path / "orphan.md").write_text("left over\n")
    result = runner.invoke(cli, ["docs", "build", "--check", "--out", str(tmp_path)])
    assert result.exit_code == 1
    assert stale_files(build_pages(load_bundle()), tmp_path) == ["index.md", "orphan.md"]


def test_pages_cover_jurisdictions_frameworks_and_open_questions() -> None:
    bundle = load_bundle()
    pages = build_pages(bundle)
    assert pages == build_pages(bundle)  # reproducible
    for j in bundle.ir.jurisdictions:
        page = pages[f"jurisdictions/{j.code.lower()}.md"]
        assert all(r.id in page for r in j.requirements)
    for framework in bundle.ir.frameworks:
        page = pages[f"matrix/{framework.id}.md"]
        assert ("proposal, not law" in page) == (framework.status != "in_force")
    assert "compare/exchange.md" in pages
    pending = [r.id for j in bundle.ir.jurisdictions for r in j.requirements if r.pending]
    assert all(rid in pages["open-questions.md"] for rid in pending)


def test_index_links_every_page_by_its_heading() -> None:
    """Each index entry is titled with its page's `# ` heading, never its front matter
    (wide pages open with `---`)."""
    bundle = load_bundle()
    pages = build_pages(bundle)
    index = pages["index.md"]
    for path, text in pages.items():
        if path == "index.md":
            continue
        heading = next(line for line in text.splitlines() if line.startswith("# "))
        assert f"- [{heading[2:].strip()}]({path})" in index
    assert "[---]" not in index
