"""`jawaz` commands that ask the engine: passport, matrix, compare, jurisdictions."""

from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path

import click

from engine.errors import EngineError
from engine.interfaces.cli.support import EXIT_FINDINGS, fail, load, parse_date, problem_text


@click.command()
@click.argument("profile", type=click.Path(path_type=Path))
@click.option("--to", "host", required=True, help="Host jurisdiction code, or 'all'.")
@click.option("--activity", help="Activity to ask about (default: the profile's only one).")
@click.option("--as-of", "as_of", help="Date of the question, YYYY-MM-DD (default: today).")
@click.option("--framework", help="Framework id (default: the status quo).")
@click.option("--apply-for", "apply_for", help="Evaluate this host licence only.")
@click.option("--backend", type=click.Choice(["fast", "durable"]), default="fast")
@click.option("--fx", "fx_file", type=click.Path(path_type=Path), help="Use your own FX rates.")
@click.option("--format", "output", type=click.Choice(["text", "json", "md"]), default="text")
@click.option("--fail-on-ineligible", is_flag=True, help="Exit 1 unless every verdict is eligible.")
def passport(
    profile: Path,
    host: str,
    activity: str | None,
    as_of: str | None,
    framework: str | None,
    apply_for: str | None,
    backend: str,
    fx_file: Path | None,
    output: str,
    fail_on_ineligible: bool,
) -> None:
    """Can the firm in PROFILE operate in another jurisdiction, and what is missing?"""
    from engine.presentation.decision_text import render_markdown, render_text
    from engine.results import Decisions

    day = parse_date(as_of)
    bundle = load(fx_file)
    try:
        firm = bundle.read_profile(profile)
        hosts = (
            sorted(c for c in bundle.jurisdictions if c != firm.home) if host == "all" else [host]
        )
        if apply_for is not None and host == "all":
            fail("--apply-for names a licence of one host; use it with --to CODE")
        decisions = [
            bundle.passport(
                firm,
                host=code,
                activity=activity,
                as_of=day,
                framework=framework,
                backend=backend,
                apply_for=apply_for,
            )
            for code in hosts
        ]
    except EngineError as error:
        fail(problem_text(error))
    if output == "json":
        payload = decisions[0] if host != "all" else Decisions(decisions=decisions)
        click.echo(payload.model_dump_json(indent=2))
    elif output == "md":
        click.echo(render_markdown(decisions))
    else:
        click.echo(render_text(decisions, colour=sys.stdout.isatty()), nl=False)
    if fail_on_ineligible and any(d.verdict != "eligible" for d in decisions):
        sys.exit(EXIT_FINDINGS)


@click.command()
@click.option("--as-of", "as_of", help="Date, YYYY-MM-DD (default: today).")
@click.option("--format", "output", type=click.Choice(["text", "json"]), default="text")
def jurisdictions(as_of: str | None, output: str) -> None:
    """List the bundled jurisdictions with their regime status per activity."""
    from engine.decisions.passport import regime_on

    day = parse_date(as_of) or dt.date.today()
    bundle = load(None)
    activities = [a.id for a in bundle.ir.vocabulary.activities]
    rows = []
    for code in sorted(bundle.jurisdictions):
        j = bundle.jurisdictions[code]
        statuses = {}
        for activity in activities:
            regime = regime_on(j, activity, day)
            statuses[activity] = regime.status if regime else "not recorded"
        rows.append({"code": code, "name": j.name, "currency": j.currency, "regimes": statuses})
    if output == "json":
        click.echo(json.dumps({"as_of": str(day), "jurisdictions": rows}, indent=2))
        return
    from rich.console import Console
    from rich.table import Table

    table = Table(title=f"Bundled jurisdictions on {day}")
    for column in ("code", "name", "currency", *activities):
        table.add_column(column)
    for row in rows:
        regimes = row["regimes"]
        assert isinstance(regimes, dict)
        table.add_row(
            str(row["code"]),
            str(row["name"]),
            str(row["currency"]),
            *(regimes[a] for a in activities),
        )
    Console(width=200).print(table)


