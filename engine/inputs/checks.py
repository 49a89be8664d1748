"""Value checks shared by a profile's attributes and the persons they list: each returns
the value it accepts or raises `ValueError` with the message the profile error shows."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from rulesdsl.errors import unknown_name


def choice(allowed: frozenset[str], what: str) -> Callable[[Any], str]:
    """A check that a value is one of `allowed` (a did-you-mean naming `what` if not)."""

    def check(value: Any) -> str:
        if not isinstance(value, str) or value not in allowed:
            raise ValueError(unknown_name(what, value, allowed))
        return value

    return check


def strict_bool(value: Any) -> bool:
    """`true` or `false` only: never a string or a number read as one."""
    if not isinstance(value, bool):
        raise ValueError(f"expected true or false, not {value!r}")
    return value
