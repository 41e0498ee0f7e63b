"""Writes stay constant in history: accepting a proposal after EARLIER ones against the first.

Two agreements of the history part's shape (history.build): one with EARLIER proposals
(and their comments and events) behind it, one with none. Each run, the client proposes
new wording for a clause in each (untimed, through negotiation.services.propose_wording),
and the provider's owner accepts it through the page's form (POST, timed), the two
agreements interleaved. Target: the accept at most TARGET x the first agreement's.
"""
from __future__ import annotations

import statistics
from typing import Any

from .history import CLIENT, OWNER, build, people
from .site import PageError, Site, timed

EARLIER = 2000
TARGET = 1.5


def _propose(site: Site, agreement_id: int, key: str, run: int) -> int:
    """The client's new wording for clause `key`; returns the proposal's number."""
    from sqlalchemy import select

    from ..extensions import db
    from ..models import Agreement, Membership, User
    from ..negotiation.services import propose_wording
    from ..revisions.services import draft_of

    with site.app.test_request_context(method="POST"):
        agreement = db.session.get(Agreement, agreement_id)
        client = db.session.scalars(select(User).where(User.email == CLIENT)).one()
        membership = db.session.scalars(select(Membership).where(Membership.agreement_id == agreement_id,
                                                                 Membership.user_id == client.id)).one()
        text = draft_of(agreement)[1].clause(key).text
        proposals, _merged = propose_wording(agreement, client, membership, key, f"{text} Amended in round {run}.",
                                             text, "A clearer wording.")
        return proposals[0].number


def measure(site: Site, earlier: int = EARLIER, runs: int = 5) -> dict[str, Any]:
    """Build both agreements, then accept one new proposal in each per run, interleaved."""
    people(site)
    history_built = build(site, earlier, "Writes benchmark (with history)")
    first_built = build(site, 0, "Writes benchmark (first proposal)")
    from sqlalchemy import event

    from ..extensions import db

    owner = site.client(OWNER)
    agreements = {"first": first_built, "history": history_built}
    times: dict[str, list[float]] = {"first": [], "history": []}
    statements: dict[str, int] = {}
    with site.app.app_context():
        engine = db.engine
    issued: list[str] = []

    def count(_conn, _cursor, statement, _parameters, _context, _executemany):
        issued.append(statement)

    for run in range(runs + 1):  # the first round warms up, untimed
        for name in ("first", "history") if run % 2 == 0 else ("history", "first"):
            built = agreements[name]
            number = _propose(site, built.agreement_id, built.clause_key, run)
            url = f"/agreements/{built.agreement_id}/proposals/{number}/accept"
            issued.clear()
            event.listen(engine, "before_cursor_execute", count)
            try:
                ms, response = timed(lambda: owner.post(url, data={}))
            finally:
                event.remove(engine, "before_cursor_execute", count)
            if response.status_code != 302:
                raise PageError(f"POST {url} answered {response.status_code}")
            statements[name] = max(statements.get(name, 0), len(issued))
            if run:
                times[name].append(ms)
    first, history = statistics.median(times["first"]), statistics.median(times["history"])
    return {
        "writes_earlier_proposals": {"first": 0, "history": earlier},
        "writes_accept_ms": {"first": first, "history": history},
        "writes_statements": statements,
        "writes_ratio": history / first,
        "writes_ratio_per_run_median": statistics.median(h / f for h, f in zip(times["history"], times["first"])),
        "writes_target_ratio": TARGET,
        "writes_target_met": history / first <= TARGET,
    }
