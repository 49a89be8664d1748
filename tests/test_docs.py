"""The documentation is true to the code.

- Every diagnostic code in `CODES` has a heading in `docs/reference/diagnostics.md`, under
  its phase, with its summary; no heading documents a code that does not exist.
- Every ```rules example in the reference pages checks as the page says. The convention:
  a fence with no marker is a whole file that must check clean (no errors, no warnings);
  an HTML comment on the line before the fence changes that:

      <!-- check: expect=E104 -->      the example produces exactly these codes
      <!-- check: wrap=BH -->          the example goes inside the page's context BH
      <!-- check: context=BH -->       this fence is context BH: a file with a line
                                       `# the example goes here` where examples go
      <!-- check: bundle=NAME -->      one file of a multi-file example, at the path
                                       given by the fence's title
      <!-- check: fmt-input=NAME -->   `jawaz fmt` turns this example into the one
      <!-- check: fmt-output=NAME -->  marked fmt-output with the same NAME

  Options combine (`wrap=BH expect=E104`). A wrapped example must be titled
  "inside jurisdiction BH" so that readers know where it stands.
- Every ```text transcript marked `<!-- check: run -->` is real: each `$ jawaz …` line is
  run in a scratch folder holding the page's examples titled `NAME.rules` (the latest one
  of each name above the transcript), and prints what the page shows; `$ echo $?` shows
  the exit status of the command before it.
- The block and field tables in `docs/reference/language.md` are the ones generated here
  from `rulesdsl.check.schema`.
"""

from __future__ import annotations

import re
import shlex
import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from click.testing import CliRunner

from engine.interfaces.cli.main import cli
from rulesdsl.check.schema import BLOCKS, TYPE_CONSTRUCTORS, TYPE_NAMES, BlockSpec, Form, Label
from rulesdsl.errors import CODES
from rulesdsl.loader import VOCABULARY_FILE, bundled_root, check_paths
from rulesdsl.syntax.sources import (
    MAX_FILE_BYTES,
    MAX_NESTING,
    MAX_OPERATORS,
    SourceFile,
    read_source,
)
from rulesdsl.tools.formatter import format_source

DOCS = Path(__file__).resolve().parents[1] / "docs"
LANGUAGE = DOCS / "reference" / "language.md"
DIAGNOSTICS = DOCS / "reference" / "diagnostics.md"
PAGES = (LANGUAGE, DIAGNOSTICS, DOCS / "reference" / "cli.md", DOCS / "getting-started.md")

PLACEHOLDER = "# the example goes here"
FENCE = re.compile(r'^(?P<indent> *)```rules(?: +title="(?P<title>[^"]*)")? *$')
MARKER = re.compile(r"^ *<!-- check: (?P<body>[^>]*?) -->$")
CODE_HEADING = re.compile(r"^### (?P<code>[EW]\d{3}) — (?P<summary>.+) \{#(?P<anchor>[EW]\d{3})\}$")
PHASE_HEADING = re.compile(r"^## .+ \{#(?P<phase>[a-z]+)\}$")
MARKER_KEYS = {"expect", "wrap", "context", "bundle", "fmt-input", "fmt-output", "run"}


@dataclass(frozen=True)
class Example:
    """One ```rules fence of a page."""

    page: str
    line: int
    text: str
    title: str | None
    options: dict[str, str] = field(hash=False)
    section: str | None  # the diagnostic code whose heading it sits under, if any

    @property
    def expected(self) -> set[str]:
        return {code for code in self.options.get("expect", "").split(",") if code}

    def id(self) -> str:
        return f"{Path(self.page).name}:{self.line}"


def _options(marker: str | None) -> dict[str, str]:
    if marker is None:
        return {}
    match = MARKER.match(marker)
    assert match, f"malformed check marker: {marker!r}"
    options = dict(
        item.split("=", 1) if "=" in item else (item, "yes") for item in match["body"].split()
    )
    assert set(options) <= MARKER_KEYS, f"unknown option in check marker: {marker!r}"
    return options