@click.command()
@click.option("--activity", required=True, help="Activity, e.g. exchange.")
@click.option("--as-of", "as_of", help="Date, YYYY-MM-DD (default: today).")
@click.option("--framework", help="Framework id (default: the status quo).")
@click.option("--backend", type=click.Choice(["fast", "durable"]), default="fast")
@click.option(
    "--format", "output", type=click.Choice(["text", "json", "md", "html"]), default="text"
)
@click.option("--out", type=click.Path(path_type=Path), help="Write the document to FILE.")
def matrix(
    activity: str,
    as_of: str | None,
    framework: str | None,
    backend: str,
    output: str,
    out: Path | None,
) -> None:
    """What a minimum-compliant licensee of each home gets in each host."""
    from engine.presentation.documents import (
        DETAILED_MATRIX_FORMATS,
        deliver,
        matrix_renderers,
        pair_details,
    )

    day = parse_date(as_of) or dt.date.today()
    bundle = load()
    try:
        result = bundle.matrix(activity, as_of=day, framework=framework, backend=backend)
        details = pair_details(bundle, result) if output in DETAILED_MATRIX_FORMATS else None
        deliver(matrix_renderers()[output](result, details), out, output)
    except EngineError as error:
        fail(problem_text(error))


@click.command()
@click.argument("codes", nargs=-1, required=True)
@click.option("--activity", required=True, help="Activity, e.g. exchange.")
@click.option("--as-of", "as_of", help="Date, YYYY-MM-DD (default: today).")
@click.option(
    "--currency", default="USD", show_default=True, help="Currency to convert amounts into."
)
@click.option(
    "--format",
    "output",
    type=click.Choice(["text", "json", "md", "html", "docx", "csv"]),
    default="text",
)
@click.option("--out", type=click.Path(path_type=Path), help="Write the document to FILE.")
def compare(
    codes: tuple[str, ...],
    activity: str,
    as_of: str | None,
    currency: str,
    output: str,
    out: Path | None,
) -> None:
    """Requirements of CODES for one activity, aligned side by side."""
    from engine.presentation.documents import comparison_renderers, deliver

    day = parse_date(as_of) or dt.date.today()
    bundle = load()
    try:
        result = bundle.compare(list(codes), activity, as_of=day, currency=currency)
        deliver(comparison_renderers()[output](result), out, output)
    except EngineError as error:
        fail(problem_text(error))


@click.command(name="test")
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--coverage", is_flag=True, help="List requirements no case evaluates.")
def test_cases(paths: tuple[Path, ...], coverage: bool) -> None:
    """Run jurisdiction cases (default: every bundled cases/*.yaml)."""
    from engine.decisions.cases import case_files, read_cases, run_case, uncovered
    from rulesdsl.loader import bundled_root

    bundle = load()
    files = [
        f for p in (paths or (bundled_root(),)) for f in (case_files(p) if p.is_dir() else [p])
    ]
    if not files:
        fail("no case files found")
    results = []
    try:
        cases = [case for f in files for case in read_cases(f)]
    except EngineError as error:
        fail(str(error))
    for case in cases:
        result = run_case(bundle, case)
        results.append(result)
        if not result.passed:
            click.echo(f"FAIL {case.source}: {case.name}", err=True)
            for failure in result.failures:
                click.echo(f"    {failure}", err=True)
    passed = sum(1 for r in results if r.passed)
    gaps = uncovered(bundle, results) if coverage else []
    for line in gaps:
        click.echo(f"not exercised: {line}")
    if coverage:
        total = sum(len(j.requirements) for j in bundle.ir.jurisdictions)
        click.echo(f"coverage: {total - len(gaps)} of {total} requirement versions exercised")
    click.echo(f"{passed} passed, {len(results) - passed} failed")
    if passed != len(results) or gaps:
        sys.exit(EXIT_FINDINGS)
