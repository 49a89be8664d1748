"""The wording every document shares: labels, headers, cell lines and anchors.

Each format's renderer (`markdown`, `html_page`, `word`, `csv_table`, `tables`) takes its
words from here, so a label is written once; `registry` says which renderer serves which
format.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import assert_never

from engine.presentation.describe import amount_text, describe
from engine.results import (
    CitationOut,
    ComparisonCell,
    ComparisonColumn,
    ComparisonResult,
    Counts,
    FatfListOut,
    FatfStatusOut,
    FxWarningOut,
    MatrixCell,
    MatrixResult,
    MoneyOut,
    RateLegOut,
    RateOut,
    RequirementResult,
)
from rulesdsl import ir
from rulesdsl.ir.months import month_label

NO_REQUIREMENT = "no such requirement"
# Printed on every document a firm or its lawyers may file.
NOT_LEGAL_ADVICE = (
    "Not legal advice: an automated reading of the cited sources as recorded in the rules "
    "named by the hash above. Check each citation against its source before relying on it."
)
CONFIDENCE_LEGEND = (
    ("confirmed", "the figure or duty was read in the cited source itself"),
    ("medium", "read in a reliable secondary source, or in the source with some doubt"),
    ("unconfirmed", "reported but not verified in a primary source; check before relying"),
)
VERDICT_LABEL = {
    "eligible": "eligible",
    "conditional": "conditional",
    "not_eligible": "not eligible",
    "incomplete": "incomplete",
}
ROUTE_LABEL = {
    "passport": "passport",
    "local_licence": "local licence",
    "unavailable": "unavailable",
}
HOME_LICENCE = "home licence"  # the matrix column naming each row's licence
LIST_STATUS_LABEL = {"listed": "listed", "not_listed": "not listed", "unknown": "unknown"}

# A figure compared against a raised but unpublished floor: the old figure bounds it below.
LOWER_BOUND = "a lower bound; the revised figure is not published"


def categories_note(categories: Sequence[str]) -> str:
    """What a matrix's details leave out when filtered by category ("" when not)."""
    if not categories:
        return ""
    return (
        f"Details list only the requirements of {', '.join(categories)}; each cell's verdict "
        "and counts are those of every requirement."
    )


def _list_text(which: str, status: FatfListOut) -> str:
    cite = status.citation
    source = f" ({cite.instrument} {cite.provision})" if cite else ""
    return f"{which} {LIST_STATUS_LABEL[status.status]}{source}"


def fatf_lines(home: str, status: FatfStatusOut) -> list[str]:
    """The home's FATF status in one line, and the warning on a line of its own."""
    country = "" if status.country == home else f" (as {status.country})"
    lines = [
        f"Home FATF status{country}: {_list_text('grey', status.grey)}; "
        f"{_list_text('black', status.black)}"
    ]
    if status.warning:
        lines.append(f"Warning: {status.warning}")
    return lines


def rule_text(requirement: ir.Requirement) -> str:
    """What a requirement demands, with the condition under which it applies."""
    rule = describe(requirement.require)
    if requirement.when is not None:
        rule = f"when {describe(requirement.when)}: {rule}"
    return rule


def requirement_label(result: RequirementResult) -> str:
    """`NG-CAP-DAX: title`, with its confidence where the source is less than confirmed
    (an unconfirmed rule shows its label wherever it appears) and the deadline where the
    line has one ("comply by")."""
    label = f"{result.id}: {result.title}"
    if result.confidence != "confirmed":
        label += f" [{result.confidence}]"
    if result.deadline is None:
        return label
    until = result.effective_until
    deadline = date_text(result.deadline, "month" if "by" in result.known_to_month else "day")
    if until is not None and until <= result.deadline:  # the version a deadline replaces
        return f"{label} (binds licensed firms until {deadline}; then the new version)"
    return f"{label} (required by {deadline})"


def date_text(day: dt.date, precision: ir.Precision) -> str:
    """A rule's date as written: `2026-06-30`, or `June 2026` for one known to the month."""
    return month_label(day) if precision == "month" else str(day)


