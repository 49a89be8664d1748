"""Firm profiles: a bad profile is refused with every problem named by its path.

Through the Python API a `ProfileError` lists (path, message) pairs; through the CLI the
exit status is 2, the paths are on stderr and there is never a traceback.
"""

from __future__ import annotations

import copy
import datetime as dt
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from jawaz_cli import jawaz

from engine import EngineError, load_bundle
from engine.bundle import Bundle
from engine.inputs.profiles import MAX_PROFILE_BYTES, ProfileError

REPO = Path(__file__).resolve().parents[1]

GOOD: dict[str, Any] = {
    "name": "Test Exchange",
    "home": "BH",
    "licence": "category_4",
    "activities": ["exchange"],
    "attributes": {
        "paid_up_capital": {"amount": "300000", "currency": "BHD"},
        "cold_storage_min_share": 95,
    },
    "in_host": {"BH": {"local_place_of_business": True}},
}


@pytest.fixture(scope="module")
def bundle() -> Bundle:
    """The bundled rules, loaded once for the module."""
    return load_bundle()


def problems(bundle: Bundle, data: Any) -> dict[str, str]:
    """The problems a profile is refused for, by path."""
    with pytest.raises(ProfileError) as caught:
        bundle.profile(data)
    assert isinstance(caught.value, EngineError)
    found = dict(caught.value.problems)
    assert len(found) == len(caught.value.problems), "one problem per path"
    return found


def changed(**top: Any) -> dict[str, Any]:
    """The good profile with some top-level fields replaced."""
    data = copy.deepcopy(GOOD)
    data.update(top)
    return data


def with_attributes(**attributes: Any) -> dict[str, Any]:
    """The good profile with some attributes replaced."""
    data = copy.deepcopy(GOOD)
    data["attributes"].update(attributes)
    return data


def test_good_profile_is_accepted(bundle: Bundle) -> None:
    """The baseline the other tests break one field at a time."""
    firm = bundle.profile(copy.deepcopy(GOOD))
    assert firm.home == "BH" and firm.licence == "category_4"
    assert firm.facts_for("BH")["local_place_of_business"] is True
    assert "local_place_of_business" not in firm.facts_for("MY")


@pytest.mark.parametrize(
    "money", [{"amount": "5000000", "currency": "RM"}, "RM 5000000"], ids=["mapping", "text"]
)
def test_unknown_currency_names_its_path(bundle: Bundle, money: Any) -> None:
    """An unknown currency is reported at the money attribute (or its currency)."""
    found = problems(bundle, with_attributes(paid_up_capital=money))
    paths = [p for p in found if p.startswith("attributes.paid_up_capital")]
    assert paths and set(paths) <= {
        "attributes.paid_up_capital",
        "attributes.paid_up_capital.currency",
    }
    assert "RM" in found[paths[0]]


def test_unknown_currency_suggests_myr(bundle: Bundle) -> None:
    """`RM` is the ringgit's symbol: the answer should point to `MYR`."""
    found = problems(bundle, with_attributes(paid_up_capital="RM 5000000"))
    assert any("MYR" in message for message in found.values())


def test_unknown_attribute_gets_did_you_mean(bundle: Bundle) -> None:
    """A misspelt attribute is named with the closest known one."""
    data = with_attributes(paid_up_captial={"amount": "1", "currency": "BHD"})
    found = problems(bundle, data)
    assert list(found) == ["attributes.paid_up_captial"]
    assert "paid_up_capital" in found["attributes.paid_up_captial"]


@pytest.mark.parametrize(
    "money",
    [{"amount": 1500000.5, "currency": "BHD"}, {"amount": 1e6, "currency": "BHD"}, 300000.0],
    ids=["float-amount", "float-exponent", "bare-float"],
)
def test_float_money_is_refused(bundle: Bundle, money: Any) -> None:
    """Money is never a float: write the amount as a string or a whole number."""
    found = problems(bundle, with_attributes(paid_up_capital=money))
    assert [p for p in found if p.startswith("attributes.paid_up_capital")]


@pytest.mark.parametrize("bad", [101, "100.5", -1, "lots"])
def test_percentage_outside_0_100_is_refused(bundle: Bundle, bad: Any) -> None:
    """A percentage over 100 (or under 0, or not a number) is refused at its path."""
    found = problems(bundle, with_attributes(cold_storage_min_share=bad))
    assert list(found) == ["attributes.cold_storage_min_share"]


def test_percentage_bounds_are_accepted(bundle: Bundle) -> None:
    """0 and 100 are percentages; a YAML float such as 95.5 is read as written."""
    for value in (0, 100, 95.5, "92"):
        bundle.profile(with_attributes(cold_storage_min_share=value))


