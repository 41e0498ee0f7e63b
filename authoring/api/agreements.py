"""Agreements: the register (search, filters, sort, cursor pages), start one, read one."""
from __future__ import annotations

import base64
import binascii
import json
from dataclasses import replace

from flask import g, url_for
from flask_babel import gettext as _

from ..agreements.register import RegisterQuery, agreement_register
from ..agreements.services import create_agreement
from ..document.canonical import content_hash
from ..models import Agreement, Membership, utcnow
from ..revisions.services import draft_of, latest_revision
from .blueprint import agreement_access, blp, post_doc, require_scope
from .errors import ApiProblem
from .schemas import AgreementCreateSchema, AgreementListQuery, AgreementPageSchema, AgreementSchema


def _fingerprint(query: RegisterQuery) -> str:
    return content_hash({"q": query.search, "status": list(query.statuses), "attention": query.attention,
                         "sort": query.sort, "desc": query.descending})[:16]


def _cursor(query: RegisterQuery, page: int) -> str:
    raw = json.dumps({"page": page, "query": _fingerprint(query)}, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _page_of(cursor: str | None, query: RegisterQuery) -> int:
    """The page a cursor points at; 422 for a cursor that is not ours or belongs to another query."""
    if cursor is None:
        return 1
    try:
        data = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
        page, fingerprint = data["page"], data["query"]
        valid = isinstance(page, int) and not isinstance(page, bool) and 1 <= page <= 10**9
    except (binascii.Error, ValueError, TypeError, KeyError):
        valid, fingerprint = False, None
    if not valid or fingerprint != _fingerprint(query):
        raise ApiProblem(422, _("This cursor does not belong to this query. Start again without a cursor."),
                         kind="validation", errors=[{"field": "cursor", "pointer": "#/cursor", "in": "query",
                                                     "detail": _("Not a cursor of this query.")}])
    return page


@blp.route("/agreements", methods=["GET"])
@blp.arguments(AgreementListQuery, location="query", as_kwargs=True)
@blp.response(200, AgreementPageSchema)
@blp.doc(tags=["Agreements"])
def list_agreements(q, status, attention, sort, dir, cursor=None):
    """The register: every agreement you belong to

    Search `q` in titles and counterparties, filter by `status` and `attention`, sort by a date
    or the title; 25 a page, the next one by `cursor`.
    """
    query = RegisterQuery(search=q, statuses=tuple(s for s in dict.fromkeys(status)), attention=attention,
                          sort=sort, descending=dir == "desc")
    query = replace(query, page=_page_of(cursor, query))
    token = g.api_token
    page = agreement_register(g.user.id, query, today=utcnow().date(),
                              only=token.agreement_ids if token.limited else None)
    more = page.query.page < page.pages and page.requested_page == page.query.page
    return {
        "items": [{**row.__dict__, "id": row.agreement_id, "needs_attention": row.needs_attention} for row in page.rows],
        "total": page.total,
        "next_cursor": _cursor(query, page.query.page + 1) if more else None,
    }


def agreement_body(agreement: Agreement, membership: Membership) -> dict:
    draft, document = draft_of(agreement)
    latest = latest_revision(agreement)
    return {
        **{name: getattr(agreement, name) for name in (
            "id", "title", "language", "provider_name", "client_name", "status", "started_by_side", "shared", "turn",
            "created_at", "effective_on", "ends_on", "next_review_on", "renewal_opens_on", "executed_at")},
        "side": membership.side, "role": membership.role,
        "draft": {"version": draft.version, "hash": document.sha256(), "updated_at": draft.updated_at},
        "latest_revision": latest.number if latest else None,
    }


@blp.route("/agreements", methods=["POST"])
@blp.arguments(AgreementCreateSchema)
@blp.response(201, AgreementSchema)
@post_doc("Agreements")
def create(body):
    """Start an agreement

    You become the owner of your `side` (the provider's unless you say `client`); the draft
    starts from the clause library, as on the New agreement page.
    """
    require_scope("create")
    if g.api_token.limited:
        raise ApiProblem(403, _("This token is limited to some agreements, so it cannot start new ones."),
                         kind="token-limited")
    agreement = create_agreement(g.user, title=body["title"], language=body["language"],
                                 provider_name=body["provider_name"], client_name=body["client_name"],
                                 side=body["side"], via="api")
    membership = next(m for m in agreement.memberships if m.user_id == g.user.id)
    return agreement_body(agreement, membership), 201, {
        "Location": url_for("api.read", agreement_id=agreement.id)}


@blp.route("/agreements/<int:agreement_id>", methods=["GET"])
@agreement_access("view")
@blp.response(200, AgreementSchema)
@blp.doc(tags=["Agreements"])
def read(agreement, membership):
    """One agreement: its status, your side and role, the draft's version and hash"""
    return agreement_body(agreement, membership)
