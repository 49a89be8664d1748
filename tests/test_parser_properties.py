"""Robustness of the whole front end against malformed rule files.

Mutants of the bundled `.rules` files (spans deleted or duplicated, tokens swapped or
replaced, odd bytes inserted, the file cut short) go through the pipeline `jawaz check`
runs: vetting, parsing, the checker over the whole bundle and, when clean, lowering. The
properties: nothing but `DslError` escapes; every diagnostic has a known code, names a file
of the bundle and points at a real place in it; no example takes anywhere near a second
(a guard against hangs, not a benchmark: DESIGN §8 measures speed with benchmarks).
"""

from __future__ import annotations

import functools
import re
import shutil
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from hypothesis import event, given, settings
from hypothesis import strategies as st

from rulesdsl.check.checker import check_modules
from rulesdsl.errors import CODES, Diagnostic, DslError, Severity
from rulesdsl.ir.canonical import rules_hash
from rulesdsl.ir.lower import lower
from rulesdsl.loader import bundled_root, check_paths, display_path, rule_files
from rulesdsl.syntax import nodes as n
from rulesdsl.syntax.parser import parse_source
from rulesdsl.syntax.sources import from_bytes

# Catches a hang (a parse that blows up on some input), not slowness: the machine is shared
# and a whole-bundle check takes 0.2 s when quiet and several times that under load, so the
# guard sits far above either. Speed is measured by benchmarks/, never here.
HANG_GUARD_SECONDS = 30.0
TOKEN = re.compile(rb'"(?:[^"\\\n]|\\.)*"|[A-Za-z0-9_][A-Za-z0-9_.%-]*|[^\sA-Za-z0-9_]')
PAYLOADS = (
    b"\x00",
    b"\xff",
    b"\xc3",  # a truncated two-byte sequence
    b"\xef\xbb\xbf",  # a byte-order mark, in the middle of the text
    b"\x0c",  # form feed: whitespace to the lexer, a line break to str.splitlines
    "\u2028".encode(),
    b"\r",
    b"\r\n",
    b"\n",
    b"{",
    b"}",
    b"(",
    b")",
    b"[",
    b"]",
    b'"',
    b"'",
    b"\\",
    b"#",
    b"=",
    b"==",
    b"&&",
    b"||",
    b"!",
    b",",
    b"%",
    b" not ",
    b" and ",
    b" or ",
    b" of ",
    b" pending ",
    b" 2024-02-30 ",
    b" BHD ",
    b" 1_000.5 ",
    b" * ",
    b" * 150% ",
    b" 18 months of ",
    b" 150% of ",
)


@dataclass(frozen=True)
class Bundle:
    """The bundled rules: raw bytes and parsed modules, by the name diagnostics use."""

    data: dict[str, bytes]
    modules: dict[str, n.Module]


@functools.cache
def bundle() -> Bundle:
    """Read and parse every bundled rule file once per test session."""
    data: dict[str, bytes] = {}
    modules: dict[str, n.Module] = {}
    root = bundled_root()
    for path in rule_files(root):
        name = path.relative_to(root.parent).as_posix()
        data[name] = path.read_bytes()
        vetted = from_bytes(name, data[name])
        assert not isinstance(vetted, Diagnostic), vetted
        parsed = parse_source(vetted)
        assert isinstance(parsed, n.Module), parsed
        modules[name] = parsed
    return Bundle(data, modules)


# ---- mutations --------------------------------------------------------------------------
# Positions are drawn as plain integers and reduced modulo the length, so one mutation
# applies to any text and shrinks towards the start of the file.


def _at(data: bytes, where: int) -> int:
    return where % (len(data) + 1)


@dataclass(frozen=True)
class Delete:
    """Delete `length` bytes."""

    start: int
    length: int

    def __call__(self, data: bytes) -> bytes:
        at = _at(data, self.start)
        return data[:at] + data[at + self.length :]


@dataclass(frozen=True)
class Duplicate:
    """Copy a span of `length` bytes to another place."""

    start: int
    length: int
    to: int

    def __call__(self, data: bytes) -> bytes:
        at, to = _at(data, self.start), _at(data, self.to)
        return data[:to] + data[at : at + self.length] + data[to:]


@dataclass(frozen=True)
class SwapTokens:
    """Swap two tokens (names, numbers, strings or punctuation)."""

    first: int
    second: int

    def __call__(self, data: bytes) -> bytes:
        tokens = list(TOKEN.finditer(data))
        if len(tokens) < 2:
            return data
        a, b = sorted((self.first % len(tokens), self.second % len(tokens)))
        if a == b:
            return data
        left, right = tokens[a], tokens[b]
        return b"".join(
            (
                data[: left.start()],
                right.group(),
                data[left.end() : right.start()],
                left.group(),
                data[right.end() :],
            )
        )


