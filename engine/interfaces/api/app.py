"""The HTTP API (`jawaz serve`): the app, assembled from one router per resource
(`routers/`), with its error handlers and its state.

Every passport decision is written to the decision log and committed before the answer is
sent. Client mistakes are 4xx answers with `{"errors": [{"path", "message"}]}`; only a
genuine server fault is a 500, and its body carries no internals.
"""

from __future__ import annotations

import contextlib
import logging
import os
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path
from typing import Any

from fastapi import APIRouter, FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException

from engine.bundle import Bundle, load_bundle
from engine.errors import EngineError
from engine.interfaces.api.middleware import (
    MAX_BODY_BYTES,
    BodyLimit,
    Receive,
    Scope,
    Send,
    error_response,
)
from engine.interfaces.api.routers import (
    compare,
    decisions,
    health,
    jurisdictions,
    matrix,
    passport,
)
from engine.interfaces.api.state import AppState
from engine.interfaces.decision_log.log import open_log

__all__ = [
    "MAX_BODY_BYTES",
    "Receive",
    "Scope",
    "Send",
    "app_from_environment",
    "create_app",
]

DEFAULT_DB = Path("jawaz-decisions.sqlite3")
LOCATION_ROOTS = frozenset({"body", "query", "path", "header", "cookie"})
# In the order the OpenAPI document lists their paths.
ROUTERS: tuple[APIRouter, ...] = (
    passport.router,
    decisions.router,
    jurisdictions.router,
    compare.router,
    matrix.router,
    health.router,
)

logger = logging.getLogger("jawaz.api")


def engine_problems(error: EngineError) -> list[tuple[str, str]]:
    """(path, message) pairs of an engine error; a profile's own paths under `profile.`."""
    problems: list[tuple[str, str]] | None = getattr(error, "problems", None)
    if problems:
        return [("profile" if p == "(top)" else f"profile.{p}", m) for p, m in problems]
    return [(error.path or "", error.message)]


def _validation_path(location: tuple[Any, ...]) -> str:
    parts = list(location)
    if parts and parts[0] in LOCATION_ROOTS:
        parts = parts[1:] or parts  # a wholly bad body is reported as `body`
    return ".".join(str(part) for part in parts)


def _install_error_handlers(app: FastAPI) -> None:
    async def invalid(request: Request, error: Exception) -> JSONResponse:
        assert isinstance(error, RequestValidationError)
        found = [
            # A JSON syntax error's location is a character offset: the field is the body.
            ("body" if e["type"] == "json_invalid" else _validation_path(tuple(e["loc"])), e["msg"])
            for e in error.errors()
        ]
        return error_response(422, found)

    async def refused(request: Request, error: Exception) -> JSONResponse:
        assert isinstance(error, EngineError)
        return error_response(422, engine_problems(error))

    async def http(request: Request, error: Exception) -> JSONResponse:
        assert isinstance(error, HTTPException)
        # 400 comes from FastAPI failing to parse the body (e.g. JSON nested too deeply).
        path = "body" if error.status_code == 400 else request.url.path
        answer = error_response(error.status_code, [(path, str(error.detail))])
        # Keep the exception's headers: a 405 must say which methods are `Allow`ed.
        answer.headers.update(error.headers or {})
        return answer

    async def fault(request: Request, error: Exception) -> JSONResponse:
        # Logged with its traceback for the operator; the client learns nothing internal.
        logger.exception("unexpected error answering %s", request.url.path)
        return error_response(500, [("", "internal server error")])

    handlers: dict[type[Exception], Callable[[Request, Exception], Awaitable[JSONResponse]]] = {
        RequestValidationError: invalid,
        EngineError: refused,
        HTTPException: http,
        Exception: fault,
    }
    for kind, handler in handlers.items():
        app.add_exception_handler(kind, handler)


def create_app(bundle: Bundle | None = None, db_path: Path | str | None = None) -> FastAPI:
    """The API over `bundle` (default: the bundled rules), logging to `db_path`.

    `db_path` is a SQLite file or a `postgresql://` URL (see `open_log`).

    The app holds all state (bundle, log); the log is closed when the app shuts down.
    """
    rules = bundle if bundle is not None else load_bundle()
    log = open_log(db_path if db_path is not None else DEFAULT_DB)

    @contextlib.asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        yield
        log.close()

    app = FastAPI(
        lifespan=lifespan,
        title="Jawaz",
        version="1",
        summary="Passportable cross-border regulatory rules for virtual-asset service providers",
    )
    app.state.jawaz = AppState(bundle=rules, log=log)
    _install_error_handlers(app)
    for router in ROUTERS:
        app.include_router(router)
    app.add_middleware(BodyLimit)
    return app


def app_from_environment() -> FastAPI:
    """The app `jawaz serve` runs in each uvicorn worker (`JAWAZ_DB` names the log,
    `JAWAZ_RULES` the rule bundle's folder, which `jawaz serve` has checked is one)."""
    rules = os.environ.get("JAWAZ_RULES")
    bundle = load_bundle(Path(rules)) if rules else None
    return create_app(bundle, db_path=os.environ.get("JAWAZ_DB") or None)
