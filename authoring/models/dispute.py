"""The client's dispute of a line of a monthly service report, and the messages of its thread."""
from __future__ import annotations

from datetime import datetime
from typing import Optional

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .agreement import _in
from .base import Base, utcnow
from .user import User

# Stored statuses; "escalated" is stored when a side escalates it by hand, and is also what an
# open dispute shows once the escalation ladder has moved it past its first level (computed).
DISPUTE_STATUSES = ("open", "accepted", "rejected", "escalated")
DISPUTE_LINE_KINDS = ("priority", "incident")
LINE_MAX = 100


class Dispute(Base):
    """One disputed line of the report of `period` ("2027-03"): a priority's figure or one incident."""

    __tablename__ = "disputes"
    __table_args__ = (
        CheckConstraint(_in("status", DISPUTE_STATUSES), name="status"),
        CheckConstraint(_in("line_kind", DISPUTE_LINE_KINDS), name="line_kind"),
        Index("ix_disputes_agreement_period", "agreement_id", "period"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    agreement_id: Mapped[int] = mapped_column(ForeignKey("agreements.id", ondelete="CASCADE"))
    number: Mapped[int]  # 1, 2, ... within the agreement
    period: Mapped[str] = mapped_column(String(16))
    line_kind: Mapped[str] = mapped_column(String(16))
    line: Mapped[str] = mapped_column(String(LINE_MAX))  # the priority ("P1") or the incident's reference
    status: Mapped[str] = mapped_column(String(16), default="open")
    opened_by_id: Mapped[Optional[int]] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    opened_at: Mapped[datetime] = mapped_column(default=utcnow)
    closed_at: Mapped[Optional[datetime]]

    opened_by: Mapped[Optional[User]] = relationship()
    messages: Mapped[list["DisputeMessage"]] = relationship(
        back_populates="dispute", order_by="DisputeMessage.id", cascade="all, delete-orphan")


class DisputeMessage(Base):
    """One message of a dispute's thread; `status` is the status it set, if it changed one."""

    __tablename__ = "dispute_messages"

    id: Mapped[int] = mapped_column(primary_key=True)
    dispute_id: Mapped[int] = mapped_column(ForeignKey("disputes.id", ondelete="CASCADE"), index=True)
    author_id: Mapped[Optional[int]] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    side: Mapped[str] = mapped_column(String(16))
    body: Mapped[str] = mapped_column(Text)
    status: Mapped[Optional[str]] = mapped_column(String(16))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    dispute: Mapped[Dispute] = relationship(back_populates="messages")
    author: Mapped[Optional[User]] = relationship()
