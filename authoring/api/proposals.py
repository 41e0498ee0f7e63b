"""Proposals: list, read, make (or counter), accept, reject, withdraw - the negotiation services, as the pages use them."""
from __future__ import annotations

from flask import g, url_for
from flask_babel import gettext as _
from marshmallow import ValidationError

from ..interview.services import TermRefused, propose_term
from ..models import Proposal
from ..negotiation.changes import InvalidChange, current_value, new_clause_key
from ..negotiation.services import (
    NegotiationError, NotAllowed, NothingToPropose, ProposalConflict, accept, proposal_by_number, proposals_of,
    propose, propose_wording, reject, withdraw,
)
from ..revisions.services import DraftLocked, draft_of
from .blueprint import agreement_access, blp, post_doc
from .errors import ApiProblem, field_errors
from .schemas import (
    AcceptedSchema, AnswerSchema, NewClauseSchema, ProposalCreateSchema, ProposalListQuery, ProposalSchema,
    ProposalsMadeSchema, RejectSchema,
)


def proposal_body(proposal: Proposal) -> dict:
    return {
        "number": proposal.number, "kind": proposal.kind, "target": proposal.target, "status": proposal.status,
        "side": proposal.side, "author": proposal.author.name if proposal.author else None, "value": proposal.value,
        "base_value": proposal.base_value, "reason": proposal.reason or "", "created_at": proposal.created_at,
        "counter_of": proposal.counter_of.number if proposal.counter_of else None,
        "responded_by": proposal.responded_by.name if proposal.responded_by else None,
        "responded_at": proposal.responded_at, "response_reason": proposal.response_reason,
        "merged": proposal.merged,
    }


def refusal(error: Exception) -> ApiProblem:
    """A service's refusal as a problem: 403 for a rule about people, 409 (both versions) for a conflict,
    422 for a change that cannot be made, else the status the error carries."""
    if isinstance(error, NotAllowed):
        return ApiProblem(403, str(error), kind="not-allowed")
    if isinstance(error, ProposalConflict):
        return ApiProblem(409, str(error), kind="conflict", current=error.current, proposed=error.proposed)
    if isinstance(error, (NothingToPropose, InvalidChange)):
        return ApiProblem(422, str(error), kind="unprocessable")
    if isinstance(error, TermRefused):
        return ApiProblem(422, str(error), kind="validation", errors=[
            {"field": "value" + pointer.replace("/", "."), "pointer": "#/value" + pointer, "in": "body",
             "detail": message} for pointer, message in error.errors])
    if isinstance(error, DraftLocked):
        return ApiProblem(409, str(error), kind="locked")
    return ApiProblem(getattr(error, "status", 409), str(error), kind="refused")


def _proposal_or_404(agreement, number: int) -> Proposal:
    proposal = proposal_by_number(agreement, number)
    if proposal is None:
        raise ApiProblem(404)
    return proposal


def _missing(*names: str) -> ApiProblem:
    return ApiProblem(422, _("Some values cannot be used; “errors” says which and why."), kind="validation",
                      errors=[{"field": name, "pointer": f"#/{name}", "in": "body",
                               "detail": _("Required for this kind of proposal.")} for name in names])


@blp.route("/agreements/<int:agreement_id>/proposals", methods=["GET"])
@agreement_access("view")
@blp.arguments(ProposalListQuery, location="query", as_kwargs=True)
@blp.response(200, ProposalSchema(many=True))
@blp.doc(tags=["Proposals"])
def list_proposals(agreement, membership, status=None):
    """The agreement's proposals, newest first (optionally of one `status`)"""
    return [proposal_body(p) for p in proposals_of(agreement) if status is None or p.status == status]


@blp.route("/agreements/<int:agreement_id>/proposals/<int:number>", methods=["GET"])
@agreement_access("view")
@blp.response(200, ProposalSchema)
@blp.doc(tags=["Proposals"])
def read_proposal(agreement, membership, number):
    """One proposal"""
    return proposal_body(_proposal_or_404(agreement, number))


