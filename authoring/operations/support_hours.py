"""Support hours as data: the days and times the provider's support is open, in the agreement's time zone.

The term `services.support_hours` is a mapping::

    {"days": ["mon", "tue", "wed", "thu", "fri"], "opens": "08:00", "closes": "18:00",
     "holidays": "PL", "highest_priority_around_the_clock": true}

(`holidays`: an ISO 3166 country whose public holidays, from the `holidays` package, are
closed days; null for none.) Around the clock is every day from "00:00" to "24:00". The
time zone is the separate term `services.time_zone` (IANA, e.g. "Europe/Warsaw").

Agreements written before support hours were data hold free text there; `support_hours_of`
reads the usual "24 hours a day, 7 days a week" in each of our languages as around the
clock, and keeps any other text as `unread_text` for a person to restate.
"""
from __future__ import annotations

import re
import zoneinfo
from dataclasses import dataclass
from datetime import time
from functools import cache
from typing import Any

DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")  # ISO order: Monday is day 1

# "24 hours a day, 7 days a week" as our demo and users wrote it in each language (folded).
_AROUND_THE_CLOCK = (
    re.compile(r"\b24\s*(hours|h)\b.*\b7\s*days\b"),  # en
    re.compile(r"\b24\s*horas\b.*\b7\s*d[ií]as\b"),  # es
    re.compile(r"\b24\s*godzin\w*\b.*\b7\s*dni\b"),  # pl
    re.compile(r"24\s*שעות.*7\s*ימים"),  # he
    re.compile(r"\b24\s*час\w*\b.*\b7\s*дн\w*\b"),  # ru
    re.compile(r"\b24\s*oras\b.*\b7\s*araw\b"),  # tl
    re.compile(r"^\s*24\s*/\s*7\s*$"),
)


class SupportHoursError(ValueError):
    """A structured support-hours value that cannot be used; `code` says which rule it breaks
    (so the interview and the health check can say it in the reader's language):
    "shape", "days", "time", "order" or "country"."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code


@cache
def holiday_countries() -> frozenset[str]:
    """The ISO 3166 codes whose public holidays the `holidays` package knows."""
    import holidays  # imported on first use: it loads a module per country

    return frozenset(code for code in holidays.list_supported_countries(include_aliases=False) if len(code) == 2)


@cache
def time_zones() -> frozenset[str]:
    """Every IANA time zone name this system knows ("Europe/Warsaw", "UTC", ...)."""
    return frozenset(zoneinfo.available_timezones())


def is_time_zone(name: Any) -> bool:
    return isinstance(name, str) and name in time_zones()


@dataclass(frozen=True)
class SupportHours:
    """When support is open. `closes` of time(0) with `opens` time(0) and all seven days: around the clock."""

    days: tuple[str, ...]  # of DAYS, in ISO order
    opens: time
    closes: time  # time(0) means midnight at the end of the day ("24:00")
    time_zone: str  # IANA
    holidays: str | None  # ISO 3166 country code of the public holidays that close support
    highest_priority_around_the_clock: bool
    unread_text: str | None = None  # free text from before support hours were data, not understood

    @property
    def around_the_clock(self) -> bool:
        return self.days == DAYS and self.opens == time(0) and self.closes == time(0) and not self.holidays

    def to_term(self) -> dict[str, Any]:
        """The value of the term `services.support_hours`."""
        return {"days": list(self.days), "opens": _hhmm(self.opens), "closes": "24:00" if self.closes == time(0)
                else _hhmm(self.closes), "holidays": self.holidays,
                "highest_priority_around_the_clock": self.highest_priority_around_the_clock}


AROUND_THE_CLOCK = {"days": list(DAYS), "opens": "00:00", "closes": "24:00", "holidays": None,
                    "highest_priority_around_the_clock": True}


def _hhmm(value: time) -> str:
    return f"{value.hour:02d}:{value.minute:02d}"


def parse_time(value: str) -> time:
    """"08:00" -> time(8, 0); "24:00" -> time(0) (the end of the day). ValueError otherwise."""
    found = re.fullmatch(r"([01]\d|2[0-4]):([0-5]\d)", str(value).strip())
    if not found or (found.group(1) == "24" and found.group(2) != "00"):
        raise ValueError(f"not a time of day (HH:MM): {value!r}")
    hour, minute = int(found.group(1)), int(found.group(2))
    return time(0) if hour == 24 else time(hour, minute)


def support_hours_of(terms: dict[str, Any]) -> SupportHours:
    """The agreement's support hours from its terms (legacy free text read where it can be; ValueError when
    a structured value is malformed)."""
    services = terms.get("services") or {}
    zone = services.get("time_zone") or "UTC"
    value = services.get("support_hours")
    if isinstance(value, str) or value is None:
        text = (value or "").strip()
        if not text or any(pattern.search(text.casefold()) for pattern in _AROUND_THE_CLOCK):
            value = AROUND_THE_CLOCK
        else:
            return SupportHours(DAYS, time(0), time(0), zone, None, True, unread_text=text)
    if not isinstance(value, dict):
        raise SupportHoursError("shape", "support hours must be text or a mapping of days, opens, closes, holidays "
                                         "and highest_priority_around_the_clock")
    given = value.get("days") or ()
    if isinstance(given, str) or not isinstance(given, (list, tuple)) \
            or not all(isinstance(day, str) for day in given):
        raise SupportHoursError("days", f"support days must be a list of some of {', '.join(DAYS)}")
    days = tuple(day for day in DAYS if day in set(given))
    unknown = set(given) - set(DAYS)
    if unknown or not days:
        raise SupportHoursError("days", f"support days must be some of {', '.join(DAYS)}")
    try:
        opens, closes = parse_time(value.get("opens", "00:00")), parse_time(value.get("closes", "24:00"))
    except ValueError as error:
        raise SupportHoursError("time", str(error)) from None
    if closes != time(0) and closes <= opens:
        raise SupportHoursError("order", "support must close after it opens")
    holidays = value.get("holidays") or None
    if holidays is not None and (not isinstance(holidays, str) or holidays.upper() not in holiday_countries()):
        raise SupportHoursError("country", f"no public holidays are known for the country {holidays!r}")
    return SupportHours(days, opens, closes, zone, holidays.upper() if holidays else None,
                        bool(value.get("highest_priority_around_the_clock")))
