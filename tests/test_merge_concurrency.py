"""Stale direct edits of one clause, through HTTP: merged exactly, or refused with both versions.

Before the draft is shared, the provider's editors edit it directly; each edit names its
base (the draft version and the clause text it started from). A change made meanwhile
to other words is merged from that common base (document.merge); a change to the same
words is refused with 409 and both versions, never patched approximately
(shared/RELIABILITY.md). Every test runs on SQLite and PostgreSQL.
"""
from __future__ import annotations

import html
import multiprocessing
import random
import re
import time

import pytest
from conftest import PASSWORD, base_config, csrf_token, post_form
from test_revisions import based_on, edit_page

from authoring import ROOT, create_app
from authoring.extensions import db
from authoring.library import load_library
from authoring.library.binding import parts_bound
from authoring.models import Agreement
from authoring.revisions.services import draft_of

KEY = "services.scope"
MERGED_FLASH = "merged with a change made meanwhile"
TEXTAREA_RE = re.compile(r"<textarea[^>]*>(?:\r\n|\n)?(.*?)</textarea>", re.S)  # a browser drops one leading newline
THEIRS_RE = re.compile(r'<pre class="clause-text conflict-theirs"[^>]*>(.*?)</pre>', re.S)
MINE_RE = re.compile(r'<pre class="clause-text conflict-mine"[^>]*>(.*?)</pre>', re.S)


def shown(fragment: str) -> str:
    """A version's text as it reads on screen: without the marks of what differs and their spoken labels."""
    return html.unescape(re.sub(r"<[^>]+>", "", re.sub(r'<span class="visually-hidden">.*?</span>', "", fragment)))


def _url(agreement_id: int, key: str = KEY) -> str:
    return f"/agreements/{agreement_id}/clauses/{key}/edit"


def _draft(app, agreement_id: int):
    """(draft version, document) as committed now."""
    with app.app_context():
        draft, document = draft_of(db.session.get(Agreement, agreement_id))
        return draft.version, document


def _flash_after(client, response) -> str:
    """The page the redirect leads to (it carries the flash message)."""
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    return html.unescape(client.get(response.headers["Location"]).get_data(as_text=True))


@pytest.fixture
def two_editors(app, make_user, make_agreement, add_member, login):
    """An agreement (not shared) and two logged-in provider-side clients: owner and editor."""
    owner, editor = make_user("owner@example.com", name="Olga Owner"), make_user("editor@example.com", name="Eddie Editor")
    agreement_id = make_agreement(owner)
    add_member(agreement_id, editor, "provider", "editor")
    return agreement_id, login(app.test_client(), owner.email), login(app.test_client(), editor.email)


LIBRARY = load_library(ROOT / "clauses")


def same_but_reworded(before, after, text):
    """`before` with only KEY's text replaced by `text`, keeping the template the edit gave the clause
    (text and terms stay bound: its parts must render exactly that text)."""
    clause = after.clause(KEY)
    assert clause.text == text
    assert parts_bound(LIBRARY, clause.parts, after.terms, "en").text == text
    return before.with_clause_text(KEY, text, clause.parts, clause.unstated)


def test_edits_of_different_words_from_one_base_are_both_kept(app, two_editors):
    agreement_id, first, second = two_editors
    version_before, document_before = _draft(app, agreement_id)
    original = document_before.clause(KEY).text
    base_first, base_second = edit_page(first, agreement_id, KEY), edit_page(second, agreement_id, KEY)
    assert base_first == base_second == {"base_version": version_before, "base_text": original}

    assert original.startswith("The Provider will provide ") and original.endswith(" even if they are not listed.")
    first_text = "Our" + original[len("The"):]                       # the first word
    second_text = original[: -len("listed.")] + "enumerated."         # a word near the end
    expected = "Our" + original[len("The"): -len("listed.")] + "enumerated."

    landed = post_form(first, _url(agreement_id), {"text": first_text, **base_first})
    first_page = _flash_after(first, landed)
    assert "saved." in first_page and MERGED_FLASH not in first_page
    merged = post_form(second, _url(agreement_id), {"text": second_text, **base_second})
    second_page = _flash_after(second, merged)
    assert MERGED_FLASH in second_page

    version_after, document_after = _draft(app, agreement_id)
    assert document_after.clause(KEY).text == expected
    assert version_after == version_before + 2
    # Nothing else in the document changed: the same as the old document with only this clause's text replaced.
    assert document_after.canonical_json() == same_but_reworded(document_before, document_after, expected).canonical_json()
    for clause in document_before.clauses():
        if clause.key != KEY:
            assert document_after.clause(clause.key).text == clause.text, clause.key
    # Both people now read the merged text, on the draft and in the editor.
    assert expected in html.unescape(first.get(f"/agreements/{agreement_id}").get_data(as_text=True))
    assert edit_page(second, agreement_id, KEY) == {"base_version": version_after, "base_text": expected}


