"""What `jawaz test --coverage` prints: requirement versions and condition branches that no
case exercised."""

from __future__ import annotations

from collections.abc import Collection, Sequence

import click

from engine.bundle import Bundle
from engine.decisions.branches import Branch, BranchKey, branch_count, undecided
from engine.decisions.cases import CaseResult, in_scope, uncovered
from engine.presentation.describe import describe
from rulesdsl import ir


def branch_text(branch: Branch) -> str:
    """One undecided branch, as a rule author reads it:
    `KZ KZ-DAA-CAPITAL from 2024-01-01: require: side 2 of an "or" never decides
    (paid_up_capital >= USD pending)`."""
    key, node = branch.key, branch.connective
    since = f" from {key.start}" if key.start else ""
    where = f"{key.jurisdiction} {key.requirement}{since}: {key.part}"
    where += f" (at side {key.path})" if key.path else ""
    word = "or" if isinstance(node, ir.AnyOf) else "and"
    if key.side == 0:
        outcome = "false" if isinstance(node, ir.AnyOf) else "true"
        return f'{where}: no case has every side of an "{word}" {outcome} ({describe(node)})'
    side = describe(node.operands[key.side - 1])
    return f'{where}: side {key.side} of an "{word}" never decides ({side})'


def report_coverage(
    bundle: Bundle, results: Sequence[CaseResult], codes: Collection[str] | None = None
) -> list[str]:
    """Print the coverage report of the jurisdictions `codes` (None: all of the bundle);
    return the requirement versions no case evaluated (a finding). Undecided branches are
    reported, not findings: a branch can be one no firm can take (a side implied by an
    earlier one), which only its author can tell."""
    scope = in_scope(bundle, codes)
    rules = bundle.ir.model_copy(update={"jurisdictions": tuple(scope)})
    gaps = uncovered(bundle, results, codes)
    for line in gaps:
        click.echo(f"not exercised: {line}")
    decided: set[BranchKey] = set().union(*(r.branches for r in results))
    missed = undecided(rules, decided)
    for branch in missed:
        click.echo(f"branch not decided: {branch_text(branch)}")
    total = sum(len(j.requirements) for j in scope)
    click.echo(f"coverage: {total - len(gaps)} of {total} requirement versions exercised")
    branches = branch_count(rules)
    click.echo(f"branches: {branches - len(missed)} of {branches} condition branches decided")
    return gaps
