"""The passport matrix: for one activity and framework, what each home licence buys in
each host, evaluated for the minimum-compliant licensee of that licence."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from engine.decisions.answers import fx_warnings
from engine.decisions.catalogue import licensing_licences
from engine.decisions.synthesis import minimum_licensee
from engine.inputs.profiles import Profile
from engine.results import (
    Decision,
    FrameworkOut,
    MatrixCell,
    MatrixReport,
    MatrixResult,
    MatrixRow,
    RateOut,
)
from rulesdsl import ir

# Asks the passport question for one profile and host, with the matrix's activity, date,
# framework and backend already fixed by the caller.
AskHost = Callable[[Profile, str], Decision]


def _cell(decision: Decision) -> MatrixCell:
    counts = decision.counts
    return MatrixCell.trusted(
        home=decision.home,
        host=decision.host,
        home_licence=decision.home_licence,
        route=decision.route,
        verdict=decision.verdict,
        host_licence=decision.host_licence,
        unmet=counts.unmet,
        not_covered=counts.not_covered,
        unknown=counts.unknown,
        deemed_met=counts.deemed_met,
        waived=counts.waived,
        met=counts.met,
    )


def build_matrix(
    rules: ir.Bundle,
    activity: str,
    day: dt.date,
    framework: FrameworkOut | None,
    ask: AskHost,
    hashes: tuple[str, str, str],
) -> MatrixReport:
    """Every cell H → J, one row per licence of each home that licenses `activity` on `day`,
    with the decision behind each cell (asked through `ask`, so with the caller's backend);
    `hashes` are the bundle's name and the rules and FX hashes the answer carries."""
    bundle_name, rules_hash, fx_hash = hashes
    codes = sorted(j.code for j in rules.jurisdictions)
    homes: list[str] = []
    rows: list[MatrixRow] = []
    pairs: list[Decision] = []
    for home in sorted(rules.jurisdictions, key=lambda j: j.code):
        licences = licensing_licences(home, activity, day)
        if licences:
            homes.append(home.code)
        for licence in licences:
            rows.append(MatrixRow.trusted(home=home.code, home_licence=licence.id))
            profile = minimum_licensee(rules, home, licence, activity, day)
            pairs += [ask(profile, host) for host in codes if host != home.code]
    rates: dict[tuple[str, str, str], RateOut] = {}
    for decision in pairs:
        for rate in decision.fx_rates:
            rates[(rate.source, rate.target, str(rate.table_date))] = rate
    # Every part is of its declared type by construction: no validation (which would walk
    # every cell and rate again).
    matrix = MatrixResult.trusted(
        activity=activity,
        as_of=day,
        framework=framework,
        homes=homes,
        rows=rows,
        hosts=codes,
        cells=[_cell(d) for d in pairs],
        fx_rates=[rates[k] for k in sorted(rates)],
        fx_warnings=fx_warnings(list(rates.values()), day),
        bundle=bundle_name,
        rules_hash=rules_hash,
        fx_hash=fx_hash,
    )
    return MatrixReport.trusted(matrix=matrix, pairs=pairs)
