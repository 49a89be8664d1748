"""`jawaz` commands that ask the engine: passport, matrix, compare, jurisdictions."""

from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Callable
from pathlib import Path

import click

from engine.bundle import BACKENDS, Bundle
from engine.decisions.catalogue import ALL_HOSTS
from engine.errors import EngineError
from engine.interfaces.cli.support import (
    EXIT_FINDINGS,
    deliver,
    fail,
    load,
    parse_date,
    problem_text,
    rules_option,
)
from engine.presentation.glossary import glossary_of
from engine.presentation.registry import Kind, formats


def format_option(kind: Kind) -> Callable[[Callable[..., None]], Callable[..., None]]:
    """`--format`, with the choices the presentation registry has for `kind`."""
    choices = formats(kind)
    return click.option("--format", "output", type=click.Choice(choices), default=choices[0])


def backend_option() -> Callable[[Callable[..., None]], Callable[..., None]]:
    """`--backend`, with the backends a caller may choose."""
    return click.option("--backend", type=click.Choice(BACKENDS), default=BACKENDS[0])


def category_option(help_text: str) -> Callable[[Callable[..., None]], Callable[..., None]]:
    """`--category`, repeatable: requirement categories to keep (checked by
    `check_categories` once the bundle is loaded)."""
    return click.option("--category", "categories", multiple=True, help=help_text)


def check_categories(bundle: Bundle, categories: tuple[str, ...]) -> None:
    """Exit 2 naming any of `categories` the bundle's vocabulary does not declare."""
    known = [term.id for term in bundle.ir.vocabulary.categories]
    unknown = [c for c in categories if c not in known]
    if unknown:
        fail(f"--category {', '.join(unknown)}: not a category; one of {', '.join(known)}")


@click.command()
@click.argument("profile", type=click.Path(path_type=Path))
@click.option("--to", "host", required=True, help=f"Host jurisdiction code, or '{ALL_HOSTS}'.")
@click.option("--activity", help="Activity to ask about (default: the profile's only one).")
@click.option("--as-of", "as_of", help="Date of the question, YYYY-MM-DD (default: today).")
@click.option("--framework", help="Framework id (default: the status quo).")
@click.option("--apply-for", "apply_for", help="Evaluate this host licence only.")
@backend_option()
@click.option("--fx", "fx_file", type=click.Path(path_type=Path), help="Use your own FX rates.")
@format_option("decision")
@click.option("--out", type=click.Path(path_type=Path), help="Write the document to FILE.")
@click.option("--fail-on-ineligible", is_flag=True, help="Exit 1 unless every verdict is eligible.")
@rules_option
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
    out: Path | None,
    fail_on_ineligible: bool,
    rules: Path | None,
) -> None:
    """Can the firm in PROFILE operate in another jurisdiction, and what is missing?"""
    from engine.results import Decisions

    day = parse_date(as_of)
    bundle = load(fx_file, rules)
    try:
        firm = bundle.read_profile(profile)
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
            for code in bundle.hosts(firm, host, apply_for)
        ]
        answer = decisions[0] if host != ALL_HOSTS else Decisions(decisions=decisions)
        deliver(answer, output, out, glossary_of(bundle.ir))
    except EngineError as error:
        fail(problem_text(error))
    if fail_on_ineligible and any(d.verdict != "eligible" for d in decisions):
        sys.exit(EXIT_FINDINGS)


@click.command()
@click.option("--as-of", "as_of", help="Date, YYYY-MM-DD (default: today).")
@click.option(
    "--stale",
    metavar="DAYS",
    help="List only what was not verified within DAYS days of the as-of date.",
)
@format_option("jurisdictions")
@rules_option
def jurisdictions(as_of: str | None, stale: str | None, output: str, rules: Path | None) -> None:
    """List the bundle's jurisdictions with their regime status per activity."""
    day = parse_date(as_of)
    if stale is None:
        deliver(load(None, rules).regimes(day), output)
        return
    if not stale.isdecimal() or not stale.isascii():
        fail(f"--stale takes a whole number of days, 0 or more, not {stale!r}")
    deliver(load(None, rules).stale(int(stale), day), output)


@click.command()
@click.option("--activity", required=True, help="Activity, e.g. exchange.")
@click.option("--as-of", "as_of", help="Date, YYYY-MM-DD (default: today).")
@click.option("--framework", help="Framework id (default: the status quo).")
@backend_option()
@category_option("List only requirements of this category in the details (repeatable).")
@format_option("matrix")
@click.option("--out", type=click.Path(path_type=Path), help="Write the document to FILE.")
@rules_option
def matrix(
    activity: str,
    as_of: str | None,
    framework: str | None,
    backend: str,
    categories: tuple[str, ...],
    output: str,
    out: Path | None,
    rules: Path | None,
) -> None:
    """What a minimum-compliant licensee of each home licence gets in each host."""
    day = parse_date(as_of) or dt.date.today()
    bundle = load(None, rules)
    check_categories(bundle, categories)
    try:
        report = bundle.matrix_report(activity, as_of=day, framework=framework, backend=backend)
        if categories:
            report = report.of_categories(list(categories))
        deliver(report, output, out)
    except EngineError as error:
        fail(problem_text(error))


@click.command()
@click.argument("codes", nargs=-1, required=True)
@click.option("--activity", required=True, help="Activity, e.g. exchange.")
@click.option("--as-of", "as_of", help="Date, YYYY-MM-DD (default: today).")
@click.option(
    "--currency", default="USD", show_default=True, help="Currency to convert amounts into."
)
@category_option("Show only rows of this requirement category (repeatable).")
@format_option("comparison")
@click.option("--out", type=click.Path(path_type=Path), help="Write the document to FILE.")
@rules_option
def compare(
    codes: tuple[str, ...],
    activity: str,
    as_of: str | None,
    currency: str,
    categories: tuple[str, ...],
    output: str,
    out: Path | None,
    rules: Path | None,
) -> None:
    """Requirements of CODES for one activity, one column per licence, aligned."""
    day = parse_date(as_of) or dt.date.today()
    bundle = load(None, rules)
    check_categories(bundle, categories)
    try:
        result = bundle.compare(list(codes), activity, as_of=day, currency=currency)
        if categories:  # marks rank within a row, so dropping whole rows leaves them true
            rows = [row for row in result.rows if row.category in categories]
            result = result.model_copy(update={"rows": rows})
        deliver(result, output, out)
    except EngineError as error:
        fail(problem_text(error))
