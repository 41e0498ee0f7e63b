"""The SLA clock, against answers worked out by hand on a calendar.

The calendar of these tests: Europe/Warsaw, Monday to Friday 08:00-18:00, closed on Polish
public holidays, the highest priority (P1) around the clock. In 2027 Poland changes to summer
time on Sunday 28 March (02:00 CET -> 03:00 CEST) and back on Sunday 31 October (03:00 CEST ->
02:00 CET); 29 March is Easter Monday and 11 November (a Thursday) Independence Day.
"""
from __future__ import annotations

from datetime import datetime, timedelta

from authoring.operations.clock import (
    MET, MISSED, OPEN, IncidentTimes, business_time, clock_passes, measure, priority_targets,
)
from authoring.operations.support_hours import support_hours_of

PRIORITIES = [
    {"level": "P1", "definition": "down", "response_hours": "0.5", "resolution_hours": "4"},
    {"level": "P2", "definition": "degraded", "response_hours": "1", "resolution_hours": "8"},
    {"level": "P3", "definition": "minor", "response_hours": "4", "resolution_hours": "24"},
]


def terms(**hours) -> dict:
    support = {"days": ["mon", "tue", "wed", "thu", "fri"], "opens": "08:00", "closes": "18:00", "holidays": "PL",
               "highest_priority_around_the_clock": True, **hours}
    return {"services": {"support_hours": support, "time_zone": "Europe/Warsaw", "priorities": PRIORITIES}}


def at(text: str) -> datetime:
    """An ISO 8601 instant with its offset, as the imported files write them."""
    moment = datetime.fromisoformat(text)
    assert moment.tzinfo is not None
    return moment


def hours(value: float) -> timedelta:
    return timedelta(hours=value)


BUSINESS = support_hours_of(terms())


def test_a_weekend_stops_the_clock():
    # Friday 16:00-18:00 (2 h), Saturday and Sunday closed, Monday 08:00-10:00 (2 h).
    assert business_time(BUSINESS, at("2027-03-05T16:00+01:00"), at("2027-03-08T10:00+01:00")) == hours(4)
    # Reported on a Saturday: the clock starts at Monday's opening, so 08:30 is half an hour in.
    assert business_time(BUSINESS, at("2027-03-06T10:00+01:00"), at("2027-03-08T08:30+01:00")) == hours(0.5)
    # Outside the hours on a working day: nothing runs between 18:00 and 08:00.
    assert business_time(BUSINESS, at("2027-03-01T19:00+01:00"), at("2027-03-02T07:59+01:00")) == timedelta(0)


def test_a_public_holiday_is_a_closed_day():
    # Wednesday 17:00-18:00 (1 h); Thursday 11 November closed; Friday 08:00-09:00 (1 h).
    assert business_time(BUSINESS, at("2027-11-10T17:00+01:00"), at("2027-11-12T09:00+01:00")) == hours(2)
    # The same two days without public holidays: 1 h + 10 h + 1 h.
    without = support_hours_of(terms(holidays=None))
    assert business_time(without, at("2027-11-10T17:00+01:00"), at("2027-11-12T09:00+01:00")) == hours(12)
    # 1 May 2026 is a Friday: Thursday 1 h, Friday (holiday) and the weekend closed, Monday 1 h.
    assert business_time(BUSINESS, at("2026-04-30T17:00+02:00"), at("2026-05-04T09:00+02:00")) == hours(2)
    # Easter Monday 2027 (29 March): Friday 26 March 17:00 -> Tuesday 30 March 09:00 is 1 h + 1 h.
    assert business_time(BUSINESS, at("2027-03-26T17:00+01:00"), at("2027-03-30T09:00+02:00")) == hours(2)


def test_daylight_saving_changes_count_real_hours():
    p1 = {"around_the_clock": True}
    # 23:00 CET on Saturday to 04:00 CEST on Sunday reads as five hours on the wall; one never happened.
    assert business_time(BUSINESS, at("2027-03-27T23:00+01:00"), at("2027-03-28T04:00+02:00"), **p1) == hours(4)
    # In October the hour from 02:00 to 03:00 happens twice: five hours on the wall, six elapsed.
    assert business_time(BUSINESS, at("2027-10-30T23:00+02:00"), at("2027-10-31T04:00+01:00"), **p1) == hours(6)


