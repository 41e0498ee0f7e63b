"""Append-only, keyed and numbered audit log: every state change with who, when, where and what.

One chain per agreement; events without an agreement form one chain of their own.
Each event carries its place in the chain (`seq` 1, 2, 3...), the previous event's
`hash` (`prev_hash`), and its own `hash`: an HMAC-SHA256 under AUDIT_KEY over its
fields, `seq` and `prev_hash`. The chain's end is kept apart from the events, in a
sealed `AuditHead` row written in the same transaction as each event. So, to anyone
without the key, every tampering shows up in `check_chain`:

- an edited event no longer matches its MAC (recomputing it needs the key);
- a deleted event leaves a gap in the numbers, and the newest ones a head pointing
  past the end;
- an inserted or moved event is out of sequence, or has a MAC that is not the key's;
- a head or checkpoint edited to match no longer matches its own MAC.

What a database-only design cannot catch: putting back the whole log, head and
checkpoints included, as it was at an earlier moment (a restored backup, or rows an
attacker saved earlier). Against that, each event's application log line carries the
chain's new head (`audit_seq`, `audit_hash`), so the log shipped off the machine can
be compared with the database, and every signature seals the chain head of its
moment with SIGNATURE_KEY.

Checking a long chain on every page view would read all of it, so a successful check
leaves a sealed checkpoint (seq and hash of the last event verified) and later checks
start there: they read the events after it, count those before it, and compare the
end with the head. An edit of an event older than the newest checkpoint is found by
the next full check: when the checkpoint is a day old, by `flask audit verify --full`
(cron), and by every Verify of a signed document.
"""
from __future__ import annotations

import hashlib
import hmac
import json
import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from flask import current_app, has_request_context, request
from sqlalchemy import delete, func, select

from .document.canonical import canonical_json
from .extensions import db
from .models import Agreement, AuditCheckpoint, AuditEvent, AuditHead, User, utcnow

logger = logging.getLogger("authoring.audit")

# pg_advisory_xact_lock key for the chain of events without an agreement.
_GLOBAL_CHAIN_LOCK = 0x61756469  # "audi"
# AuditHead.chain and AuditCheckpoint.chain of the events without an agreement.
GLOBAL_CHAIN = 0
# A check that verified more new events than this leaves a checkpoint, so the next check
# of that chain reads at most about this many events plus those written since.
CHECKPOINT_EVERY = 200
# A check does not start from a checkpoint older than this: then it reads the whole chain
# again (and leaves a fresh checkpoint), so an edit of an old entry is found within a day
# by the page itself, cron or not.
CHECKPOINT_MAX_AGE = timedelta(hours=24)
# Written into a chain when its head was found missing or altered (see _trusted_head).
HEAD_REPLACED = "audit.head_replaced"


def client_ip() -> str | None:
    """The caller's IP (behind PROXY_COUNT trusted proxies, ProxyFix has already resolved it)."""
    return request.remote_addr if has_request_context() else None


def _mac(value: dict) -> str:
    key = current_app.config["AUDIT_KEY"].encode("utf-8")
    return hmac.new(key, canonical_json(value), hashlib.sha256).hexdigest()


def _chain_id(agreement_id: int | None) -> int:
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


def _chain(agreement_id: int | None):
    return AuditEvent.agreement_id.is_(None) if agreement_id is None else AuditEvent.agreement_id == agreement_id


def _head(agreement_id: int | None) -> AuditHead | None:
    return db.session.execute(
        select(AuditHead).where(AuditHead.chain == _chain_id(agreement_id)).execution_options(populate_existing=True)
    ).scalar_one_or_none()


def _head_intact(head: AuditHead) -> bool:
    return hmac.compare_digest(head.mac, head_mac(head.chain, head.seq, head.hash))


def chain_head(agreement_id: int | None) -> str:
    """The hash of the newest event of a chain ('' when it has none)."""
    head = _head(agreement_id)
    return head.hash if head is not None else ""


def _lock_chain(agreement_id: int | None, *, shared: bool = False) -> None:
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
    head = _head(agreement_id)
    if head is not None and _head_intact(head):
        return head
    newest = db.session.scalars(select(AuditEvent).where(_chain(agreement_id)).order_by(AuditEvent.id.desc()).limit(1)).first()
    found = None if head is None else {"seq": head.seq, "hash": head.hash}
    if head is None:
        head = AuditHead(chain=_chain_id(agreement_id))
        db.session.add(head)
    head.seq, head.hash = (newest.seq, newest.hash) if newest is not None else (0, "")
    if newest is not None or found is not None:
        _append(head, HEAD_REPLACED, None, agreement_id, {"head_found": found, "newest_entry": head.seq})
    return head


