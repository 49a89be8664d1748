"""Running the real `jawaz` command in a fresh process, for the CLI tests."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def jawaz(
    *args: str, cwd: Path = REPO, env: Mapping[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """Run the `jawaz` console script (or the module) in a fresh process; no traceback may
    appear in its output, whatever the exit status. `env` adds to (or, with an empty value,
    removes from) the environment."""
    script = Path(sys.executable).with_name("jawaz")
    command = [str(script)] if script.exists() else [sys.executable, "-m", "engine.interfaces.cli"]
    environment = {**os.environ, **(env or {})}
    environment = {key: value for key, value in environment.items() if value}
    result = subprocess.run(
        [*command, *args],
        cwd=cwd,
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert "Traceback" not in result.stdout + result.stderr, result.stderr
    return result
