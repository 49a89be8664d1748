"""Schemathesis against the API's own OpenAPI document, in process (no network).

Every operation is called with generated inputs (valid and invalid); each answer must not
be a 5xx and must conform to the documented schema (status code, content type, body,
headers, `Allow` on 405). One default check is left out: `positive_data_acceptance`, which
expects every schema-valid request to succeed. Here a schema-valid body can still name an
unknown framework, licence or jurisdiction (the valid values are rules data, not schema),
and the documented answer to that is 422.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import positive_data_acceptance

from engine import load_bundle
from engine.interfaces.api.app import Receive, Scope, Send, create_app

APP = create_app(load_bundle(), Path(tempfile.mkdtemp(prefix="jawaz-schema-")) / "log.sqlite3")


async def without_lifespan(scope: Scope, receive: Receive, send: Send) -> None:
    """The app for HTTP; lifespan events are acknowledged here, not passed on.

    Schemathesis's ASGI client runs a lifespan around every call, and the app's shutdown
    closes its decision log; uvicorn runs the lifespan once per process.
    """
    if scope["type"] != "lifespan":
        await APP(scope, receive, send)
        return
    while True:
        message = await receive()
        kind = message["type"].rsplit(".", 1)[-1]
        await send({"type": f"lifespan.{kind}.complete"})
        if kind == "shutdown":
            return


schema = schemathesis.openapi.from_asgi("/openapi.json", without_lifespan)


@schema.parametrize()
@settings(
    max_examples=50,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    derandomize=True,
)
def test_api_conforms_to_its_openapi(case: Any) -> None:
    case.call_and_validate(excluded_checks=[positive_data_acceptance])
