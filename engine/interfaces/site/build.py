"""`jawaz docs build`: Markdown pages for the MkDocs site, generated from the bundled rules.

The pages are committed under `docs/generated/` and a test runs `--check`, so the site can
never drift from the rules. Everything is evaluated on the fixed `DOCS_AS_OF` date, not
today: otherwise the committed pages would go stale on their own as dated rules take effect.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from engine.decisions.catalogue import licensing
from engine.presentation.describe import describe
from engine.presentation.markdown import comparison_markdown, escape, link, matrix_markdown
from rulesdsl import ir

if TYPE_CHECKING:
    from engine.bundle import Bundle

# Bumped by hand, in its own commit, when the site should describe a later date.
DOCS_AS_OF = dt.date(2026, 11, 1)
CONFIDENCE_LABEL = {
    "confirmed": "confirmed",
    "medium": "medium confidence",
    "unconfirmed": "**unconfirmed**",
}

Pages = dict[str, str]


def _url(bundle: Bundle, code: str, citation: ir.Citation | None) -> tuple[str, str | None]:
    """Citation text and the instrument's address (jurisdiction's own, then shared)."""
    if citation is None:
        return "", None
    instruments = {i.id: i for i in bundle.ir.instruments}
    instruments.update({i.id: i for i in bundle.jurisdictions[code].instruments})
    instrument = instruments.get(citation.instrument)
    text = f"{citation.instrument} {citation.provision}".strip()
    return text, instrument.url if instrument else None


def _cite(bundle: Bundle, code: str, citation: ir.Citation | None) -> str:
    text, url = _url(bundle, code, citation)
    return link(text, url) if text else "—"


def _period(period: ir.Period) -> str:
    parts = [
        f"from {period.start}" if period.start else "",
        f"until {period.end}" if period.end else "",
    ]
    return " ".join(p for p in parts if p) or "no dates: always in force"


def _requirement(bundle: Bundle, code: str, r: ir.Requirement) -> list[str]:
    rule = describe(r.require)
    if r.when is not None:
        rule = f"when {describe(r.when)}: {rule}"
    lines = [
        f"### {escape(r.id)}: {escape(r.title)}",
        "",
        f"- **Category:** {r.category}" + (" (blocking)" if r.blocking else ""),
        f"- **Licences:** {', '.join(r.licences) or 'every licence'}",
        f"- **Rule:** `{rule}`" + (" — threshold **pending**" if r.pending else ""),
        f"- **Citation:** {_cite(bundle, code, r.citation)}",
        f"- **Effective:** {_period(r.period)}",
        f"- **Confidence:** {CONFIDENCE_LABEL[r.confidence]}",
        f"- **Remedy:** {escape(r.remedy)}",
    ]
    if r.note:
        lines.append(f"- **Note:** {escape(r.note)}")
    return [*lines, ""]


def jurisdiction_page(bundle: Bundle, j: ir.Jurisdiction) -> str:
    """Everything the rules say about one jurisdiction."""
    lines = [
        f"# {escape(j.name)} ({j.code})",
        "",
        f"- **Currency:** {j.currency}",
        f"- **Authorities:** {escape(', '.join(j.authorities))}",
        f"- **Memberships:** {', '.join(j.memberships) or 'none recorded'}",
        "",
    ]
    if j.note:
        lines += [escape(j.note), ""]
    lines += ["## Regimes", "", "| Activity | Status | Period | Citation | Confidence | Note |"]
    lines.append("| --- | --- | --- | --- | --- | --- |")
    for g in j.regimes:
        lines.append(
            f"| {g.activity} | {g.status} | {_period(g.period)} | "
            f"{_cite(bundle, j.code, g.citation)} | {g.confidence} | {escape(g.note or '')} |"
        )
    lines += ["", "## Licences", ""]
    for lic in j.licences:
        lines.append(
            f"- **{escape(lic.id)}** — {escape(lic.title)}; activities: "
            f"{', '.join(lic.activities) or 'none'}; {_cite(bundle, j.code, lic.citation)}"
            + (f". {escape(lic.note)}" if lic.note else "")
        )
    lines += ["", "## Requirements", ""]
    for r in j.requirements:
        lines += _requirement(bundle, j.code, r)
    return "\n".join(lines)


def _licensing(bundle: Bundle, activity: str) -> list[str]:
    """Jurisdictions with a licensing regime and a licence for `activity` on DOCS_AS_OF."""
    return licensing(bundle.ir.jurisdictions, activity, DOCS_AS_OF)


# Material front matter: no side bars, so a table of fourteen jurisdictions fits the page.
WIDE_PAGE = "---\nhide:\n  - navigation\n  - toc\n---\n\n"


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


def _framework_activities(bundle: Bundle, framework: ir.Framework) -> Iterable[str]:
    chosen = framework.activities or tuple(a.id for a in bundle.ir.vocabulary.activities)
    return (a for a in chosen if _licensing(bundle, a))


def _matrix_page(bundle: Bundle, framework: ir.Framework) -> str:
    lines = [WIDE_PAGE + f"# Matrix: {escape(framework.title)}", ""]
    if framework.status != "in_force":
        lines += [
            f'!!! warning "A {framework.status} framework: a proposal, not law"',
            "    These matrices show what the framework would do if adopted as written.",
            "",
        ]
    for activity in _framework_activities(bundle, framework):
        result = bundle.matrix(activity, as_of=DOCS_AS_OF, framework=framework.id)
        body = matrix_markdown(result, title=f"{activity}")
        lines += ["#" + body, ""]  # one level down: each activity is a section
    return "\n".join(lines)


def _open_questions(bundle: Bundle) -> str:
    lines = ["# Pending and unconfirmed requirements", ""]
    for heading, keep in (
        ("Pending thresholds (figure not yet published)", lambda r: r.pending),
        ("Unconfirmed requirements", lambda r: r.confidence == "unconfirmed"),
    ):
        lines += [f"## {heading}", "", "| Jurisdiction | Requirement | Rule | Citation |"]
        lines.append("| --- | --- | --- | --- |")
        for j in bundle.ir.jurisdictions:
            for r in filter(keep, j.requirements):
                page = f"jurisdictions/{j.code.lower()}.md"
                lines.append(
                    f"| [{j.code}]({page}) | {escape(r.id)}: {escape(r.title)} | "
                    f"{escape(describe(r.require))} | {_cite(bundle, j.code, r.citation)} |"
                )
        lines.append("")
    return "\n".join(lines)


def _index(pages: Pages) -> str:
    lines = [
        "# Generated from the rules",
        "",
        f"These pages are generated by `jawaz docs build` from the bundled rules, evaluated "
        f"as of {DOCS_AS_OF}. Do not edit them by hand.",
        "",
    ]
    sections = (
        ("Jurisdictions", "jurisdictions/"),
        ("Comparisons", "compare/"),
        ("Matrices", "matrix/"),
        ("Open questions", "open-questions"),
    )
    for heading, prefix in sections:
        lines += [f"## {heading}", ""]
        lines += [f"- [{_title(pages[p])}]({p})" for p in sorted(pages) if p.startswith(prefix)]
        lines.append("")
    return "\n".join(lines)


def _title(page: str) -> str:
    return page.splitlines()[0].lstrip("# ").strip()


def build_pages(bundle: Bundle) -> Pages:
    """Relative path → page text, for every generated page."""
    pages: Pages = {}
    for j in bundle.ir.jurisdictions:
        pages[f"jurisdictions/{j.code.lower()}.md"] = jurisdiction_page(bundle, j)
    pages.update(_comparison_pages(bundle))
    for framework in bundle.ir.frameworks:
        pages[f"matrix/{framework.id}.md"] = _matrix_page(bundle, framework)
    pages["open-questions.md"] = _open_questions(bundle)
    pages["index.md"] = _index(pages)
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
