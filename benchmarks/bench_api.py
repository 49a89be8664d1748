"""HTTP API throughput and latency on loopback, with the decision log on (not a test).

Starts `jawaz serve` in a subprocess with a temporary SQLite log, sends passport requests
(examples/bahrain-exchange.yaml → MY) from a few client threads, and prints decisions per
second and p50/p99 latency. Every answer is committed to the log before it is sent, so the
figures include an fsync per decision.

    python benchmarks/bench_api.py [--requests 2000] [--threads 4] [--workers 1]
"""

from __future__ import annotations

import argparse
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import httpx
import yaml

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    """A loopback port nobody is listening on."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def wait_ready(url: str, seconds: float = 20) -> None:
    """Return once /healthz answers, or fail after `seconds`."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{url}/healthz", timeout=1).status_code == 200:
                return
        except httpx.TransportError:
            time.sleep(0.05)
    raise SystemExit("jawaz serve did not start")


def run(requests: int, threads: int, workers: int) -> dict[str, float]:
    """Measure one run; returns decisions/s and latency percentiles in ms."""
    profile = yaml.safe_load((ROOT / "examples" / "bahrain-exchange.yaml").read_text())
    body: dict[str, Any] = {"profile": profile, "host": "MY", "as_of": "2026-11-22"}
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    with tempfile.TemporaryDirectory() as folder:
        command = [sys.executable, "-m", "engine.interfaces.cli", "serve", "--port", str(port)]
        command += ["--db", str(Path(folder) / "log.sqlite3"), "--workers", str(workers)]
        server = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            wait_ready(url)
            with httpx.Client(base_url=url, timeout=30) as http:

                def one(_: int) -> float:
                    start = time.perf_counter()
                    response = http.post("/v1/passport", json=body)
                    response.raise_for_status()
                    return time.perf_counter() - start

                for _ in range(50):  # warm up connections and the compiled rules
                    one(0)
                started = time.perf_counter()
                with ThreadPoolExecutor(threads) as pool:
                    latencies = sorted(pool.map(one, range(requests)))
                elapsed = time.perf_counter() - started
        finally:
            server.kill()
            server.wait(timeout=10)
    return {
        "decisions_per_s": requests / elapsed,
        "p50_ms": statistics.median(latencies) * 1000,
        "p99_ms": latencies[int(0.99 * (len(latencies) - 1))] * 1000,
    }


def main() -> None:
    """Parse options, run, print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--workers", type=int, default=1)
    options = parser.parse_args()
    figures = run(options.requests, options.threads, options.workers)
    print(
        f"HTTP passport, log on ({options.requests} requests, {options.threads} client threads, "
        f"{options.workers} server worker(s)): {figures['decisions_per_s']:.0f} decisions/s, "
        f"p50 {figures['p50_ms']:.2f} ms, p99 {figures['p99_ms']:.2f} ms"
    )


if __name__ == "__main__":
    main()
