"""`GET /v1/matrix`: what each home licence buys in each host."""

from __future__ import annotations

from fastapi import APIRouter, Query

from engine.interfaces.api.models import ERROR_RESPONSES, IsoDate
from engine.interfaces.api.state import BundleDep
from engine.results import MatrixResult

router = APIRouter()


@router.get("/v1/matrix", response_model=MatrixResult, responses=ERROR_RESPONSES)
def matrix(
    bundle: BundleDep,
    activity: str = Query(max_length=64),
    framework: str | None = Query(None, max_length=128),
    as_of: IsoDate | None = None,
) -> MatrixResult:
    """What a minimum-compliant licensee of each home gets in each host."""
    return bundle.matrix(activity, as_of=as_of, framework=framework)
