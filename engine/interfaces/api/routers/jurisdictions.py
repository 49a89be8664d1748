"""`GET /v1/jurisdictions` and `GET /v1/jurisdictions/{code}`."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException

from engine.interfaces.api.models import ERROR_RESPONSES, IsoDate
from engine.interfaces.api.state import BundleDep
from engine.results import JurisdictionList
from rulesdsl.errors import unknown_name
from rulesdsl.ir import Jurisdiction

router = APIRouter()


@router.get("/v1/jurisdictions", response_model=JurisdictionList, responses=ERROR_RESPONSES)
def jurisdictions(bundle: BundleDep, as_of: IsoDate | None = None) -> JurisdictionList:
    """Bundled jurisdictions with their regime status per activity."""
    return bundle.regimes(as_of)


@router.get("/v1/jurisdictions/{code}", response_model=Jurisdiction, responses=ERROR_RESPONSES)
def jurisdiction(code: str, bundle: BundleDep) -> JSONResponse:
    """A jurisdiction's rules as IR: regimes, licences, requirements with citations."""
    if code not in bundle.jurisdictions:
        raise HTTPException(404, unknown_name("jurisdiction", code, bundle.jurisdictions))
    return JSONResponse(bundle.jurisdictions[code].model_dump(mode="json"))
