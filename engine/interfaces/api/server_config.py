"""The uvicorn configuration `jawaz serve` runs with (imported only by `serve`: uvicorn is slow
to import, and `--workers N` pickles this class into each worker process by module path)."""

from __future__ import annotations

import json
import socket

import h11
import uvicorn
from uvicorn.protocols.http.h11_impl import H11Protocol

from engine.interfaces.api.problems import ErrorCode, problems_body


class TcpConfig(uvicorn.Config):
    """uvicorn's Config, binding the shared socket of `--workers N` as a TCP socket.

    uvicorn binds it with protocol 0, so asyncio never sets TCP_NODELAY on accepted
    connections and every answer waits out a delayed ACK (≈ 44 ms on loopback, measured by
    benchmarks/bench_api.py --workers 2, against ≈ 6 ms with one worker).
    """

    def bind_socket(self) -> socket.socket:
        """The listening socket, with its protocol set so accepted sockets get TCP_NODELAY."""
        sock = super().bind_socket()
        if sock.family not in (socket.AF_INET, socket.AF_INET6):
            return sock
        tcp = socket.socket(sock.family, sock.type, socket.IPPROTO_TCP, fileno=sock.detach())
        tcp.set_inheritable(True)
        return tcp


class JsonErrorH11Protocol(H11Protocol):
    """uvicorn's HTTP/1.1 protocol, answering a request it cannot parse (a bad
    Content-Length, a malformed header) with the API's JSON error body, not plain text.

    Such a request never reaches the app, so the app's own handlers cannot answer it.
    """

    def send_400_response(self, msg: str) -> None:
        """A JSON 400 (`malformed_request`), then the connection is closed as before."""
        problem = (
            "request",
            ErrorCode.MALFORMED_REQUEST,
            "not a valid HTTP/1.1 request (check Content-Length, Transfer-Encoding, headers)",
        )
        body = json.dumps(problems_body([problem]), separators=(",", ":")).encode("ascii")
        headers = [
            (b"content-type", b"application/json"),
            (b"content-length", str(len(body)).encode("ascii")),
            (b"connection", b"close"),
        ]
        for event in (
            h11.Response(status_code=400, headers=headers, reason=b"Bad Request"),
            h11.Data(data=body),
            h11.EndOfMessage(),
        ):
            self.transport.write(self.conn.send(event) or b"")
        self.transport.close()