def parse_examples(page: Path) -> list[Example]:
    """Every ```rules fence of a page, with its marker and the code heading above it."""
    lines = page.read_text(encoding="utf-8").split("\n")
    found: list[Example] = []
    section: str | None = None
    index = 0
    while index < len(lines):
        heading = CODE_HEADING.match(lines[index])
        if heading:
            section = heading["code"]
        elif lines[index].startswith("## "):
            section = None
        fence = FENCE.match(lines[index])
        if fence is None:
            index += 1
            continue
        previous = next((line for line in reversed(lines[:index]) if line.strip()), None)
        marker = previous if previous is not None and MARKER.match(previous) else None
        indent = len(fence["indent"])
        end = lines.index(" " * indent + "```", index + 1)
        body = "\n".join(line[indent:] for line in lines[index + 1 : end]) + "\n"
        found.append(Example(str(page), index + 1, body, fence["title"], _options(marker), section))
        index = end + 1
    return found


def _all_examples() -> list[Example]:
    return [example for page in PAGES if page.exists() for example in parse_examples(page)]


EXAMPLES = _all_examples()


def _contexts(page: str) -> dict[str, str]:
    return {
        e.options["context"]: e.text for e in EXAMPLES if e.page == page and "context" in e.options
    }


def _wrap(example: Example) -> str:
    name = example.options["wrap"]
    context = _contexts(example.page)[name]
    indent = context.split(PLACEHOLDER)[0].split("\n")[-1]
    inner = "\n".join(indent + line if line else line for line in example.text.rstrip().split("\n"))
    return context.replace(indent + PLACEHOLDER, inner)


def _codes_of(path: Path) -> list[str]:
    return sorted(d.code for d in check_paths([path]).diagnostics)


def _check(example: Example, tmp_path: Path) -> list[str]:
    if "bundle" in example.options:
        return _check_bundle(example, tmp_path)
    text = _wrap(example) if "wrap" in example.options else example.text
    if "context" in example.options:
        text = text.replace(PLACEHOLDER, "")
    path = tmp_path / "example.rules"
    path.write_text(text, encoding="utf-8")
    return _codes_of(path)


def _check_bundle(example: Example, tmp_path: Path) -> list[str]:
    """Write every file of the example's bundle, then check the whole bundle."""
    name = example.options["bundle"]
    root = tmp_path / name
    members = [e for e in EXAMPLES if e.page == example.page and e.options.get("bundle") == name]
    for member in members:
        assert member.title, f"{member.id()}: a bundle file needs a title naming its path"
        target = root / member.title
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(member.text, encoding="utf-8")
    if not (root / VOCABULARY_FILE).exists():
        shutil.copy(bundled_root() / VOCABULARY_FILE, root / VOCABULARY_FILE)
    return _codes_of(root)


def _example_params() -> Iterator[object]:
    for example in EXAMPLES:
        if "bundle" in example.options and example != next(
            e
            for e in EXAMPLES
            if e.page == example.page and e.options.get("bundle") == example.options["bundle"]
        ):
            continue  # a bundle is checked once, from its first file
        yield pytest.param(example, id=example.id())


# ---- diagnostics page: one heading per code ------------------------------------------------


def _code_headings() -> list[tuple[str, str, str | None]]:
    """(code, summary, phase of the section it is in) for every code heading."""
    found = []
    phase = None
    for line in DIAGNOSTICS.read_text(encoding="utf-8").split("\n"):
        section = PHASE_HEADING.match(line)
        if section:
            phase = section["phase"]
        heading = CODE_HEADING.match(line)
        if heading:
            assert heading["code"] == heading["anchor"], line
            found.append((heading["code"], heading["summary"], phase))
    return found


