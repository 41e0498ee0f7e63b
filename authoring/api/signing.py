"""Signing status, read-only: signing stays in the browser, with the password re-entered."""
from __future__ import annotations

from ..models import SIDES
from ..signing.services import signing_state
from .blueprint import agreement_access, blp
from .schemas import SigningStatusSchema


@blp.route("/agreements/<int:agreement_id>/signing", methods=["GET"])
@agreement_access("view")
@blp.response(200, SigningStatusSchema)
@blp.doc(tags=["Signing"])
def signing_status(agreement, membership):
    """Who has signed which revision, and what still stops signing (the API never signs)"""
    state = signing_state(agreement)
    signed = [side for side in SIDES if state.valid_for(side) is not None]
    return {
        "status": agreement.status, "revision_number": state.revision_number, "revision_hash": state.revision_hash,
        "needs_new_revision": state.needs_new_revision, "open": not state.blocking, "blocking": state.blocking,
        "signed_sides": signed, "awaiting_sides": [side for side in SIDES if side not in signed],
        "signatures": [{"side": s.side, "organisation": s.organisation, "full_name": s.full_name,
                        "job_title": s.job_title, "signed_at": s.signed_at, "revision_number": s.revision_number,
                        "revision_hash": s.revision_hash, "void": s.void} for s in state.signatures],
        "executed_at": agreement.executed_at,
    }