def test_daylight_saving_changes_inside_opening_hours():
    night = support_hours_of(terms(days=["mon", "tue", "wed", "thu", "fri", "sat", "sun"], opens="01:00",
                                   closes="05:00", holidays=None))
    # Open 01:00-05:00 every night: on 28 March that is 00:00-03:00 UTC (3 h), on 31 October 23:00-04:00 UTC (5 h).
    assert business_time(night, at("2027-03-28T00:00+01:00"), at("2027-03-28T12:00+02:00")) == hours(3)
    assert business_time(night, at("2027-10-31T00:00+02:00"), at("2027-10-31T12:00+01:00")) == hours(5)
    # An ordinary night in between: 4 h.
    assert business_time(night, at("2027-06-10T00:00+02:00"), at("2027-06-10T12:00+02:00")) == hours(4)
    # Opening at 02:30, a time 28 March does not have, reads as 03:30 summer time: 03:30-06:00 is 2.5 h.
    gap = support_hours_of(terms(days=["sun"], opens="02:30", closes="06:00", holidays=None))
    assert business_time(gap, at("2027-03-28T00:00+01:00"), at("2027-03-28T12:00+02:00")) == hours(2.5)


def test_pauses_stop_the_clock_only_where_it_was_running():
    reported, resolved = at("2027-03-01T09:00+01:00"), at("2027-03-01T15:00+01:00")
    assert business_time(BUSINESS, reported, resolved, pauses=[(at("2027-03-01T10:00+01:00"),
                                                                at("2027-03-01T12:00+01:00"))]) == hours(4)
    # Monday 09:00 -> Tuesday 12:00 is 9 h + 4 h; a pause from Monday 17:00 to Tuesday 09:00 takes away the
    # hours it covers while open (Monday 17-18, Tuesday 8-9), not the night.
    pause = [(at("2027-03-01T17:00+01:00"), at("2027-03-02T09:00+01:00"))]
    assert business_time(BUSINESS, reported, at("2027-03-02T12:00+01:00")) == hours(13)
    assert business_time(BUSINESS, reported, at("2027-03-02T12:00+01:00"), pauses=pause) == hours(11)
    # Overlapping pauses count once.
    twice = [(at("2027-03-01T10:00+01:00"), at("2027-03-01T12:00+01:00")),
             (at("2027-03-01T11:00+01:00"), at("2027-03-01T13:00+01:00"))]
    assert business_time(BUSINESS, reported, resolved, pauses=twice) == hours(3)


def test_the_highest_priority_runs_around_the_clock_when_the_agreement_says_so():
    targets = priority_targets(terms(), BUSINESS)
    assert [t.level for t in targets.values() if t.around_the_clock] == ["P1"]
    friday_night, saturday = at("2027-03-05T20:00+01:00"), at("2027-03-06T02:00+01:00")
    assert business_time(BUSINESS, friday_night, saturday, around_the_clock=targets["P1"].around_the_clock) == hours(6)
    assert business_time(BUSINESS, friday_night, saturday, around_the_clock=targets["P2"].around_the_clock) == hours(0)
    office = support_hours_of(terms(highest_priority_around_the_clock=False))
    assert not any(t.around_the_clock for t in priority_targets(terms(highest_priority_around_the_clock=False),
                                                                office).values())


def test_the_clock_passes_its_limit_at_the_next_opening():
    # 8 h from Friday 14:00: 4 h on Friday, 4 more from Monday 08:00.
    assert clock_passes(BUSINESS, at("2027-03-05T14:00+01:00"), hours(8)) == at("2027-03-08T12:00+01:00")
    # Exactly 8 h by Friday's closing: still within the time until the clock runs again on Monday.
    assert clock_passes(BUSINESS, at("2027-03-05T10:00+01:00"), hours(8)) == at("2027-03-08T08:00+01:00")
    # Around the clock, across the spring change: 4 h after 23:00 CET is 04:00 CEST.
    assert clock_passes(BUSINESS, at("2027-03-27T23:00+01:00"), hours(4), around_the_clock=True) \
        == at("2027-03-28T04:00+02:00")


