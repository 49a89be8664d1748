"""Golden files for the durable-rules translation (DESIGN §7: IR → durable JSON).

Each bundled jurisdiction's requirements for each of its licences (every period), and the
`tests/dsl/ok/conditions.rules` example (every condition form), translate to exactly
`tests/golden/durable/<name>.json`. `pytest --update-golden` rewrites the files; review
the change with `git diff`. The translation needs no durable import, and none happens here.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import pytest

from engine.evaluation.durable.formula import PENDING_FIELD
from engine.evaluation.durable.ruleset import compile_ruleset
from rulesdsl import ir
from rulesdsl.loader import check_paths, load_bundle

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = ROOT / "tests" / "golden" / "durable"
CONDITIONS = ROOT / "tests" / "dsl" / "ok" / "conditions.rules"


@dataclass(frozen=True)
class Target:
    """One requirement list to translate, and its golden file's stem."""

    name: str
    requirements: tuple[ir.Requirement, ...]
    currency: str
    vocabulary: ir.Vocabulary


def licence_lists(bundle: ir.Bundle) -> list[Target]:
    """Every jurisdiction's requirements per licence, whatever their periods."""
    return [
        Target(
            f"{j.code}-{licence.id}",
            tuple(r for r in j.requirements if not r.licences or licence.id in r.licences),
            j.currency,
            bundle.vocabulary,
        )
        for j in bundle.jurisdictions
        for licence in j.licences
    ]


def conditions_target() -> Target:
    """The example that uses every condition form (one jurisdiction, no licences)."""
    report = check_paths([CONDITIONS])
    assert not report.errors
    bundle = report.bundles[0]
    (jurisdiction,) = bundle.jurisdictions
    return Target(
        "dsl-conditions",
        jurisdiction.requirements,
        jurisdiction.currency,
        bundle.vocabulary,
    )


TARGETS = [*licence_lists(load_bundle()), conditions_target()]


def compare_golden(golden: Path, actual: str, update: bool) -> None:
    """Compare `actual` with a golden file byte for byte, or rewrite it when updating."""
    data = actual.encode("utf-8")
    if update:
        golden.parent.mkdir(parents=True, exist_ok=True)
        if not golden.exists() or golden.read_bytes() != data:
            golden.write_bytes(data)
        return
    assert golden.exists(), f"{golden.name} is missing: run pytest --update-golden"
    assert golden.read_bytes().decode("utf-8") == actual


def _walk(node: object) -> Sequence[object]:
    if isinstance(node, dict):
        return [node, *(x for value in node.values() for x in _walk(value))]
    if isinstance(node, list):
        return [x for value in node for x in _walk(value)]
    return [node]


@pytest.mark.parametrize("target", TARGETS, ids=lambda t: t.name)
def test_ruleset_json_matches_golden(target: Target, update_golden: bool) -> None:
    """The translation is deterministic and equal to its reviewed golden file."""
    compiled = compile_ruleset(target.requirements, target.currency, target.vocabulary)
    again = compile_ruleset(target.requirements, target.currency, target.vocabulary)
    assert compiled.dumps() == again.dumps()
    compare_golden(GOLDEN / f"{target.name}.json", compiled.dumps(), update_golden)


@pytest.mark.parametrize("target", TARGETS, ids=lambda t: t.name)
def test_ruleset_json_is_plain_and_exact(target: Target) -> None:
    """Plain JSON (no callables: actions are names), integers below 2**53, no floats, no
    `not`, `in` or arithmetic, every rule naming its own action, and no fact field that
    durable reads itself (`$…`, `id`, `sid`)."""
    compiled = compile_ruleset(target.requirements, target.currency, target.vocabulary)
    assert json.loads(compiled.dumps()) == compiled.rules
    for name, rule in compiled.rules.items():
        assert rule["run"] == name and name in compiled.actions
        nodes = _walk(rule["all"])
        assert not any(isinstance(x, float) for x in nodes)
        assert all(abs(x) < 2**53 for x in nodes if isinstance(x, int))
        keys = {key for x in nodes if isinstance(x, dict) for key in x}
        assert not keys & {"$not", "$in", "$nex", "$mul", "$add", "$sub", "$div"}
    names = {f.name for f in compiled.fields}
    assert not any(name.startswith("$") for name in names)
    assert not names & {"id", "sid"}  # durable's own: the fact's identity and session
    assert PENDING_FIELD not in {f.name for f in compiled.fields}
    indices = sorted({index for index, _ in compiled.actions.values()})
    assert indices == list(range(len(target.requirements)))


def test_no_orphan_golden_files() -> None:
    """Every golden file belongs to a target, so a renamed licence leaves nothing behind."""
    assert {p.stem for p in GOLDEN.glob("*.json")} == {t.name for t in TARGETS}