def test_unknown_home(bundle: Bundle) -> None:
    """An unknown home is named, with the closest code."""
    found = problems(bundle, changed(home="BHR"))
    assert "home" in found and "BH" in found["home"]


def test_licence_not_of_the_home(bundle: Bundle) -> None:
    """A licence of another jurisdiction is refused at `licence`."""
    found = problems(bundle, changed(licence="rmo_dax"))
    assert list(found) == ["licence"]
    assert "category_4" in found["licence"]  # the home's licences are listed


def test_unknown_field(bundle: Bundle) -> None:
    """An unknown top-level field is refused at its own path, with a suggestion."""
    found = problems(bundle, changed(license="category_4"))
    assert list(found) == ["license"]
    assert "licence" in found["license"]


def test_in_host_with_unknown_jurisdiction(bundle: Bundle) -> None:
    """`in_host` keys are jurisdictions of the bundle."""
    data = changed(in_host={"XX": {"local_place_of_business": True}})
    found = problems(bundle, data)
    assert list(found) == ["in_host.XX"]


def test_in_host_attribute_problems_have_full_paths(bundle: Bundle) -> None:
    """Problems inside `in_host` are named by host and attribute."""
    data = changed(in_host={"BH": {"local_place_of_business": "yes", "colour": "red"}})
    found = problems(bundle, data)
    assert set(found) == {"in_host.BH.local_place_of_business", "in_host.BH.colour"}


def test_every_problem_is_reported_at_once(bundle: Bundle) -> None:
    """One refusal lists every problem, each with its path."""
    data = {
        "home": "BH",
        "licence": "rmo_dax",
        "activities": ["exchange", "trading"],
        "colour": "blue",
        "attributes": {
            "paid_up_capital": {"amount": "1", "currency": "RM"},
            "paid_up_captial": "BHD 1",
            "shareholders_funds": {"amount": 1.5, "currency": "BHD"},
            "cold_storage_min_share": 101,
            "client_assets_unencumbered": "yes",
            "legal_form": "wll",
        },
        "in_host": {"XX": {}, "MY": {"paid_up_capital": "RM 5"}},
    }
    found = problems(bundle, data)
    assert set(found) == {
        "licence",
        "activities.1",
        "colour",
        "attributes.paid_up_capital",
        "attributes.paid_up_captial",
        "attributes.shareholders_funds",
        "attributes.cold_storage_min_share",
        "attributes.client_assets_unencumbered",
        "attributes.legal_form",
        "in_host.XX",
        "in_host.MY.paid_up_capital",
    }


@pytest.mark.parametrize("data", [[], "BH", None, 3], ids=["list", "text", "null", "number"])
def test_profile_that_is_not_a_mapping(bundle: Bundle, data: Any) -> None:
    """A profile is a mapping; anything else is refused at the top."""
    assert list(problems(bundle, data)) == ["(top)"]


# ---- through the CLI ------------------------------------------------------------------------


def _write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_cli_bad_profile_exit_2_with_paths(tmp_path: Path) -> None:
    """A bad profile: exit 2, every path on stderr, nothing on stdout, no traceback."""
    path = _write(
        tmp_path,
        "bad.yaml",
        "home: BH\nlicence: category_4\nactivities: [exchange]\ncolour: red\n"
        "attributes:\n  paid_up_capital: RM 5000000\n  cold_storage_min_share: 101\n"
        "in_host:\n  XX: {}\n",
    )
    result = jawaz("passport", str(path), "--to", "MY", "--as-of", "2026-01-15")
    assert result.returncode == 2
    assert result.stdout == ""
    for where in (
        "attributes.paid_up_capital",
        "attributes.cold_storage_min_share",
        "colour",
        "in_host.XX",
    ):
        assert where in result.stderr


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("malformed.yaml", "home: BH\nlicence: [unclosed\n"),
        ("tabs.yaml", "home: BH\n\tlicence: category_4\n"),
        ("malformed.json", '{"home": "BH",'),
        ("list.yaml", "- home\n- BH\n"),
        ("empty.yaml", ""),
        ("alias-bomb.yaml", "a: &a [x, x]\nb: &b [*a, *a]\nc: &c [*b, *b]\nbomb: *c\n"),
    ],
)
def test_cli_unreadable_profile_exit_2(tmp_path: Path, name: str, content: str) -> None:
    """Malformed YAML or JSON, or not a profile at all: exit 2, the file named."""
    path = _write(tmp_path, name, content)
    result = jawaz("passport", str(path), "--to", "MY", "--as-of", "2026-01-15")
    assert result.returncode == 2
    assert name in result.stderr


