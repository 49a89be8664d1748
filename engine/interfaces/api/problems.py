"""Error answers: `{"errors": [{"path", "code", "message"}]}`, each code one of `ErrorCode`.

The codes are stable (a client may branch on them; docs/guides/http-api.md lists them); the
messages are for people and may be reworded. The input checks whose failures these codes
name, shared by every request model, live here too: `Text` and `parse_iso_date`.
"""

from __future__ import annotations

import datetime as dt
import json
from enum import StrEnum
from typing import Annotated, Any

from fastapi.responses import JSONResponse
from pydantic import AfterValidator
from pydantic_core import PydanticCustomError

from engine.inputs.text import text_problem


class ErrorCode(StrEnum):
    """What kind of problem an error entry reports."""

    MALFORMED_REQUEST = "malformed_request"  # 400: HTTP framing (Content-Length, …)
    INVALID_JSON = "invalid_json"  # the body is not JSON, or nests too deeply
    BODY_TOO_LARGE = "body_too_large"  # 413
    NOT_FOUND = "not_found"  # 404
    METHOD_NOT_ALLOWED = "method_not_allowed"  # 405
    MISSING = "missing"  # a required field is absent
    UNKNOWN_FIELD = "unknown_field"  # a field the request does not have
    INVALID_VALUE = "invalid_value"  # wrong type, format or value
    TOO_LONG = "too_long"  # text or list over its bound
    INVALID_TEXT = "invalid_text"  # a lone surrogate or a control character
    INVALID_AMOUNT = "invalid_amount"  # an amount not written as digits[.digits]
    INVALID_PERSON = "invalid_person"  # an entry of a persons list (role, residence, …)
    INVALID_PROFILE = "invalid_profile"  # any other problem with the firm profile
    INVALID_CODE = "invalid_code"  # a value outside an IVMS101 code list
    INVALID_COUNTRY = "invalid_country"  # not an ISO 3166-1 alpha-2 country code
    INTERNAL_ERROR = "internal_error"  # 500: a fault of the server, never of the request


# (path, code, message)
Problem = tuple[str, ErrorCode, str]


def problems_body(problems: list[Problem]) -> dict[str, Any]:
    """The JSON body of an error answer."""
    return {
        "errors": [
            {"path": path, "code": code.value, "message": message}
            for path, code, message in problems
        ]
    }


class AsciiJSONResponse(JSONResponse):
    """JSON written as ASCII: an error may quote what the client sent, and text that no
    UTF-8 encoder takes (a lone surrogate) must still become a valid answer."""

    def render(self, content: Any) -> bytes:
        """The body, every non-ASCII character written as a JSON escape."""
        return json.dumps(content, ensure_ascii=True, separators=(",", ":")).encode("ascii")


def error_response(
    status: int, problems: list[Problem], headers: dict[str, str] | None = None
) -> JSONResponse:
    """An error answer naming each field at fault."""
    return AsciiJSONResponse(problems_body(problems), status_code=status, headers=headers)


def _plain_text(value: str) -> str:
    problem = text_problem(value)
    if problem is not None:
        raise PydanticCustomError(ErrorCode.INVALID_TEXT.value, f"text {problem}")
    return value


# A request's own text (a code, a name): no lone surrogate, no control character (a lone
# surrogate pydantic refuses itself, as `string_unicode`).
Text = Annotated[str, AfterValidator(_plain_text)]


def parse_iso_date(value: Any) -> dt.date | None:
    """A YYYY-MM-DD string as a date; anything else is refused (no timestamps, no ints)."""
    if value is None or isinstance(value, dt.date):
        return value
    if not isinstance(value, str):
        raise ValueError("a date is a string YYYY-MM-DD")
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise ValueError(f"{value!r} is not a date (YYYY-MM-DD)") from None
