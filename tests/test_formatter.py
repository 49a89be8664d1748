"""`jawaz fmt`: canonical, idempotent, meaning-preserving and comment-preserving.

Properties, on every bundled file, on hand-written messy inputs and on hypothesis mutants
of the bundled files: formatting twice gives the same text as formatting once; the output
parses to the same AST (spans aside); every comment of the input is in the output. The
bundle, made messy and then formatted, is byte-for-byte the bundle again and lowers to the
same IR with the same content hash. The `jawaz fmt [--check]` exit codes are checked by
running the command.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from hypothesis import event, given, settings
from hypothesis import strategies as st
from jawaz_cli import jawaz

from rulesdsl.errors import Diagnostic
from rulesdsl.ir.canonical import rules_hash
from rulesdsl.loader import bundled_root, load_bundle, rule_files
from rulesdsl.syntax import nodes as n
from rulesdsl.syntax.parser import parse_source, parse_text
from rulesdsl.syntax.sources import from_bytes
from rulesdsl.tools.formatter import MAX_WIDTH, format_source

ROOT = bundled_root()
BUNDLED = {path.relative_to(ROOT).as_posix(): path for path in rule_files(ROOT)}
# Strings first, so a `#` inside quotes is not a comment (the grammar's STRING and COMMENT).
_STRING_OR_COMMENT = re.compile(r'"(?:[^"\\\n]|\\.)*"|#[^\n]*')

MESSY: dict[str, str] = {
    "odd-indentation": (
        "jurisdiction BH {\n"
        "      requirement BH-X {\n"
        'title "Odd"\n'
        "\t\t category   capital\n"
        "   require    paid_up_capital   >=   BHD   1_000\n"
        "        }\n"
        " }\n"
    ),
    "end-of-line-comments": (
        "jurisdiction BH {  # the header\n"
        "  requirement BH-X {   # one requirement\n"
        '    title "A # in a string is not a comment"   # but this is\n'
        "    require local_place_of_business # no space before\n"
        "  }  # closing the requirement\n"
        "}#closing the jurisdiction\n"
    ),
    "own-line-comments": (
        "# file header\n"
        "\n"
        "# about the vocabulary\n"
        "vocabulary {\n"
        "  # before the first item\n"
        "  currency BHD {\n"
        "      # inside, before a field\n"
        '    name "Bahraini dinar"\n'
        "  # indented wrongly\n"
        "    minor_units 3\n"
        "    # before the closing brace\n"
        "  }\n"
        "}\n"
        "# trailing comment at the end of the file\n"
    ),
    "comments-in-wrapped-condition": (
        "jurisdiction BH {\n"
        "  requirement BH-X {\n"
        "    require (paid_up_capital >= BHD 1  # first operand\n"
        "      # an own-line comment inside the brackets\n"
        "      and local_place_of_business   # second operand\n"
        "      and [ceo,  # a list item\n"
        "           mlro] subset resident_key_persons)\n"
        "    licences [category_1,\n"
        "      # between list items\n"
        "      category_2]\n"
        "  }\n"
        "}\n"
    ),
    "blank-line-runs": (
        "\n\n\n"
        "jurisdiction BH {\n"
        "\n\n\n"
        '  name "Bahrain"\n'
        "\n\n\n\n"
        "  currency BHD\n"
        "\n\n"
        "}\n"
        "\n\n\n"
        "jurisdiction MY {\n"
        '  name "Malaysia"\n'
        "}\n"
        "\n\n\n"
    ),
    "no-final-newline": 'jurisdiction BH {\n  name "Bahrain"\n}  # no newline after this',
    "crlf": (
        "jurisdiction BH {\r\n"
        "  # a comment\r\n"
        '  name "Bahrain"  # and another\r\n'
        "\r\n"
        "  currency BHD\r\n"
        "}\r\n"
    ),
    "redundant-parentheses": (
        "jurisdiction BH {\n"
        "  requirement BH-X {\n"
        "    when ((part_of_foreign_group))\n"
        "    require ((a and b) and (c or d)) or (not (e))\n"
        "  }\n"
        "  requirement BH-Y {\n"
        "    require not ((a or b)) and ((c or d))\n"
        "  }\n"
        "}\n"
    ),
    "form-feed-in-string": (  # a line break to str.splitlines, whitespace to the lexer
        "vocabulary {\n"
        '  currency BHD {\n    name "Bahraini\x0cdinar"\n  }\n'
        "\n"
        "  # must survive: the line numbering must not shift at the form feed\n"
        '  currency MYR {\n    name "Ringgit"  # and so must this\n  }\n'
        "}\n"
    ),
    "long-condition": (
        "jurisdiction BH {\n"
        "  requirement BH-X {\n"
        "    require paid_up_capital >= BHD 1_000_000 and local_place_of_business and "
        "client_assets_unencumbered and clients_prefund_trades and (home == BH or home == MY)\n"
        "  }\n"
        "}\n"
    ),
    "long-list": (
        "jurisdiction BH {\n"
        "  licence category_9 {\n"
        "    activities [exchange, brokerage, custody, transfer, advisory, portfolio_management, "
        "token_offering, exchange]\n"
        "  }\n"
        "}\n"
    ),
}
SAMPLES: dict[str, str] = {
    **{f"bundled:{name}": path.read_text(encoding="utf-8") for name, path in BUNDLED.items()},
    **{f"messy:{name}": text for name, text in MESSY.items()},
}


def fmt(text: str, name: str = "sample.rules") -> str:
    """Format rule text; the text must parse."""
    vetted = from_bytes(name, text.encode("utf-8"))
    assert not isinstance(vetted, Diagnostic), vetted
    formatted = format_source(vetted)
    assert isinstance(formatted, str), formatted
    return formatted


def comments(text: str) -> list[str]:
    """The text of every comment, as the lexer sees it (trailing whitespace aside)."""
    return [
        token.rstrip()
        for token in (m.group() for m in _STRING_OR_COMMENT.finditer(text))
        if token.startswith("#")
    ]


def assert_formats_well(text: str) -> str:
    """The three properties every input must have; returns the formatted text."""
    once = fmt(text)
    assert fmt(once) == once, "formatting is not idempotent"
    assert parse_text(once).items == parse_text(text).items, "formatting changed the AST"
    missing = [c for c in comments(text) if c not in once]
    assert not missing, f"comments lost: {missing}"
    return once


# ---- properties on fixed inputs ---------------------------------------------------------


@pytest.mark.parametrize("sample", sorted(SAMPLES))
def test_format_is_idempotent_preserves_ast_and_comments(sample: str) -> None:
    """Idempotent, same AST, every comment kept."""
    assert_formats_well(SAMPLES[sample])


@pytest.mark.parametrize("name", sorted(BUNDLED))
def test_bundled_files_are_in_canonical_form(name: str) -> None:
    """The shipped rules are already formatted (what `jawaz fmt --check` checks)."""
    text = BUNDLED[name].read_text(encoding="utf-8")
    assert fmt(text) == text


def test_output_is_plain_canonical_text() -> None:
    """LF line ends, one final newline, no trailing spaces, no blank-line runs, no tabs."""
    for sample, text in SAMPLES.items():
        once = fmt(text)
        assert once.endswith("\n") and not once.endswith("\n\n"), sample
        assert "\r" not in once and "\t" not in once, sample
        assert "\n\n\n" not in once and not once.startswith("\n"), sample
        assert all(line == line.rstrip() for line in once.split("\n")), sample


def test_redundant_parentheses_are_dropped_but_needed_ones_kept() -> None:
    """Conditions are printed with the fewest parentheses that keep their meaning."""
    once = fmt(MESSY["redundant-parentheses"])
    assert "when part_of_foreign_group\n" in once
    assert "require a and b and (c or d) or not e\n" in once
    assert "require not (a or b) and (c or d)\n" in once


@pytest.mark.parametrize("sample", ["long-condition", "long-list", "comments-in-wrapped-condition"])
def test_long_values_are_wrapped_in_brackets(sample: str) -> None:
    """A value too long for one line is laid out one operand or item per line."""
    once = assert_formats_well(MESSY[sample])
    lines = [line.split("  #")[0] for line in once.split("\n")]  # code, without comments
    assert all(len(line) <= MAX_WIDTH for line in lines), once
    openers = [line for line in lines if line.endswith(("(", "["))]
    assert openers, once
    for opener in openers:  # the bracket closes on its own line, at the opener's indent
        indent = opener[: len(opener) - len(opener.lstrip())]
        closer = ")" if opener.endswith("(") else "]"
        assert indent + closer in lines, once


def test_wrapping_depends_on_length_only() -> None:
    """A short condition stays on one line; the same shape made long is wrapped."""
    short = "jurisdiction BH {\n  requirement X {\n    require a and b\n  }\n}\n"
    assert fmt(short) == short
    long = short.replace("a and b", " and ".join(f"attribute_number_{i}" for i in range(8)))
    assert "require (\n" in fmt(long)


# ---- the bundle, made messy -------------------------------------------------------------


def messify(text: str) -> str:
    """The same rules in a careless layout: odd indentation with tabs, trailing blanks,
    blank-line runs, redundant parentheses and spaces in conditions, CRLF line ends and no
    final newline. `jawaz fmt` must undo all of it."""
    out: list[str] = []
    for line in text.split("\n"):
        body = line.lstrip(" ")
        depth = (len(line) - len(body)) // 2
        if not body:
            out.extend(["", "   "])
            continue
        condition = re.fullmatch(r"(require|when) (.*)", body)
        balanced = all(body.count(a) == body.count(b) for a, b in ("()", "[]"))
        if condition and balanced and "#" not in body:
            spaced = re.sub(r" (>=|<=|==|!=|>|<) ", r"   \1  ", condition.group(2))
            body = f"{condition.group(1)}   (( {spaced} ))"
        out.append("\t" * (depth % 2) + "   " * depth + body + " \t")
    return "\r\n".join(out).rstrip() + "  "


@pytest.fixture(scope="module")
def messy_bundle(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the bundled rules with every file made messy."""
    target = tmp_path_factory.mktemp("messy") / "jurisdictions"
    shutil.copytree(ROOT, target, ignore=shutil.ignore_patterns("__pycache__"))
    for name in BUNDLED:
        path = target / name
        path.write_bytes(messify(path.read_text(encoding="utf-8")).encode("utf-8"))
    return target


