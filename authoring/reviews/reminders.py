"""Reminders, run daily by cron (`flask --app app remind`): what falls due, to whom, once.

For every agreement in force (executed, also while an amendment is negotiated): a review due within 14 days, the renewal window once it
opens, a milestone due within 7 days, and a milestone overdue. Each reminder goes to the
members who act on it - owners and editors of both sides - and the renewal-readiness checklist
(operations.portfolio: 30 days before the end or the notice deadline) to the owners; each is recorded in
`reminders_sent` under its subject ("review:2027-04-01"), so a second run (the same day
or any later one) never sends the same reminder to the same person again. A review due and
an open renewal window are also webhook events ("review.due", "renewal.window_opened"), queued
once per endpoint. The run also marks agreements past their end date, and not renewed, as expired.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from ..audit import record
from ..document.terms import term_date, term_value
from ..extensions import db
from ..models import Agreement, ReminderSent
from ..notifications import recipients
from ..revisions.services import executed_document
from ..webhooks.events import queue_reminder_event
from .services import ENDED_STATUSES
from .wording import email_each

REVIEW_NOTICE = timedelta(days=14)
MILESTONE_NOTICE = timedelta(days=7)
ACTING_ROLES = ("owner", "editor")
_REMIND_LOCK = 0x72656D64  # "remd"


@dataclass(frozen=True)
class Due:
    subject: str  # unique per agreement and thing: the idempotency key
    # Lazy: each recipient reads the e-mail in their own language.
    title: str
    body: str
    path: str = ""
    webhook: tuple[str, dict] | None = None  # (event type, data) for the agreement's webhook endpoints
    roles: tuple[str, ...] = ACTING_ROLES  # who is told


def due_items(agreement: Agreement, terms: dict, today: date) -> list[Due]:
    """What this agreement has falling due on `today`."""
    items = []
    review = agreement.next_review_on
    if review is not None and today <= review <= today + REVIEW_NOTICE:
        items.append(Due(f"review:{review.isoformat()}",
                         _l("Review of “%(title)s” due on %(date)s", title=agreement.title, date=review.isoformat()),
                         _l("The periodic review is due on %(date)s. Agree a date with the other side and record the "
                            "review when it is held.", date=review.isoformat()), "/reviews",
                         ("review.due", {"due_on": review.isoformat()})))
    opens, end = agreement.renewal_opens_on, agreement.ends_on
    if opens is not None and end is not None and opens <= today <= end:
        items.append(Due(f"renewal:{opens.isoformat()}", _l("Renewal window open for “%(title)s”", title=agreement.title),
                         _l("The agreement ends on %(end)s; its renewal window opened on %(opens)s. Decide whether to "
                            "renew it.", end=end.isoformat(), opens=opens.isoformat()),
                         webhook=("renewal.window_opened", {"opens_on": opens.isoformat(), "ends_on": end.isoformat()})))
    for milestone in term_value(terms, "timeline.milestones") or []:
        due = term_date({"m": milestone}, "m.due_date")
        typed = str(milestone.get("name") or "").strip()
        key, name = typed or "a milestone", typed or _l("a milestone")
        if due is None:
            continue
        if today <= due <= today + MILESTONE_NOTICE:
            items.append(Due(f"milestone:{key}:{due.isoformat()}",
                             _l("Milestone “%(name)s” due on %(date)s", name=name, date=due.isoformat()),
                             _l("The milestone “%(name)s” of “%(title)s” is due on %(date)s.", name=name,
                                title=agreement.title, date=due.isoformat())))
        elif due < today:
            items.append(Due(f"milestone-overdue:{key}:{due.isoformat()}",
                             _l("Milestone “%(name)s” is overdue", name=name),
                             _l("The milestone “%(name)s” of “%(title)s” was due on %(date)s.", name=name,
                                title=agreement.title, date=due.isoformat())))
    items += _escalated_disputes(agreement, today)
    return items


def _escalated_disputes(agreement: Agreement, today: date) -> list[Due]:
    """A reminder for each open dispute of a service report that the escalation ladder has moved up a
    level by the end of `today`, naming the level's contacts (once per dispute and level)."""
    from ..operations.disputes import OPEN_STATUSES, disputes_of, escalation_of  # noqa: PLC0415 - operations imports reviews

    moment = datetime.combine(today + timedelta(days=1), time(0), tzinfo=timezone.utc)
    items = []
    for dispute in disputes_of(agreement):
        if dispute.status not in OPEN_STATUSES:
            continue
        level = escalation_of(agreement, dispute, moment).level
        if level is None or level.index == 0:
            continue
        items.append(Due(f"dispute:{dispute.number}:level:{level.index}",
                         _l("Dispute %(number)s of “%(title)s” escalated to %(level)s", number=dispute.number,
                            title=agreement.title, level=level.name),
                         _l("The dispute of the service report for %(period)s is still open and has reached the "
                            "escalation level %(level)s: the provider's %(provider)s and the client's %(client)s "
                            "now handle it.", period=dispute.period, level=level.name,
                            provider=level.provider_contact or "—", client=level.client_contact or "—"),
                         f"/service/disputes/{dispute.number}"))
    return items


