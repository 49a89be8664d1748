"""`unstated "…"`: a condition the source leaves open, unknown in three-valued logic, and
PVARA's expression-of-interest criterion scoped with it; `licensed_in_other_jurisdiction`
derived from the profile's home licence.

Kleene's table on every backend; then through the engine on the bundled rules.
"""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml
from ir_build import requirement

from engine import load_bundle
from engine.bundle import Bundle
from engine.decisions.implication import atoms
from engine.evaluation import reference
from engine.evaluation.backend import Context, Status
from engine.evaluation.durable.backend import DurableBackend
from engine.evaluation.fast import FastBackend
from engine.inputs.profiles import ProfileError, Value
from engine.results import RequirementResult
from rulesdsl import ir
from rulesdsl.loader import bundled_root, check_paths

ROOT = Path(__file__).resolve().parents[1]
PAKISTANI = ROOT / "examples" / "pakistani-applicant.yaml"
BAHRAIN = ROOT / "examples" / "bahrain-exchange.yaml"
EOI = "PK-EOI-INTL-LICENCE"
DAY = dt.date(2026, 6, 1)
BACKENDS = ("fast", "durable", "reference")
SCOPE = "whether applicants other than international VASPs are held to it"
OPEN = ir.Unstated(text="whether it applies")
TRUE, FALSE = ir.BoolConst(value=True), ir.BoolConst(value=False)
FLAG = ir.AttrRef(name="fiu_registered")


@pytest.fixture(scope="module")
def bundle() -> Bundle:
    return load_bundle(bundled_root())


def _statuses(bundle: Bundle, rule: ir.Requirement, facts: dict[str, Value]) -> list[Status | None]:
    vocabulary = bundle.ir.vocabulary
    money = [a.name for a in vocabulary.attributes if a.type.kind == "money"]
    units = {c.code: c.minor_units for c in vocabulary.currencies}

    def ctx() -> Context:
        return Context(facts, DAY, bundle.fx, "BHD", units)

    fast = FastBackend(money)((rule,), ctx())[0]
    return [
        reference.status(rule, ctx()),
        fast if fast is not None else "unknown",  # undecided: the evaluator's, which says unknown
        DurableBackend(vocabulary)((rule,), ctx())[0],
    ]


KLEENE = [
    (ir.AnyOf(operands=(FLAG, OPEN)), None, "met"),  # true or unstated
    (ir.AnyOf(operands=(ir.NotExpr(operand=FLAG), OPEN)), None, "unknown"),  # false or …
    (ir.AllOf(operands=(ir.NotExpr(operand=FLAG), OPEN)), None, "unmet"),  # false and …
    (ir.AllOf(operands=(FLAG, OPEN)), None, "unknown"),  # true and unstated
    (ir.NotExpr(operand=OPEN), None, "unknown"),
    (FLAG, ir.AnyOf(operands=(FLAG, OPEN)), "met"),
    (FLAG, ir.AllOf(operands=(ir.NotExpr(operand=FLAG), OPEN)), "not_applicable"),
    (FLAG, ir.AnyOf(operands=(ir.NotExpr(operand=FLAG), OPEN)), "unknown"),
]


@pytest.mark.parametrize(("require", "when", "status"), KLEENE)
def test_unstated_is_unknown_in_kleene_logic_on_every_backend(
    bundle: Bundle, require: ir.Expr, when: ir.Expr | None, status: str
) -> None:
    rule = requirement(require, when=when)
    assert _statuses(bundle, rule, {"fiu_registered": True}) == [status] * 3


def test_the_reason_carries_what_the_source_leaves_open(bundle: Bundle) -> None:
    rule = requirement(ir.AnyOf(operands=(ir.NotExpr(operand=FLAG), OPEN)))
    units = {c.code: c.minor_units for c in bundle.ir.vocabulary.currencies}
    ctx = Context({"fiu_registered": True}, DAY, bundle.fx, "BHD", units)
    outcome = reference.requirement_status(rule, ctx)[1]
    assert outcome.missing.unstated == frozenset({"whether it applies"})


def test_unstated_proves_nothing() -> None:
    assert atoms(OPEN) is None
    assert atoms(ir.AllOf(operands=(FLAG, OPEN))) is None


def eoi(bundle: Bundle, data: Any, backend: str = "fast", day: dt.date = DAY) -> RequirementResult:
    profile = bundle.profile(data) if isinstance(data, dict) else bundle.read_profile(data)
    answer = bundle.passport(profile, host="PK", as_of=day, backend=backend)
    return next(r for r in answer.requirements if r.id == EOI)


