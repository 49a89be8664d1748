"""Hostile input through the Python API and the real `jawaz check` command.

Each case is written to tmp_path and checked twice: with `check_paths` and with
`jawaz check` in a subprocess. Exit codes follow DESIGN §5 (0 ok, 1 findings, 2 usage or
input error); no input may produce a Python traceback or a RecursionError.
"""

from __future__ import annotations

import re
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from rulesdsl.errors import DslError
from rulesdsl.loader import check_paths, parse_file
from rulesdsl.syntax.parser import parse_text
from rulesdsl.syntax.sources import MAX_FILE_BYTES, MAX_NESTING

ROOT = Path(__file__).resolve().parent.parent
OK_EXAMPLE = ROOT / "tests" / "dsl" / "ok" / "conditions.rules"
BAD_DIR = ROOT / "tests" / "dsl" / "bad"
HEADER = re.compile(r"^[^:\n]+:\d+:\d+: (?:error|warning)\[(?P<code>[EW]\d{3})\]: \S", re.M)
CARET = re.compile(r"^ +\| *\^+$")

EXIT_OK, EXIT_FINDINGS, EXIT_USAGE = 0, 1, 2


def jawaz(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    """Run the installed `jawaz` script (or `python -m engine.interfaces.cli`) in a subprocess."""
    script = Path(sys.executable).with_name("jawaz")
    command = [str(script)] if script.exists() else [sys.executable, "-m", "engine.interfaces.cli"]
    done = subprocess.run([*command, *args], cwd=cwd, capture_output=True, timeout=120)
    return subprocess.CompletedProcess(
        done.args,
        done.returncode,
        done.stdout.decode("utf-8", errors="replace"),
        done.stderr.decode("utf-8", errors="replace"),
    )


def requirement(condition: str) -> str:
    """A file holding one requirement with `condition`, checked with the bundled vocabulary."""
    return (
        'jurisdiction BH {\n  name "Bahrain"\n  currency BHD\n  authorities ["CBB"]\n'
        '  instrument CRA {\n    title "CRA"\n  }\n  requirement BH-X {\n    title "x"\n'
        f'    category capital\n    require {condition}\n    cite CRA "CRA-1"\n'
        '    confidence confirmed\n    remedy "x"\n  }\n}\n'
    )


def _write(name: str, data: bytes) -> Callable[[Path], Path]:
    """A maker of one file holding `data`."""

    def make(tmp_path: Path) -> Path:
        path = tmp_path / name
        path.write_bytes(data)
        return path

    return make


def _folder(files: dict[str, bytes]) -> Callable[[Path], Path]:
    """A maker of a folder holding `files` (none: an empty folder)."""

    def make(tmp_path: Path) -> Path:
        folder = tmp_path / "rules"
        folder.mkdir()
        for name, data in files.items():
            (folder / name).write_bytes(data)
        return folder

    return make


def _missing(tmp_path: Path) -> Path:
    """A path to nothing."""
    return tmp_path / "no-such-file.rules"


@dataclass(frozen=True)
class Case:
    """One hostile input: how to make it, and what `jawaz check` must answer."""

    name: str
    make: Callable[[Path], Path]
    exit_code: int
    code: str | None  # the code that must be reported; None: no diagnostics at all


VALID = OK_EXAMPLE.read_bytes()
CASES = (
    Case("empty-file", _write("empty.rules", b""), EXIT_OK, None),
    Case(
        "binary-garbage",
        _write("garbage.rules", b"\x89PNG\r\n\x1a\n\x00\x00\xff\xfe"),
        EXIT_FINDINGS,
        "E004",
    ),
    Case("nul-byte", _write("nul.rules", b"jurisdiction BH {\n\x00\n}\n"), EXIT_FINDINGS, "E005"),
    Case("invalid-utf8", _write("latin1.rules", b'# caf\xe9 "na\xefve"\n'), EXIT_FINDINGS, "E004"),
    Case("utf8-bom", _write("bom.rules", b"\xef\xbb\xbf" + VALID), EXIT_OK, None),
    Case("crlf", _write("crlf.rules", VALID.replace(b"\n", b"\r\n")), EXIT_OK, None),
    Case("10mb-line", _write("huge.rules", b"x" * 10_000_000), EXIT_FINDINGS, "E003"),
    Case("100k-open-parens", _write("parens.rules", b"(" * 100_000), EXIT_FINDINGS, "E006"),
    Case(
        "100k-balanced-parens",
        _write("balanced.rules", requirement("(" * 100_000 + "true" + ")" * 100_000).encode()),
        EXIT_FINDINGS,
        "E006",
    ),
    Case(
        "100k-nested-lists",
        _write(
            "lists.rules",
            ('x {\n  a "C:\\\\"\n  b ' + "[" * 100_000 + "]" * 100_000 + "\n}\n").encode(),
        ),
        EXIT_FINDINGS,
        "E006",
    ),
    Case(
        "100k-nots",
        _write("nots.rules", requirement("not " * 100_000 + "true").encode()),
        EXIT_FINDINGS,
        "E006",
    ),
    Case(
        "100k-ands",
        _write("ands.rules", requirement(" and ".join(["true"] * 100_000)).encode()),
        EXIT_FINDINGS,
        "E006",
    ),
    Case("missing-path", _missing, EXIT_USAGE, "E001"),
    Case("empty-folder", _folder({}), EXIT_USAGE, "E007"),
    Case(
        "folder",
        _folder({"good.rules": VALID, "bad.rules": requirement("paid_up_capitl > BHD 1").encode()}),
        EXIT_FINDINGS,
        "E300",
    ),
)


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.name)
def test_hostile_input(case: Case, tmp_path: Path) -> None:
    """The API reports the expected code (or nothing); `jawaz check` exits as it should,
    prints that code, and never a traceback."""
    target = case.make(tmp_path)
    report = check_paths([target])
    codes = {d.code for d in report.diagnostics}
    if case.code is None:
        assert codes == set()
    else:
        assert case.code in codes
    result = jawaz("check", str(target), cwd=tmp_path)
    assert result.returncode == case.exit_code, result.stderr
    assert "Traceback" not in result.stdout
    assert "Traceback" not in result.stderr
    assert "RecursionError" not in result.stdout + result.stderr
    printed = {match["code"] for match in HEADER.finditer(result.stderr)}
    assert printed == codes
    if case.code is None:
        assert "no problems" in result.stdout


