"""The review calendar of an agreement: when reviews fall due and when the renewal window opens.

Reviews fall every `cadence` months after the effective date, on the effective date's
day of the month. A month too short for that day takes its last day instead, and the
next review goes back to the anchor day: an agreement effective on 31 January is
reviewed monthly on 28 February, 31 March, 30 April, never drifting to the 28th.
"""
from __future__ import annotations

import calendar
from collections.abc import Iterator
from datetime import date, timedelta

CADENCE_MONTHS = {"monthly": 1, "quarterly": 3, "semiannual": 6, "annual": 12}
DEFAULT_RENEWAL_LEAD_DAYS = 30


def cadence_months(cadence: str) -> int:
    """The number of months between two reviews; ValueError for an unknown cadence."""
    try:
        return CADENCE_MONTHS[cadence]
    except (KeyError, TypeError):
        known = ", ".join(CADENCE_MONTHS)
        raise ValueError(f"unknown review cadence {cadence!r} (expected one of: {known})") from None


def add_months(day: date, months: int, anchor_day: int | None = None) -> date:
    """`day` moved by `months` calendar months, on `anchor_day` (default: day's own day) or the month's last day.

    Raises ValueError when the result falls outside the years date supports.
    """
    index = day.year * 12 + (day.month - 1) + months
    year, month = divmod(index, 12)
    month += 1
    if not date.min.year <= year <= date.max.year:
        raise ValueError(f"{day.isoformat()} plus {months} months is out of range")
    wanted = day.day if anchor_day is None else anchor_day
    return date(year, month, min(wanted, calendar.monthrange(year, month)[1]))


def review_dates(effective: date, cadence: str, end: date | None = None) -> Iterator[date]:
    """Every scheduled review, in order: effective + k*cadence months for k = 1, 2, ...; none after `end`.

    Without `end` the iterator ends only at the last year date supports.
    """
    step = cadence_months(cadence)
    return _reviews_from(effective, step, 1, end)


HORIZON_YEARS = 10


def review_dates_shown(effective: date, cadence: str, end: date | None = None) -> Iterator[date]:
    """The review dates worth showing (timeline, calendar): within the term and at most
    HORIZON_YEARS after the effective date, so a missing or far-off end date cannot run on."""
    try:
        horizon = add_months(effective, 12 * HORIZON_YEARS)
    except ValueError:  # near the last year a date can hold
        horizon = date.max
    return review_dates(effective, cadence, min(end, horizon) if end else horizon)


def next_review(effective: date, cadence: str, after: date, end: date | None = None) -> date | None:
    """The first scheduled review strictly after `after`, or None when there is none up to `end`."""
    step = cadence_months(cadence)
    # Reviews k < first all fall in months before `after`'s month, so start the search there
    # instead of walking from the effective date (an agreement may run for decades).
    months_between = (after.year - effective.year) * 12 + (after.month - effective.month)
    first = max(1, months_between // step)
    for review in _reviews_from(effective, step, first, end):
        if review > after:
            return review
    return None


def renewal_window(end: date, lead_days: int | None) -> tuple[date, date]:
    """(opens, closes): the renewal window opens `lead_days` (default 30) before the end date and closes on it."""
    days = DEFAULT_RENEWAL_LEAD_DAYS if lead_days is None else lead_days
    if days < 0:
        raise ValueError(f"renewal lead days must be 0 or more, not {days}")
    try:
        return end - timedelta(days=days), end
    except OverflowError:
        raise ValueError(f"{end.isoformat()} minus {days} days is out of range") from None


def _reviews_from(effective: date, step: int, first: int, end: date | None) -> Iterator[date]:
    k = first
    while True:
        try:
            review = add_months(effective, k * step, anchor_day=effective.day)
        except ValueError:
            return
        if end is not None and review > end:
            return
        yield review
        k += 1
