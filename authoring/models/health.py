"""An owner's acknowledgement of a failing health check, with the reason."""
from __future__ import annotations

from datetime import datetime
from typing import Optional

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base, utcnow
from .user import User

REASON_MAX = 1000


class HealthAcknowledgement(Base):
    """While this row exists, the rule does not stop the agreement from being marked ready."""

    __tablename__ = "health_acknowledgements"
    __table_args__ = (UniqueConstraint("agreement_id", "rule", name="uq_health_acknowledgements_agreement_rule"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    agreement_id: Mapped[int] = mapped_column(ForeignKey("agreements.id", ondelete="CASCADE"))
    rule: Mapped[str] = mapped_column(String(64))
    reason: Mapped[str] = mapped_column(Text)
    user_id: Mapped[Optional[int]] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    user: Mapped[Optional[User]] = relationship()
