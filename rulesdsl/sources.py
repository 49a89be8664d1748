"""Reading rule files safely: size, encoding, control bytes and nesting are checked
before the parser sees a byte, so no input can make it hang or exhaust memory."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from rulesdsl.diagnostics import Diagnostic
from rulesdsl.nodes import Span

MAX_FILE_BYTES = 1024 * 1024  # 1 MiB: the largest real rule file is a few KB
MAX_NESTING = 64  # blocks, lists and parentheses together
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
        good = data[: exc.start].decode("utf-8", errors="replace")
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


def check_nesting(source: SourceFile) -> Diagnostic | None:
    """Report the first place where blocks, lists and parentheses nest too deeply.

    This is a linear scan that skips strings and comments, so pathological inputs such as
    100,000 opening parentheses are refused before parsing or tree walking can recurse.
    """
    depth = 0
    text = source.text
    index, length = 0, len(text)
    while index < length:
        char = text[index]
        if char == '"':
            end = text.find('"', index + 1)
            while end != -1 and text[end - 1] == "\\":
                end = text.find('"', end + 1)
            newline = text.find("\n", index)
            if end == -1 or (newline != -1 and newline < end):
                return None  # unterminated: the parser reports it precisely
            index = end + 1
            continue
        if char == "#":
            newline = text.find("\n", index)
            index = length if newline == -1 else newline
            continue
        if char in "([{":
            depth += 1
            if depth > MAX_NESTING:
                return Diagnostic(
                    "E006",
                    f"nesting deeper than {MAX_NESTING} levels",
                    _point(source.path, text, index),
                    help="split the condition into simpler parts",
                )
        elif char in ")]}":
            depth = max(depth - 1, 0)
        index += 1
    return None


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
