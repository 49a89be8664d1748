"""The transfer check: for each end, the Travel Rule rules applied, the IVMS101 data they
demand and what the payload lacks, the counterparty's registration, and the corridor.

Each end is answered under its own jurisdiction's rules; the payload travels once, so it
is complete only when it carries what both ends demand. A self-hosted wallet has no rules
of its own, and its counterparty's rules that concern self-hosted wallets apply (a demand
marked `unhosted_only`). The corridor is blocked when either end prohibits transfer
services on the day. Registration is a fact only a register of firms gives: without one,
the counterparty's status is `unknown`, reason `register`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import replace

from engine.decisions.answers import KeptRates
from engine.decisions.catalogue import regime_on
from engine.decisions.citations import Citations
from engine.decisions.transfer_rules import NO_RULE, THRESHOLD, Applied, apply_rules, travel_rules
from engine.decisions.travel_fields import DEMANDS, Shortfall, shortfalls
from engine.inputs.fx import FxBook, RateUsed
from engine.inputs.transfers import End, RegisteredFirm, Transfer
from engine.results.common import CitationOut, MoneyOut, RatePairOut, ReasonOut
from engine.results.transfer import (
    CounterpartyOut,
    EndOut,
    FieldGroupOut,
    MissingOut,
    PayloadStatus,
    TransferCheck,
    TransferRuleOut,
)
from rulesdsl import ir

ACTIVITY = "transfer"  # the vocabulary's activity for transfer services


class TransferChecker:
    """Checks transfers against one bundle's rules and FX rates."""

    def __init__(self, rules: ir.Bundle, fx: FxBook, rules_hash: str, name: str) -> None:
        """`rules` and `fx` as the bundle holds them; `rules_hash` and `name` are reported."""
        self.jurisdictions = {j.code: j for j in rules.jurisdictions}
        self.fx = fx
        self.rules_hash = rules_hash
        self.name = name
        self._rules = {j.code: travel_rules(j) for j in rules.jurisdictions}
        self._rate_out = KeptRates()
        self._cite = Citations(rules)

    def check(
        self,
        transfer: Transfer,
        register: Sequence[RegisteredFirm] | None = None,
        as_of: dt.date | None = None,
    ) -> TransferCheck:
        """The answer for one transfer under the rules and rates of `as_of` (default: the
        transfer's date); `register`: the firms known licensed (None: none was given)."""
        given = transfer.date
        if as_of is not None and as_of != transfer.date:
            transfer = replace(transfer, date=as_of)
        rates: dict[tuple[str, str], RateUsed] = {}
        ends = [
            self._end(transfer, end, other.unhosted, register, rates)
            for end, other in (transfer.ends, transfer.ends[::-1])
        ]
        blocked = [e.jurisdiction for e in ends if e.regime == "prohibited" and e.jurisdiction]
        return TransferCheck.trusted(
            transfer=transfer.id,
            date=given,
            as_of=transfer.date,
            asset=transfer.asset,
            amount=str(transfer.amount),
            value=_money(transfer.value.currency, str(transfer.value.amount)),
            corridor="blocked" if blocked else "open",
            blocked_by=blocked,
            payload=_worst(e.payload for e in ends),
            ends=ends,
            rates=[self._rate_out(rates[k]) for k in sorted(rates)],
            bundle=self.name,
            rules_hash=self.rules_hash,
            fx_hash=self.fx.hash,
        )

    def _end(
        self,
        transfer: Transfer,
        end: End,
        other_unhosted: bool,
        register: Sequence[RegisteredFirm] | None,
        rates: dict[tuple[str, str], RateUsed],
    ) -> EndOut:
        counterparty = _counterparty(end, transfer, register)
        if end.unhosted or end.jurisdiction is None:
            return EndOut.trusted(
                role=end.role,
                jurisdiction=end.jurisdiction,
                unhosted=True,
                regime="not_recorded",
                payload="complete",
                counterparty=counterparty,
            )
        jurisdiction = self.jurisdictions[end.jurisdiction]
        applied = apply_rules(
            jurisdiction,
            self._rules[end.jurisdiction],
            end.licence,
            transfer.value,
            transfer.date,
            self.fx,
        )
        for line in applied:
            if line.rate is not None:
                rates[(line.rate.source, line.rate.target)] = line.rate
        demanded: dict[str, list[str]] = {}
        known: set[str] = set()  # demands a rule makes of this transfer, not only may make
        obligations: list[str] = []
        for line in applied:
            rule = line.requirement.id if line.requirement else NO_RULE
            for name in line.demands:
                demand = DEMANDS[name]
                if demand.unhosted_only and not other_unhosted:
                    continue
                if demand.obligation is not None and demand.obligation not in obligations:
                    obligations.append(demand.obligation)
                demanded.setdefault(name, []).append(rule)
                known |= {name} if line.status == "demands" else set()
        groups, lacking = shortfalls(demanded, transfer.payload)
        # Lacking only what an unknown rule may demand: whether it is missing is unknown.
        # Carrying it meets the rule whatever its figure turns out to be.
        status: PayloadStatus = (
            "incomplete"
            if any(s.demand in known for s in lacking)
            else "unknown"
            if lacking
            else "complete"
        )
        regime = regime_on(jurisdiction, ACTIVITY, transfer.date)
        return EndOut.trusted(
            role=end.role,
            jurisdiction=end.jurisdiction,
            unhosted=False,
            regime=regime.status if regime else "not_recorded",
            regime_citation=self._cite(end.jurisdiction, regime.citation)
            if regime and regime.citation
            else None,
            rules=[self._rule_out(end.jurisdiction, line) for line in applied],
            required=[
                FieldGroupOut.trusted(
                    demand=name, kind=group.kind, paths=list(paths), requirements=demanded[name]
                )
                for name, group, paths in groups
            ],
            missing=_missing_out(lacking, demanded),
            obligations=obligations,
            payload=status,
            counterparty=counterparty,
        )

    def _rule_out(self, code: str, line: Applied) -> TransferRuleOut:
        requirement = line.requirement
        reasons: list[ReasonOut] = []
        if line.pending_currency is not None:
            reasons.append(
                ReasonOut.trusted(
                    kind="pending_threshold", attribute=THRESHOLD, currency=line.pending_currency
                )
            )
        if line.missing_rate is not None:
            source, target = line.missing_rate
            pair = RatePairOut.model_validate({"from": source, "to": target})
            reasons.append(ReasonOut.trusted(kind="fx_rate", rate=pair))
        if requirement is None:
            return TransferRuleOut.trusted(
                requirement=NO_RULE,
                title=f"No Travel Rule threshold recorded for {code}",
                status="unknown",
                demands=list(line.demands),
                confidence="unconfirmed",
                citation=CitationOut.trusted(
                    instrument="FATF", title="FATF Recommendations", provision="R.16 / INR.16"
                ),
                reasons=reasons,
            )
        value = line.value
        return TransferRuleOut.trusted(
            requirement=requirement.id,
            title=requirement.title,
            status=line.status,
            band=line.band,
            value=_money(value.currency, str(value.amount)) if value is not None else None,
            demands=list(line.demands),
            confidence=requirement.confidence,
            citation=self._cite(code, requirement.citation),
            reasons=reasons,
        )


