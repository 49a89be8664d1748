"""The passport matrix: for one activity and framework, what each home licence buys in
each host, evaluated for the minimum-compliant home licensee."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from engine.decisions.passport import regime_on
from engine.decisions.synthesis import minimum_licensee
from engine.results import MatrixCell, MatrixResult, RateOut

if TYPE_CHECKING:
    from engine.bundle import Bundle


def build_matrix(
    bundle: Bundle, activity: str, day: dt.date, framework: str | None, backend: str = "fast"
) -> MatrixResult:
    """Every cell H → J for the homes that license `activity` on `day`."""
    homes = []
    cells = []
    rates: dict[tuple[str, str, str], RateOut] = {}
    codes = sorted(bundle.jurisdictions)
    framework_out = None
    for home_code in codes:
        home = bundle.jurisdictions[home_code]
        regime = regime_on(home, activity, day)
        licence = next((lic for lic in home.licences if activity in lic.activities), None)
        if regime is None or regime.status != "licensed" or licence is None:
            continue
        homes.append(home_code)
        profile = minimum_licensee(bundle.ir, home, licence, activity, day)
        for host in codes:
            if host == home_code:
                continue
            decision = bundle.passport(
                profile,
                host=host,
                activity=activity,
                as_of=day,
                framework=framework,
                backend=backend,
            )
            framework_out = decision.framework
            for rate in decision.fx_rates:
                rates[(rate.source, rate.target, str(rate.table_date))] = rate
            counts = decision.counts
            cells.append(
                MatrixCell(
                    home=home_code,
                    host=host,
                    home_licence=licence.id,
                    route=decision.route,
                    verdict=decision.verdict,
                    host_licence=decision.host_licence,
                    unmet=counts.unmet,
                    unknown=counts.unknown,
                    deemed_met=counts.deemed_met,
                    met=counts.met,
                )
            )
    if framework_out is None:
        chosen, _ = bundle.framework(framework)
        from engine.decisions.answers import framework_out as describe_framework

        framework_out = describe_framework(chosen)
    return MatrixResult(
        activity=activity,
        as_of=day,
        framework=framework_out,
        homes=homes,
        hosts=codes,
        cells=cells,
        fx_rates=[rates[k] for k in sorted(rates)],
        rules_hash=bundle.rules_hash,
        fx_hash=bundle.fx.hash,
    )
