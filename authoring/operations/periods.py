"""Measurement periods: calendar months (or quarters) in the agreement's time zone.

A period runs from local midnight of its first day to local midnight after its last day, so
March in Europe/Warsaw is one hour shorter than 31 days and October one hour longer.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timezone
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

WINDOW_MONTHS = {"monthly": 1, "quarterly": 3}
_MONTH = re.compile(r"(\d{4})-(0[1-9]|1[0-2])")
_QUARTER = re.compile(r"(\d{4})-Q([1-4])", re.IGNORECASE)


@dataclass(frozen=True)
class Period:
    """One measurement period: `label` ("2027-03" or "2027-Q1"), its local first day and its instants (UTC)."""

    label: str
    first_day: date
    months: int
    start: datetime
    end: datetime  # exclusive
    time_zone: str

    def contains(self, moment: datetime) -> bool:
        return self.start <= moment < self.end

    @property
    def last_day(self) -> date:
        return date.fromordinal(_add_months(self.first_day, self.months).toordinal() - 1)


def zone_named(name: str) -> ZoneInfo:
    """The IANA time zone `name`; ValueError (not KeyError) for one the database does not know."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as error:
        raise ValueError(f"unknown time zone: {name!r}") from error


def _add_months(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def _midnight(day: date, zone: ZoneInfo) -> datetime:
    return datetime.combine(day, time(0), tzinfo=zone).astimezone(timezone.utc)


def period_starting(first_day: date, months: int, time_zone: str) -> Period:
    """The period of `months` months from `first_day` (a first of the month) in `time_zone`."""
    zone = zone_named(time_zone)
    label = f"{first_day.year:04d}-{first_day.month:02d}" if months == 1 else \
        f"{first_day.year:04d}-Q{(first_day.month - 1) // 3 + 1}"
    return Period(label, first_day, months, _midnight(first_day, zone), _midnight(_add_months(first_day, months), zone),
                  time_zone)


FIRST_YEAR, LAST_YEAR = 1900, 9998


def parse_period(text: str, window: str, time_zone: str) -> Period:
    """"2027-03" (monthly) or "2027-Q1" (quarterly) as a period of the agreement's measurement window;
    ValueError saying what to write otherwise."""
    months = WINDOW_MONTHS.get(window or "monthly", 1)
    text = (text or "").strip()
    month, quarter = _MONTH.fullmatch(text), _QUARTER.fullmatch(text)
    year = int((month or quarter).group(1)) if (month or quarter) else None
    if year is not None and not FIRST_YEAR <= year <= LAST_YEAR:
        # Beyond these a period's edges (and the one after it) cannot be written as instants.
        raise ValueError(f"a period must fall between {FIRST_YEAR} and {LAST_YEAR}")
    if months == 1:
        if not month:
            raise ValueError("the agreement measures service levels by calendar month: write the period as YYYY-MM")
        return period_starting(date(int(month.group(1)), int(month.group(2)), 1), 1, time_zone)
    if quarter:
        return period_starting(date(int(quarter.group(1)), 3 * int(quarter.group(2)) - 2, 1), 3, time_zone)
    if month and int(month.group(2)) % 3 == 1:
        return period_starting(date(int(month.group(1)), int(month.group(2)), 1), 3, time_zone)
    raise ValueError("the agreement measures service levels by calendar quarter: write the period as YYYY-Qn")


def period_of(moment: datetime, window: str, time_zone: str) -> Period:
    """The period of the measurement window that contains `moment`."""
    months = WINDOW_MONTHS.get(window or "monthly", 1)
    local = moment.astimezone(zone_named(time_zone)).date()
    first_month = (local.month - 1) // months * months + 1
    return period_starting(date(local.year, first_month, 1), months, time_zone)


def previous(period: Period) -> Period:
    return period_starting(_add_months(period.first_day, -period.months), period.months, period.time_zone)


def following(period: Period) -> Period:
    return period_starting(_add_months(period.first_day, period.months), period.months, period.time_zone)
