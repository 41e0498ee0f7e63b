"""Amendments: changing an executed agreement by mutual consent.

An owner of either side opens an amendment (from a review or at any time). The agreement
goes back to negotiation starting from its executed text: the same proposals, redlines,
readiness checks and sign-off as the original. Each signing round stands on its own
(`Signature.amendment_number`): the original's signatures stay valid. When both sides
sign, the amendment is executed as "Amendment N", effective from the stated date, and
the agreement's current text is the text as amended.

Executed versions: version 0 is the original, version N is amendment N.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from flask_babel import gettext as _
from sqlalchemy import func, select

from ..access import can
from ..agreements.services import lock_agreement
from ..audit import record
from ..extensions import db
from ..models import Agreement, Amendment, Membership, Proposal, Review, Revision, Signature, User, utcnow
from ..notifications import recipients
from ..redline import redline_between
from ..revisions.services import draft_of, executed_document, revision_document, write_draft
from .wording import email_each, status_word


class AmendmentError(Exception):
    """An amendment step that cannot be taken; str() says why."""


@dataclass(frozen=True)
class Version:
    """One executed version of an agreement: the original (0) or an amendment."""

    number: int
    revision: Revision
    executed_at: datetime
    effective_on: date | None

    @property
    def name(self) -> str:
        """"Original" or "Amendment 2", in the interface language."""
        return _("Amendment %(number)s", number=self.number) if self.number else _("Original")


def open_amendment_of(agreement: Agreement) -> Amendment | None:
    return db.session.scalar(select(Amendment).where(Amendment.agreement_id == agreement.id,
                                                     Amendment.status == "open"))


def amendments_of(agreement: Agreement) -> list[Amendment]:
    """Every amendment opened on the agreement (open, executed or abandoned), newest first."""
    return list(db.session.scalars(select(Amendment).where(Amendment.agreement_id == agreement.id)
                                   .order_by(Amendment.number.desc())))


def amendment_by_number(agreement: Agreement, number: int) -> Amendment | None:
    return db.session.scalar(select(Amendment).where(Amendment.agreement_id == agreement.id,
                                                     Amendment.number == number))


def signing_round(agreement: Agreement) -> int:
    """Whose signatures count now: the latest amendment not abandoned - the open one, or else
    the last executed - and 0 (the original) before any."""
    return db.session.scalar(select(func.max(Amendment.number)).where(
        Amendment.agreement_id == agreement.id, Amendment.status != "abandoned")) or 0


def amendment_blockers(agreement: Agreement, document) -> list[str]:
    """Why an open amendment cannot be readied or signed: it must change something."""
    amendment = open_amendment_of(agreement)
    if amendment is not None and document.sha256() == amendment.base_revision.hash:
        return [_("Amendment %(number)s changes nothing yet: propose a change, or abandon it.", number=amendment.number)]
    return []


def versions_of(agreement: Agreement) -> list[Version]:
    """Every version executed here, oldest first (a constant number of queries).

    An agreement imported as executed has no original here (nobody signed it in Accord), only
    the amendments signed since."""
    original = db.session.scalar(
        select(Signature.revision_id).where(Signature.agreement_id == agreement.id, Signature.amendment_number == 0,
                                            Signature.voided_at.is_(None)).group_by(Signature.revision_id)
        .having(func.count(func.distinct(Signature.side)) == 2))
    if original is not None and agreement.executed_at is not None:
        versions = [Version(0, db.session.get(Revision, original), agreement.executed_at, None)]
    elif agreement.executed_outside:
        versions = []  # its original was signed outside Accord: only the amendments signed here are versions
    else:
        return []
    amendments = db.session.scalars(select(Amendment).where(Amendment.agreement_id == agreement.id,
                                                            Amendment.status == "executed").order_by(Amendment.number))
    versions += [Version(a.number, a.revision, a.executed_at, a.effective_on) for a in amendments]
    return versions


def open_amendment(agreement: Agreement, user: User, membership: Membership, *, reason: str,
                   effective_on: date | None, review: Review | None = None) -> Amendment:
    """Start negotiating a change to the executed agreement."""
    if not can(membership, "manage"):
        raise AmendmentError(_("Only an owner opens an amendment."))
    lock_agreement(agreement.id)
    if agreement.status != "executed":
        db.session.rollback()
        raise AmendmentError(_("The agreement is %(status)s: only an executed agreement is amended.",
                               status=status_word(agreement.status)))
    if effective_on is not None and effective_on < utcnow().date():
        db.session.rollback()
        raise AmendmentError(_("An amendment takes effect from today or a later date."))
    number = (db.session.scalar(select(func.max(Amendment.number)).where(Amendment.agreement_id == agreement.id)) or 0) + 1
    amendment = Amendment(agreement_id=agreement.id, number=number, reason=reason, effective_on=effective_on,
                          review_id=review.id if review else None, base_revision_id=agreement.executed_revision_id,
                          opened_by_id=user.id)
    db.session.add(amendment)
    agreement.status = "negotiating"
    agreement.turn = membership.side
    # Both sides signed the text: from here every change is a proposal the other side answers.
    agreement.shared_at = agreement.shared_at or utcnow()
    record("amendment.opened", actor=user, agreement=agreement, number=number, reason=reason,
           effective_on=effective_on.isoformat() if effective_on else None, review=review.number if review else None)
    email_each(agreement, recipients(agreement, exclude=user), "amendment.opened", lambda: (
        _("Amendment %(number)s to “%(title)s” opened", number=number, title=agreement.title),
        _("%(name)s opened amendment %(number)s: %(reason)s", name=user.name, number=number, reason=reason) + "\n"
        + _("Propose changes on the agreement's pages; it is signed like the original.")), path="/negotiation")
    db.session.commit()
    return amendment


def abandon_amendment(agreement: Agreement, user: User, membership: Membership, reason: str) -> Amendment:
    """An owner gives up the open amendment: the text goes back to the executed version, the
    round's signatures are void, open proposals are withdrawn; the agreement stays as executed."""
    if not can(membership, "manage"):
        raise AmendmentError(_("Only an owner abandons an amendment."))
    draft, _document = draft_of(agreement, for_update=True)
    amendment = open_amendment_of(agreement)
    if amendment is None:
        db.session.rollback()
        raise AmendmentError(_("No amendment is being negotiated."))
    now = utcnow()
    for signature in db.session.scalars(select(Signature).where(
            Signature.agreement_id == agreement.id, Signature.amendment_number == amendment.number,
            Signature.voided_at.is_(None))):
        signature.voided_at, signature.void_reason = now, f"amendment {amendment.number} was abandoned: {reason}"
    for proposal in db.session.scalars(select(Proposal).where(Proposal.agreement_id == agreement.id,
                                                              Proposal.status == "open")):
        proposal.status, proposal.responded_by_id, proposal.responded_at = "withdrawn", user.id, now
        proposal.response_reason = f"amendment {amendment.number} was abandoned"
    agreement.status = "negotiating"  # unlocks the draft for the reset below
    write_draft(draft, executed_document(agreement), user)
    agreement.status, agreement.turn = "executed", None
    amendment.status = "abandoned"
    record("amendment.abandoned", actor=user, agreement=agreement, number=amendment.number, reason=reason)
    email_each(agreement, recipients(agreement, exclude=user), "amendment.abandoned", lambda: (
        _("Amendment %(number)s to “%(title)s” abandoned", number=amendment.number, title=agreement.title),
        _("%(name)s abandoned amendment %(number)s: %(reason)s", name=user.name, number=amendment.number,
          reason=reason) + "\n" + _("The agreement stays as executed.")))
    db.session.commit()
    return amendment


