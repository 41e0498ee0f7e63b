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
be compared with the database; and every signature is sealed with SIGNATURE_KEY
(with the chain head of its moment), so a log put back to before a signature is
reported because the signature's entry is missing.

Checking a long chain on every page view would read all of it, so a successful check
leaves a sealed checkpoint (seq and hash of the last event verified) and later checks
start there: they read the events after it, count those before it, and compare the
end with the head. An edit of an event older than the newest checkpoint is found by
the next full check: by `flask audit verify --full` (cron), by every Verify of a signed
document, and once the checkpoint is a day old by `flask audit verify` and by the
Activity page - which reads the older events again in slices of CHECKPOINT_EVERY per
view, so that no view reads the whole log.
"""
from .chain import GLOBAL_CHAIN, HEAD_REPLACED, chain_head, checkpoint_mac, event_hash, head_mac
from .check import (
    CHECKPOINT_EVERY, CHECKPOINT_MAX_AGE, ChainProblem, ChainReport, chains, check_chain, verify_chain,
    verify_every_chain,
)
from .log import client_ip, record

__all__ = [
    "CHECKPOINT_EVERY", "CHECKPOINT_MAX_AGE", "GLOBAL_CHAIN", "HEAD_REPLACED", "ChainProblem", "ChainReport",
    "chain_head", "chains", "check_chain", "checkpoint_mac", "client_ip", "event_hash", "head_mac", "record",
    "verify_chain", "verify_every_chain",
]
