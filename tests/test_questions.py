"""Question logic the CLI and the API share: every host, one licence, unknown names."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from fastapi.testclient import TestClient
from jawaz_cli import jawaz

from engine import EngineError, load_bundle
from engine.bundle import Bundle
from engine.interfaces.api.app import create_app
from rulesdsl.errors import unknown_name

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "bahrain-exchange.yaml"


@pytest.fixture(scope="module")
def bundle() -> Bundle:
    """The bundled rules, loaded once for the module."""
    return load_bundle()


def test_all_hosts_are_every_host_but_the_home(bundle: Bundle) -> None:
    firm = bundle.read_profile(EXAMPLE)
    hosts = bundle.hosts(firm, "all")
    assert hosts == sorted(set(bundle.jurisdictions) - {firm.home})
    assert bundle.hosts(firm, "MY") == ["MY"]
    assert [d.host for d in bundle.passport_all(firm, as_of=None)] == hosts


def test_apply_for_with_all_is_refused_everywhere(bundle: Bundle, tmp_path: Path) -> None:
    """`apply_for` names a licence of one host: with "all" the library, the CLI and the API
    all refuse it, naming the field."""
    firm = bundle.read_profile(EXAMPLE)
    with pytest.raises(EngineError) as caught:
        bundle.hosts(firm, "all", "rmo_dax")
    assert caught.value.path == "apply_for"
    result = jawaz("passport", str(EXAMPLE), "--to", "all", "--apply-for", "rmo_dax")
    assert result.returncode == 2 and "apply" in result.stderr and result.stdout == ""
    with TestClient(create_app(bundle, tmp_path / "log.sqlite3")) as client:
        body = {"profile": yaml.safe_load(EXAMPLE.read_text("utf-8")), "host": "all"}
        answer = client.post("/v1/passport", json=body | {"apply_for": "rmo_dax"})
    assert answer.status_code == 422
    assert [e["path"] for e in answer.json()["errors"]] == ["apply_for"]


def test_unknown_name_suggests_only_a_close_candidate() -> None:
    near = unknown_name("activity", "exchang", ["exchange", "custody"])
    assert "'exchang'" in near and "'exchange'" in near
    far = unknown_name("activity", "zzz", ["exchange", "custody"])
    assert "'zzz'" in far and "exchange" not in far
    unnamed = unknown_name("field", "hom", ["home"], named=False)
    assert "'hom'" not in unnamed and "'home'" in unnamed


def test_unknown_jurisdiction_is_refused_alike(bundle: Bundle, tmp_path: Path) -> None:
    """The library, and the API's 404, name the closest code."""
    with pytest.raises(EngineError) as caught:
        bundle.jurisdiction("MYS")
    assert "'MY'" in caught.value.message
    with TestClient(create_app(bundle, tmp_path / "log.sqlite3")) as client:
        answer = client.get("/v1/jurisdictions/BHR")
    assert answer.status_code == 404
    assert "'BH'" in answer.json()["errors"][0]["message"]
