"""What the API reads and writes, as marshmallow schemas; the OpenAPI document is generated from them.

Request schemas validate (an unknown field, a wrong type or a value out of range is a
422 naming the field); response schemas serialise. Limits are the models' and forms'
own, imported rather than repeated.
"""
from __future__ import annotations

import re

import marshmallow as ma
from marshmallow import fields, validate

from ..agreements.register import SEARCH_MAX, SORT_LABELS
from ..config import LANGUAGES
from ..document.model import TEXT_MAX
from ..document.model import TITLE_MAX as CLAUSE_TITLE_MAX
from ..models import PROPOSAL_KINDS, PROPOSAL_STATUSES, ROLES, SIDES, STATUSES
from ..models.agreement import ORG_NAME_MAX, TITLE_MAX
from ..models.base import MAX_ID
from ..models.negotiation import COMMENT_MAX, REASON_MAX

# No one types these, and PostgreSQL cannot store a NUL or a lone surrogate: refused, not stored.
_UNSTORABLE = re.compile(r"[\x00\ud800-\udfff]")


class Text(fields.String):
    """A string as people type it: NUL and lone surrogates refused; `strip` trims it first."""

    def __init__(self, *args, strip: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        self.strip = strip

    def _deserialize(self, value, attr, data, **kwargs):
        text = super()._deserialize(value, attr, data, **kwargs)
        if _UNSTORABLE.search(text):
            raise ma.ValidationError("Contains a character that cannot be stored (NUL or a lone surrogate).")
        return text.strip() if self.strip else text


class JsonValue(fields.Raw):
    """Any JSON value whose texts (and names) can be stored: NUL and lone surrogates refused, nesting bounded."""

    MAX_DEPTH = 32

    def _deserialize(self, value, attr, data, **kwargs):
        stack = [(value, 0)]
        while stack:
            node, depth = stack.pop()
            if depth > self.MAX_DEPTH:
                raise ma.ValidationError(f"Nested more than {self.MAX_DEPTH} levels deep.")
            if isinstance(node, str) and _UNSTORABLE.search(node):
                raise ma.ValidationError("Contains a character that cannot be stored (NUL or a lone surrogate).")
            if isinstance(node, dict):
                stack += [(key, depth + 1) for key in node] + [(child, depth + 1) for child in node.values()]
            elif isinstance(node, list):
                stack += [(child, depth + 1) for child in node]
        return value


class Id(fields.Integer):
    """A row id or number: 1 to the largest the database holds."""

    def __init__(self, **kwargs):
        kwargs.setdefault("strict", True)
        kwargs.setdefault("validate", validate.Range(min=1, max=MAX_ID))
        super().__init__(**kwargs)


def required_text(maximum: int, **kwargs) -> Text:
    return Text(required=True, validate=validate.Length(min=1, max=maximum), **kwargs)


class Strict(ma.Schema):
    """Request bodies: an unknown field is an error, not silently ignored."""

    class Meta:
        unknown = ma.RAISE


# Problems ----------------------------------------------------------------------------------

class FieldErrorSchema(ma.Schema):
    field = fields.String(metadata={"description": "The field that failed, dotted (`value.rows.0.name`); "
                                                   "empty for the body as a whole."})
    pointer = fields.String(metadata={"description": "The same field as a JSON pointer into where it was sent."})
    in_ = fields.String(data_key="in", metadata={"description": "Where it was sent: body, query, header or path."})
    detail = fields.String()


class ProblemSchema(ma.Schema):
    """RFC 9457 problem details (`application/problem+json`)."""

    type = fields.String(metadata={"description": "A link to the kind of problem in the API reference, or about:blank."})
    title = fields.String()
    status = fields.Integer()
    detail = fields.String()
    instance = fields.String()
    errors = fields.List(fields.Nested(FieldErrorSchema), metadata={"description": "Validation: what failed."})
    current = fields.Raw(allow_none=True, metadata={"description": "A conflict: the value as it is now."})
    proposed = fields.Raw(allow_none=True, metadata={"description": "A conflict: the value that was sent."})
    reasons = fields.List(fields.String(), metadata={"description": "Every reason a step cannot be taken."})


# Agreements -----------------------------------------------------------------------------------

class AgreementListQuery(Strict):
    q = Text(load_default="", validate=validate.Length(max=SEARCH_MAX),
             metadata={"description": "Search titles and counterparties (case-insensitive)."})
    status = fields.List(fields.String(validate=validate.OneOf(STATUSES)), load_default=list,
                         metadata={"description": "Only these statuses (repeat the parameter for several)."})
    attention = fields.Boolean(load_default=False,
                               metadata={"description": "Only agreements that need your side's attention."})
    sort = fields.String(load_default="review", validate=validate.OneOf(list(SORT_LABELS)))
    dir = fields.String(load_default="asc", validate=validate.OneOf(["asc", "desc"]))
    cursor = fields.String(validate=validate.Length(max=200),
                           metadata={"description": "`next_cursor` of the previous page."})


class AgreementSummarySchema(ma.Schema):
    id = fields.Integer()
    title = fields.String()
    counterparty = fields.String()
    side = fields.String(metadata={"description": "Your side."})
    role = fields.String(metadata={"description": "Your role."})
    status = fields.String()
    effective_on = fields.Date(allow_none=True)
    ends_on = fields.Date(allow_none=True)
    next_review_on = fields.Date(allow_none=True)
    renewal_opens_on = fields.Date(allow_none=True)
    review_due = fields.Boolean()
    renewal_open = fields.Boolean()
    proposals_awaiting = fields.Integer(metadata={"description": "Open proposals of the other side, for yours to answer."})
    signature_awaited = fields.Boolean()
    needs_attention = fields.Boolean()


class AgreementPageSchema(ma.Schema):
    items = fields.List(fields.Nested(AgreementSummarySchema))
    total = fields.Integer(metadata={"description": "Agreements matching the query, on every page."})
    next_cursor = fields.String(allow_none=True, metadata={"description": "Pass as `cursor` for the next page; "
                                                                          "null on the last page."})


class AgreementCreateSchema(Strict):
    title = required_text(TITLE_MAX)
    language = fields.String(required=True, validate=validate.OneOf(list(LANGUAGES)))
    provider_name = required_text(ORG_NAME_MAX)
    client_name = required_text(ORG_NAME_MAX)
    side = fields.String(load_default="provider", validate=validate.OneOf(SIDES),
                         metadata={"description": "Your side; you become its owner."})


class DraftStateSchema(ma.Schema):
    version = fields.Integer()
    hash = fields.String(metadata={"description": "SHA-256 of the draft's canonical JSON: the terms' ETag."})
    updated_at = fields.DateTime()


class AgreementSchema(ma.Schema):
    id = fields.Integer()
    title = fields.String()
    language = fields.String()
    provider_name = fields.String()
    client_name = fields.String()
    status = fields.String()
    started_by_side = fields.String()
    shared = fields.Boolean()
    turn = fields.String(allow_none=True, metadata={"description": "Whose move it is while negotiating."})
    created_at = fields.DateTime()
    effective_on = fields.Date(allow_none=True)
    ends_on = fields.Date(allow_none=True)
    next_review_on = fields.Date(allow_none=True)
    renewal_opens_on = fields.Date(allow_none=True)
    executed_at = fields.DateTime(allow_none=True)
    side = fields.String(metadata={"description": "Your side."})
    role = fields.String(metadata={"description": "Your role."})
    draft = fields.Nested(DraftStateSchema)
    latest_revision = fields.Integer(allow_none=True)


# Terms --------------------------------------------------------------------------------------

class TermsSchema(ma.Schema):
    terms = fields.Dict(metadata={"description": "The terms as the interview stores them "
                                                 "(see /schema/terms/v1.json, `terms`)."})
    hash = fields.String(metadata={"description": "The draft's SHA-256, also the ETag."})
    version = fields.Integer()


class TermChangeSchema(Strict):
    value = JsonValue(required=True, allow_none=True,
                      metadata={"description": "The new value, typed as /schema/terms/v1.json types that term."})
    reason = Text(load_default="", validate=validate.Length(max=REASON_MAX),
                  metadata={"description": "Why (kept with the proposal once the draft is shared)."})


class PersonSchema(ma.Schema):
    name = fields.String()
    side = fields.String(allow_none=True)


class ProposalSchema(ma.Schema):
    number = fields.Integer()
    kind = fields.String(metadata={"description": "One of: " + ", ".join(PROPOSAL_KINDS)})
    target = fields.String(metadata={"description": "A term path for `term`, a clause key or library clause id otherwise."})
    status = fields.String(metadata={"description": "One of: " + ", ".join(PROPOSAL_STATUSES)})
    side = fields.String()
    author = fields.String(allow_none=True)
    value = fields.Raw(allow_none=True)
    base_value = fields.Raw(allow_none=True)
    reason = fields.String()
    created_at = fields.DateTime()
    counter_of = fields.Integer(allow_none=True)
    responded_by = fields.String(allow_none=True)
    responded_at = fields.DateTime(allow_none=True)
    response_reason = fields.String(allow_none=True)
    merged = fields.Boolean()


class TermChangeResultSchema(ma.Schema):
    applied = fields.Boolean(metadata={"description": "True: the draft changed. False: the draft is shared, so "
                                                      "the change was proposed to the other side."})
    proposals = fields.List(fields.Nested(ProposalSchema))
    hash = fields.String()
    version = fields.Integer()


class ProposalListQuery(Strict):
    status = fields.String(validate=validate.OneOf(PROPOSAL_STATUSES))


class ProposalCreateSchema(Strict):
    kind = fields.String(required=True, validate=validate.OneOf(PROPOSAL_KINDS))
    target = Text(validate=validate.Length(min=1, max=120),
                  metadata={"description": "The term path or clause key (not for `clause_add`: the key is made "
                                           "from the title)."})
    value = JsonValue(allow_none=True, metadata={"description": "The new value: a term's value, a clause's text, "
                                                                 "a variant name, or for `clause_add` "
                                                                 "{section, title, text}."})
    base_value = JsonValue(allow_none=True, metadata={"description": "What you saw before your change (the current "
                                                                      "value as you read it); a stale base is a 409, "
                                                                      "except clause text, merged when it can be."})
    reason = Text(load_default="", validate=validate.Length(max=REASON_MAX))
    counter_of = Id(metadata={"description": "The number of the other side's proposal this one counters."})


class NewClauseSchema(Strict):
    section = Text(required=True, validate=validate.Length(min=1, max=80))
    title = required_text(CLAUSE_TITLE_MAX)
    text = Text(required=True, strip=False, validate=validate.Length(min=1, max=TEXT_MAX))


class ProposalsMadeSchema(ma.Schema):
    proposals = fields.List(fields.Nested(ProposalSchema))
    rebased = fields.Boolean(metadata={"description": "True when clause text was merged onto a newer text."})


class RejectSchema(Strict):
    reason = required_text(REASON_MAX)


class AnswerSchema(Strict):
    """Accept or withdraw: nothing to send (an empty object is fine)."""


class AcceptedSchema(ma.Schema):
    proposal = fields.Nested(ProposalSchema)
    merged = fields.Boolean(metadata={"description": "True when merged with changes made since it was proposed."})


# Comments -------------------------------------------------------------------------------------

class CommentSchema(ma.Schema):
    id = fields.Integer()
    author = fields.String(allow_none=True)
    side = fields.String()
    body = fields.String()
    created_at = fields.DateTime()


class ThreadSchema(ma.Schema):
    id = fields.Integer(metadata={"description": "The thread's id: its first comment's."})
    clause_key = fields.String(allow_none=True, metadata={"description": "null: on the agreement as a whole."})
    resolved = fields.Boolean()
    comments = fields.List(fields.Nested(CommentSchema))


class CommentCreateSchema(Strict):
    body = required_text(COMMENT_MAX)
    clause_key = Text(validate=validate.Length(min=1, max=80), metadata={"description": "Start a thread on this "
                                                                                        "clause (default: the "
                                                                                        "whole agreement)."})
    thread = Id(metadata={"description": "Reply to this thread instead."})


class ThreadQuery(Strict):
    clause_key = Text(validate=validate.Length(min=1, max=80), metadata={"description": "Only this clause's threads."})


# Members -------------------------------------------------------------------------------------

class MemberSchema(ma.Schema):
    id = fields.Integer()
    name = fields.String()
    email = fields.String()
    side = fields.String()
    role = fields.String()
    joined_at = fields.DateTime()


class InvitationCreateSchema(Strict):
    side = fields.String(required=True, validate=validate.OneOf(SIDES))
    role = fields.String(required=True, validate=validate.OneOf(ROLES))
    email = fields.Email(validate=validate.Length(max=254),
                         metadata={"description": "Only this address may accept it (optional)."})


class InvitationSchema(ma.Schema):
    id = fields.Integer()
    side = fields.String()
    role = fields.String()
    email = fields.String(allow_none=True)
    expires_at = fields.DateTime()
    link = fields.String(metadata={"description": "The single-use link to send to the invitee; shown once."})


# Revisions, signing ---------------------------------------------------------------------------

class RevisionSchema(ma.Schema):
    number = fields.Integer()
    parent = fields.Integer(allow_none=True)
    author = fields.String(allow_none=True)
    side = fields.String(allow_none=True)
    message = fields.String()
    hash = fields.String(metadata={"description": "SHA-256 of the revision's canonical JSON."})
    created_at = fields.DateTime()
    changes = fields.Dict(allow_none=True, metadata={"description": "Counts of what changed since the parent."})


class RevisionDetailSchema(RevisionSchema):
    document = fields.Dict(metadata={"description": "The revision's document: terms and sections of clauses."})


class RedlineQuery(Strict):
    older = Id(required=True, strict=False, data_key="from", metadata={"description": "The older revision's number."})
    newer = Id(required=True, strict=False, data_key="to", metadata={"description": "The newer revision's number."})


class AttributionSchema(ma.Schema):
    proposal = fields.Integer(allow_none=True, metadata={"description": "null: a direct edit before sharing."})
    kind = fields.String()
    author = fields.String()
    side = fields.String(allow_none=True)
    accepted_by = fields.String(allow_none=True)
    accepted_at = fields.DateTime(allow_none=True)
    label = fields.String(metadata={"description": "In words, in the interface language."})


class SegmentSchema(ma.Schema):
    op = fields.String(metadata={"description": "equal, insert or delete"})
    text = fields.String()


class ClauseChangeSchema(ma.Schema):
    key = fields.String()
    status = fields.String(metadata={"description": "added, removed, moved or changed"})
    changed = fields.Boolean(metadata={"description": "The text changed (a moved clause may have changed too)."})
    title = fields.String()
    old_title = fields.String(allow_none=True)
    number = fields.String(allow_none=True)
    old_number = fields.String(allow_none=True)
    section = fields.String()
    segments = fields.List(fields.Nested(SegmentSchema))
    attributions = fields.List(fields.Nested(AttributionSchema))


class TermChangeLineSchema(ma.Schema):
    path = fields.String()
    label = fields.String()
    old = fields.String()
    new = fields.String()
    attributions = fields.List(fields.Nested(AttributionSchema))


class RedlineSchema(ma.Schema):
    from_ = fields.Integer(data_key="from")
    to = fields.Integer()
    counts = fields.Dict(keys=fields.String(), values=fields.Integer())
    clauses = fields.List(fields.Nested(ClauseChangeSchema))
    terms = fields.List(fields.Nested(TermChangeLineSchema))


class SignatureSchema(ma.Schema):
    side = fields.String()
    organisation = fields.String()
    full_name = fields.String()
    job_title = fields.String()
    signed_at = fields.DateTime()
    revision_number = fields.Integer()
    revision_hash = fields.String()
    void = fields.Boolean()


class SigningStatusSchema(ma.Schema):
    status = fields.String()
    revision_number = fields.Integer(metadata={"description": "The revision a signature now would sign."})
    revision_hash = fields.String()
    needs_new_revision = fields.Boolean()
    open = fields.Boolean(metadata={"description": "True when signatories may sign now (in the browser)."})
    blocking = fields.List(fields.String(), metadata={"description": "Why nobody can sign now."})
    signed_sides = fields.List(fields.String())
    awaiting_sides = fields.List(fields.String())
    signatures = fields.List(fields.Nested(SignatureSchema))
    executed_at = fields.DateTime(allow_none=True)