def test_every_code_is_documented_once_and_no_other() -> None:
    documented = [code for code, _, _ in _code_headings()]
    assert len(documented) == len(set(documented)), "a code is documented twice"
    assert set(documented) == set(CODES)


def test_documented_summary_and_phase_match_the_code() -> None:
    for code, summary, phase in _code_headings():
        assert (phase, summary) == CODES[code], code


# Input problems are not rule text: each is reproduced here instead of by an example.
def _missing(tmp: Path) -> Path:
    return tmp / "missing.rules"


def _too_big(tmp: Path) -> Path:
    path = tmp / "big.rules"
    path.write_text("#" * (MAX_FILE_BYTES + 1), encoding="utf-8")
    return path


def _not_utf8(tmp: Path) -> Path:
    path = tmp / "latin1.rules"
    path.write_bytes('jurisdiction BH {\n  name "Bahreïn"\n}\n'.encode("latin-1"))
    return path


def _control_byte(tmp: Path) -> Path:
    path = tmp / "nul.rules"
    path.write_bytes(b'jurisdiction BH {\n  name "Bah\x00rain"\n}\n')
    return path


def _too_deep(tmp: Path) -> Path:
    path = tmp / "deep.rules"
    depth = MAX_NESTING + 1
    path.write_text("x " + "(" * depth + "a" + ")" * depth + "\n", encoding="utf-8")
    return path


def _too_many_operators(tmp: Path) -> Path:
    path = tmp / "long.rules"
    path.write_text("x " + " or ".join(["a"] * (MAX_OPERATORS + 2)) + "\n", encoding="utf-8")
    return path


def _empty_folder(tmp: Path) -> Path:
    folder = tmp / "drafts"
    folder.mkdir()
    return folder


INPUT_CASES: list[tuple[str, Callable[[Path], Path]]] = [
    ("E001", _missing),
    ("E003", _too_big),
    ("E004", _not_utf8),
    ("E005", _control_byte),
    ("E006", _too_deep),
    ("E006", _too_many_operators),
    ("E007", _empty_folder),
]
INPUT_CODES = {code for code, _ in INPUT_CASES}


@pytest.mark.parametrize(("code", "make"), INPUT_CASES, ids=[f.__name__ for _, f in INPUT_CASES])
def test_input_problem_produces_its_code(
    code: str, make: Callable[[Path], Path], tmp_path: Path
) -> None:
    assert _codes_of(make(tmp_path)) == [code]


def test_a_folder_given_to_read_source_is_E002(tmp_path: Path) -> None:
    result = read_source(tmp_path)
    assert getattr(result, "code", None) == "E002"


def test_every_code_has_an_example_or_a_reproduction() -> None:
    shown = {
        example.section
        for example in EXAMPLES
        if example.page == str(DIAGNOSTICS) and example.section in example.expected
    }
    # Case-file codes (phase `cases`) have YAML examples, run in test_case_diagnostics.
    case_codes = {code for code, (phase, _) in CODES.items() if phase == "cases"}
    assert set(CODES) - shown - INPUT_CODES - case_codes == {"E002"}


def test_examples_under_a_code_produce_that_code() -> None:
    for example in EXAMPLES:
        if example.section is not None and example.page == str(DIAGNOSTICS):
            assert example.section in example.expected, example.id()


# ---- every example checks as the page says --------------------------------------------------


def test_examples_are_found() -> None:
    assert len([e for e in EXAMPLES if e.page == str(LANGUAGE)]) >= 20
    assert len([e for e in EXAMPLES if e.page == str(DIAGNOSTICS)]) >= 45


def test_wrapped_examples_say_where_they_stand() -> None:
    for example in EXAMPLES:
        if "wrap" in example.options:
            assert example.title == f"inside jurisdiction {example.options['wrap']}", example.id()
            assert example.options["wrap"] in _contexts(example.page), example.id()


@pytest.mark.parametrize("example", list(_example_params()))
def test_example_checks_as_documented(example: Example, tmp_path: Path) -> None:
    assert set(_check(example, tmp_path)) == example.expected


