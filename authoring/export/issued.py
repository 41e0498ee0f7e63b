"""Record signed documents as they are handed out, and recognise them later (models/issued.py says why)."""
from __future__ import annotations

import hashlib

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from ..extensions import db
from ..models import Agreement, IssuedDocument


def record_issued(agreement: Agreement, revision_hash: str, data: bytes) -> None:
    """Keep the digest of a signed DOCX about to be downloaded (once per distinct file)."""
    digest = hashlib.sha256(data).hexdigest()
    if db.session.scalar(select(IssuedDocument.id).where(IssuedDocument.sha256 == digest)) is not None:
        return
    try:
        with db.session.begin_nested():  # a concurrent download of the same file may insert it first
            db.session.add(IssuedDocument(agreement_id=agreement.id, revision_hash=revision_hash, sha256=digest))
    except IntegrityError:
        pass
    db.session.commit()


def issued_copy(agreement: Agreement, revision_hash: str, data: bytes) -> IssuedDocument | None:
    """The record of this exact file, when it was issued for that agreement's executed revision."""
    return db.session.scalar(select(IssuedDocument).where(
        IssuedDocument.agreement_id == agreement.id, IssuedDocument.revision_hash == revision_hash,
        IssuedDocument.sha256 == hashlib.sha256(data).hexdigest()))
