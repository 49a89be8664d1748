"""Run every benchmark and print the figures against DESIGN §8.

    .venv/bin/python benchmarks/run.py            # about a minute
    .venv/bin/python benchmarks/run.py --records 2000   # quicker, noisier

Figures move ±25 % between runs on a shared 2-core machine; compare ratios within one run.
"""

from __future__ import annotations

import argparse
import platform
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import bench_engine
import bench_requirements


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--records", type=int, default=10_000)
    parser.add_argument("--passes", type=int, default=5)
    args = parser.parse_args()
    print(f"Python {platform.python_version()} on {platform.machine()}, {platform.node()}")
    evaluation = bench_requirements.run(args.records, args.passes)
    engine = bench_engine.run()
    rows = [
        (
            "requirement evaluation (40 reqs, failed list)",
            f"{evaluation['jawaz_us']:.2f} µs vs baseline {evaluation['baseline_us']:.2f} µs "
            f"= {evaluation['ratio']:.2f}×",
            "≤ 2× baseline",
        ),
        (
            "passport decision with explanations (median over hosts)",
            f"{engine['decision_us_median']:.1f} µs",
            "≤ 25 µs",
        ),
        ("full matrix, slowest activity", f"{engine['matrix_ms_max']:.1f} ms", "≤ 100 ms"),
        ("`jawaz passport` cold, end to end", f"{engine['cold_cli_s']:.3f} s", "≤ 0.5 s"),
        ("parsing", f"{engine['parse_kb_per_s']:.0f} KB/s", "≥ 500 KB/s"),
    ]
    width = max(len(r[0]) for r in rows)
    for name, value, target in rows:
        print(f"{name:<{width}}  {value:<40}  target {target}")
    by_host = engine["decision_us_by_host"]
    assert isinstance(by_host, dict)
    print("decision µs by host: " + ", ".join(f"{h} {v:.0f}" for h, v in sorted(by_host.items())))


if __name__ == "__main__":
    main()