@dataclass(frozen=True)
class ReplaceToken:
    """Put a copy of one token in place of another: keeps many mutants parseable, so
    the checker sees wrong names, types, dates and duplicates."""

    target: int
    source: int

    def __call__(self, data: bytes) -> bytes:
        tokens = list(TOKEN.finditer(data))
        if not tokens:
            return data
        target, source = tokens[self.target % len(tokens)], tokens[self.source % len(tokens)]
        return data[: target.start()] + source.group() + data[target.end() :]


@dataclass(frozen=True)
class Insert:
    """Insert bytes: control bytes, invalid UTF-8, brackets, quotes, operators."""

    at: int
    payload: bytes

    def __call__(self, data: bytes) -> bytes:
        at = _at(data, self.at)
        return data[:at] + self.payload + data[at:]


@dataclass(frozen=True)
class Truncate:
    """Cut the file short."""

    at: int

    def __call__(self, data: bytes) -> bytes:
        return data[: self.at % (len(data) + 1)]


Mutation = Callable[[bytes], bytes]
_POSITION = st.integers(min_value=0, max_value=1 << 16)
MUTATIONS: st.SearchStrategy[Mutation] = st.one_of(
    st.builds(Delete, _POSITION, st.integers(1, 80)),
    st.builds(Duplicate, _POSITION, st.integers(1, 120), _POSITION),
    st.builds(SwapTokens, _POSITION, _POSITION),
    st.builds(ReplaceToken, _POSITION, _POSITION),
    st.builds(Insert, _POSITION, st.sampled_from(PAYLOADS) | st.binary(min_size=1, max_size=4)),
    st.builds(Truncate, _POSITION),
)


@st.composite
def mutants(draw: st.DrawFn) -> tuple[str, bytes]:
    """A bundled file's name and a mutated copy of its bytes."""
    name = draw(st.sampled_from(sorted(bundle().data)))
    data = bundle().data[name]
    for mutation in draw(st.lists(MUTATIONS, min_size=1, max_size=3)):
        data = mutation(data)
    return name, data


# ---- the pipeline and what every diagnostic must satisfy --------------------------------


def run_pipeline(name: str, data: bytes) -> tuple[str, list[Diagnostic]]:
    """Vet, parse, check the bundle with `name` replaced by `data`, and lower if clean.

    Returns the phase that ended the run (for hypothesis' statistics) and the diagnostics.
    """
    vetted = from_bytes(name, data)
    if isinstance(vetted, Diagnostic):
        return "refused as input", [vetted]
    parsed = parse_source(vetted)
    if isinstance(parsed, Diagnostic):
        return "syntax error", [parsed]
    modules = [module for key, module in bundle().modules.items() if key != name]
    try:
        collected, found = check_modules([*modules, parsed])
        if any(d.severity is Severity.ERROR for d in found):
            return "checker errors", found
        rules_hash(lower(collected))
    except DslError as error:  # the one exception the front end may raise
        return "DslError", list(error.diagnostics)
    return "lowered", found


def source_texts(name: str, data: bytes) -> dict[str, str]:
    """Every file's text as positions count it (the mutant's undecodable bytes replaced)."""
    texts = {key: raw.decode("utf-8") for key, raw in bundle().data.items()}
    texts[name] = data.decode("utf-8", errors="replace").removeprefix("\ufeff")
    return texts


def assert_well_formed(diagnostic: Diagnostic, texts: dict[str, str]) -> None:
    """A known code, a file of the bundle, and a position inside that file."""
    assert diagnostic.code in CODES, diagnostic
    span = diagnostic.span
    assert span.file in texts, diagnostic
    lines = texts[span.file].split("\n")  # the lexer counts lines at "\n" only

    def length(line: int) -> int:
        return len(lines[line - 1]) if line <= len(lines) else 0

    assert 1 <= span.line <= len(lines) + 1, (diagnostic, len(lines))
    assert 1 <= span.column <= length(span.line) + 2, (diagnostic, length(span.line))
    assert span.end_line <= len(lines) + 1, diagnostic
    assert (span.end_line, span.end_column) >= (span.line, span.column), diagnostic


