"""The events a webhook can carry, and how an event becomes deliveries (in the event's own transaction).

Each event is a JSON object:

    {"id": "<uuid>", "type": "proposal.made", "created_at": "2027-01-05T09:30:00+00:00",
     "agreement": {"id": 7, "title": "…", "url": "https://…/agreements/7"},
     "data": {...}}

`data` holds only what both sides already see on the agreement's pages (numbers, sides,
dates, the words people wrote to the other side), never an e-mail address, an IP address,
a user agent or a secret. Audit events not listed in FROM_AUDIT - sign-in attempts,
invitations, webhook settings - are never sent anywhere.
"""
from __future__ import annotations

import json
import uuid
from collections.abc import Callable
from datetime import datetime
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from ..config import public_url
from ..extensions import db
from ..models import Agreement, AuditEvent, Comment, Membership, Proposal, Revision, User, utcnow
from ..models.webhook import WebhookDelivery, WebhookEndpoint

# The events an endpoint may subscribe to, in the order the page lists them.
EVENT_TYPES: dict[str, Any] = {
    "proposal.made": _l("A proposal is made"),
    "proposal.answered": _l("A proposal is accepted, rejected, countered or withdrawn"),
    "comment.added": _l("A comment is posted"),
    "turn.changed": _l("The move passes to the other side (the draft is shared or sent)"),
    "agreement.ready": _l("The agreement is marked ready to sign"),
    "agreement.signed": _l("A side signs"),
    "agreement.executed": _l("Both sides have signed: the agreement or an amendment is executed"),
    "review.due": _l("A periodic review falls due within 14 days"),
    "review.recorded": _l("A periodic review is recorded"),
    "amendment.opened": _l("An amendment is opened"),
    "amendment.abandoned": _l("An amendment is abandoned"),
    "renewal.window_opened": _l("The renewal window opens"),
    "agreement.expired": _l("The agreement expires"),
    "agreement.terminated": _l("The agreement is terminated"),
}
# Sent only by the page's "Send test event", to the one endpoint it names.
PING = "ping"

# A stable namespace for the ids of events that have no audit event of their own (reminders):
# the same reminder gets the same id on every run, so it is queued once per endpoint.
_REMINDER_NAMESPACE = uuid.UUID("0b5f3a0e-7c1e-4d7a-9a57-3c0c8e2f6a11")

Details = dict[str, Any]


def _proposal(agreement_id: int, number: Any) -> dict[str, Any]:
    proposal = db.session.scalar(select(Proposal).where(Proposal.agreement_id == agreement_id,
                                                        Proposal.number == number))
    if proposal is None:
        return {"number": number}
    return {"number": proposal.number, "side": proposal.side, "kind": proposal.kind, "target": proposal.target,
            "status": proposal.status, "reason": proposal.reason,
            "counter_of": proposal.counter_of.number if proposal.counter_of is not None else None}


def _answered(outcome: str) -> Callable[[Agreement, Details], tuple[str, dict]]:
    def build(agreement: Agreement, d: Details) -> tuple[str, dict]:
        data = {"outcome": outcome, "proposal": _proposal(agreement.id, d.get("proposal"))}
        if outcome == "rejected":
            data["reason"] = d.get("reason")
        return "proposal.answered", data
    return build


def _comment(agreement: Agreement, d: Details) -> tuple[str, dict]:
    comment = db.session.get(Comment, d.get("comment")) if isinstance(d.get("comment"), int) else None
    if comment is None or comment.agreement_id != agreement.id:
        return "comment.added", {"comment": {"id": d.get("comment"), "clause": d.get("clause"), "thread": d.get("thread")}}
    return "comment.added", {"comment": {"id": comment.id, "clause": comment.clause_key, "thread": comment.thread_id,
                                         "side": comment.side, "body": comment.body}}


def _shared(agreement: Agreement, d: Details) -> tuple[str, dict]:
    revision = db.session.scalar(select(func.max(Revision.number)).where(Revision.agreement_id == agreement.id))
    return "turn.changed", {"to": "client", "revision": revision, "message": d.get("message"), "first_share": True}


def _status(agreement: Agreement, d: Details) -> tuple[str, dict] | None:
    if d.get("status") != "ready":
        return None  # back to negotiation or drafting: the proposal or change that caused it is the event
    return "agreement.ready", {"acknowledged_checks": d.get("acknowledged") or []}


