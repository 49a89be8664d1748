"""`jawaz serve` (the HTTP API) and `jawaz replay` (re-check a logged decision)."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Any

import click

from engine.errors import EngineError
from engine.interfaces.cli.support import EXIT_FINDINGS, fail, load, problem_text

LOOPBACK = frozenset({"127.0.0.1", "::1", "localhost"})


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to bind.")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(0, 65535))
@click.option(
    "--db",
    default="jawaz-decisions.sqlite3",
    show_default=True,
    help="Decision log: a SQLite file (created on first start) or a postgresql:// URL.",
)
@click.option("--workers", default=1, show_default=True, type=click.IntRange(1, 64))
def serve(host: str, port: int, db: str, workers: int) -> None:
    """Serve the HTTP API (loopback only unless --host says otherwise)."""
    import uvicorn
    from uvicorn.supervisors import Multiprocess

    from engine.interfaces.api.server_config import TcpConfig
    from engine.interfaces.decision_log.log import is_postgres_url

    if host not in LOOPBACK:
        click.echo(
            f"warning: binding {host}: the API has no authentication; put it behind a proxy",
            err=True,
        )
    # Workers are separate processes: each builds its own app from the environment.
    os.environ["JAWAZ_DB"] = db if is_postgres_url(db) else str(Path(db).resolve())
    config = TcpConfig(
        "engine.interfaces.api.app:app_from_environment",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        log_level="warning",
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
@click.option(
    "--db",
    type=click.Path(path_type=Path, exists=True, dir_okay=False),
    default=Path("jawaz-decisions.sqlite3"),
    show_default=True,
)
def replay(decision_id: str, db: Path) -> None:
    """Re-evaluate a logged decision with the current rules; exit 1 if the answer differs."""
    from engine.interfaces.decision_log.log import open_log

    log = open_log(db)
    try:
        stored = log.get(decision_id)
    finally:
        log.close()
    if stored is None:
        fail(f"no decision {decision_id!r} in {db}")
    bundle = load()
    if bundle.hash != stored.bundle_hash:
        click.echo(
            f"bundle changed: decision {decision_id} was made with rules {stored.bundle_hash}, "
            f"the current rules are {bundle.hash}; the recorded bundle is not available, so "
            "the replay below uses the current rules",
            err=True,
        )
    request = stored.request
    try:
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
    changed = differences(stored.decision, json.loads(decision.model_dump_json()))
    if not changed and bundle.hash == stored.bundle_hash:
        click.echo("identical")
        return
    for path in changed:
        click.echo(f"differs: {path}")
    sys.exit(EXIT_FINDINGS)
