"""`GET /v1/vocabulary`: the terms every rule and profile is written in."""

from __future__ import annotations

from fastapi import APIRouter

from engine.interfaces.api.state import BundleDep
from rulesdsl.ir import Vocabulary

router = APIRouter()


@router.get("/v1/vocabulary", response_model=Vocabulary)
def vocabulary(bundle: BundleDep) -> Vocabulary:
    """Currencies, activities, requirement categories, bodies and profile attributes (each
    with its type, allowed values and description: the source of the `Profile` schema)."""
    return bundle.ir.vocabulary