def finish_amendment(agreement: Agreement, revision: Revision) -> Amendment | None:
    """Called as both sides' signatures execute the text: the open amendment (if any) is executed."""
    amendment = open_amendment_of(agreement)
    if amendment is None:
        return None
    amendment.status = "executed"
    amendment.revision_id = revision.id
    amendment.executed_at = utcnow().replace(microsecond=0)
    if amendment.effective_on is None:
        amendment.effective_on = amendment.executed_at.date()
    return amendment


@dataclass(frozen=True)
class ClauseAmendment:
    number: int  # the amendment
    base: int  # revision numbers of its redline
    revision: int


def amended_clauses(agreement: Agreement) -> dict[str, list[ClauseAmendment]]:
    """Clause key -> the executed amendments that changed it (for the markers on the text as amended)."""
    changed: dict[str, list[ClauseAmendment]] = {}
    amendments = db.session.scalars(select(Amendment).where(Amendment.agreement_id == agreement.id,
                                                            Amendment.status == "executed").order_by(Amendment.number))
    for amendment in amendments:
        redline = redline_between(revision_document(amendment.base_revision), revision_document(amendment.revision))
        for clause in redline.changes():
            changed.setdefault(clause.key, []).append(
                ClauseAmendment(amendment.number, amendment.base_revision.number, amendment.revision.number))
    return changed
