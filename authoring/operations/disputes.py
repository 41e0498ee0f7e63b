"""Disputes of a monthly service report: the client disputes a line, both sides write, the provider answers.

Invariants every operation keeps:

* the rules of who may do what are in access.DISPUTES (by role and side), never in a view;
* a dispute names a line that is in the report of its period: a priority the terms define, or an
  incident that report counts, leaves open or excludes;
* only an open (or escalated) dispute takes messages and answers; accepting or rejecting closes it;
* every change is written under the agreement's lock with its audit event, in one transaction.
"""
from __future__ import annotations

from datetime import datetime, timedelta

from flask_babel import gettext as _
from sqlalchemy import func, select

from ..access import may_dispute
from ..agreements.services import lock_agreement
from ..audit import record
from ..extensions import db
from ..models import Agreement, Dispute, DisputeMessage, Membership, User, utcnow
from .monthly import Escalation, escalation_at, ladder
from .report import ServiceReport
from .services import terms_in_force

OPEN_STATUSES = ("open", "escalated")
BODY_MAX = 5000


class DisputeError(Exception):
    """A dispute action refused; str() says why in the interface language, `status` is the HTTP status."""

    def __init__(self, message: str, status: int = 422):
        super().__init__(message)
        self.status = status


def disputable_lines(report: ServiceReport) -> dict[str, set[str]]:
    """The lines of `report` a dispute may name, by kind."""
    incidents = {r.incident.reference for r in (*report.counted, *report.open, *report.excluded)}
    return {"priority": {f.priority for f in report.priorities}, "incident": incidents}


def disputes_of(agreement: Agreement, period: str | None = None) -> list[Dispute]:
    """The agreement's disputes (of one period when given), oldest first."""
    query = select(Dispute).where(Dispute.agreement_id == agreement.id)
    if period is not None:
        query = query.where(Dispute.period == period)
    return list(db.session.scalars(query.order_by(Dispute.number)))


def dispute_by_number(agreement: Agreement, number: int) -> Dispute | None:
    return db.session.scalar(select(Dispute).where(Dispute.agreement_id == agreement.id, Dispute.number == number))


def escalation_of(agreement: Agreement, dispute: Dispute, now: datetime | None = None) -> Escalation:
    """Where `dispute` stands on the agreement's escalation ladder (frozen when it was closed)."""
    from .periods import parse_period  # noqa: PLC0415 - one period's first day, for the terms in force
    moment = dispute.closed_at or now or utcnow()
    terms = terms_in_force(agreement, parse_period(dispute.period, "monthly" if "Q" not in dispute.period
                                                   else "quarterly", "UTC").first_day)
    levels = ladder(terms)
    opened = dispute.opened_at
    escalated = next((m.created_at for m in dispute.messages if m.status == "escalated"), None)
    if escalated is not None and len(levels) > 1 and levels[0].hours is not None:
        # Escalated by hand: at the second level from that moment, as if the first level's time had run out.
        opened = min(opened, escalated - timedelta(hours=float(levels[0].hours)))
    return escalation_at(opened, levels, moment)


def shown_status(dispute: Dispute, escalation: Escalation) -> str:
    """The status a dispute shows: an open one the ladder has moved past its first level is escalated."""
    if dispute.status == "open" and escalation.level is not None and escalation.level.index > 0:
        return "escalated"
    return dispute.status


def _check_body(body: str) -> str:
    body = (body or "").strip()
    if not body:
        raise DisputeError(_("Write what is disputed and why."))
    if len(body) > BODY_MAX:
        raise DisputeError(_("Keep the message under %(limit)d characters.", limit=BODY_MAX))
    return body


def open_dispute(agreement: Agreement, user: User, membership: Membership, report: ServiceReport, line_kind: str,
                 line: str, body: str, now: datetime | None = None) -> Dispute:
    """Open a dispute of a line of `report` (client side's owners and editors)."""
    if not may_dispute(membership, "open"):
        raise DisputeError(_("Only the client side's owners and editors dispute a service report."), 403)
    if line not in disputable_lines(report).get(line_kind, set()):
        raise DisputeError(_("Choose a line of this period's report to dispute."))
    body = _check_body(body)
    now = now or utcnow()
    lock_agreement(agreement.id)
    number = (db.session.scalar(select(func.max(Dispute.number)).where(Dispute.agreement_id == agreement.id)) or 0) + 1
    dispute = Dispute(agreement_id=agreement.id, number=number, period=report.period.label, line_kind=line_kind,
                      line=line, status="open", opened_by_id=user.id, opened_at=now)
    dispute.messages.append(DisputeMessage(author_id=user.id, side=membership.side, body=body, created_at=now))
    db.session.add(dispute)
    db.session.flush()
    record("dispute.opened", actor=user, agreement=agreement, dispute=number, period=dispute.period,
           line_kind=line_kind, line=line)
    db.session.commit()
    return dispute


def answer_dispute(agreement: Agreement, user: User, membership: Membership, dispute: Dispute, body: str,
                   status: str | None = None, now: datetime | None = None) -> Dispute:
    """Add a message to an open dispute; `status` "accepted"/"rejected" (provider) or "escalated" (client)
    changes its status as well."""
    action = {None: "write", "accepted": "decide", "rejected": "decide", "escalated": "escalate"}.get(status)
    if action is None:
        raise DisputeError(_("Choose how to answer the dispute."))
    if not may_dispute(membership, action):
        raise DisputeError(_("Your role on this agreement does not allow this answer to a dispute."), 403)
    body = _check_body(body)
    now = now or utcnow()
    lock_agreement(agreement.id)
    db.session.refresh(dispute)
    if dispute.status not in OPEN_STATUSES:
        raise DisputeError(_("This dispute is closed."), 409)
    dispute.messages.append(DisputeMessage(author_id=user.id, side=membership.side, body=body, status=status,
                                           created_at=now))
    if status is not None:
        dispute.status = status
        if status in ("accepted", "rejected"):
            dispute.closed_at = now
    record("dispute.answered", actor=user, agreement=agreement, dispute=dispute.number,
           **({"status": status} if status else {}))
    db.session.commit()
    return dispute
