"""Two months of service for the demo's executed agreement: incidents and outages, imported as a provider would.

The month before last went well (no credit); last month P1 and P2 fell below their thresholds, so a
credit of 5 % + 3 % of the monthly fee is due, and an unplanned outage took availability below its
target. The times are chosen so the outcome is the same whether the support hours are read as
around the clock or as office hours on working days: every incident that is met is reported at 10:00
on a working day and dealt with by 16:00 the same day; every miss is a miss on either calendar.
"""
from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from ..models import Agreement, User
from .clock import holidays_of
from .periods import Period, period_of, previous
from .services import import_sla_file

ZONE = "Europe/Warsaw"
COUNTRY = "PL"


def _working_days(period: Period) -> list[date]:
    day, days = period.first_day, []
    while day <= period.last_day:
        if day.weekday() < 5 and day not in holidays_of(COUNTRY, day.year):
            days.append(day)
        day += timedelta(days=1)
    return days


def _at(day: date, hour: int, minute: int = 0, later: timedelta = timedelta(0)) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=ZoneInfo(ZONE)) + later


def _iso(moment: datetime | None) -> str:
    return moment.isoformat(timespec="minutes") if moment is not None else ""


def _incident(rows: list[str], reference: str, priority: str, reported: datetime, respond: timedelta | None,
              resolve: timedelta | None, excluded: str = "") -> None:
    responded = reported + respond if respond is not None else None
    resolved = reported + resolve if resolve is not None else None
    rows.append(",".join((reference, priority, _iso(reported), _iso(responded), _iso(resolved), excluded)))


def demo_service_history(agreement: Agreement, user: User, now: datetime) -> None:
    """Import two months of incidents and outages for `agreement` (the last two that have ended by `now`)."""
    last = previous(period_of(now, "monthly", ZONE))
    before = previous(last)
    minutes = timedelta(minutes=1)
    hours = timedelta(hours=1)
    rows = ["reference,priority,reported_at,responded_at,resolved_at,excluded"]

    # The month before last: everything met; one incident excluded (the client's own change).
    days = _working_days(before)
    number = 100
    for priority, count, respond, resolve in (("P1", 3, 15 * minutes, 2 * hours), ("P2", 4, 30 * minutes, 3 * hours),
                                              ("P3", 2, 1 * hours, 5 * hours), ("P4", 1, 2 * hours, 6 * hours)):
        for index in range(count):
            number += 1
            _incident(rows, f"INC-{number}", priority, _at(days[(number * 3) % len(days)], 10), respond, resolve)
    number += 1
    _incident(rows, f"INC-{number}", "P2", _at(days[-5], 10), 3 * hours, 30 * hours,
              "Client changed its firewall without notice (exclusion b)")

    # Last month: one P1 fixed after 6 h (4 allowed), one P2 answered after 2 h (1 allowed), and a P4 request
    # left unresolved long past its time.
    days = _working_days(last)
    number = 200
    for priority, count, respond, resolve in (("P1", 4, 15 * minutes, 2 * hours), ("P2", 5, 30 * minutes, 3 * hours),
                                              ("P3", 3, 1 * hours, 5 * hours)):
        for index in range(count):
            number += 1
            missed = index == count - 1 and priority in ("P1", "P2")
            _incident(rows, f"INC-{number}", priority, _at(days[(number * 5) % (len(days) - 1)], 10),
                      2 * hours if missed and priority == "P2" else respond,
                      6 * hours if missed and priority == "P1" else resolve)
    _incident(rows, "INC-220", "P4", _at(days[0], 11), 1 * hours, None)
    # Reported at 20:00 on the month's last day and fixed at 09:00 on the next one (once that has come):
    # open at the end of the month, met in the next, on either reading of the support hours.
    reported = _at(last.last_day, 20)
    fixed = _at(last.last_day + timedelta(days=1), 9)
    _incident(rows, "INC-221", "P3", reported, 20 * minutes, fixed - reported if fixed + hours <= now else None)
    import_sla_file(agreement, user, ("\n".join(rows) + "\n").encode(), "service-desk-export.csv", now=now)

    # Outages: notified maintenance on a Saturday night (left out of availability), 20 minutes down the month
    # before last; last month 20 minutes and then five hours down, below the 99.5 % target.
    saturday = next(day for day in (before.first_day + timedelta(days=i) for i in range(7)) if day.weekday() == 5)
    quiet = _working_days(before)[2]
    outages = ["started_at,ended_at,planned",
               f"{_iso(_at(saturday, 22))},{_iso(_at(saturday, 23, 30))},yes",
               f"{_iso(_at(quiet, 13))},{_iso(_at(quiet, 13, 20))},no",
               f"{_iso(_at(days[1], 14))},{_iso(_at(days[1], 14, 20))},no",
               f"{_iso(_at(days[3], 9))},{_iso(_at(days[3], 14))},no"]
    import_sla_file(agreement, user, ("\n".join(outages) + "\n").encode(), "monitoring-outages.csv", now=now)



def demo_dispute(agreement: Agreement, client: User, client_membership, provider: User, provider_membership,
                 now: datetime) -> None:
    """The client disputes last month's P2 figure (the month with a credit); the provider has answered, and the
    dispute is still open, so the escalation ladder shows where it stands."""
    from .disputes import answer_dispute, open_dispute  # noqa: PLC0415
    from .services import report_for  # noqa: PLC0415

    last = previous(period_of(now, "monthly", ZONE))
    report = report_for(agreement, last, now)
    dispute = open_dispute(agreement, client, client_membership, report, "priority", "P2",
                           "INC-209 was answered by telephone within the hour; the service desk logged the call "
                           "late. P2 met 5 of 5, so no P2 credit — but the P1 credit stands.",
                           now=now - timedelta(hours=30))
    answer_dispute(agreement, provider, provider_membership, dispute,
                   "We are checking the telephone records for INC-209 and will answer by the end of the week.",
                   now=now - timedelta(hours=29))
