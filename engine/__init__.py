"""Jawaz engine: checked rules + a firm's facts → passport decisions.

The public Python API is small::

    from engine import load_bundle

    bundle = load_bundle()                      # the bundled rules (or load_bundle(path))
    firm = bundle.read_profile(Path("examples/bahrain-exchange.yaml"))
    decision = bundle.passport(firm, host="MY", as_of=date(2026, 11, 22))
    print(decision.verdict, decision.model_dump_json(indent=2))
    grid = bundle.matrix("exchange")
    table = bundle.compare(["BH", "MY"], "exchange")

This is the only package that imports durable-rules (in `engine.evaluation.durable.backend`, loaded
only when that backend is asked for).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from engine.bundle import Bundle, load_bundle
    from engine.errors import EngineError

__all__ = ["Bundle", "EngineError", "load_bundle"]


def __getattr__(name: str) -> Any:
    # Imported on first use so that `jawaz check` does not pay for the engine's imports.
    if name in ("Bundle", "load_bundle"):
        from engine import bundle

        return getattr(bundle, name)
    if name == "EngineError":
        from engine.errors import EngineError

        return EngineError
    raise AttributeError(name)
