"""Checking chains: from the newest sealed checkpoint or from the start, in sentences a person reads."""
from __future__ import annotations

import hmac
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import delete, func, select

from ..extensions import db
from ..models import Agreement, AuditCheckpoint, AuditEvent, AuditHead, Signature, utcnow
from ..signing.seal import signature_intact
from .chain import HEAD_REPLACED, chain_id, checkpoint_mac, event_hash, events_of, head_intact, head_of, lock_chain

# A check that verified more new events than this leaves a checkpoint, so the next check
# of that chain reads at most about this many events plus those written since.
CHECKPOINT_EVERY = 200
# A checkpoint older than this is not relied on alone: the whole chain is read again - at
# once by `flask audit verify`, in slices of CHECKPOINT_EVERY entries per view by the Activity
# page (whose cost must not grow with the log) - so an edit of an old entry is found within a
# day by cron, and by the page in its next views, cron or not.
CHECKPOINT_MAX_AGE = timedelta(hours=24)


def _when(at: datetime | None) -> str:
    return at.strftime("%d %b %Y, %H:%M:%S UTC") if at is not None else "an unknown time"


def _what(action: str) -> str:
    return action.replace(".", " ").replace("_", " ")


@dataclass(frozen=True)
class ChainProblem:
    """One thing wrong with a chain, with a sentence that says it to a person.

    `problem` names the kind: "edited", "missing before it", "out of place", "end deleted",
    "added after the end", "head", "checkpoint", "older entries", "head replaced", "emptied",
    "signature without entry".
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
    swept: tuple[int, int] | None = None  # the older entries it checked again (first, last), see check_chain
    checkpoint_written: bool = False

    @property
    def intact(self) -> bool:
        return not self.problems


def _checkpoints(chain: int) -> tuple[AuditCheckpoint | None, AuditCheckpoint | None]:
    """The chain's newest checkpoint, and the re-check under way before it (a checkpoint at a lower
    entry made after it, see check_chain), each None when there is none."""
    rows = list(db.session.scalars(select(AuditCheckpoint).where(AuditCheckpoint.chain == chain)
                                   .order_by(AuditCheckpoint.seq.desc(), AuditCheckpoint.id.desc()).limit(2)))
    newest = rows[0] if rows else None
    sweep = rows[1] if len(rows) > 1 and rows[1].seq < rows[0].seq and rows[1].made_at > rows[0].made_at else None
    return newest, sweep


def _sealed(checkpoint: AuditCheckpoint) -> bool:
    return hmac.compare_digest(checkpoint.mac, checkpoint_mac(checkpoint))


def _walk(events, start: AuditCheckpoint | None, report: ChainReport) -> AuditEvent | None:
    """Read `events` in order, each after the one before it and carrying the key's MAC; returns the last.

    `start` is the checkpoint the events begin at (its own event first, which must be the one it
    sealed); None: they begin at the chain's first entry.
    """
    problems = report.problems
    expected, previous, last = (start.seq if start is not None else 1), "", None
    for event in events:
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
    return last


def check_chain(agreement_id: int | None, *, full: bool = False, checkpoint_after: int | None = CHECKPOINT_EVERY,
                bounded: bool = False) -> ChainReport:
    """Check a chain: from its newest intact checkpoint, or from its start when `full`.

    A checkpoint seals "entries 1 to `seq` were checked in full, by a check begun at `made_at`".
    One older than CHECKPOINT_MAX_AGE is not started from: the whole chain is read again -
    unless `bounded` (a page view), which never reads the whole chain once it has a checkpoint.
    A bounded check reads the entries after the checkpoint, as always, and re-checks the older
    ones in slices: at most CHECKPOINT_EVERY of them per check, from where the previous slice
    ended (sealed as a second checkpoint, at a lower entry, made after the newest). When the
    slices reach the newest checkpoint, the whole chain has been read again since the first
    slice began, and the newest checkpoint carries that time.

    When the check finds nothing wrong, it adds to the current transaction (the caller commits)
    a checkpoint at the last event when it verified at least `checkpoint_after` events past the
    newest checkpoint, when it read the whole chain in place of a stale one, or when the slices
    came round; and the end of the slice it re-checked. None never adds either.
    """
    chain = chain_id(agreement_id)
    lock_chain(agreement_id, shared=True)
    report = ChainReport()
    problems = report.problems
    head = head_of(agreement_id)
    head_altered = head is not None and not head_intact(head)
    if head_altered:
        problems.append(ChainProblem("head", "The record of where this log ends was altered in the database, "
                                             "so the newest entries cannot be vouched for."))
    newest, sweep = _checkpoints(chain)
    if newest is not None and not _sealed(newest):
        problems.append(ChainProblem("checkpoint", f"The checkpoint of this log up to entry {newest.seq} was "
                                                   "altered in the database; the whole log was checked instead."))
        newest, sweep = None, None
    if sweep is not None and not _sealed(sweep):
        problems.append(ChainProblem("checkpoint", f"The record of how far this log was checked again (entry "
                                                   f"{sweep.seq}) was altered in the database; the check starts again "
                                                   "from its first entry."))
        sweep = None
    stale = newest is not None and newest.made_at < utcnow() - CHECKPOINT_MAX_AGE
    start = None if full or newest is None or (stale and not bounded) else newest
    report.since = start

    query = select(AuditEvent).where(events_of(agreement_id)).order_by(AuditEvent.id)
    if start is not None:
        query = query.where(AuditEvent.seq >= start.seq)
        older = db.session.scalar(select(func.count()).select_from(AuditEvent)
                                  .where(events_of(agreement_id), AuditEvent.seq < start.seq))
        if older != start.seq - 1:
            gone = start.seq - 1 - older
            problems.append(ChainProblem(
                "older entries",
                f"{abs(gone)} {'entry' if abs(gone) == 1 else 'entries'} older than entry {start.seq} (checked in full "
                f"on {_when(start.made_at)}) {'was' if abs(gone) == 1 else 'were'} "
                f"{'deleted from' if gone > 0 else 'added to'} the database since."))
    last = _walk(db.session.scalars(query), start, report)

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

    if agreement_id is not None:
        problems += _signatures_without_entry(agreement_id)

    swept = None
    if start is not None and stale:
        # The slice after the previous one, up to the newest checkpoint's own entry.
        upto = min((sweep.seq if sweep is not None else 0) + CHECKPOINT_EVERY, start.seq)
        older_part = select(AuditEvent).where(events_of(agreement_id), AuditEvent.seq <= upto).order_by(AuditEvent.id)
        if sweep is not None:
            older_part = older_part.where(AuditEvent.seq >= sweep.seq)
        swept = _walk(db.session.scalars(older_part), sweep, report)
        report.swept = (sweep.seq if sweep is not None else 1, swept.seq if swept is not None else upto)

    if checkpoint_after is None or problems or last is None:
        return report
    now = utcnow()
    done = newest.seq if newest is not None else 0
    came_round = swept is not None and swept.seq == start.seq and swept.hash == start.hash
    if came_round:  # every entry read again since the first slice began
        keep, made_at = None, sweep.made_at if sweep is not None else now
    elif start is None:  # read in full now
        keep, made_at = None, now
    else:
        keep, made_at = sweep, start.made_at
    renewed = None
    if came_round or last.seq - done >= max(checkpoint_after, 1) or (start is None and stale):
        renewed = AuditCheckpoint(chain=chain, seq=last.seq, hash=last.hash, made_at=made_at)
    if swept is not None and not came_round:
        keep = AuditCheckpoint(chain=chain, seq=swept.seq, hash=swept.hash,
                               made_at=sweep.made_at if sweep is not None else now)
    if renewed is None and (keep is sweep or keep is None):
        return report
    # Only the newest checkpoint and a re-check under way are ever used; others would only pile up.
    kept = [row.id for row in (newest if renewed is None else None, keep) if row is not None and row.id is not None]
    db.session.execute(delete(AuditCheckpoint).where(AuditCheckpoint.chain == chain, AuditCheckpoint.id.not_in(kept)))
    for row in (renewed, keep):
        if row is not None and row.id is None:
            row.mac = checkpoint_mac(row)
            db.session.add(row)
    report.checkpoint_written = renewed is not None
    return report


def _signatures_without_entry(agreement_id: int) -> list[ChainProblem]:
    """Sealed signatures whose signing entry is not in the chain: the log was cut back behind them
    (a head replayed from an earlier moment can hide that from the chain itself, not from these)."""
    sealed = [s for s in db.session.scalars(select(Signature).where(Signature.agreement_id == agreement_id)
                                            .order_by(Signature.id)) if signature_intact(s)]
    if not sealed:
        return []
    logged = {details.get("signature") for details in db.session.scalars(
        select(AuditEvent.details).where(events_of(agreement_id), AuditEvent.action == "agreement.signed"))
        if isinstance(details, dict)}
    return [ChainProblem("signature without entry", f"The signature of {s.full_name} ({s.side}, {_when(s.signed_at)}) "
                         "is sealed in the record, but its entry in this log is missing: the log was cut back "
                         "to before it.") for s in sealed if s.id not in logged]


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
