"""A framework classes every requirement category exactly once (DESIGN §4).

`waives` (recognition: the home authorisation stands in), `deems` (equivalence: met where the
home's rules are shown to imply the host's) and `keeps` (the host applies it as to a local
licensee). A category left out would be silently kept or silently waived depending on the
reader, and one named twice has no meaning, so the checker refuses both.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from rulesdsl.check.collect import field_map, label_text
from rulesdsl.errors import Diagnostic
from rulesdsl.syntax import nodes as n

CLASSES = ("waives", "deems", "keeps")


def check_frameworks(
    frameworks: Mapping[str, n.Block], categories: Iterable[str]
) -> list[Diagnostic]:
    """E220 for a category a framework does not class, E221 for one it classes twice."""
    declared = sorted(categories)
    found: list[Diagnostic] = []
    for block in frameworks.values():
        found.extend(_check_framework(block, declared))
    return found


def _check_framework(block: n.Block, categories: list[str]) -> Iterable[Diagnostic]:
    fields = field_map(block)
    first: dict[str, str] = {}  # category -> the field that classed it first
    for key in CLASSES:
        listed = fields.get(key)
        if listed is None or not isinstance(listed.value, n.ListLit):
            continue
        for item in listed.value.items:
            if not isinstance(item, n.Name):
                continue
            earlier = first.get(item.text)
            if earlier is None:
                first[item.text] = key
                continue
            where = "already" if earlier == key else f"already under `{earlier}`"
            yield Diagnostic(
                "E221",
                f"framework '{label_text(block)}' classes category '{item.text}' twice ({where})",
                item.span,
                help="a category is waived, deemed or kept: name it under one of them",
            )
    missing = [c for c in categories if c not in first]
    if missing:
        span = block.label.span if block.label else block.kind.span
        yield Diagnostic(
            "E220",
            f"framework '{label_text(block)}' does not class "
            + ", ".join(f"'{c}'" for c in missing),
            span,
            help="list every category under `waives`, `deems` or `keeps`",
            notes=(
                "`waives`: the home authorisation stands in (no test of the home's rules); "
                "`deems`: met where the home's rules are shown to imply the host's; "
                "`keeps`: the host applies it as to a local licensee",
            ),
        )
