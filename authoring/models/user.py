"""People: accounts, their signed-in sessions, e-mail confirmations and failed log-in attempts."""
from __future__ import annotations

from datetime import datetime
from typing import Optional

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base, utcnow

EMAIL_MAX = 254
NAME_MAX = 120


class User(Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(EMAIL_MAX), unique=True)  # stored lower-cased
    name: Mapped[str] = mapped_column(String(NAME_MAX))
    password_hash: Mapped[str] = mapped_column(String(255))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    password_changed_at: Mapped[datetime] = mapped_column(default=utcnow)
    # The private calendar feed's token, as its SHA-256 (the token itself is shown once).
    calendar_token_hash: Mapped[Optional[str]] = mapped_column(String(64), unique=True)
    # When the owner proved they read this address (a link e-mailed to it); until then the
    # account may not accept invitations or sign.
    email_verified_at: Mapped[Optional[datetime]]
    # The interface language the person chose ("pl"); e-mails to them use it too. None: their browser's.
    language: Mapped[Optional[str]] = mapped_column(String(8))

    def __repr__(self) -> str:
        return f"<User {self.id} {self.email}>"


def name_of(user: "User | None") -> str:
    """A person's name for a record of what they did; accounts can be deleted, the record stays."""
    return user.name if user is not None else "a former member"


class UserSession(Base):
    """One signed-in browser. The cookie carries a random id; we keep only its hash.

    Logging out revokes the row, so a copied cookie stops working; changing the
    password revokes every row of the user.
    """

    __tablename__ = "user_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]
    revoked_at: Mapped[Optional[datetime]]
    ip: Mapped[Optional[str]] = mapped_column(String(64))
    user_agent: Mapped[Optional[str]] = mapped_column(String(255))


class EmailConfirmation(Base):
    """A single-use, expiring link that proves the account's owner reads its address. Only the token's hash is kept."""

    __tablename__ = "email_confirmations"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]
    used_at: Mapped[Optional[datetime]]

    user: Mapped[User] = relationship()


class LoginFailure(Base):
    """A failed log-in, kept for throttling per account and per IP."""

    __tablename__ = "login_failures"
    __table_args__ = (
        Index("ix_login_failures_email_at", "email", "at"),
        Index("ix_login_failures_ip_at", "ip", "at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(EMAIL_MAX))
    ip: Mapped[str] = mapped_column(String(64))
    at: Mapped[datetime] = mapped_column(default=utcnow)
