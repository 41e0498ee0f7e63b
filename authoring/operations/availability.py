"""Availability in a measurement period, from the outages the provider recorded.

The availability clause (every variant) measures "the minutes in the period during which the
Services were available, divided by the total number of minutes in the period, leaving out the
exclusions": so the whole period counts, around the clock - not only the support hours - and
planned maintenance that was notified as the exclusions clause requires (an outage imported
as planned) is left out of both: its minutes are neither downtime nor part of the period.

    availability = (period - planned - unplanned) / (period - planned)

where overlapping outages count once and an unplanned outage during planned maintenance counts
as maintenance. An outage still going on runs to the moment measured. For the current period
the period is measured up to now. The percentage is rounded down to three decimals for showing;
whether the target was met is decided on the exact figure.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import ROUND_DOWN, Decimal

from .clock import Interval, merge
from .periods import Period

SHOWN = Decimal("0.001")


@dataclass(frozen=True)
class OutageTimes:
    """An outage as recorded: when it started and ended (None: still going on), and whether it was planned."""

    started_at: datetime
    ended_at: datetime | None
    planned: bool


@dataclass(frozen=True)
class Availability:
    """A period's availability; `percent` and `met` are None when nothing of the period can be measured yet."""

    percent: Decimal | None
    target_percent: Decimal | None
    met: bool | None
    measured: timedelta  # the period (up to the moment measured) less planned maintenance
    planned: timedelta
    unplanned: timedelta
    outages: tuple[OutageTimes, ...]  # those that touch the period


def _length(intervals: Iterable[Interval]) -> timedelta:
    return sum((end - begin for begin, end in intervals), timedelta(0))


def _minus(intervals: list[Interval], removed: list[Interval]) -> list[Interval]:
    kept: list[Interval] = []
    for begin, end in intervals:
        for cut_begin, cut_end in removed:
            if cut_end <= begin or cut_begin >= end:
                continue
            if cut_begin > begin:
                kept.append((begin, cut_begin))
            begin = max(begin, cut_end)
            if begin >= end:
                break
        if begin < end:
            kept.append((begin, end))
    return kept


def _micro(span: timedelta) -> int:
    return span // timedelta(microseconds=1)


def availability(outages: Iterable[OutageTimes], period: Period, as_of: datetime,
                 target_percent: Decimal | None) -> Availability:
    """The availability of `period` as known at `as_of` (see the module docstring)."""
    end = min(period.end, as_of)
    touching = tuple(o for o in outages if o.started_at < end and (o.ended_at is None or o.ended_at > period.start))

    def clipped(planned: bool) -> list[Interval]:
        return merge((max(o.started_at, period.start), min(o.ended_at or end, end))
                     for o in touching if o.planned == planned)

    planned = clipped(True)
    unplanned = _minus(clipped(False), planned)
    whole = max(end - period.start, timedelta(0))
    measured = whole - _length(planned)
    down = _length(unplanned)
    if measured <= timedelta(0):
        return Availability(None, target_percent, None, measured, _length(planned), down, touching)
    up, total = _micro(measured - down), _micro(measured)
    percent = (Decimal(up) * 100 / Decimal(total)).quantize(SHOWN, rounding=ROUND_DOWN)
    met = None if target_percent is None else up * 100 >= target_percent * total
    return Availability(percent, target_percent, met, measured, _length(planned), down, touching)
