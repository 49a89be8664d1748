"""A Pygments lexer for the Jawaz rule language, so ```rules blocks are highlighted.

Registered as the `jawaz` / `rules` lexer through the `pygments.lexers` entry point in
pyproject.toml. Block kinds and field keys come from `rulesdsl.check.schema`, so a new field is
highlighted without touching this file.
"""

from __future__ import annotations

from typing import ClassVar

from pygments.lexer import RegexLexer, bygroups, words
from pygments.token import (
    Comment,
    Keyword,
    Name,
    Number,
    Operator,
    Punctuation,
    String,
    Whitespace,
)

from rulesdsl.check.schema import BLOCKS

_KINDS = tuple(sorted(BLOCKS, key=lambda k: (-len(k), k)))
_FIELDS = tuple(
    sorted({key for spec in BLOCKS.values() for key in spec.fields}, key=lambda k: (-len(k), k))
)
_KEYWORDS = (
    "and",
    "or",
    "not",
    "in",
    "subset",
    "contains",
    "of",
    "per",
    "demands",
    "working",
    "calendar",
    "days",
    "months",
    "where",
)
_IDENT = r"[A-Za-z_][A-Za-z0-9_]*(?:-[A-Za-z0-9_]+)*"

Rule = tuple[str, object] | tuple[str, object, str]


class JawazLexer(RegexLexer):
    """Lexer for Jawaz `.rules` files."""

    name = "Jawaz rules"
    aliases: ClassVar[list[str]] = ["rules", "jawaz"]
    filenames: ClassVar[list[str]] = ["*.rules"]
    mimetypes: ClassVar[list[str]] = ["text/x-jawaz-rules"]

    tokens: ClassVar[dict[str, list[Rule]]] = {
        "root": [
            (r"#.*?$", Comment.Single),
            # A field key starts its line; a line ending in `{` opens a block instead
            # (`category` is both a block kind and a field).
            (
                r"^([ \t]*)(" + "|".join(_FIELDS) + r")\b(?![^\n]*\{[ \t]*$)",
                bygroups(Whitespace, Name.Attribute),
            ),
            (r"\s+", Whitespace),
            # A block opens with its kind, an optional label, then `{`.
            (
                r"(" + "|".join(_KINDS) + r")(\s+)(" + _IDENT + r")(\s*)(\{)",
                bygroups(Keyword.Declaration, Whitespace, Name.Class, Whitespace, Punctuation),
            ),
            (
                r"(" + "|".join(_KINDS) + r")(\s*)(\{)",
                bygroups(Keyword.Declaration, Whitespace, Punctuation),
            ),
            (r'"(\\\\|\\"|[^"])*"', String.Double),
            (r"\d{4}-\d{2}-\d{2}\b", Number.Other),  # dates before numbers
            (r"\d{4}-\d{2}\b", Number.Other),  # a month (`from 2025-09`), then numbers
            (
                r"([A-Z]{3})(\s+)(pending\b|\d[\d_,]*(?:\.\d+)?)",
                bygroups(Keyword.Type, Whitespace, Number.Float),
            ),  # money literals: MYR 5_000_000, PKR pending
            (r"\d[\d_]*(?:\.\d+)?%", Number.Float),
            (r"\d[\d_,]*(?:\.\d+)?", Number),
            (words(("true", "false"), suffix=r"\b"), Keyword.Constant),
            (words(("pending", "unstated", "discretionary"), suffix=r""), Keyword.Pseudo),
            (words(_KEYWORDS, suffix=r"\b"), Operator.Word),
            (_IDENT, Name),
            (r">=|<=|==|!=|[<>=+\-*/]", Operator),
            (r"[\[\](){},:;.]", Punctuation),
        ],
    }
