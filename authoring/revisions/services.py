"""The working draft and its revisions: edit the draft, cut immutable revisions, load them verified."""
from __future__ import annotations

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import func, select, update
from sqlalchemy.orm import defer

from ..agreements.services import back_from_ready, lock_agreement
from ..audit import record
from ..document import Document
from ..document.merge import MergeConflict, merge_text
from ..library.binding import Rebinding
from ..extensions import db
from ..models import Agreement, Draft, Proposal, Revision, User, utcnow
from ..negotiation.labels import agreement_status_label
from ..redline import redline_between
from ..render.paging import Paged, paged
from .store import load_document, store_document

MESSAGE_MAX = 500
REVISIONS_PER_PAGE = 25


class DraftConflict(Exception):
    """My change and a newer one overlap; carries the newer text so the person can redo theirs."""

    def __init__(self, current_text: str, current_version: int):
        super().__init__(_("The clause was changed by someone else while you were editing, in the same words."))
        self.current_text = current_text
        self.current_version = current_version


class NothingToRevise(Exception):
    pass


class NotYourDraft(Exception):
    """Only the provider's side saves revisions of a draft it has not shared yet."""


# Once a side has signed, the text is frozen; after execution only an amendment changes it.
LOCKED_STATUSES = ("signing", "executed", "terminated", "expired")


class DraftLocked(Exception):
    """The agreement is being signed or is executed: its text cannot change."""

    def __init__(self, status: str):
        label = agreement_status_label(status)
        if status == "signing":
            message = _("The agreement is %(status)s: its text can no longer change. An owner can reopen it for "
                        "changes, which voids the signature given so far.", status=label)
        else:
            message = _("The agreement is %(status)s: its text can no longer change. A change needs an amendment.",
                        status=label)
        super().__init__(message)
        self.status = status


def draft_of(agreement: Agreement, *, for_update: bool = False) -> tuple[Draft, Document]:
    """The agreement's draft row and its document. `for_update` locks it for a write."""
    if for_update:
        lock_agreement(agreement.id)
    draft = db.session.get(Draft, agreement.id)
    return draft, Document.from_json(draft.document)


def edit_clause_text(agreement: Agreement, editor: User, key: str, text: str, base_version: int,
                     base_text: str) -> tuple[bool, Rebinding | None]:
    """Replace a clause's text in the draft: (True when merged with a newer change, what it did to the terms).

    The write names what it was based on (the draft version and the clause text then).
    When the clause changed since, the two changes are merged exactly from that common
    base (document.merge); when they overlap, DraftConflict - nothing is overwritten.
    A value of a term written differently (15% -> 20%) changes that term everywhere
    (negotiation.changes.reword_clause); InvalidChange when the interview would refuse it.
    """
    from ..negotiation.changes import reword_clause  # negotiation builds on revisions

    draft, document = draft_of(agreement, for_update=True)
    if agreement.status in LOCKED_STATUSES:
        db.session.rollback()
        raise DraftLocked(agreement.status)
    current = document.clause(key).text
    merged = False
    if draft.version != base_version and current != base_text:
        try:
            text = merge_text(base_text, text, current)
        except MergeConflict:
            db.session.rollback()
            raise DraftConflict(current, draft.version) from None
        merged = True
    if current == text:
        db.session.rollback()
        return merged, None
    try:
        updated, rebinding = reword_clause(current_app.extensions["clause_library"], agreement.language, document,
                                           key, text)
    except Exception:
        db.session.rollback()
        raise
    write_draft(draft, updated, editor)
    record("clause.edited", actor=editor, agreement=agreement, clause=key, draft_version=draft.version,
           merged=merged, based_on=base_version, terms_changed=rebinding.changes,
           no_longer_states=sorted({slot.term for slot in rebinding.dropped}))
    back_from_ready(agreement, editor, f"“{document.clause(key).title}” changed after the agreement was marked ready")
    db.session.commit()
    return merged, rebinding


