"""Helpers shared by the `jawaz` commands: exit codes, errors, dates, loading."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

import click

from engine.presentation.registry import Kind, Options, Renderable, is_binary, kind_of, render
from rulesdsl.errors import Diagnostic, DslError, render_one
from rulesdsl.syntax.sources import preview

if TYPE_CHECKING:
    from engine.bundle import Bundle

EXIT_OK, EXIT_FINDINGS, EXIT_USAGE = 0, 1, 2


def emit_diagnostics(diagnostics: list[Diagnostic], sources: dict[str, str]) -> None:
    """Print diagnostics to stderr with their source lines."""
    split = {path: text.split("\n") for path, text in sources.items()}
    for diagnostic in diagnostics:
        click.echo(render_one(diagnostic, split.get(diagnostic.span.file)) + "\n", err=True)


def emit_case_problems(problems: list[Diagnostic]) -> None:
    """Print a case file's diagnostics (E7xx) to stderr with the lines they point at."""
    files = {d.span.file for d in problems}
    shown = {f: preview(Path(f)) for f in files}
    emit_diagnostics(problems, {f: text for f, text in shown.items() if text is not None})


def parse_date(value: str | None, option: str = "--as-of") -> dt.date | None:
    """An ISO date from an option, or a usage error naming the option."""
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(
            f"{value!r} is not a date (YYYY-MM-DD)", param_hint=option
        ) from None


def fail(message: str) -> NoReturn:
    """Report a usage or input error and exit 2."""
    click.echo(f"error: {message}", err=True)
    sys.exit(EXIT_USAGE)


def load(fx_file: Path | None = None) -> Bundle:
    """The bundled rules (with the caller's FX file, if any), or exit 2 with diagnostics."""
    from engine.bundle import load_bundle
    from engine.errors import EngineError

    try:
        return load_bundle(fx_file=fx_file)
    except DslError as error:
        shown = {d.span.file: preview(Path(d.span.file)) for d in error.diagnostics}
        emit_diagnostics(list(error.diagnostics), {k: v for k, v in shown.items() if v is not None})
        fail("the rules or the FX file do not check clean")
    except EngineError as error:
        fail(str(error))


def problem_text(error: Exception) -> str:
    """An engine error as text; a profile's problems one per line."""
    problems = getattr(error, "problems", None)
    if problems:
        source = str(error).split(":", 1)[0]
        lines = "\n".join(f"  {path}: {message}" for path, message in problems)
        return f"{source}: invalid profile\n{lines}"
    return str(error)


def deliver(result: Renderable, fmt: str, out: Path | None = None) -> None:
    """Render `result` in `fmt` and write it to `out`, or to stdout when it is text.

    Raises:
        EngineError: a binary format without `out` (it would garble a terminal).
    """
    from engine.errors import EngineError

    kind: Kind = kind_of(result)
    if out is None and is_binary(kind, fmt):
        raise EngineError(f"--format {fmt} writes a binary file: give --out FILE")
    data = render(result, fmt, Options(colour=out is None and sys.stdout.isatty()))
    if out is not None:
        out.write_bytes(data)
        return
    sys.stdout.buffer.write(data)
    sys.stdout.flush()
