"""`POST /v1/passport`: the passport decision, logged before it is answered."""

from __future__ import annotations

import contextlib
from typing import Any

from fastapi import APIRouter
from fastapi.responses import JSONResponse

from engine.decisions.catalogue import ALL_HOSTS
from engine.interfaces.api.answers import PassportAnswer, answer_of
from engine.interfaces.api.models import (
    ERROR_RESPONSES,
    PassportRequest,
    example_profile,
)
from engine.interfaces.api.state import AppState, State
from engine.interfaces.decision_log.log import DecisionLog
from engine.results import Decision

router = APIRouter()


def _recorded(log: DecisionLog, request: dict[str, Any], decision: Decision) -> dict[str, Any]:
    stored = log.record(request, decision)
    return {
        "kind": "one_host",
        **stored.decision,
        "decision_id": stored.decision_id,
        "recorded_at": stored.recorded_at,
    }


def _decide(state: AppState, body: PassportRequest) -> Any:
    bundle = state.rated.for_rates(body.fx)
    profile = bundle.profile(body.profile, "profile")
    hosts = bundle.hosts(profile, body.host, body.apply_for)
    options = body.model_dump(exclude={"profile", "host", "fx"})
    answers = []
    guard = state.durable if body.backend == "durable" else contextlib.nullcontext()
    for host in hosts:
        with guard:
            decision = bundle.passport(profile, host=host, **options)
        # The logged request is the one-host question this decision answers, as_of pinned.
        request = body.model_dump(mode="json", by_alias=True) | {
            "host": host,
            "as_of": str(decision.as_of),
        }
        answers.append(_recorded(state.log, request, decision))
    return answer_of(answers, all_hosts=body.host == ALL_HOSTS)


def _passport_example() -> dict[str, Any]:
    return {
        "bahrain-exchange": {
            "summary": "A Bahraini Category 4 exchange asks about Malaysia",
            "value": {"profile": example_profile(), "host": "MY", "as_of": "2026-11-22"},
        }
    }


@router.post(
    "/v1/passport",
    response_model=PassportAnswer,
    responses=ERROR_RESPONSES,
    openapi_extra={
        "requestBody": {"content": {"application/json": {"examples": _passport_example()}}}
    },
)
def passport(body: PassportRequest, state: State) -> JSONResponse:
    """Can the firm operate in the host (or every host), by which route, what is missing?"""
    return JSONResponse(_decide(state, body))
