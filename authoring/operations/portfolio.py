"""A person's portfolio: service figures across every executed agreement they are a member of.

Per agreement and calendar month (the last six that have ended): the SLA hit rate (incidents that
met their service level, of those decided in the month), the credits due, and the scheduled reviews
of the month still not held; per month, the hit rate over all the person's agreements. Each side
sees its own agreements: only memberships count, so a person never sees another organisation's.

Renewal readiness: 30 days before an agreement's end, or before its renewal notice deadline when
that comes first, the agreement needs its evidence in order - every review due so far held, and a
service report for every month of the term so far (a month with no incident imported is listed as
missing: nothing says whether it was quiet or not reported).

Cost: a constant number of statements whatever the number of agreements (memberships, amendments,
revision terms, incidents, reviews), then plain Python (operations.report) per agreement and month.
The figures are those of the service page: each month is measured under the terms in force at its
start, at the month's end.
"""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import and_, or_, select

from ..document.terms import term_date, term_value
from ..extensions import db
from ..models import Agreement, Amendment, Dispute, Incident, Membership, Review, Revision
from ..reviews.schedule import CADENCE_MONTHS, add_months, review_dates
from ..revisions.store import load_terms
from .clock import IncidentTimes
from .disputes import OPEN_STATUSES
from .periods import period_of, period_starting
from .report import service_report
from .services import incident_times
from .support_hours import support_hours_of

MONTHS_SHOWN = 6  # the page says "six months" in words
READINESS_LEAD = timedelta(days=30)
ENDED_STATUSES = ("terminated", "expired")
_MARGIN = timedelta(days=2)  # wider than any time zone's offset: months are cut per agreement later


@dataclass(frozen=True)
class MonthFigures:
    """One agreement in one month; `in_term` False for a month outside its term (nothing measured)."""

    first_day: date
    in_term: bool
    incidents: int = 0
    met: int = 0
    credit_amount: Decimal | None = None  # None: no credit computed (no monthly fee, or a quarter not ended)
    currency: str | None = None
    reviews_overdue: int = 0  # reviews scheduled in the month and not held by today
    disputes: int = 0  # lines of the month's service report the client disputed
    disputes_open: int = 0  # of those, not yet accepted or rejected

    @property
    def share_met(self) -> Decimal | None:
        """The hit rate as a fraction (0 to 1), None with no incidents decided in the month."""
        return Decimal(self.met) / Decimal(self.incidents) if self.incidents else None

    @property
    def dispute_rate(self) -> Decimal | None:
        """Disputed lines per incident decided in the month (0 to 1 and beyond), None with no incidents."""
        return Decimal(self.disputes) / Decimal(self.incidents) if self.incidents else None


@dataclass(frozen=True)
class AgreementFigures:
    agreement_id: int
    title: str
    counterparty: str
    side: str
    months: tuple[MonthFigures, ...]
    reviews_overdue: int  # every scheduled review before today not held
    unreadable: bool = False  # terms the clock cannot read (an unknown time zone): no figures


@dataclass(frozen=True)
class MonthTotal:
    first_day: date
    incidents: int
    met: int

    @property
    def share_met(self) -> Decimal | None:
        return Decimal(self.met) / Decimal(self.incidents) if self.incidents else None


@dataclass(frozen=True)
class Readiness:
    """An agreement nearing its end, and the evidence its renewal decision needs."""

    agreement_id: int
    title: str
    ends_on: date
    notice_deadline: date | None  # the last day to give notice of non-renewal, when the terms set one
    opens_on: date  # from when the checklist is shown
    reviews_due: tuple[date, ...]  # scheduled reviews up to today
    reviews_missing: tuple[date, ...]  # of those, not held
    months_missing: tuple[date, ...]  # months of the term so far with no incident imported (first days)
    months_expected: int
    disputes_open: tuple[int, ...] = ()  # numbers of the service-report disputes not yet closed

    @property
    def reviews_held(self) -> bool:
        return not self.reviews_missing

    @property
    def reports_complete(self) -> bool:
        return not self.months_missing

    @property
    def disputes_closed(self) -> bool:
        return not self.disputes_open

    @property
    def ready(self) -> bool:
        return self.reviews_held and self.reports_complete and self.disputes_closed


@dataclass(frozen=True)
class Portfolio:
    months: tuple[date, ...]  # first days, oldest first
    agreements: tuple[AgreementFigures, ...]
    totals: tuple[MonthTotal, ...]
    readiness: tuple[Readiness, ...]


