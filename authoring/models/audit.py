"""The append-only audit log, its chains' heads and its verified checkpoints."""
from __future__ import annotations

from datetime import datetime
from typing import Any, Optional

from sqlalchemy import JSON, ForeignKey, Index, String, event
from sqlalchemy.orm import Mapped, Session, mapped_column, relationship

from .base import Base, utcnow
from .user import User


class AuditEvent(Base):
    """Who did what, when, from where, on which agreement. Rows are only ever added."""

    __tablename__ = "audit_events"
    __table_args__ = (Index("ix_audit_events_agreement_at", "agreement_id", "at"),
                      Index("ix_audit_events_agreement_seq", "agreement_id", "seq"))

    id: Mapped[int] = mapped_column(primary_key=True)
    # No cascade: the log outlives what it describes.
    agreement_id: Mapped[Optional[int]] = mapped_column()
    actor_id: Mapped[Optional[int]] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    at: Mapped[datetime] = mapped_column(default=utcnow)
    ip: Mapped[Optional[str]] = mapped_column(String(64))
    action: Mapped[str] = mapped_column(String(64))
    details: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    # Keyed chain (per agreement; events without an agreement form one chain of their own):
    # `seq` numbers the chain's events 1, 2, 3...; `hash` is an HMAC under AUDIT_KEY over this
    # event's fields, `seq` and `prev_hash` (the previous event's `hash`). See authoring/audit/.
    seq: Mapped[int] = mapped_column(default=0)
    prev_hash: Mapped[str] = mapped_column(String(64), default="")
    hash: Mapped[str] = mapped_column(String(64), default="")

    actor: Mapped[Optional[User]] = relationship()


class AuditHead(Base):
    """Where a chain ends: its newest event's `seq` and `hash`, sealed with the chain's id.

    Kept apart from the events and written in the same transaction as each of them, so
    deleting the newest events leaves a head that points past the end of the chain.
    `chain` is the agreement's id, or 0 for the events without an agreement. No foreign
    key: the log outlives what it describes.
    """

    __tablename__ = "audit_heads"

    chain: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    seq: Mapped[int]
    hash: Mapped[str] = mapped_column(String(64))
    mac: Mapped[str] = mapped_column(String(64))


class AuditCheckpoint(Base):
    """A point up to which a chain was verified in full: later checks start here (sealed)."""

    __tablename__ = "audit_checkpoints"
    __table_args__ = (Index("ix_audit_checkpoints_chain_seq", "chain", "seq"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    chain: Mapped[int]  # as AuditHead.chain
    seq: Mapped[int]
    hash: Mapped[str] = mapped_column(String(64))
    made_at: Mapped[datetime] = mapped_column(default=utcnow)
    mac: Mapped[str] = mapped_column(String(64))


class AuditLogIsAppendOnly(RuntimeError):
    pass


@event.listens_for(Session, "before_flush")
def _refuse_audit_changes(session: Session, _context, _instances) -> None:
    for obj in list(session.dirty) + list(session.deleted):
        if isinstance(obj, AuditEvent) and (obj in session.deleted or session.is_modified(obj)):
            raise AuditLogIsAppendOnly("audit events are never changed or deleted")
