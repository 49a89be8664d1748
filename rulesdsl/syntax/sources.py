"""Reading rule files safely: size, encoding, control bytes and nesting are checked
before the parser sees a byte, so no input can make it hang or exhaust memory."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from rulesdsl.errors import Diagnostic
from rulesdsl.syntax.nodes import Span

MAX_FILE_BYTES = 1024 * 1024  # 1 MiB: the largest real rule file is a few KB
MAX_NESTING = 64  # blocks, lists, parentheses and `not`s together
MAX_OPERATORS = 128  # `and` / `or` in one field: each is one more level in the parse tree
_BOM = "\ufeff"
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")


@dataclass(frozen=True, slots=True)
class SourceFile:
    """The decoded text of one rule file and the name diagnostics use for it."""

    path: str
    text: str


def _point(path: str, text: str, offset: int) -> Span:
    line = text.count("\n", 0, offset) + 1
    column = offset - (text.rfind("\n", 0, offset) + 1) + 1
    return Span(path, line, column, line, column + 1)


def _decode(path: str, data: bytes) -> SourceFile | Diagnostic:
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        good = data[: exc.start].decode("utf-8", errors="replace").removeprefix(_BOM)
        return Diagnostic(
            "E004",
            f"byte 0x{data[exc.start]:02x} at offset {exc.start} is not valid UTF-8",
            _point(path, good, len(good)),
            help="save the file as UTF-8",
        )
    text = text.removeprefix(_BOM)
    bad = _CONTROL.search(text)
    if bad:
        return Diagnostic(
            "E005",
            f"control byte 0x{ord(bad.group()):02x} in a text file",
            _point(path, text, bad.start()),
            help="rule files are plain text; remove the byte or re-save the file",
        )
    return SourceFile(path, text)


_SCAN = re.compile(
    r'(?P<string>"(?:[^"\\\n]|\\.)*")|(?P<quote>")|(?P<comment>#[^\n]*)'
    r"|(?P<word>[A-Za-z_][A-Za-z0-9_]*(?:-[A-Za-z0-9_]+)*)|(?P<mark>[][(){},\n])"
)  # strings and names exactly as the grammar's STRING and NAME


@dataclass
class _Depth:
    """How deeply the text nests at one point of `check_nesting`'s scan."""

    groups: list[str] = field(default_factory=lambda: ["{"])  # open brackets; [0]: the file
    nots: list[int] = field(default_factory=lambda: [0])  # per group: `not`s still open
    operators: int = 0  # `and` / `or` in the current field

    def step(self, token: str) -> str | None:
        """Take one token; a message once the text nests too deeply."""
        if token in ("(", "[", "{"):
            self.groups.append(token)
            self.nots.append(0)
        elif token in (")", "]", "}"):
            if len(self.groups) > 1:
                self.groups.pop()
                self.nots.pop()
        elif token == "not":
            self.nots[-1] += 1
        elif token == ",":
            self.nots[-1] = 0  # `not` binds tighter than `,`, `and`, `or`: its operand ends
        elif token in ("and", "or"):
            self.nots[-1] = 0
            self.operators += 1
        elif token == "\n" and self.groups[-1] == "{":
            self.nots[-1] = 0  # a field ends with its line (outside brackets)
            self.operators = 0
        if len(self.groups) - 1 + sum(self.nots) > MAX_NESTING:
            return f"nesting deeper than {MAX_NESTING} levels"
        if self.operators > MAX_OPERATORS:
            return f"more than {MAX_OPERATORS} 'and' / 'or' in one field"
        return None


def check_nesting(source: SourceFile) -> Diagnostic | None:
    """Report the first place where the text nests too deeply to parse safely.

    Depth counts open blocks, lists and parentheses, and `not`s whose operand is still
    open; a field may also chain at most `MAX_OPERATORS` `and` / `or`, which the parser
    nests one level each. This is a linear scan that skips strings and comments, so
    pathological inputs such as 100,000 opening parentheses or `not not not …` are refused
    before parsing or tree walking can recurse.
    """
    depth = _Depth()
    for token in _SCAN.finditer(source.text):
        if token.lastgroup == "quote":
            return None  # unterminated: the parser stops there and reports it precisely
        if token.lastgroup in ("string", "comment"):
            continue
        problem = depth.step(token.group())
        if problem:
            return Diagnostic(
                "E006",
                problem,
                _point(source.path, source.text, token.start()),
                help="split the condition into simpler parts",
            )
    return None


def preview(path: Path) -> str | None:
    """The text of a file refused as input, for showing the line a diagnostic points at.

    Bytes that are not UTF-8 and control bytes become U+FFFD, one character each, so the
    caret lines up and nothing unprintable reaches the terminal. None if the file cannot
    be read or is over the size limit.
    """
    try:
        if path.stat().st_size > MAX_FILE_BYTES:
            return None
        data = path.read_bytes()
    except OSError:
        return None
    text = data.decode("utf-8", errors="replace").removeprefix(_BOM)
    return _CONTROL.sub("\ufffd", text)


def read_source(path: Path, display: str | None = None) -> SourceFile | Diagnostic:
    """Read and decode one rule file, or say exactly why it cannot be used."""
    name = display or str(path)
    origin = Span(name, 1, 1, 1, 1)
    if path.is_dir():
        return Diagnostic("E002", "is a directory; give a .rules file", origin)
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            return Diagnostic(
                "E003",
                f"file is {size:,} bytes; the limit is {MAX_FILE_BYTES:,}",
                origin,
                help="split the rules into one file per legal instrument",
            )
        with path.open("rb") as handle:
            data = handle.read(MAX_FILE_BYTES + 1)
    except FileNotFoundError:
        return Diagnostic("E001", "no such file", origin)
    except OSError as exc:
        return Diagnostic("E001", f"cannot read file: {exc.strerror or exc}", origin)
    if len(data) > MAX_FILE_BYTES:
        return Diagnostic("E003", f"file is larger than {MAX_FILE_BYTES:,} bytes", origin)
    return from_bytes(name, data)


def from_bytes(name: str, data: bytes) -> SourceFile | Diagnostic:
    """Decode and vet text that did not come from disk (tests, editors, HTTP)."""
    if len(data) > MAX_FILE_BYTES:
        return Diagnostic(
            "E003",
            f"text is {len(data):,} bytes; the limit is {MAX_FILE_BYTES:,}",
            Span(name, 1, 1, 1, 1),
        )
    decoded = _decode(name, data)
    if isinstance(decoded, Diagnostic):
        return decoded
    return check_nesting(decoded) or decoded
