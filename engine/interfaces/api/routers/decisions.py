"""`GET /v1/decisions/{decision_id}`: a decision from the log."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException

from engine.interfaces.api.answers import LoggedDecision
from engine.interfaces.api.models import ERROR_RESPONSES
from engine.interfaces.api.state import LogDep

router = APIRouter()


@router.get("/v1/decisions/{decision_id}", response_model=LoggedDecision, responses=ERROR_RESPONSES)
def decision(decision_id: str, log: LogDep) -> JSONResponse:
    """A logged decision with the request that produced it.

    Answered as logged (not re-validated): an entry of an earlier release keeps its form.
    """
    stored = log.get(decision_id)
    if stored is None:
        raise HTTPException(404, f"no decision {decision_id!r} in the log")
    return JSONResponse(stored.model_dump(mode="json"))
