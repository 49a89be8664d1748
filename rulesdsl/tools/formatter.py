"""`jawaz fmt`: one canonical layout for rule files.

Two-space indentation, one field per line, single spaces, at most one blank line between
items (kept where the author left one), one blank line between top-level blocks, and
conditions with the fewest parentheses that keep their meaning. Long conditions and lists
are wrapped inside brackets. Comments are kept: a comment on its own line stays before the
item that follows it; a comment at the end of a line stays at the end of that line.
The output parses to the same AST, and formatting it again changes nothing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from rulesdsl.errors import Diagnostic
from rulesdsl.syntax import nodes as n
from rulesdsl.syntax.parser import parse_source
from rulesdsl.syntax.sources import SourceFile, read_source

INDENT = "  "
MAX_WIDTH = 100
_TOKENS = re.compile(r'"(?:[^"\\\n]|\\.)*"|#[^\n]*')

# ---- expressions ----------------------------------------------------------------------------

PREC_OR, PREC_AND, PREC_NOT, PREC_COMPARE, PREC_OPERAND, PREC_ATOM = range(1, 7)


def quote(value: str) -> str:
    """A string literal that reads back as `value`."""
    escaped = (
        value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\t", "\\t")
    )
    return f'"{escaped}"'


def _money(node: n.MoneyLit) -> str:
    if node.amount is None:
        return f"{node.currency.text} pending"
    return f"{node.currency.text} {node.amount}{'%' if node.is_percent else ''}"


def _show(node: n.Value) -> tuple[str, int]:
    """The text of a node and the precedence of its outermost syntax."""
    match node:
        case n.Name(text=text) | n.NumberLit(text=text) | n.DateLit(text=text):
            return text, PREC_ATOM
        case n.MonthLit(text=text):
            return text, PREC_ATOM
        case n.PercentLit(text=text):
            return f"{text}%", PREC_ATOM
        case n.MoneyLit():
            return _money(node), PREC_ATOM
        case n.StringLit(value=value):
            return quote(value), PREC_ATOM
        case n.BoolLit(value=value):
            return ("true" if value else "false"), PREC_ATOM
        case n.PendingLit():
            return "pending", PREC_ATOM
        case n.Unstated(text=text):
            return f"unstated {quote(text.value)}", PREC_ATOM
        case n.DiscretionaryLit(text=text):
            return f"discretionary {quote(text)}", PREC_ATOM
        case n.ListLit(items=items):
            return "[" + ", ".join(expr(i, PREC_OR) for i in items) + "]", PREC_ATOM
        case n.Call(function=function, args=args):
            return f"{function.text}(" + ", ".join(expr(a, PREC_OR) for a in args) + ")", PREC_ATOM
        case n.CallWhere(function=function, subject=subject, where=where):
            text = f"{expr(subject, PREC_OR)} where {expr(where, PREC_OR)}"
            return f"{function.text}({text})", PREC_ATOM
        case n.PercentOf(percent=percent, base=base):
            return f"{percent.text}% of {expr(base, PREC_ATOM)}", PREC_OPERAND
        case n.Times(base=base, factor=n.PercentLit(text=text)):
            return f"{expr(base, PREC_ATOM)} * {text}%", PREC_OPERAND
        case n.Times(base=base, factor=n.NumberLit(text=text)):
            return f"{expr(base, PREC_ATOM)} * {text}", PREC_OPERAND
        case n.MonthsOf(count=count, base=base):
            return f"{count.text} months of {expr(base, PREC_ATOM)}", PREC_OPERAND
        case n.Compare(op=op, left=left, right=right):
            return _infix(left, op, right), PREC_COMPARE
        case n.Member(item=item, collection=collection):
            return _infix(item, "in", collection), PREC_COMPARE
        case n.Subset(left=left, right=right):
            return _infix(left, "subset", right), PREC_COMPARE
        case n.Contains(collection=collection, item=item):
            return _infix(collection, "contains", item), PREC_COMPARE
        case n.Not(operand=operand):
            return f"not {expr(operand, PREC_NOT)}", PREC_NOT
        case n.And(operands=operands):
            return " and ".join(expr(o, PREC_NOT) for o in operands), PREC_AND
        case n.Or(operands=operands):
            return " or ".join(expr(o, PREC_AND) for o in operands), PREC_OR
        case n.Citation(instrument=instrument, provision=provision):
            return f"{instrument.text} {quote(provision.value)}", PREC_ATOM
        case n.TypedList(kind=kind, items=items):
            return f"{kind.text} {expr(items, PREC_ATOM)}", PREC_ATOM
        case n.Rate(price=price, base=base):
            return f"{_money(price)} per {base.text}", PREC_ATOM
        case n.Tier(boundary=boundary, demands=demands):
            return f"{_money(boundary)} demands {expr(demands, PREC_ATOM)}", PREC_ATOM
        case n.Duration(amount=amount, unit=unit):
            return f"{amount.text} {unit} days", PREC_ATOM
        case n.TimeSpan(amount=amount, unit=unit):
            return f"{amount.text} {unit.text}", PREC_ATOM
    raise TypeError(f"cannot print {type(node).__name__}")


def _infix(left: n.Value, word: str, right: n.Value) -> str:
    return f"{expr(left, PREC_OPERAND)} {word} {expr(right, PREC_OPERAND)}"


def expr(node: n.Value, context: int) -> str:
    """Print `node` where the surrounding syntax binds at `context`."""
    text, precedence = _show(node)
    return f"({text})" if precedence < context else text


def wrapped_value(value: n.Value, indent: str) -> list[str] | None:
    """A long value laid out over several lines, or None if it cannot be wrapped."""
    inner = indent + INDENT
    if isinstance(value, n.And | n.Or):
        word, context = ("and", PREC_NOT) if isinstance(value, n.And) else ("or", PREC_AND)
        parts = [expr(o, context) for o in value.operands]
        return [
            "(",
            *(inner + (p if i == 0 else f"{word} {p}") for i, p in enumerate(parts)),
            indent + ")",
        ]
    if isinstance(value, n.Compare) and isinstance(value.left, n.CallWhere):
        return _wrapped_count(value, value.left, indent)
    items = value.items if isinstance(value, n.TypedList) else value
    if isinstance(items, n.ListLit) and items.items:
        head = f"{value.kind.text} [" if isinstance(value, n.TypedList) else "["
        return [head, *(f"{inner}{expr(i, PREC_OR)}," for i in items.items), indent + "]"]
    return None


def _wrapped_count(value: n.Compare, count: n.CallWhere, indent: str) -> list[str] | None:
    """`count(x where (` and the filter's and/or operands one a line, then `)) >= 2`."""
    inner = wrapped_value(count.where, indent)
    if inner is None or not isinstance(count.where, n.And | n.Or):
        return None
    head = f"{count.function.text}({expr(count.subject, PREC_OR)} where {inner[0]}"
    tail = f"{inner[-1]}) {value.op} {expr(value.right, PREC_OPERAND)}"
    return [head, *inner[1:-1], tail]


