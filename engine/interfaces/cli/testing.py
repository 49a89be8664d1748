"""`jawaz test`: run jurisdiction cases against the bundle they belong to."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path

import click

from engine.errors import EngineError
from engine.interfaces.cli.support import (
    EXIT_FINDINGS,
    emit_case_problems,
    fail,
    load,
    rules_option,
    rules_root,
)
from rulesdsl.loader import display_path, find_bundle_root


def bundle_of(paths: Sequence[Path], rules: Path | None) -> Path:
    """The root of the bundle the case files at `paths` belong to: the folder holding
    `vocabulary.rules` above them; `--rules` (or the bundled rules) for cases outside any
    bundle, or when no path is given. Exits 2 when the paths disagree with each other or
    with `--rules`, or do not exist."""
    roots: dict[Path, Path] = {}
    for path in paths:
        if not path.exists():
            fail(f"{path}: no such file or folder")
        root = find_bundle_root(path)
        if root is not None:
            roots.setdefault(root, path)
    if len(roots) > 1:
        shown = ", ".join(f"{display_path(p)} (in {display_path(r)})" for r, p in roots.items())
        fail(f"the paths belong to different rule bundles: {shown}; test one bundle at a time")
    if not roots:
        return rules_root(rules)
    ((root, path),) = roots.items()
    if rules is not None and rules != root:
        fail(
            f"{path} belongs to the rule bundle {display_path(root)}, not to --rules "
            f"{display_path(rules)}; its cases are evaluated against its own bundle"
        )
    return root


def jurisdictions_tested(files: Sequence[Path]) -> set[str]:
    """The jurisdiction folders (`ROOT/CODE/cases/*.yaml`) the case files come from."""
    return {f.resolve().parent.parent.name for f in files if f.resolve().parent.name == "cases"}


@click.command(name="test")
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option(
    "--coverage", is_flag=True, help="List requirement versions and branches no case exercises."
)
@rules_option
def test_cases(paths: tuple[Path, ...], coverage: bool, rules: Path | None) -> None:
    """Run jurisdiction cases (default: every cases/*.yaml of the bundle).

    The cases are evaluated against the bundle they belong to (the folder holding
    vocabulary.rules above them). With PATHS, --coverage covers their jurisdictions only.
    """
    from engine.decisions.cases import case_files, read_cases, run_case
    from engine.interfaces.cli.coverage import report_coverage

    root = bundle_of(paths, rules)
    bundle = load(None, root)
    files = [f for p in (paths or (root,)) for f in (case_files(p) if p.is_dir() else [p])]
    if not files:
        fail("no case files found")
    try:
        cases = [case for f in files for case in read_cases(f)]
    except EngineError as error:
        fail(str(error))
    results = []
    for case in cases:
        result = run_case(bundle, case)
        results.append(result)
        if not result.passed:
            click.echo(f"FAIL {case.source}: {case.name}", err=True)
            for failure in result.failures:
                click.echo(f"    {failure}", err=True)
            emit_case_problems(result.problems)
    passed = sum(1 for r in results if r.passed)
    codes = jurisdictions_tested(files) if paths else None
    gaps = report_coverage(bundle, results, codes) if coverage else []
    click.echo(f"{passed} passed, {len(results) - passed} failed ({bundle.name})")
    if passed != len(results) or gaps:
        sys.exit(EXIT_FINDINGS)
