"""Request models of the HTTP API and its small answers (the decisions are in `answers`).

The profile is checked by the bundle's `ProfileSchema`; the OpenAPI document describes it
with the schema `engine.inputs.profile_schema` generates from the same vocabulary (`$ref`
to `Profile`, added to the document by `app.create_app`).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated, Any, Literal

import yaml
from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, WithJsonSchema, field_validator

from engine.inputs.profile_schema import PROFILE
from engine.interfaces.api.problems import ErrorCode, Text, parse_iso_date
from engine.interfaces.api.request_fx import MAX_RATES, FxRateIn
from engine.results import Backend, JurisdictionList, JurisdictionSummary

__all__ = [
    "ERROR_RESPONSES",
    "ErrorBody",
    "Health",
    "IsoDate",
    "JurisdictionList",
    "JurisdictionSummary",
    "PassportRequest",
    "ProblemOut",
    "ProfileIn",
    "Question",
    "Text",
    "example_profile",
    "parse_iso_date",
]

COMPONENTS = "#/components/schemas/"
EXAMPLE_PROFILE = Path(__file__).resolve().parent.parent / "examples" / "bahrain-exchange.yaml"


def example_profile() -> dict[str, Any]:
    """The bahrain-exchange example profile, for the OpenAPI request example."""
    try:
        data = yaml.safe_load(EXAMPLE_PROFILE.read_text(encoding="utf-8"))
    except OSError:
        # A non-editable install does not ship examples/; the schema is still complete.
        return {"home": "BH", "licence": "category_4", "activities": ["exchange"]}
    return dict(data) if isinstance(data, dict) else {}


# A query parameter date: YYYY-MM-DD only (pydantic alone would read `0` as 1970-01-01).
IsoDate = Annotated[dt.date, BeforeValidator(parse_iso_date)]


# A profile as sent: checked by the bundle's `ProfileSchema` (every problem named under
# `profile.`), described in the OpenAPI document by the schema generated from the vocabulary.
ProfileIn = Annotated[
    dict[str, Any],
    # `allOf`: pydantic resolves a bare `$ref` among its own definitions, and has none here.
    WithJsonSchema({"allOf": [{"$ref": f"{COMPONENTS}{PROFILE}"}]}),
]


class Question(BaseModel):
    """What a passport question asks besides the firm and the host."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    activity: Text | None = Field(default=None, max_length=64)
    as_of: dt.date | None = Field(default=None, description="YYYY-MM-DD (default: today).")
    framework: Text | None = Field(default=None, max_length=128)
    apply_for: Text | None = Field(default=None, max_length=128)
    backend: Backend = "fast"
    fx: tuple[FxRateIn, ...] = Field(
        default=(),
        max_length=MAX_RATES,
        description="Your own FX rates: they price only currencies that the ECB's rates, the "
        "bundled pegs and the server's --fx file leave unpriced.",
    )

    @field_validator("as_of", mode="before")
    @classmethod
    def _iso_date(cls, value: Any) -> dt.date | None:
        return parse_iso_date(value)


class PassportRequest(Question):
    """`POST /v1/passport`: a firm profile and the question asked about it (also the form
    each decision's request is logged in, with the host and the date filled in)."""

    profile: ProfileIn = Field(description="A firm profile, as in examples/*.yaml.")
    host: Text = Field(
        description="Host jurisdiction code, or 'all' for every host.", max_length=16
    )


class ProblemOut(BaseModel):
    """One thing wrong with a request: the field at fault, a stable code, and what is wrong."""

    path: str = Field(description="The field at fault, dotted (`profile.attributes.x`).")
    code: ErrorCode = Field(description="Stable: a client may branch on it.")
    message: str = Field(description="For people; may be reworded.")


class ErrorBody(BaseModel):
    """The body of every 4xx/5xx answer."""

    errors: list[ProblemOut]


class Health(BaseModel):
    """`GET /healthz`."""

    status: Literal["ok"]
    bundle: str  # the rule bundle's folder name, never a path
    rules_hash: str
    fx_hash: str
    decision_log: str


ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    code: {"model": ErrorBody, "description": text}
    for code, text in (
        (400, "Unparseable body or bad Content-Length"),
        (404, "Unknown resource"),
        (405, "Method not allowed"),
        (413, "Body too large"),
        (422, "Invalid input; each problem names its field"),
        (500, "Server fault (the body carries no internals)"),
    )
}
