"""The OpenAPI document: valid OpenAPI, typed from the vocabulary and the result models,
and a client generated from it (datamodel-code-generator) that types the profile.

Every answer the other API tests get is parsed by the same generated client
(`conftest._answers_parse_with_the_generated_client`).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from fastapi.testclient import TestClient
from openapi_client import client as generated
from openapi_spec_validator import validate
from pydantic import ValidationError

from engine import load_bundle
from engine.bundle import Bundle
from engine.interfaces.api.app import create_app
from engine.results import GAP_OPS, REASON_KINDS, REGIME_ENTRIES

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")
EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "bahrain-exchange.yaml"


@pytest.fixture(scope="module")
def bundle() -> Bundle:
    return load_bundle()


@pytest.fixture(scope="module")
def document(bundle: Bundle, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    app = create_app(bundle, tmp_path_factory.mktemp("client") / "log.sqlite3")
    with TestClient(app) as http:
        answer: dict[str, Any] = http.get("/openapi.json").json()
    return answer


def _schemas(document: dict[str, Any]) -> dict[str, Any]:
    found: dict[str, Any] = document["components"]["schemas"]
    return found


def test_the_document_is_valid_openapi(document: dict[str, Any]) -> None:
    validate(document)


def test_every_vocabulary_attribute_is_typed_and_described(
    document: dict[str, Any], bundle: Bundle
) -> None:
    properties = _schemas(document)["ProfileAttributes"]["properties"]
    vocabulary = bundle.ir.vocabulary
    assert list(properties) == [a.name for a in vocabulary.attributes]
    for attribute in vocabulary.attributes:
        schema = properties[attribute.name]
        assert schema["x-jawaz-type"] == attribute.type.kind
        assert schema["description"].startswith(attribute.description)
        if attribute.type.kind == "enum":
            assert schema["enum"] == list(attribute.type.values)
        if attribute.type.kind == "money":
            shape = schema["anyOf"][0]
            assert shape["required"] == ["amount", "currency"]
            currencies = {c.code for c in vocabulary.currencies}
            assert set(shape["properties"]["currency"]["enum"]) == currencies


def test_enums_come_from_the_engines_one_lists(document: dict[str, Any]) -> None:
    schemas = _schemas(document)
    assert schemas["ReasonOut"]["properties"]["kind"]["enum"] == list(REASON_KINDS)
    assert schemas["RequiredOut"]["properties"]["op"]["enum"] == list(GAP_OPS)
    regimes = schemas["JurisdictionSummary"]["properties"]["regimes"]["additionalProperties"]
    assert regimes["enum"] == list(REGIME_ENTRIES)
    answer = schemas["PassportAnswer"]
    assert answer["discriminator"]["propertyName"] == "kind"
    assert set(answer["discriminator"]["mapping"]) == {"one_host", "all_hosts"}


def test_the_generated_client_types_the_profile() -> None:
    models = generated().models
    example = yaml.safe_load(EXAMPLE.read_text(encoding="utf-8"))
    profile = models.Profile.model_validate(example)
    assert isinstance(profile.attributes, models.ProfileAttributes)
    request = models.PassportRequestInput.model_validate({"profile": example, "host": "MY"})
    assert isinstance(request.profile, models.Profile)
    grouped = example | {
        "attributes": {"paid_up_capital": {"amount": "300.000,50", "currency": "BHD"}}
    }
    with pytest.raises(ValidationError):
        models.Profile.model_validate(grouped)
    with pytest.raises(ValidationError):
        models.Profile.model_validate(example | {"attributes": {"no_such_attribute": True}})


def test_the_vocabulary_is_served(bundle: Bundle, tmp_path: Path) -> None:
    with TestClient(create_app(bundle, tmp_path / "log.sqlite3")) as http:
        answer = http.get("/v1/vocabulary")
    assert answer.status_code == 200
    assert answer.json() == bundle.ir.vocabulary.model_dump(mode="json")
