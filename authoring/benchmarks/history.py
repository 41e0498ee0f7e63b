"""Pages that grow with history: Negotiation, Activity, Revisions and a clause page.

Two agreements of the same shape (the clause library's default draft, shared, both sides'
owners) differ only in how much happened to them: the large one has PROPOSALS proposals,
as many comments and three times as many audit events; the small one a tenth of each. In
both, the current round is the same: OPEN_PROPOSALS proposals waiting for an answer and
OPEN_THREADS unresolved threads on the agreement and on the clause measured. Everything
else is history: answered proposals (a quarter of them on the clause measured), resolved
threads of four comments (half on the agreement as a whole, a quarter on that clause), a
revision every ten proposals, and the events all of that wrote - chained and sealed as
`audit.record` seals them. The log was last checked CHECKED_BEFORE_END events before its
end, so each view of the Activity page verifies those events, as a page viewed now and
then does.

The history is written in bulk through the models (thousands of rows in seconds); the
pages are read through a logged-in test client. Target: each page's time and HTML size
at most TARGET x the small agreement's.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from .site import Site, get_page, ratio_figure

PROPOSALS = 2000
TARGET = 1.5
OPEN_PROPOSALS = 5
OPEN_THREADS = 3
REPLIES = 3  # per thread
CHECKED_BEFORE_END = 50
PAGES = ("negotiation", "activity", "revisions", "clause")
OWNER, CLIENT = "owner@bench.example", "client@bench.example"
CLOSED = ("accepted", "rejected", "withdrawn", "superseded")


@dataclass(frozen=True)
class Built:
    agreement_id: int
    clause_key: str
    proposals: int
    comments: int
    events: int
    revisions: int
    open_numbers: tuple[int, ...]


def people(site: Site) -> None:
    """The provider's and the client's owners, once per site."""
    if not site.has_person(OWNER):
        site.person(OWNER, "Zofia Wójcik")
        site.person(CLIENT, "María José Pérez")


def _shared_agreement(owner, client, title: str):
    """A shared agreement with the library's default draft, an owner on each side; the client's move."""
    from ..agreements.services import create_agreement
    from ..extensions import db
    from ..models import Membership
    from ..negotiation.services import share

    agreement = create_agreement(owner, title=title, language="en", provider_name="Zakład Usług Łódź sp. z o.o.",
                                 client_name="Compañía Ibérica S.A.")
    db.session.add(Membership(agreement_id=agreement.id, user_id=client.id, side="client", role="owner"))
    db.session.commit()
    membership = next(m for m in agreement.memberships if m.user_id == owner.id)
    share(agreement, owner, membership, "Our first draft.")
    return agreement


def _edited(text: str, number: int) -> str:
    """The clause's text with a few words inserted near its middle: a proposal's new wording."""
    words = text.split(" ")
    at = max(1, len(words) // 2)
    return " ".join(words[:at] + [f"(revised wording no. {number})"] + words[at:])


def _add_proposals(agreement, people: dict[str, Any], clause_key: str, texts: dict[str, str], count: int,
                   start) -> list:
    """`count` proposals of new wording, numbered from 1, a quarter of them on `clause_key` and the rest
    spread over the other clauses (`texts`: key -> text); the newest OPEN_PROPOSALS open, the rest answered."""
    from ..document.canonical import content_hash
    from ..extensions import db
    from ..models import Proposal

    others = [key for key in texts if key != clause_key]
    rows = []
    for number in range(1, count + 1):
        clause = clause_key if number % 4 == 0 else others[number % len(others)]
        text = texts[clause]
        side = "client" if number % 2 else "provider"
        answerer = "provider" if side == "client" else "client"
        status = "open" if number > count - OPEN_PROPOSALS else CLOSED[number % len(CLOSED)]
        when = start + timedelta(minutes=3 * number)
        row = Proposal(agreement_id=agreement.id, number=number, author_id=people[side].id, side=side,
                       kind="clause_text", target=clause, base_hash=content_hash({"value": text}), base_value=text,
                       value=_edited(text, number), reason=f"Reason for proposal {number}: clarity.",
                       status=status, created_at=when)
        if status != "open":
            row.responded_by_id = people[answerer].id
            row.responded_at = when + timedelta(minutes=1)
            row.response_reason = "Not acceptable as worded." if status == "rejected" else None
        rows.append(row)
    db.session.add_all(rows)
    db.session.flush()
    return rows


def _add_comments(agreement, people: dict[str, Any], clause_key: str, others: list, count: int, start) -> list:
    """Threads of 1 + REPLIES comments: half on the agreement, a quarter on the clause measured, the rest on
    others; the newest OPEN_THREADS on the agreement and on the clause unresolved, every other one resolved."""
    from ..extensions import db
    from ..models import Comment

    threads = count // (1 + REPLIES)
    if not threads:
        return []
    places = [None if t % 4 in (0, 1) else clause_key if t % 4 == 2 else others[t % len(others)].key
              for t in range(threads)]
    open_left = {None: OPEN_THREADS, clause_key: OPEN_THREADS}
    firsts = []
    for t in reversed(range(threads)):  # the newest threads are the open ones
        where = places[t]
        side = "client" if t % 2 else "provider"
        when = start + timedelta(minutes=5 * t)
        first = Comment(agreement_id=agreement.id, clause_key=where, author_id=people[side].id, side=side,
                        body=f"Thread {t + 1}: does this wording cover weekends and public holidays?", created_at=when)
        if open_left.get(where, 0) > 0:
            open_left[where] -= 1
        else:
            first.resolved_at = when + timedelta(hours=2)
            first.resolved_by_id = people[side].id
        firsts.append((t, first))
    firsts.sort(key=lambda pair: pair[0])
    db.session.add_all([first for _t, first in firsts])
    db.session.flush()
    replies = []
    for t, first in firsts:
        for r in range(REPLIES):
            side = "provider" if (t + r) % 2 else "client"
            replies.append(Comment(agreement_id=agreement.id, clause_key=first.clause_key, thread_id=first.id,
                                   author_id=people[side].id, side=side, body=f"Reply {r + 1}: yes, from 8:00 to 18:00.",
                                   created_at=first.created_at + timedelta(minutes=10 * (r + 1))))
    db.session.add_all(replies)
    db.session.flush()
    return [first for _t, first in firsts] + replies


def _add_revisions(agreement, owner, document, count: int, start) -> int:
    """`count` revisions after the first, alternating between two texts (content-addressed: stored once)."""
    from ..extensions import db
    from ..models import Revision
    from ..revisions.services import latest_revision
    from ..revisions.store import store_document

    first_clause = next(iter(document.clauses()))
    other = document.with_clause_text(first_clause.key, _edited(first_clause.text, 0))
    versions = [(store_document(document), document.sha256()), (store_document(other), other.sha256())]
    parent = latest_revision(agreement)
    for index in range(count):
        tree, digest = versions[(index + 1) % 2]
        side = "client" if index % 2 == 0 else "provider"
        revision = Revision(agreement_id=agreement.id, number=parent.number + 1, parent_id=parent.id, author_id=owner.id,
                            side=side, message=f"Round {parent.number + 1}: answers to your proposals.", hash=digest,
                            tree=tree, changes={"changed": 1, "added": 0, "removed": 0, "moved": 0, "terms": 0},
                            created_at=start + timedelta(hours=index))
        db.session.add(revision)
        db.session.flush()
        parent = revision
    return count


def _add_events(agreement, people: dict[str, Any], proposals: list, comments: list, revisions: int, total: int,
                start) -> int:
    """Audit events for what was added, chained and sealed as audit.record does, up to `total` in the chain;
    the chain is checked (leaving a sealed checkpoint) CHECKED_BEFORE_END events before its end."""
    from sqlalchemy import select

    from ..audit import check_chain, head_mac
    from ..audit.chain import event_hash
    from ..extensions import db
    from ..models import AuditEvent, AuditHead

    details: list[tuple[str, int, dict]] = []
    for p in proposals:
        details.append(("proposal.created", p.author_id, {"proposal": p.number, "kind": p.kind, "target": p.target,
                                                         "counter_of": None, "rebased": False}))
        if p.status != "open":
            extra = {"reason": p.response_reason} if p.status == "rejected" else {}
            details.append((f"proposal.{p.status}", p.responded_by_id, {"proposal": p.number, **extra}))
    for c in comments:
        details.append(("comment.added", c.author_id, {"comment": c.id, "clause": c.clause_key, "thread": c.thread_id}))
    number = 1
    while len(details) < total:
        side = "client" if number % 2 else "provider"
        details.append(("turn.sent", people[side].id, {"revision": number + 1 if number <= revisions else None,
                                                       "to": "provider" if side == "client" else "client",
                                                       "message": f"Round {number}."}))
        number += 1
    head = db.session.scalar(select(AuditHead).where(AuditHead.chain == agreement.id))
    room = max(0, total - head.seq)
    details = details[:room]
    checked_at = max(0, len(details) - CHECKED_BEFORE_END)
    for index, (action, actor_id, values) in enumerate(details):
        if index == checked_at:
            db.session.flush()
            check_chain(agreement.id, full=True, checkpoint_after=1)
        event = AuditEvent(action=action, actor_id=actor_id, agreement_id=agreement.id, ip="192.0.2.10",
                           at=start + timedelta(seconds=30 * index), details=values, seq=head.seq + 1,
                           prev_hash=head.hash)
        event.hash = event_hash(event)
        head.seq, head.hash = event.seq, event.hash
        db.session.add(event)
    head.mac = head_mac(head.chain, head.seq, head.hash)
    db.session.flush()
    return head.seq


def build(site: Site, proposals: int, title: str) -> Built:
    """An agreement with `proposals` proposals, as many comments and 3x as many events (see the module)."""
    from sqlalchemy import select

    from ..extensions import db
    from ..models import User, utcnow
    from ..revisions.services import draft_of

    with site.app.test_request_context(method="POST"):
        owner = db.session.scalar(select(User).where(User.email == OWNER))
        client = db.session.scalar(select(User).where(User.email == CLIENT))
        agreement = _shared_agreement(owner, client, title)
        _draft, document = draft_of(agreement)
        clauses = list(document.clauses())
        measured, others = clauses[0], clauses[1:]
        start = utcnow() - timedelta(days=120)
        people = {"provider": owner, "client": client}
        rows = _add_proposals(agreement, people, measured.key, {c.key: c.text for c in clauses}, proposals, start)
        comments = _add_comments(agreement, people, measured.key, others, proposals, start)
        revisions = _add_revisions(agreement, owner, document, max(1, proposals // 10), start)
        events = _add_events(agreement, people, rows, comments, revisions, 3 * proposals, start)
        db.session.commit()
        return Built(agreement.id, measured.key, len(rows), len(comments), events, revisions + 1,
                     tuple(p.number for p in rows if p.status == "open"))


def order(run: int) -> tuple[str, str]:
    """Small then large, then large then small: load that rises or falls during a run weighs on both alike."""
    return ("small", "large") if run % 2 == 0 else ("large", "small")


def _urls(built: Built) -> dict[str, str]:
    base = f"/agreements/{built.agreement_id}"
    return {"negotiation": f"{base}/negotiation", "activity": f"{base}/activity", "revisions": f"{base}/revisions",
            "clause": f"{base}/clauses/{built.clause_key}"}


def _check(page: str, html: str, built: Built) -> None:
    """What the page must show whatever its size, so a page that drops it is not timed as a fast one."""
    from .site import PageError

    if page == "negotiation":
        missing = [n for n in built.open_numbers if f'id="proposal-{n}"' not in html]
        if missing:
            raise PageError(f"the negotiation page does not show open proposals {missing}")
    if page == "activity" and 'data-testid="chain"' not in html:
        raise PageError("the activity page does not say whether its chain is intact")
    if page == "activity" and "tampered" in html:
        raise PageError("the activity page reports the benchmark's own chain as tampered with")


def measure(site: Site, proposals: int = PROPOSALS, runs: int = 5) -> dict[str, Any]:
    """Build both agreements, then GET each page `runs` times, large and small interleaved."""
    people(site)
    small_count = max(OPEN_PROPOSALS + 1, proposals // 10)
    built = {"small": build(site, small_count, "History benchmark (small)"),
             "large": build(site, proposals, "History benchmark (large)")}
    client = site.client(OWNER)
    urls = {size: _urls(b) for size, b in built.items()}
    times: dict[str, dict[str, list[float]]] = {page: {"small": [], "large": []} for page in PAGES}
    sizes: dict[str, dict[str, int]] = {page: {} for page in PAGES}
    for page in PAGES:  # warm-up, untimed: templates compiled, first queries planned
        for size in ("small", "large"):
            _ms, html = get_page(client, urls[size][page])
            _check(page, html, built[size])
    for run in range(runs):
        for page in PAGES:
            for size in order(run):
                ms, html = get_page(client, urls[size][page])
                times[page][size].append(ms)
                sizes[page][size] = len(html.encode("utf-8"))
    counts = {size: {"proposals": b.proposals, "comments": b.comments, "events": b.events, "revisions": b.revisions}
              for size, b in built.items()}
    return {"history_counts": counts, "history_runs": runs,
            "history_pages": {page: ratio_figure(times[page]["large"], times[page]["small"], sizes[page]["large"],
                                                 sizes[page]["small"], TARGET)
                              for page in PAGES}}
