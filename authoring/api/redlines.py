"""The redline between two revisions as JSON: the same comparison and attribution as the redline page."""
from __future__ import annotations

from ..negotiation.redlines import revision_redline
from ..revisions.store import RevisionIntegrityError
from .blueprint import agreement_access, blp
from .errors import ApiProblem
from .revisions import revision_or_404
from .schemas import RedlineQuery, RedlineSchema

OPERATIONS = {-1: "delete", 0: "equal", 1: "insert"}


def _attribution(change) -> dict:
    return {"proposal": change.proposal_number, "kind": change.kind, "author": change.author, "side": change.side,
            "accepted_by": change.accepted_by, "accepted_at": change.accepted_at, "label": change.label}


@blp.route("/agreements/<int:agreement_id>/redline", methods=["GET"])
@agreement_access("view")
@blp.arguments(RedlineQuery, location="query", as_kwargs=True)
@blp.response(200, RedlineSchema)
@blp.doc(tags=["Revisions"])
def redline(agreement, membership, older, newer):
    """What changed between revisions `from` and `to`

    The clauses that changed, aligned by key (added, removed, moved, changed), word-level
    segments inside them, the changed terms, and each change attributed to the proposal and
    the people who made and accepted it.
    """
    old, new = revision_or_404(agreement, older), revision_or_404(agreement, newer)
    try:
        result = revision_redline(agreement, old, new)
    except RevisionIntegrityError as error:
        raise ApiProblem(409, str(error), kind="integrity") from None
    return {
        "from_": old.number, "to": new.number, "counts": result.counts(),
        "clauses": [{
            "key": c.key, "status": c.status, "changed": c.changed, "title": c.title, "old_title": c.old_title,
            "number": c.number, "old_number": c.old_number, "section": c.section,
            "segments": [{"op": OPERATIONS[op], "text": text} for op, text in c.segments],
            "attributions": [_attribution(a) for a in c.attributions],
        } for c in result.changes()],
        "terms": [{"path": t.path, "label": t.label, "old": t.old, "new": t.new,
                   "attributions": [_attribution(a) for a in t.attributions]} for t in result.terms],
    }