def _fmt_pairs() -> list[tuple[Example, Example]]:
    inputs = {e.options["fmt-input"]: e for e in EXAMPLES if "fmt-input" in e.options}
    outputs = {e.options["fmt-output"]: e for e in EXAMPLES if "fmt-output" in e.options}
    assert set(inputs) == set(outputs), "every fmt-input needs its fmt-output"
    return [(inputs[name], outputs[name]) for name in sorted(inputs)]


@pytest.mark.parametrize(("before", "after"), _fmt_pairs(), ids=lambda e: e.id())
def test_formatter_example_is_what_jawaz_fmt_does(before: Example, after: Example) -> None:
    assert format_source(SourceFile("before.rules", before.text)) == after.text
    assert format_source(SourceFile("after.rules", after.text)) == after.text


# ---- transcripts show real output ------------------------------------------------------------


@dataclass(frozen=True)
class Transcript:
    """A ```text block of `$ command` lines and their output, with the files it runs on."""

    page: str
    line: int
    text: str
    files: tuple[tuple[str, str], ...]

    def id(self) -> str:
        return f"{Path(self.page).name}:{self.line}"


def parse_transcripts(page: Path) -> list[Transcript]:
    lines = page.read_text(encoding="utf-8").split("\n")
    files: dict[str, str] = {}
    found: list[Transcript] = []
    for index, line in enumerate(lines):
        fence = FENCE.match(line)
        if fence and fence["title"] and fence["title"].endswith(".rules"):
            end = lines.index("```", index + 1)
            files[fence["title"]] = "\n".join(lines[index + 1 : end]) + "\n"
        previous = next((text for text in reversed(lines[:index]) if text.strip()), "")
        if line == "```text" and _options(previous if MARKER.match(previous) else None).get("run"):
            end = lines.index("```", index + 1)
            body = "\n".join(lines[index + 1 : end])
            found.append(Transcript(str(page), index + 1, body, tuple(sorted(files.items()))))
    return found


def _steps(transcript: Transcript) -> list[tuple[str, str]]:
    """(command, expected output) pairs."""
    steps: list[tuple[str, list[str]]] = []
    for line in transcript.text.split("\n"):
        if line.startswith("$ "):
            steps.append((line[2:], []))
        else:
            assert steps, f"{transcript.id()}: output before the first command"
            steps[-1][1].append(line)
    return [(command, "\n".join(output).rstrip("\n")) for command, output in steps]


TRANSCRIPTS = [t for page in PAGES if page.exists() for t in parse_transcripts(page)]


def test_transcripts_are_found() -> None:
    assert len(TRANSCRIPTS) >= 6


