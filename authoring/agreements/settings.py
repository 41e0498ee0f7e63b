"""An agreement's own settings beyond its terms: today, the paper its documents are printed on.

The setting changes how the Word exports are laid out, never the agreement's text, so it
makes no revision; it is audited like any other change to the agreement.
"""
from __future__ import annotations

from ..audit import record
from ..extensions import db
from ..models import Agreement, User
from ..models.agreement import PAPER_SIZES
from .services import lock_agreement

AUTOMATIC = "automatic"  # the audit's word for "no setting: from the agreement's language"


def set_paper_size(agreement: Agreement, actor: User, paper_size: str | None) -> bool:
    """Print the agreement's documents on `paper_size` ("A4", "Letter"), or, with None, on its language's
    paper. Returns whether anything changed (an unchanged setting records nothing)."""
    if paper_size is not None and paper_size not in PAPER_SIZES:
        raise ValueError(f"Unknown paper size {paper_size!r}; one of {', '.join(PAPER_SIZES)}.")
    lock_agreement(agreement.id)
    if agreement.paper_size == paper_size:
        return False
    old, agreement.paper_size = agreement.paper_size, paper_size
    record("agreement.paper_size_changed", actor=actor, agreement=agreement, old=old or AUTOMATIC,
           new=paper_size or AUTOMATIC)
    db.session.commit()
    return True
