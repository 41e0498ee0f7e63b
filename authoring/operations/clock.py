"""The SLA clock: how long an incident took, counted on the agreement's support-hours calendar.

Pure Python, no Flask, no database. Times are aware datetimes; the clock counts real elapsed
time (so an hour that a change to summer time removes from the night is not counted, and the
hour the change back repeats is counted twice), and only while support is open:

* on the support days, from `opens` to `closes` in the agreement's IANA time zone;
* not on the public holidays of the agreement's country (the `holidays` package);
* all the time for the highest priority (the first row of the Service Levels table) when the
  agreement says that priority runs around the clock, and for every priority when support is
  around the clock anyway;
* never during a pause (when the provider waited for the client), whatever the calendar says.

An opening or closing time that does not exist on a day the clocks go forward (02:30 in
Europe/Warsaw on the last Sunday of March) is read as the instant it would have been before the
change, i.e. 03:30 summer time; one that happens twice when they go back is the first of the two.

An incident **meets its service level** when it was responded to within its priority's
response time *and* resolved within its resolution time, both counted from when it was
reported. Resolving an incident also answers it: one resolved without a recorded response
counts as responded to when it was resolved.

Which measurement period an incident counts in, and what "still open" means (`measure`):

* an incident counts in the period in which its outcome became certain - **met**: the period it
  was resolved in; **missed**: the period in which its clock first ran past a time it had not
  met (the response time while it had no response, or the resolution time while unresolved),
  even if it was resolved later;
* measured at a moment (a period's end, or now for the current period), an incident still
  open whose clock has already run past its response or resolution time is **missed** then
  and there; one still within both times is **open**: it counts in no period yet, is listed as
  open in the period's report, and will count in the period it is resolved in (met) or in the
  period its clock runs out (missed);
* so an incident counts in exactly one period, and a period's figures no longer change once the
  period has ended (unless the data are corrected by a new import).

Excluded incidents are measured the same way, so a report can show what they would have been,
but they count in no figure.
"""
from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, timezone
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from typing import Any
from zoneinfo import ZoneInfo

import holidays as public_holidays

from .periods import zone_named
from .support_hours import DAYS, SupportHours

Interval = tuple[datetime, datetime]

# A clock with time left to run passes its limit within this many days: even a calendar open one day
# a week, after a year of holidays, is open again long before. Beyond it, the limit is "never".
SEARCH_DAYS = 800

MET, MISSED, OPEN = "met", "missed", "open"


def zone_of(hours: SupportHours) -> ZoneInfo:
    """The calendar's time zone; ValueError for a name the IANA database does not know."""
    return zone_named(hours.time_zone)


@lru_cache(maxsize=256)
def holidays_of(country: str, year: int) -> frozenset[date]:
    """The public holidays of `country` (ISO 3166) in `year`; ValueError for a country the package lacks."""
    try:
        return frozenset(public_holidays.country_holidays(country, years=year))
    except NotImplementedError as error:
        raise ValueError(f"no public holidays are known for the country {country!r}") from error


def is_support_day(hours: SupportHours, day: date) -> bool:
    """True when support opens on the local date `day` (a support day that is not a public holiday)."""
    if DAYS[day.weekday()] not in hours.days:
        return False
    return not (hours.holidays and day in holidays_of(hours.holidays, day.year))


def _instant(day: date, clock_time: time, zone: ZoneInfo) -> datetime:
    # fold=0: a wall time in a spring-forward gap is read with the offset before the change.
    return datetime.combine(day, clock_time, tzinfo=zone).astimezone(timezone.utc)


def _openings(hours: SupportHours, start: datetime, until: datetime, around_the_clock: bool) -> Iterator[Interval]:
    """The times support is open between `start` and `until`, in order, clipped to them (UTC)."""
    if start >= until:
        return
    if around_the_clock or hours.around_the_clock:
        yield start.astimezone(timezone.utc), until.astimezone(timezone.utc)
        return
    zone = zone_of(hours)
    # From the local day before: a day's opening may run past midnight only when it closes at 24:00,
    # but starting a day early costs nothing and needs no reasoning about offsets.
    day = start.astimezone(zone).date() - timedelta(days=1)
    last = until.astimezone(zone).date()
    while day <= last:
        if is_support_day(hours, day):
            opens = _instant(day, hours.opens, zone)
            closes = _instant(day + timedelta(days=1), time(0), zone) if hours.closes == time(0) \
                else _instant(day, hours.closes, zone)
            begin, end = max(opens, start), min(closes, until)
            if begin < end:
                yield begin, end
        day += timedelta(days=1)


def merge(intervals: Iterable[Interval]) -> list[Interval]:
    """Intervals sorted and joined where they overlap or touch (empty ones dropped)."""
    merged: list[Interval] = []
    for begin, end in sorted((b, e) for b, e in intervals if b < e):
        if merged and begin <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((begin, end))
    return merged


def _without(interval: Interval, pauses: Sequence[Interval]) -> Iterator[Interval]:
    """`interval` less the (merged, sorted) pauses."""
    begin, end = interval
    for pause_begin, pause_end in pauses:
        if pause_end <= begin:
            continue
        if pause_begin >= end:
            break
        if pause_begin > begin:
            yield begin, pause_begin
        begin = max(begin, pause_end)
        if begin >= end:
            return
    if begin < end:
        yield begin, end