@pytest.mark.parametrize("variant", ["bom", "crlf", "bom-crlf"])
def test_bom_and_crlf_give_the_same_ir(variant: str, tmp_path: Path) -> None:
    """A byte-order mark and CRLF line endings change nothing in the lowered bundle."""
    data = VALID.replace(b"\n", b"\r\n") if "crlf" in variant else VALID
    data = b"\xef\xbb\xbf" + data if "bom" in variant else data
    path = tmp_path / "variant.rules"
    path.write_bytes(data)
    plain = check_paths([OK_EXAMPLE]).bundles
    varied = check_paths([path]).bundles
    assert len(plain) == len(varied) == 1
    assert varied[0].model_dump_json() == plain[0].model_dump_json()


def test_size_limit_is_exact(tmp_path: Path) -> None:
    """A file of exactly the limit is read; one byte more is refused with E003."""
    at_limit = tmp_path / "at-limit.rules"
    at_limit.write_bytes(b"#" + b"x" * (MAX_FILE_BYTES - 2) + b"\n")
    assert check_paths([at_limit]).diagnostics == []
    over = tmp_path / "over.rules"
    over.write_bytes(b"#" + b"x" * (MAX_FILE_BYTES - 1) + b"\n")
    assert [d.code for d in check_paths([over]).diagnostics] == ["E003"]


def test_nesting_limit_is_exact() -> None:
    """`MAX_NESTING` levels parse; one more is E006 (text given to the API, no file)."""
    inside = MAX_NESTING - 2  # the jurisdiction and requirement blocks are two levels
    parse_text(requirement("(" * inside + "true" + ")" * inside))
    with pytest.raises(DslError) as error:
        parse_text(requirement("(" * (inside + 1) + "true" + ")" * (inside + 1)))
    assert [d.code for d in error.value.diagnostics] == ["E006"]


def test_input_errors_point_into_the_file(tmp_path: Path) -> None:
    """A bad byte is located by line and column, after a byte-order mark too."""
    path = tmp_path / "bom-latin1.rules"
    path.write_bytes(b"\xef\xbb\xbf# ok\n# caf\xe9\n")
    (diagnostic,) = check_paths([path]).diagnostics
    assert (diagnostic.code, diagnostic.span.line, diagnostic.span.column) == ("E004", 2, 6)
    result = jawaz("check", path.name, cwd=tmp_path)
    assert any(CARET.match(line) for line in result.stderr.splitlines())


def test_directory_as_a_file_is_E002(tmp_path: Path) -> None:
    """E002 cannot come from `jawaz check`, which reads a folder's .rules files; reading a
    directory as one file (the API below the CLI) is E002, not a crash."""
    with pytest.raises(DslError) as error:
        parse_file(tmp_path)
    assert [d.code for d in error.value.diagnostics] == ["E002"]


def test_every_bad_file_through_the_real_command() -> None:
    """One `jawaz check` over every bad example: each diagnostic is
    `path:line:col: severity[CODE]: …` followed by a caret line, each example's code is
    printed, and there is no traceback."""
    entries = sorted(p for p in BAD_DIR.iterdir() if p.suffix == ".rules" or p.is_dir())
    result = jawaz("check", *(str(p.relative_to(ROOT)) for p in entries))
    assert result.returncode == EXIT_FINDINGS
    assert "Traceback" not in result.stdout + result.stderr
    blocks = [block for block in result.stderr.split("\n\n") if block.strip()]
    for block in blocks:
        lines = block.splitlines()
        assert HEADER.match(lines[0]), lines[0]
        assert lines[0].startswith("tests/dsl/bad/"), lines[0]
        assert any(CARET.match(line) for line in lines[1:]), lines[0]
    printed = {
        (line.split(":", 1)[0], match["code"])
        for line in result.stderr.splitlines()
        if (match := HEADER.match(line))
    }
    for entry in entries:
        code = entry.name.split("-", 1)[0]
        relative = str(entry.relative_to(ROOT))
        assert any(path.startswith(relative) and c == code for path, c in printed), entry.name
