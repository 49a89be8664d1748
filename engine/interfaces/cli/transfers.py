"""`jawaz transfer`: the Travel Rule check of one transfer at both ends."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from engine.interfaces.cli.support import (
    EXIT_FINDINGS,
    EXIT_OK,
    EXIT_USAGE,
    fail,
    load,
    parse_date,
    rules_option,
)


def _problems(error: Exception) -> None:
    """Each problem of a transfer or register on its own line, with its stable code."""
    for problem in getattr(error, "problems", ()):
        click.echo(f"{problem.path}: error[{problem.code}]: {problem.message}", err=True)


@click.command()
@click.argument("transfer_file", metavar="TRANSFER.json", type=click.Path(path_type=Path))
@click.option(
    "--as-of",
    "as_of",
    help="Answer under the rules and rates of this day (YYYY-MM-DD; default: the transfer's date).",
)
@click.option(
    "--register",
    "register_file",
    type=click.Path(path_type=Path),
    help="A register of firms (JSON or YAML): who is a licensed VASP.",
)
@click.option("--format", "output", type=click.Choice(["text", "json"]), default="text")
@click.option(
    "--fx",
    "fx_file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Your own FX rates (a .rules file of fx blocks).",
)
@rules_option
def transfer(
    transfer_file: Path,
    as_of: str | None,
    register_file: Path | None,
    output: str,
    fx_file: Path | None,
    rules: Path | None,
) -> None:
    """Check a transfer's Travel Rule data at both ends, its counterparty and its corridor.

    Exit 0 when the corridor is open and the payload carries everything demanded; 1 when
    the corridor is blocked, a demanded element is missing or a counterparty is not on the
    register; 2 for a transfer or register that cannot be read.
    """
    from engine.decisions.transfers import TransferChecker
    from engine.errors import EngineError
    from engine.inputs.profiles import read_profile_data
    from engine.inputs.transfers import TransferError, read_register, read_transfer
    from engine.presentation.transfer_text import transfer_text

    day = parse_date(as_of)
    bundle = load(fx_file, rules)
    try:
        data = read_profile_data(transfer_file)
        parsed = read_transfer(data, bundle.jurisdictions)
        register = (
            read_register(read_profile_data(register_file)) if register_file is not None else None
        )
        checker = TransferChecker(bundle.ir, bundle.fx, bundle.rules_hash, bundle.name)
        result = checker.check(parsed, register, day)
    except TransferError as error:
        _problems(error)
        sys.exit(EXIT_USAGE)
    except EngineError as error:
        fail(str(error))
    if output == "json":
        click.echo(result.model_dump_json(indent=2))
    else:
        click.echo(transfer_text(result), nl=False)
    findings = (
        result.corridor == "blocked"
        or result.payload == "incomplete"
        or any(e.counterparty.status == "not_licensed" for e in result.ends)
    )
    sys.exit(EXIT_FINDINGS if findings else EXIT_OK)
