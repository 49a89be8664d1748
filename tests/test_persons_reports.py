"""Persons and counts where they are reported: the explain trace, the redline's ranking of
a changed filter, and a bad persons list on the command line."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import yaml
from jawaz_cli import REPO, jawaz

from engine import load_bundle
from engine.decisions.figures import figure_changes
from rulesdsl import ir

DAY = dt.date(2026, 6, 1)
PROFILE = REPO / "jurisdictions" / "profiles" / "dubai-vara-broker.yaml"


def test_explain_shows_each_person_and_who_the_count_counted() -> None:
    bundle = load_bundle()
    firm = bundle.read_profile(PROFILE)
    result = bundle.explain(firm, "AE-DU-RESPONSIBLE-INDIVIDUALS", None, None, DAY, None)
    assert result.status == "met"
    (count, bar) = result.condition.operands
    assert (count.source, count.value, bar.value) == ("derived", "2", "2")
    (listed,) = count.parts
    assert listed.source == "profile" and listed.value is not None
    assert "Person(" not in listed.value
    assert listed.value.count("responsible_individual: resident in") == 2


def _filter(*tests: ir.Expr) -> ir.Expr:
    return tests[0] if len(tests) == 1 else ir.AllOf(operands=tests)


def _is(field: ir.PersonFieldName, value: str) -> ir.Comparison:
    return ir.Comparison(
        op=ir.Op.EQ, left=ir.PersonField(name=field), right=ir.SymbolConst(value=value)
    )


def _at_least(where: ir.Expr | None, op: ir.Op = ir.Op.GE) -> ir.Comparison:
    count = ir.Count(of=ir.AttrRef(name="key_persons"), where=where)
    return ir.Comparison(op=op, left=count, right=ir.IntConst(value=2))


RI = _is("role", "responsible_individual")
FULL_TIME_RI = _filter(RI, ir.PersonField(name="full_time"))


@pytest.mark.parametrize(
    ("before", "after", "direction"),
    [
        (_at_least(FULL_TIME_RI), _at_least(RI), "loosened"),  # counts more persons
        (_at_least(RI), _at_least(FULL_TIME_RI), "tightened"),  # counts fewer
        (_at_least(RI), _at_least(None), "loosened"),  # every person counts
        (_at_least(RI, ir.Op.LE), _at_least(None, ir.Op.LE), "tightened"),  # at most: reversed
        (_at_least(RI), _at_least(_is("role", "ceo")), "changed"),  # neither admits the other
    ],
)
def test_a_changed_count_filter_is_ranked_by_whom_it_counts(
    before: ir.Expr, after: ir.Expr, direction: str
) -> None:
    found = figure_changes(before, after)
    assert found is not None
    assert [(f.attribute, f.op, f.direction) for f in found] == [
        ("key_persons", "where", direction)
    ]


def test_the_same_filter_written_otherwise_is_no_figure_change() -> None:
    either = ir.AnyOf(operands=(_is("residence", "AE"), _is("nationality", "AE")))
    swapped = ir.AnyOf(operands=(_is("nationality", "AE"), _is("residence", "AE")))
    assert figure_changes(_at_least(either), _at_least(swapped)) == []


def test_a_bad_person_on_the_command_line_names_its_path_and_code(tmp_path: Path) -> None:
    data = yaml.safe_load(PROFILE.read_text(encoding="utf-8"))
    data["attributes"]["key_persons"][1]["residence"] = "AE-DU"
    path = tmp_path / "firm.yaml"
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    done = jawaz("passport", str(path), "--to", "AE-DU")
    assert done.returncode == 2
    lines = [line.strip() for line in done.stderr.splitlines()]
    assert any(
        line.startswith("attributes.key_persons.1.residence:") and line.endswith("[invalid_person]")
        for line in lines
    )
