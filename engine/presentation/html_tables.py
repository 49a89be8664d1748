"""Tables of the standalone HTML documents that print without losing a column.

A table whose columns, at their narrowest (no word broken), are wider than an A4 landscape
page is written twice: whole for the screen, and for print as groups of columns, each
group a table of its own that repeats the row labels. The print stylesheet shows one or
the other; a table that fits is written once.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from engine.presentation.column_widths import A4_LANDSCAPE_TWIPS, column_groups

# Shown on screen only / in print only, by the print stylesheet below.
SCREEN_ONLY = "screen-only"
PRINT_GROUP = "print-group"
GROUPS_STYLE = f"""
table.{PRINT_GROUP} {{ display: none; }}
@media print {{
  table.{SCREEN_ONLY} {{ display: none; }}
  table.{PRINT_GROUP} {{ display: table; }}
}}
"""


# Attribute names and requirement ids are long compounds; a line may break after their
# underscores as after a hyphen, never inside a part. `<wbr>` marks the place in HTML, and
# widths are estimated by the parts.
BREAK_AFTER = "_"


def breakable(escaped: str) -> str:
    """Escaped text (no tags) with a line-break opportunity after each underscore."""
    return escaped.replace(BREAK_AFTER, f"{BREAK_AFTER}<wbr>")


def parts_of(text: str) -> str:
    """Plain text as `breakable` lets it break, for estimating widths."""
    return text.replace(BREAK_AFTER, f"{BREAK_AFTER} ")


@dataclass(frozen=True, slots=True)
class Column:
    """One column: its header cell and body cells as HTML, and the same as plain text, by
    which its width is estimated."""

    head_html: str
    cells_html: Sequence[str]
    texts: Sequence[str]  # the header's text first, then each body cell's


def table_html(columns: Sequence[Column], keep: int, css: str = "") -> list[str]:
    """The lines of the table of `columns`, whose first `keep` are row labels (each a
    `<th>`); split into print groups where it is too wide for the page."""
    texts = [[parts_of(t) for t in c.texts] for c in columns]
    groups = column_groups(texts, keep, A4_LANDSCAPE_TWIPS)
    if len(groups) == 1:
        return _table(columns, groups[0], css)
    lines = _table(columns, list(range(len(columns))), f"{css} {SCREEN_ONLY}".strip())
    for group in groups:
        lines += _table(columns, group, f"{css} {PRINT_GROUP}".strip())
    return lines


def _table(columns: Sequence[Column], chosen: Sequence[int], css: str) -> list[str]:
    opening = f'<table class="{css}">' if css else "<table>"
    heads = "".join(columns[i].head_html for i in chosen)
    lines = [f"{opening}<thead><tr>{heads}</tr></thead><tbody>"]
    rows = len(columns[0].cells_html) if columns else 0
    for row in range(rows):
        lines.append("<tr>" + "".join(columns[i].cells_html[row] for i in chosen) + "</tr>")
    lines.append("</tbody></table>")
    return lines
