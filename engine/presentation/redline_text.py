"""`jawaz diff` as text and as Markdown: per jurisdiction, each requirement that changed,
with its figures before and after and both citations; then the firms it affects."""

from __future__ import annotations

from engine.presentation.wording import cited_text
from engine.results import CitationOut
from engine.results.redline import ImpactOut, Redline, RedlineEntry

KIND_LABEL = {
    "added": "added",
    "removed": "removed",
    "tightened": "tightened",
    "loosened": "loosened",
    "changed": "changed (not ranked)",
    "re_cited": "re-cited",
    "re_labelled": "re-labelled",
    "re_dated": "re-dated",
}


def heading(result: Redline) -> str:
    """What the redline compares."""
    if result.mode == "dates":
        return f"Redline {result.since} → {result.until}"
    when = f" on {result.as_of}" if result.as_of else ""
    return f"Redline {result.base} → current rules{when}"


def _cited(citation: CitationOut, full: bool) -> str:
    """Documents name the instrument in full; the text table keeps `SEC-DA-2022 Part B`."""
    return cited_text(citation) if full else f"{citation.instrument} {citation.provision}"


def entry_lines(entry: RedlineEntry, full: bool = False) -> list[str]:
    """The facts of one change, one a line, without the heading (`full`: citations with
    the instrument's title)."""
    lines: list[str] = []
    for figure in entry.thresholds:
        why = f" (not ranked: {figure.unranked})" if figure.unranked else ""
        lines.append(
            f"{figure.attribute} {figure.op}: {figure.before} → {figure.after}, "
            f"{figure.direction}{why}"
        )
    if "changed" in entry.kinds or not entry.thresholds:
        lines += [f"before: {entry.condition_before}"] if entry.condition_before else []
        lines += [f"after: {entry.condition_after}"] if entry.condition_after else []
    old, new = entry.citation_before, entry.citation_after
    if old is not None and new is not None and old != new:
        lines.append(f"cited before: {_cited(old, full)}")
    if new is not None or old is not None:
        shown = new or old
        assert shown is not None
        lines.append(f"cited: {_cited(shown, full)}" + (f" <{shown.url}>" if shown.url else ""))
    if entry.confidence_before != entry.confidence_after and entry.confidence_before:
        lines.append(f"confidence: {entry.confidence_before} → {entry.confidence_after}")
    if "re_dated" in entry.kinds:
        lines.append(f"in force: {_span(entry.effective_before)} → {_span(entry.effective_after)}")
    return lines


def _span(span: tuple[object, object] | None) -> str:
    if span is None:
        return "—"
    return f"{span[0] or '…'} to {span[1] or '…'}"


def impact_line(item: ImpactOut) -> str:
    """One firm's changed line."""
    verdict = (
        f" (verdict {item.verdict_before} → {item.verdict_after})"
        if item.verdict_before != item.verdict_after
        else ""
    )
    return (
        f"{item.firm} [{item.profile}] in {item.host}, {item.activity}: {item.requirement} "
        f"{item.before} → {item.after}{verdict}"
    )


def render_redline_text(result: Redline) -> str:
    """The redline as plain text."""
    lines = [heading(result), ""]
    current = None
    for entry in result.changes:
        if entry.jurisdiction != current:
            current = entry.jurisdiction
            lines.append(f"{current}")
        kinds = ", ".join(KIND_LABEL[k] for k in entry.kinds)
        lines.append(f"  {entry.id} ({entry.category}): {kinds}")
        lines += [f"    {line}" for line in entry_lines(entry)]
    if not result.changes:
        lines.append("no requirement changed")
    lines += _impact(result, "  ")
    return "\n".join(lines) + "\n"


def render_redline_markdown(result: Redline) -> str:
    """The redline as Markdown: a section per jurisdiction, an item per change."""
    lines = [f"# {heading(result)}", ""]
    current = None
    for entry in result.changes:
        if entry.jurisdiction != current:
            current = entry.jurisdiction
            lines += [f"## {current}", ""]
        kinds = ", ".join(KIND_LABEL[k] for k in entry.kinds)
        lines.append(f"- **{entry.id}** ({entry.category}, {entry.title}): {kinds}")
        lines += [f"    - {line}" for line in entry_lines(entry, full=True)]
    if not result.changes:
        lines.append("No requirement changed.")
    impact = _impact(result, "- ")
    if impact:
        lines += ["", "## Impact", *impact[1:]]
    return "\n".join(lines) + "\n"


def _impact(result: Redline, prefix: str) -> list[str]:
    if result.impact is None:
        return []
    lines = ["", f"impact on {result.profiles} firm profile(s):"]
    lines += [prefix + impact_line(item) for item in result.impact]
    if not result.impact:
        lines.append(prefix + "no firm's answer changes")
    return lines
