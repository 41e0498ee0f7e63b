"""Personal access tokens for the JSON API, what they may reach, and what they have asked for.

A token belongs to one person and acts as them, within its scope ("read" or
"read-write") and, when limited, only on the agreements it names. Only the SHA-256
of the token is stored; its first characters (`prefix`) let the owner tell tokens
apart on the account page.
"""
from __future__ import annotations

from datetime import datetime
from typing import Optional

from sqlalchemy import CheckConstraint, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .agreement import _in
from .base import Base, utcnow
from .user import User

TOKEN_SCOPES = ("read", "read-write")
TOKEN_NAME_MAX = 80
IDEMPOTENCY_KEY_MAX = 255


class ApiToken(Base):
    __tablename__ = "api_tokens"
    __table_args__ = (CheckConstraint(_in("scope", TOKEN_SCOPES), name="scope"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(TOKEN_NAME_MAX))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    prefix: Mapped[str] = mapped_column(String(16))  # the token's first characters, for the owner to recognise it
    scope: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]
    revoked_at: Mapped[Optional[datetime]]
    last_used_at: Mapped[Optional[datetime]]
    # True: the token reaches only the agreements listed in api_token_agreements.
    limited: Mapped[bool] = mapped_column(default=False)

    user: Mapped[User] = relationship(lazy="joined")
    agreements: Mapped[list["ApiTokenAgreement"]] = relationship(cascade="all, delete-orphan",
                                                                  order_by="ApiTokenAgreement.agreement_id")

    @property
    def writes(self) -> bool:
        return self.scope == "read-write"

    @property
    def agreement_ids(self) -> frozenset[int]:
        return frozenset(link.agreement_id for link in self.agreements)

    def state(self, now: datetime) -> str:
        """'revoked', 'expired' or 'active'."""
        if self.revoked_at is not None:
            return "revoked"
        if self.expires_at <= now:
            return "expired"
        return "active"


class ApiTokenAgreement(Base):
    """One agreement a limited token may reach (membership is still checked on every request)."""

    __tablename__ = "api_token_agreements"

    token_id: Mapped[int] = mapped_column(ForeignKey("api_tokens.id", ondelete="CASCADE"), primary_key=True)
    agreement_id: Mapped[int] = mapped_column(ForeignKey("agreements.id", ondelete="CASCADE"), primary_key=True)


class IdempotencyKey(Base):
    """A POST made with an Idempotency-Key header, and the answer it got.

    The row is written before the request runs (so a concurrent retry waits its turn
    or is told the first is still running) and completed with the response, which a
    retry with the same key and body gets again instead of acting twice.
    """

    __tablename__ = "idempotency_keys"
    __table_args__ = (UniqueConstraint("token_id", "key", name="uq_idempotency_keys_token_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    token_id: Mapped[int] = mapped_column(ForeignKey("api_tokens.id", ondelete="CASCADE"))
    key: Mapped[str] = mapped_column(String(IDEMPOTENCY_KEY_MAX))
    method: Mapped[str] = mapped_column(String(8))
    path: Mapped[str] = mapped_column(String(500))
    request_hash: Mapped[str] = mapped_column(String(64))  # SHA-256 of the request body
    response_status: Mapped[Optional[int]]  # None while the first request is still running
    response_body: Mapped[Optional[str]] = mapped_column(Text)
    response_type: Mapped[Optional[str]] = mapped_column(String(100))
    response_location: Mapped[Optional[str]] = mapped_column(String(500))
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)


class ApiRequestCount(Base):
    """Requests one token made in one fixed window (a minute): the rate limit's counter.

    Kept in the database, not in a process, so every app process counts against one limit.
    """

    __tablename__ = "api_request_counts"
    __table_args__ = (Index("ix_api_request_counts_window", "window_start"),)

    token_id: Mapped[int] = mapped_column(ForeignKey("api_tokens.id", ondelete="CASCADE"), primary_key=True)
    window_start: Mapped[datetime] = mapped_column(primary_key=True)
    count: Mapped[int] = mapped_column(Integer, default=0)
