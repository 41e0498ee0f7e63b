"""The feed's token (shown once, stored as its hash, revocable) and the events it lists."""
from __future__ import annotations

import secrets
from datetime import date, datetime

from flask_babel import gettext as _
from flask_babel import pgettext
from sqlalchemy import select

from ..audit import record
from ..calendar_feed import CalendarEvent
from ..config import public_url
from ..document import sha256_hex, token_hash
from ..document.terms import term_date, term_value
from ..extensions import db
from ..i18n import in_language
from ..models import Agreement, Membership, User
from ..reviews.schedule import CADENCE_MONTHS, review_dates_shown
from ..reviews.services import ENDED_STATUSES
from ..revisions.services import executed_document

LAST_DAY = date.max



def new_calendar_token(user: User) -> str:
    """A new feed address for `user`; the old one stops working. The token is returned once."""
    token = secrets.token_urlsafe(32)
    user.calendar_token_hash = token_hash(token)
    record("calendar.token_created", actor=user)
    db.session.commit()
    return token


def revoke_calendar_token(user: User) -> None:
    user.calendar_token_hash = None
    record("calendar.token_revoked", actor=user)
    db.session.commit()


def user_by_calendar_token(token: str) -> User | None:
    if not token or len(token) > 100:
        return None
    return db.session.scalar(select(User).where(User.calendar_token_hash == token_hash(token)))


def _events_of(agreement: Agreement, terms: dict) -> list[CalendarEvent]:
    """The agreement's dates as events, titled and described in the agreement's language."""
    with in_language(agreement.language):
        return _events_in_language(agreement, terms)


def _events_in_language(agreement: Agreement, terms: dict) -> list[CalendarEvent]:
    base = public_url(f"/agreements/{agreement.id}")
    where = _("“%(title)s” (%(provider)s ⇄ %(client)s)", title=agreement.title, provider=agreement.provider_name,
              client=agreement.client_name)
    events = []

    def add(kind: str, day, summary: str, description: str, path: str = "", key: str = "") -> None:
        if day >= LAST_DAY:  # an all-day event ends the next day, which must still be a date
            return
        uid = f"agreement-{agreement.id}-{kind}-{day.isoformat()}{'-' + sha256_hex(key.encode())[:8] if key else ''}@accord"
        events.append(CalendarEvent(uid, day, summary, description, base + path, kind, agreement.language))

    for index, milestone in enumerate(term_value(terms, "timeline.milestones") or []):
        due = term_date({"m": milestone}, "m.due_date")
        name = str(milestone.get("name") or "").strip() or pgettext("calendar", "Milestone")
        if due is not None:
            # The row's place keeps two milestones of one name and date apart.
            add("milestone", due, _("Milestone: %(name)s", name=name),
                _("%(name)s is due under %(agreement)s.", name=name, agreement=where), key=f"{index}:{name}")
    effective, end = term_date(terms, "timeline.effective_date"), term_date(terms, "timeline.end_date")
    cadence = term_value(terms, "change.review_cadence")
    if effective is not None and cadence in CADENCE_MONTHS:
        for day in review_dates_shown(effective, cadence, end):
            add("review", day, _("Review: %(title)s", title=agreement.title),
                _("Periodic review of %(agreement)s.", agreement=where), "/reviews")
    if agreement.renewal_opens_on is not None:
        add("renewal", agreement.renewal_opens_on, _("Renewal window opens: %(title)s", title=agreement.title),
            _("Decide whether to renew %(agreement)s; it ends on %(end)s.", agreement=where,
              end=end.isoformat() if end else "—"))
    if end is not None:
        add("end", end, _("Agreement ends: %(title)s", title=agreement.title),
            _("The term of %(agreement)s ends.", agreement=where))
    return events


def calendar_name(user: User) -> str:
    """The feed's name as calendar programs show it, in its owner's interface language."""
    with in_language(user.language):
        return _("Agreements of %(name)s", name=user.name)


def calendar_events(user: User) -> tuple[list[CalendarEvent], datetime]:
    """Every event of the agreements in force that `user` belongs to (as executed: an amendment
    counts once signed), and the time they last changed."""
    agreements = list(db.session.scalars(
        select(Agreement).join(Membership, Membership.agreement_id == Agreement.id)
        .where(Membership.user_id == user.id, Agreement.executed_revision_id.is_not(None),
               Agreement.status.not_in(ENDED_STATUSES)).order_by(Agreement.id)))
    events: list[CalendarEvent] = []
    for agreement in agreements:
        terms = executed_document(agreement).terms
        events.extend(_events_of(agreement, terms))
    # The feed changes only when an agreement does: stamping it so keeps it byte-stable between polls.
    # One imported as executed has no execution time here: its creation stands in.
    stamp = max((a.executed_at or a.created_at for a in agreements), default=user.created_at)
    return events, stamp
