"""What the routes read from the app: the bundle, the decision log and the durable lock.

All state lives on `app.state` (set by `create_app`), none at module level, so two apps in
one process never share a log or a bundle.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import Annotated

from fastapi import Depends, Request

from engine.bundle import Bundle
from engine.interfaces.api.request_fx import RatedBundles
from engine.interfaces.decision_log.log import DecisionLog


@dataclass(frozen=True)
class AppState:
    """The app's state, as the routes use it."""

    bundle: Bundle
    log: DecisionLog
    rated: RatedBundles  # the bundle with a request's own FX rates
    # The durable backend is built on first use and serves one caller at a time anyway;
    # the lock keeps two first requests from building two Rete engines.
    durable: threading.Lock = field(default_factory=threading.Lock)


def _state(request: Request) -> AppState:
    state = request.app.state.jawaz
    assert isinstance(state, AppState)
    return state


def _bundle(request: Request) -> Bundle:
    return _state(request).bundle


def _log(request: Request) -> DecisionLog:
    return _state(request).log


# Route parameters: a dependency on the request only, so nothing shows in the OpenAPI.
State = Annotated[AppState, Depends(_state)]
BundleDep = Annotated[Bundle, Depends(_bundle)]
LogDep = Annotated[DecisionLog, Depends(_log)]
