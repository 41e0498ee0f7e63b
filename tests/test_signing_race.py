"""Signatures racing edits (DESIGN: "a signature racing an edit can never record a hash other
than the text that is finally executed").

Three forked processes against one agreement: the provider's owner keeps editing a clause,
marking the agreement ready again and reopening it whenever someone has signed; both
signatories keep opening the signing page and signing what it shows. When the owner
stops, the signatories finish. Afterwards: the agreement is executed, both valid
signatures are on the executed revision, which is exactly the final text; every voided
signature says why; nobody ever saw a 500.
"""
from __future__ import annotations

import html
import multiprocessing
import re
import time

import pytest
from conftest import PASSWORD, base_config, csrf_token
from sqlalchemy import select

from authoring import create_app
from authoring.demo_terms import demo_terms
from authoring.document import Document
from authoring.extensions import db
from authoring.interview.services import mark_ready, set_terms
from authoring.models import Agreement, Draft, Revision, Signature, User

pytestmark = pytest.mark.slow

EDIT_CYCLES = 12
MAX_ATTEMPTS = 3_000
TEXTAREA_RE = re.compile(r"<textarea[^>]*>(?:\r\n|\n)?(.*?)</textarea>", re.S)
FIELD_RE = 'name="{}" type="hidden" value="([^"]*)"'
HASH_RE = re.compile(FIELD_RE.format("shown_hash"))


def _client(config: dict, email: str):
    app = create_app(base_config(**config))
    client = app.test_client()
    client.post("/login", data={"csrf_token": csrf_token(client), "email": email, "password": PASSWORD})
    return app, client


def _count(statuses: dict, code: int) -> None:
    statuses[code] = statuses.get(code, 0) + 1


def _owner(config, agreement_id, key, results) -> None:
    """Edit, mark ready, and reopen whenever a signature is in: EDIT_CYCLES times; ends ready."""
    app, client = _client(config, "owner@example.com")
    statuses: dict[int, int] = {}
    base = f"/agreements/{agreement_id}"
    try:
        token = csrf_token(client, f"{base}/sign")
        for cycle in range(EDIT_CYCLES):
            page = client.get(f"{base}/clauses/{key}/edit").get_data(as_text=True)
            if "its text can no longer change" not in page and TEXTAREA_RE.search(page):
                text = html.unescape(TEXTAREA_RE.search(page).group(1))
                response = client.post(f"{base}/clauses/{key}/edit", data={
                    "csrf_token": token, "text": f"{text} [edit {cycle}]",
                    "base_version": re.search(FIELD_RE.format("base_version"), page).group(1),
                    "base_text": html.unescape(re.search(FIELD_RE.format("base_text"), page).group(1))})
                _count(statuses, response.status_code)
            _count(statuses, client.post(f"{base}/ready", data={"csrf_token": token}).status_code)
            time.sleep(0.01)
            _count(statuses, client.post(f"{base}/reopen", data={"csrf_token": token,
                                                                 "reason": f"cycle {cycle}"}).status_code)
        _count(statuses, client.post(f"{base}/ready", data={"csrf_token": token}).status_code)
        results.put(("owner", True, statuses))
    except Exception as error:  # reported to the parent, which fails the test with it
        results.put(("owner", False, repr(error)))
    finally:
        db.dispose(app)


def _signer(config, agreement_id, email, results) -> None:
    """Sign whatever the signing page shows, until the agreement is executed."""
    app, client = _client(config, email)
    statuses: dict[int, int] = {}
    path = f"/agreements/{agreement_id}/sign"
    try:
        token = csrf_token(client, path)
        for _ in range(MAX_ATTEMPTS):
            page = client.get(path)
            _count(statuses, page.status_code)
            body = page.get_data(as_text=True)
            if "Executed on" in body:
                results.put((email, True, statuses))
                return
            shown = HASH_RE.search(body)
            if shown and 'id="sign"' in body:
                response = client.post(path, data={"csrf_token": token, "full_name": email, "job_title": "Signatory",
                                                   "password": PASSWORD, "consent": "y", "shown_hash": shown.group(1)})
                _count(statuses, response.status_code)
            else:
                time.sleep(0.01)
        results.put((email, False, statuses))
    except Exception as error:
        results.put((email, False, repr(error)))
    finally:
        db.dispose(app)


def test_signatures_racing_edits_only_ever_execute_the_final_text(app, db_config, make_user, make_agreement, add_member):
    owner = make_user("owner@example.com", name="Olivia Owner")
    agreement_id = make_agreement(owner)
    for email, side in (("psign@example.com", "provider"), ("csign@example.com", "client")):
        add_member(agreement_id, make_user(email), side, "signatory")
    with app.test_request_context(method="POST"):
        agreement = db.session.get(Agreement, agreement_id)
        user = db.session.get(User, owner.id)
        terms = demo_terms("en", "Support agreement")
        for side in ("provider", "client"):  # the signers type their e-mail as their name: name nobody
            terms["parties"][side]["signatory_name"] = None
        set_terms(agreement, user, terms, "test")
        mark_ready(agreement, user)
        key = next(Document.from_json(db.session.get(Draft, agreement_id).document).clauses()).key

    context = multiprocessing.get_context("fork")
    results = context.Queue()
    workers = [context.Process(target=_owner, args=(db_config, agreement_id, key, results))]
    workers += [context.Process(target=_signer, args=(db_config, agreement_id, email, results))
                for email in ("psign@example.com", "csign@example.com")]
    for worker in workers:
        worker.start()
    reports = [results.get(timeout=300) for _ in workers]
    for worker in workers:
        worker.join(timeout=30)

    assert all(ok for _who, ok, _statuses in reports), reports
    seen = {code for _who, _ok, statuses in reports for code in statuses}
    assert seen <= {200, 302, 409, 422}, reports  # refusals, never a 500 or "database is locked"

    with app.app_context():
        agreement = db.session.get(Agreement, agreement_id)
        executed = db.session.get(Revision, agreement.executed_revision_id)
        final = Document.from_json(db.session.get(Draft, agreement_id).document)
        signatures = list(db.session.scalars(select(Signature).where(Signature.agreement_id == agreement_id)))
        assert agreement.status == "executed"
        assert executed.hash == final.sha256()
        valid = [s for s in signatures if s.voided_at is None]
        assert sorted(s.side for s in valid) == ["client", "provider"]
        assert {s.revision_hash for s in valid} == {executed.hash}
        for signature in signatures:  # each names the revision it signed, exactly
            assert db.session.get(Revision, signature.revision_id).hash == signature.revision_hash
        assert all(s.void_reason for s in signatures if s.voided_at is not None)
        edits = re.findall(r"\[edit \d+\]", final.clause(key).text)
        assert edits == sorted(set(edits), key=lambda e: int(e[6:-1]))  # no edit applied twice or out of order