def _running(hours: SupportHours, start: datetime, until: datetime, around_the_clock: bool,
             pauses: Iterable[Interval]) -> Iterator[Interval]:
    """The stretches between `start` and `until` during which the clock runs, in order."""
    merged = merge(pauses)
    for opening in _openings(hours, start, until, around_the_clock):
        yield from _without(opening, merged)


def business_time(hours: SupportHours, start: datetime, end: datetime, *, around_the_clock: bool = False,
                  pauses: Iterable[Interval] = ()) -> timedelta:
    """The time the clock ran from `start` to `end` (zero when `end` is not after `start`)."""
    return sum((b - a for a, b in _running(hours, start, end, around_the_clock, pauses)), timedelta(0))


def clock_passes(hours: SupportHours, start: datetime, limit: timedelta, *, around_the_clock: bool = False,
                 pauses: Iterable[Interval] = ()) -> datetime | None:
    """The instant after which the clock started at `start` has run longer than `limit`.

    At that instant it has run exactly `limit` and is running, so any later instant is late and this one
    is not: a limit reached at Friday's closing passes at Monday's opening. None: it never passes.
    """
    pauses = list(pauses)
    horizon = max([start, *(end for _begin, end in pauses)]) + timedelta(days=SEARCH_DAYS)
    used = timedelta(0)
    for begin, end in _running(hours, start, horizon, around_the_clock, pauses):
        if used + (end - begin) > limit:
            return begin + (limit - used)
        used += end - begin
    return None


# Incidents ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PriorityTarget:
    """A priority's promised times and whether its clock runs around the clock."""

    level: str
    response: timedelta
    resolution: timedelta
    around_the_clock: bool
    response_hours: Decimal
    resolution_hours: Decimal


def _hours(value: Any) -> Decimal | None:
    try:
        number = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        return None
    return number if number.is_finite() and number > 0 else None


def priority_targets(terms: dict[str, Any], hours: SupportHours) -> dict[str, PriorityTarget]:
    """Each priority level of the Service Levels table with both its times (rows lacking one are left out).

    The first row is the highest priority: it runs around the clock when the support hours say so.
    """
    rows = ((terms.get("services") or {}).get("priorities")) or []
    targets: dict[str, PriorityTarget] = {}
    for index, row in enumerate(rows):
        if not isinstance(row, dict):
            continue
        level = str(row.get("level") or "").strip()
        response, resolution = _hours(row.get("response_hours")), _hours(row.get("resolution_hours"))
        if not level or response is None or resolution is None or level in targets:
            continue
        targets[level] = PriorityTarget(
            level, _duration(response), _duration(resolution),
            hours.around_the_clock or (index == 0 and hours.highest_priority_around_the_clock), response, resolution)
    return targets


def _duration(hours: Decimal) -> timedelta:
    return timedelta(microseconds=int(hours * 3_600_000_000))


@dataclass(frozen=True)
class IncidentTimes:
    """An incident as the provider's service desk recorded it (aware datetimes)."""

    reference: str
    priority: str
    reported_at: datetime
    responded_at: datetime | None = None
    resolved_at: datetime | None = None
    pauses: tuple[Interval, ...] = ()
    excluded: str | None = None  # the reason it does not count, when it does not


@dataclass(frozen=True)
class IncidentResult:
    """How an incident did, measured at `as_of`.

    `status` is met, missed or open; `decided_at` is when that became certain (None while open), which
    decides the measurement period it counts in. The times are what the clock ran until the response
    and the resolution (or until `as_of`, while there was none).
    """

    incident: IncidentTimes
    target: PriorityTarget
    status: str
    decided_at: datetime | None
    response_time: timedelta
    resolution_time: timedelta
    response_met: bool | None  # None: not known yet
    resolution_met: bool | None
    as_of: datetime = field(repr=False)

    @property
    def counted(self) -> bool:
        """True when the incident counts in the figures (it is decided and not excluded)."""
        return self.status != OPEN and not self.incident.excluded


def measure(incident: IncidentTimes, target: PriorityTarget, hours: SupportHours, as_of: datetime) -> IncidentResult:
    """The incident's result as known at `as_of` (what happened after it is not known yet); see the module."""
    def known(moment: datetime | None) -> datetime | None:
        return moment if moment is not None and moment <= as_of else None

    resolved = known(incident.resolved_at)
    responded = known(incident.responded_at) or resolved  # resolving also answers
    options = {"around_the_clock": target.around_the_clock, "pauses": incident.pauses}
    start = incident.reported_at
    misses: list[datetime] = []
    outcome: dict[str, bool | None] = {}
    for name, done, limit in (("response", responded, target.response), ("resolution", resolved, target.resolution)):
        passes = clock_passes(hours, start, limit, **options)
        if passes is None:  # cannot run out: met once done
            outcome[name] = True if done is not None else None
        elif done is not None:
            outcome[name] = done <= passes
            if done > passes:
                misses.append(passes)
        elif as_of > passes:
            outcome[name] = False
            misses.append(passes)
        else:
            outcome[name] = None
    if misses:
        status, decided = MISSED, min(misses)
    elif resolved is not None:
        status, decided = MET, resolved
    else:
        status, decided = OPEN, None
    return IncidentResult(
        incident, target, status, decided,
        business_time(hours, start, responded or as_of, **options),
        business_time(hours, start, resolved or as_of, **options),
        outcome["response"], outcome["resolution"], as_of)
