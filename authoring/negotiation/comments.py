"""Comment threads on a clause or on the whole agreement: post, reply, resolve, reopen."""
from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import select

from ..access import can
from ..agreements.services import lock_agreement
from ..audit import record
from ..extensions import db
from ..models import Agreement, Comment, Membership, User, utcnow
from ..notifications import recipients
from ..revisions.services import draft_of
from .services import NegotiationError, NotAllowed, queue_in_their_language


@dataclass
class Thread:
    first: Comment
    replies: list[Comment]

    @property
    def resolved(self) -> bool:
        return self.first.resolved_at is not None

    @property
    def comments(self) -> list[Comment]:
        return [self.first, *self.replies]


def threads_of(agreement: Agreement, clause_key: str | None = None, *, every_clause: bool = False) -> list[Thread]:
    """Threads on one clause, on the agreement as a whole (clause_key None), or all (every_clause)."""
    query = select(Comment).where(Comment.agreement_id == agreement.id)
    if not every_clause:
        query = query.where(Comment.clause_key.is_(None) if clause_key is None else Comment.clause_key == clause_key)
    threads: dict[int, Thread] = {}
    for comment in db.session.scalars(query.order_by(Comment.id)):
        if comment.thread_id is None:
            threads[comment.id] = Thread(comment, [])
        elif comment.thread_id in threads:
            threads[comment.thread_id].replies.append(comment)
    return list(threads.values())


def thread_by_id(agreement: Agreement, thread_id: int) -> Comment | None:
    comment = db.session.get(Comment, thread_id)
    if comment is None or comment.agreement_id != agreement.id or comment.thread_id is not None:
        return None
    return comment


def add_comment(agreement: Agreement, user: User, membership: Membership, body: str,
                clause_key: str | None = None, thread: Comment | None = None, *, commit: bool = True) -> Comment:
    """Start a thread (on a clause or the agreement) or reply to one; tells the people involved.

    `commit=False` leaves the transaction open for a caller that adds more in the same one.
    """
    if not can(membership, "comment"):
        raise NotAllowed(_("Your role may read the agreement but not comment."))
    _draft, document = draft_of(agreement, for_update=True)
    if thread is not None:
        clause_key = thread.clause_key
    elif clause_key is not None:
        try:
            document.clause(clause_key)
        except KeyError:
            raise NegotiationError(_("There is no clause %(clause)s in the draft.", clause=repr(clause_key))) from None
    comment = Comment(agreement_id=agreement.id, clause_key=clause_key, thread_id=thread.id if thread else None,
                      author_id=user.id, side=membership.side, body=body)
    db.session.add(comment)
    db.session.flush()
    record("comment.added", actor=user, agreement=agreement, comment=comment.id, clause=clause_key,
           thread=thread.id if thread else None)
    clause_title = document.clause(clause_key).title if clause_key in {c.key for c in document.clauses()} else None

    def compose() -> tuple[str, str]:
        if clause_title is not None:
            subject = _("New comment on “%(clause)s” of “%(title)s”", clause=clause_title, title=agreement.title)
        else:
            subject = _("New comment on the agreement “%(title)s”", title=agreement.title)
        return subject, _("%(name)s wrote:", name=user.name) + "\n\n" + body

    queue_in_their_language(agreement, recipients(agreement, roles=("owner", "editor", "reviewer", "signatory"),
                                                  exclude=user),
                            "comment.added", compose, path=f"/clauses/{clause_key}" if clause_key else "/negotiation")
    if commit:
        db.session.commit()
    return comment


def set_resolved(agreement: Agreement, user: User, membership: Membership, thread: Comment, resolved: bool,
                 *, commit: bool = True) -> None:
    """Resolve or reopen a thread (anyone who may comment); `commit=False` leaves the transaction open."""
    if not can(membership, "comment"):
        raise NotAllowed(_("Your role may read the agreement but not resolve comments."))
    lock_agreement(agreement.id)
    db.session.refresh(thread)
    if (thread.resolved_at is not None) == resolved:
        if commit:
            db.session.rollback()
        return
    thread.resolved_at = utcnow() if resolved else None
    thread.resolved_by_id = user.id if resolved else None
    record("comment.resolved" if resolved else "comment.reopened", actor=user, agreement=agreement, thread=thread.id)
    if commit:
        db.session.commit()
