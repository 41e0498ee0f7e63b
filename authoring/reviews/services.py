"""Periodic reviews of an executed agreement: the schedule, the targets, recording a review.

The schedule follows the executed terms: reviews fall on the effective date plus whole
periods of the agreed cadence (schedule.py); the next one is set at execution and after
each review held. A review records how every service level was met - the targets come
from the executed terms, the achieved figures from the form or a CSV of measurements -
plus participants, notes, decisions and actions with owners and due dates.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import func, select

from ..agreements.services import lock_agreement
from ..audit import record
from ..document import Document
from ..document.terms import term_date, term_value
from ..extensions import db
from ..models import Agreement, Review, User, utcnow
from ..models.base import MAX_ID
from ..notifications import recipients
from ..revisions.services import executed_document as executed_text
from .measurements import Measurement
from .schedule import CADENCE_MONTHS, next_review, renewal_window, review_dates
from .wording import email_each, status_word

ENDED_STATUSES = ("terminated", "expired")


def in_force(agreement: Agreement) -> bool:
    """Executed and not ended - also while an amendment to it is being negotiated."""
    return agreement.executed_revision_id is not None and agreement.status not in ENDED_STATUSES


class ReviewError(Exception):
    """A review that cannot be recorded; str() says why."""


@dataclass(frozen=True)
class Target:
    """One service level a review measures, as the executed terms set it."""

    service_level: str  # "Availability", "P1 response", ...
    target: Decimal
    unit: str  # "percent" (higher is better) or "hours" (lower is better)

    def met(self, achieved: Decimal) -> bool:
        return achieved >= self.target if self.unit == "percent" else achieved <= self.target


def _decimal(value: Any) -> Decimal | None:
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None
    return number if number.is_finite() else None


def executed_document(agreement: Agreement) -> Document:
    """The text as executed (an amendment being negotiated does not count until it is signed)."""
    if agreement.executed_revision_id is None:
        raise ReviewError(_("Only an executed agreement is reviewed."))
    return executed_text(agreement)


def executed_terms(agreement: Agreement) -> dict[str, Any]:
    return executed_document(agreement).terms


def targets_of(terms: dict[str, Any]) -> list[Target]:
    """Availability and each priority's response and resolution times, where the terms set them."""
    targets = []
    availability = _decimal(term_value(terms, "services.availability_percent"))
    if availability is not None:
        targets.append(Target("Availability", availability, "percent"))
    for row in term_value(terms, "services.priorities") or []:
        level = str(row.get("level") or "").strip()
        if not level:
            continue
        for field, word in (("response_hours", "response"), ("resolution_hours", "resolution")):
            hours = _decimal(row.get(field))
            if hours is not None:
                targets.append(Target(f"{level} {word}", hours, "hours"))
    return targets


def schedule(agreement: Agreement, terms: dict[str, Any], after: date) -> None:
    """Set the next review (first one strictly after `after`) and when the renewal window opens."""
    effective, end = term_date(terms, "timeline.effective_date"), term_date(terms, "timeline.end_date")
    cadence = term_value(terms, "change.review_cadence")
    agreement.next_review_on = (next_review(effective, cadence, after, end)
                                if effective is not None and cadence in CADENCE_MONTHS else None)
    agreement.renewal_opens_on = renewal_window(end, lead_days(terms))[0] if end else None


def lead_days(terms: dict[str, Any]) -> int | None:
    """The renewal lead time in days when it is a sensible one (else the default applies)."""
    lead = term_value(terms, "change.renewal_lead_days")
    return lead if isinstance(lead, int) and not isinstance(lead, bool) and 0 <= lead <= 3650 else None


def scheduled_review(terms: dict[str, Any], held_on: date) -> date | None:
    """The scheduled review a review held on `held_on` answers: the scheduled date nearest to it."""
    effective, end = term_date(terms, "timeline.effective_date"), term_date(terms, "timeline.end_date")
    cadence = term_value(terms, "change.review_cadence")
    if effective is None or cadence not in CADENCE_MONTHS:
        return None
    before = None
    for day in review_dates(effective, cadence, end):
        if day >= held_on:
            return day if before is None or day - held_on < held_on - before else before
        before = day
    return before


def schedule_after_execution(agreement: Agreement, document: Document) -> None:
    """Called when an agreement (or an amendment) is executed: its dates follow the executed terms,
    and the next review is the first from today on - or, after an amendment, the one still
    overdue, which signing an amendment does not excuse."""
    agreement.take_term_dates(document.terms)
    today = utcnow().date()
    overdue = agreement.next_review_on
    after = overdue - timedelta(days=1) if overdue is not None and overdue <= today else today
    schedule(agreement, document.terms, after)


@dataclass(frozen=True)
class Achieved:
    service_level: str
    achieved: Decimal
    period: str


def results_from(targets: list[Target], achieved: list[Achieved] | list[Measurement]) -> list[dict[str, Any]]:
    """Rows for the review: each target with what was achieved and whether it was met.

    For figures typed in the form, met is judged against the executed target; a CSV of
    measurements brings its own targets and units, and is kept as measured.
    """
    by_level = {t.service_level: t for t in targets}
    rows = []
    for entry in achieved:
        if isinstance(entry, Measurement):
            rows.append({"service_level": entry.service_level, "target": str(entry.target),
                         "achieved": str(entry.achieved), "unit": entry.unit, "met": entry.met,
                         "period": entry.period})
            continue
        target = by_level[entry.service_level]
        rows.append({"service_level": entry.service_level, "target": str(target.target),
                     "achieved": str(entry.achieved), "unit": target.unit, "met": target.met(entry.achieved),
                     "period": entry.period})
    return rows


