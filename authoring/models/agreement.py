"""Agreements as workspaces, their members and invitations."""
from __future__ import annotations

from datetime import date, datetime
from typing import Optional

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..document.terms import term_date
from .base import Base, utcnow
from .user import User

STATUSES = ("draft", "negotiating", "ready", "signing", "executed", "in_review", "terminated", "expired")
SIDES = ("provider", "client")
ROLES = ("owner", "editor", "reviewer", "signatory", "viewer")
PAPER_SIZES = ("A4", "Letter")  # an agreement's paper setting; NULL: from the agreement's language (export.paper)
TITLE_MAX = 200
ORG_NAME_MAX = 200


def _in(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


class Agreement(Base):
    __tablename__ = "agreements"
    __table_args__ = (CheckConstraint(_in("status", STATUSES), name="status"),
                      CheckConstraint(_in("paper_size", PAPER_SIZES), name="paper_size"),
                      Index("ix_agreements_status", "status"))
    # Migration 0019 also gives the register a text index for its search (SQLite: FTS5 kept by triggers;
    # PostgreSQL: register_search, a row per membership kept by triggers), an index on the folded title,
    # and counts by user and status (register_counts: 0019 on PostgreSQL, 0020 on SQLite), all kept by
    # triggers; agreements.search_index, member_counts.

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(TITLE_MAX))
    language: Mapped[str] = mapped_column(String(8))
    provider_name: Mapped[str] = mapped_column(String(ORG_NAME_MAX))
    client_name: Mapped[str] = mapped_column(String(ORG_NAME_MAX))
    status: Mapped[str] = mapped_column(String(16), default="draft")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by_id: Mapped[Optional[int]] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    # The side whose owner started the agreement; that owner invites the other side's first owner.
    started_by_side: Mapped[str] = mapped_column(String(16), default="provider", server_default="provider")
    # Negotiation: when the provider shared the draft, and whose move it is now.
    shared_at: Mapped[Optional[datetime]]
    turn: Mapped[Optional[str]] = mapped_column(String(16))
    # Execution: when both sides' signatures on one revision made it binding, and which one.
    executed_at: Mapped[Optional[datetime]]
    executed_revision_id: Mapped[Optional[int]] = mapped_column(ForeignKey("revisions.id", use_alter=True, name="fk_agreements_executed_revision_id_revisions"))
    # Dates the register sorts and filters by, kept from the terms by every draft write
    # (revisions.services.write_draft) and by the review schedule.
    effective_on: Mapped[Optional[date]] = mapped_column(index=True)
    ends_on: Mapped[Optional[date]] = mapped_column(index=True)
    next_review_on: Mapped[Optional[date]] = mapped_column(index=True)
    renewal_opens_on: Mapped[Optional[date]] = mapped_column(index=True)
    # Renewal: the agreement this one renews.
    predecessor_id: Mapped[Optional[int]] = mapped_column(ForeignKey("agreements.id", ondelete="SET NULL"), index=True)
    # Termination, as an owner recorded it.
    terminated_on: Mapped[Optional[date]]
    termination_reason: Mapped[Optional[str]] = mapped_column(Text)
    termination_clause: Mapped[Optional[str]] = mapped_column(String(80))
    # The paper its documents are printed on, as an owner chose it; None: the paper of its language's locale.
    paper_size: Mapped[Optional[str]] = mapped_column(String(8))

    memberships: Mapped[list["Membership"]] = relationship(
        back_populates="agreement", cascade="all, delete-orphan", order_by="Membership.id"
    )

    @property
    def shared(self) -> bool:
        return self.shared_at is not None

    @property
    def executed_outside(self) -> bool:
        """Imported as executed (agreements.bulk_import): signed before it came here, so it has an
        executed revision but no signatures - and no execution time, which only signing here sets."""
        return self.executed_revision_id is not None and self.executed_at is None

    def take_term_dates(self, terms: dict) -> None:
        """Copy the term's dates from `terms` into the columns the register sorts and filters by."""
        self.effective_on = term_date(terms, "timeline.effective_date")
        self.ends_on = term_date(terms, "timeline.end_date")

    def organisation(self, side: str) -> str:
        return self.provider_name if side == "provider" else self.client_name


class Membership(Base):
    """A person's side and role in one agreement."""

    __tablename__ = "memberships"
    __table_args__ = (
        UniqueConstraint("agreement_id", "user_id", name="uq_memberships_agreement_user"),
        CheckConstraint(_in("side", SIDES), name="side"),
        CheckConstraint(_in("role", ROLES), name="role"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    agreement_id: Mapped[int] = mapped_column(ForeignKey("agreements.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    side: Mapped[str] = mapped_column(String(16))
    role: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    agreement: Mapped[Agreement] = relationship(back_populates="memberships")
    user: Mapped[User] = relationship(lazy="joined")


class Invitation(Base):
    """A single-use, expiring link that makes its holder a member. Only the token's hash is kept."""

    __tablename__ = "invitations"
    __table_args__ = (
        CheckConstraint(_in("side", SIDES), name="side"),
        CheckConstraint(_in("role", ROLES), name="role"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    agreement_id: Mapped[int] = mapped_column(ForeignKey("agreements.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    side: Mapped[str] = mapped_column(String(16))
    role: Mapped[str] = mapped_column(String(16))
    email: Mapped[Optional[str]] = mapped_column(String(254))
    created_by_id: Mapped[Optional[int]] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]
    accepted_at: Mapped[Optional[datetime]]
    accepted_by_id: Mapped[Optional[int]] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    revoked_at: Mapped[Optional[datetime]]

    agreement: Mapped[Agreement] = relationship()
    created_by: Mapped[Optional[User]] = relationship(foreign_keys=[created_by_id])
    accepted_by: Mapped[Optional[User]] = relationship(foreign_keys=[accepted_by_id])

    def state(self, now: datetime) -> str:
        """'accepted', 'revoked', 'expired' or 'pending'."""
        if self.accepted_at is not None:
            return "accepted"
        if self.revoked_at is not None:
            return "revoked"
        if self.expires_at <= now:
            return "expired"
        return "pending"