@pytest.mark.parametrize("transcript", TRANSCRIPTS, ids=Transcript.id)
def test_transcript_is_real_output(
    transcript: Transcript, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name, text in transcript.files:
        (tmp_path / name).write_text(text, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    status: int | None = None
    for command, expected in _steps(transcript):
        if command == "echo $?":
            assert f"{status}" == expected, transcript.id()
            continue
        words = shlex.split(command)
        assert words[0] == "jawaz", f"{transcript.id()}: only jawaz commands can be run"
        result = CliRunner().invoke(cli, words[1:])
        assert result.exception is None or isinstance(result.exception, SystemExit)
        assert result.output.rstrip("\n") == expected, (
            f"{transcript.id()} shows output that `{command}` no longer prints; update the page"
        )
        status = result.exit_code


# ---- language page: the block and field tables come from the schema --------------------------

NAMESPACES = {
    "currency": ("a currency of the vocabulary", "currencies of the vocabulary"),
    "iso_currency": ("an ISO 4217 currency", "ISO 4217 currencies"),
    "activity": ("an activity of the vocabulary", "activities of the vocabulary"),
    "category": ("a category of the vocabulary", "categories of the vocabulary"),
    "body": ("a body of the vocabulary", "bodies of the vocabulary"),
    "licence": ("a licence of the same jurisdiction", "licences of the same jurisdiction"),
    "jurisdiction": ("a jurisdiction of the bundle", "jurisdictions of the bundle"),
    "country": ("a country or jurisdiction code", "country or jurisdiction codes"),
}
FORM_VALUES = {
    Form.CITATION: "an instrument of the jurisdiction or of the top level, and a provision",
    Form.TYPE: ", ".join(
        [f"`{name}`" for name in TYPE_NAMES] + [f"`{name} [...]`" for name in TYPE_CONSTRUCTORS]
    ),
    Form.BOOLEAN: "`true`, `false`",
    Form.URL: "`https://` or `http://`, no spaces",
}
LABELS = {Label.NONE: "none", Label.NAME: "a name", Label.DATE: "a date"}
# Checked across the bundle rather than per block (rulesdsl/collect.py), since a
# jurisdiction's header may sit in any one of its files.
JURISDICTION_HEADER = ("name", "currency", "authorities")


def _required(spec: BlockSpec, key: str) -> str:
    if spec.kind == "jurisdiction" and key in JURISDICTION_HEADER:
        return "once per bundle"
    field_spec = spec.fields[key]
    text = "yes" if field_spec.required else "no"
    return text + (", repeatable" if field_spec.repeatable else "")


def _allowed(spec: BlockSpec, key: str) -> str:
    field_spec = spec.fields[key]
    if field_spec.options:
        return ", ".join(f"`{option}`" for option in field_spec.options)
    if field_spec.namespace:
        return NAMESPACES[field_spec.namespace][field_spec.form in (Form.SYMBOLS, Form.RATE)]
    return FORM_VALUES.get(field_spec.form, "")


def block_reference(spec: BlockSpec) -> str:
    """The summary line and field table of one block kind, as language.md shows them."""
    label = LABELS[spec.label]
    if spec.label_namespace:
        label += f" ({NAMESPACES[spec.label_namespace][0]})"
    where = " or ".join("top level" if p is None else f"inside `{p}`" for p in spec.parents)
    lines = [f"{spec.doc[0].upper()}{spec.doc[1:]}. Label: {label}. Stands at: {where}."]
    if spec.fields:
        lines += ["", "| Field | Required | Value | Allowed values | Meaning |"]
        lines += ["|---|---|---|---|---|"]
        lines += [
            f"| `{key}` | {_required(spec, key)} | {f.form.value} | {_allowed(spec, key)} "
            f"| {f.doc} |"
            for key, f in spec.fields.items()
        ]
    return "\n".join(lines)


@pytest.mark.parametrize("kind", list(BLOCKS))
def test_language_reference_shows_the_schema(kind: str) -> None:
    text = LANGUAGE.read_text(encoding="utf-8")
    heading = f"### `{kind}` {{#block-{kind}}}"
    assert heading in text
    section = text.split(heading, 1)[1]
    assert section.lstrip("\n").startswith(block_reference(BLOCKS[kind]) + "\n"), (
        f"the reference of '{kind}' differs from the schema; expected:\n\n"
        + block_reference(BLOCKS[kind])
    )


HEADER_LINES = {
    "name": 'name "Bahrain"',
    "currency": "currency BHD",
    "authorities": 'authorities ["Central Bank of Bahrain (CBB)"]',
}


@pytest.mark.parametrize("missing", JURISDICTION_HEADER)
def test_jurisdiction_header_is_required_once_per_bundle(missing: str, tmp_path: Path) -> None:
    lines = [line for key, line in HEADER_LINES.items() if key != missing]
    path = tmp_path / "header.rules"
    path.write_text("jurisdiction BH {\n  " + "\n  ".join(lines) + "\n}\n", encoding="utf-8")
    assert _codes_of(path) == ["E203"]
    assert set(HEADER_LINES) == set(JURISDICTION_HEADER)
