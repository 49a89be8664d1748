"""The layout and dependency rules of DESIGN §7 that import-linter cannot express: no import
cycle (TYPE_CHECKING and function-level imports included), the folder tree, module size.

The import graph comes from grimp (the library under import-linter), which reads every
`import` statement of the source, wherever it is: inside functions and under
`if TYPE_CHECKING:` too (the first test holds it to that).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from itertools import pairwise
from pathlib import Path

import grimp
import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("rulesdsl", "engine")

# Cycles that exist today and are being removed; the lead empties this after merging the
# change that removes them. A listed cycle that no longer exists fails the test, so the
# list cannot go stale; a cycle not covered by an entry fails it too.
KNOWN_CYCLES: tuple[frozenset[str], ...] = ()

# Modules over the size bar today, being split; the same rule: an entry that is no longer
# over the bar fails, so it is removed with the split.
OVERSIZED: frozenset[str] = frozenset()
MAX_LINES = 400

# DESIGN §7: the folder tree shows the pipeline; at the top only the facade and the few
# modules every stage shares.
TOP_LEVEL_MODULES = {
    "rulesdsl": {"__init__.py", "errors.py", "loader.py", "cache.py"},
    "engine": {"__init__.py", "bundle.py", "errors.py"},
}
SUBPACKAGES = {
    "rulesdsl": {"syntax", "check", "ir", "tools"},
    "engine": {"inputs", "evaluation", "decisions", "results", "presentation", "interfaces"},
}


@pytest.fixture(scope="module")
def graph() -> grimp.ImportGraph:
    return grimp.build_graph(*PACKAGES, cache_dir=None)


def strongly_connected(edges: Mapping[str, Iterable[str]]) -> list[frozenset[str]]:
    """Tarjan's strongly connected components of a directed graph (iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[frozenset[str]] = []
    for root in sorted(edges):
        if root in index:
            continue
        work = [(root, iter(sorted(edges[root])))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            node, successors = work[-1]
            following = next(successors, None)
            if following is not None:
                if following not in index:
                    index[following] = low[following] = len(index)
                    stack.append(following)
                    on_stack.add(following)
                    work.append((following, iter(sorted(edges.get(following, ())))))
                elif following in on_stack:
                    low[node] = min(low[node], index[following])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = set()
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.add(member)
                    if member == node:
                        break
                found.append(frozenset(component))
    return found


def cycles(graph: grimp.ImportGraph) -> list[frozenset[str]]:
    """The components of more than one module: each is at least one import cycle."""
    edges = {m: graph.find_modules_directly_imported_by(m) for m in graph.modules}
    return [c for c in strongly_connected(edges) if len(c) > 1]


def describe(graph: grimp.ImportGraph, component: frozenset[str]) -> str:
    """One cycle inside a component, module → module, with the import lines that make it."""
    start = min(component)
    for following in sorted(graph.find_modules_directly_imported_by(start) & component):
        back = graph.find_shortest_chain(importer=following, imported=start)
        if back is None:
            continue
        chain = [start, *back]
        steps = []
        for importer, imported in pairwise(chain):
            details = graph.get_import_details(importer=importer, imported=imported)
            line = details[0] if details else {"line_number": "?", "line_contents": "?"}
            steps.append(
                f"  {importer} → {imported} (line {line['line_number']}: {line['line_contents']})"
            )
        return "\n".join(steps)
    return "  " + ", ".join(sorted(component))


def test_strongly_connected_finds_cycles_and_only_them() -> None:
    edges = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}, "e": set(), "f": {"f"}}
    assert sorted(map(sorted, strongly_connected(edges))) == [
        ["a", "b", "c"],
        ["d"],
        ["e"],
        ["f"],
    ]


def test_graph_counts_type_checking_and_function_level_imports(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """grimp sees imports under TYPE_CHECKING and inside functions (build_graph's default),
    so a cycle cannot hide there. Checked on a throwaway package of two such imports."""
    package = tmp_path / "grimp_probe"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "a.py").write_text(
        "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from grimp_probe import b\n"
    )
    (package / "b.py").write_text("def f() -> None:\n    from grimp_probe import a\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    probe = grimp.build_graph("grimp_probe", cache_dir=None)
    assert probe.find_modules_directly_imported_by("grimp_probe.a") == {"grimp_probe.b"}
    assert probe.find_modules_directly_imported_by("grimp_probe.b") == {"grimp_probe.a"}
    assert cycles(probe) == [frozenset({"grimp_probe.a", "grimp_probe.b"})]


def test_graph_covers_both_packages(graph: grimp.ImportGraph) -> None:
    assert {"rulesdsl.syntax.parser", "engine.bundle", "rulesdsl.ir.model"} <= graph.modules


def test_no_import_cycles(graph: grimp.ImportGraph) -> None:
    """No cycle but the known ones (engine only; rulesdsl has none), each printed in full."""
    found = cycles(graph)
    unknown = [c for c in found if not any(c <= known for known in KNOWN_CYCLES)]
    report = "\n\n".join(describe(graph, c) for c in unknown)
    assert not unknown, f"import cycles:\n{report}"
    stale = [known for known in KNOWN_CYCLES if not any(c <= known for c in found)]
    assert not stale, f"no longer cycles, remove from KNOWN_CYCLES: {stale}"
    assert not any(m.startswith("rulesdsl.") for known in KNOWN_CYCLES for m in known)


@pytest.mark.parametrize("package", PACKAGES)
def test_top_level_layout(package: str) -> None:
    folder = ROOT / package
    modules = {p.name for p in folder.glob("*.py")}
    packages = {p.name for p in folder.iterdir() if p.is_dir() and (p / "__init__.py").exists()}
    assert modules == TOP_LEVEL_MODULES[package]
    assert packages == SUBPACKAGES[package]


def test_modules_stay_small() -> None:
    sizes = {
        str(path.relative_to(ROOT)): len(path.read_text(encoding="utf-8").splitlines())
        for package in PACKAGES
        for path in (ROOT / package).rglob("*.py")
    }
    over = {name: lines for name, lines in sizes.items() if lines > MAX_LINES}
    assert set(over) - OVERSIZED == set(), f"modules over {MAX_LINES} lines: {over}"
    stale = OVERSIZED - set(over)
    assert not stale, f"no longer over {MAX_LINES} lines, remove from OVERSIZED: {stale}"