def test_cli_python_tags_are_not_constructed(tmp_path: Path) -> None:
    """A YAML `!!python` tag is a parse error (safe loader), never an object."""
    path = _write(tmp_path, "tag.yaml", "home: !!python/object/apply:os.system ['touch PWNED']\n")
    result = jawaz("passport", str(path), "--to", "MY", cwd=tmp_path)
    assert result.returncode == 2
    assert not (tmp_path / "PWNED").exists()


def test_cli_missing_file(tmp_path: Path) -> None:
    """A profile that does not exist: exit 2, named."""
    result = jawaz("passport", str(tmp_path / "nowhere.yaml"), "--to", "MY")
    assert result.returncode == 2
    assert "nowhere.yaml" in result.stderr


def test_cli_directory(tmp_path: Path) -> None:
    """A directory given as the profile: exit 2, named."""
    folder = tmp_path / "folder.yaml"
    folder.mkdir()
    result = jawaz("passport", str(folder), "--to", "MY")
    assert result.returncode == 2
    assert "folder.yaml" in result.stderr


def test_cli_huge_file(tmp_path: Path) -> None:
    """A profile over the size limit is refused before it is parsed."""
    path = tmp_path / "huge.yaml"
    path.write_text("name: x\n" + "#" * (MAX_PROFILE_BYTES + 1) + "\n", encoding="utf-8")
    result = jawaz("passport", str(path), "--to", "MY")
    assert result.returncode == 2
    assert "huge.yaml" in result.stderr


def test_cli_not_utf8(tmp_path: Path) -> None:
    """Bytes that are not UTF-8: exit 2, named."""
    path = tmp_path / "latin1.yaml"
    path.write_bytes(b"name: Caf\xe9\nhome: BH\n")
    result = jawaz("passport", str(path), "--to", "MY")
    assert result.returncode == 2
    assert "latin1.yaml" in result.stderr


# ---- values that must be refused, not crash: lists, NaN, infinities, huge amounts -----------


@pytest.mark.parametrize(
    ("field", "value"), [("home", ["BH"]), ("home", {"code": "BH"}), ("licence", ["category_4"])]
)
def test_non_scalar_home_or_licence_is_a_profile_error(
    bundle: Bundle, field: str, value: Any
) -> None:
    """`home: [BH]` is a user mistake: refused at its path, never a crash."""
    assert field in problems(bundle, changed(**{field: value}))


def test_cli_non_scalar_home_exit_2(tmp_path: Path) -> None:
    """The same mistake through the CLI."""
    path = _write(tmp_path, "list-home.yaml", "home: [BH]\nlicence: category_4\n")
    result = subprocess.run(
        [*_command(), "passport", str(path), "--to", "MY"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 2
    assert "Traceback" not in result.stderr


def _command() -> list[str]:
    script = Path(sys.executable).with_name("jawaz")
    return [str(script)] if script.exists() else [sys.executable, "-m", "engine.interfaces.cli"]


@pytest.mark.parametrize(
    "attributes",
    [
        {"paid_up_capital": {"amount": "NaN", "currency": "BHD"}},
        {"paid_up_capital": "BHD sNaN"},
        {"cold_storage_min_share": "NaN"},
    ],
    ids=["amount", "amount-text", "percentage"],
)
def test_nan_is_a_profile_error(bundle: Bundle, attributes: dict[str, Any]) -> None:
    """NaN is not an amount: refused at the attribute's path."""
    found = problems(bundle, with_attributes(**attributes))
    assert [p for p in found if p.startswith(f"attributes.{next(iter(attributes))}")]


@pytest.mark.parametrize("amount", ["Infinity", "1e30", "1" + "0" * 27])
def test_unrepresentable_amount_is_refused_or_answered(bundle: Bundle, amount: str) -> None:
    """An amount the engine cannot convert is refused up front, or the question is answered."""
    data = with_attributes(paid_up_capital={"amount": amount, "currency": "BHD"})
    try:
        firm = bundle.profile(data)
    except ProfileError as error:
        assert "attributes.paid_up_capital" in dict(error.problems)
        return
    decision = bundle.passport(firm, host="MY", as_of=dt.date(2026, 1, 15))
    assert decision.verdict


def test_read_profile_errors_name_the_file(bundle: Bundle, tmp_path: Path) -> None:
    """Through the Python API: missing, directory and huge files are EngineErrors whose
    path is the file."""
    huge = tmp_path / "huge.yaml"
    huge.write_text("#" * (MAX_PROFILE_BYTES + 1), encoding="utf-8")
    for path in (tmp_path / "missing.yaml", tmp_path, huge):
        with pytest.raises(EngineError) as caught:
            bundle.read_profile(path)
        assert caught.value.path == str(path)
