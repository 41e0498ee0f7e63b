"""What actually happened under an executed agreement: incidents and outages, as imported."""
from __future__ import annotations

from datetime import datetime
from typing import Any, Optional

from sqlalchemy import JSON, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, utcnow

REFERENCE_MAX = 100
PRIORITY_MAX = 40
REASON_MAX = 500


class Incident(Base):
    """One incident from the provider's service desk; its reference is unique within the agreement.

    Times are UTC; `responded_at` and `resolved_at` are empty while it is open. `pauses` is a list
    of [start, end] ISO 8601 UTC instants during which the provider waited for the client;
    `excluded` is the reason it does not count (an exclusion of the agreement), or None.
    """

    __tablename__ = "incidents"
    __table_args__ = (UniqueConstraint("agreement_id", "reference", name="uq_incidents_agreement_reference"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    agreement_id: Mapped[int] = mapped_column(ForeignKey("agreements.id", ondelete="CASCADE"))
    reference: Mapped[str] = mapped_column(String(REFERENCE_MAX))
    priority: Mapped[str] = mapped_column(String(PRIORITY_MAX))
    reported_at: Mapped[datetime]
    responded_at: Mapped[Optional[datetime]]
    resolved_at: Mapped[Optional[datetime]]
    pauses: Mapped[list[Any]] = mapped_column(JSON, default=list)
    excluded: Mapped[Optional[str]] = mapped_column(Text)
    imported_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    # The side whose member imported it (None: from the command line): only that side updates it.
    imported_side: Mapped[Optional[str]] = mapped_column(String(16))


class Outage(Base):
    """A time the services were unavailable; `planned`: notified maintenance, which availability leaves out.

    An outage is known by when it started: importing the same start again updates it.
    `ended_at` is empty while it goes on.
    """

    __tablename__ = "outages"
    __table_args__ = (UniqueConstraint("agreement_id", "started_at", name="uq_outages_agreement_started_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    agreement_id: Mapped[int] = mapped_column(ForeignKey("agreements.id", ondelete="CASCADE"))
    started_at: Mapped[datetime]
    ended_at: Mapped[Optional[datetime]]
    planned: Mapped[bool] = mapped_column(default=False)
    imported_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    imported_side: Mapped[Optional[str]] = mapped_column(String(16))  # as Incident.imported_side