@pytest.mark.parametrize("name", sorted(BUNDLED))
def test_messy_bundled_file_formats_back_to_the_original(name: str) -> None:
    """fmt(messify(file)) == file, and the messy file already has the file's AST."""
    original = BUNDLED[name].read_text(encoding="utf-8")
    messy = messify(original)
    assert messy != original
    assert parse_text(messy).items == parse_text(original).items
    assert fmt(messy) == original


def test_messy_and_formatted_bundles_lower_to_the_same_ir(messy_bundle: Path) -> None:
    """Layout never reaches the IR: same bundle, same content hash."""
    reference = load_bundle(ROOT)
    messy = load_bundle(messy_bundle)
    assert messy == reference
    assert rules_hash(messy) == rules_hash(reference)
    for name in BUNDLED:
        path = messy_bundle / name
        path.write_text(fmt(path.read_text(encoding="utf-8")), encoding="utf-8")
    formatted = load_bundle(messy_bundle)
    assert rules_hash(formatted) == rules_hash(reference)


# ---- `jawaz fmt` on the command line ----------------------------------------------------


def test_fmt_check_passes_on_the_bundled_rules(tmp_path: Path) -> None:
    """`jawaz fmt --check` (default paths: the bundled rules) exits 0."""
    assert jawaz("fmt", "--check", cwd=tmp_path).returncode == 0


