"""The keyed chain's primitives: the MACs under AUDIT_KEY, a chain's head, its lock."""
from __future__ import annotations

import hashlib
import hmac

from flask import current_app
from sqlalchemy import func, select

from ..document.canonical import canonical_json
from ..extensions import db
from ..models import Agreement, AuditCheckpoint, AuditEvent, AuditHead

# pg_advisory_xact_lock key for the chain of events without an agreement.
_GLOBAL_CHAIN_LOCK = 0x61756469  # "audi"
# AuditHead.chain and AuditCheckpoint.chain of the events without an agreement.
GLOBAL_CHAIN = 0
# Written into a chain when its head was found missing or altered (see log._trusted_head).
HEAD_REPLACED = "audit.head_replaced"


def _mac(value: dict) -> str:
    key = current_app.config["AUDIT_KEY"].encode("utf-8")
    return hmac.new(key, canonical_json(value), hashlib.sha256).hexdigest()


def chain_id(agreement_id: int | None) -> int:
    """The number of a chain in AuditHead and AuditCheckpoint rows."""
    return GLOBAL_CHAIN if agreement_id is None else agreement_id


def event_hash(event: AuditEvent) -> str:
    """The MAC an event must carry: over its fields, its place in the chain and the previous hash."""
    return _mac({
        "chain": event.agreement_id,
        "seq": event.seq,
        "prev": event.prev_hash,
        "actor": event.actor_id,
        "at": event.at.isoformat(),
        "ip": event.ip,
        "action": event.action,
        "details": event.details,
    })


def head_mac(chain: int, seq: int, digest: str) -> str:
    """The seal on a chain's head: its chain, length and newest hash."""
    return _mac({"head": chain, "seq": seq, "hash": digest})


def checkpoint_mac(checkpoint: AuditCheckpoint) -> str:
    """The seal on a checkpoint: chain, seq and hash of the event verified up to, and when."""
    return _mac({"checkpoint": checkpoint.chain, "seq": checkpoint.seq, "hash": checkpoint.hash,
                 "made_at": checkpoint.made_at.isoformat()})


def events_of(agreement_id: int | None):
    """The SQL condition selecting a chain's events."""
    return AuditEvent.agreement_id.is_(None) if agreement_id is None else AuditEvent.agreement_id == agreement_id


def head_of(agreement_id: int | None) -> AuditHead | None:
    """The chain's head as committed now (not as this session saw it before a lock)."""
    return db.session.execute(
        select(AuditHead).where(AuditHead.chain == chain_id(agreement_id)).execution_options(populate_existing=True)
    ).scalar_one_or_none()


def head_intact(head: AuditHead) -> bool:
    """True when the head is exactly what the app sealed."""
    return hmac.compare_digest(head.mac, head_mac(head.chain, head.seq, head.hash))


def chain_head(agreement_id: int | None) -> str:
    """The hash of the newest event of a chain ('' when it has none)."""
    head = head_of(agreement_id)
    return head.hash if head is not None else ""


def lock_chain(agreement_id: int | None, *, shared: bool = False) -> None:
    """Serialise writers of one chain, so two transactions never extend it from the same head.

    SQLite writers already hold the database's write lock (BEGIN IMMEDIATE), and a reader's
    transaction sees one snapshot. On PostgreSQL an agreement's chain is guarded by the
    agreement's row lock - the same lock every write to that agreement takes, so the order
    of locks never differs - and the other chain by an advisory lock. A check takes them
    `shared`, so it sees the events and the head of one moment without stopping other checks.
    """
    if db.engine.dialect.name != "postgresql":
        return
    if agreement_id is None:
        lock = func.pg_advisory_xact_lock_shared if shared else func.pg_advisory_xact_lock
        db.session.execute(select(lock(_GLOBAL_CHAIN_LOCK)))
    else:
        db.session.execute(select(Agreement.id).where(Agreement.id == agreement_id).with_for_update(read=shared))
