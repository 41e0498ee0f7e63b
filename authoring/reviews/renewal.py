"""Renewal: a new draft agreement from the current executed terms, its dates moved forward.

The new term starts the day after the old one ends and runs for the agreed renewal
term (or as long as the old one); milestones and payments on a date move by the same
number of months. Clause choices and hand-edited clause texts are kept; the same people
are members with the same roles. The new agreement is a draft, linked to its
predecessor, for the parties to negotiate like any other.
"""
from __future__ import annotations

import copy
from datetime import date, timedelta
from typing import Any

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import select

from ..access import can
from ..agreements.services import create_agreement, lock_agreement
from ..audit import record
from ..document.terms import term_date, term_value
from ..extensions import db
from ..library import assemble, current_choices
from ..models import Agreement, Membership, User
from ..models.agreement import TITLE_MAX
from .schedule import add_months
from ..revisions.services import executed_document
from .services import ReviewError
from .wording import status_word

RENEWABLE_STATUSES = ("executed", "expired")


def _months_between(start: date, end_exclusive: date) -> int:
    months = (end_exclusive.year - start.year) * 12 + end_exclusive.month - start.month
    return max(1, months)


def shift_dated_rows(terms: dict[str, Any], months: int) -> None:
    """Move every milestone and every payment on a date by `months` (in place)."""
    for rows, field in (((terms.get("timeline") or {}).get("milestones") or [], "due_date"),
                        ((terms.get("costs") or {}).get("payment_schedule") or [], "date")):
        for row in rows:
            day = term_date({"r": row}, f"r.{field}")
            if day is not None:
                row[field] = add_months(day, months).isoformat()


def renewed_terms(terms: dict[str, Any]) -> dict[str, Any]:
    """The terms with the term moved to follow the old one, and every dated row moved with it."""
    start, end = term_date(terms, "timeline.effective_date"), term_date(terms, "timeline.end_date")
    if start is None or end is None:
        raise ReviewError(_("The executed terms have no effective and end date to renew from."))
    new_start = end + timedelta(days=1)
    shift = _months_between(start, new_start)
    renewal_months = term_value(terms, "timeline.renewal_term_months")
    length = renewal_months if isinstance(renewal_months, int) and not isinstance(renewal_months, bool) \
        and 0 < renewal_months <= 600 else shift
    renewed = copy.deepcopy(terms)
    try:
        renewed["timeline"]["effective_date"] = new_start.isoformat()
        renewed["timeline"]["end_date"] = (add_months(new_start, length) - timedelta(days=1)).isoformat()
        shift_dated_rows(renewed, shift)
    except (ValueError, OverflowError):
        raise ReviewError(_("The renewed term would end past the last date a calendar can hold.")) from None
    return renewed


def renew(agreement: Agreement, user: User, membership: Membership) -> Agreement:
    """Create the renewal draft (all or nothing) and return it."""
    if not can(membership, "manage") or membership.side != "provider":
        raise ReviewError(_("The provider's owner renews the agreement; the renewal is then negotiated as usual."))
    lock_agreement(agreement.id)
    if agreement.status not in RENEWABLE_STATUSES:
        db.session.rollback()
        raise ReviewError(_("The agreement is %(status)s: an executed or expired agreement is renewed.",
                            status=status_word(agreement.status)))
    existing = db.session.scalar(select(Agreement).where(Agreement.predecessor_id == agreement.id))
    if existing is not None:
        db.session.rollback()
        raise ReviewError(_("It was already renewed as “%(title)s”.", title=existing.title))
    document = executed_document(agreement)
    terms = renewed_terms(document.terms)
    year = term_date(terms, "timeline.effective_date").year
    title = f"{agreement.title} — renewal {year}"[:TITLE_MAX]
    terms.setdefault("agreement", {})["title"] = title
    library = current_app.extensions["clause_library"]
    renewed = assemble(library, terms, agreement.language, current_choices(document), previous=document)
    successor = create_agreement(user, title=title, language=agreement.language, provider_name=agreement.provider_name,
                                 client_name=agreement.client_name, document=renewed, predecessor=agreement,
                                 commit=False, renews=agreement.id)
    # In user order: the new memberships' counts (PostgreSQL, migration 0019) are locked in the order
    # an agreement's status change locks them, so the two never deadlock.
    for member in sorted(agreement.memberships, key=lambda member: member.user_id):
        if member.user_id != user.id:
            db.session.add(Membership(agreement_id=successor.id, user_id=member.user_id, side=member.side,
                                      role=member.role))
    record("agreement.renewed", actor=user, agreement=agreement, successor=successor.id, title=title)
    db.session.commit()
    return successor
