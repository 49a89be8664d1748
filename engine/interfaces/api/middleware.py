"""The body limit in front of the API: no body over `MAX_BODY_BYTES` is ever parsed."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

from engine.interfaces.api.problems import ErrorCode, error_response

MAX_BODY_BYTES = 256 * 1024
# How much of an oversized body is read and dropped before the 413 is sent. A server that
# answers and closes while the client is still sending makes the client's kernel see a reset,
# and most clients (Python's urllib among them) then report the reset, not the answer. Past
# this bound the answer says `Connection: close` and the rest is not read.
DRAIN_BYTES = 16 * 1024 * 1024

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]


class BodyLimit:
    """Refuse bodies over `limit` bytes with 413, before anything parses them.

    Content-Length is checked first; a chunked or lying client is caught while its body is
    read, since the whole body is buffered here (at most `limit` bytes) and replayed. An
    oversized body is drained (up to `drain` bytes) before the answer, so the client reads it.
    """

    def __init__(self, app: ASGIApp, limit: int = MAX_BODY_BYTES, drain: int = DRAIN_BYTES) -> None:
        self.app = app
        self.limit = limit
        self.drain = drain

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = dict(scope.get("headers") or [])
        declared = headers.get(b"content-length", b"0")
        if not declared.isdigit():
            problem = [("content-length", ErrorCode.MALFORMED_REQUEST, "not a byte count")]
            await error_response(400, problem)(scope, receive, send)
            return
        if int(declared) > self.limit:
            # A client waiting for `100 Continue` has sent nothing: answer it at once.
            waiting = headers.get(b"expect", b"").lower() == b"100-continue"
            complete = (
                not waiting and int(declared) <= self.drain and await self._drained(receive, 0)
            )
            await self._refuse(scope, receive, send, complete)
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
                more = message.get("more_body", False)
                complete = not more or await self._drained(receive, size)
                await self._refuse(scope, receive, send, complete)
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

    async def _drained(self, receive: Receive, size: int) -> bool:
        """Read and drop the rest of the body; False if it runs past `drain` bytes (or the
        client goes away) before its end."""
        while size <= self.drain:
            message = await receive()
            if message["type"] == "http.disconnect":
                return False
            size += len(message.get("body", b""))
            if not message.get("more_body", False):
                return size <= self.drain
        return False

    async def _refuse(self, scope: Scope, receive: Receive, send: Send, complete: bool) -> None:
        """413; `complete` is False when the body was not read to its end, and then the
        connection is closed after the answer (what is unread would be read as a request)."""
        message = f"the body exceeds {self.limit} bytes"
        problem = [("body", ErrorCode.BODY_TOO_LARGE, message)]
        headers = None if complete else {"connection": "close"}
        await error_response(413, problem, headers)(scope, receive, send)


def _declares_json(headers: dict[bytes, bytes]) -> bool:
    kind = headers.get(b"content-type", b"").split(b";")[0].strip().lower()
    return kind == b"application/json" or kind.endswith(b"+json")