def test_edits_of_the_same_word_are_refused_with_both_versions(app, two_editors):
    agreement_id, first, second = two_editors
    version_before, document_before = _draft(app, agreement_id)
    original = document_before.clause(KEY).text
    base_first, base_second = edit_page(first, agreement_id, KEY), edit_page(second, agreement_id, KEY)
    assert original.endswith(" not listed.")
    first_text = original[: -len("listed.")] + "enumerated."
    second_text = original[: -len("listed.")] + "itemised."

    landed = post_form(first, _url(agreement_id), {"text": first_text, **base_first})
    assert landed.status_code == 302
    refused = post_form(second, _url(agreement_id), {"text": second_text, **base_second})
    assert refused.status_code == 409
    page = refused.get_data(as_text=True)
    assert "changed the same words" in page
    assert shown(THEIRS_RE.search(page).group(1)) == first_text   # what the draft says now
    assert shown(MINE_RE.search(page).group(1)) == second_text    # the person's own text
    assert "enumerated<span" in THEIRS_RE.search(page).group(1) and "itemised<span" in MINE_RE.search(page).group(1)
    assert html.unescape(TEXTAREA_RE.search(page).group(1)) == second_text  # still in the editor

    version_now, document_now = _draft(app, agreement_id)
    assert document_now.clause(KEY).text == first_text                   # only the first change
    assert version_now == version_before + 1
    assert document_now.canonical_json() == same_but_reworded(document_before, document_now, first_text).canonical_json()

    # The 409 page is now based on the current draft: saving the same text again (after reading both) goes through.
    rebased = based_on(page)
    assert rebased == {"base_version": version_now, "base_text": first_text}
    resaved = post_form(second, _url(agreement_id), {"text": second_text, **rebased})
    assert MERGED_FLASH not in _flash_after(second, resaved)
    version_final, document_final = _draft(app, agreement_id)
    assert document_final.clause(KEY).text == second_text
    assert version_final == version_before + 2
    assert document_final.canonical_json() == same_but_reworded(document_before, document_final, second_text).canonical_json()


# Stress: many processes insert markers into one clause from shared bases -------------------------

PROCESSES = 8
EDITS_PER_PROCESS = 25
MARKER_RE = re.compile(r" ⟦w\d+-\d+⟧")
VERSION_RE = re.compile(r'name="base_version" type="hidden" value="(\d+)"')
BASE_TEXT_RE = re.compile(r'name="base_text" type="hidden" value="([^"]*)"')
WORD_RE = re.compile(r"\w+")


def _insert_marker(text: str, marker: str, rng: random.Random) -> str:
    """`text` with `marker` inserted right after one of its words (not a word of an earlier marker)."""
    inside = [m.span() for m in MARKER_RE.finditer(text)]
    words = [w for w in WORD_RE.finditer(text) if not any(a <= w.start() < b for a, b in inside)]
    at = rng.choice(words).end()
    return text[:at] + marker + text[at:]


