"""`jawaz docs build`: generate the rule-derived pages of the documentation site."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from engine.interfaces.cli.support import EXIT_FINDINGS, load, rules_option


@click.group()
def docs() -> None:
    """Documentation generated from the rules."""


@docs.command()
@click.option(
    "--out",
    type=click.Path(path_type=Path),
    default=Path("docs/generated"),
    show_default=True,
    help="Folder of the generated pages.",
)
@click.option("--check", is_flag=True, help="Write nothing; exit 1 if any page is stale.")
@rules_option
def build(out: Path, check: bool, rules: Path | None) -> None:
    """Write one page per jurisdiction, comparisons, matrices and open questions."""
    from engine.interfaces.site.build import build_pages, stale_files, write_pages

    pages = build_pages(load(None, rules))
    if check:
        stale = stale_files(pages, out)
        for path in stale:
            click.echo(f"stale: {out / path}")
        click.echo(f"{len(pages)} pages, {len(stale)} stale")
        if stale:
            click.echo("run `jawaz docs build` and commit the result", err=True)
            sys.exit(EXIT_FINDINGS)
        return
    write_pages(pages, out, click.echo)
    click.echo(f"{len(pages)} pages up to date in {out}")
