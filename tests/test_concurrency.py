"""No lost update under several processes (RELIABILITY.md: SQLite's deferred transactions lost 156 of 200).

8 forked processes × 25 edits each, every edit a read-modify-write through HTTP (GET the
edit page for the text and its version, POST the text with a marker appended). A stale
write must be refused (409) and redone, never merged blindly or dropped; in the end the
clause holds all 200 markers, each exactly once, and nobody ever saw a 500.
"""
from __future__ import annotations

import html
import multiprocessing
import re

import pytest
from conftest import PASSWORD, base_config, csrf_token

from authoring import create_app
from authoring.extensions import db
from authoring.models import Agreement
from authoring.revisions.services import draft_of

pytestmark = pytest.mark.slow

PROCESSES = 8
EDITS_PER_PROCESS = 25
MAX_ATTEMPTS = 2_000  # per process; a livelock fails the test rather than hanging it
TEXTAREA_RE = re.compile(r"<textarea[^>]*>(?:\r\n|\n)?(.*?)</textarea>", re.S)  # a browser drops one leading newline
VERSION_RE = re.compile(r'name="base_version" type="hidden" value="(\d+)"')
BASE_TEXT_RE = re.compile(r'name="base_text" type="hidden" value="([^"]*)"')


def _editor(config: dict, agreement_id: int, key: str, worker: int, results) -> None:
    """One process: its own app and connection pool, logged in as the owner, 25 appends."""
    app = create_app(base_config(**config))
    client = app.test_client()
    statuses: dict[int, int] = {}
    try:
        client.post("/login", data={"csrf_token": csrf_token(client), "email": "owner@example.com",
                                    "password": PASSWORD})
        path = f"/agreements/{agreement_id}/clauses/{key}/edit"
        token = csrf_token(client, path)
        done = attempts = 0
        while done < EDITS_PER_PROCESS and attempts < MAX_ATTEMPTS:
            attempts += 1
            page = client.get(path)
            statuses[page.status_code] = statuses.get(page.status_code, 0) + 1
            body = page.get_data(as_text=True)
            text = html.unescape(TEXTAREA_RE.search(body).group(1))
            version = VERSION_RE.search(body).group(1)
            base_text = html.unescape(BASE_TEXT_RE.search(body).group(1))
            response = client.post(path, data={"csrf_token": token, "base_version": version, "base_text": base_text,
                                               "text": f"{text} [w{worker}-{done}]"})
            statuses[response.status_code] = statuses.get(response.status_code, 0) + 1
            if response.status_code == 302:
                done += 1
        results.put((worker, done, statuses))
    except Exception as error:  # reported to the parent, which fails the test with it
        results.put((worker, -1, repr(error)))
    finally:
        db.dispose(app)


def test_concurrent_edits_lose_nothing_and_never_fail(app, db_config, make_user, make_agreement):
    owner = make_user("owner@example.com")
    agreement_id = make_agreement(owner)
    with app.app_context():
        _draft, document = draft_of(db.session.get(Agreement, agreement_id))
        clause = next(document.clauses())

    context = multiprocessing.get_context("fork")
    results = context.Queue()
    workers = [context.Process(target=_editor, args=(db_config, agreement_id, clause.key, n, results))
               for n in range(PROCESSES)]
    for worker in workers:
        worker.start()
    reports = [results.get(timeout=300) for _ in workers]
    for worker in workers:
        worker.join(timeout=30)

    failures = [report for report in reports if report[1] != EDITS_PER_PROCESS]
    assert not failures, failures
    statuses: dict[int, int] = {}
    for _worker, _done, seen in reports:
        for code, count in seen.items():
            statuses[code] = statuses.get(code, 0) + count
    assert set(statuses) <= {200, 302, 409}, statuses  # never a 500 or "database is locked"
    assert statuses[302] == PROCESSES * EDITS_PER_PROCESS

    with app.app_context():
        draft, document = draft_of(db.session.get(Agreement, agreement_id))
        final = document.clause(clause.key).text
    markers = re.findall(r"\[w\d+-\d+\]", final)
    expected = {f"[w{w}-{n}]" for w in range(PROCESSES) for n in range(EDITS_PER_PROCESS)}
    assert len(markers) == len(expected) and set(markers) == expected
    assert final.startswith(clause.text)
    assert draft.version == 1 + PROCESSES * EDITS_PER_PROCESS
