"""Text → AST. The Lark parser is built once, lazily, from the packaged grammar."""

from __future__ import annotations

import functools
from collections.abc import Iterator

from lark import Lark, Token
from lark.exceptions import UnexpectedInput
from lark.lark import PostLex

from rulesdsl.errors import Diagnostic, DslError
from rulesdsl.syntax.nodes import Module
from rulesdsl.syntax.sources import SourceFile, from_bytes
from rulesdsl.syntax.syntax_errors import describe_syntax_error
from rulesdsl.syntax.transformer import CURRENT_PATH, AstBuilder

_OPENERS = {"LPAR", "LSQB"}
_CLOSERS = {"RPAR", "RSQB"}


class LineJoiner(PostLex):
    """Drops newlines inside parentheses and brackets (as Python does) and makes sure the
    last line ends with one, so a file need not end with a newline."""

    always_accept = ("_NL",)

    def process(self, stream: Iterator[Token]) -> Iterator[Token]:
        depth = 0
        last: Token | None = None
        for token in stream:
            if token.type in _OPENERS:
                depth += 1
            elif token.type in _CLOSERS:
                depth = max(depth - 1, 0)
            elif token.type == "_NL" and depth:
                continue
            last = token
            yield token
        if last is not None and last.type != "_NL":
            yield Token.new_borrow_pos("_NL", "\n", last)


@functools.cache
def lark_parser() -> Lark:
    """The LALR parser for the rule language (built on first use)."""
    return Lark.open_from_package(
        "rulesdsl.syntax",
        "grammar/jawaz.lark",
        parser="lalr",
        lexer="contextual",
        postlex=LineJoiner(),
        transformer=AstBuilder(),
        maybe_placeholders=True,
        cache=False,
    )


def parse_module(text: str, path: str = "<text>") -> Module:
    """Parse text straight into its AST; raises Lark's `UnexpectedInput` on a syntax error."""
    token = CURRENT_PATH.set(path)
    try:
        module = lark_parser().parse(text)
    finally:
        CURRENT_PATH.reset(token)
    assert isinstance(module, Module)  # the inline transformer's `start` returns one
    return module


def parse_source(source: SourceFile) -> Module | Diagnostic:
    """Parse one vetted source file into its AST, or the diagnostic of its syntax error."""
    try:
        return parse_module(source.text, source.path)
    except UnexpectedInput as error:
        return describe_syntax_error(error, source, parse_module)


def parse_text(text: str, path: str = "<text>") -> Module:
    """Parse rule text (for tests and tools); raises `DslError` with the diagnostic."""
    vetted = from_bytes(path, text.encode("utf-8"))
    if isinstance(vetted, Diagnostic):
        raise DslError([vetted])
    result = parse_source(vetted)
    if isinstance(result, Diagnostic):
        raise DslError([result])
    return result
