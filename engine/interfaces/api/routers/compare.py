"""`GET /v1/compare`: several jurisdictions' requirements for one activity, side by side."""

from __future__ import annotations

from fastapi import APIRouter, Query

from engine.interfaces.api.models import ERROR_RESPONSES, IsoDate
from engine.interfaces.api.state import BundleDep
from engine.results import ComparisonResult

router = APIRouter()


@router.get("/v1/compare", response_model=ComparisonResult, responses=ERROR_RESPONSES)
def compare(
    bundle: BundleDep,
    codes: str = Query(description="Comma-separated codes, e.g. BH,MY", max_length=512),
    activity: str = Query(max_length=64),
    as_of: IsoDate | None = None,
    currency: str = Query("USD", max_length=8),
) -> ComparisonResult:
    """Requirements of several jurisdictions for one activity, aligned side by side."""
    chosen = [bundle.jurisdiction(c.strip(), "codes").code for c in codes.split(",")]
    return bundle.compare(chosen, activity, as_of=as_of, currency=currency)
