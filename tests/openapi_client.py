"""A client generated from the API's own `/openapi.json` (datamodel-code-generator), and
the check `conftest` runs on every answer the test suite gets from the API: each JSON
answer must parse as the generated model its operation documents for its status.

The document is generated once per session, from the bundled rules (the vocabulary the
`Profile` schema is generated from), and the client code is written to a temporary folder
and imported from there.
"""

from __future__ import annotations

import functools
import importlib.util
import json
import re
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any

from pydantic import BaseModel, TypeAdapter

CODEGEN = Path(sys.executable).with_name("datamodel-codegen")
COMPONENT = "#/components/schemas/"


@dataclass(frozen=True)
class Client:
    """The OpenAPI document and the models generated from it."""

    document: dict[str, Any]
    models: ModuleType

    def model(self, ref: str) -> type[BaseModel]:
        """The generated class of a `#/components/schemas/NAME` reference."""
        name = re.sub(r"[^0-9A-Za-z]", "", ref.removeprefix(COMPONENT).replace("-", "_"))
        found = getattr(self.models, name, None)
        if found is None:  # `PassportRequest-Input` → `PassportRequestInput`
            found = getattr(self.models, ref.removeprefix(COMPONENT).replace("-", ""))
        assert isinstance(found, type) and issubclass(found, BaseModel), ref
        return found

    def documented(self, method: str, path: str, status: int) -> str | None:
        """The schema reference of the answer `method path` documents for `status`; None for
        an answer that is not JSON-described (the document itself)."""
        for template, operations in self.document["paths"].items():
            pattern = "^" + re.sub(r"\{[^}]+\}", "[^/]+", template) + "$"
            if re.match(pattern, path) and method.lower() in operations:
                responses = operations[method.lower()]["responses"]
                answer = responses.get(str(status))
                assert answer is not None, f"{method} {path}: {status} is not documented"
                schema = answer["content"]["application/json"]["schema"]
                ref = schema.get("$ref")
                assert ref, f"{method} {path} {status}: the answer is not typed"
                return str(ref)
        # Outside the documented paths (an unknown path, a test's own route) only errors
        # are answered in the API's form.
        return f"{COMPONENT}ErrorBody" if status >= 400 else None

    def parse(self, method: str, path: str, status: int, body: bytes) -> BaseModel | None:
        """The answer parsed as its generated model (AssertionError if it does not)."""
        ref = self.documented(method, path, status)
        if ref is None:
            return None
        return _adapter(self.model(ref)).validate_json(body)


@functools.cache
def _adapter(model: type[BaseModel]) -> TypeAdapter[BaseModel]:
    return TypeAdapter(model)


def _document() -> dict[str, Any]:
    from engine import load_bundle
    from engine.interfaces.api.app import create_app

    folder = Path(tempfile.mkdtemp(prefix="jawaz-client-"))
    return create_app(load_bundle(), folder / "log.sqlite3").openapi()


def generate(document: dict[str, Any], folder: Path) -> ModuleType:
    """The models datamodel-code-generator writes for `document`, imported."""
    source, target = folder / "openapi.json", folder / "jawaz_client.py"
    source.write_text(json.dumps(document), encoding="utf-8")
    subprocess.run(
        [str(CODEGEN), "--input", str(source), "--input-file-type", "openapi",
         "--output", str(target), "--output-model-type", "pydantic_v2.BaseModel",
         "--target-python-version", "3.11", "--use-annotated", "--formatters", "ruff-format",
         "--enum-field-as-literal", "all"],
        check=True, capture_output=True, timeout=120,
    )  # fmt: skip
    spec = importlib.util.spec_from_file_location("jawaz_client", target)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["jawaz_client"] = module  # for pydantic's forward references
    spec.loader.exec_module(module)
    return module


@functools.cache
def client() -> Client:
    """The session's generated client."""
    document = _document()
    return Client(document, generate(document, Path(tempfile.mkdtemp(prefix="jawaz-gen-"))))


API_PATHS = re.compile(r"^/(v1/|healthz$)")
checked: list[tuple[str, str, int]] = []  # every answer parsed so far: (method, path, status)


def check_response(response: Any) -> None:
    """Parse one httpx response from the API with the generated client (a streamed answer
    not read by the test, or another server's, is left alone)."""
    request = response.request
    path = request.url.path
    if not API_PATHS.match(path) or not getattr(response, "is_stream_consumed", True):
        return
    if request.url.host not in ("testserver", "127.0.0.1", "localhost"):
        return
    if "json" not in response.headers.get("content-type", ""):
        raise AssertionError(f"{request.method} {path}: a {response.status_code} not in JSON")
    client().parse(request.method, path, response.status_code, response.content)
    checked.append((request.method, path, response.status_code))
