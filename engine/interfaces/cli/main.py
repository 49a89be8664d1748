"""The `jawaz` command line.

Exit codes (DESIGN §5): 0 ok; 1 findings (errors in rules, failed cases, not eligible
where asked); 2 usage or input error. Errors go to stderr and never as a traceback.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import click

from engine.interfaces.cli.docs import docs
from engine.interfaces.cli.questions import compare, jurisdictions, matrix, passport
from engine.interfaces.cli.review import diff, explain
from engine.interfaces.cli.scaffold import new
from engine.interfaces.cli.serve import replay, serve
from engine.interfaces.cli.support import (
    EXIT_FINDINGS,
    EXIT_OK,
    EXIT_USAGE,
    emit_diagnostics,
    rules_option,
    rules_root,
)
from engine.interfaces.cli.testing import test_cases
from engine.interfaces.cli.transfers import transfer
from rulesdsl.errors import Diagnostic, render_json, summary_line
from rulesdsl.loader import check_paths, display_path
from rulesdsl.syntax.sources import preview

INPUT_MISSING = {"E001", "E007"}  # the path itself is wrong: a usage error, not a finding


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="jawaz", prog_name="jawaz")
def cli() -> None:
    """Jawaz: passportable cross-border regulatory rules for virtual-asset service providers."""


def _default_paths(paths: tuple[Path, ...], rules: Path | None) -> list[Path]:
    return list(paths) if paths else [rules_root(rules)]


@cli.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--format", "output", type=click.Choice(["text", "json"]), default="text")
@click.option("--strict", is_flag=True, help="Fail (exit 1) on warnings too, not only errors.")
@rules_option
def check(paths: tuple[Path, ...], output: str, strict: bool, rules: Path | None) -> None:
    """Check rule files for errors (default: every rule file of the bundle).

    A folder means every .rules file below it; a file is checked within the bundle it
    belongs to (one outside any bundle, with the vocabulary of --rules). With --strict,
    warnings fail the check too.
    """
    report = check_paths(_default_paths(paths, rules), rules)
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
        emit_diagnostics(report.diagnostics, report.sources)
        click.echo(
            f"checked {len(report.files)} file{'s' if len(report.files) != 1 else ''}, "
            f"{report.requirements} requirement{'s' if report.requirements != 1 else ''}: "
            f"{summary_line(report.diagnostics)}"
        )
    if any(d.code in INPUT_MISSING for d in report.diagnostics) and not report.files:
        sys.exit(EXIT_USAGE)
    failed = report.errors or (strict and report.warnings)
    sys.exit(EXIT_FINDINGS if failed else EXIT_OK)


@cli.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--check", "check_only", is_flag=True, help="Only report files that would change.")
@rules_option
def fmt(paths: tuple[Path, ...], check_only: bool, rules: Path | None) -> None:
    """Rewrite rule files in the canonical layout (default: every rule file of the bundle)."""
    from rulesdsl.loader import rule_files
    from rulesdsl.tools.formatter import format_file

    files: list[Path] = []
    for path in _default_paths(paths, rules):
        if path.is_dir():
            found = rule_files(path)
            if not found:
                click.echo(f"{path}: error: no .rules files here", err=True)
                sys.exit(EXIT_USAGE)
            files.extend(found)
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
            shown = preview(path)
            emit_diagnostics([result], {result.span.file: shown} if shown is not None else {})
            continue
        original, formatted = result
        if original == formatted:
            continue
        changed += 1
        if check_only:
            click.echo(f"would reformat {display_path(path)}")
        else:
            _replace_file(path, formatted)
            click.echo(f"reformatted {display_path(path)}")
    verb = "would be reformatted" if check_only else "reformatted"
    noun = "file" if len(files) == 1 else "files"
    click.echo(f"{len(files)} {noun} checked, {changed} {verb}, {failed} could not be parsed")
    if failed or (check_only and changed):
        sys.exit(EXIT_FINDINGS)


for _command in (
    passport,
    transfer,
    explain,
    diff,
    matrix,
    compare,
    jurisdictions,
    test_cases,
    new,
    docs,
    serve,
    replay,
):
    cli.add_command(_command)


def _replace_file(path: Path, text: str) -> None:
    """Write `text` to `path` atomically: a crash mid-write leaves the old file intact."""
    temporary = path.with_name(f".{path.name}.jawaz-fmt")
    temporary.write_text(text, encoding="utf-8")
    os.replace(temporary, path)


def main() -> None:
    """Entry point of the `jawaz` console script."""
    try:
        cli(standalone_mode=True)
    except KeyboardInterrupt:
        click.echo("interrupted", err=True)
        sys.exit(130)
    except Exception as error:  # a fault of Jawaz, not of the input: say so, briefly
        if os.environ.get("JAWAZ_DEBUG"):
            raise
        click.echo(
            f"internal error: {type(error).__name__}: {error}\n"
            "This is a fault in Jawaz, not in your input; run with JAWAZ_DEBUG=1 to see "
            "the traceback, and please report it.",
            err=True,
        )
        sys.exit(70)


if __name__ == "__main__":
    main()