def treatment_text(result: RequirementResult) -> str:
    """What a passport framework did with one host line: waived, deemed (by which home
    rule), not shown equivalent, breached at home, or kept ("" off a passport route)."""
    homes = ", ".join(
        f"{d.jurisdiction} {d.id}" for d in (*result.deemed_by, *result.breaches_home)
    )
    match result.treatment:
        case None:
            return ""
        case "waived":
            return "waived: the home authorisation is recognised"
        case "kept":
            return "kept: the host applies it"
        case "deemed" if result.status == "deemed_met":
            return f"deemed met by {homes}"
        case "deemed" if result.equivalence == "breached":
            return f"not deemed: the firm breaches {homes}"
        case "deemed" if result.equivalence == "not_shown":
            return "not shown equivalent: the host rule applies"
        case "deemed":
            return "deemed category; met on the firm's own facts"
        case _:
            assert_never(result.treatment)


def counts_text(counts: Counts) -> str:
    """`3 met, 2 deemed met, 4 waived, 1 unmet, 0 not covered, 2 unknown`."""
    return (
        f"{counts.met} met, {counts.deemed_met} deemed met, {counts.waived} waived, "
        f"{counts.unmet} unmet, {counts.not_covered} not covered, {counts.unknown} unknown"
    )


def cell_counts_text(cell: MatrixCell) -> str:
    """A matrix cell's gaps and unknowns: `1 unmet, 3 not covered, 2 unknown`."""
    return f"{cell.unmet} unmet, {cell.not_covered} not covered, {cell.unknown} unknown"


# The matrix legend's one sentence on `not_covered`, shared by every format.
NOT_COVERED_LEGEND = (
    "not covered: a host rule on something the home licence does not demand, a gap the "
    "licensee closes by adding it (remediable, so the cell is conditional); unknown is kept "
    "for what nobody can know yet: pending figures, missing FX rates, discretion"
)


def rate_text(rate: RateOut) -> str:
    """One FX rate as a sentence fragment, with its date and the legs it went through."""
    pegged = ", pegged" if rate.pegged else ""
    legs = "; ".join(leg_text(leg) for leg in rate.legs) or rate.origin
    return (
        f"1 {rate.source} = {rate.rate} {rate.target} (rates of {rate.table_date}{pegged}: {legs})"
    )


def leg_text(leg: RateLegOut) -> str:
    """One published rate a conversion used, with its date and source (or peg's citation)."""
    if leg.citation is not None:
        # The link stays in the answer's data: documents link only where they can mark up.
        where = f"peg, {leg.citation.instrument} {leg.citation.provision}"
    else:
        where = leg.origin
    return f"1 {leg.base} = {leg.price} {leg.quote} ({where}; {leg.date})"


def fx_warning_text(warning: FxWarningOut) -> str:
    """A stale market rate, named with its date and age."""
    return (
        f"the {warning.rate.source}→{warning.rate.target} rate used is of {warning.date}, "
        f"{warning.days} days before the date asked about ({warning.origin})"
    )


def money_text(money: MoneyOut) -> str:
    """`USD 1,261,044.70`: the currency, then the amount with thousands separated."""
    return f"{money.currency} {amount_text(Decimal(money.amount))}"


def cell_lines(cell: ComparisonCell, currency: str) -> list[str]:
    """The plain-text facts of a filled comparison cell, citation excluded."""
    lines = [cell.rule]
    if cell.pending:
        lines.append("pending: figure not yet published")
    converted, threshold = cell.converted, cell.threshold
    if converted is not None and threshold is not None and threshold.currency != currency:
        lines.append(f"≈ {money_text(converted)}")
    if cell.mark or cell.unranked:
        lines.append(mark_text(cell))
    lines.append(f"confidence: {cell.confidence}")
    return lines


UNRANKED_LABEL = {
    "pending": "not ranked: the figure is pending",
    "no_fx_rate": "not ranked: no FX rate to compare it with",
}


