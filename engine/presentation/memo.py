"""What a memo to file on one passport decision says, section by section, in words.

The Word memo (`word_memo`) and the HTML one (`memo_html`, which the PDF prints) lay out
the same sections from here, so the two cannot say different things.
"""

from __future__ import annotations

from dataclasses import dataclass

from engine.presentation.decision_text import (
    STATUS_MARK,
    VERDICT_WORDS,
    alternative_lines,
    what_is_missing,
)
from engine.presentation.glossary import Glossary
from engine.presentation.wording import (
    ROUTE_LABEL,
    cited_text,
    fatf_lines,
    fx_warning_text,
    rate_text,
    requirement_label,
)
from engine.results import CitationOut, Decision, RequirementResult


@dataclass(frozen=True, slots=True)
class MemoLine:
    """One requirement as the memo's table shows it."""

    requirement: str
    status: str
    gap: str
    remedy: str
    confidence: str
    citation: str
    url: str | None


MEMO_HEADS = ("Requirement", "Status", "Gap or reason", "Remedy", "Confidence")


def memo_title(decision: Decision) -> str:
    """`Passport memo: Gulf Crypto Exchange B.S.C. → MY (exchange)`."""
    return f"Passport memo: {decision.firm} → {decision.host} ({decision.activity})"


def question_text(decision: Decision) -> str:
    """The question the memo answers, in one sentence."""
    framework = (
        f", under {decision.framework.title} ({decision.framework.id})"
        if decision.framework
        else ""
    )
    return (
        f"May {decision.firm}, licensed in {decision.home} ({decision.home_licence}), carry on "
        f"{decision.activity} in {decision.host_name} ({decision.host}) as of "
        f"{decision.as_of}{framework}?"
    )


def answer_lines(decision: Decision) -> list[str]:
    """The verdict, the route and the licence, then the decision's own reasons."""
    licence = f", {decision.host_licence}" if decision.host_licence else ""
    lines = [
        f"Verdict: {VERDICT_WORDS[decision.verdict]}.",
        f"Route: {ROUTE_LABEL[decision.route]}{licence}.",
    ]
    return lines + decision.reasons


def next_lines(decision: Decision) -> list[str]:
    """What the firm does next: the route's steps, then each gap's remedy and each
    unknown's missing facts, then any alternative route."""
    lines = [f"Step {n}: {s.step}" for n, s in enumerate(decision.steps, start=1)]
    for r in decision.requirements:
        if r.status in ("unmet", "not_covered") and r.remedy:
            lines.append(f"{r.id}: {r.remedy}")
        elif r.status == "unknown" and r.missing:
            lines.append(f"{r.id}: supply {', '.join(r.missing)}")
    lines += [line.strip() for line in alternative_lines(decision)]
    return lines or ["Nothing further: every applicable requirement is satisfied."]


def memo_line(result: RequirementResult) -> MemoLine:
    """One requirement's row: status, what is missing, remedy, confidence and citation."""
    return MemoLine(
        requirement=requirement_label(result),
        status=STATUS_MARK[result.status],
        gap=what_is_missing(result) or "—",
        remedy=result.remedy if result.status in ("unmet", "not_covered", "unknown") else "—",
        confidence=result.confidence,
        citation=cited_text(result.citation),
        url=result.citation.url,
    )


def _rate_source(decision: Decision) -> list[str]:
    if not decision.fx_rates:
        return ["none needed"]
    return [rate_text(rate) for rate in decision.fx_rates]


def provenance_pairs(decision: Decision) -> list[tuple[str, str]]:
    """What the answer was computed from: date, rules and FX data, with their hashes."""
    return [
        ("As of", str(decision.as_of)),
        ("Host's facts last verified", str(decision.host_verified_on or "never")),
        ("Rules", decision.bundle),
        ("Rules content hash", decision.rules_hash),
        ("FX data hash", decision.fx_hash),
        *(("FX rate used", text) for text in _rate_source(decision)),
        *(("FX warning", fx_warning_text(w)) for w in decision.fx_warnings),
        *(("FATF", line) for line in fatf_lines(decision.home, decision.home_fatf)),
    ]


def glossary_terms(decision: Decision, glossary: Glossary) -> list[tuple[str, str]]:
    """The attributes the memo's requirements read or name, with their descriptions."""
    named = [g.attribute for r in decision.requirements for g in r.gaps]
    named += [m for r in decision.requirements for m in r.missing]
    named += [x.attribute for r in decision.requirements for x in r.reasons if x.attribute]
    return glossary.terms((r.id for r in decision.requirements), named)


def footnote_text(citation: CitationOut) -> str:
    """A citation as a footnote reads, the link after it where the format can link."""
    return cited_text(citation) + "."
