"""A non-editable install must carry the grammar and the bundled rules."""

from __future__ import annotations

import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _build_wheel(out: Path) -> Path:
    # Build from a clean copy: a `build/` folder left by an earlier install could still hold
    # files deleted since, and the wheel would ship them.
    source = out.parent / "source"
    shutil.copytree(
        ROOT,
        source,
        ignore=shutil.ignore_patterns(
            ".git", ".venv", "build", "site", "*.egg-info", "__pycache__"
        ),
    )
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-q",
            "-w",
            str(out),
            str(ROOT),
        ],
        check=True,
        capture_output=True,
    )
    return next(out.glob("jawaz-*.whl"))


def test_wheel_contains_data_and_loads_bundle(tmp_path: Path) -> None:
    """The wheel holds the grammar, py.typed and every bundled .rules file, and the
    bundle loads from the unpacked wheel with the source tree out of reach."""
    wheel = _build_wheel(tmp_path / "dist")
    names = set(zipfile.ZipFile(wheel).namelist())
    bundled = {str(p.relative_to(ROOT)) for p in (ROOT / "jurisdictions").rglob("*.rules")}
    assert "rulesdsl/syntax/grammar/jawaz.lark" in names
    assert {"rulesdsl/py.typed", "engine/py.typed"} <= names
    assert bundled and bundled <= names

    unpacked = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(unpacked)
    probe = (
        "import rulesdsl, sys; from rulesdsl.loader import load_bundle;"
        "b = load_bundle(); print(rulesdsl.__file__); print(len(b.jurisdictions))"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe],
        cwd=tmp_path,
        env={"PYTHONPATH": str(unpacked), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        check=True,
    )
    module_file, jurisdictions = result.stdout.split()
    assert module_file.startswith(str(unpacked))
    assert int(jurisdictions) >= 1


def test_cases_and_coverage_run_from_the_unpacked_wheel(tmp_path: Path) -> None:
    """`jawaz test --coverage` after a non-editable install: every case's profile ships in
    the bundle (`jurisdictions/profiles/`), so no case reaches for the source tree."""
    wheel = _build_wheel(tmp_path / "dist")
    unpacked = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(unpacked)
    result = subprocess.run(
        [sys.executable, "-m", "engine.interfaces.cli", "test", "--coverage"],
        cwd=tmp_path,
        env={"PYTHONPATH": str(unpacked), "PATH": "/usr/bin:/bin", "HOME": str(tmp_path)},
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
    assert " 0 failed (jurisdictions)" in result.stdout
    assert "not exercised" not in result.stdout