def record(action: str, *, actor: User | None = None, agreement: Agreement | None = None, **details: Any) -> AuditEvent:
    """Add an audit event to the current transaction (it commits or rolls back with the change)."""
    agreement_id = agreement.id if agreement is not None else None
    _lock_chain(agreement_id)
    head = _trusted_head(agreement_id)
    # Stored as JSON and read back as JSON: seal exactly what will be read back.
    event = _append(head, action, actor.id if actor is not None else None, agreement_id,
                    json.loads(json.dumps(details, default=str)))
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


# Checking ----------------------------------------------------------------------------

def _when(at: datetime | None) -> str:
    return at.strftime("%d %b %Y, %H:%M:%S UTC") if at is not None else "an unknown time"


def _what(action: str) -> str:
    return action.replace(".", " ").replace("_", " ")


@dataclass(frozen=True)
class ChainProblem:
    """One thing wrong with a chain, with a sentence that says it to a person.

    `problem` names the kind: "edited", "missing before it", "out of place", "end deleted",
    "added after the end", "head", "checkpoint", "older entries", "head replaced", "emptied".
    """

    problem: str
    sentence: str
    event_id: int | None = None
    seq: int | None = None

    def __str__(self) -> str:
        return self.sentence


def _entry(event: AuditEvent) -> str:
    return f"Entry {event.seq} ({_what(event.action)}, {_when(event.at)})"


@dataclass
class ChainReport:
    """What a check found: its problems (none: intact), where it started, how many events it read."""

    problems: list[ChainProblem] = field(default_factory=list)
    read: int = 0
    length: int = 0  # entries the chain holds, by its head
    since: AuditCheckpoint | None = None  # the checkpoint the check started from (None: from the start)
    checkpoint_written: bool = False

    @property
    def intact(self) -> bool:
        return not self.problems


def _newest_checkpoint(chain: int) -> AuditCheckpoint | None:
    return db.session.scalars(select(AuditCheckpoint).where(AuditCheckpoint.chain == chain)
                              .order_by(AuditCheckpoint.seq.desc(), AuditCheckpoint.id.desc()).limit(1)).first()


