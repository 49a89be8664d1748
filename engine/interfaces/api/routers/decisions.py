"""`GET /v1/decisions/{decision_id}`: a decision from the log."""

from __future__ import annotations

from fastapi import APIRouter
from starlette.exceptions import HTTPException

from engine.interfaces.api.models import ERROR_RESPONSES
from engine.interfaces.api.state import LogDep
from engine.interfaces.decision_log.log import StoredDecision

router = APIRouter()


@router.get("/v1/decisions/{decision_id}", response_model=StoredDecision, responses=ERROR_RESPONSES)
def decision(decision_id: str, log: LogDep) -> StoredDecision:
    """A logged decision with the request that produced it."""
    stored = log.get(decision_id)
    if stored is None:
        raise HTTPException(404, f"no decision {decision_id!r} in the log")
    return stored
