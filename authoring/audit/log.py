"""Writing the log: each event extends its chain and moves the chain's head, in the caller's transaction."""
from __future__ import annotations

import json
import logging
from typing import Any

from flask import has_request_context, request
from sqlalchemy import select

from ..extensions import db
from ..models import Agreement, AuditEvent, AuditHead, User, utcnow
from ..webhooks.events import queue_audit_event
from .chain import HEAD_REPLACED, chain_id, event_hash, events_of, head_intact, head_mac, head_of, lock_chain

logger = logging.getLogger("authoring.audit")


def client_ip() -> str | None:
    """The caller's IP (behind PROXY_COUNT trusted proxies, ProxyFix has already resolved it)."""
    return request.remote_addr if has_request_context() else None


def _append(head: AuditHead, action: str, actor_id: int | None, agreement_id: int | None,
            details: dict) -> AuditEvent:
    event = AuditEvent(action=action, actor_id=actor_id, agreement_id=agreement_id, at=utcnow(), ip=client_ip(),
                       details=details, seq=head.seq + 1, prev_hash=head.hash)
    event.hash = event_hash(event)
    head.seq, head.hash = event.seq, event.hash
    head.mac = head_mac(head.chain, head.seq, head.hash)
    db.session.add(event)
    db.session.flush()  # the next event of this transaction must see this one as the head
    return event


def _trusted_head(agreement_id: int | None) -> AuditHead:
    """The chain's head to extend. A missing or altered head (only the database's hand does that)
    is not trusted and not silently repaired: the chain goes on from its newest event, after an
    entry saying so, which stays in the chain and is reported by every check."""
    head = head_of(agreement_id)
    if head is not None and head_intact(head):
        return head
    newest = db.session.scalars(select(AuditEvent).where(events_of(agreement_id)).order_by(AuditEvent.id.desc()).limit(1)).first()
    found = None if head is None else {"seq": head.seq, "hash": head.hash}
    if head is None:
        head = AuditHead(chain=chain_id(agreement_id))
        db.session.add(head)
    head.seq, head.hash = (newest.seq, newest.hash) if newest is not None else (0, "")
    if newest is not None or found is not None:
        marker = _append(head, HEAD_REPLACED, None, agreement_id, {"head_found": found, "newest_entry": head.seq})
        logger.warning("%s", json.dumps({"action": HEAD_REPLACED, "agreement": agreement_id, **marker.details,
                                         "audit_seq": marker.seq, "audit_hash": marker.hash}))
    return head


def record(action: str, *, actor: User | None = None, agreement: Agreement | None = None, **details: Any) -> AuditEvent:
    """Add an audit event to the current transaction (it commits or rolls back with the change),
    with the webhook deliveries it makes (an outbox: they exist exactly when the event does)."""
    agreement_id = agreement.id if agreement is not None else None
    lock_chain(agreement_id)
    head = _trusted_head(agreement_id)
    # Stored as JSON and read back as JSON: seal exactly what will be read back.
    event = _append(head, action, actor.id if actor is not None else None, agreement_id,
                    json.loads(json.dumps(details, default=str)))
    queue_audit_event(event, agreement, actor)
    # json.dumps escapes CR/LF, so user-typed text cannot forge log lines. The chain's new head
    # goes last, so no detail can override it: the shipped log is a witness of the chain's end.
    logger.info(
        "%s",
        json.dumps(
            {"action": action, "actor": event.actor_id, "agreement": event.agreement_id, "ip": event.ip, **details,
             "audit_seq": event.seq, "audit_hash": event.hash},
            ensure_ascii=False,
            default=str,
        ),
    )
    return event
