"""Append-only, hash-chained audit log: every state change with who, when, where and what.

Each event's `hash` is the SHA-256 of its fields and of the previous event's hash in
the same chain (one chain per agreement; events without an agreement form one chain
of their own). An event edited or deleted directly in the database breaks the chain
at that point, and `verify_chain` says where.
"""
from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from typing import Any

from flask import has_request_context, request
from sqlalchemy import func, select

from .document.canonical import content_hash
from .extensions import db
from .models import Agreement, AuditEvent, User, utcnow

logger = logging.getLogger("authoring.audit")

# pg_advisory_xact_lock key for the chain of events without an agreement.
_GLOBAL_CHAIN_LOCK = 0x61756469  # "audi"


def client_ip() -> str | None:
    """The caller's IP (behind PROXY_COUNT trusted proxies, ProxyFix has already resolved it)."""
    return request.remote_addr if has_request_context() else None


def event_hash(event: AuditEvent) -> str:
    """The hash an event must carry: over its fields and the previous event's hash."""
    return content_hash({
        "prev": event.prev_hash,
        "agreement": event.agreement_id,
        "actor": event.actor_id,
        "at": event.at.isoformat(),
        "ip": event.ip,
        "action": event.action,
        "details": event.details,
    })


def _chain(agreement_id: int | None):
    return AuditEvent.agreement_id.is_(None) if agreement_id is None else AuditEvent.agreement_id == agreement_id


def chain_head(agreement_id: int | None) -> str:
    """The hash of the newest event of a chain ('' when it has none)."""
    return db.session.scalar(
        select(AuditEvent.hash).where(_chain(agreement_id)).order_by(AuditEvent.id.desc()).limit(1)
    ) or ""


def _lock_chain(agreement_id: int | None) -> None:
    """Serialise writers of one chain, so two transactions never extend it from the same head.

    SQLite writers already hold the database's write lock (BEGIN IMMEDIATE). On PostgreSQL
    an agreement's chain is guarded by the agreement's row lock - the same lock every
    write to that agreement takes, so the order of locks never differs - and the other
    chain by an advisory lock.
    """
    if db.engine.dialect.name != "postgresql":
        return
    if agreement_id is None:
        db.session.execute(select(func.pg_advisory_xact_lock(_GLOBAL_CHAIN_LOCK)))
    else:
        db.session.execute(select(Agreement.id).where(Agreement.id == agreement_id).with_for_update())


def record(action: str, *, actor: User | None = None, agreement: Agreement | None = None, **details: Any) -> AuditEvent:
    """Add an audit event to the current transaction (it commits or rolls back with the change)."""
    agreement_id = agreement.id if agreement is not None else None
    _lock_chain(agreement_id)
    event = AuditEvent(
        action=action,
        actor_id=actor.id if actor is not None else None,
        agreement_id=agreement_id,
        at=utcnow(),
        ip=client_ip(),
        # Stored as JSON and read back as JSON: hash exactly what will be read back.
        details=json.loads(json.dumps(details, default=str)),
        prev_hash=chain_head(agreement_id),
    )
    event.hash = event_hash(event)
    db.session.add(event)
    db.session.flush()  # the next event of this transaction must see this one as the head
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


@dataclass(frozen=True)
class ChainProblem:
    event_id: int
    at: str
    action: str
    problem: str  # "edited" or "missing before it"

    def __str__(self) -> str:
        what = ("was changed after it was written" if self.problem == "edited"
                else "does not follow the event before it: an event was deleted")
        return f"audit event {self.event_id} ({self.action}, {self.at}) {what}"


def verify_chain(agreement_id: int | None) -> list[ChainProblem]:
    """Every break in a chain: events whose content no longer matches their hash, and
    events whose predecessor was removed. An empty list means the chain is intact."""
    problems = []
    previous = ""
    for event in db.session.scalars(select(AuditEvent).where(_chain(agreement_id)).order_by(AuditEvent.id)):
        at = event.at.strftime("%Y-%m-%d %H:%M:%S UTC")
        if event.prev_hash != previous:
            problems.append(ChainProblem(event.id, at, event.action, "missing before it"))
        if event_hash(event) != event.hash:
            problems.append(ChainProblem(event.id, at, event.action, "edited"))
        previous = event.hash
    return problems
