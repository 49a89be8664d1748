"""The `jawaz` command line.

Exit codes (DESIGN §5): 0 ok; 1 findings (errors in rules, failed cases, not eligible
where asked); 2 usage or input error. Errors go to stderr and never as a traceback.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

import click

from rulesdsl.diagnostics import Diagnostic, DslError, render_json, render_one, summary_line
from rulesdsl.formatter import format_file
from rulesdsl.loader import bundled_root, check_paths, display_path

if TYPE_CHECKING:
    from engine.bundle import Bundle

EXIT_OK, EXIT_FINDINGS, EXIT_USAGE = 0, 1, 2
INPUT_MISSING = {"E001", "E007"}  # the path itself is wrong: a usage error, not a finding


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="jawaz", prog_name="jawaz")
def cli() -> None:
    """Jawaz: passportable cross-border regulatory rules for virtual-asset service providers."""


def _default_paths(paths: tuple[Path, ...]) -> list[Path]:
    return list(paths) if paths else [bundled_root()]


def _emit_diagnostics(diagnostics: list[Diagnostic], sources: dict[str, str]) -> None:
    split = {path: text.split("\n") for path, text in sources.items()}
    for diagnostic in diagnostics:
        click.echo(render_one(diagnostic, split.get(diagnostic.span.file)) + "\n", err=True)


@cli.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--format", "output", type=click.Choice(["text", "json"]), default="text")
def check(paths: tuple[Path, ...], output: str) -> None:
    """Check rule files for errors (default: every bundled rule file).

    A folder means every .rules file below it.
    """
    report = check_paths(_default_paths(paths))
    if output == "json":
        payload = {
            "files": len(report.files),
            "requirements": report.requirements,
            "errors": report.errors,
            "warnings": report.warnings,
            "diagnostics": json.loads(render_json(report.diagnostics)),
        }
        click.echo(json.dumps(payload, indent=2, ensure_ascii=False))
    else:
        _emit_diagnostics(report.diagnostics, report.sources)
        click.echo(
            f"checked {len(report.files)} file{'s' if len(report.files) != 1 else ''}, "
            f"{report.requirements} requirement{'s' if report.requirements != 1 else ''}: "
            f"{summary_line(report.diagnostics)}"
        )
    if any(d.code in INPUT_MISSING for d in report.diagnostics) and not report.files:
        sys.exit(EXIT_USAGE)
    sys.exit(EXIT_FINDINGS if report.errors else EXIT_OK)


@cli.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--check", "check_only", is_flag=True, help="Only report files that would change.")
def fmt(paths: tuple[Path, ...], check_only: bool) -> None:
    """Rewrite rule files in the canonical layout (default: every bundled rule file)."""
    from rulesdsl.loader import rule_files

    files: list[Path] = []
    for path in _default_paths(paths):
        if path.is_dir():
            files.extend(rule_files(path))
        elif path.exists():
            files.append(path)
        else:
            click.echo(f"{path}: error: no such file or folder", err=True)
            sys.exit(EXIT_USAGE)
    changed, failed = 0, 0
    for path in files:
        result = format_file(path, display_path(path))
        if isinstance(result, Diagnostic):
            failed += 1
            _emit_diagnostics([result], {})
            continue
        original, formatted = result
        if original == formatted:
            continue
        changed += 1
        if check_only:
            click.echo(f"would reformat {display_path(path)}")
        else:
            path.write_text(formatted, encoding="utf-8")
            click.echo(f"reformatted {display_path(path)}")
    verb = "would be reformatted" if check_only else "reformatted"
    click.echo(f"{len(files)} files checked, {changed} {verb}, {failed} could not be parsed")
    if failed or (check_only and changed):
        sys.exit(EXIT_FINDINGS)


def _parse_date(value: str | None) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(
            f"{value!r} is not a date (YYYY-MM-DD)", param_hint="--as-of"
        ) from None


def _fail(message: str) -> NoReturn:
    click.echo(f"error: {message}", err=True)
    sys.exit(EXIT_USAGE)


def _load(fx_file: Path | None) -> Bundle:
    from engine.bundle import load_bundle

    try:
        return load_bundle(fx_file=fx_file)
    except DslError as error:
        _emit_diagnostics(list(error.diagnostics), {})
        _fail("the rules or the FX file do not check clean")


@cli.command()
@click.argument("profile", type=click.Path(path_type=Path))
@click.option("--to", "host", required=True, help="Host jurisdiction code, or 'all'.")
@click.option("--activity", help="Activity to ask about (default: the profile's only one).")
@click.option("--as-of", "as_of", help="Date of the question, YYYY-MM-DD (default: today).")
@click.option("--framework", help="Framework id (default: the status quo).")
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
    backend: str,
    fx_file: Path | None,
    output: str,
    fail_on_ineligible: bool,
) -> None:
    """Can the firm in PROFILE operate in another jurisdiction, and what is missing?"""
    from engine.errors import EngineError
    from engine.render import render_markdown, render_text
    from engine.results import Decisions

    day = _parse_date(as_of)
    bundle = _load(fx_file)
    try:
        firm = bundle.read_profile(profile)
        hosts = (
            sorted(c for c in bundle.jurisdictions if c != firm.home) if host == "all" else [host]
        )
        decisions = [
            bundle.passport(
                firm, host=code, activity=activity, as_of=day, framework=framework, backend=backend
            )
            for code in hosts
        ]
    except EngineError as error:
        _fail(_problem_text(error))
    if output == "json":
        payload = decisions[0] if host != "all" else Decisions(decisions=decisions)
        click.echo(payload.model_dump_json(indent=2))
    elif output == "md":
        click.echo(render_markdown(decisions))
    else:
        click.echo(render_text(decisions, colour=sys.stdout.isatty()), nl=False)
    if fail_on_ineligible and any(d.verdict != "eligible" for d in decisions):
        sys.exit(EXIT_FINDINGS)


def _problem_text(error: Exception) -> str:
    problems = getattr(error, "problems", None)
    if problems:
        source = str(error).split(":", 1)[0]
        return f"{source}: invalid profile\n" + "\n".join(
            f"  {path}: {message}" for path, message in problems
        )
    return str(error)


@cli.command()
@click.option("--as-of", "as_of", help="Date, YYYY-MM-DD (default: today).")
@click.option("--format", "output", type=click.Choice(["text", "json"]), default="text")
def jurisdictions(as_of: str | None, output: str) -> None:
    """List the bundled jurisdictions with their regime status per activity."""
    from engine.passport import regime_on

    day = _parse_date(as_of) or dt.date.today()
    bundle = _load(None)
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


def main() -> None:
    """Entry point of the `jawaz` console script."""
    try:
        cli(standalone_mode=True)
    except KeyboardInterrupt:
        click.echo("interrupted", err=True)
        sys.exit(130)


if __name__ == "__main__":
    main()
