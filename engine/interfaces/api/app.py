"""The HTTP API (`jawaz serve`): the app, assembled from one router per resource
(`routers/`), with its error handlers and its state.

Every passport decision is written to the decision log and committed before the answer is
sent. Client mistakes are 4xx answers with `{"errors": [{"path", "code", "message"}]}` (codes:
`problems.ErrorCode`); only a genuine server fault is a 500, and its body carries no internals.
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
from engine.inputs.profile_schema import profile_schemas
from engine.inputs.profiles import ProfileError
from engine.interfaces.api.middleware import MAX_BODY_BYTES, BodyLimit, Receive, Scope, Send
from engine.interfaces.api.models import COMPONENTS
from engine.interfaces.api.problems import ErrorCode, Problem, error_response
from engine.interfaces.api.request_fx import RatedBundles, RequestError
from engine.interfaces.api.routers import (
    compare,
    decisions,
    health,
    jurisdictions,
    matrix,
    passport,
    vocabulary,
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
    vocabulary.router,
    compare.router,
    matrix.router,
    health.router,
)

logger = logging.getLogger("jawaz.api")


# pydantic's error types with a code of their own; every other type is `invalid_value`.
VALIDATION_CODES = {
    "missing": ErrorCode.MISSING,
    "extra_forbidden": ErrorCode.UNKNOWN_FIELD,
    "string_too_long": ErrorCode.TOO_LONG,
    "too_long": ErrorCode.TOO_LONG,
    "json_invalid": ErrorCode.INVALID_JSON,
    "invalid_text": ErrorCode.INVALID_TEXT,
    "string_unicode": ErrorCode.INVALID_TEXT,
    "invalid_amount": ErrorCode.INVALID_AMOUNT,  # a lone surrogate, refused by pydantic itself
}
HTTP_CODES = {
    400: ErrorCode.INVALID_JSON,  # FastAPI failing to parse a body (JSON nested too deeply)
    404: ErrorCode.NOT_FOUND,
    405: ErrorCode.METHOD_NOT_ALLOWED,
}


def engine_problems(error: EngineError) -> list[Problem]:
    """The problems of an engine error; a profile's own paths under `profile.`."""
    if isinstance(error, ProfileError) and error.problems:
        return [
            (
                "profile" if path == "(top)" else f"profile.{path}",
                ErrorCode(error.codes.get(path, ErrorCode.INVALID_PROFILE)),
                message,
            )
            for path, message in error.problems
        ]
    return [(error.path or "", ErrorCode.INVALID_VALUE, error.message)]


def _validation_path(location: tuple[Any, ...]) -> str:
    parts = list(location)
    if parts and parts[0] in LOCATION_ROOTS:
        parts = parts[1:] or parts  # a wholly bad body is reported as `body`
    return ".".join(str(part) for part in parts)


def _install_error_handlers(app: FastAPI) -> None:
    async def invalid(request: Request, error: Exception) -> JSONResponse:
        assert isinstance(error, RequestValidationError)
        found: list[Problem] = [
            (
                # A JSON syntax error's location is a character offset: the field is the body.
                "body" if e["type"] == "json_invalid" else _validation_path(tuple(e["loc"])),
                VALIDATION_CODES.get(e["type"], ErrorCode.INVALID_VALUE),
                str(e["msg"]).removeprefix("Value error, "),
            )
            for e in error.errors()
        ]
        return error_response(422, found)

    async def refused(request: Request, error: Exception) -> JSONResponse:
        assert isinstance(error, EngineError)
        return error_response(422, engine_problems(error))

    async def request_error(request: Request, error: Exception) -> JSONResponse:
        assert isinstance(error, RequestError)
        return error_response(422, error.problems_found)

    async def http(request: Request, error: Exception) -> JSONResponse:
        assert isinstance(error, HTTPException)
        # 400 comes from FastAPI failing to parse the body (e.g. JSON nested too deeply).
        path = "body" if error.status_code == 400 else request.url.path
        code = HTTP_CODES.get(error.status_code, ErrorCode.INVALID_VALUE)
        answer = error_response(error.status_code, [(path, code, str(error.detail))])
        # Keep the exception's headers: a 405 must say which methods are `Allow`ed.
        answer.headers.update(error.headers or {})
        return answer

    async def fault(request: Request, error: Exception) -> JSONResponse:
        # Logged with its traceback for the operator; the client learns nothing internal.
        logger.exception("unexpected error answering %s", request.url.path)
        return error_response(500, [("", ErrorCode.INTERNAL_ERROR, "internal server error")])

    handlers: dict[type[Exception], Callable[[Request, Exception], Awaitable[JSONResponse]]] = {
        RequestValidationError: invalid,
        EngineError: refused,
        RequestError: request_error,
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
    app.state.jawaz = AppState(bundle=rules, log=log, rated=RatedBundles(rules))
    _install_error_handlers(app)
    for router in ROUTERS:
        app.include_router(router)
    app.add_middleware(BodyLimit)
    _describe_profiles(app, rules)
    return app


def _describe_profiles(app: FastAPI, bundle: Bundle) -> None:
    """Complete the OpenAPI document with the profile schema of `bundle`'s vocabulary,
    which the request models refer to (`#/components/schemas/Profile`)."""
    generate = app.openapi

    def document() -> dict[str, Any]:
        if app.openapi_schema is not None:  # built once; FastAPI keeps it there
            return app.openapi_schema
        schema = generate()
        components = schema.setdefault("components", {}).setdefault("schemas", {})
        components.update(profile_schemas(bundle.ir.vocabulary, COMPONENTS))
        return schema

    app.openapi = document  # type: ignore[method-assign]


def app_from_environment() -> FastAPI:
    """The app `jawaz serve` runs in each uvicorn worker (`JAWAZ_DB` names the log,
    `JAWAZ_RULES` the rule bundle's folder, which `jawaz serve` has checked is one, and
    `JAWAZ_FX` the server's own FX file, `jawaz serve --fx FILE`)."""
    rules = os.environ.get("JAWAZ_RULES")
    fx_file = os.environ.get("JAWAZ_FX") or None
    bundle = (
        load_bundle(Path(rules) if rules else None, fx_file=Path(fx_file) if fx_file else None)
        if rules or fx_file
        else None
    )
    return create_app(bundle, db_path=os.environ.get("JAWAZ_DB") or None)
