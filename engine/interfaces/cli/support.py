"""Helpers shared by the `jawaz` commands: exit codes, errors, dates, loading."""

from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn, TypeVar

import click

from engine.presentation.glossary import Glossary
from engine.presentation.registry import (
    Kind,
    Options,
    Renderable,
    is_binary,
    is_single,
    kind_of,
    render,
)
from rulesdsl.errors import Diagnostic, DslError, render_one
from rulesdsl.loader import VOCABULARY_FILE, display_path, find_bundle_root
from rulesdsl.syntax.sources import preview

if TYPE_CHECKING:
    from engine.bundle import Bundle

EXIT_OK, EXIT_FINDINGS, EXIT_USAGE = 0, 1, 2
RULES_ENV = "JAWAZ_RULES"  # the default of every `--rules` option

Command = TypeVar("Command", bound=Callable[..., Any])


def _bundle_folder(ctx: click.Context, param: click.Parameter, value: Path | None) -> Path | None:
    """`--rules`, checked to be a bundle's root folder and resolved (None: the bundled one)."""
    if value is None:
        return None
    source = ctx.get_parameter_source(param.name or "rules")
    given = RULES_ENV if source is click.core.ParameterSource.ENVIRONMENT else "--rules"
    if not value.is_dir():
        raise click.BadParameter(f"{value}: no such folder", ctx, param, given)
    if not (value / VOCABULARY_FILE).is_file():
        inside = find_bundle_root(value)
        hint = f"; it lies inside the bundle {display_path(inside)}" if inside else ""
        raise click.BadParameter(
            f"{value} is not a rule bundle: a bundle is a folder holding {VOCABULARY_FILE}{hint}",
            ctx,
            param,
            given,
        )
    return value.resolve()


def rules_option(command: Command) -> Command:
    """`--rules PATH`: the rule bundle a command reads (default: `$JAWAZ_RULES`, else the
    bundled rules); the flag wins over the variable."""
    option = click.option(
        "--rules",
        "rules",
        type=click.Path(path_type=Path),
        envvar=RULES_ENV,
        show_envvar=True,
        callback=_bundle_folder,
        help="Rule bundle: a folder holding vocabulary.rules (default: the bundled rules).",
    )
    return option(command)


def rules_root(rules: Path | None) -> Path:
    """The root folder of the bundle a command reads: `--rules`, or the bundled rules."""
    from rulesdsl.loader import bundled_root

    return rules if rules is not None else bundled_root()


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


def load(fx_file: Path | None = None, rules: Path | None = None) -> Bundle:
    """The rules of the bundle at `rules` (default: the bundled rules), with the caller's FX
    file, if any; or exit 2 with diagnostics."""
    from engine.bundle import load_bundle
    from engine.errors import EngineError

    try:
        return load_bundle(rules, fx_file=fx_file)
    except DslError as error:
        shown = {d.span.file: preview(Path(d.span.file)) for d in error.diagnostics}
        emit_diagnostics(list(error.diagnostics), {k: v for k, v in shown.items() if v is not None})
        fail("the rules or the FX file do not check clean")
    except EngineError as error:
        fail(str(error))


def missing_renderer_text(error: ModuleNotFoundError) -> str:
    """How to install what the PDF format needs."""
    from engine.presentation.pdf import INSTALL_HINT

    return f"--format pdf needs WeasyPrint ({error.name} is missing): {INSTALL_HINT}"


def problem_text(error: Exception) -> str:
    """An engine error as text; a profile's problems one per line."""
    problems = getattr(error, "problems", None)
    if problems:
        source = str(error).split(":", 1)[0]
        codes: dict[str, str] = getattr(error, "codes", {})
        lines = "\n".join(
            f"  {path}: {message}" + (f" [{codes[path]}]" if path in codes else "")
            for path, message in problems
        )
        return f"{source}: invalid profile\n{lines}"
    return str(error)


def deliver(
    result: Renderable, fmt: str, out: Path | None = None, glossary: Glossary | None = None
) -> None:
    """Render `result` in `fmt` and write it to `out`, or to stdout when it is text.
    `glossary` defines the terms of documents that carry one (the passport memo).

    Raises:
        EngineError: a binary format without `out` (it would garble a terminal), a memo
            format asked of several decisions, or a PDF without its renderer installed.
    """
    from engine.errors import EngineError
    from engine.results import Decisions

    kind: Kind = kind_of(result)
    if out is None and is_binary(kind, fmt):
        raise EngineError(f"--format {fmt} writes a binary file: give --out FILE")
    if isinstance(result, Decisions) and is_single(kind, fmt):
        raise EngineError(f"--format {fmt} is a memo on one host's decision: ask one --to")
    options = Options(colour=out is None and sys.stdout.isatty(), glossary=glossary or Glossary())
    try:
        data = render(result, fmt, options)
    except ModuleNotFoundError as error:  # the optional PDF renderer is not installed
        if fmt != "pdf":
            raise
        raise EngineError(missing_renderer_text(error)) from None
    if out is not None:
        out.write_bytes(data)
        return
    sys.stdout.buffer.write(data)
    sys.stdout.flush()
