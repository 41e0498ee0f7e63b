"""The iCalendar feed, read back with the icalendar package as a calendar client would."""
from __future__ import annotations

import re
from datetime import date, datetime, timedelta, timezone

import icalendar
import pytest
from hypothesis import given
from hypothesis import strategies as st

from authoring.calendar_feed import CalendarEvent, escape_text, fold, ical

STAMP = datetime(2027, 1, 1, 9, 30, 15, 123456, tzinfo=timezone.utc)
SUMMARIES = [
    "סקירה רבעונית, שלב א; הסכם\nשורה שנייה",
    "Ежеквартальный обзор, этап 1; договор\nвторая строка",
    "Przegląd kwartalny, etap 1; umowa\r\ndruga linia \\ ukośnik",
]


def events():
    return [
        CalendarEvent("review-2@agreements.example", date(2027, 4, 1), SUMMARIES[0],
                      description="Długi opis, " * 20, url="https://agreements.example/a/7/reviews?at=2027-04-01",
                      category="Review"),
        CalendarEvent("review-1@agreements.example", date(2027, 1, 31), SUMMARIES[1]),
        CalendarEvent("milestone-1@agreements.example", date(2027, 2, 15), SUMMARIES[2], category="Milestone, onboarding"),
    ]


def parse(raw: bytes) -> icalendar.Calendar:
    return icalendar.Calendar.from_ical(raw)


def by_uid(raw: bytes) -> dict[str, icalendar.Event]:
    return {str(event["UID"]): event for event in parse(raw).walk("VEVENT")}


def test_calendar_properties():
    raw = ical(events(), name="Umowa: ACME; Łódź, Polska", stamp=STAMP)
    calendar = parse(raw)
    assert str(calendar["VERSION"]) == "2.0"
    assert str(calendar["CALSCALE"]) == "GREGORIAN"
    assert str(calendar["PRODID"]).startswith("-//")
    # X-WR-CALNAME is non-standard, so TEXT by default (RFC 5545 3.8.8.2); icalendar leaves it unparsed.
    assert "X-WR-CALNAME:Umowa: ACME\\; Łódź\\, Polska\r\n".encode() in raw
    assert "X-WR-CALNAME" in calendar


def test_events_are_all_day_with_the_stamp():
    found = by_uid(ical(events(), name="Agreement", stamp=STAMP))
    assert sorted(found) == ["milestone-1@agreements.example", "review-1@agreements.example",
                             "review-2@agreements.example"]
    review = found["review-1@agreements.example"]
    assert review["DTSTART"].dt == date(2027, 1, 31) and type(review["DTSTART"].dt) is date
    assert review["DTEND"].dt == date(2027, 2, 1)
    assert review["DTSTAMP"].dt == datetime(2027, 1, 1, 9, 30, 15, tzinfo=timezone.utc)
    assert found["review-2@agreements.example"]["DTEND"].dt == date(2027, 4, 2)


def test_stamp_in_another_zone_is_written_in_utc():
    warsaw_summer = timezone(timedelta(hours=2))
    raw = ical(events(), name="A", stamp=datetime(2027, 7, 1, 1, 0, tzinfo=warsaw_summer))
    assert b"DTSTAMP:20270630T230000Z\r\n" in raw


def test_naive_stamp_is_refused():
    with pytest.raises(ValueError, match="timezone-aware"):
        ical(events(), name="A", stamp=datetime(2027, 1, 1))


def test_text_round_trips_in_hebrew_russian_and_polish():
    found = by_uid(ical(events(), name="A", stamp=STAMP))
    assert str(found["review-2@agreements.example"]["SUMMARY"]) == SUMMARIES[0]
    assert str(found["review-1@agreements.example"]["SUMMARY"]) == SUMMARIES[1]
    assert str(found["milestone-1@agreements.example"]["SUMMARY"]) == SUMMARIES[2].replace("\r\n", "\n")
    assert str(found["review-2@agreements.example"]["DESCRIPTION"]) == "Długi opis, " * 20


