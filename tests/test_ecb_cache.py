"""The unzipped ECB history is kept beside the checked bundles, keyed by the data file (its
path, size and modification time) and the package release: new data or a new release is
read afresh, never answered from an old entry."""

from __future__ import annotations

import io
import os
import shutil
import zipfile
from pathlib import Path

import pytest

from engine.inputs import ecb

HEADER = "Date,USD,JPY,\n"


def _write_zip(path: Path, text: str, mtime_ns: int) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("eurofxref-hist.csv", text)
    path.write_bytes(buffer.getvalue())
    os.utime(path, ns=(mtime_ns, mtime_ns))


@pytest.fixture
def cache_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv("JAWAZ_CACHE_DIR", str(folder))
    return folder


def test_the_shipped_file_is_read_the_same_through_the_cache(cache_folder: Path) -> None:
    located = ecb._data_file()
    assert located is not None
    direct = ecb._unzipped(located.read_bytes())
    version = "test-release"
    assert ecb._history_text(located, version) == direct  # read, and kept
    assert len(list(cache_folder.glob("ecb-*.csv"))) == 1
    assert ecb._history_text(located, version) == direct  # from the entry
    kept = ecb.parse_history(ecb._history_text(located, version), version)
    assert kept == ecb.parse_history(direct, version)


def test_new_data_or_a_new_release_misses(tmp_path: Path, cache_folder: Path) -> None:
    data = tmp_path / "eurofxref-hist.zip"
    older = HEADER + "2026-10-29,1.1,160.1,\n"
    newer = HEADER + "2026-10-30,1.2,161.2,\n2026-10-29,1.1,160.1,\n"
    _write_zip(data, older, 1_000_000_000)
    assert ecb.parse_history(ecb._history_text(data, "1.0"), "1.0").newest.isoformat() == (
        "2026-10-29"
    )
    _write_zip(data, newer, 2_000_000_000)  # new data at the same path
    history = ecb.parse_history(ecb._history_text(data, "1.0"), "1.0")
    assert history.newest.isoformat() == "2026-10-30"
    assert ecb._history_text(data, "1.1") == newer  # another release: its own entry
    assert len(list(cache_folder.glob("ecb-*.csv"))) == 3


def test_a_damaged_entry_is_read_again(tmp_path: Path, cache_folder: Path) -> None:
    data = tmp_path / "eurofxref-hist.zip"
    text = HEADER + "2026-10-30,1.2,161.2,\n"
    _write_zip(data, text, 1_000_000_000)
    assert ecb._history_text(data, "1.0") == text
    (entry,) = cache_folder.glob("ecb-*.csv")
    entry.write_bytes(b"\xff\xfe not ascii")
    assert ecb._history_text(data, "1.0") == text


def test_with_the_cache_off_nothing_is_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("JAWAZ_CACHE_DIR", "")
    data = tmp_path / "eurofxref-hist.zip"
    text = HEADER + "2026-10-30,1.2,161.2,\n"
    _write_zip(data, text, 1_000_000_000)
    assert ecb._history_text(data, "1.0") == text
    assert sorted(p.name for p in tmp_path.iterdir()) == ["eurofxref-hist.zip"]


def test_an_unwritable_cache_is_ignored(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("a file where the cache folder would be")
    monkeypatch.setenv("JAWAZ_CACHE_DIR", str(blocked))
    located = ecb._data_file()
    assert located is not None
    copy = tmp_path / "eurofxref-hist.zip"
    shutil.copyfile(located, copy)
    assert ecb._history_text(copy, "1.0") == ecb._unzipped(located.read_bytes())