# ---- comments and layout -------------------------------------------------------------------


@dataclass
class Layout:
    """Writes items, placing the source's comments and blank lines as it goes."""

    lines: list[str]  # source lines
    comments: dict[int, tuple[int, str]]  # line -> (column, text)
    out: list[str] = field(default_factory=list)
    last_line: int = 0  # last source line consumed
    used: set[int] = field(default_factory=set)  # lines whose comment has been written

    def own_line_comment(self, line: int) -> str | None:
        found = self.comments.get(line)
        if found is None or line in self.used:
            return None
        column, text = found
        return text if not self.lines[line - 1][: column - 1].strip() else None

    def trailing_comment(self, line: int) -> str:
        found = self.comments.get(line)
        if found is None or line in self.used or self.own_line_comment(line) is not None:
            return ""
        self.used.add(line)
        return "  " + found[1]

    def leading(self, until: int, indent: str, first: bool) -> None:
        """Comments and blank lines between the last consumed line and `until`: own-line
        comments are kept in order, runs of blank lines become one, and a block never
        starts with a blank line."""
        pending_blank = False
        written = not first
        for line in range(self.last_line + 1, until):
            if not self.lines[line - 1].strip():
                pending_blank = written
                continue
            comment = self.own_line_comment(line)
            if comment is None:
                continue
            if pending_blank:
                self.out.append("")
            pending_blank = False
            self.out.append(indent + comment)
            self.used.add(line)
            written = True
        if pending_blank:
            self.out.append("")
        self.last_line = max(self.last_line, until - 1)

    def consume(self, through: int, indent: str) -> None:
        """Keep comments inside a multi-line item, above it (they cannot stay inside)."""
        for line in range(self.last_line + 1, through + 1):
            comment = self.own_line_comment(line)
            if comment is not None:
                self.out.append(indent + comment)
                self.used.add(line)
        self.last_line = max(self.last_line, through)

    def item(self, item: n.Item, depth: int, first: bool) -> None:
        indent = INDENT * depth
        self.leading(item.span.line, indent, first)
        if isinstance(item, n.Block):
            self.block(item, depth)
        else:
            self.field(item, indent)

    def field(self, item: n.Field, indent: str) -> None:
        start, end = item.span.line, item.span.end_line
        for line in range(start + 1, end + 1):  # own-line comments inside a wrapped value
            comment = self.own_line_comment(line)
            if comment is not None:
                self.out.append(indent + comment)
                self.used.add(line)
        trailing = "".join(self.trailing_comment(line) for line in range(start, end + 1))
        text = f"{indent}{item.key.text} {expr(item.value, PREC_OR)}"
        wrapped = wrapped_value(item.value, indent) if len(text) > MAX_WIDTH else None
        if wrapped is None:
            self.out.append(text + trailing)
        else:
            self.out.append(f"{indent}{item.key.text} {wrapped[0]}{trailing}")
            self.out.extend(wrapped[1:])
        self.last_line = max(self.last_line, end)

    def block(self, block: n.Block, depth: int) -> None:
        indent = INDENT * depth
        label = "" if block.label is None else " " + expr(block.label, PREC_ATOM)
        opener = block.kind.span.line
        shares_line = bool(block.items) and block.items[0].span.line == opener
        note = "" if shares_line else self.trailing_comment(opener)
        self.out.append(f"{indent}{block.kind.text}{label} {{{note}")
        self.last_line = opener
        for index, child in enumerate(block.items):
            self.item(child, depth + 1, index == 0)
        closer = block.span.end_line
        self.leading(closer, indent + INDENT, True)
        self.out.append(f"{indent}}}{self.trailing_comment(closer)}")
        self.last_line = closer