class _Composed:
    """Text written when read (str()), so each recipient gets it in their own language."""

    def __init__(self, write):
        self.write = write

    def __str__(self) -> str:
        return self.write()


def renewal_readiness_item(agreement: Agreement, terms: dict, today: date) -> Due | None:
    """The renewal-readiness checklist, for the owners, once the agreement is 30 days from its end or notice deadline."""
    from ..operations.portfolio import readiness_of, readiness_wording

    found = readiness_of(agreement, terms, today)
    if found is None:
        return None
    return Due(f"renewal-readiness:{found.ends_on.isoformat()}",
               _l("Renewal readiness for “%(title)s”", title=agreement.title),
               _Composed(lambda: readiness_wording(found)), "/service", roles=("owner",))


def _renewed(agreement: Agreement) -> bool:
    return db.session.scalar(select(Agreement.id).where(Agreement.predecessor_id == agreement.id,
                                                        Agreement.status == "executed").limit(1)) is not None


def remind(today: date) -> int:
    """Queue every reminder due on `today` that was not sent before; returns how many were queued."""
    queued = 0
    if db.engine.dialect.name == "postgresql":
        # Two runs at once would both send and then collide on reminders_sent: one runs at a time.
        db.session.execute(select(func.pg_advisory_xact_lock(_REMIND_LOCK)))
    agreements = db.session.scalars(select(Agreement).where(
        Agreement.executed_revision_id.is_not(None), Agreement.status.not_in(ENDED_STATUSES)).order_by(Agreement.id)).all()
    for agreement in agreements:
        if (agreement.status == "executed" and agreement.ends_on is not None and agreement.ends_on < today
                and not _renewed(agreement)):
            agreement.status = "expired"
            record("agreement.expired", agreement=agreement, ended_on=agreement.ends_on.isoformat())
            continue
        terms = executed_document(agreement).terms
        sent = {(row.subject, row.user_id) for row in db.session.scalars(
            select(ReminderSent).where(ReminderSent.agreement_id == agreement.id))}
        items = due_items(agreement, terms, today)
        readiness = renewal_readiness_item(agreement, terms, today)
        if readiness is not None:
            items.append(readiness)
        for item in items:
            people = recipients(agreement, roles=item.roles)
            if item.webhook is not None:
                queue_reminder_event(agreement, *item.webhook, subject=item.subject)
            fresh = [person for person in people if (item.subject, person.id) not in sent]
            if not fresh:
                continue
            for person in fresh:
                db.session.add(ReminderSent(agreement_id=agreement.id, subject=item.subject, user_id=person.id,
                                            run_on=today))
            email_each(agreement, fresh, "reminder", lambda item=item: (str(item.title), str(item.body)), path=item.path)
            queued += len(fresh)
    db.session.commit()
    return queued
