"""Running the real `jawaz` command in a fresh process, for the CLI tests."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def jawaz(*args: str, cwd: Path = REPO) -> subprocess.CompletedProcess[str]:
    """Run the `jawaz` console script (or the module) in a fresh process; no traceback may
    appear in its output, whatever the exit status."""
    script = Path(sys.executable).with_name("jawaz")
    command = [str(script)] if script.exists() else [sys.executable, "-m", "engine.interfaces.cli"]
    result = subprocess.run(
        [*command, *args], cwd=cwd, capture_output=True, text=True, timeout=60, check=False
    )
    assert "Traceback" not in result.stdout + result.stderr, result.stderr
    return result
