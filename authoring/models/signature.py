"""Signatures: one side's sign-off of one revision, sealed with a server-side MAC."""
from __future__ import annotations

from datetime import datetime
from typing import Optional

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .agreement import SIDES, _in
from .base import Base
from .revision import Revision
from .user import User

NAME_MAX = 200
TITLE_MAX = 200


class Signature(Base):
    """What a signatory did when signing, exactly as recorded then.

    Every field that identifies the act (revision hash, person, name and title as
    typed, time, IP, user agent, consent text, the audit chain's head) is covered by
    `mac`, an HMAC-SHA256 with a key only the server holds, so a row edited in the
    database no longer verifies. A signature is never deleted: reopening the
    agreement for changes voids it (`voided_at`), and the record stays.
    """

    __tablename__ = "signatures"
    __table_args__ = (
        CheckConstraint(_in("side", SIDES), name="side"),
        Index("ix_signatures_agreement_revision", "agreement_id", "revision_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    agreement_id: Mapped[int] = mapped_column(ForeignKey("agreements.id", ondelete="CASCADE"))
    revision_id: Mapped[int] = mapped_column(ForeignKey("revisions.id"))
    revision_number: Mapped[int]
    # 0 for the original execution, N for amendment N: each signing round stands on its own.
    amendment_number: Mapped[int] = mapped_column(default=0)
    revision_hash: Mapped[str] = mapped_column(String(64))
    user_id: Mapped[Optional[int]] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    email: Mapped[str] = mapped_column(String(254))
    side: Mapped[str] = mapped_column(String(16))
    organisation: Mapped[str] = mapped_column(String(200))
    full_name: Mapped[str] = mapped_column(String(NAME_MAX))
    job_title: Mapped[str] = mapped_column(String(TITLE_MAX))
    signed_at: Mapped[datetime]
    ip: Mapped[Optional[str]] = mapped_column(String(64))
    user_agent: Mapped[str] = mapped_column(String(512), default="")
    consent_text: Mapped[str] = mapped_column(Text)
    audit_head: Mapped[str] = mapped_column(String(64), default="")
    # How the signer came to sign for this side, as recorded at signing and sealed with the rest:
    # "invitation" (who invited them, when, when they accepted), "creator" (they created the
    # agreement) or "unrecorded"; None on signatures given before this was recorded.
    joined_via: Mapped[Optional[str]] = mapped_column(String(16))
    invited_by: Mapped[Optional[str]] = mapped_column(String(500))  # "Name <e-mail>" of the inviter
    invited_at: Mapped[Optional[datetime]]
    joined_at: Mapped[Optional[datetime]]
    mac: Mapped[str] = mapped_column(String(64))
    voided_at: Mapped[Optional[datetime]]
    void_reason: Mapped[Optional[str]] = mapped_column(Text)

    revision: Mapped[Revision] = relationship()
    user: Mapped[Optional[User]] = relationship()

    @property
    def void(self) -> bool:
        return self.voided_at is not None
