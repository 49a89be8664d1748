"""`jawaz` commands for regulators and legal teams: explain and diff (the redline)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING

import click

from engine.errors import EngineError
from engine.interfaces.cli.questions import format_option
from engine.interfaces.cli.support import (
    deliver,
    emit_diagnostics,
    fail,
    parse_date,
    problem_text,
    rules_option,
)
from rulesdsl.errors import DslError
from rulesdsl.syntax.sources import preview

if TYPE_CHECKING:
    from engine.bundle import Bundle


def _load(rules: Path | None, which: str = "the rules") -> Bundle:
    """The rules at `rules` (None: the bundled ones), or exit 2 with their diagnostics."""
    from engine.bundle import load_bundle

    try:
        return load_bundle(rules)
    except DslError as error:
        shown = {d.span.file: preview(Path(d.span.file)) for d in error.diagnostics}
        emit_diagnostics(list(error.diagnostics), {k: v for k, v in shown.items() if v is not None})
        fail(f"{which} do not check clean")
    except EngineError as error:
        fail(str(error))


@click.command()
@click.argument("requirement")
@click.argument("profile", type=click.Path(path_type=Path))
@click.option("--to", "host", help="Host jurisdiction (default: the one whose rule it is).")
@click.option("--activity", help="Activity to ask about (default: the profile's only one).")
@click.option("--as-of", "as_of", help="Date of the question, YYYY-MM-DD (default: today).")
@click.option("--framework", help="Framework id (default: the status quo).")
@format_option("explanation")
@rules_option
def explain(
    requirement: str,
    profile: Path,
    host: str | None,
    activity: str | None,
    as_of: str | None,
    framework: str | None,
    output: str,
    rules: Path | None,
) -> None:
    """One REQUIREMENT against the firm in PROFILE, step by step, with the passport's line."""
    day = parse_date(as_of)
    bundle = _load(rules)
    try:
        firm = bundle.read_profile(profile)
        result = bundle.explain(firm, requirement, host, activity, day, framework)
    except EngineError as error:
        fail(problem_text(error))
    deliver(result, output)


@click.command()
@click.option("--since", help="Redline from this date, YYYY-MM-DD (with --until).")
@click.option("--until", help="Redline to this date, YYYY-MM-DD (with --since).")
@click.option("--base", help="Redline from these rules: a folder, or a git revision.")
@click.option("--as-of", "as_of", help="With --base: compare what binds on this date.")
@click.option("--to", "hosts", multiple=True, help="Only these jurisdictions (repeatable).")
@click.option(
    "--profiles",
    type=click.Path(path_type=Path, file_okay=False),
    help="Folder of firm profiles (*.yaml): whose answers change.",
)
@format_option("redline")
@click.option("--out", type=click.Path(path_type=Path), help="Write the document to FILE.")
@rules_option
def diff(
    since: str | None,
    until: str | None,
    base: str | None,
    as_of: str | None,
    hosts: tuple[str, ...],
    profiles: Path | None,
    output: str,
    out: Path | None,
    rules: Path | None,
) -> None:
    """What changed in the requirements between two dates (--since, --until) or since a
    base revision of the rules (--base), per jurisdiction; with --profiles, for whom."""
    dates = _dates(since, until, base, as_of)
    day = parse_date(as_of)
    codes = [c for given in hosts for c in given.split(",") if c] or None
    firms = _profiles(profiles) if profiles is not None else None
    bundle = _load(rules)
    if base is None:
        _deliver_redline(bundle, None, dates, day, codes, firms, output, out, None)
        return
    from engine.interfaces.cli.revisions import base_folder, temporary_folder
    from rulesdsl.loader import bundled_root

    with temporary_folder() as scratch:
        try:
            folder = base_folder(base, rules or bundled_root(), Path(scratch))
        except EngineError as error:
            fail(str(error))
        old = _load(folder, f"the base rules ({base})")
        _deliver_redline(bundle, old, dates, day, codes, firms, output, out, base)


def _deliver_redline(
    bundle: Bundle,
    base: Bundle | None,
    dates: tuple[dt.date, dt.date] | None,
    day: dt.date | None,
    codes: list[str] | None,
    firms: list[Path] | None,
    output: str,
    out: Path | None,
    label: str | None,
) -> None:
    try:
        result = bundle.redline(base, dates, day, codes, firms, label)
        deliver(result, output, out)
    except EngineError as error:
        fail(problem_text(error))


def _dates(
    since: str | None, until: str | None, base: str | None, as_of: str | None
) -> tuple[dt.date, dt.date] | None:
    """The two dates of a redline between dates; None for one between revisions."""
    if base is not None:
        if since is not None or until is not None:
            fail("--base compares two revisions at one date: give --as-of, not --since/--until")
        return None
    if as_of is not None:
        fail("--as-of goes with --base; between dates, give --since and --until")
    first, last = parse_date(since, "--since"), parse_date(until, "--until")
    if first is None or last is None:
        fail("give --since D1 --until D2 (two dates), or --base PATH|GITREF (two revisions)")
    if first > last:
        fail(f"--since {first} is after --until {last}")
    return first, last


def _profiles(folder: Path) -> list[Path]:
    if not folder.is_dir():
        fail(f"--profiles {folder}: no such folder")
    found = sorted(p for p in folder.iterdir() if p.suffix in (".yaml", ".yml"))
    if not found:
        fail(f"--profiles {folder}: no *.yaml profiles there")
    return found