# Dates -----------------------------------------------------------------------------------

def notice_deadline(terms: dict[str, Any], end: date) -> date | None:
    """The last day to give notice before `end`, from timeline.renewal_notice_days (None when not set)."""
    days = term_value(terms, "timeline.renewal_notice_days")
    if not isinstance(days, int) or isinstance(days, bool) or not 0 < days <= 3650:
        return None
    return end - timedelta(days=days)


def readiness_opens(terms: dict[str, Any], end: date) -> date:
    """30 days before the end date, or before the notice deadline when that comes first."""
    deadline = notice_deadline(terms, end)
    return min(end, deadline or end) - READINESS_LEAD


def shown_months(today: date, count: int = MONTHS_SHOWN) -> tuple[date, ...]:
    """The first days of the last `count` months that ended before `today`'s month, oldest first."""
    return tuple(add_months(date(today.year, today.month, 1), -k) for k in range(count, 0, -1))


def _month_of(day: date) -> date:
    return date(day.year, day.month, 1)


def _scheduled_reviews(terms: dict[str, Any]) -> list[date]:
    effective, end = term_date(terms, "timeline.effective_date"), term_date(terms, "timeline.end_date")
    cadence = term_value(terms, "change.review_cadence")
    if effective is None or cadence not in CADENCE_MONTHS:
        return []
    horizon = end or add_months(effective, 120)
    return list(review_dates(effective, cadence, horizon))


# Loading, in a constant number of statements ---------------------------------------------

@dataclass
class _Loaded:
    agreement: Agreement
    side: str
    versions: list[tuple[date | None, dict[str, Any]]]  # (takes effect, terms), the first applies before any
    incidents: list[IncidentTimes]
    reviews_held: set[date]
    disputes: list[tuple[int, str, str]] = field(default_factory=list)  # (number, period label, status)

    @property
    def terms(self) -> dict[str, Any]:
        """The terms executed most recently."""
        return self.versions[-1][1]

    def terms_on(self, day: date) -> dict[str, Any]:
        chosen = self.versions[0][1]
        for takes_effect, terms in self.versions[1:]:
            if takes_effect is not None and takes_effect <= day:
                chosen = terms
        return chosen


def _load(user_id: int, since: datetime | None, until: datetime | None) -> list[_Loaded]:
    """The user's executed agreements with their terms, reviews and the incidents that may fall in [since, until)."""
    rows = db.session.execute(
        select(Agreement, Membership.side).join(Membership, Membership.agreement_id == Agreement.id)
        .where(Membership.user_id == user_id, Agreement.executed_revision_id.is_not(None))
        .order_by(Agreement.title, Agreement.id)).all()
    if not rows:
        return []
    ids = select(Membership.agreement_id).where(Membership.user_id == user_id)
    amendments = db.session.execute(
        select(Amendment.agreement_id, Amendment.base_revision_id, Amendment.revision_id, Amendment.effective_on,
               Amendment.executed_at)
        .where(Amendment.agreement_id.in_(ids), Amendment.status == "executed").order_by(Amendment.number)).all()
    by_agreement: dict[int, list] = defaultdict(list)
    for row in amendments:
        by_agreement[row.agreement_id].append(row)
    wanted = {agreement.executed_revision_id for agreement, _side in rows}
    wanted |= {r.base_revision_id for r in amendments} | {r.revision_id for r in amendments}
    terms = load_terms(db.session.execute(select(Revision.id, Revision.tree).where(Revision.id.in_(wanted))).all())

    conditions = [Incident.agreement_id.in_(ids)]
    if until is not None:
        conditions.append(Incident.reported_at < until)
    if since is not None:
        conditions.append(or_(Incident.resolved_at.is_(None), Incident.resolved_at >= since))
    incidents: dict[int, list[IncidentTimes]] = defaultdict(list)
    for incident in db.session.scalars(select(Incident).where(and_(*conditions))):
        incidents[incident.agreement_id].append(incident_times(incident))
    disputes: dict[int, list[tuple[int, str, str]]] = defaultdict(list)
    for agreement_id, number, period, status in db.session.execute(
            select(Dispute.agreement_id, Dispute.number, Dispute.period, Dispute.status)
            .where(Dispute.agreement_id.in_(ids)).order_by(Dispute.number)):
        disputes[agreement_id].append((number, period, status))
    held: dict[int, set[date]] = defaultdict(set)
    for agreement_id, due_on in db.session.execute(
            select(Review.agreement_id, Review.due_on).where(Review.agreement_id.in_(ids))):
        if due_on is not None:
            held[agreement_id].add(due_on)

    loaded = []
    for agreement, side in rows:
        executed = by_agreement.get(agreement.id, [])
        # As operations.services.terms_in_force: the original (when signed here), then each amendment.
        versions: list[tuple[date | None, dict[str, Any]]] = []
        if executed and not agreement.executed_outside:
            versions.append((None, terms[executed[0].base_revision_id]))
        versions += [(a.effective_on or a.executed_at.date(), terms[a.revision_id]) for a in executed]
        if not versions:
            versions = [(None, terms[agreement.executed_revision_id])]
        loaded.append(_Loaded(agreement, side, versions, incidents.get(agreement.id, []), held.get(agreement.id, set()),
                              disputes.get(agreement.id, [])))
    return loaded