def check_chain(agreement_id: int | None, *, full: bool = False, checkpoint_after: int | None = CHECKPOINT_EVERY) -> ChainReport:
    """Check a chain: from its newest intact checkpoint, or from its start when `full`.

    When the check finds nothing wrong and verified at least `checkpoint_after` events past
    the newest checkpoint, it adds a checkpoint at the last one to the current transaction
    (the caller commits); None never adds one.
    """
    chain = _chain_id(agreement_id)
    _lock_chain(agreement_id, shared=True)
    report = ChainReport()
    problems = report.problems
    head = _head(agreement_id)
    head_altered = head is not None and not _head_intact(head)
    if head_altered:
        problems.append(ChainProblem("head", "The record of where this log ends was altered in the database, "
                                             "so the newest entries cannot be vouched for."))
    newest_checkpoint = _newest_checkpoint(chain)
    if newest_checkpoint is not None and not hmac.compare_digest(newest_checkpoint.mac, checkpoint_mac(newest_checkpoint)):
        problems.append(ChainProblem("checkpoint", f"The checkpoint of this log up to entry {newest_checkpoint.seq} was "
                                                   "altered in the database; the whole log was checked instead."))
        newest_checkpoint = None
    if newest_checkpoint is not None and newest_checkpoint.made_at < utcnow() - CHECKPOINT_MAX_AGE:
        newest_checkpoint = None  # stale: check everything again
    start = None if full else newest_checkpoint
    report.since = start

    query = select(AuditEvent).where(_chain(agreement_id)).order_by(AuditEvent.id)
    if start is not None:
        query = query.where(AuditEvent.seq >= start.seq)
        older = db.session.scalar(select(func.count()).select_from(AuditEvent)
                                  .where(_chain(agreement_id), AuditEvent.seq < start.seq))
        if older != start.seq - 1:
            gone = start.seq - 1 - older
            problems.append(ChainProblem(
                "older entries",
                f"{abs(gone)} {'entry' if abs(gone) == 1 else 'entries'} older than entry {start.seq} (checked in full "
                f"on {_when(start.made_at)}) {'was' if abs(gone) == 1 else 'were'} "
                f"{'deleted from' if gone > 0 else 'added to'} the database since."))

    expected, previous, last = (start.seq if start is not None else 1), "", None
    for event in db.session.scalars(query):
        report.read += 1
        if start is not None and last is None:  # the checkpoint's own event
            if event.seq != start.seq or event.hash != start.hash:
                problems.append(ChainProblem("missing before it", f"Entry {start.seq}, where the last full check "
                                             f"ended on {_when(start.made_at)}, was deleted or replaced.",
                                             event.id, event.seq))
        elif event.seq > expected:
            missing = f"entry {expected}" if event.seq == expected + 1 else f"entries {expected} to {event.seq - 1}"
            problems.append(ChainProblem("missing before it", f"{_entry(event)} does not follow the entry before it: "
                                         f"{missing} {'is' if event.seq == expected + 1 else 'are'} missing "
                                         "(deleted, or moved out of order).", event.id, event.seq))
        elif event.seq < expected:
            problems.append(ChainProblem("out of place", f"{_entry(event)} is out of order: it stands after entry "
                                         f"{expected - 1} (inserted, or moved).", event.id, event.seq))
        elif event.prev_hash != previous:
            problems.append(ChainProblem("missing before it", f"{_entry(event)} does not follow the entry before it: "
                                         "that entry was replaced or removed.", event.id, event.seq))
        if not hmac.compare_digest(event.hash, event_hash(event)):
            problems.append(ChainProblem("edited", f"{_entry(event)} was changed after it was written "
                                         "(or was never written by the app).", event.id, event.seq))
        elif event.action == HEAD_REPLACED:
            problems.append(ChainProblem("head replaced", f"When entry {event.seq} was written ({_when(event.at)}), "
                                         "the record of where this log ended had been deleted or altered in the "
                                         "database: the newest entries before it may have been deleted.",
                                         event.id, event.seq))
        previous, expected, last = event.hash, event.seq + 1, event

    if head is None:
        if last is not None:
            problems.append(ChainProblem("head", "The record of where this log ends was deleted from the database, "
                                                 "so the newest entries cannot be vouched for."))
        elif agreement_id is not None and db.session.get(Agreement, agreement_id) is not None:
            problems.append(ChainProblem("emptied", "Every entry of this log was deleted from the database."))
    elif not head_altered:
        report.length = head.seq
        end_seq, end_hash = (last.seq, last.hash) if last is not None else (0, "")
        if head.seq > end_seq:
            count = head.seq - end_seq
            problems.append(ChainProblem("end deleted", f"The newest {'entry' if count == 1 else f'{count} entries'} "
                                         f"of this log ({'entry' if count == 1 else 'entries'} "
                                         f"{end_seq + 1}{'' if count == 1 else f' to {head.seq}'}) "
                                         f"{'was' if count == 1 else 'were'} deleted from the database."))
        elif head.seq < end_seq:
            problems.append(ChainProblem("added after the end", f"{_entry(last)} stands after the end of this log "
                                         f"(entry {head.seq}): it was added to the database outside the app.",
                                         last.id, last.seq))
        elif head.hash != end_hash:
            problems.append(ChainProblem("end deleted", f"The newest entry of this log, entry {head.seq}, was "
                                         "replaced in the database.", last.id if last else None, head.seq))

    done = newest_checkpoint.seq if newest_checkpoint is not None else 0
    if (checkpoint_after is not None and not problems and last is not None
            and last.seq - done >= max(checkpoint_after, 1)):
        # Only the newest checkpoint is ever used; older ones would only pile up.
        db.session.execute(delete(AuditCheckpoint).where(AuditCheckpoint.chain == chain))
        mark = AuditCheckpoint(chain=chain, seq=last.seq, hash=last.hash, made_at=utcnow())
        mark.mac = checkpoint_mac(mark)
        db.session.add(mark)
        report.checkpoint_written = True
    return report


def verify_chain(agreement_id: int | None, *, full: bool = True) -> list[ChainProblem]:
    """Every problem of a chain, checked from its start unless `full` is False; [] when intact."""
    return check_chain(agreement_id, full=full, checkpoint_after=None).problems


def chains() -> list[int | None]:
    """Every chain the database knows of: agreements' (also those whose events are all gone) and the other one."""
    found = set(db.session.scalars(select(AuditEvent.agreement_id).distinct()))
    found |= {c or None for c in db.session.scalars(select(AuditHead.chain))}
    found |= set(db.session.scalars(select(Agreement.id)))
    found.add(None)
    return sorted(found, key=lambda c: -1 if c is None else c)


def verify_every_chain(*, full: bool = False) -> list[tuple[int | None, ChainReport]]:
    """Check every chain (in full, or from checkpoints), one transaction each, leaving a
    checkpoint at the end of each intact chain that grew since its last one."""
    reports = []
    for chain in chains():
        reports.append((chain, check_chain(chain, full=full, checkpoint_after=1)))
        db.session.commit()
    return reports
