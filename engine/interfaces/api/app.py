"""The HTTP API (`jawaz serve`): passport, matrix, compare, jurisdictions, decision log.

Every passport decision is written to the decision log and committed before the answer is
sent. Client mistakes are 4xx answers with `{"errors": [{"path", "message"}]}`; only a
genuine server fault is a 500, and its body carries no internals.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import os
import threading
from collections.abc import AsyncIterator, Awaitable, Callable, MutableMapping
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException

from engine.bundle import Bundle, load_bundle
from engine.errors import EngineError
from engine.interfaces.api.models import (
    ERROR_RESPONSES,
    Health,
    IsoDate,
    JurisdictionList,
    JurisdictionSummary,
    PassportRequest,
    RecordedDecision,
    example_profile,
)
from engine.interfaces.decision_log.log import DecisionLog, StoredDecision, open_log
from engine.results import ComparisonResult, Decision, MatrixResult

MAX_BODY_BYTES = 256 * 1024
DEFAULT_DB = Path("jawaz-decisions.sqlite3")
LOCATION_ROOTS = frozenset({"body", "query", "path", "header", "cookie"})

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

logger = logging.getLogger("jawaz.api")


def problems_body(problems: list[tuple[str, str]]) -> dict[str, Any]:
    """The JSON body of an error answer."""
    return {"errors": [{"path": path, "message": message} for path, message in problems]}


def error_response(status: int, problems: list[tuple[str, str]]) -> JSONResponse:
    """An error answer naming each field at fault."""
    return JSONResponse(problems_body(problems), status_code=status)


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


class BodyLimit:
    """Refuse bodies over `limit` bytes with 413, before anything parses them.

    Content-Length is checked first; a chunked or lying client is caught while its body is
    read, since the whole body is buffered here (at most `limit` bytes) and replayed.
    """

    def __init__(self, app: ASGIApp, limit: int = MAX_BODY_BYTES) -> None:
        self.app = app
        self.limit = limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = dict(scope.get("headers") or [])
        declared = headers.get(b"content-length", b"0")
        if not declared.isdigit():
            problem = [("content-length", "not a byte count")]
            await error_response(400, problem)(scope, receive, send)
            return
        if int(declared) > self.limit:
            await self._refuse(scope, receive, send)
            return
        chunks: list[bytes] = []
        size, more = 0, True
        while more:
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > self.limit:
                await self._refuse(scope, receive, send)
                return
            chunks.append(chunk)
            more = message.get("more_body", False)
        body = b"".join(chunks)
        replayed = False
        if body and scope.get("method") == "POST" and not _declares_json(headers):
            # Every body this API takes is JSON: `curl -d @request.json` (sent as a form)
            # is read as what it is, and still refused with a field path if it is not JSON.
            scope = dict(scope)
            kept = [(k, v) for k, v in scope.get("headers") or [] if k != b"content-type"]
            scope["headers"] = [*kept, (b"content-type", b"application/json")]

        async def replay() -> Message:
            nonlocal replayed
            if replayed:
                return await receive()
            replayed = True
            return {"type": "http.request", "body": body, "more_body": False}

        await self.app(scope, replay, send)

    async def _refuse(self, scope: Scope, receive: Receive, send: Send) -> None:
        message = f"the body exceeds {self.limit} bytes"
        await error_response(413, [("body", message)])(scope, receive, send)


def _declares_json(headers: dict[bytes, bytes]) -> bool:
    kind = headers.get(b"content-type", b"").split(b";")[0].strip().lower()
    return kind == b"application/json" or kind.endswith(b"+json")


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


def _recorded(log: DecisionLog, request: dict[str, Any], decision: Decision) -> dict[str, Any]:
    stored = log.record(request, decision)
    return {**stored.decision, "decision_id": stored.decision_id, "recorded_at": stored.recorded_at}


def _decide(
    bundle: Bundle, log: DecisionLog, body: PassportRequest, durable: threading.Lock
) -> Any:
    profile = bundle.profile(body.profile, "profile")
    if body.host == "all" and body.apply_for is not None:
        raise EngineError("apply_for names a licence of one host; give a host code", "apply_for")
    hosts = (
        sorted(c for c in bundle.jurisdictions if c != profile.home)
        if body.host == "all"
        else [body.host]
    )
    options = body.model_dump(exclude={"profile", "host"})
    answers = []
    # The durable backend is built on first use and serves one caller at a time anyway;
    # the lock keeps two first requests from building two Rete engines.
    guard = durable if body.backend == "durable" else contextlib.nullcontext()
    for host in hosts:
        with guard:
            decision = bundle.passport(profile, host=host, **options)
        # The logged request is the one-host question this decision answers, as_of pinned.
        request = body.model_dump(mode="json") | {"host": host, "as_of": str(decision.as_of)}
        answers.append(_recorded(log, request, decision))
    return answers if body.host == "all" else answers[0]


def _passport_example() -> dict[str, Any]:
    return {
        "bahrain-exchange": {
            "summary": "A Bahraini Category 4 exchange asks about Malaysia",
            "value": {"profile": example_profile(), "host": "MY", "as_of": "2026-11-22"},
        }
    }


def _add_routes(app: FastAPI, bundle: Bundle, log: DecisionLog) -> None:
    durable = threading.Lock()

    @app.post(
        "/v1/passport",
        response_model=RecordedDecision | list[RecordedDecision],
        responses=ERROR_RESPONSES,
        openapi_extra={
            "requestBody": {"content": {"application/json": {"examples": _passport_example()}}}
        },
    )
    def passport(body: PassportRequest) -> JSONResponse:
        """Can the firm operate in the host (or every host), by which route, what is missing?"""
        return JSONResponse(_decide(bundle, log, body, durable))

    @app.get(
        "/v1/decisions/{decision_id}", response_model=StoredDecision, responses=ERROR_RESPONSES
    )
    def decision(decision_id: str) -> StoredDecision:
        """A logged decision with the request that produced it."""
        stored = log.get(decision_id)
        if stored is None:
            raise HTTPException(404, f"no decision {decision_id!r} in the log")
        return stored

    @app.get("/v1/jurisdictions", response_model=JurisdictionList)
    def jurisdictions(as_of: IsoDate | None = None) -> JurisdictionList:
        """Bundled jurisdictions with their regime status per activity."""
        from engine.decisions.passport import regime_on

        day = as_of or dt.date.today()
        activities = [a.id for a in bundle.ir.vocabulary.activities]
        rows = []
        for code in sorted(bundle.jurisdictions):
            j = bundle.jurisdictions[code]
            regimes = {
                a: getattr(regime_on(j, a, day), "status", "not recorded") for a in activities
            }
            rows.append(
                JurisdictionSummary(code=code, name=j.name, currency=j.currency, regimes=regimes)
            )
        return JurisdictionList(as_of=day, jurisdictions=rows)

    @app.get("/v1/jurisdictions/{code}", responses=ERROR_RESPONSES)
    def jurisdiction(code: str) -> JSONResponse:
        """A jurisdiction's rules as IR: regimes, licences, requirements with citations."""
        if code not in bundle.jurisdictions:
            raise HTTPException(404, f"unknown jurisdiction {code!r}")
        return JSONResponse(bundle.jurisdictions[code].model_dump(mode="json"))

    @app.get("/v1/compare", response_model=ComparisonResult, responses=ERROR_RESPONSES)
    def compare(
        codes: str = Query(description="Comma-separated codes, e.g. BH,MY", max_length=512),
        activity: str = Query(max_length=64),
        as_of: IsoDate | None = None,
        currency: str = Query("USD", max_length=8),
    ) -> ComparisonResult:
        """Requirements of several jurisdictions for one activity, aligned side by side."""
        chosen = [bundle.jurisdiction(c.strip(), "codes").code for c in codes.split(",")]
        return bundle.compare(chosen, activity, as_of=as_of, currency=currency)

    @app.get("/v1/matrix", response_model=MatrixResult, responses=ERROR_RESPONSES)
    def matrix(
        activity: str = Query(max_length=64),
        framework: str | None = Query(None, max_length=128),
        as_of: IsoDate | None = None,
    ) -> MatrixResult:
        """What a minimum-compliant licensee of each home gets in each host."""
        return bundle.matrix(activity, as_of=as_of, framework=framework)

    @app.get("/healthz", response_model=Health)
    def healthz() -> Health:
        """Liveness: the bundle is loaded and the log is open."""
        return Health(
            status="ok",
            rules_hash=bundle.rules_hash,
            fx_hash=bundle.fx.hash,
            decision_log=type(log).__name__,
        )


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
    app.state.bundle = rules
    app.state.decision_log = log
    _install_error_handlers(app)
    _add_routes(app, rules, log)
    app.add_middleware(BodyLimit)
    return app


def app_from_environment() -> FastAPI:
    """The app `jawaz serve` runs in each uvicorn worker (`JAWAZ_DB` names the log)."""
    return create_app(db_path=os.environ.get("JAWAZ_DB") or None)