def mark_text(cell: ComparisonCell) -> str:
    """A cell's rank in its row, or why it has none ("" for a cell with neither)."""
    if cell.unranked:
        return UNRANKED_LABEL[cell.unranked]
    if cell.mark and cell.lower_bound:
        return f"{cell.mark} ({LOWER_BOUND})"
    return cell.mark


def cited_text(citation: CitationOut) -> str:
    """A citation as documents show it: the instrument's full title, its id and the
    provision ("CBB Rulebook Volume 6, Module CRA (CRA), CRA-3.1.2"), without the URL
    (formats that link add it themselves). The text table keeps `CRA CRA-3.1.2`."""
    if not citation.title or citation.title == citation.instrument:
        return f"{citation.instrument} {citation.provision}".strip()
    named = f"{citation.title} ({citation.instrument})"
    return f"{named}, {citation.provision}" if citation.provision else named


def citation_text(cell: ComparisonCell) -> str:
    """A comparison cell's citation, as documents show it (see `cited_text`)."""
    return cited_text(cell.citation)


def column_label(column: ComparisonColumn) -> str:
    """A comparison column's heading: the jurisdiction and the licence it shows."""
    return f"{column.jurisdiction} ({column.licence})" if column.licence else column.jurisdiction


def verified_text(columns: Iterable[ComparisonColumn]) -> str:
    """When each compared jurisdiction's facts were last checked: "BH 2023-04-01; PK never"."""
    seen: dict[str, str] = {}
    for column in columns:
        seen.setdefault(column.jurisdiction, str(column.verified_on or "never"))
    return "; ".join(f"{code} {day}" for code, day in seen.items())


def comparison_header(result: ComparisonResult) -> list[tuple[str, str]]:
    """Label/value pairs printed above every comparison document."""
    rates = "; ".join(rate_text(r) for r in result.fx_rates) or "none needed"
    return [
        ("Activity", result.activity),
        ("As of", str(result.as_of)),
        ("Jurisdictions", ", ".join(result.jurisdictions)),
        ("Facts verified", verified_text(result.columns)),
        ("Amounts converted to", result.currency),
        ("FX rates used", rates),
        *(("FX warning", fx_warning_text(w)) for w in result.fx_warnings),
        ("Rules", result.bundle),
        ("Rules content hash", result.rules_hash),
    ]


def matrix_header(result: MatrixResult) -> list[tuple[str, str]]:
    """Label/value pairs printed above every matrix document."""
    framework = result.framework
    name = f"{framework.title} ({framework.id}, {framework.status})" if framework else "none"
    pairs = [
        ("Activity", result.activity),
        ("As of", str(result.as_of)),
        ("Framework", name),
    ]
    if framework is not None and framework.proposal_not_law:
        pairs.append(("Status", "a proposal, not law"))
    pairs += [("FX warning", fx_warning_text(w)) for w in result.fx_warnings]
    pairs += [("Rules", result.bundle), ("Rules content hash", result.rules_hash)]
    return pairs


def row_label(category: str, attribute: str, variant: int) -> str:
    """The first column of a comparison row."""
    suffix = f" ({variant + 1})" if variant else ""
    return f"{category} / {attribute}{suffix}"


def homes_with_several_rows(result: MatrixResult) -> frozenset[str]:
    """Homes with more than one licence row: their pairs are named with the licence too."""
    homes = [row.home for row in result.rows]
    return frozenset(h for h in homes if homes.count(h) > 1)


def pair_anchor(home: str, licence: str, host: str, several: frozenset[str]) -> str:
    """The HTML/Markdown anchor of one matrix pair's detail (`pair-bh-my`; with the
    licence, `pair-bh-category-2-my`, where the home has several rows)."""
    parts = [home, licence, host] if home in several else [home, host]
    return "pair-" + "-".join(parts).lower().replace("_", "-")


def pair_title(home: str, licence: str, host: str, several: frozenset[str]) -> str:
    """The heading of one matrix pair's detail."""
    return f"{home} ({licence}) → {host}" if home in several else f"{home} → {host}"
