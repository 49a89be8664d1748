"""The decision answers of the HTTP API, typed for its OpenAPI document.

A decision as answered is the engine's `Decision` plus its log entry (`RecordedDecision`,
`kind: "one_host"`); `host: "all"` answers `AllHosts` (`kind: "all_hosts"`), so a client
tells the two apart by `kind` (the document's discriminator). The log's own views:
`LoggedDecision` (one entry).
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, RootModel

from engine.interfaces.api.models import PassportRequest
from engine.results import Decision, RateOut


class RecordedDecision(Decision):
    """A decision as the API answers it: the engine's `Decision` plus its log entry."""

    kind: Literal["one_host"] = "one_host"
    decision_id: str
    recorded_at: str


class AllHosts(BaseModel):
    """`host: "all"`: one decision per bundled host but the home, in host order."""

    model_config = ConfigDict(extra="forbid")

    kind: Literal["all_hosts"] = "all_hosts"
    decisions: list[RecordedDecision]


class PassportAnswer(
    RootModel[Annotated[RecordedDecision | AllHosts, Field(discriminator="kind")]]
):
    """The answer of `POST /v1/passport`: one host's decision, or every host's."""


class LoggedDecision(BaseModel):
    """One logged decision with the request that produced it (`GET /v1/decisions/{id}`).

    An entry logged by an earlier release is returned as it was logged, in that release's
    form of `decision`.
    """

    model_config = ConfigDict(extra="forbid")

    decision_id: str
    recorded_at: str
    rules_hash: str
    fx_hash: str | None  # None: logged before FX data was hashed
    framework: str | None
    as_of: dt.date
    host: str
    request: PassportRequest
    decision: Decision
    fx_rates: list[RateOut]


def answer_of(recorded: list[dict[str, Any]], all_hosts: bool) -> dict[str, Any]:
    """The JSON answer of `POST /v1/passport` for its recorded decisions."""
    return {"kind": "all_hosts", "decisions": recorded} if all_hosts else recorded[0]
