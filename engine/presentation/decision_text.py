"""Decisions as text for a compliance officer, and as Markdown."""

from __future__ import annotations

from collections.abc import Sequence
from typing import assert_never

from engine.presentation.wording import (
    LOWER_BOUND,
    cited_text,
    fatf_lines,
    fx_warning_text,
    leg_text,
    money_text,
    requirement_label,
)
from engine.results import Decision, GapOut, ReasonOut, RequirementResult, RequirementStatus
from rulesdsl.ir.months import month_label
from rulesdsl.ir.semantics import AGREED

STATUS_MARK: dict[RequirementStatus, str] = {
    "met": "met",
    "deemed_met": "deemed met",
    "waived": "waived",
    "not_covered": "NOT COVERED",
    "unmet": "UNMET",
    "unknown": "unknown",
    "not_applicable": "n/a",
}
STATUS_STYLE: dict[RequirementStatus, str] = {
    "met": "green",
    "deemed_met": "cyan",
    "waived": "cyan",
    "not_covered": "magenta",
    "unmet": "bold red",
    "unknown": "yellow",
    "not_applicable": "dim",
}
VERDICT_WORDS = {
    "eligible": "ELIGIBLE: every applicable requirement is met",
    "conditional": "CONDITIONAL: eligible once the gaps below are closed",
    "not_eligible": "NOT ELIGIBLE",
    "incomplete": "INCOMPLETE: some requirements cannot be decided; see 'what is missing'",
}


# What a gap's `required.op` asks of the firm, as a compliance officer reads it.
NEEDS = {
    ">": "more than",
    ">=": "at least",
    "<": "less than",
    "<=": "at most",
    "==": "",
    "!=": "other than",
    "in": "one of",
    "includes": "includes",
}


def what_is_missing(result: RequirementResult) -> str:
    """One line saying what stands between the firm and this requirement (or, for a line
    a passport satisfies, what satisfies it)."""
    shown = result.equivalence == "not_shown"
    not_shown = "not shown equivalent: the host rule applies; " if shown else ""
    match result.status:
        case "unknown":
            return not_shown + reasons_text(result.reasons)
        case "deemed_met":
            return "by home supervision: " + ", ".join(
                f"{d.jurisdiction} {d.id}" for d in result.deemed_by
            )
        case "waived":
            by = result.waived_by
            cited = f" ({by.instrument} {by.provision})" if by else ""
            return "recognised under the framework" + cited.replace(" )", ")")
        case "not_covered":
            return "not required by the home licence: add " + ", ".join(result.missing)
        case "unmet":
            gaps = "; ".join(
                # a discretionary term's gap is the agreement still to reach, in its words
                f"to agree with the regulator: {result.discretion}"
                if gap.attribute == AGREED
                else gap_text(gap)
                for gap in result.gaps
            )
            if result.breaches_home:
                relied = ", ".join(f"{d.jurisdiction} {d.id}" for d in result.breaches_home)
                return f"breaches {relied}, on which the host would rely" + (
                    f"; {gaps}" if gaps else ""
                )
            return not_shown + gaps
        case "met" | "not_applicable":
            return ""
        case _:
            assert_never(result.status)


def gap_text(gap: GapOut) -> str:
    """`paid_up_capital: MYR 3,746,720.54, needs at least MYR 5,000,000 (short by …)`."""
    if gap.missing_items:
        return f"{gap.attribute}: lacks {', '.join(gap.missing_items)}"
    if gap.required.op == "not":
        return f"{gap.attribute}: {gap.actual.value}, must not hold"
    words = NEEDS.get(gap.required.op, gap.required.op)
    needs = f"{words} {gap.required.value}".strip()
    text = f"{gap.attribute}: {gap.actual.value}, needs {needs}"
    if gap.lower_bound:
        return f"{text} ({LOWER_BOUND})"
    if gap.shortfall is not None:
        return f"{text} (short by {money_text(gap.shortfall)})"
    if gap.shortfall_value is not None:
        return f"{text} (short by {gap.shortfall_value})"
    return text


def reasons_text(reasons: Sequence[ReasonOut]) -> str:
    """Why a line is unknown: its reasons, the applicability's first."""
    about_when = [
        reason_text(r)
        for r in reasons
        if r.applicability and (r.kind != "condition" or r.unstated is not None)
    ]
    own = [reason_text(r) for r in reasons if not r.applicability]
    parts = []
    if any(r.applicability for r in reasons):
        parts.append(
            "whether it applies is unknown" + (f": {', '.join(about_when)}" if about_when else "")
        )
    parts.extend(own)
    return "; ".join(parts) or "cannot be decided"


def reason_text(reason: ReasonOut) -> str:
    """One structured reason in words."""
    about = f" {reason.attribute}" if reason.attribute else ""
    match reason.kind:
        case "attribute":
            return f"not given:{about}"
        case "condition":
            return (
                f"the source leaves open {reason.unstated}"
                if reason.unstated
                else "cannot be decided"
            )
        case "pending_threshold":
            figure = f" ({reason.currency})" if reason.currency else ""
            return f"threshold for{about or ' it'}{figure} not yet published (pending)"
        case "discretion":
            return "at the regulator's discretion"
        case "fx_rate":
            rate = f" {reason.rate.source}→{reason.rate.target}" if reason.rate else ""
            return f"no FX rate{rate}"
        case "fatf_status":
            return f"FATF status on {reason.date} not recorded"
        case "unbundled_home":
            return "the home jurisdiction's rules are not in the bundle"
        case "month_precision":
            month = month_label(reason.date) if reason.date else "a month"
            return f"a date known only to the month ({month}) decides it"
        case "register":
            return f"only a register of firms can say{about}"
        case _:
            assert_never(reason.kind)


