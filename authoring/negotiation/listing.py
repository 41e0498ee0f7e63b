"""What the negotiation pages list: open items in full, answered ones a page at a time.

An agreement argued over for months has thousands of answered proposals and resolved
threads; what needs someone's attention is the few still open. So the pages show every
open proposal and unresolved thread, oldest first, and the history newest first in pages
(ANSWERED_PER_PAGE proposals, RESOLVED_PER_PAGE threads) with its count, each page read
with LIMIT/OFFSET. A thread's replies are read for the threads on the page only.
"""
from __future__ import annotations

from sqlalchemy import ColumnElement, Select, select

from ..extensions import db
from ..models import Agreement, Comment, Proposal
from ..render.paging import Paged, paged
from .comments import Thread

ANSWERED_PER_PAGE = 25
RESOLVED_PER_PAGE = 10


def _on(agreement: Agreement, target: str | None, terms: frozenset[str]) -> ColumnElement[bool]:
    """The agreement's proposals: all, or those on clause `target` and on the `terms` its text states."""
    condition = Proposal.agreement_id == agreement.id
    if target is not None:
        condition &= (Proposal.target == target) | (Proposal.kind == "term") & Proposal.target.in_(terms)
    return condition


def open_proposals(agreement: Agreement, target: str | None = None,
                   terms: frozenset[str] = frozenset()) -> list[Proposal]:
    """Every open proposal (on `target` and its `terms`, when given), oldest first."""
    return list(db.session.scalars(select(Proposal).where(_on(agreement, target, terms), Proposal.status == "open")
                                   .order_by(Proposal.number)))


def answered_proposals(agreement: Agreement, page: int, target: str | None = None,
                       terms: frozenset[str] = frozenset()) -> Paged[Proposal]:
    """A page of the answered proposals (accepted, rejected, withdrawn, superseded), newest first."""
    query = (select(Proposal).where(_on(agreement, target, terms), Proposal.status != "open")
             .order_by(Proposal.number.desc()))
    return paged(query, page, ANSWERED_PER_PAGE)


def _firsts(agreement: Agreement, clause_key: str | None) -> Select:
    """The first comments of the threads on `clause_key` (None: on the agreement as a whole)."""
    where = Comment.clause_key.is_(None) if clause_key is None else Comment.clause_key == clause_key
    return select(Comment).where(Comment.agreement_id == agreement.id, where, Comment.thread_id.is_(None))


def _threads(firsts: list[Comment]) -> list[Thread]:
    """The threads these first comments start, with their replies (one query for all of them)."""
    threads = {first.id: Thread(first, []) for first in firsts}
    if threads:
        replies = select(Comment).where(Comment.thread_id.in_(list(threads))).order_by(Comment.id)
        for reply in db.session.scalars(replies):
            threads[reply.thread_id].replies.append(reply)
    return list(threads.values())


def open_threads(agreement: Agreement, clause_key: str | None = None) -> list[Thread]:
    """Every unresolved thread on `clause_key` (None: on the agreement as a whole), oldest first."""
    firsts = db.session.scalars(_firsts(agreement, clause_key).where(Comment.resolved_at.is_(None)).order_by(Comment.id))
    return _threads(list(firsts))


def resolved_threads(agreement: Agreement, page: int, clause_key: str | None = None) -> Paged[Thread]:
    """A page of the resolved threads on `clause_key` (None: on the agreement as a whole), newest first."""
    firsts = paged(_firsts(agreement, clause_key).where(Comment.resolved_at.is_not(None)).order_by(Comment.id.desc()),
                   page, RESOLVED_PER_PAGE)
    return Paged(_threads(firsts.items), firsts.page, firsts.total, firsts.per_page)