def test_optional_properties_only_when_given():
    found = by_uid(ical(events(), name="A", stamp=STAMP))
    full, bare = found["review-2@agreements.example"], found["review-1@agreements.example"]
    assert str(full["URL"]) == "https://agreements.example/a/7/reviews?at=2027-04-01"
    assert [str(c) for c in full["CATEGORIES"].cats] == ["Review"]
    assert [str(c) for c in found["milestone-1@agreements.example"]["CATEGORIES"].cats] == ["Milestone, onboarding"]
    assert all(name not in bare for name in ("DESCRIPTION", "URL", "CATEGORIES"))


def test_escaping():
    assert escape_text("a\\b;c,d\ne\r\nf\rg") == "a\\\\b\\;c\\,d\\ne\\nf\\ng"
    assert escape_text("bell\x07 tab\t") == "bell tab\t"


def test_crlf_line_endings_and_folding_at_75_octets():
    raw = ical(events(), name="Kalendarz " * 20, stamp=STAMP)
    assert raw.endswith(b"END:VCALENDAR\r\n")
    assert b"\n" not in raw.replace(b"\r\n", b"")
    assert b"\r" not in raw.replace(b"\r\n", b"")
    physical = raw.split(b"\r\n")[:-1]
    assert max(len(line) for line in physical) == 75
    assert any(line.startswith(b" ") for line in physical)
    for line in physical:
        line.decode("utf-8")  # no line ends inside a multi-byte character


def test_fold_never_splits_a_character():
    for char in ("a", "ł", "€", "𝄞"):  # 1, 2, 3 and 4 octets
        line = "SUMMARY:" + char * 100
        folded = fold(line)
        physical = folded.split(b"\r\n")[:-1]
        assert all(len(p) <= 75 for p in physical)
        assert [p.decode("utf-8") for p in physical]
        assert b"".join(p[1:] if i else p for i, p in enumerate(physical)).decode() == line
    assert fold("X:" + "a" * 73) == b"X:" + b"a" * 73 + b"\r\n"
    assert fold("X:" + "a" * 74) == b"X:" + b"a" * 73 + b"\r\n a\r\n"


def test_deterministic_whatever_the_order():
    first = ical(events(), name="A", stamp=STAMP)
    assert ical(list(reversed(events())), name="A", stamp=STAMP) == first
    assert ical(iter(events()), name="A", stamp=STAMP) == first


def test_empty_calendar_is_valid():
    calendar = parse(ical([], name="A", stamp=STAMP))
    assert calendar.walk("VEVENT") == []


def test_repeated_or_empty_uid_is_refused():
    with pytest.raises(ValueError, match="'x'"):
        ical([CalendarEvent("x", date(2027, 1, 1), "a"), CalendarEvent("x", date(2027, 2, 1), "b")], name="A", stamp=STAMP)
    with pytest.raises(ValueError, match="no uid"):
        ical([CalendarEvent(" ", date(2027, 1, 1), "a")], name="A", stamp=STAMP)


def test_url_with_a_line_break_is_refused():
    with pytest.raises(ValueError, match="URL"):
        ical([CalendarEvent("x", date(2027, 1, 1), "a", url="https://x.example/\r\nX-EVIL:1")], name="A", stamp=STAMP)


def test_early_years_are_zero_padded():
    raw = ical([CalendarEvent("x", date(999, 1, 1), "a")], name="A", stamp=STAMP)
    assert b"DTSTART;VALUE=DATE:09990101\r\n" in raw


@given(summary=st.text(max_size=200), description=st.text(max_size=200), day=st.dates(max_value=date(9999, 12, 30)))
def test_property_any_text_round_trips_and_lines_stay_short(summary, description, day):
    raw = ical([CalendarEvent("uid-1", day, summary, description)], name=summary, stamp=STAMP)
    assert all(len(line) <= 75 for line in raw.split(b"\r\n"))
    [event] = parse(raw).walk("VEVENT")
    # Line breaks come back as LF; control characters iCalendar cannot carry are dropped.
    expected = re.sub(r"[\x00-\x08\x0b-\x1f\x7f]", "", re.sub(r"\r\n|\r", "\n", summary))
    assert str(event["SUMMARY"]) == expected
    assert event["DTSTART"].dt == day