def citation_text(result: RequirementResult) -> str:
    """`CRA CRA-3.1.2`."""
    return f"{result.citation.instrument} {result.citation.provision}"


def _linked_citation(result: RequirementResult) -> str:
    """The Markdown citation: the instrument's title, id and provision, linked."""
    text = cited_text(result.citation).replace("[", "\\[").replace("]", "\\]")
    return f"[{text}]({result.citation.url})" if result.citation.url else text


def headline(decision: Decision) -> str:
    """The verdict line a compliance officer acts on."""
    framework = decision.framework.id if decision.framework else "none"
    licence = f" ({decision.host_licence})" if decision.host_licence else ""
    words = VERDICT_WORDS[decision.verdict]
    if not decision.requirements:  # nothing to list: the reasons below say it all
        words = words.split(":")[0]
    return (
        f"{decision.firm}: {decision.home} {decision.home_licence} → {decision.host} "
        f"{decision.host_name}, {decision.activity}, as of {decision.as_of}, "
        f"framework {framework}\n"
        f"Route: {decision.route}{licence}    Verdict: {words}"
    )


def alternative_lines(decision: Decision) -> list[str]:
    """The alternative routes offered beside the answer: "alternatively: …", one each."""
    lines = []
    for alt in decision.alternatives:
        verdict = VERDICT_WORDS[alt.verdict].split(":")[0]
        citation = f" [{alt.citation.title} {alt.citation.provision}]" if alt.citation else ""
        lines.append(
            f"  Alternatively: {alt.title} ({alt.route}: {'; '.join(alt.reasons)})"
            f" — {verdict}{citation}"
        )
        lines += [f"    {STATUS_MARK[r.status]} {requirement_label(r)}" for r in alt.requirements]
    return lines


def footer(decision: Decision) -> list[str]:
    """Reasons, alternative routes, FX rates and the rules' hash."""
    lines = [f"  - {reason}" for reason in decision.reasons]
    lines += alternative_lines(decision)
    lines += [f"  Step {n}: {step.step}" for n, step in enumerate(decision.steps, start=1)]
    lines += [f"  {line}" for line in fatf_lines(decision.home, decision.home_fatf)]
    if decision.operating_mode:
        lines.append(f"  Operating mode: {decision.operating_mode}")
    for rate in decision.fx_rates:
        kind = "peg" if rate.pegged else "rate"
        lines.append(
            f"  FX {kind}: 1 {rate.source} = {rate.rate} {rate.target} (rates of {rate.table_date})"
        )
        lines += [f"    via {leg_text(leg)}" for leg in rate.legs]
    lines += [f"  FX warning: {fx_warning_text(w)}" for w in decision.fx_warnings]
    verified = decision.host_verified_on or "never"
    lines.append(f"  {decision.host}'s facts last verified: {verified}")
    lines.append(
        f"  Rules bundle {decision.bundle}, hash {decision.rules_hash[:16]}"
        f" · backend {decision.backend}"
    )
    return lines


def render_text(decisions: Sequence[Decision], colour: bool) -> str:
    """A readable table per decision, with rich when colour is wanted."""
    import io

    from rich.console import Console
    from rich.markup import escape
    from rich.table import Table

    console = Console(
        record=True, file=io.StringIO(), force_terminal=colour, no_color=not colour, width=160
    )
    for decision in decisions:
        console.print(headline(decision), markup=False, highlight=False)
        if decision.requirements:
            table = Table(show_lines=False, expand=True)
            for column in ("status", "requirement", "what is missing", "citation"):
                table.add_column(column, overflow="fold")
            for result in decision.requirements:
                table.add_row(
                    f"[{STATUS_STYLE.get(result.status, '')}]{STATUS_MARK[result.status]}[/]",
                    # Rule text is data, not markup: `[ceo, mlro]` must print as written.
                    escape(requirement_label(result)),
                    escape(what_is_missing(result) or ""),
                    escape(citation_text(result)),
                )
            console.print(table)
        for line in footer(decision):
            console.print(line, highlight=False, markup=False)
        console.print()
    return console.export_text(styles=colour)


def render_markdown(decisions: Sequence[Decision]) -> str:
    """The decisions as Markdown tables."""
    out: list[str] = []
    for decision in decisions:
        out.append(f"## {decision.home} → {decision.host} ({decision.activity})\n")
        out.append(headline(decision).replace("\n", "  \n") + "\n")
        if decision.requirements:
            out.append("| status | requirement | what is missing | citation |")
            out.append("|---|---|---|---|")
            for result in decision.requirements:
                cells = [
                    STATUS_MARK[result.status],
                    requirement_label(result),
                    what_is_missing(result),
                    _linked_citation(result),
                ]
                out.append("| " + " | ".join(c.replace("|", "\\|") for c in cells) + " |")
            out.append("")
        out.extend(line.strip() and f"- {line.strip().lstrip('- ')}" for line in footer(decision))
        out.append("")
    return "\n".join(out)