def _make(agreement, membership, body) -> tuple[list[Proposal], bool]:
    kind, reason = body["kind"], body["reason"]
    counter = _proposal_or_404(agreement, body["counter_of"]) if "counter_of" in body else None
    if kind == "clause_add":
        try:
            value = NewClauseSchema().load(body.get("value") if isinstance(body.get("value"), dict) else {})
        except ValidationError as error:
            raise ApiProblem(422, _("A new clause needs a section, a title and a text."), kind="validation",
                             errors=[{**e, "field": "value." + e["field"], "pointer": "#/value" + e["pointer"][1:]}
                                     for e in field_errors(error.messages, "body")]) from None
        _draft, document = draft_of(agreement)
        key = new_clause_key(value["title"], document)
        proposal, _rebased = propose(agreement, g.user, membership, "clause_add", key, value, None, reason)
        return [proposal], False
    if "target" not in body:
        raise _missing("target")
    target = body["target"]
    if kind == "clause_remove":
        _draft, document = draft_of(agreement)
        base = current_value(document, "clause_remove", target)
        proposal, _rebased = propose(agreement, g.user, membership, kind, target, None, base, reason, counter)
        return [proposal], False
    absent = [name for name in ("value", "base_value") if name not in body]
    if absent:
        raise _missing(*absent)
    value, base = body["value"], body["base_value"]
    if kind == "clause_text":
        if not isinstance(value, str) or not isinstance(base, str):
            raise ApiProblem(422, _("A clause's wording and the wording it was based on are texts."), kind="validation",
                             errors=[{"field": name, "pointer": f"#/{name}", "in": "body", "detail": _("Not a text.")}
                                     for name, given in (("value", value), ("base_value", base))
                                     if not isinstance(given, str)])
        return propose_wording(agreement, g.user, membership, target, value, base, reason, counter)
    if kind == "clause_variant" and not isinstance(value, str):
        raise ApiProblem(422, _("A clause's variant is named by a text."), kind="validation", errors=[
            {"field": "value", "pointer": "#/value", "in": "body", "detail": _("Not a text.")}])
    if kind == "term":
        return [propose_term(agreement, g.user, membership, target, value, base, reason, counter)], False
    proposal, _rebased = propose(agreement, g.user, membership, kind, target, value, base, reason, counter)
    return [proposal], False


@blp.route("/agreements/<int:agreement_id>/proposals", methods=["POST"])
@agreement_access("propose")
@blp.arguments(ProposalCreateSchema)
@blp.response(201, ProposalsMadeSchema)
@post_doc("Proposals")
def make_proposal(body, agreement, membership):
    """Propose a change to the shared draft (or counter the other side's with `counter_of`)

    `term`: a term's new `value` on `base_value` (as the interview proposes it). `clause_text`:
    a clause's new wording on the wording you read (merged exactly onto a newer one, or a
    409 with both); a value of a term written differently becomes a term proposal.
    `clause_variant`: a library clause's variant. `clause_add`: `value` {section, title, text}.
    `clause_remove`: the clause `target`.
    """
    try:
        proposals, rebased = _make(agreement, membership, body)
    except (NegotiationError, InvalidChange, TermRefused, DraftLocked) as error:
        raise refusal(error) from None
    return {"proposals": [proposal_body(p) for p in proposals], "rebased": rebased}, 201, {
        "Location": url_for("api.read_proposal", agreement_id=agreement.id, number=proposals[0].number)}


@blp.route("/agreements/<int:agreement_id>/proposals/<int:number>/accept", methods=["POST"])
@agreement_access("answer")
@blp.arguments(AnswerSchema, required=False)
@blp.response(200, AcceptedSchema)
@post_doc("Proposals")
def accept_proposal(body, agreement, membership, number):
    """Accept the other side's proposal: the draft changes (merged exactly with changes made since, or a 409)"""
    proposal = _proposal_or_404(agreement, number)
    try:
        merged = accept(agreement, g.user, membership, proposal)
    except (NegotiationError, InvalidChange, DraftLocked) as error:
        raise refusal(error) from None
    return {"proposal": proposal_body(proposal), "merged": merged}


@blp.route("/agreements/<int:agreement_id>/proposals/<int:number>/reject", methods=["POST"])
@agreement_access("answer")
@blp.arguments(RejectSchema)
@blp.response(200, ProposalSchema)
@post_doc("Proposals")
def reject_proposal(body, agreement, membership, number):
    """Reject the other side's proposal, saying why"""
    proposal = _proposal_or_404(agreement, number)
    try:
        reject(agreement, g.user, membership, proposal, body["reason"])
    except NegotiationError as error:
        raise refusal(error) from None
    return proposal_body(proposal)


@blp.route("/agreements/<int:agreement_id>/proposals/<int:number>/withdraw", methods=["POST"])
@agreement_access("propose")
@blp.arguments(AnswerSchema, required=False)
@blp.response(200, ProposalSchema)
@post_doc("Proposals")
def withdraw_proposal(body, agreement, membership, number):
    """Withdraw a proposal you made"""
    proposal = _proposal_or_404(agreement, number)
    try:
        withdraw(agreement, g.user, proposal)
    except NegotiationError as error:
        raise refusal(error) from None
    return proposal_body(proposal)
