"""The checked-bundle cache keeps each bundle's rules hash beside it: the kept hash is the
one the IR gives, a damaged one is worked out again, and new rules miss."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from rulesdsl import cache
from rulesdsl.ir.canonical import rules_hash
from rulesdsl.loader import bundled_root, load_bundle, load_hashed_bundle, rule_files


@pytest.fixture
def rules(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the bundled rules, with the cache in tmp."""
    monkeypatch.setenv("JAWAZ_CACHE_DIR", str(tmp_path / "cache"))
    root = tmp_path / "rules"
    shutil.copytree(bundled_root(), root, ignore=shutil.ignore_patterns("*.py", "__pycache__"))
    return root


def _key(root: Path) -> str:
    folder = root.resolve()
    return cache.bundle_key(folder, rule_files(folder))


def test_the_kept_hash_is_the_bundles_own(rules: Path) -> None:
    bundle, first = load_hashed_bundle(rules)  # checked, then kept with its hash
    assert first == rules_hash(bundle)
    assert cache.load_hash(_key(rules)) == first
    again, second = load_hashed_bundle(rules)  # both from the cache
    assert again == bundle and second == first == rules_hash(again)


def test_a_damaged_hash_is_worked_out_again(rules: Path) -> None:
    _, first = load_hashed_bundle(rules)
    kept = Path(str(cache.cache_dir())) / f"{_key(rules)}.hash"
    for damage in ("0" * 63, "not a hash" * 7, "A" * 64):
        kept.write_text(damage, encoding="ascii")
        assert cache.load_hash(_key(rules)) is None
        assert load_hashed_bundle(rules)[1] == first
    kept.write_bytes(b"\xff" * 64)
    assert load_hashed_bundle(rules)[1] == first


def test_changed_rules_miss_and_hash_anew(rules: Path) -> None:
    _, first = load_hashed_bundle(rules)
    bh = rules / "BH" / "jurisdiction.rules"
    text = bh.read_text(encoding="utf-8")
    bh.write_text(text.replace('name "', 'name "Kingdom of ', 1), encoding="utf-8")
    bundle, second = load_hashed_bundle(rules)
    assert second != first and second == rules_hash(bundle) == rules_hash(load_bundle(rules))


def test_with_the_cache_off_the_hash_is_worked_out(
    rules: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("JAWAZ_CACHE_DIR", "")
    bundle, known = load_hashed_bundle(rules)
    assert known == rules_hash(bundle)
    assert cache.load_hash(_key(rules)) is None
