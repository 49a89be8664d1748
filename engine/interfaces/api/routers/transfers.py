"""`POST /v1/transfers`: the Travel Rule check of one transfer at both ends."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from fastapi import APIRouter
from fastapi.responses import JSONResponse
from pydantic import BaseModel, BeforeValidator, ConfigDict, Field

from engine.decisions.transfers import TransferChecker
from engine.inputs.transfers import TransferError, read_register, read_transfer
from engine.interfaces.api.models import ERROR_RESPONSES
from engine.interfaces.api.problems import ErrorCode, error_response, parse_iso_date
from engine.interfaces.api.state import State
from engine.results.transfer import TransferCheck

router = APIRouter()


class TransferRequest(BaseModel):
    """A transfer (as `jawaz transfer` reads it) and, optionally, a register of firms."""

    model_config = ConfigDict(extra="forbid")

    transfer: dict[str, Any]
    # `register` is pydantic's own name on every model: the field keeps it as its alias.
    firms: list[Any] | dict[str, Any] | None = Field(default=None, alias="register")
    as_of: Annotated[dt.date | None, BeforeValidator(parse_iso_date)] = None


def _joined(prefix: str, path: str) -> str:
    return prefix if not path else f"{prefix}{path}" if path.startswith("[") else f"{prefix}.{path}"


def _refused(error: TransferError, prefix: str) -> JSONResponse:
    return error_response(
        422,
        [(_joined(prefix, p.path), ErrorCode(p.code), p.message) for p in error.problems],
    )


@router.post("/v1/transfers", response_model=TransferCheck, responses=ERROR_RESPONSES)
def transfers(body: TransferRequest, state: State) -> JSONResponse:
    """Which Travel Rule data each end demands, what the payload lacks, whether each
    counterparty is on the register and whether the corridor is open."""
    bundle = state.bundle
    try:
        transfer = read_transfer(body.transfer, bundle.jurisdictions)
    except TransferError as error:
        return _refused(error, "transfer")
    try:
        register = read_register(body.firms, "") if body.firms is not None else None
    except TransferError as error:
        return _refused(error, "register")
    checker = TransferChecker(bundle.ir, bundle.fx, bundle.rules_hash, bundle.name)
    result = checker.check(transfer, register, body.as_of)
    return JSONResponse(result.model_dump(mode="json"))
