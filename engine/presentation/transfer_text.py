"""A transfer check as text: the corridor, then each end's rules, missing data and
counterparty."""

from __future__ import annotations

from engine.results.common import ReasonOut
from engine.results.transfer import EndOut, TransferCheck, TransferRuleOut

_REASONS = {
    "pending_threshold": "its threshold is not published",
    "fx_rate": "no FX rate converts the transfer's value",
    "register": "no register of firms was given",
}


def _reason(reason: ReasonOut) -> str:
    text = _REASONS.get(reason.kind, reason.kind)
    if reason.kind == "pending_threshold" and reason.currency:
        return f"{text} ({reason.attribute}, {reason.currency})"
    if reason.kind == "fx_rate" and reason.rate is not None:
        return f"{text} ({reason.rate.source} to {reason.rate.target})"
    return text


def _rule(line: TransferRuleOut) -> str:
    where = f" {line.band}" if line.band else ""
    value = f" (value {line.value.currency} {line.value.amount})" if line.value else ""
    head = f"  {line.requirement} [{line.confidence}]: {line.status}{where}{value}"
    demands = f"\n    demands: {', '.join(line.demands)}" if line.demands else ""
    reasons = "".join(f"\n    unknown: {_reason(r)}" for r in line.reasons)
    cited = f"\n    cite: {line.citation.title}, {line.citation.provision}"
    return head + demands + reasons + cited


def _end(end: EndOut) -> list[str]:
    where = "self-hosted wallet" if end.unhosted else f"{end.jurisdiction} ({end.regime})"
    lines = [f"{end.role}: {where}; payload {end.payload}"]
    lines += [_rule(line) for line in end.rules]
    for missing in end.missing:
        rules = ", ".join(missing.requirements)
        if missing.path is not None:
            lines.append(f"  missing {missing.path} ({missing.demand}; {rules})")
        else:
            lines.append(f"  missing one of ({missing.demand}; {rules}):")
            lines += [f"    {path}" for path in missing.one_of]
    lines += [f"  obligation: {text}" for text in end.obligations]
    counterparty = end.counterparty
    shown = counterparty.status + (f" ({counterparty.firm})" if counterparty.firm else "")
    if counterparty.until is not None:
        shown += f", registration ended {counterparty.until}"
    shown += "".join(f"; unknown: {_reason(r)}" for r in counterparty.reasons)
    lines.append(f"  counterparty: {shown}")
    return lines


def transfer_text(check: TransferCheck) -> str:
    """The check as lines of text, ending in a newline."""
    corridor = check.corridor + (
        f" (prohibited in {', '.join(check.blocked_by)})" if check.blocked_by else ""
    )
    lines = [
        f"transfer {check.transfer or '(no id)'} on {check.date}: {check.amount} {check.asset}, "
        f"value {check.value.currency} {check.value.amount} (rules of {check.as_of})",
        f"corridor: {corridor}; payload: {check.payload}",
    ]
    for end in check.ends:
        lines += _end(end)
    lines += [f"rate: 1 {r.source} = {r.rate} {r.target} ({r.table_date})" for r in check.rates]
    return "\n".join(lines) + "\n"
