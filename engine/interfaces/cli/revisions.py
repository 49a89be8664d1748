"""The base of `jawaz diff --base`: a folder of rules, or a git reference read from the
repository that holds the current rules (`git archive`, into a temporary folder)."""

from __future__ import annotations

import io
import subprocess
import tarfile
import tempfile
from pathlib import Path

from engine.errors import EngineError


def _git(repository: Path, *arguments: str) -> subprocess.CompletedProcess[bytes]:
    try:
        return subprocess.run(
            ["git", "-C", str(repository), *arguments], capture_output=True, check=False
        )
    except OSError as error:  # no git on this machine
        raise EngineError(f"cannot run git ({error.strerror})", "base") from None


def base_folder(base: str, current: Path, into: Path) -> Path:
    """The folder of the base rules: `base` itself where it is a folder, else the rules
    at the same place as `current` in git revision `base`, extracted below `into`.

    Raises:
        EngineError: `base` is neither a folder nor a revision of the repository holding
            `current`, or that revision has no rules there.
    """
    given = Path(base)
    if given.is_dir():
        return given
    found = _git(current, "rev-parse", "--show-toplevel")
    if found.returncode != 0:
        raise EngineError(
            f"{base!r}: no such folder, and the rules ({current}) are not in a git "
            "repository to read a revision from",
            "base",
        )
    top = Path(found.stdout.decode().strip()).resolve()
    inside = current.resolve().relative_to(top).as_posix()
    if _git(top, "rev-parse", "--verify", "--quiet", f"{base}^{{commit}}").returncode != 0:
        raise EngineError(f"{base!r}: no such folder, and no such revision in {top}", "base")
    if not _git(top, "ls-files", "--", f"{inside}/vocabulary.rules").stdout.strip():
        # An installed bundle (site-packages inside a virtual environment in the clone) is
        # below the repository but not in its history: its revisions cannot be read.
        raise EngineError(
            f"the rules ({current}) are not tracked in {top}, so they have no revisions to "
            "compare against; name the tracked rules folder with --rules (e.g. --rules "
            "jurisdictions)",
            "base",
        )
    tree = base if inside == "." else f"{base}:{inside}"
    archived = _git(top, "archive", "--format=tar", tree)
    if archived.returncode != 0:
        raise EngineError(f"revision {base!r} has no {inside} folder", "base")
    with tarfile.open(fileobj=io.BytesIO(archived.stdout)) as archive:
        archive.extractall(into, filter="data")  # no links out, no absolute paths
    return into


def temporary_folder() -> tempfile.TemporaryDirectory[str]:
    """A folder for an extracted base, removed when the command ends."""
    return tempfile.TemporaryDirectory(prefix="jawaz-base-")
