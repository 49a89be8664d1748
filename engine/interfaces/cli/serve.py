"""`jawaz serve` (the HTTP API) and `jawaz replay` (re-check a logged decision)."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from engine.errors import EngineError
from engine.interfaces.cli.support import (
    EXIT_FINDINGS,
    RULES_ENV,
    fail,
    load,
    problem_text,
    rules_option,
)
from engine.interfaces.decision_log.target import (
    LogTarget,
    PostgresTarget,
    SqliteTarget,
    parse_target,
)

if TYPE_CHECKING:
    from engine.interfaces.decision_log.records import StoredDecision
    from engine.results import Decision

LOOPBACK = frozenset({"127.0.0.1", "::1", "localhost"})
DEFAULT_DB = "jawaz-decisions.sqlite3"
DB_HELP = (
    "Decision log: a SQLite file (a path, sqlite:PATH or sqlite:///ABSOLUTE/PATH) "
    "or a postgresql:// URL."
)


class LogTargetParam(click.ParamType[LogTarget]):
    """`--db`: parsed once, by the decision log's own parser, for serve and replay."""

    name = "db"

    def convert(
        self, value: Any, param: click.Parameter | None, ctx: click.Context | None
    ) -> LogTarget:
        """The `LogTarget` a `--db` value names (a usage error if it names none)."""
        if isinstance(value, SqliteTarget | PostgresTarget):
            return value
        try:
            return parse_target(str(value))
        except EngineError as error:
            self.fail(error.message, param, ctx)


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to bind.")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(0, 65535))
@click.option(
    "--db",
    type=LogTargetParam(),
    default=DEFAULT_DB,
    show_default=True,
    help=f"{DB_HELP} A SQLite file is created on first start.",
)
@click.option("--workers", default=1, show_default=True, type=click.IntRange(1, 64))
@rules_option
@click.option(
    "--fx",
    "fx_file",
    type=click.Path(path_type=Path),
    help="Your own FX rates (as for passport --fx), for every request.",
)
def serve(
    host: str, port: int, db: LogTarget, workers: int, rules: Path | None, fx_file: Path | None
) -> None:
    """Serve the HTTP API (loopback only unless --host says otherwise)."""
    import uvicorn
    from uvicorn.supervisors import Multiprocess

    from engine.interfaces.api.server_config import JsonErrorH11Protocol, TcpConfig

    if host not in LOOPBACK:
        click.echo(
            f"warning: binding {host}: the API has no authentication; put it behind a proxy",
            err=True,
        )
    if fx_file is not None:
        load(fx_file, rules)  # checked here, once: a bad file exits 2 with its diagnostics
    # Workers are separate processes: each builds its own app from the environment.
    os.environ["JAWAZ_DB"] = db.for_workers()
    os.environ["JAWAZ_FX"] = str(fx_file.resolve()) if fx_file is not None else ""
    if rules is not None:  # checked to be a bundle's root by --rules
        load(None, rules)  # rules that do not check clean stop here, not in each worker
        os.environ[RULES_ENV] = str(rules)
    else:
        os.environ.pop(RULES_ENV, None)
    config = TcpConfig(
        "engine.interfaces.api.app:app_from_environment",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        log_level="warning",
        # Pinned (not `auto`), so a malformed request gets the API's JSON 400 whatever else
        # is installed.
        http=JsonErrorH11Protocol,
    )
    server = uvicorn.Server(config)
    if workers == 1:
        server.run()
        return
    Multiprocess(config, sockets=[config.bind_socket()]).run()


def differences(old: Any, new: Any, path: str = "") -> list[str]:
    """Dotted paths where two JSON values differ."""
    if isinstance(old, dict) and isinstance(new, dict):
        return [
            found
            for key in sorted(set(old) | set(new))
            for found in differences(old.get(key), new.get(key), f"{path}.{key}" if path else key)
        ]
    if isinstance(old, list) and isinstance(new, list) and len(old) == len(new):
        return [
            found
            for index, (a, b) in enumerate(zip(old, new, strict=True))
            for found in differences(a, b, f"{path}[{index}]")
        ]
    return [] if old == new else [path or "(whole decision)"]


@click.command()
@click.argument("decision_id")
@click.option("--db", type=LogTargetParam(), default=DEFAULT_DB, show_default=True, help=DB_HELP)
@rules_option
def replay(decision_id: str, db: LogTarget, rules: Path | None) -> None:
    """Re-evaluate a logged decision with the current rules; exit 1 if the answer differs."""
    stored = _stored(decision_id, db)
    bundle = load(None, rules)
    request = stored.request
    try:
        if request.get("fx"):  # the request's own FX rates, as the server added them
            from engine.interfaces.api.request_fx import RatedBundles, rates_of

            bundle = RatedBundles(bundle).for_rates(rates_of(request["fx"]))
        firm = bundle.profile(request["profile"], "profile")
        decision = bundle.passport(
            firm,
            host=stored.host,
            activity=request.get("activity"),
            as_of=stored.as_of,
            framework=request.get("framework"),
            backend=request.get("backend", "fast"),
            apply_for=request.get("apply_for"),
        )
    except EngineError as error:
        fail(f"the logged request no longer evaluates: {problem_text(error)}")
    hashes = _changed_hashes(stored, decision)
    changed = differences(stored.decision, json.loads(decision.model_dump_json()))
    if not changed and not hashes:
        click.echo("identical")
        return
    for path in changed:
        click.echo(f"differs: {path}")
    sys.exit(EXIT_FINDINGS)


def _stored(decision_id: str, db: LogTarget) -> StoredDecision:
    """The logged decision, or exit 2 if the log or the decision is not there."""
    from engine.interfaces.decision_log.log import open_log

    if isinstance(db, SqliteTarget) and not db.path.is_file():
        # Opening would create an empty log: a mistyped path must say so instead.
        fail(f"no decision log at {db.shown()}")
    try:
        log = open_log(db)
    except Exception as error:  # a driver's connection error: the database, not us
        fail(f"cannot open the decision log {db.shown()}: {type(error).__name__}: {error}")
    try:
        stored = log.get(decision_id)
    finally:
        log.close()
    if stored is None:
        fail(f"no decision {decision_id!r} in {db.shown()}")
    return stored


def _changed_hashes(stored: StoredDecision, decision: Decision) -> list[str]:
    """Say on stderr which of the hashes differ from the recorded ones; their names."""
    changed = []
    for name, recorded, current, what in (
        ("rules_hash", stored.rules_hash, decision.rules_hash, "rules"),
        ("fx_hash", stored.fx_hash, decision.fx_hash, "FX rates"),
    ):
        if recorded == current:
            continue
        changed.append(name)
        was = recorded if recorded is not None else "not recorded"
        click.echo(
            f"{name} differs: the {what} changed since decision {stored.decision_id} "
            f"(recorded {was}, now {current}); the recorded {what} are not available, so the "
            f"replay uses the current ones",
            err=True,
        )
    return changed
