"""Dates known only to the month: `from 2025-09` starts on some day of September 2025.

The IR holds such a date as its month's first day with the precision `month`. Against a
day outside that month it compares as any day of the month would; inside it, the answer
is unknown. Version choice (`engine.decisions.catalogue`) asks these questions, so every
backend answers them alike.
"""

from __future__ import annotations

import datetime as dt

from rulesdsl.ir.model import Precision, Requirement

MONTH_NAMES = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


def next_month(first: dt.date) -> dt.date:
    """The first day of the month after the one `first` falls in."""
    if first.month == 12:
        return dt.date(first.year + 1, 1, 1)
    return dt.date(first.year, first.month + 1, 1)


def month_label(day: dt.date) -> str:
    """`September 2025`: the month a month-precision date stands for."""
    return f"{MONTH_NAMES[day.month - 1]} {day.year}"


def in_month(day: dt.date, bound: dt.date, precision: Precision) -> bool:
    """Whether `day` falls in the month a month-precision `bound` stands for."""
    return precision == "month" and bound <= day < next_month(bound)


def reached(day: dt.date, bound: dt.date, precision: Precision) -> bool | None:
    """Whether `day` is on or after `bound` (unknown inside a month-precision month)."""
    if in_month(day, bound, precision):
        return None
    return day >= bound


def not_after(day: dt.date, bound: dt.date, precision: Precision) -> bool | None:
    """Whether `day` is on or before `bound` (a deadline: "by D"); unknown inside a
    month-precision month."""
    if in_month(day, bound, precision):
        return None
    return day <= bound


def month_dates(requirement: Requirement) -> tuple[dt.date, ...]:
    """The first days of the months a requirement version's dates are known only to."""
    dated = (
        (requirement.period.start, requirement.start_precision),
        (requirement.period.end, requirement.end_precision),
        (requirement.deadline, requirement.deadline_precision),
    )
    return tuple(day for day, precision in dated if day is not None and precision == "month")
