"""Run the in-process benchmarks once and print each DESIGN §8 bar they measure, with its
target and whether this run met it.

    .venv/bin/python benchmarks/run.py            # a few seconds
    .venv/bin/python benchmarks/run.py --records 2000   # quicker, noisier

Figures move ±25 % between runs on a shared 2-core machine: the requirement-evaluation bar
is a ratio against a baseline timed in the same run for that reason. The HTTP bars are
measured by `bench_api.py` (a server in a subprocess), not here.
"""

from __future__ import annotations

import argparse
import operator
import platform
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import bench_engine
import bench_requirements
import bench_transfers


@dataclass(frozen=True)
class Bar:
    """One quality bar of DESIGN §8 and this run's figure for it."""

    name: str
    value: float
    unit: str
    target: float
    within: Callable[[float, float], bool]  # operator.le: at most the target; ge: at least
    detail: str = ""

    @property
    def met(self) -> bool:
        return self.within(self.value, self.target)

    def row(self, width: int) -> str:
        sign = "≤" if self.within is operator.le else "≥"
        mark = "met" if self.met else "MISSED"
        figure = f"{self.value:,.2f} {self.unit}"
        target = f"{sign} {self.target:g} {self.unit}"
        line = f"{self.name:<{width}}  {figure:>12}  target {target:<12}  {mark}"
        return line + (f"\n{'':<{width}}  {self.detail}" if self.detail else "")


def number(figures: dict[str, object], key: str) -> float:
    value = figures[key]
    assert isinstance(value, int | float), key
    return float(value)


def bars(
    evaluation: dict[str, float], engine: dict[str, object], transfers: dict[str, float]
) -> list[Bar]:
    """The bars, from one run's figures."""
    by_activity = engine["matrix_ms_by_activity"]
    assert isinstance(by_activity, dict)
    slowest = max(by_activity, key=by_activity.__getitem__)
    return [
        Bar(
            "requirement evaluation, passport path (40 reqs)",
            evaluation["ratio"],
            "×",
            bench_requirements.TARGET_RATIO,
            operator.le,
            f"{evaluation['jawaz_us']:.2f} µs per record against the baseline's "
            f"{evaluation['baseline_us']:.2f} µs; the compiled status function alone "
            f"{evaluation['compiled_us']:.2f} µs = {evaluation['compiled_ratio']:.2f}×",
        ),
        Bar(
            "passport decision with explanations (median over hosts)",
            number(engine, "decision_us_median"),
            "µs",
            20,
            operator.le,
        ),
        Bar(
            "the same, a firm with another capital each call",
            number(engine, "varied_decision_us_median"),
            "µs",
            20,
            operator.le,
        ),
        Bar(
            "full matrix, every jurisdiction and activity",
            number(engine, "matrix_ms"),
            "ms",
            100,
            operator.le,
            f"{len(by_activity)} activities, slowest {slowest} {by_activity[slowest]:.1f} ms",
        ),
        Bar(
            "`jawaz passport` cold, end to end",
            number(engine, "cold_cli_s"),
            "s",
            0.4,
            operator.le,
        ),
        Bar(
            "transfer checks in process",
            transfers["checks_per_s"],
            "/s",
            100_000,
            operator.ge,
            f"{transfers['baseline_ratio']:.0f}× a hand-written check of one corridor "
            f"({transfers['baseline_per_s']:,.0f}/s); reading and validating IVMS101 too: "
            f"{transfers['read_and_check_per_s']:,.0f}/s",
        ),
        Bar(
            "parsing the bundled rules",
            number(engine, "parse_mb_per_s"),
            "MB/s",
            1,
            operator.ge,
        ),
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--records", type=int, default=10_000)
    parser.add_argument("--passes", type=int, default=5)
    args = parser.parse_args()
    print(f"Python {platform.python_version()} on {platform.machine()}, {platform.node()}")
    evaluation = bench_requirements.run(args.records, args.passes)
    engine = bench_engine.run()
    rows = bars(evaluation, engine, bench_transfers.run())
    width = max(len(r.name) for r in rows)
    for row in rows:
        print(row.row(width))
    by_host = engine["decision_us_by_host"]
    assert isinstance(by_host, dict)
    print("decision µs by host: " + ", ".join(f"{h} {v:.0f}" for h, v in sorted(by_host.items())))
    varied = engine["varied_decision_us_by_host"]
    assert isinstance(varied, dict)
    print("varied firms, by host: " + ", ".join(f"{h} {v:.0f}" for h, v in sorted(varied.items())))
    missed = [r.name for r in rows if not r.met]
    summary = f"{len(rows) - len(missed)} of {len(rows)} bars met"
    print(summary + (f"; missed: {', '.join(missed)}" if missed else ""))


if __name__ == "__main__":
    main()
