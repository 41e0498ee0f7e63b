"""The working draft and its revisions: edit the draft, cut immutable revisions, load them verified."""
from __future__ import annotations

from sqlalchemy import func, select

from ..agreements.services import lock_agreement
from ..audit import record
from ..document import Document
from ..extensions import db
from ..models import Agreement, Draft, Revision, User, utcnow
from .store import load_document, store_document

MESSAGE_MAX = 500


class DraftConflict(Exception):
    """The draft changed after the caller read it; carries what it is now."""

    def __init__(self, current_text: str, current_version: int):
        super().__init__("The clause was changed by someone else while you were editing.")
        self.current_text = current_text
        self.current_version = current_version


class NothingToRevise(Exception):
    pass


def draft_of(agreement: Agreement, *, for_update: bool = False) -> tuple[Draft, Document]:
    """The agreement's draft row and its document. `for_update` locks it for a write."""
    if for_update:
        lock_agreement(agreement.id)
    draft = db.session.get(Draft, agreement.id)
    return draft, Document.from_json(draft.document)


def edit_clause_text(agreement: Agreement, editor: User, key: str, text: str, base_version: int) -> Draft:
    """Replace a clause's text in the draft, refusing a write based on an older draft.

    Merging concurrent edits of one clause is the negotiation feature's job; here a
    stale write is refused whole (DraftConflict), so nothing is ever silently lost.
    """
    draft, document = draft_of(agreement, for_update=True)
    old_text = document.clause(key).text
    if draft.version != base_version:
        raise DraftConflict(old_text, draft.version)
    if old_text == text:
        return draft
    write_draft(draft, document.with_clause_text(key, text), editor)
    record("clause.edited", actor=editor, agreement=agreement, clause=key, draft_version=draft.version)
    db.session.commit()
    return draft


def write_draft(draft: Draft, document: Document, editor: User) -> None:
    """Store a new document in the draft and bump its version (the caller holds the lock and commits)."""
    draft.document = document.canonical_json().decode("utf-8")
    draft.version += 1
    draft.updated_at = utcnow()
    draft.updated_by_id = editor.id


def latest_revision(agreement: Agreement) -> Revision | None:
    return db.session.scalar(
        select(Revision).where(Revision.agreement_id == agreement.id).order_by(Revision.number.desc()).limit(1)
    )


def cut_revision(agreement: Agreement, author: User, message: str) -> Revision:
    """Snapshot the draft as the next immutable revision; refuse when nothing changed."""
    draft, document = draft_of(agreement, for_update=True)
    parent = latest_revision(agreement)
    digest = document.sha256()
    if parent is not None and parent.hash == digest:
        raise NothingToRevise(f"Nothing changed since revision {parent.number}.")
    revision = Revision(
        agreement_id=agreement.id,
        number=(parent.number + 1) if parent else 1,
        parent_id=parent.id if parent else None,
        author_id=author.id,
        message=message,
        hash=digest,
        tree=store_document(document),
    )
    db.session.add(revision)
    db.session.flush()
    record("revision.created", actor=author, agreement=agreement, number=revision.number, hash=digest, message=message)
    db.session.commit()
    return revision


def revisions_of(agreement: Agreement) -> list[Revision]:
    return list(db.session.scalars(select(Revision).where(Revision.agreement_id == agreement.id).order_by(Revision.number.desc())))


def revision_by_number(agreement: Agreement, number: int) -> Revision | None:
    return db.session.scalar(select(Revision).where(Revision.agreement_id == agreement.id, Revision.number == number))


def revision_document(revision: Revision) -> Document:
    """The revision's document, verified against its hash (RevisionIntegrityError if tampered)."""
    return load_document(revision.tree, revision.hash)


def revision_count(agreement: Agreement) -> int:
    return db.session.scalar(select(func.count()).select_from(Revision).where(Revision.agreement_id == agreement.id))
