"""Comparisons as CSV: one line per (row, column), for spreadsheets and diffing."""

from __future__ import annotations

import csv
import io

from engine.presentation.wording import NO_REQUIREMENT, mark_text
from engine.results import ComparisonResult

COLUMNS = (
    "category",
    "attribute",
    "variant",
    "jurisdiction",
    "licence",
    "requirement",
    "title",
    "rule",
    "threshold",
    "threshold_currency",
    "converted",
    "converted_currency",
    "bound",
    "mark",
    "pending",
    "confidence",
    "instrument",
    "provision",
    "url",
)


def comparison_csv(result: ComparisonResult) -> bytes:
    """Long-format CSV: a row absent in a jurisdiction is a line saying so."""
    out = io.StringIO()
    # "\n" line ends: the same bytes on every platform.
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    for row in result.rows:
        for column, cell in zip(result.columns, row.cells, strict=True):
            key = [row.category, row.attribute, row.variant, column.jurisdiction]
            key.append(column.licence or "")
            if cell is None:
                writer.writerow([*key, "", NO_REQUIREMENT] + [""] * (len(COLUMNS) - 7))
                continue
            threshold, converted = cell.threshold, cell.converted
            writer.writerow(
                [
                    *key,
                    cell.requirement,
                    cell.title,
                    cell.rule,
                    threshold.amount if threshold else "",
                    threshold.currency if threshold else "",
                    converted.amount if converted else "",
                    converted.currency if converted else "",
                    cell.bound,
                    mark_text(cell),
                    "pending" if cell.pending else "",
                    cell.confidence,
                    cell.citation.instrument,
                    cell.citation.provision,
                    cell.citation.url or "",
                ]
            )
    return out.getvalue().encode("utf-8")
