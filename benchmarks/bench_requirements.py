"""Requirement evaluation on the peer workload, in the path the passport decision runs,
against the hand-written generated-code baseline in the same process and run (DESIGN §8:
within 1.5×).

What is timed for Jawaz is the call the decider makes for each licence
(`engine/decisions/passport.py`, `Decider.evaluate_licence`): `statuses(requirements, ctx)`
with the bundle's `FastBackend`, the applicable requirement tuple and one evaluation
context per firm. That call finds the compiled list, converts money if any amount is in
another currency, runs the compiled status function and hands any requirement it cannot
decide to the reference evaluator. The baseline is one generated function of 40 inline
checks over a plain dict returning the failed ids. Before timing, every record's unmet ids
are checked against the baseline's failed list, and the workload is checked to stay on the
compiled path (no requirement handed over). Also reported, without a target: the compiled
status function alone, to show what the call adds around it.

Run: `python benchmarks/run.py` (or this file alone).
"""

from __future__ import annotations

import datetime as dt
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import peer_rules
import workload

from engine.evaluation.fast import NO_CONVERSIONS, FastBackend
from engine.evaluation.reference import Context
from engine.inputs.fx import FxBook
from rulesdsl import ir
from rulesdsl.loader import load_bundle

AS_OF = dt.date(2026, 11, 22)
TARGET_RATIO = 1.5


def peer_host(sample: dict[str, Any]) -> tuple[ir.Bundle, ir.Jurisdiction]:
    """The peer workload's vocabulary and host XA, through the real loader and checker."""
    with tempfile.TemporaryDirectory() as folder:
        (Path(folder) / "vocabulary.rules").write_text(peer_rules.rules_text(sample))
        bundle = load_bundle(Path(folder))
    (host,) = bundle.jurisdictions
    return bundle, host


def contexts(bundle: ir.Bundle, host: ir.Jurisdiction, facts: list[Any]) -> list[Context]:
    """One evaluation context per firm, as the decider builds them (all amounts in USD)."""
    minor_units = {c.code: c.minor_units for c in bundle.vocabulary.currencies}
    fx = FxBook(bundle.fx, minor_units)
    return [Context(f, AS_OF, fx, host.currency, minor_units) for f in facts]


def unmet(statuses: Sequence[str], ids: Sequence[str]) -> list[str]:
    """The ids whose status is unmet, in list order (the baseline's output)."""
    return [rid for rid, status in zip(ids, statuses, strict=True) if status == "unmet"]


def timed_passes(function: Callable[[Any], object], inputs: list[Any], passes: int) -> list[float]:
    """µs per input for each full pass."""
    results = []
    for _ in range(passes):
        start = time.perf_counter_ns()
        for item in inputs:
            function(item)
        results.append((time.perf_counter_ns() - start) / 1000 / len(inputs))
    return results


def run(records: int = 10_000, passes: int = 5) -> dict[str, float]:
    """Measure the baseline, the decider's backend call and the compiled function alone;
    raises if any record's answer differs from the baseline's."""
    data = workload.gen_records(records)
    facts = [peer_rules.facts(r) for r in data]
    bundle, host = peer_host(data[0])
    money = [a.name for a in bundle.vocabulary.attributes if a.type.kind == "money"]
    backend = FastBackend(money)
    # The decider passes one tuple per licence and date, found again by identity.
    requirements = tuple(host.requirements)
    ids = [r.id for r in requirements]
    status_function = backend.compiled(requirements, host.currency).quick
    baseline = workload.build_python_codegen()

    check = contexts(bundle, host, facts)
    for record, ctx in zip(data, check, strict=True):
        if unmet(backend(requirements, ctx), ids) != baseline(record):
            raise SystemExit(f"record {record['licence_id']}: unmet ids differ from the baseline")
        if None in status_function(ctx.facts, NO_CONVERSIONS):
            raise SystemExit(f"record {record['licence_id']}: left the compiled path")

    def decider_call(ctx: Context) -> object:
        return backend(requirements, ctx)

    def compiled_only(record_facts: dict[str, object]) -> object:
        return status_function(record_facts, NO_CONVERSIONS)

    fresh = contexts(bundle, host, facts)  # unused by the checks above: as in a decision
    warm = min(1000, records)
    timed_passes(baseline, data[:warm], 1)
    timed_passes(decider_call, fresh[:warm], 1)
    timed_passes(compiled_only, facts[:warm], 1)
    base = statistics.median(timed_passes(baseline, data, passes))
    ours = statistics.median(timed_passes(decider_call, fresh, passes))
    alone = statistics.median(timed_passes(compiled_only, facts, passes))
    return {
        "records": records,
        "baseline_us": base,
        "jawaz_us": ours,
        "ratio": ours / base,
        "compiled_us": alone,
        "compiled_ratio": alone / base,
    }


if __name__ == "__main__":
    result = run()
    print(
        f"requirement evaluation, {result['records']:,} records × 40: "
        f"baseline {result['baseline_us']:.2f} µs, decider's fast-backend call "
        f"{result['jawaz_us']:.2f} µs = {result['ratio']:.2f}× (target ≤ {TARGET_RATIO}×); "
        f"compiled status function alone {result['compiled_us']:.2f} µs "
        f"= {result['compiled_ratio']:.2f}×"
    )
