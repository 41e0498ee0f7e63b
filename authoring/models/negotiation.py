"""Proposals and comment threads: how the two sides negotiate a shared draft."""
from __future__ import annotations

from datetime import datetime
from typing import Any, Optional

from sqlalchemy import JSON, CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .agreement import SIDES, _in
from .base import Base, utcnow
from .user import User

# What a proposal changes. `target` is a term path for "term", a clause key otherwise.
PROPOSAL_KINDS = ("term", "clause_text", "clause_variant", "clause_add", "clause_remove")
PROPOSAL_STATUSES = ("open", "accepted", "rejected", "withdrawn", "superseded")
REASON_MAX = 2000
COMMENT_MAX = 5000


class Proposal(Base):
    """One change one side asks the other to accept.

    `base_value` is what the author saw when proposing (its hash is `base_hash`); a
    proposal is only ever applied on top of exactly that, or merged exactly with what
    changed since (clause text), never approximately.
    """

    __tablename__ = "proposals"
    __table_args__ = (
        UniqueConstraint("agreement_id", "number", name="uq_proposals_agreement_number"),
        CheckConstraint(_in("side", SIDES), name="side"),
        CheckConstraint(_in("kind", PROPOSAL_KINDS), name="kind"),
        CheckConstraint(_in("status", PROPOSAL_STATUSES), name="status"),
        # Open proposals (the few a page lists in full) and a page of answered ones, without reading the rest.
        Index("ix_proposals_agreement_status_number", "agreement_id", "status", "number"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    agreement_id: Mapped[int] = mapped_column(ForeignKey("agreements.id", ondelete="CASCADE"))
    number: Mapped[int]  # 1, 2, ... within the agreement
    author_id: Mapped[Optional[int]] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    side: Mapped[str] = mapped_column(String(16))
    kind: Mapped[str] = mapped_column(String(16))
    target: Mapped[str] = mapped_column(String(120))
    base_hash: Mapped[str] = mapped_column(String(64))
    base_value: Mapped[Any] = mapped_column(JSON, nullable=True)
    value: Mapped[Any] = mapped_column(JSON, nullable=True)
    reason: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(16), default="open")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    counter_of_id: Mapped[Optional[int]] = mapped_column(ForeignKey("proposals.id"))
    responded_by_id: Mapped[Optional[int]] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    responded_at: Mapped[Optional[datetime]]
    response_reason: Mapped[Optional[str]] = mapped_column(Text)
    merged: Mapped[bool] = mapped_column(default=False)  # accepted by merging with later changes
    # The revision that first holds the accepted change ("sent to the other side" in it).
    revision_id: Mapped[Optional[int]] = mapped_column(ForeignKey("revisions.id", ondelete="SET NULL"))

    author: Mapped[Optional[User]] = relationship(foreign_keys=[author_id], lazy="joined")
    responded_by: Mapped[Optional[User]] = relationship(foreign_keys=[responded_by_id], lazy="joined")
    counter_of: Mapped[Optional["Proposal"]] = relationship(remote_side=[id])


class Comment(Base):
    """A comment on a clause (`clause_key`) or on the whole agreement (None).

    The first comment of a thread has no `thread_id`; replies point at it. Resolving
    and reopening apply to the thread, so they live on its first comment.
    """

    __tablename__ = "comments"
    __table_args__ = (
        CheckConstraint(_in("side", SIDES), name="side"),
        Index("ix_comments_agreement_clause", "agreement_id", "clause_key"),
        # A page's threads' replies; the open threads (few) apart from the resolved ones (most of a history).
        Index("ix_comments_thread", "thread_id"),
        Index("ix_comments_open_threads", "agreement_id", "clause_key",
              sqlite_where=text("thread_id IS NULL AND resolved_at IS NULL"),
              postgresql_where=text("thread_id IS NULL AND resolved_at IS NULL")),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    agreement_id: Mapped[int] = mapped_column(ForeignKey("agreements.id", ondelete="CASCADE"))
    clause_key: Mapped[Optional[str]] = mapped_column(String(80))
    thread_id: Mapped[Optional[int]] = mapped_column(ForeignKey("comments.id", ondelete="CASCADE"))
    author_id: Mapped[Optional[int]] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    side: Mapped[str] = mapped_column(String(16))
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    resolved_at: Mapped[Optional[datetime]]
    resolved_by_id: Mapped[Optional[int]] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    author: Mapped[Optional[User]] = relationship(foreign_keys=[author_id], lazy="joined")
    resolved_by: Mapped[Optional[User]] = relationship(foreign_keys=[resolved_by_id])