def _marker_editor(config: dict, agreement_id: int, email: str, worker: int, results) -> None:
    """One process: its own app and client, 25 edits, one POST each (no retry)."""
    app = create_app(base_config(**config))
    client = app.test_client()
    rng = random.Random(worker)
    records: list[tuple[str, int, bool]] = []
    pages: dict[int, int] = {}
    try:
        login = client.post("/login", data={"csrf_token": csrf_token(client), "email": email, "password": PASSWORD})
        assert login.status_code == 302, login.status_code
        path = _url(agreement_id)
        token = csrf_token(client, path)
        for n in range(EDITS_PER_PROCESS):
            page = client.get(path)
            pages[page.status_code] = pages.get(page.status_code, 0) + 1
            body = page.get_data(as_text=True)
            text = html.unescape(TEXTAREA_RE.search(body).group(1))
            version = VERSION_RE.search(body).group(1)
            base_text = html.unescape(BASE_TEXT_RE.search(body).group(1))
            marker = f" ⟦w{worker}-{n}⟧"
            response = client.post(path, data={"csrf_token": token, "base_version": version, "base_text": base_text,
                                               "text": _insert_marker(text, marker, rng)})
            with client.session_transaction() as session:  # the flash says whether it was merged
                flashes = session.pop("_flashes", [])
            merged = any(MERGED_FLASH in message for _category, message in flashes)
            records.append((marker, response.status_code, merged))
        results.put((worker, records, pages, None))
    except Exception as error:  # reported to the parent, which fails the test with it
        results.put((worker, records, pages, repr(error)))
    finally:
        db.dispose(app)


@pytest.mark.slow
def test_many_processes_inserting_into_one_clause_merge_exactly_or_refuse(app, db_config, two_editors, backend):
    agreement_id, _first, _second = two_editors
    version_before, document_before = _draft(app, agreement_id)
    original = document_before.clause(KEY).text
    assert "⟦" not in original

    started = time.monotonic()
    context = multiprocessing.get_context("fork")
    results = context.Queue()
    emails = ["owner@example.com", "editor@example.com"]
    workers = [context.Process(target=_marker_editor, args=(db_config, agreement_id, emails[n % 2], n, results))
               for n in range(PROCESSES)]
    for worker in workers:
        worker.start()
    reports = [results.get(timeout=300) for _ in workers]
    for worker in workers:
        worker.join(timeout=30)
    elapsed = time.monotonic() - started

    errors = [(worker, error) for worker, _records, _pages, error in reports if error]
    assert not errors, errors
    records = [record for _worker, worker_records, _pages, _error in reports for record in worker_records]
    page_statuses = [code for _w, _r, pages, _e in reports for code in pages]
    assert set(page_statuses) == {200}, [pages for _w, _r, pages, _e in reports]
    unexpected = [(marker, status) for marker, status, _merged in records if status not in (302, 409)]
    assert not unexpected, unexpected  # never a 500, a 422 or "database is locked"
    landed = [marker for marker, status, _merged in records if status == 302]
    merged = [marker for marker, status, was_merged in records if status == 302 and was_merged]
    refused = [marker for marker, status, _merged in records if status == 409]
    assert not any(was_merged for _marker, status, was_merged in records if status != 302)
    summary = (f"{backend}: {len(landed)} saved (302; {len(merged)} of them merged with a change made meanwhile), "
               f"{len(refused)} refused (409), of {len(records)} edits in {elapsed:.1f}s")
    print(summary)
    assert len(landed) + len(refused) == len(records) == PROCESSES * EDITS_PER_PROCESS, summary
    assert len(set(marker for marker, _status, _merged in records)) == PROCESSES * EDITS_PER_PROCESS

    version_after, document_after = _draft(app, agreement_id)
    final = document_after.clause(KEY).text
    missing_or_repeated = [marker for marker in landed if final.count(marker) != 1]
    assert not missing_or_repeated, (summary, missing_or_repeated, final)
    resurrected = [marker for marker in refused if marker in final]
    assert not resurrected, (summary, resurrected, final)
    assert sorted(MARKER_RE.findall(final)) == sorted(landed), summary
    assert MARKER_RE.sub("", final) == original, (summary, final)
    assert version_after == version_before + len(landed), summary  # each saved edit wrote once
    assert document_after.canonical_json() == same_but_reworded(document_before, document_after, final).canonical_json()
    assert merged and refused, f"the run should exercise both merging and refusing: {summary}"
