"""Append-only audit log: record every state change with who, when, where and what."""
from __future__ import annotations

import json
import logging
from typing import Any

from flask import has_request_context, request

from .extensions import db
from .models import Agreement, AuditEvent, User

logger = logging.getLogger("authoring.audit")


def client_ip() -> str | None:
    """The caller's IP (behind PROXY_COUNT trusted proxies, ProxyFix has already resolved it)."""
    return request.remote_addr if has_request_context() else None


def record(action: str, *, actor: User | None = None, agreement: Agreement | None = None, **details: Any) -> AuditEvent:
    """Add an audit event to the current transaction (it commits or rolls back with the change)."""
    event = AuditEvent(
        action=action,
        actor_id=actor.id if actor is not None else None,
        agreement_id=agreement.id if agreement is not None else None,
        ip=client_ip(),
        details=details,
    )
    db.session.add(event)
    # json.dumps escapes CR/LF, so user-typed text cannot forge log lines.
    logger.info(
        "%s",
        json.dumps(
            {"action": action, "actor": event.actor_id, "agreement": event.agreement_id, "ip": event.ip, **details},
            ensure_ascii=False,
            default=str,
        ),
    )
    return event
