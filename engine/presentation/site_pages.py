"""The rule-derived pages of the documentation site, as Markdown: one per jurisdiction,
the open questions, and each framework's matrices.

Which pages exist, and the date they describe, are the site build's to decide
(`engine.interfaces.site.build`); this module only words them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from typing import assert_never

from engine.presentation.describe import describe
from engine.presentation.markdown import escape, link, matrix_markdown
from engine.presentation.wording import cited_text, date_text, rule_text
from engine.results import CitationOut, MatrixResult
from rulesdsl import ir

# A citation of a jurisdiction's rules with its instrument's title and address.
Cite = Callable[[str, ir.Citation], CitationOut]

CONFIDENCE_LABEL = {
    "confirmed": "confirmed",
    "medium": "medium confidence",
    "unconfirmed": "**unconfirmed**",
}


def _cite(cite: Cite, code: str, citation: ir.Citation | None) -> str:
    if citation is None:
        return "—"
    found = cite(code, citation)
    text = cited_text(found)
    return link(text, found.url) if text else "—"


def period_text(period: ir.Period, start: ir.Precision = "day", end: ir.Precision = "day") -> str:
    """When a rule is in force, in words; a date known only to the month as its month
    ("from September 2025")."""
    parts = [
        f"from {date_text(period.start, start)}" if period.start else "",
        f"until {date_text(period.end, end)}" if period.end else "",
    ]
    return " ".join(p for p in parts if p) or "no dates: always in force"


def _requirement_period(r: ir.Requirement) -> str:
    text = period_text(r.period, r.start_precision, r.end_precision)
    if r.deadline is None:
        return text
    return f"{text}; comply by {date_text(r.deadline, r.deadline_precision)}"


def _requirement(cite: Cite, code: str, r: ir.Requirement) -> list[str]:
    lines = [
        f"### {escape(r.id)}: {escape(r.title)}",
        "",
        f"- **Category:** {r.category}" + (" (blocking)" if r.blocking else ""),
        f"- **Licences:** {', '.join(r.licences) or 'every licence'}",
        f"- **Rule:** `{rule_text(r)}`" + (" — threshold **pending**" if r.pending else ""),
        f"- **Citation:** {_cite(cite, code, r.citation)}",
        f"- **Effective:** {_requirement_period(r)}",
        f"- **Confidence:** {CONFIDENCE_LABEL[r.confidence]}",
        f"- **Remedy:** {escape(r.remedy)}",
    ]
    if r.verified:
        lines.append(f"- **Facts verified:** {r.verified}")
    if r.note:
        lines.append(f"- **Note:** {escape(r.note)}")
    return [*lines, ""]


def jurisdiction_markdown(j: ir.Jurisdiction, cite: Cite) -> str:
    """Everything the rules say about one jurisdiction."""
    lines = [
        f"# {escape(j.name)} ({j.code})",
        "",
        f"- **Currency:** {j.currency}",
        f"- **Authorities:** {escape(', '.join(j.authorities))}",
        f"- **Memberships:** {', '.join(j.memberships) or 'none recorded'}",
        f"- **Facts verified:** {j.verified or 'never recorded'}",
        "",
    ]
    if j.note:
        lines += [escape(j.note), ""]
    lines += ["## Regimes", "", "| Activity | Status | Period | Citation | Confidence | Note |"]
    lines.append("| --- | --- | --- | --- | --- | --- |")
    for g in j.regimes:
        lines.append(
            f"| {g.activity} | {g.status} | {period_text(g.period)} | "
            f"{_cite(cite, j.code, g.citation)} | {g.confidence} | {escape(g.note or '')} |"
        )
    lines += ["", "## Licences", ""]
    for lic in j.licences:
        lines.append(
            f"- **{escape(lic.id)}** — {escape(lic.title)}; activities: "
            f"{', '.join(lic.activities) or 'none'}; {_cite(cite, j.code, lic.citation)}"
            + (f". {escape(lic.note)}" if lic.note else "")
            + _route_words(lic)
        )
    lines += ["", "## Requirements", ""]
    for r in j.requirements:
        lines += _requirement(cite, j.code, r)
    return "\n".join(lines)


def _route_words(lic: ir.Licence) -> str:
    """How the page marks an alternative route: offered beside the full licences only."""
    match lic.route:
        case "full":
            return ""
        case "sandbox":
            term = f"{lic.term.amount} {lic.term.unit}" if lic.term else "duration not stated"
            discretion = ", at the regulator's discretion" if lic.discretionary else ""
            return f". *Alternative route (sandbox): {term}{discretion}; never the answer itself*"
        case "transitional":
            ends = f"ends {lic.ends} at the latest" if lic.ends else "end not retrieved"
            return (
                f". *Alternative route (transitional): for firms authorised under the earlier "
                f"law before {lic.authorised_before}; {ends}*"
            )
        case _:
            assert_never(lic.route)


def open_questions_markdown(
    jurisdictions: Iterable[ir.Jurisdiction], cite: Cite, page_of: Callable[[str], str]
) -> str:
    """Pending thresholds and unconfirmed requirements, each linked to its jurisdiction's
    page (`page_of(code)`)."""
    chosen = list(jurisdictions)
    lines = ["# Pending and unconfirmed requirements", ""]
    sections: tuple[tuple[str, Callable[[ir.Requirement], bool]], ...] = (
        ("Pending thresholds (figure not yet published)", lambda r: r.pending),
        ("Unconfirmed requirements", lambda r: r.confidence == "unconfirmed"),
    )
    for heading, keep in sections:
        lines += [f"## {heading}", "", "| Jurisdiction | Requirement | Rule | Citation |"]
        lines.append("| --- | --- | --- | --- |")
        for j in chosen:
            for r in filter(keep, j.requirements):
                lines.append(
                    f"| [{j.code}]({page_of(j.code)}) | {escape(r.id)}: {escape(r.title)} | "
                    f"{escape(describe(r.require))} | {_cite(cite, j.code, r.citation)} |"
                )
        lines.append("")
    lines += alternative_routes_open(chosen, cite, page_of)
    lines += case_by_case_open(chosen, cite, page_of)
    return "\n".join(lines)


def alternative_routes_open(
    jurisdictions: Sequence[ir.Jurisdiction], cite: Cite, page_of: Callable[[str], str]
) -> list[str]:
    """The open-questions section on alternative routes: a sandbox whose duration is not
    stated, a transitional route whose end was not retrieved, admission at discretion."""
    lines = [
        "## Alternative routes: durations, ends and discretion",
        "",
        "| Jurisdiction | Route | What is open | Citation |",
        "| --- | --- | --- | --- |",
    ]
    for j in jurisdictions:
        for lic in j.licences:
            open_parts = []
            if lic.route == "sandbox" and lic.term is None:
                open_parts.append("duration not stated")
            if lic.route == "transitional" and lic.ends is None:
                open_parts.append("end not retrieved")
            if lic.discretionary:
                open_parts.append("admission at the regulator's discretion")
            if open_parts:
                lines.append(
                    f"| [{j.code}]({page_of(j.code)}) | {escape(lic.id)} ({lic.route}): "
                    f"{escape(lic.title)} | {'; '.join(open_parts)} | "
                    f"{_cite(cite, j.code, lic.citation)} |"
                )
    lines.append("")
    return lines


def case_by_case_open(
    jurisdictions: Sequence[ir.Jurisdiction], cite: Cite, page_of: Callable[[str], str]
) -> list[str]:
    """The open-questions sections on what the regulator decides firm by firm: terms to be
    agreed with it (`discretionary`, a remediable gap until agreed) and rules it may raise
    (`may_require_more`, a note on the answer). Neither is `pending`: nothing is unpublished."""
    sections: tuple[tuple[str, str, Callable[[ir.Requirement], str | None]], ...] = (
        (
            "Terms agreed with the regulator (discretionary)",
            "What is to be agreed",
            lambda r: r.discretion,
        ),
        (
            "The regulator may require more (case by case)",
            "What it may require",
            lambda r: r.may_require_more,
        ),
    )
    lines = []
    for heading, column, text_of in sections:
        lines += [f"## {heading}", "", f"| Jurisdiction | Requirement | {column} | Citation |"]
        lines.append("| --- | --- | --- | --- |")
        for j in jurisdictions:
            for r in j.requirements:
                text = text_of(r)
                if text:
                    lines.append(
                        f"| [{j.code}]({page_of(j.code)}) | {escape(r.id)}: {escape(r.title)} | "
                        f"{escape(text)} | {_cite(cite, j.code, r.citation)} |"
                    )
        lines.append("")
    return lines


def framework_matrices_markdown(framework: ir.Framework, results: Sequence[MatrixResult]) -> str:
    """One framework's matrices, a section per activity, warned when it is not law."""
    lines = [f"# Matrix: {escape(framework.title)}", ""]
    if framework.status != "in_force":
        lines += [
            f'!!! warning "A {framework.status} framework: a proposal, not law"',
            "    These matrices show what the framework would do if adopted as written.",
            "",
        ]
    for result in results:
        body = matrix_markdown(result, title=result.activity)
        lines += ["#" + body, ""]  # one level down: each activity is a section
    return "\n".join(lines)


def index_markdown(titles: Sequence[tuple[str, str]], as_of: dt.date) -> str:
    """The index of the generated pages, from (path, title) pairs, by section."""
    lines = [
        "# Generated from the rules",
        "",
        f"These pages are generated by `jawaz docs build` from the bundled rules, evaluated "
        f"as of {as_of}. Do not edit them by hand.",
        "",
    ]
    sections = (
        ("Jurisdictions", "jurisdictions/"),
        ("Comparisons", "compare/"),
        ("Matrices", "matrix/"),
        ("Open questions", "open-questions"),
        ("Reference", "glossary"),
        ("", "authorities"),
    )
    for heading, prefix in sections:
        if heading:  # an empty heading continues the section above
            lines += [f"## {heading}", ""]
        elif lines[-1] == "":
            lines.pop()
        lines += [f"- [{title}]({path})" for path, title in titles if path.startswith(prefix)]
        lines.append("")
    return "\n".join(lines)