TARGETS = priority_targets(terms(), BUSINESS)


def incident(priority="P2", reported="2027-03-01T09:00+01:00", responded=None, resolved=None, pauses=(), **extra):
    return IncidentTimes("INC-1", priority, at(reported), at(responded) if responded else None,
                         at(resolved) if resolved else None,
                         tuple((at(a), at(b)) for a, b in pauses), **extra)


END_OF_MARCH = at("2027-04-01T00:00+02:00")


def test_met_needs_both_the_response_and_the_resolution_in_time():
    met = measure(incident(responded="2027-03-01T09:30+01:00", resolved="2027-03-01T15:00+01:00"),
                  TARGETS["P2"], BUSINESS, END_OF_MARCH)
    assert (met.status, met.decided_at, met.response_time, met.resolution_time) == (
        MET, at("2027-03-01T15:00+01:00"), hours(0.5), hours(6))
    # Answered after 1.5 h (the time is 1 h), fixed within the day: missed, and certain at 10:00.
    late = measure(incident(responded="2027-03-01T10:30+01:00", resolved="2027-03-01T12:00+01:00"),
                   TARGETS["P2"], BUSINESS, END_OF_MARCH)
    assert (late.status, late.decided_at, late.response_met, late.resolution_met) == (
        MISSED, at("2027-03-01T10:00+01:00"), False, True)
    # Resolved without a recorded response: resolving answered it (at 09:45, within the hour).
    quick = measure(incident(resolved="2027-03-01T09:45+01:00"), TARGETS["P2"], BUSINESS, END_OF_MARCH)
    assert (quick.status, quick.response_met) == (MET, True)


def test_a_pause_can_keep_an_incident_within_its_time():
    # P2, 8 h to resolve: Monday 09:00 -> Tuesday 10:00 is 9 h + 2 h = 11 h, missed; waiting for the
    # client from Monday 12:00 to 16:00 takes 4 h off: 7 h, met.
    base = {"responded": "2027-03-01T09:10+01:00", "resolved": "2027-03-02T10:00+01:00"}
    assert measure(incident(**base), TARGETS["P2"], BUSINESS, END_OF_MARCH).status == MISSED
    paused = measure(incident(pauses=[("2027-03-01T12:00+01:00", "2027-03-01T16:00+01:00")], **base),
                     TARGETS["P2"], BUSINESS, END_OF_MARCH)
    assert (paused.status, paused.resolution_time) == (MET, hours(7))


def test_an_incident_open_at_the_end_of_the_period():
    # P3 (4 h / 24 h) reported Wednesday 31 March 16:00, answered 16:30, unresolved at midnight: 2 h of 24 used.
    p3 = incident("P3", "2027-03-31T16:00+02:00", "2027-03-31T16:30+02:00", "2027-04-01T12:00+02:00")
    at_end = measure(p3, TARGETS["P3"], BUSINESS, END_OF_MARCH)
    assert (at_end.status, at_end.decided_at, at_end.resolution_time, at_end.resolution_met) == (
        OPEN, None, hours(2), None)
    # Measured later it was met on 1 April: it counts in April.
    assert measure(p3, TARGETS["P3"], BUSINESS, at("2027-05-01T00:00+02:00")).decided_at == at("2027-04-01T12:00+02:00")
    # P2 reported Tuesday 30 March 09:00 and still open at midnight: its 8 h ran out at 17:00 that day.
    p2 = incident("P2", "2027-03-30T09:00+02:00", "2027-03-30T09:15+02:00")
    missed = measure(p2, TARGETS["P2"], BUSINESS, END_OF_MARCH)
    assert (missed.status, missed.decided_at, missed.resolution_time) == (
        MISSED, at("2027-03-30T17:00+02:00"), hours(9 + 10))  # Tuesday 09-18 and Wednesday 08-18 so far