# Figures ----------------------------------------------------------------------------------

def _month_figures(item: _Loaded, first_day: date, now: datetime, today: date,
                   scheduled: list[date]) -> MonthFigures:
    agreement = item.agreement
    start, end = agreement.effective_on, agreement.ends_on
    last_day = add_months(first_day, 1) - timedelta(days=1)
    if (start is not None and last_day < start) or (end is not None and first_day > end):
        return MonthFigures(first_day, in_term=False)
    terms = item.terms_on(first_day)
    zone = support_hours_of(terms).time_zone
    report = service_report(terms, item.incidents, [], period_starting(first_day, 1, zone), now)
    window = (terms.get("services") or {}).get("measurement_window") or "monthly"
    credits, labels = report.credits, {report.period.label}
    if window != "monthly":
        # A quarter's credit is due once it has ended, and its report disputed: both shown in its last month.
        quarter = period_of(report.period.start, window, zone)
        credits = None
        if quarter.last_day == last_day:
            credits = service_report(terms, item.incidents, [], quarter, now).credits
            labels.add(quarter.label)
    overdue = sum(1 for day in scheduled if first_day <= day <= last_day and day < today and day not in item.reviews_held)
    disputed = [status for _number, period, status in item.disputes if period in labels]
    return MonthFigures(first_day, True, sum(f.incidents for f in report.priorities),
                        sum(f.met for f in report.priorities),
                        credits.amount if credits is not None else None,
                        credits.currency if credits is not None else None, overdue,
                        len(disputed), sum(status in OPEN_STATUSES for status in disputed))



def _readiness(item: _Loaded, today: date, incidents_reported: Iterable[datetime]) -> Readiness | None:
    agreement, terms = item.agreement, item.terms
    end = term_date(terms, "timeline.end_date")
    if end is None or agreement.status in ENDED_STATUSES or not readiness_opens(terms, end) <= today <= end:
        return None
    scheduled = [day for day in _scheduled_reviews(terms) if day <= today]
    start = term_date(terms, "timeline.effective_date")
    missing_months: list[date] = []
    expected = 0
    if start is not None:
        zone = support_hours_of(terms).time_zone
        reported = {_month_of(period_of(moment, "monthly", zone).first_day) for moment in incidents_reported}
        month, current = _month_of(start), _month_of(today)
        while month < current and month <= end:  # the months that have ended
            expected += 1
            if month not in reported:
                missing_months.append(month)
            month = add_months(month, 1)
    return Readiness(agreement.id, agreement.title, end, notice_deadline(terms, end), readiness_opens(terms, end),
                     tuple(scheduled), tuple(day for day in scheduled if day not in item.reviews_held),
                     tuple(missing_months), expected,
                     tuple(number for number, _period, status in item.disputes if status in OPEN_STATUSES))


