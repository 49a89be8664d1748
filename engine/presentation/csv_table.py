"""Comparisons as CSV: one line per (row, column), for spreadsheets and diffing.

Every line carries what it was computed from (the as-of date, the rules' and FX data's
hashes, and the rate its amount was converted at), so a line pasted elsewhere still says
where it came from; a comment header would be a stray row in every spreadsheet."""

from __future__ import annotations

import csv
import io

from engine.presentation.wording import NO_REQUIREMENT, mark_text, rate_text
from engine.results import ComparisonCell, ComparisonResult

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
    "fx_rate",
    "as_of",
    "rules_hash",
    "fx_hash",
)


def _rate(result: ComparisonResult, cell: ComparisonCell) -> str:
    """The rate the cell's threshold was converted at ("" where none was needed)."""
    if cell.threshold is None or cell.converted is None:
        return ""
    pair = (cell.threshold.currency, result.currency)
    return next((rate_text(r) for r in result.fx_rates if (r.source, r.target) == pair), "")


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
            basis = [str(result.as_of), result.rules_hash, result.fx_hash]
            if cell is None:
                blank = [""] * (len(COLUMNS) - 7 - len(basis))
                writer.writerow([*key, "", NO_REQUIREMENT, *blank, *basis])
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
                    _rate(result, cell),
                    *basis,
                ]
            )
    return out.getvalue().encode("utf-8")
