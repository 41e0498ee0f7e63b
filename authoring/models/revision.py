"""The working draft of an agreement, its immutable revisions and their content-addressed blobs."""
from __future__ import annotations

from datetime import datetime
from typing import Optional

from sqlalchemy import JSON, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base, utcnow
from .user import User


class Draft(Base):
    """The one working copy of an agreement's document. `version` grows with every write."""

    __tablename__ = "drafts"

    agreement_id: Mapped[int] = mapped_column(ForeignKey("agreements.id", ondelete="CASCADE"), primary_key=True)
    document: Mapped[str] = mapped_column(Text)  # canonical JSON of authoring.document.Document
    version: Mapped[int] = mapped_column(default=1)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_by_id: Mapped[Optional[int]] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    updated_by: Mapped[Optional[User]] = relationship()


class Blob(Base):
    """A piece of a document stored once under the SHA-256 of its canonical JSON.

    `kind` is 'clause' (one clause instance), 'section' (title and clause hashes) or
    'terms'. Identical content shared by many revisions is one row.
    """

    __tablename__ = "blobs"

    hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))
    content: Mapped[str] = mapped_column(Text)


class Revision(Base):
    """An immutable snapshot of the document: a tree of blob hashes plus the document's hash."""

    __tablename__ = "revisions"
    __table_args__ = (UniqueConstraint("agreement_id", "number", name="uq_revisions_agreement_number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    agreement_id: Mapped[int] = mapped_column(ForeignKey("agreements.id", ondelete="CASCADE"), index=True)
    number: Mapped[int]
    parent_id: Mapped[Optional[int]] = mapped_column(ForeignKey("revisions.id"))
    author_id: Mapped[Optional[int]] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    side: Mapped[Optional[str]] = mapped_column(String(16))  # the author's side
    message: Mapped[str] = mapped_column(String(500))
    # What changed since the parent: {"added": n, "removed": n, "moved": n, "changed": n, "terms": n}.
    changes: Mapped[Optional[dict]] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    hash: Mapped[str] = mapped_column(String(64))  # SHA-256 of the whole document's canonical JSON
    tree: Mapped[str] = mapped_column(Text)  # canonical JSON: {"terms": hash, "sections": [hash, ...]}

    author: Mapped[Optional[User]] = relationship()
    parent: Mapped[Optional["Revision"]] = relationship(remote_side=[id])
