"""Dependency rules of DESIGN §7 that this layout relies on, read from the source."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ENGINE = Path(__file__).resolve().parents[1] / "engine"


def imported(path: Path) -> set[str]:
    """Every module `path` imports, at any level (TYPE_CHECKING blocks included)."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
            found |= {f"{node.module}.{alias.name}" for alias in node.names}
    return found


def project(modules: set[str]) -> set[str]:
    return {m for m in modules if m.split(".")[0] in ("engine", "rulesdsl")}


@pytest.mark.parametrize("path", sorted((ENGINE / "presentation").glob("*.py")), ids=str)
def test_presentation_imports_only_results_and_ir(path: Path) -> None:
    allowed = ("engine.results", "engine.presentation", "rulesdsl.ir")
    # `from rulesdsl import ir` reads as `rulesdsl` and `rulesdsl.ir`: both fine.
    outside = {m for m in project(imported(path)) if m != "rulesdsl" and not m.startswith(allowed)}
    assert outside == set()


@pytest.mark.parametrize("path", sorted((ENGINE / "decisions").glob("*.py")), ids=str)
def test_decisions_never_import_the_facade_or_interfaces(path: Path) -> None:
    modules = project(imported(path))
    assert not {m for m in modules if m.startswith(("engine.bundle", "engine.interfaces"))}
