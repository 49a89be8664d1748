"""Errors the engine reports to its callers."""

from __future__ import annotations


class EngineError(Exception):
    """A request the engine cannot answer (unknown jurisdiction, no FX rate, bad date…).

    `path` names the input field at fault, e.g. `host` or `attributes.paid_up_capital`.
    """

    def __init__(self, message: str, path: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.path = path

    def __str__(self) -> str:
        return f"{self.path}: {self.message}" if self.path else self.message
