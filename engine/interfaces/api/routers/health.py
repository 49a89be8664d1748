"""`GET /healthz`: liveness."""

from __future__ import annotations

from fastapi import APIRouter

from engine.interfaces.api.models import Health
from engine.interfaces.api.state import State

router = APIRouter()


@router.get("/healthz", response_model=Health)
def healthz(state: State) -> Health:
    """Liveness: the bundle is loaded and the log is open."""
    return Health(
        status="ok",
        bundle=state.bundle.name,
        rules_hash=state.bundle.rules_hash,
        fx_hash=state.bundle.fx.hash,
        decision_log=type(state.log).__name__,
    )
