"""`jawaz explain` as text: the line the passport gives, then each step beneath it."""

from __future__ import annotations

from engine.presentation.wording import LOWER_BOUND, cited_text, rate_text
from engine.results import GapOut, ReasonOut
from engine.results.explanation import ConditionStep, DecidedBy, Explanation, OperandOut


def render_explanation(result: Explanation) -> str:
    """The explanation, one fact a line, steps indented under what they decide."""
    framework = result.framework.id if result.framework else "status quo"
    lines = [
        f"{result.requirement}: {result.title}",
        f"  firm: {result.firm} ({result.home}) → {result.host}"
        f" licence {result.host_licence or 'none'}, {result.activity}, as of {result.as_of}",
        f"  framework: {framework}; route: {result.route}",
        f"  status: {result.status}",
    ]
    if result.line is not None:
        lines += [f"    gap: {_gap(g)}" for g in result.line.gaps]
        lines += [f"    reason: {_reason(r)}" for r in result.line.reasons]
        if result.status == "unmet" and result.line.remedy:
            lines.append(f"    remedy: {result.line.remedy}")
    lines += [f"  note: {note}" for note in result.notes]
    lines.append(f"  decided: {_decided(result.decided_by)}")
    lines += [f"    {home}" for home in _homes(result.decided_by)]
    lines += [f"    proof FX: {rate_text(r)}" for r in result.decided_by.proof_rates]
    if result.applies is not None:
        lines.append("  applies when:")
        lines += _step(result.applies, 2)
    lines.append("  requires:")
    lines += _step(result.condition, 2)
    if result.tiers:
        lines.append("  tiers on the transfer's amount:")
    for band in result.tiers:
        mark = "  ← the firm's threshold" if band.firm_threshold else ""
        lines.append(f"    {band.band}: {', '.join(band.demands) or 'nothing'}{mark}")
    lines.append(f"  citation: {cited_text(result.citation)}")
    if result.citation.url:
        lines.append(f"    {result.citation.url}")
    lines.append(f"  confidence: {result.confidence}")
    span = f"{result.effective_from or '…'} to {result.effective_until or '…'}"
    lines.append(f"  version in force: {span}")
    lines += [f"  FX: {rate_text(r)}" for r in result.fx_rates]
    lines.append(f"  rules {result.rules_hash[:12]}, fx {result.fx_hash[:12]}")
    return "\n".join(lines) + "\n"


def _decided(decided: DecidedBy) -> str:
    match decided.treatment:
        case None:
            return f"{decided.category}: the host rule applies as written (no passport route)"
        case "waived":
            by = cited_text(decided.waived_by) if decided.waived_by else "the framework"
            return f"{decided.category} is waived by {by}"
        case "kept":
            return f"{decided.category} is kept: the host rule applies as to a local licensee"
        case "deemed":
            return f"{decided.category} is deemed: equivalence {decided.equivalence or 'n/a'}"


def _homes(decided: DecidedBy) -> list[str]:
    relied = [f"implied by {h.jurisdiction} {h.id}: {h.title}" for h in decided.deemed_by]
    return relied + [f"breaches {h.jurisdiction} {h.id}: {h.title}" for h in decided.breaches_home]


def _step(step: ConditionStep, depth: int) -> list[str]:
    pad = "  " * depth
    pending = " (pending figure)" if step.pending else ""
    lines = [f"{pad}[{step.truth}] {step.expression}{pending}"]
    lines += [line for operand in step.operands for line in _operand(operand, depth + 1)]
    lines += [f"{pad}  gap: {_gap(g)}" for g in step.gaps]
    lines += [f"{pad}  reason: {_reason(r)}" for r in step.reasons]
    for part in step.parts:
        lines += _step(part, depth + 1)
    return lines


def _operand(operand: OperandOut, depth: int) -> list[str]:
    pad = "  " * depth
    value = operand.value if operand.value is not None else operand.source
    given = f" (stated {operand.given.currency} {operand.given.amount})" if operand.given else ""
    missing = f" lacking {', '.join(operand.missing)}" if operand.missing else ""
    lines = [f"{pad}{operand.expression} = {value}{given} [{operand.source}]{missing}"]
    lines += [
        f"{pad}  converted: 1 {r.source} = {r.rate} {r.target} (rates of {r.table_date})"
        for r in operand.conversions
    ]
    for part in operand.parts:
        lines += _operand(part, depth + 1)
    return lines


def _gap(gap: GapOut) -> str:
    short = ""
    if gap.shortfall is not None:
        short = f", short by {gap.shortfall.currency} {gap.shortfall.amount}"
    elif gap.shortfall_value is not None:
        short = f", short by {gap.shortfall_value}"
    bar = f"{gap.attribute} {gap.required.op} {gap.required.value}"
    if gap.lower_bound:  # the bar, not the firm's figure, is the bound
        bar += f" ({LOWER_BOUND})"
    return f"{bar}: has {gap.actual.value}{short}"


def _reason(reason: ReasonOut) -> str:
    about = [reason.attribute or "", reason.currency or ""]
    if reason.rate is not None:
        about.append(f"{reason.rate.source}→{reason.rate.target}")
    if reason.date is not None:
        about.append(str(reason.date))
    where = " ".join(a for a in about if a)
    scope = " (its when)" if reason.applicability else ""
    return f"{reason.kind}{' ' + where if where else ''}{scope}"
