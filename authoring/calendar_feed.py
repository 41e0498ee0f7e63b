"""An iCalendar (RFC 5545) feed of all-day events: review dates, milestones, renewal windows.

Written by hand rather than with a library: the subset needed is small, and owning it
keeps the output byte-for-byte deterministic (same events, same stamp, same bytes), so
a calendar client polling the feed sees no change when nothing changed.
"""
from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone

PRODID = "-//authoring//Service agreement calendar//EN"
MAX_LINE_OCTETS = 75

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")  # RFC 5545 CONTROL, less HTAB; line breaks are handled first
_LINE_BREAK = re.compile(r"\r\n|\r|\n")
_LANGUAGE_TAG = re.compile(r"[A-Za-z]{2,8}(-[A-Za-z0-9]{1,8})*")
_URL_FORBIDDEN = re.compile(r"[\x00-\x20\x7f\"<>\\^`{|}]")


@dataclass(frozen=True)
class CalendarEvent:
    """An all-day event on `day`; `uid` must stay the same for the same event across feeds."""

    uid: str
    day: date
    summary: str
    description: str = ""
    url: str = ""
    category: str = ""
    language: str = ""  # of the summary and description, e.g. "pl" (RFC 5545 LANGUAGE parameter)


def ical(events: Iterable[CalendarEvent], *, name: str, stamp: datetime) -> bytes:
    """The VCALENDAR holding `events`, as UTF-8 bytes with CRLF line endings.

    Events are ordered by day then uid, so the order they are given in does not change
    the bytes. `stamp` (timezone-aware) becomes every event's DTSTAMP. ValueError for a
    naive stamp, an empty or repeated uid, or a URL that is not a plain URI.
    """
    if stamp.tzinfo is None or stamp.utcoffset() is None:
        raise ValueError("the calendar stamp must be timezone-aware")
    utc = stamp.astimezone(timezone.utc)
    dtstamp = f"{_date_value(utc)}T{utc.hour:02d}{utc.minute:02d}{utc.second:02d}Z"

    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{PRODID}",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{escape_text(name)}",
    ]
    seen: set[str] = set()
    for event in sorted(events, key=lambda event: (event.day, event.uid)):
        if not event.uid.strip():
            raise ValueError(f"the event {event.summary!r} on {event.day.isoformat()} has no uid")
        if event.uid in seen:
            raise ValueError(f"two events have the uid {event.uid!r}")
        seen.add(event.uid)
        lines += _vevent(event, dtstamp)
    lines.append("END:VCALENDAR")
    return b"".join(fold(line) for line in lines)


def escape_text(value: str) -> str:
    """`value` as an RFC 5545 TEXT value: backslash, semicolon and comma escaped, line breaks as \\n."""
    value = value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    value = _LINE_BREAK.sub("\\\\n", value)
    return _CONTROL.sub("", value)


def fold(line: str) -> bytes:
    """One content line as UTF-8 with CRLF, folded so no physical line exceeds 75 octets.

    A continuation line starts with a space, which counts towards its 75 octets, and a
    line is never broken inside a multi-byte character.
    """
    encoded = line.encode("utf-8")
    if len(encoded) <= MAX_LINE_OCTETS:
        return encoded + b"\r\n"
    parts: list[bytes] = []
    start, limit = 0, MAX_LINE_OCTETS
    while len(encoded) - start > limit:
        end = start + limit
        while encoded[end] & 0xC0 == 0x80:  # a UTF-8 continuation byte: back up to the character's start
            end -= 1
        parts.append(encoded[start:end])
        start, limit = end, MAX_LINE_OCTETS - 1
    parts.append(encoded[start:])
    return b"\r\n ".join(parts) + b"\r\n"


def _vevent(event: CalendarEvent, dtstamp: str) -> list[str]:
    # A language tag (RFC 5646) is letters, digits and hyphens; anything else is left out, not escaped.
    language = f";LANGUAGE={event.language}" if _LANGUAGE_TAG.fullmatch(event.language) else ""
    try:
        next_day = event.day + timedelta(days=1)
    except OverflowError:
        raise ValueError(f"the event {event.uid!r} is on the last day a calendar can hold") from None
    lines = [
        "BEGIN:VEVENT",
        f"UID:{escape_text(event.uid)}",
        f"DTSTAMP:{dtstamp}",
        f"DTSTART;VALUE=DATE:{_date_value(event.day)}",
        f"DTEND;VALUE=DATE:{_date_value(next_day)}",
        f"SUMMARY{language}:{escape_text(event.summary)}",
    ]
    if event.description:
        lines.append(f"DESCRIPTION{language}:{escape_text(event.description)}")
    if event.url:
        if _URL_FORBIDDEN.search(event.url):
            raise ValueError(f"the event {event.uid!r} has a URL with characters a URI cannot hold: {event.url!r}")
        lines.append(f"URL:{event.url}")  # a URI value, not TEXT: never escaped
    if event.category:
        lines.append(f"CATEGORIES:{escape_text(event.category)}")
    lines.append("END:VEVENT")
    return lines


def _date_value(day: date) -> str:
    # strftime("%Y") does not zero-pad years before 1000 on every platform.
    return f"{day.year:04d}{day.month:02d}{day.day:02d}"