def _money(currency: str, amount: str) -> MoneyOut:
    return MoneyOut.trusted(amount=amount, currency=currency)


def _missing_out(lacking: Sequence[Shortfall], demanded: dict[str, list[str]]) -> list[MissingOut]:
    """One line per missing path of an `all` group, one per unmet `one_of` group."""
    found: list[MissingOut] = []
    for short in lacking:
        rules = demanded[short.demand]
        if short.kind == "one_of":
            found.append(
                MissingOut.trusted(
                    demand=short.demand, one_of=list(short.paths), requirements=rules
                )
            )
            continue
        found += [
            MissingOut.trusted(demand=short.demand, path=path, requirements=rules)
            for path in short.paths
        ]
    return found


def _worst(statuses: Iterable[PayloadStatus]) -> PayloadStatus:
    found = set(statuses)
    return (
        "incomplete" if "incomplete" in found else "unknown" if "unknown" in found else "complete"
    )


def _counterparty(
    end: End, transfer: Transfer, register: Sequence[RegisteredFirm] | None
) -> CounterpartyOut:
    """Whether the end is a VASP on the register, registered on the transfer's date."""
    if end.unhosted:
        return CounterpartyOut.trusted(status="unhosted")
    if register is None:
        return CounterpartyOut.trusted(
            status="unknown", reasons=[ReasonOut.trusted(kind="register")]
        )
    for firm in register:
        if firm.id != end.firm_id or firm.jurisdiction != end.jurisdiction:
            continue
        if firm.start is not None and transfer.date < firm.start:
            continue
        if firm.end is not None and transfer.date > firm.end:
            return CounterpartyOut.trusted(status="not_licensed", firm=firm.id, until=firm.end)
        return CounterpartyOut.trusted(status="licensed", firm=firm.id)
    return CounterpartyOut.trusted(status="not_licensed")