def test_fmt_check_reports_then_fmt_rewrites_a_messy_file(tmp_path: Path) -> None:
    """--check exits 1 and leaves the file alone; fmt rewrites it; --check then passes."""
    original = BUNDLED["BH/cra.rules"].read_text(encoding="utf-8")
    path = tmp_path / "cra.rules"
    messy = messify(original).encode("utf-8")
    path.write_bytes(messy)

    assert jawaz("fmt", "--check", str(path), cwd=tmp_path).returncode == 1
    assert path.read_bytes() == messy

    assert jawaz("fmt", str(path), cwd=tmp_path).returncode == 0
    assert path.read_text(encoding="utf-8") == original

    assert jawaz("fmt", "--check", str(path), cwd=tmp_path).returncode == 0


def test_fmt_refuses_a_file_that_does_not_parse(tmp_path: Path) -> None:
    """A syntax error is reported, the file is left alone and the exit status is 1."""
    path = tmp_path / "broken.rules"
    path.write_text('jurisdiction BH {\n  name = "Bahrain"\n}\n', encoding="utf-8")
    before = path.read_bytes()
    result = jawaz("fmt", str(path), cwd=tmp_path)
    assert result.returncode == 1
    assert "E103" in result.stderr
    assert path.read_bytes() == before


# ---- hypothesis: mutants of the bundled files that still parse ----------------------------