@settings(derandomize=True, max_examples=300, deadline=None, database=None)
@given(mutants())
def test_mutants_give_located_diagnostics_and_never_crash_or_hang(
    mutant: tuple[str, bytes],
) -> None:
    """The main property, on the in-memory pipeline (fast, so it runs many examples)."""
    name, data = mutant
    started = time.perf_counter()
    phase, found = run_pipeline(name, data)
    elapsed = time.perf_counter() - started
    event(phase)
    texts = source_texts(name, data)
    for diagnostic in found:
        assert_well_formed(diagnostic, texts)
    assert elapsed < HANG_GUARD_SECONDS, f"{elapsed:.2f} s on a {len(data)}-byte mutant"


@pytest.fixture(scope="module")
def bundle_copy(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A writable copy of the bundled rules (module scope: hypothesis reuses it)."""
    target = tmp_path_factory.mktemp("bundle") / "jurisdictions"
    shutil.copytree(bundled_root(), target, ignore=shutil.ignore_patterns("__pycache__"))
    return target


@settings(derandomize=True, max_examples=30, deadline=None, database=None)
@given(mutant=mutants())
def test_mutant_files_check_like_jawaz_check(bundle_copy: Path, mutant: tuple[str, bytes]) -> None:
    """The same property through `check_paths`, reading the mutant from disk."""
    name, data = mutant
    path = bundle_copy.parent / name
    original = path.read_bytes()
    path.write_bytes(data)
    try:
        started = time.perf_counter()
        report = check_paths([bundle_copy])
        elapsed = time.perf_counter() - started
    finally:
        path.write_bytes(original)
    texts = {
        display_path((bundle_copy.parent / key).resolve()): text
        for key, text in source_texts(name, data).items()
    }
    for diagnostic in report.diagnostics:
        assert_well_formed(diagnostic, texts)
    assert bool(report.errors) == (not report.bundles)
    assert elapsed < HANG_GUARD_SECONDS, f"{elapsed:.2f} s on a {len(data)}-byte mutant"


# ---- inputs too regular for random mutation to find ---------------------------------------

PATHOLOGICAL: dict[str, Callable[[str], str]] = {
    "empty": lambda text: "",
    "only-bom": lambda text: "\ufeff",
    "only-comment": lambda text: "# nothing here",
    "no-final-newline": lambda text: text.rstrip("\n"),
    "crlf": lambda text: text.replace("\n", "\r\n"),
    "lone-cr": lambda text: text.replace("\n", "\r"),
    "form-feeds": lambda text: text.replace(" ", " \x0c", 40),
    "unterminated-string-at-eof": lambda text: text + '\n"open',
    "open-brace-at-eof": lambda text: text + "\nvocabulary {",
    "line-separators-then-eof": lambda text: text.replace("# ", "#\u2028\x0c ") + "\nvocabulary {",
    "stray-closers": lambda text: "}" * 50 + text,
    "deep-parens": lambda text: text.replace("require ", "require " + "(" * 5000, 1),
    "deep-lists": lambda text: text.replace("require ", "require " + "[" * 5000, 1),
    "not-chain": lambda text: text.replace("require ", "require " + "not " * 5000, 1),
    "or-chain": lambda text: text.replace(
        "require ", "require " + "local_place_of_business or " * 5000, 1
    ),
    "and-chain-in-brackets": lambda text: text.replace(
        "require ", "require (" + "x and\n" * 3000 + "x) and ", 1
    ),
    "long-number": lambda text: text.replace("BHD 0", "BHD " + "9" * 100_000, 1),
    "long-name": lambda text: text.replace("travel_rule_threshold", "t" * 100_000, 1),
    "many-fields": lambda text: text.replace("confidence medium", "confidence medium\n" * 2000),
    "many-blocks": lambda text: text + "\njurisdiction BH {\n}\n" * 2000,
}


@pytest.mark.parametrize("case", sorted(PATHOLOGICAL))
def test_pathological_inputs(case: str) -> None:
    """Degenerate files: empty, odd line ends, deep nesting, long chains and tokens."""
    name = next(key for key in sorted(bundle().data) if key.endswith("BH/aml.rules"))
    data = PATHOLOGICAL[case](bundle().data[name].decode("utf-8")).encode("utf-8")
    started = time.perf_counter()
    _, found = run_pipeline(name, data)
    elapsed = time.perf_counter() - started
    texts = source_texts(name, data)
    for diagnostic in found:
        assert_well_formed(diagnostic, texts)
    assert elapsed < 2 * HANG_GUARD_SECONDS, f"{elapsed:.2f} s"
