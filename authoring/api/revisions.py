"""Revisions: the immutable, hashed snapshots of the draft - list them, read one."""
from __future__ import annotations

from ..revisions.services import revision_by_number, revision_document, revisions_of
from ..revisions.store import RevisionIntegrityError
from .blueprint import agreement_access, blp
from .errors import ApiProblem
from .schemas import RevisionDetailSchema, RevisionSchema


def revision_body(revision) -> dict:
    return {"number": revision.number, "parent": revision.parent.number if revision.parent else None,
            "author": revision.author.name if revision.author else None, "side": revision.side,
            "message": revision.message, "hash": revision.hash, "created_at": revision.created_at,
            "changes": revision.changes}


def revision_or_404(agreement, number: int):
    revision = revision_by_number(agreement, number)
    if revision is None:
        raise ApiProblem(404)
    return revision


@blp.route("/agreements/<int:agreement_id>/revisions", methods=["GET"])
@agreement_access("view")
@blp.response(200, RevisionSchema(many=True))
@blp.doc(tags=["Revisions"])
def list_revisions(agreement, membership):
    """Every revision, newest first"""
    return [revision_body(r) for r in revisions_of(agreement)]


@blp.route("/agreements/<int:agreement_id>/revisions/<int:number>", methods=["GET"])
@agreement_access("view")
@blp.response(200, RevisionDetailSchema)
@blp.doc(tags=["Revisions"])
def read_revision(agreement, membership, number):
    """One revision with its document, verified against its hash (409 if the stored copy was altered)"""
    revision = revision_or_404(agreement, number)
    try:
        document = revision_document(revision)
    except RevisionIntegrityError as error:
        raise ApiProblem(409, str(error), kind="integrity") from None
    return {**revision_body(revision), "document": document.to_dict()}
