"""Reminders, run daily by cron (`flask --app app remind`): what falls due, to whom, once.

For every agreement in force (executed, also while an amendment is negotiated): a review due within 14 days, the renewal window once it
opens, a milestone due within 7 days, and a milestone overdue. Each reminder goes to the
members who act on it - owners and editors of both sides - and is recorded in
`reminders_sent` under its subject ("review:2027-04-01"), so a second run (the same day
or any later one) never sends the same reminder to the same person again. The run also
marks agreements past their end date, and not renewed, as expired.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import func, select

from ..audit import record
from ..document.terms import term_date, term_value
from ..extensions import db
from ..models import Agreement, ReminderSent
from ..notifications import queue_email, recipients
from ..revisions.services import executed_document
from .services import ENDED_STATUSES

REVIEW_NOTICE = timedelta(days=14)
MILESTONE_NOTICE = timedelta(days=7)
ACTING_ROLES = ("owner", "editor")
_REMIND_LOCK = 0x72656D64  # "remd"


@dataclass(frozen=True)
class Due:
    subject: str  # unique per agreement and thing: the idempotency key
    title: str
    body: str
    path: str = ""


def due_items(agreement: Agreement, terms: dict, today: date) -> list[Due]:
    """What this agreement has falling due on `today`."""
    items = []
    review = agreement.next_review_on
    if review is not None and today <= review <= today + REVIEW_NOTICE:
        items.append(Due(f"review:{review.isoformat()}", f"Review of “{agreement.title}” due on {review.isoformat()}",
                         f"The periodic review is due on {review.isoformat()}. Agree a date with the other side and "
                         f"record the review when it is held.", "/reviews"))
    opens, end = agreement.renewal_opens_on, agreement.ends_on
    if opens is not None and end is not None and opens <= today <= end:
        items.append(Due(f"renewal:{opens.isoformat()}", f"Renewal window open for “{agreement.title}”",
                         f"The agreement ends on {end.isoformat()}; its renewal window opened on {opens.isoformat()}. "
                         f"Decide whether to renew it."))
    for milestone in term_value(terms, "timeline.milestones") or []:
        due = term_date({"m": milestone}, "m.due_date")
        name = str(milestone.get("name") or "").strip() or "a milestone"
        if due is None:
            continue
        if today <= due <= today + MILESTONE_NOTICE:
            items.append(Due(f"milestone:{name}:{due.isoformat()}", f"Milestone “{name}” due on {due.isoformat()}",
                             f"The milestone “{name}” of “{agreement.title}” is due on {due.isoformat()}."))
        elif due < today:
            items.append(Due(f"milestone-overdue:{name}:{due.isoformat()}", f"Milestone “{name}” is overdue",
                             f"The milestone “{name}” of “{agreement.title}” was due on {due.isoformat()}."))
    return items


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
        people = recipients(agreement, roles=ACTING_ROLES)
        for item in due_items(agreement, terms, today):
            fresh = [person for person in people if (item.subject, person.id) not in sent]
            if not fresh:
                continue
            for person in fresh:
                db.session.add(ReminderSent(agreement_id=agreement.id, subject=item.subject, user_id=person.id,
                                            run_on=today))
            queue_email(agreement, fresh, "reminder", item.title, item.body, path=item.path)
            queued += len(fresh)
    db.session.commit()
    return queued
