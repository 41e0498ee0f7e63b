"""Webhooks: the endpoints a side's systems listen on, and the deliveries waiting for them (an outbox)."""
from __future__ import annotations

from datetime import datetime
from typing import Optional

from sqlalchemy import JSON, CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .agreement import SIDES, Agreement, _in
from .base import Base, utcnow
from .user import User

URL_MAX = 2000


class WebhookEndpoint(Base):
    """An address one side of an agreement receives its events at, with the events it wants.

    The signing secret is stored encrypted (webhooks/signatures.py): it must be read to sign
    each delivery, and is shown to the owner only when it is made (created or rotated).
    """

    __tablename__ = "webhook_endpoints"
    __table_args__ = (CheckConstraint(_in("side", SIDES), name="side"),
                      Index("ix_webhook_endpoints_agreement_side", "agreement_id", "side"))

    id: Mapped[int] = mapped_column(primary_key=True)
    agreement_id: Mapped[int] = mapped_column(ForeignKey("agreements.id", ondelete="CASCADE"))
    side: Mapped[str] = mapped_column(String(16))
    url: Mapped[str] = mapped_column(String(URL_MAX))
    secret_encrypted: Mapped[str] = mapped_column(Text)
    events: Mapped[list[str]] = mapped_column(JSON, default=list)  # webhook event types (webhooks/events.py)
    active: Mapped[bool] = mapped_column(default=True)
    created_by_id: Mapped[Optional[int]] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    secret_rotated_at: Mapped[Optional[datetime]]

    agreement: Mapped[Agreement] = relationship()
    created_by: Mapped[Optional[User]] = relationship()


class WebhookDelivery(Base):
    """One event on its way to one endpoint: written in the transaction of the event, sent and
    retried by `flask outbox send`.

    `event_id` names the event for de-duplication: the same on every attempt, unique per
    endpoint. `body` is the exact JSON sent each time. `next_attempt_at` is when the sender
    may try it next; None once it was delivered or given up (`failed_at`).
    """

    __tablename__ = "webhook_deliveries"
    __table_args__ = (UniqueConstraint("endpoint_id", "event_id", name="uq_webhook_deliveries_endpoint_event"),
                      Index("ix_webhook_deliveries_next_attempt_at", "next_attempt_at"))

    id: Mapped[int] = mapped_column(primary_key=True)
    endpoint_id: Mapped[int] = mapped_column(ForeignKey("webhook_endpoints.id", ondelete="CASCADE"))
    event_id: Mapped[str] = mapped_column(String(36))
    event: Mapped[str] = mapped_column(String(64))
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[Optional[datetime]]
    last_attempt_at: Mapped[Optional[datetime]]
    delivered_at: Mapped[Optional[datetime]]
    failed_at: Mapped[Optional[datetime]]
    last_status: Mapped[Optional[int]]  # the receiver's HTTP status; None when no answer came
    last_error: Mapped[Optional[str]] = mapped_column(Text)

    endpoint: Mapped[WebhookEndpoint] = relationship()
