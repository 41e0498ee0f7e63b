"""A Word file a member uploaded to propose its changes: kept between the preview and the proposals."""
from __future__ import annotations

from datetime import datetime
from typing import Optional

from sqlalchemy import ForeignKey, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, utcnow


class WordUpload(Base):
    """One uploaded DOCX: the preview reads it, the import proposes from it, then its bytes are let go.

    The file's SHA-256 stays (the audit event names it too); its content is cleared once its
    changes were proposed, since the proposals carry everything it said.
    """

    __tablename__ = "word_uploads"

    id: Mapped[int] = mapped_column(primary_key=True)
    agreement_id: Mapped[int] = mapped_column(ForeignKey("agreements.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[Optional[int]] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    file_name: Mapped[str] = mapped_column(String(255))
    sha256: Mapped[str] = mapped_column(String(64))
    data: Mapped[Optional[bytes]] = mapped_column(LargeBinary)
    uploaded_at: Mapped[datetime] = mapped_column(default=utcnow)
    imported_at: Mapped[Optional[datetime]]
