"""Engine benchmarks against DESIGN §8: one passport decision with explanations (median µs,
in process; the same question again, and another firm each call), the full matrix for
every bundled jurisdiction and activity (ms), `jawaz passport` cold end to end (s, median
of fresh processes), and parsing speed (MB/s of rule text, 10⁶ bytes)."""

from __future__ import annotations

import copy
import datetime as dt
import shutil
import statistics
import subprocess
import sys
import time
from decimal import Decimal
from pathlib import Path

from engine.bundle import Bundle, load_bundle
from engine.inputs.profiles import Profile, read_profile_data
from rulesdsl.loader import bundled_root, rule_files
from rulesdsl.syntax.parser import parse_source
from rulesdsl.syntax.sources import from_bytes

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "bahrain-exchange.yaml"
AS_OF = dt.date(2026, 11, 22)


def _median_us(action: object, repeat: int, number: int) -> float:
    samples = []
    for _ in range(repeat):
        start = time.perf_counter_ns()
        for _ in range(number):
            action()  # type: ignore[operator]
        samples.append((time.perf_counter_ns() - start) / 1000 / number)
    return statistics.median(samples)


def decision_us(bundle: Bundle) -> dict[str, float]:
    """Median µs of one decision for the example firm into each host."""
    firm = bundle.read_profile(EXAMPLE)
    out = {}
    for host in sorted(bundle.jurisdictions):
        if host == firm.home:
            continue
        bundle.passport(firm, host=host, as_of=AS_OF)  # compile and warm
        out[host] = _median_us(lambda h=host: bundle.passport(firm, host=h, as_of=AS_OF), 7, 300)
    return out


VARIED = 7 * 300  # firms for the varied figure: one per timed call


def varied_firms(bundle: Bundle, count: int = VARIED) -> list[Profile]:
    """The example firm `count` times, its paid-up capital different each time (validated
    before timing), so that no two timed calls ask with the same figures."""
    data = read_profile_data(EXAMPLE)
    base = Decimal(data["attributes"]["paid_up_capital"]["amount"])
    firms = []
    for index in range(count):
        varied = copy.deepcopy(data)
        amount = base + Decimal(index) / 1000 - Decimal(count) / 2000  # ± the count / 2000
        varied["attributes"]["paid_up_capital"]["amount"] = str(amount)
        firms.append(bundle.profile(varied))
    return firms


def varied_decision_us(bundle: Bundle) -> dict[str, float]:
    """Median µs of one decision per host as in `decision_us`, but each call for another
    firm (the example with its capital varied): explanations and lines that read the
    capital are worked out anew, so what is kept of identical inputs is not all that is
    timed."""
    firms = varied_firms(bundle)
    home = firms[0].home
    out = {}
    for host in sorted(bundle.jurisdictions):
        if host == home:
            continue
        bundle.passport(firms[0], host=host, as_of=AS_OF)  # compile and warm
        calls = iter(firms)
        out[host] = _median_us(
            lambda h=host, c=calls: bundle.passport(next(c), host=h, as_of=AS_OF), 7, VARIED // 7
        )
    return out


def matrix_ms(bundle: Bundle) -> tuple[float, dict[str, float]]:
    """ms for the full matrix, every activity in turn on one fresh bundle (nothing cached
    beforehand), and the ms each activity took within it."""
    fresh = Bundle(bundle.ir)
    by_activity = {}
    for activity in (a.id for a in bundle.ir.vocabulary.activities):
        start = time.perf_counter_ns()
        fresh.matrix(activity, as_of=AS_OF)
        by_activity[activity] = (time.perf_counter_ns() - start) / 1e6
    return sum(by_activity.values()), by_activity


def cold_cli_s(runs: int = 7) -> float:
    """Median wall seconds of `jawaz passport EXAMPLE --to MY --format json`, fresh processes."""
    beside = Path(sys.executable).parent / "jawaz"  # the jawaz of this environment
    jawaz = str(beside) if beside.exists() else (shutil.which("jawaz") or "jawaz")
    command = [jawaz, "passport", str(EXAMPLE), "--to", "MY", "--format", "json"]
    command += ["--as-of", str(AS_OF)]
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(command, check=True, capture_output=True)
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


def parse_mb_per_s() -> float:
    """MB/s (10⁶ bytes) parsing every bundled rule file (vetting included), best of 5."""
    texts = [p.read_bytes() for p in rule_files(bundled_root())]
    size = sum(len(t) for t in texts) / 1e6
    best = float("inf")
    for _ in range(5):
        start = time.perf_counter()
        for index, data in enumerate(texts):
            vetted = from_bytes(f"f{index}", data)
            assert not hasattr(vetted, "code")
            parse_source(vetted)  # type: ignore[arg-type]
        best = min(best, time.perf_counter() - start)
    return size / best


def run() -> dict[str, object]:
    """Every engine figure."""
    bundle = load_bundle()
    decisions = decision_us(bundle)
    varied = varied_decision_us(bundle)
    matrix_total, matrices = matrix_ms(bundle)
    return {
        "decision_us_median": statistics.median(decisions.values()),
        "decision_us_by_host": decisions,
        "varied_decision_us_median": statistics.median(varied.values()),
        "varied_decision_us_by_host": varied,
        "matrix_ms": matrix_total,
        "matrix_ms_by_activity": matrices,
        "cold_cli_s": cold_cli_s(),
        "parse_mb_per_s": parse_mb_per_s(),
    }


if __name__ == "__main__":
    import json

    print(json.dumps(run(), indent=2))
