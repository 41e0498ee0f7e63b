"""Signed documents as they were handed out: their SHA-256, so a file stays verifiable after Accord changes."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, utcnow


class IssuedDocument(Base):
    """One signed DOCX as downloaded (first time only): which executed revision, and the file's digest.

    Verification re-renders the signed document and compares it part by part; that holds while
    the renderer stays the same. A later release that words the certificate or a label
    differently (a corrected translation) renders other bytes, and a file downloaded before it
    would no longer match. Its digest here still proves it is exactly what was issued.
    """

    __tablename__ = "issued_documents"

    id: Mapped[int] = mapped_column(primary_key=True)
    agreement_id: Mapped[int] = mapped_column(ForeignKey("agreements.id", ondelete="CASCADE"), index=True)
    revision_hash: Mapped[str] = mapped_column(String(64))
    sha256: Mapped[str] = mapped_column(String(64), unique=True)
    issued_at: Mapped[datetime] = mapped_column(default=utcnow)
