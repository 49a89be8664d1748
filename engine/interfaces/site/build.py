"""`jawaz docs build`: Markdown pages for the MkDocs site, generated from the bundled rules.

The pages are committed under `docs/generated/` and a test runs `--check`, so the site can
never drift from the rules. Everything is evaluated on the fixed `DOCS_AS_OF` date, not
today: otherwise the committed pages would go stale on their own as dated rules take effect.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from engine.decisions.catalogue import licensing
from engine.presentation.markdown import comparison_markdown
from engine.presentation.site_pages import (
    framework_matrices_markdown,
    index_markdown,
    jurisdiction_markdown,
    open_questions_markdown,
)
from engine.presentation.reference_pages import authorities_markdown, glossary_markdown
from rulesdsl import ir

if TYPE_CHECKING:
    from engine.bundle import Bundle

# Bumped by hand, in its own commit, when the site should describe a later date.
DOCS_AS_OF = dt.date(2026, 11, 1)
# Material front matter: no side bars, so a table of fourteen jurisdictions fits the page.
WIDE_PAGE = "---\nhide:\n  - navigation\n  - toc\n---\n\n"

Pages = dict[str, str]


def _page_of(code: str) -> str:
    return f"jurisdictions/{code.lower()}.md"


def _licensing(bundle: Bundle, activity: str) -> list[str]:
    """Jurisdictions with a licensing regime and a licence for `activity` on DOCS_AS_OF."""
    return licensing(bundle.ir.jurisdictions, activity, DOCS_AS_OF)


def _comparison_pages(bundle: Bundle) -> Pages:
    pages = {}
    for term in bundle.ir.vocabulary.activities:
        codes = _licensing(bundle, term.id)
        if len(codes) < 2:
            continue
        result = bundle.compare(codes, term.id, as_of=DOCS_AS_OF, currency="USD")
        title = f"Comparison: {term.title}"
        pages[f"compare/{term.id}.md"] = WIDE_PAGE + comparison_markdown(result, title=title)
    return pages


def _matrix_page(bundle: Bundle, framework: ir.Framework) -> str:
    chosen = framework.activities or tuple(a.id for a in bundle.ir.vocabulary.activities)
    results = [
        bundle.matrix(activity, as_of=DOCS_AS_OF, framework=framework.id)
        for activity in chosen
        if _licensing(bundle, activity)
    ]
    return WIDE_PAGE + framework_matrices_markdown(framework, results)


def _title(page: str) -> str:
    heading = next(line for line in page.splitlines() if line.startswith("# "))
    return heading.lstrip("# ").strip()


def build_pages(bundle: Bundle) -> Pages:
    """Relative path → page text, for every generated page."""
    cite = bundle.decider.citation
    pages: Pages = {}
    for j in bundle.ir.jurisdictions:
        pages[_page_of(j.code)] = jurisdiction_markdown(j, cite)
    pages.update(_comparison_pages(bundle))
    for framework in bundle.ir.frameworks:
        pages[f"matrix/{framework.id}.md"] = _matrix_page(bundle, framework)
    pages["open-questions.md"] = open_questions_markdown(bundle.ir.jurisdictions, cite, _page_of)
    pages["glossary.md"] = glossary_markdown(bundle.ir.vocabulary)
    pages["authorities.md"] = WIDE_PAGE + authorities_markdown(bundle.ir, _page_of)
    titles = [(path, _title(pages[path])) for path in sorted(pages)]
    pages["index.md"] = index_markdown(titles, DOCS_AS_OF)
    return {path: text.rstrip("\n") + "\n" for path, text in sorted(pages.items())}


def stale_files(pages: Pages, out: Path) -> list[str]:
    """Files under `out` that regenerating would add, change or delete."""
    present = {p.relative_to(out).as_posix() for p in out.rglob("*.md")} if out.is_dir() else set()
    changed = [
        path
        for path, text in pages.items()
        if not (out / path).is_file() or (out / path).read_bytes() != text.encode("utf-8")
    ]
    return sorted(set(changed) | (present - set(pages)))


def write_pages(pages: Pages, out: Path, report: Callable[[str], None]) -> None:
    """Write the pages that changed and delete generated pages that no longer exist."""
    for path in stale_files(pages, out):
        target = out / path
        if path in pages:
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(pages[path].encode("utf-8"))
            report(f"wrote {target}")
        else:
            target.unlink()
            report(f"removed {target}")
