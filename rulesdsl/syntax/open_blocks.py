"""Which block a missing `}` belongs to.

The parser notices a missing `}` only at the end of the file, against the outermost block
still open, though the brace usually went missing far earlier. Authors indent their blocks,
so the indentation says which block it was: a `}` lines up with the block it closes, and a
block that opens at the column of an open block is its sibling, not its child. The scan
here follows both clues, and falls back to the innermost block left open when the file is
not indented.
"""

from __future__ import annotations

from dataclasses import dataclass

from rulesdsl.syntax.nodes import Span
from rulesdsl.syntax.sources import SourceFile


@dataclass(frozen=True, slots=True)
class OpenBlock:
    """A `{` in the source: where its header line starts, and how it reads."""

    line: int
    indent: int  # column of the first character of the header line, from 0
    header: str  # `requirement BH-CAP {`
    brace_column: int  # of the `{`, from 1


@dataclass(frozen=True, slots=True)
class Unclosed:
    """The block found left open, and why the scan thinks so."""

    block: OpenBlock
    because: str


def _line_start(text: str, index: int) -> int:
    return text.rfind("\n", 0, index) + 1


def _indent_of(text: str, start: int) -> int:
    end = start
    while end < len(text) and text[end] in " \t":
        end += 1
    return end - start


def _braces(text: str) -> list[tuple[int, str]]:
    """Every `{` and `}` outside strings and comments, with its offset."""
    found: list[tuple[int, str]] = []
    index = 0
    while index < len(text):
        char = text[index]
        if char == '"':
            end = text.find('"', index + 1)
            newline = text.find("\n", index + 1)
            if end == -1 or (newline != -1 and newline < end):  # unterminated: to the line end
                end = newline if newline != -1 else len(text)
            index = end + 1
            continue
        if char == "#":
            end = text.find("\n", index)
            index = len(text) if end == -1 else end
            continue
        if char in "{}":
            found.append((index, char))
        index += 1
    return found


def _opened(text: str, offset: int) -> OpenBlock:
    start = _line_start(text, offset)
    return OpenBlock(
        line=text.count("\n", 0, offset) + 1,
        indent=_indent_of(text, start),
        header=f"{text[start:offset].strip()} {{",
        brace_column=offset - start + 1,
    )


def _indented(stack: list[OpenBlock]) -> bool:
    """Whether the top block is indented deeper than its parent: only then does its
    indentation say anything."""
    return len(stack) >= 2 and stack[-1].indent > stack[-2].indent


def find_unclosed(source: SourceFile) -> Unclosed | None:
    """The block whose `}` is missing, or None when every block is closed."""
    text = source.text
    stack: list[OpenBlock] = []
    found: Unclosed | None = None
    for offset, char in _braces(text):
        start = _line_start(text, offset)
        first_on_line = text[start:offset].strip() == ""
        if char == "{":
            block = _opened(text, offset)
            while stack and _indented(stack) and stack[-1].indent >= block.indent:
                left = stack.pop()
                reason = f"`{block.header}` on line {block.line} opens at its column"
                found = found or Unclosed(left, reason)
            stack.append(block)
            continue
        indent = offset - start
        while first_on_line and _indented(stack) and stack[-1].indent > indent:
            left = stack.pop()
            line = text.count("\n", 0, offset) + 1
            reason = f"the `}}` on line {line} lines up with `{stack[-1].header}`"
            found = found or Unclosed(left, reason)
        if stack:
            stack.pop()
    if found is None and stack:
        found = Unclosed(stack[-1], "the file ends before its `}`")
    return found


def unclosed_span(source: SourceFile, block: OpenBlock) -> Span:
    """The header of an unclosed block, from its first word to its `{`."""
    return Span(source.path, block.line, block.indent + 1, block.line, block.brace_column + 1)
