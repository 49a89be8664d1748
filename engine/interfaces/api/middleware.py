"""The body limit in front of the API: no body over `MAX_BODY_BYTES` is ever parsed."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

from fastapi.responses import JSONResponse

MAX_BODY_BYTES = 256 * 1024

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]


def problems_body(problems: list[tuple[str, str]]) -> dict[str, Any]:
    """The JSON body of an error answer."""
    return {"errors": [{"path": path, "message": message} for path, message in problems]}


def error_response(status: int, problems: list[tuple[str, str]]) -> JSONResponse:
    """An error answer naming each field at fault."""
    return JSONResponse(problems_body(problems), status_code=status)


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
