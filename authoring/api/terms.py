"""The interview's terms: read them with their ETag (the draft's hash), change one with If-Match."""
from __future__ import annotations

from flask import g, request
from flask_babel import gettext as _

from ..interview.services import DraftChanged, StepConflict, TermRefused, change_term
from ..negotiation.changes import InvalidChange
from ..negotiation.services import NegotiationError
from ..revisions.services import DraftLocked, draft_of
from .blueprint import agreement_access, blp
from .errors import ApiProblem
from .proposals import proposal_body, refusal
from .schemas import TermChangeResultSchema, TermChangeSchema, TermsSchema

IF_MATCH = {"name": "If-Match", "in": "header", "required": True, "schema": {"type": "string"},
            "description": "The ETag you read from GET …/terms (the draft's hash, quoted)."}
ETAG = {"ETag": {"description": "The draft's SHA-256, quoted.", "schema": {"type": "string"}}}


def _terms_response(draft, document, status=200, **extra):
    digest = document.sha256()
    return {"terms": document.terms, "hash": digest, "version": draft.version, **extra}, status, {"ETag": f'"{digest}"'}


@blp.route("/agreements/<int:agreement_id>/terms", methods=["GET"])
@agreement_access("view")
@blp.response(200, TermsSchema, headers=ETAG)
@blp.doc(tags=["Terms"])
def read_terms(agreement, membership):
    """The terms as the interview holds them, with the draft's hash as ETag"""
    draft, document = draft_of(agreement)
    return _terms_response(draft, document)


def _stale() -> ApiProblem:
    return ApiProblem(412, _("The terms changed since you read them. Read them again and send your change with "
                             "the new ETag."), kind="stale")


@blp.route("/agreements/<int:agreement_id>/terms/<path>", methods=["PUT"])
@agreement_access("propose")
@blp.arguments(TermChangeSchema)
@blp.response(200, TermChangeResultSchema, headers=ETAG)
@blp.doc(tags=["Terms"], parameters=[IF_MATCH])
def change(body, agreement, membership, path):
    """Change one term (`path`, dotted: `costs.payment_due_days`)

    Before the draft is shared the answer is saved, as the interview saves it (each side
    answers its own party; the provider the rest). Once shared, it is proposed to the other
    side (`applied` false, the proposal listed). Send `If-Match` with the ETag you read:
    412 when the terms changed since, 428 without it.
    """
    if not request.headers.get("If-Match"):
        raise ApiProblem(428, kind="if-match-required")
    draft, document = draft_of(agreement)
    current = document.sha256()
    if not (request.if_match.star_tag or request.if_match.contains(current)):
        raise _stale()
    try:
        proposals = change_term(agreement, g.user, membership, path, body["value"], current, body["reason"])
    except (DraftChanged, StepConflict):
        raise _stale() from None
    except TermRefused as error:
        raise ApiProblem(422, str(error), kind="validation", errors=[
            {"field": "value" + pointer.replace("/", "."), "pointer": "#/value" + pointer, "in": "body",
             "detail": message} for pointer, message in error.errors]) from None
    except DraftLocked as error:
        raise ApiProblem(409, str(error), kind="locked") from None
    except (NegotiationError, InvalidChange) as error:
        raise refusal(error) from None
    draft, document = draft_of(agreement)
    return _terms_response(draft, document, applied=not agreement.shared,
                           proposals=[proposal_body(p) for p in proposals])