# Any text a comment may hold. Form feed, U+2028 and CR are line breaks to str.splitlines
# but not to the lexer, so they come often; other control bytes are refused as input.
_AWKWARD_COMMENTS = ["", " x\x0cy", " \u2028", " a\rb", ' "', " # {[(", " \\"]
_COMMENT_TEXT = st.sampled_from(_AWKWARD_COMMENTS) | st.text(
    st.characters(codec="utf-8", exclude_categories=("Cc", "Cs"), include_characters="\x0c"),
    max_size=12,
)


@st.composite
def layout_mutants(draw: st.DrawFn) -> str:
    """A bundled file with comments, blank lines, indentation and tokens disturbed."""
    name = draw(st.sampled_from(sorted(BUNDLED)))
    lines = BUNDLED[name].read_text(encoding="utf-8").split("\n")
    for _ in range(draw(st.integers(1, 4))):
        at = draw(st.integers(0, len(lines) - 1))
        kind = draw(
            st.sampled_from(
                ["trailing", "own-line", "blank", "indent", "drop", "copy", "swap", "crlf"]
            )
        )
        if kind == "trailing":
            lines[at] += " " * draw(st.integers(0, 3)) + "#" + draw(_COMMENT_TEXT)
        elif kind == "own-line":
            lines.insert(at, " " * draw(st.integers(0, 9)) + "#" + draw(_COMMENT_TEXT))
        elif kind == "blank":
            lines[at:at] = [" " * draw(st.integers(0, 3))] * draw(st.integers(1, 3))
        elif kind == "indent":
            lines[at] = draw(st.sampled_from(["", "\t", "     ", " \t "])) + lines[at].lstrip()
        elif kind == "drop" and len(lines) > 1:
            del lines[at]
        elif kind == "copy":
            lines.insert(draw(st.integers(0, len(lines))), lines[at])
        elif kind == "swap":
            other = draw(st.integers(0, len(lines) - 1))
            lines[at], lines[other] = lines[other], lines[at]
        elif kind == "crlf":
            lines[at] += "\r"
    return "\n".join(lines)


@settings(derandomize=True, max_examples=120, deadline=None, database=None)
@given(layout_mutants())
def test_mutants_that_parse_format_idempotently(text: str) -> None:
    """For any mutant that parses: idempotent, same AST, comments kept."""
    vetted = from_bytes("mutant.rules", text.encode("utf-8"))
    if isinstance(vetted, Diagnostic) or not isinstance(parse_source(vetted), n.Module):
        event("does not parse")
        return
    event("parses")
    assert_formats_well(text)
