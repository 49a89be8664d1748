"""Golden files for the rule language (DESIGN §7).

`tests/dsl/ok/*.rules` check clean and lower to exactly their `.ir.json`;
`tests/dsl/bad/CODE-description.rules` (or a `CODE-description/` bundle folder) report
CODE, and `jawaz check` prints exactly their `.diag`. `pytest --update-golden` rewrites
the golden files; review the change with `git diff`. Tests key on codes, never wording.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from engine.interfaces.cli.main import cli
from rulesdsl.check.schema import BLOCKS
from rulesdsl.errors import CODES
from rulesdsl.loader import check_paths, parse_file
from rulesdsl.syntax import nodes as n

ROOT = Path(__file__).resolve().parent.parent
OK_DIR = ROOT / "tests" / "dsl" / "ok"
BAD_DIR = ROOT / "tests" / "dsl" / "bad"
OK_FILES = sorted(OK_DIR.glob("*.rules"))
BAD_ENTRIES = sorted(p for p in BAD_DIR.iterdir() if p.suffix == ".rules" or p.is_dir())

# Codes about paths rather than file contents, tested through the CLI in test_bad_input.
PATH_CODES = frozenset({"E001", "E002", "E007"})
# Codes whose input is generated in tmp_path instead of committed (a file over 1 MiB).
GENERATED_CODES = frozenset({"E003"})
# Codes about case files (`cases/*.yaml`), not rule files: tested in test_case_diagnostics.
CASE_CODES = frozenset(code for code, (phase, _) in CODES.items() if phase == "cases")

HEADER = re.compile(
    r"^(?P<path>[^:\n]+):(?P<line>\d+):(?P<column>\d+): "
    r"(?P<severity>error|warning)\[(?P<code>[EW]\d{3})\]: \S"
)
CARET = re.compile(r"^ +\| *\^+$")


@pytest.fixture(autouse=True)
def _at_repo_root(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Diagnostics show paths relative to the working directory: make it the repo root."""
    monkeypatch.chdir(ROOT)
    yield


def code_of(entry: Path) -> str:
    """The diagnostic code a bad example is named after."""
    return entry.name.split("-", 1)[0]


def compare_golden(golden: Path, actual: str, update: bool) -> None:
    """Compare `actual` with a golden file byte for byte, or rewrite it when updating."""
    data = actual.encode("utf-8")
    if update:
        if not golden.exists() or golden.read_bytes() != data:
            golden.write_bytes(data)
        return
    assert golden.exists(), f"{golden.name} is missing: run pytest --update-golden"
    assert golden.read_bytes().decode("utf-8") == actual


def jawaz_check(target: Path) -> tuple[int, str, str]:
    """Run `jawaz check TARGET` in-process: exit code, stdout, stderr."""
    result = CliRunner().invoke(cli, ["check", str(target)])
    assert result.exception is None or isinstance(result.exception, SystemExit)
    return result.exit_code, result.stdout, result.stderr


def assert_diagnostic_form(stderr: str, path: Path) -> None:
    """Every block printed is `path:line:col: severity[CODE]: …` with a caret line."""
    blocks = [block for block in stderr.split("\n\n") if block.strip()]
    assert blocks, "no diagnostics printed"
    for block in blocks:
        lines = block.splitlines()
        header = HEADER.match(lines[0])
        assert header, f"not a diagnostic header: {lines[0]!r}"
        assert Path(header["path"]).is_relative_to(path), header["path"]
        assert header["code"] in CODES
        assert any(CARET.match(line) for line in lines[1:]), f"no caret under {lines[0]!r}"


# ---- valid examples ------------------------------------------------------------------------


@pytest.mark.parametrize("path", OK_FILES, ids=lambda p: p.name)
def test_ok_file_lowers_to_golden_ir(path: Path, update_golden: bool) -> None:
    """A valid example checks without any diagnostic and lowers to its `.ir.json`."""
    report = check_paths([path.relative_to(ROOT)])
    assert [d.code for d in report.diagnostics] == []
    assert len(report.bundles) == 1
    ir_json = report.bundles[0].model_dump_json(indent=2) + "\n"
    compare_golden(path.with_suffix(".ir.json"), ir_json, update_golden)


def _walk(value: object) -> Iterator[n.Node]:
    """Every node in a (bounded) syntax tree."""
    if isinstance(value, tuple):
        for item in value:
            yield from _walk(item)
    elif isinstance(value, n.Node):
        yield value
        for name in value.__dataclass_fields__:
            if name != "span":
                yield from _walk(getattr(value, name))


def test_ok_files_cover_the_language() -> None:
    """Together the valid examples use every block kind, every field of every block,
    every expression form and every comparison operator."""
    assert 4 <= len(OK_FILES) <= 8
    nodes = [node for path in OK_FILES for node in _walk(parse_file(path).items)]
    blocks = [node for node in nodes if isinstance(node, n.Block)]
    kinds = {block.kind.text for block in blocks}
    assert kinds == set(BLOCKS)
    fields = {(block.kind.text, item.key.text) for block in blocks for item in block.fields()}
    assert fields == {(kind, key) for kind, spec in BLOCKS.items() for key in spec.fields}
    expression_forms = set(n.Expr.__args__) - {n.StringLit}  # text is never a condition
    assert expression_forms <= {type(node) for node in nodes}
    operators = {node.op for node in nodes if isinstance(node, n.Compare)}
    assert operators == {">=", "<=", "==", "!=", ">", "<"}
    money = [node for node in nodes if isinstance(node, n.MoneyLit)]
    assert any(node.amount is None for node in money), "no `CUR pending`"
    assert any(isinstance(node, n.Duration) and node.unit == "working" for node in nodes)
    assert any(isinstance(node, n.Duration) and node.unit == "calendar" for node in nodes)


# ---- bad examples --------------------------------------------------------------------------


@pytest.mark.parametrize("entry", BAD_ENTRIES, ids=lambda p: p.name)
def test_bad_file_reports_its_code(entry: Path, update_golden: bool) -> None:
    """The code in the name is reported, through the API and `jawaz check`, and the text
    `jawaz check` prints (diagnostics on stderr, then the count) is the `.diag`."""
    relative = entry.relative_to(ROOT)
    report = check_paths([relative])
    assert code_of(entry) in {d.code for d in report.diagnostics}
    exit_code, stdout, stderr = jawaz_check(relative)
    assert exit_code == (1 if report.errors else 0)
    assert f"[{code_of(entry)}]" in stderr
    assert "Traceback" not in stdout + stderr
    assert_diagnostic_form(stderr, relative)
    compare_golden(entry.with_suffix(".diag"), stderr + stdout, update_golden)


def test_every_code_has_a_bad_file() -> None:
    """A new diagnostic code needs a bad example here (or a CLI test, for path codes)."""
    named = {code_of(entry) for entry in BAD_ENTRIES}
    assert named <= set(CODES), f"bad examples named after unknown codes: {named - set(CODES)}"
    missing = set(CODES) - PATH_CODES - GENERATED_CODES - CASE_CODES - named
    assert not missing, f"codes without a file in tests/dsl/bad: {sorted(missing)}"


def test_no_orphan_golden_files() -> None:
    """Every golden file belongs to an example, so a renamed example leaves nothing behind."""
    sources = {p.with_suffix(".ir.json") for p in OK_FILES}
    sources |= {p.with_suffix(".diag") for p in BAD_ENTRIES}
    goldens = set(OK_DIR.glob("*.ir.json")) | set(BAD_DIR.glob("*.diag"))
    assert goldens == sources
