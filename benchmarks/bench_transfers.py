"""Transfer checks per second in process (DESIGN §8: ≥ 100,000/s on the fast path).

    .venv/bin/python benchmarks/bench_transfers.py

Times `TransferChecker.check` on the example transfers (read and validated once), then
reading and validating them against IVMS101 as well, and, in the same run, a baseline: a
hand-written check of one fixed corridor (a threshold compare and the presence of the
baseline's IVMS101 paths), the least any check could do. Figures move ±25 % between runs;
the ratio against the baseline is the steadier figure.
"""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from engine import load_bundle  # noqa: E402
from engine.decisions.transfers import TransferChecker  # noqa: E402
from engine.inputs.transfers import read_transfer  # noqa: E402

EXAMPLES = ROOT / "examples" / "transfers"


def _per_second(action: Callable[[], object], items: int, seconds: float = 1.0) -> float:
    """Best of three passes of at least `seconds` / 3 each: checks per second."""
    best = 0.0
    for _ in range(3):
        done, start = 0, time.perf_counter()
        while (elapsed := time.perf_counter() - start) < seconds / 3:
            action()
            done += items
        best = max(best, done / elapsed)
    return best


def _baseline(data: list[dict[str, Any]]) -> Callable[[], object]:
    """A hand-written check: value at or above zero, names and accounts present."""

    def check() -> object:
        found = []
        for transfer in data:
            payload = transfer["ivms101"]
            demanded = Decimal(transfer["value"]["amount"]) >= 0
            person = payload["originator"]["originatorPersons"][0]["naturalPerson"]
            has = (
                bool(person["name"]["nameIdentifier"][0].get("primaryIdentifier"))
                and bool(payload["originator"].get("accountNumber"))
                and bool(payload["beneficiary"].get("accountNumber"))
            )
            found.append(demanded and has)
        return found

    return check


def run() -> dict[str, float]:
    """The figures: checks/s (read once), checks/s with reading, baseline, ratio."""
    bundle = load_bundle()
    checker = TransferChecker(bundle.ir, bundle.fx, bundle.rules_hash, bundle.name)
    data = [json.loads(p.read_text()) for p in sorted(EXAMPLES.glob("*.json"))]
    transfers = [read_transfer(d, bundle.jurisdictions) for d in data]

    def checks() -> object:
        return [checker.check(t) for t in transfers]

    def reads_and_checks() -> object:
        return [checker.check(read_transfer(d, bundle.jurisdictions)) for d in data]

    checks()  # the FX factors are cached after their first use, as in a server
    checked = _per_second(checks, len(transfers))
    with_reading = _per_second(reads_and_checks, len(data))
    baseline = _per_second(_baseline(data), len(data))
    return {
        "checks_per_s": checked,
        "read_and_check_per_s": with_reading,
        "baseline_per_s": baseline,
        "baseline_ratio": baseline / checked,
    }


if __name__ == "__main__":
    for key, value in run().items():
        print(f"{key}: {value:,.1f}")