def review_by_number(agreement: Agreement, number: int) -> Review | None:
    if not 0 < number <= MAX_ID:
        return None
    return db.session.scalar(select(Review).where(Review.agreement_id == agreement.id, Review.number == number))


def reviews_of(agreement: Agreement) -> list[Review]:
    return list(db.session.scalars(select(Review).where(Review.agreement_id == agreement.id).order_by(Review.number.desc())))


def record_review(agreement: Agreement, user: User, *, held_on: date, participants: dict[str, list[str]],
                  results: list[dict[str, Any]], effectiveness: str, client_issues: str, decisions: str,
                  actions: list[dict[str, Any]]) -> Review:
    """Store a completed review and schedule the next one after it, in one transaction."""
    lock_agreement(agreement.id)
    if not in_force(agreement):
        db.session.rollback()
        raise ReviewError(_("The agreement is %(status)s: reviews are held on an agreement in force.",
                            status=status_word(agreement.status)))
    if held_on > utcnow().date():
        db.session.rollback()
        raise ReviewError(_("A review is recorded once it was held: the date cannot be in the future."))
    if agreement.effective_on is not None and held_on < agreement.effective_on:
        db.session.rollback()
        raise ReviewError(_("A review is held during the agreement's term, which began on %(date)s: check the date.",
                            date=agreement.effective_on.isoformat()))
    number = (db.session.scalar(select(func.max(Review.number)).where(Review.agreement_id == agreement.id)) or 0) + 1
    terms = executed_terms(agreement)
    review = Review(agreement_id=agreement.id, number=number, held_on=held_on, due_on=scheduled_review(terms, held_on),
                    participants=participants, results=results, effectiveness=effectiveness,
                    client_issues=client_issues, decisions=decisions, actions=actions, recorded_by_id=user.id)
    db.session.add(review)
    # A review held early still answers the one that was due: the next comes after both.
    schedule(agreement, terms, max(held_on, review.due_on or held_on))
    missed = [r["service_level"] for r in results if not r["met"]]
    record("review.recorded", actor=user, agreement=agreement, review=number, held_on=held_on.isoformat(),
           missed=missed, actions=len(actions),
           next_review=agreement.next_review_on.isoformat() if agreement.next_review_on else None)

    def compose() -> tuple[str, str]:
        met = ngettext("%(met)s of %(num)d service level met", "%(met)s of %(num)d service levels met", len(results),
                       met=len(results) - len(missed))
        if missed:
            met = _("%(met)s (missed: %(missed)s)", met=met, missed=", ".join(missed))
        body = ngettext("%(name)s recorded the review held on %(date)s: %(met)s; %(num)d action.",
                        "%(name)s recorded the review held on %(date)s: %(met)s; %(num)d actions.", len(actions),
                        name=user.name, date=held_on.isoformat(), met=met)
        if agreement.next_review_on:
            body += "\n" + _("Next review: %(date)s.", date=agreement.next_review_on.isoformat())
        return _("Review %(number)s of “%(title)s” recorded", number=number, title=agreement.title), body

    email_each(agreement, recipients(agreement, exclude=user), "review.recorded", compose, path=f"/reviews/{number}")
    db.session.commit()
    return review


def terminate(agreement: Agreement, user: User, *, on: date, reason: str, clause_key: str | None) -> None:
    """An owner records that the agreement ends early: when, why, under which clause."""
    lock_agreement(agreement.id)
    if not in_force(agreement):
        db.session.rollback()
        raise ReviewError(_("The agreement is %(status)s: only an agreement in force is terminated.",
                            status=status_word(agreement.status)))
    if agreement.effective_on is not None and on < agreement.effective_on:
        db.session.rollback()
        raise ReviewError(_("An agreement cannot end before it took effect (%(date)s).",
                            date=agreement.effective_on.isoformat()))
    under = None
    if clause_key is not None:
        titles = {c.key: c.title for c in executed_text(agreement).clauses()}
        if clause_key not in titles:
            db.session.rollback()
            raise ReviewError(_("Choose a clause of the executed agreement."))
        under = titles[clause_key]
    agreement.status = "terminated"
    agreement.terminated_on, agreement.termination_reason, agreement.termination_clause = on, reason, clause_key
    agreement.next_review_on = agreement.renewal_opens_on = None
    record("agreement.terminated", actor=user, agreement=agreement, on=on.isoformat(), reason=reason, clause=clause_key)

    def compose() -> tuple[str, str]:
        if under is None:
            body = _("%(name)s recorded the termination of the agreement on %(date)s: %(reason)s", name=user.name,
                     date=on.isoformat(), reason=reason)
        else:
            body = _("%(name)s recorded the termination of the agreement on %(date)s under “%(clause)s”: %(reason)s",
                     name=user.name, date=on.isoformat(), clause=under, reason=reason)
        return _("“%(title)s” is terminated", title=agreement.title), body

    email_each(agreement, recipients(agreement, exclude=user), "agreement.terminated", compose)
    db.session.commit()
