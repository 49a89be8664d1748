"""Golden files for the durable-rules translation (DESIGN §7: IR → durable JSON for a
conformance set, not every bundled licence).

The set: every jurisdiction with requirements in the language examples `tests/dsl/ok/*.rules`
(each condition form: every comparison operator, and / or / not, in, subset, contains,
amounts in two currencies, percentages, `x% of`, max and min, dates, booleans, enums,
countries, pending thresholds), the files of `tests/golden/durable_conformance/` (`not` over
each compound condition), and one bundled jurisdiction, BH, with all its requirements. Each
translates to exactly `tests/golden/durable/<name>.json`; `pytest --update-golden` rewrites
the files, and `git diff` is the review. The other bundled rules are held to the reference
evaluator by the differential property test (tests/test_differential.py) and to the shape
checks below, so an edit to one of them churns no golden file. The translation needs no
durable import, and none happens here.
"""

from __future__ import annotations

import enum
import json
import typing
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
EXAMPLES = sorted((ROOT / "tests" / "dsl" / "ok").glob("*.rules"))
CONFORMANCE = sorted((ROOT / "tests" / "golden" / "durable_conformance").glob("*.rules"))
BUNDLED = "BH"  # the one bundled jurisdiction in the golden set


@dataclass(frozen=True)
class Target:
    """One requirement list to translate, and its golden file's stem."""

    name: str
    requirements: tuple[ir.Requirement, ...]
    currency: str
    vocabulary: ir.Vocabulary


def file_targets(prefix: str, path: Path) -> list[Target]:
    """Every jurisdiction with requirements in one rule file, all its requirements."""
    report = check_paths([path])
    assert not report.errors, path
    (bundle,) = report.bundles
    return [
        Target(f"{prefix}-{path.stem}-{j.code}", j.requirements, j.currency, bundle.vocabulary)
        for j in bundle.jurisdictions
        if j.requirements
    ]


def licence_lists(bundle: ir.Bundle) -> list[Target]:
    """Every bundled jurisdiction's requirements per licence, whatever their periods."""
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


BUNDLE = load_bundle()
(_HOST,) = (j for j in BUNDLE.jurisdictions if j.code == BUNDLED)
GOLDEN_TARGETS = [
    *(t for path in EXAMPLES for t in file_targets("dsl", path)),
    *(t for path in CONFORMANCE for t in file_targets("conformance", path)),
    Target(BUNDLED, _HOST.requirements, _HOST.currency, BUNDLE.vocabulary),
]
SHAPE_TARGETS = [*GOLDEN_TARGETS, *licence_lists(BUNDLE)]


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


@pytest.mark.parametrize("target", GOLDEN_TARGETS, ids=lambda t: t.name)
def test_ruleset_json_matches_golden(target: Target, update_golden: bool) -> None:
    """The translation is deterministic and equal to its reviewed golden file."""
    compiled = compile_ruleset(target.requirements, target.currency, target.vocabulary)
    again = compile_ruleset(target.requirements, target.currency, target.vocabulary)
    assert compiled.dumps() == again.dumps()
    compare_golden(GOLDEN / f"{target.name}.json", compiled.dumps(), update_golden)


@pytest.mark.parametrize("target", SHAPE_TARGETS, ids=lambda t: t.name)
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
    """Every golden file belongs to a target, so a renamed example leaves nothing behind."""
    assert {p.stem for p in GOLDEN.glob("*.json")} == {t.name for t in GOLDEN_TARGETS}


def _nodes(node: object) -> list[ir.IrModel]:
    """Every IR model inside `node`, itself included (whatever fields the IR has)."""
    if isinstance(node, ir.IrModel):
        inner = (getattr(node, name) for name in type(node).model_fields)
        return [node, *(x for value in inner for x in _nodes(value))]
    if isinstance(node, list | tuple):
        return [x for value in node for x in _nodes(value)]
    return []


def _choices(annotation: object) -> set[object]:
    """The values a Literal or Enum field annotation allows."""
    if isinstance(annotation, type) and issubclass(annotation, enum.Enum):
        return set(annotation)
    return set(typing.get_args(annotation))


def test_golden_set_covers_every_condition_kind() -> None:
    """The set uses every kind of condition and value node, every comparison operator, and
    `not` over each compound condition, so any change to the translation shows in it."""
    nodes = [
        node
        for target in GOLDEN_TARGETS
        for requirement in target.requirements
        for node in _nodes([requirement.require, requirement.when])
    ]
    (union, *_) = typing.get_args(ir.Expr)  # Annotated[A | B | …, discriminator]
    kinds = {
        k for cls in typing.get_args(union) for k in _choices(cls.model_fields["kind"].annotation)
    }
    operators = _choices(ir.Comparison.model_fields["op"].annotation)
    assert {"compare", "pending", "percent_of"} <= kinds and len(operators) == 6  # read right
    assert kinds - {getattr(n, "kind", None) for n in nodes} == set()
    assert operators - {n.op for n in nodes if isinstance(n, ir.Comparison)} == set()
    negated = {n.operand.kind for n in nodes if isinstance(n, ir.NotExpr)}
    assert {"and", "or", "not", "in", "contains", "subset", "compare"} <= negated