def _comments(text: str) -> dict[int, tuple[int, str]]:
    found: dict[int, tuple[int, str]] = {}
    for match in _TOKENS.finditer(text):
        token = match.group()
        if token.startswith("#"):
            line = text.count("\n", 0, match.start()) + 1
            column = match.start() - (text.rfind("\n", 0, match.start()) + 1) + 1
            found[line] = (column, token.rstrip())
    return found


def format_module(module: n.Module, text: str) -> str:
    """The canonical text of a parsed module; `text` is its source, for comments."""
    lines = text.split("\n")  # as the lexer counts lines (not at \f or U+2028)
    layout = Layout(lines, _comments(text))
    for index, item in enumerate(module.items):
        layout.leading(item.span.line, "", index == 0)
        if index and isinstance(item, n.Block):
            _insert_blank_before_comments(layout.out)
        if isinstance(item, n.Block):
            layout.block(item, 0)
        else:
            layout.field(item, "")
    layout.consume(len(lines), "")
    while layout.out and layout.out[-1] == "":
        layout.out.pop()
    return "\n".join(layout.out) + "\n" if layout.out else ""


def _insert_blank_before_comments(out: list[str]) -> None:
    """Top-level blocks are always separated by one blank line (before their comments)."""
    position = len(out)
    while position > 0 and out[position - 1].startswith("#"):
        position -= 1
    if position > 0 and out[position - 1] != "":
        out.insert(position, "")


def format_source(source: SourceFile) -> str | Diagnostic:
    """Format vetted source text, or return the syntax error that prevents it."""
    parsed = parse_source(source)
    if isinstance(parsed, Diagnostic):
        return parsed
    return format_module(parsed, source.text)


def format_file(path: Path, display: str) -> tuple[str, str] | Diagnostic:
    """(original, formatted) text of a file, or the diagnostic that prevents formatting."""
    source = read_source(path, display)
    if isinstance(source, Diagnostic):
        return source
    formatted = format_source(source)
    if isinstance(formatted, Diagnostic):
        return formatted
    original = path.read_text(encoding="utf-8-sig")
    return original, formatted