def portfolio(user_id: int, now: datetime) -> Portfolio:
    """The portfolio of `user_id` as of `now` (UTC): figures of the last six months, renewal readiness."""
    today = now.date()
    months = shown_months(today)
    since = datetime.combine(months[0], datetime.min.time(), now.tzinfo) - _MARGIN
    until = datetime.combine(add_months(months[-1], 1), datetime.min.time(), now.tzinfo) + _MARGIN
    loaded = _load(user_id, since, until)
    figures, readiness = [], []
    totals = {month: [0, 0] for month in months}
    due_soon = []
    for item in loaded:
        agreement = item.agreement
        counterparty = agreement.organisation("client" if item.side == "provider" else "provider")
        try:
            scheduled = _scheduled_reviews(item.terms)
            rows = tuple(_month_figures(item, month, now, today, scheduled) for month in months)
        except ValueError:  # terms the clock cannot read: an unknown time zone or holiday country
            figures.append(AgreementFigures(agreement.id, agreement.title, counterparty, item.side, (), 0, True))
            continue
        for row in rows:
            totals[row.first_day][0] += row.incidents
            totals[row.first_day][1] += row.met
        overdue = sum(1 for day in scheduled if day < today and day not in item.reviews_held)
        figures.append(AgreementFigures(agreement.id, agreement.title, counterparty, item.side, rows, overdue))
        end = term_date(item.terms, "timeline.end_date")
        if end is not None and readiness_opens(item.terms, end) <= today <= end:
            due_soon.append(item)
    if due_soon:
        reported: dict[int, list[datetime]] = defaultdict(list)
        for agreement_id, moment in db.session.execute(select(Incident.agreement_id, Incident.reported_at).where(
                Incident.agreement_id.in_([item.agreement.id for item in due_soon]))):
            reported[agreement_id].append(moment)
        for item in due_soon:
            found = _readiness(item, today, reported.get(item.agreement.id, []))
            if found is not None:
                readiness.append(found)
    return Portfolio(months, tuple(figures), tuple(MonthTotal(m, *totals[m]) for m in months), tuple(readiness))


def readiness_of(agreement: Agreement, terms: dict[str, Any], today: date) -> Readiness | None:
    """One agreement's renewal readiness on `today` (None outside its readiness window); for `remind`."""
    end = term_date(terms, "timeline.end_date")
    if end is None or not readiness_opens(terms, end) <= today <= end:
        return None
    held = {day for day in db.session.scalars(select(Review.due_on).where(Review.agreement_id == agreement.id))
            if day is not None}
    reported = db.session.scalars(select(Incident.reported_at).where(Incident.agreement_id == agreement.id))
    disputes = [tuple(row) for row in db.session.execute(
        select(Dispute.number, Dispute.period, Dispute.status).where(Dispute.agreement_id == agreement.id))]
    return _readiness(_Loaded(agreement, "", [(None, terms)], [], held, disputes), today, reported)



def readiness_wording(found: Readiness) -> str:
    """The checklist as plain text in the current language (the reminder e-mail)."""
    from flask_babel import format_date
    from flask_babel import gettext as _
    from flask_babel import ngettext

    held = len(found.reviews_due) - len(found.reviews_missing)
    lines = [_("“%(title)s” ends on %(date)s. Before deciding on its renewal, check that the evidence is ready:",
               title=found.title, date=format_date(found.ends_on))]
    if found.notice_deadline is not None:
        lines.append(_("Notice deadline: %(date)s.", date=format_date(found.notice_deadline)))
    review_line = _("Reviews held: %(held)d of %(due)d.", held=held, due=len(found.reviews_due))
    if found.reviews_missing:
        review_line += " " + _("Not held: the reviews due on %(dates)s.",
                               dates=", ".join(format_date(day) for day in found.reviews_missing))
    lines.append(("[x] " if found.reviews_held else "[ ] ") + review_line)
    report_line = ngettext("Service reports complete: %(complete)d of %(num)d month.",
                           "Service reports complete: %(complete)d of %(num)d months.", found.months_expected,
                           complete=found.months_expected - len(found.months_missing))
    if found.months_missing:
        report_line += " " + _("No incidents imported for: %(months)s.",
                               months=", ".join(format_date(day, "LLL y") for day in found.months_missing))
    lines.append(("[x] " if found.reports_complete else "[ ] ") + report_line)
    lines.append(("[x] " if found.disputes_closed else "[ ] ") + disputes_line(found))
    return "\n".join(lines)


def disputes_line(found: Readiness) -> str:
    """The checklist's disputes item, in the current language (the page and the reminder e-mail)."""
    from flask_babel import gettext as _
    from flask_babel import ngettext

    if found.disputes_closed:
        return _("Service-report disputes: none open.")
    return ngettext("Service-report disputes: %(num)d open (%(numbers)s).",
                    "Service-report disputes: %(num)d open (%(numbers)s).", len(found.disputes_open),
                    numbers=", ".join(str(number) for number in found.disputes_open))
