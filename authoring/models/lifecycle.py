"""An executed agreement's life: periodic reviews, amendments, reminders sent."""
from __future__ import annotations

from datetime import date, datetime
from typing import Any, Optional

from sqlalchemy import JSON, CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .agreement import _in
from .base import Base, utcnow
from .revision import Revision
from .user import User

AMENDMENT_STATUSES = ("open", "executed", "abandoned")


class Review(Base):
    """One periodic review held by both parties, as recorded when it was completed.

    `results`: one row per service level - {service_level, target, achieved, unit, met,
    period}; `actions`: {action, owner, due_on}; `participants`: {provider: [...], client: [...]}.
    """

    __tablename__ = "reviews"
    __table_args__ = (UniqueConstraint("agreement_id", "number", name="uq_reviews_agreement_number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    agreement_id: Mapped[int] = mapped_column(ForeignKey("agreements.id", ondelete="CASCADE"))
    number: Mapped[int]  # 1, 2, ... within the agreement
    held_on: Mapped[date]
    due_on: Mapped[Optional[date]]  # the scheduled date this review answered
    participants: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    results: Mapped[list[Any]] = mapped_column(JSON, default=list)
    effectiveness: Mapped[str] = mapped_column(Text, default="")
    client_issues: Mapped[str] = mapped_column(Text, default="")
    decisions: Mapped[str] = mapped_column(Text, default="")
    actions: Mapped[list[Any]] = mapped_column(JSON, default=list)
    recorded_by_id: Mapped[Optional[int]] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    recorded_at: Mapped[datetime] = mapped_column(default=utcnow)

    recorded_by: Mapped[Optional[User]] = relationship()


class Amendment(Base):
    """A change to an executed agreement, negotiated and signed like the original.

    It starts from the executed revision (`base_revision`); on execution it becomes
    "Amendment N", effective from `effective_on`, and `revision` is what both sides signed.
    """

    __tablename__ = "amendments"
    __table_args__ = (
        UniqueConstraint("agreement_id", "number", name="uq_amendments_agreement_number"),
        CheckConstraint(_in("status", AMENDMENT_STATUSES), name="status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    agreement_id: Mapped[int] = mapped_column(ForeignKey("agreements.id", ondelete="CASCADE"))
    number: Mapped[int]  # 1, 2, ... within the agreement
    status: Mapped[str] = mapped_column(String(16), default="open")
    reason: Mapped[str] = mapped_column(Text)
    effective_on: Mapped[Optional[date]]
    review_id: Mapped[Optional[int]] = mapped_column(ForeignKey("reviews.id", ondelete="SET NULL"))
    base_revision_id: Mapped[int] = mapped_column(ForeignKey("revisions.id"))
    revision_id: Mapped[Optional[int]] = mapped_column(ForeignKey("revisions.id"))
    opened_by_id: Mapped[Optional[int]] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    opened_at: Mapped[datetime] = mapped_column(default=utcnow)
    executed_at: Mapped[Optional[datetime]]

    base_revision: Mapped[Revision] = relationship(foreign_keys=[base_revision_id])
    revision: Mapped[Optional[Revision]] = relationship(foreign_keys=[revision_id])
    opened_by: Mapped[Optional[User]] = relationship()


class ReminderSent(Base):
    """One reminder to one person about one thing: the row that makes `remind` idempotent."""

    __tablename__ = "reminders_sent"
    __table_args__ = (
        UniqueConstraint("agreement_id", "subject", "user_id", name="uq_reminders_sent_agreement_subject_user"),
        Index("ix_reminders_sent_agreement", "agreement_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    agreement_id: Mapped[int] = mapped_column(ForeignKey("agreements.id", ondelete="CASCADE"))
    # What it is about, e.g. "review:2027-04-01", "renewal:2028-12-01", "milestone-overdue:Onboarding:2027-02-15".
    subject: Mapped[str] = mapped_column(String(300))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    run_on: Mapped[date]  # the --today of the run that sent it
    sent_at: Mapped[datetime] = mapped_column(default=utcnow)
