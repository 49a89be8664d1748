"""How wide a table's columns must be, estimated from their text: so that no word breaks
across lines, and so that a table too wide for the page is split into groups of columns,
each repeating the row labels. Word documents and printed HTML both lay tables out by it.

Widths are in twips (1/1440 inch), Word's unit; nothing measures real glyphs, so the
estimates are deliberately generous.
"""

from __future__ import annotations

from collections.abc import Sequence

# Table text is set at this size; widths are estimated from it.
TABLE_POINTS = 8
# A generous width of one character, in ems: a column this wide per character of its
# longest word holds that word on one line in Calibri, the template's face (under 0.5 em
# a character on average, bold included), and in faces of a similar width.
CHAR_EMS = 0.55
CELL_PADDING_TWIPS = 230  # both margins of a cell plus its borders, with room to spare
TWIPS_PER_POINT = 20
MARGIN_CM = 1.8  # the Word documents' margins
# The width between the margins of the template's portrait page (US Letter, 12,240 twips).
PORTRAIT_TWIPS = 12240 - 2 * round(MARGIN_CM / 2.54 * 1440)

# A4 landscape between the 1 cm margins of the print stylesheet (29.7 cm less 2 cm).
A4_LANDSCAPE_TWIPS = round((29.7 - 2 * 1.0) / 2.54 * 1440)


def word_twips(word: str, points: float = TABLE_POINTS) -> int:
    """The width a word needs on one line, in twips (see CHAR_EMS)."""
    return round(len(word) * CHAR_EMS * points * TWIPS_PER_POINT)


def column_floor(texts: Sequence[str]) -> int:
    """The narrowest a column may be: its longest word on one line, plus padding."""
    longest = max((word_twips(w) for text in texts for w in text.split()), default=0)
    return longest + CELL_PADDING_TWIPS


def column_groups(columns: Sequence[Sequence[str]], keep: int, available: int) -> list[list[int]]:
    """The columns split into tables that fit the width: each group repeats the first
    `keep` columns (the row labels) and takes as many of the rest, in order, as fit at
    their narrowest. One group where everything fits; a column too wide even alone
    gets a group of its own."""
    floors = [column_floor(texts) for texts in columns]
    labels = list(range(keep))
    room = available - sum(floors[:keep])
    groups: list[list[int]] = []
    current: list[int] = []
    used = 0
    for index in range(keep, len(columns)):
        if current and used + floors[index] > room:
            groups.append(labels + current)
            current, used = [], 0
        current.append(index)
        used += floors[index]
    if current or not groups:
        groups.append(labels + current)
    return groups


def needs_landscape(columns: Sequence[Sequence[str]]) -> bool:
    """Whether the columns at their narrowest are wider than a portrait page holds."""
    return sum(column_floor(texts) for texts in columns) > PORTRAIT_TWIPS


def column_widths(columns: Sequence[Sequence[str]], available: int) -> list[int]:
    """Twips per column: each at least its longest word plus padding, and the rest of the
    width shared in proportion to how much text each column holds. Where even the floors
    do not fit (see `column_groups`), the floors are kept: a word is never broken."""
    floors = [column_floor(texts) for texts in columns]
    spare = available - sum(floors)
    if spare <= 0:
        return floors
    weights = [sum(len(t) for t in texts) or 1 for texts in columns]
    total = sum(weights)
    return [floor + spare * weight // total for floor, weight in zip(floors, weights, strict=True)]