def clearing_house(**attributes: Any) -> dict[str, Any]:
    """A foreign applicant whose home licence covers no activity: no licence elsewhere."""
    return {
        "home": "ID",
        "licence": "clearing",
        "activities": ["exchange"],
        "attributes": attributes,
    }


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_domestic_applicant_is_told_the_scope_is_not_in_the_source(
    bundle: Bundle, backend: str
) -> None:
    line = eoi(bundle, PAKISTANI, backend)
    assert line.status == "unknown"
    assert [(r.kind, r.unstated, r.applicability) for r in line.reasons] == [
        ("condition", None, True),
        ("condition", SCOPE, True),
    ]


@pytest.mark.parametrize("backend", BACKENDS)
def test_an_international_applicant_without_a_licence_elsewhere_fails(
    bundle: Bundle, backend: str
) -> None:
    line = eoi(bundle, clearing_house(licensed_in_other_jurisdiction=False), backend)
    assert (line.status, [g.attribute for g in line.gaps]) == (
        "unmet",
        ["licensed_in_other_jurisdiction"],
    )
    before = bundle.passport(
        bundle.profile(clearing_house(licensed_in_other_jurisdiction=False)),
        host="PK",
        as_of=dt.date(2025, 8, 15),
        backend=backend,
    )
    assert EOI not in {r.id for r in before.requirements}  # before the invitation


@pytest.mark.parametrize("backend", BACKENDS)
def test_the_home_licence_counts_as_a_licence_elsewhere(bundle: Bundle, backend: str) -> None:
    assert eoi(bundle, BAHRAIN, backend).status == "met"


def test_nothing_stated_and_no_licence_held_is_unknown_naming_the_attribute(
    bundle: Bundle,
) -> None:
    line = eoi(bundle, clearing_house())
    assert line.status == "unknown" and line.missing == ["licensed_in_other_jurisdiction"]
    assert [(r.kind, r.attribute) for r in line.reasons] == [
        ("attribute", "licensed_in_other_jurisdiction")
    ]


@pytest.mark.parametrize(
    ("where", "path"),
    [
        ("attributes", "attributes.licensed_in_other_jurisdiction"),
        ("PK", "in_host.PK.licensed_in_other_jurisdiction"),
    ],
)
def test_a_stated_false_that_the_home_licence_contradicts_is_refused(
    bundle: Bundle, where: str, path: str
) -> None:
    data = yaml.safe_load(BAHRAIN.read_text(encoding="utf-8"))
    if where == "attributes":
        data["attributes"]["licensed_in_other_jurisdiction"] = False
    else:
        data["in_host"][where] = {"licensed_in_other_jurisdiction": False}
    with pytest.raises(ProfileError) as refused:
        bundle.profile(data)
    assert [p for p, _ in refused.value.problems] == [path]


def test_false_for_the_home_as_host_is_accepted(bundle: Bundle) -> None:
    data = yaml.safe_load(BAHRAIN.read_text(encoding="utf-8"))
    data["in_host"]["BH"]["licensed_in_other_jurisdiction"] = False
    profile = bundle.profile(data)
    assert profile.facts_for("BH")["licensed_in_other_jurisdiction"] is False
    assert profile.facts_for("PK")["licensed_in_other_jurisdiction"] is True


@pytest.mark.parametrize("backend", BACKENDS)
def test_an_unknown_when_attribute_is_named(tmp_path: Path, backend: str) -> None:
    """The criterion scoped on an attribute the firm leaves out: the reason names it."""
    copy = tmp_path / "rules"
    shutil.copytree(bundled_root(), copy)
    target = copy / "PK" / "pvara_eoi_2025.rules"
    text = target.read_text(encoding="utf-8")
    target.write_text(text.replace("when home != PK or", "when part_of_foreign_group or"))
    bundle = load_bundle(copy)
    data = yaml.safe_load(PAKISTANI.read_text(encoding="utf-8"))
    del data["attributes"]["part_of_foreign_group"]
    line = eoi(bundle, data, backend)
    assert line.status == "unknown"
    assert [(r.kind, r.attribute, r.unstated) for r in line.reasons if r.applicability] == [
        ("condition", None, None),
        ("attribute", "part_of_foreign_group", None),
        ("condition", None, SCOPE),
    ]
    assert line.missing == ["part_of_foreign_group"]


def test_unstated_is_never_compared(tmp_path: Path) -> None:
    copy = tmp_path / "rules"
    shutil.copytree(bundled_root(), copy)
    target = copy / "PK" / "pvara_eoi_2025.rules"
    text = target.read_text(encoding="utf-8")
    target.write_text(
        text.replace("require licensed_in_other_jurisdiction", 'require unstated "x" == true')
    )
    report = check_paths([copy])
    assert [d.code for d in report.diagnostics if d.severity.value == "error"] == ["E403"]
