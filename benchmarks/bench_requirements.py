"""Requirement evaluation on the peer workload: Jawaz's fast path against the hand-written
generated-code baseline, in the same process and run (DESIGN §8: within 2×).

Both produce the list of failed requirement ids for each of N seeded records; every list is
checked against the baseline's. Reported: median µs per record over several full passes,
and the ratio. Run: `python benchmarks/run.py` (or this file alone).
"""

from __future__ import annotations

import datetime as dt
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import peer_rules
import workload

from engine.evaluation.fast import NO_CONVERSIONS, FastBackend, money_values
from engine.evaluation.reference import Context
from engine.inputs.fx import FxBook
from rulesdsl.loader import load_bundle


def jawaz_evaluator(sample: dict[str, Any]) -> Callable[[dict[str, Any]], list[str]]:
    """Compile the 40 requirements with the fast path; returns record facts → failed ids."""
    with tempfile.TemporaryDirectory() as folder:
        (Path(folder) / "vocabulary.rules").write_text(peer_rules.rules_text(sample))
        bundle = load_bundle(Path(folder))
    host = bundle.jurisdictions[0]
    requirements = host.requirements
    money = [a.name for a in bundle.vocabulary.attributes if a.type.kind == "money"]
    compiled = FastBackend(money).compiled(requirements, host.currency)
    # Amounts are all in USD here, so no conversion runs; the context is only its holder.
    ctx = Context({}, dt.date(2026, 11, 22), FxBook((), {"USD": 2}), "USD", {"USD": 2})
    failed, needs = compiled.failed, compiled.needs
    assert failed is not None  # no pending thresholds in this workload

    def evaluate(facts: dict[str, Any]) -> list[str]:
        try:
            return failed(facts, NO_CONVERSIONS)
        except KeyError:  # amounts in another currency (never, in this workload)
            return failed(facts, money_values(facts, needs, ctx))

    return evaluate


def timed_passes(
    function: Callable[[Any], list[str]], inputs: list[Any], passes: int
) -> list[float]:
    """µs per input for each full pass."""
    results = []
    for _ in range(passes):
        start = time.perf_counter_ns()
        for item in inputs:
            function(item)
        results.append((time.perf_counter_ns() - start) / 1000 / len(inputs))
    return results


def run(records: int = 10_000, passes: int = 5) -> dict[str, float]:
    """Measure both; raises if any failed-list differs."""
    data = workload.gen_records(records)
    facts = [peer_rules.facts(r) for r in data]
    baseline = workload.build_python_codegen()
    jawaz = jawaz_evaluator(data[0])
    wrong = sum(1 for r, f in zip(data, facts, strict=True) if baseline(r) != jawaz(f))
    if wrong:
        raise SystemExit(f"{wrong} of {records} failed-lists differ from the baseline")
    warm = min(1000, records)
    timed_passes(baseline, data[:warm], 1)
    timed_passes(jawaz, facts[:warm], 1)
    base = statistics.median(timed_passes(baseline, data, passes))
    ours = statistics.median(timed_passes(jawaz, facts, passes))
    return {"records": records, "baseline_us": base, "jawaz_us": ours, "ratio": ours / base}


if __name__ == "__main__":
    result = run()
    print(
        f"requirement evaluation, {result['records']:,} records × 40: "
        f"baseline {result['baseline_us']:.2f} µs, Jawaz fast path {result['jawaz_us']:.2f} µs, "
        f"ratio {result['ratio']:.2f}× (target ≤ 2×)"
    )