# Audit action -> (agreement, the audit details) -> (webhook event type, data), or None: not sent.
FROM_AUDIT: dict[str, Callable[[Agreement, Details], tuple[str, dict] | None]] = {
    "proposal.created": lambda a, d: ("proposal.made", {"proposal": _proposal(a.id, d.get("proposal"))}),
    "proposal.accepted": _answered("accepted"),
    "proposal.rejected": _answered("rejected"),
    "proposal.superseded": _answered("countered"),
    "proposal.withdrawn": _answered("withdrawn"),
    "comment.added": _comment,
    "agreement.shared": _shared,
    "turn.sent": lambda a, d: ("turn.changed", {"to": d.get("to"), "revision": d.get("revision"),
                                                "message": d.get("message"), "first_share": False}),
    "agreement.status_changed": _status,
    # The signature's IP address and user agent stay in the signature record.
    "agreement.signed": lambda a, d: ("agreement.signed", {
        "side": d.get("side"), "revision": d.get("revision"), "revision_hash": d.get("hash"),
        "signatory": {"name": d.get("name"), "title": d.get("title")}}),
    "agreement.executed": lambda a, d: ("agreement.executed", {
        "revision": d.get("revision"), "revision_hash": d.get("hash"), "amendment": d.get("amendment"),
        "effective_on": d.get("effective_on")}),
    "review.recorded": lambda a, d: ("review.recorded", {
        "review": d.get("review"), "held_on": d.get("held_on"), "missed_service_levels": d.get("missed") or [],
        "actions": d.get("actions"), "next_review_on": d.get("next_review")}),
    "amendment.opened": lambda a, d: ("amendment.opened", {
        "amendment": d.get("number"), "reason": d.get("reason"), "effective_on": d.get("effective_on")}),
    "amendment.abandoned": lambda a, d: ("amendment.abandoned", {"amendment": d.get("number"), "reason": d.get("reason")}),
    "agreement.expired": lambda a, d: ("agreement.expired", {"ended_on": d.get("ended_on")}),
    "agreement.terminated": lambda a, d: ("agreement.terminated", {
        "terminated_on": d.get("on"), "reason": d.get("reason"), "clause": d.get("clause")}),
}


def _subscribed(agreement_id: int, event_type: str) -> list[WebhookEndpoint]:
    endpoints = db.session.scalars(select(WebhookEndpoint).where(WebhookEndpoint.agreement_id == agreement_id,
                                                                 WebhookEndpoint.active.is_(True))
                                   .order_by(WebhookEndpoint.id))
    return [endpoint for endpoint in endpoints if event_type in (endpoint.events or [])]


def event_body(event_id: str, event_type: str, at: datetime, agreement: Agreement, data: dict) -> str:
    """The JSON sent for an event: the same bytes on every attempt and to every endpoint."""
    body = {"id": event_id, "type": event_type, "created_at": at.isoformat(),
            "agreement": {"id": agreement.id, "title": agreement.title,
                          "url": public_url(f"/agreements/{agreement.id}")},
            "data": data}
    return json.dumps(body, ensure_ascii=False, separators=(",", ":"))


def _queue(endpoints: list[WebhookEndpoint], event_id: str, event_type: str, body: str) -> list[WebhookDelivery]:
    now = utcnow()
    deliveries = [WebhookDelivery(endpoint_id=endpoint.id, event_id=event_id, event=event_type, body=body,
                                  created_at=now, next_attempt_at=now) for endpoint in endpoints]
    db.session.add_all(deliveries)
    return deliveries


def _actor(user: User | None, agreement_id: int) -> dict[str, Any] | None:
    if user is None:
        return None
    side = db.session.scalar(select(Membership.side).where(Membership.agreement_id == agreement_id,
                                                           Membership.user_id == user.id))
    return {"name": user.name, "side": side}


def queue_audit_event(event: AuditEvent, agreement: Agreement | None, actor: User | None) -> list[WebhookDelivery]:
    """Queue the webhook an audit event makes, if any, for every active endpoint subscribed to it.

    Called by `audit.record`, so the deliveries join the event's transaction.
    """
    build = FROM_AUDIT.get(event.action)
    if build is None or agreement is None:
        return []
    built = build(agreement, event.details or {})
    if built is None:
        return []
    event_type, data = built
    endpoints = _subscribed(agreement.id, event_type)
    if not endpoints:
        return []
    data = {**data, "actor": _actor(actor, agreement.id)}
    event_id = str(uuid.uuid4())
    return _queue(endpoints, event_id, event_type, event_body(event_id, event_type, event.at, agreement, data))


def queue_reminder_event(agreement: Agreement, event_type: str, data: dict, *, subject: str) -> list[WebhookDelivery]:
    """Queue a reminder's event ("review.due", "renewal.window_opened") to the endpoints that have not had it.

    `subject` names the thing reminded of ("review:2027-04-01"): its event id is derived from it,
    so a second run of `remind` queues nothing new, and an endpoint added later still gets it.
    """
    event_id = str(uuid.uuid5(_REMINDER_NAMESPACE, f"{agreement.id}:{subject}"))
    endpoints = _subscribed(agreement.id, event_type)
    if not endpoints:
        return []
    done = set(db.session.scalars(select(WebhookDelivery.endpoint_id).where(
        WebhookDelivery.event_id == event_id, WebhookDelivery.endpoint_id.in_([e.id for e in endpoints]))))
    fresh = [endpoint for endpoint in endpoints if endpoint.id not in done]
    if not fresh:
        return []
    data = {**data, "actor": None}  # nobody acted: the date came
    return _queue(fresh, event_id, event_type, event_body(event_id, event_type, utcnow(), agreement, data))


def queue_ping(endpoint: WebhookEndpoint, actor: User) -> WebhookDelivery:
    """Queue a test event to one endpoint (whatever it subscribes to)."""
    event_id = str(uuid.uuid4())
    data = {"endpoint": endpoint.id, "side": endpoint.side, "actor": _actor(actor, endpoint.agreement_id)}
    body = event_body(event_id, PING, utcnow(), endpoint.agreement, data)
    return _queue([endpoint], event_id, PING, body)[0]