def write_draft(draft: Draft, document: Document, editor: User) -> None:
    """Store a new document in the draft and bump its version (the caller holds the lock and commits).

    Every write to a draft passes here, so this is where a signed or executed text is
    kept from changing, whatever the caller checked before.
    """
    agreement = db.session.get(Agreement, draft.agreement_id)
    if agreement.status in LOCKED_STATUSES:
        raise DraftLocked(agreement.status)
    # The register sorts and filters by these: they follow the terms being drafted - until the
    # agreement is executed, when they follow the executed terms (an amendment counts once signed).
    if agreement.executed_revision_id is None:
        agreement.take_term_dates(document.terms)
    draft.document = document.canonical_json().decode("utf-8")
    draft.version += 1
    draft.updated_at = utcnow()
    draft.updated_by_id = editor.id


def latest_revision(agreement: Agreement) -> Revision | None:
    return db.session.scalar(
        select(Revision).where(Revision.agreement_id == agreement.id).order_by(Revision.number.desc()).limit(1)
    )


def cut_revision(agreement: Agreement, author: User, message: str, side: str | None = None,
                 *, commit: bool = True) -> Revision:
    """Snapshot the draft as the next immutable revision; refuse when nothing changed.

    The revision keeps counts of what changed since its parent (for the history) and
    becomes the home of every proposal accepted since the previous one (for attribution).
    """
    draft, document = draft_of(agreement, for_update=True)
    parent = latest_revision(agreement)
    digest = document.sha256()
    if parent is not None and parent.hash == digest:
        raise NothingToRevise(_("Nothing changed since revision %(number)s.", number=parent.number))
    revision = Revision(
        agreement_id=agreement.id,
        number=(parent.number + 1) if parent else 1,
        parent_id=parent.id if parent else None,
        author_id=author.id,
        side=side,
        message=message,
        hash=digest,
        tree=store_document(document),
        changes=redline_between(revision_document(parent), document).counts() if parent else None,
    )
    db.session.add(revision)
    db.session.flush()
    db.session.execute(
        update(Proposal)
        .where(Proposal.agreement_id == agreement.id, Proposal.status == "accepted", Proposal.revision_id.is_(None))
        .values(revision_id=revision.id)
    )
    record("revision.created", actor=author, agreement=agreement, number=revision.number, hash=digest, message=message)
    if commit:
        db.session.commit()
    return revision


def save_revision(agreement: Agreement, author: User, side: str, message: str) -> Revision:
    """A revision saved by hand while the provider drafts (once shared, sending a round cuts them).

    The unshared draft is the provider's: a client member (say of a renewal draft, whose
    members carry over) neither edits nor snapshots it.
    """
    if agreement.shared:
        raise NotYourDraft(_("The draft is shared: a revision is cut by sending the draft to the other side."))
    if side != "provider":
        raise NotYourDraft(_("Until the draft is shared, the provider drafts it and saves its revisions."))
    return cut_revision(agreement, author, message, side=side)


def revision_history(agreement: Agreement, page: int) -> Paged[Revision]:
    """A page of the agreement's revisions for its history, newest first (their trees left unread)."""
    query = (select(Revision).options(defer(Revision.tree)).where(Revision.agreement_id == agreement.id)
             .order_by(Revision.number.desc()))
    return paged(query, page, REVISIONS_PER_PAGE)


def revisions_of(agreement: Agreement) -> list[Revision]:
    return list(db.session.scalars(select(Revision).where(Revision.agreement_id == agreement.id).order_by(Revision.number.desc())))


def revision_by_number(agreement: Agreement, number: int) -> Revision | None:
    return db.session.scalar(select(Revision).where(Revision.agreement_id == agreement.id, Revision.number == number))


def revision_document(revision: Revision) -> Document:
    """The revision's document, verified against its hash (RevisionIntegrityError if tampered)."""
    return load_document(revision.tree, revision.hash)


def executed_document(agreement: Agreement) -> Document:
    """The text in force: the latest executed version (an amendment counts once both sides signed)."""
    return revision_document(db.session.get(Revision, agreement.executed_revision_id))


def revision_count(agreement: Agreement) -> int:
    return db.session.scalar(select(func.count()).select_from(Revision).where(Revision.agreement_id == agreement.id))
