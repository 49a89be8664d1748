"""The uvicorn configuration `jawaz serve` runs with (imported only by `serve`: uvicorn is slow
to import, and `--workers N` pickles this class into each worker process by module path)."""

from __future__ import annotations

import socket

import uvicorn


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
