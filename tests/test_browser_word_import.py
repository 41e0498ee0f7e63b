"""The Word round trip in a real headless Chromium: the client's owner uploads the file their lawyer
edited, reads the preview (the edit made without tracking in red), unticks one change, proposes
the rest and finds the proposals on the Negotiation tab. The preview has no WCAG 2.1 AA violation."""
from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from authoring.demo import DEMO_PASSWORD, DEMO_TITLE, create_demo
from authoring.export.documents import revision_docx
from authoring.extensions import db
from authoring.models import Agreement
from authoring.revisions.services import draft_of
from docx_review import edited
from test_accessibility import _axe_source, _violations
from test_word_import import LAWYER, as_word_writes, clause_paragraphs, replace_tracked, replace_untracked, words_of
from test_word_import_alignment import typed_clause, with_threads

pytestmark = pytest.mark.browser
SHOTS = Path(__file__).resolve().parent.parent / "test-artifacts" / "word"


def test_upload_preview_untick_and_propose(app, backend, live_server, new_page, tmp_path):
    if backend != "sqlite":
        pytest.skip("the pages are the same on either database; checked once")
    with app.app_context():
        assert create_demo()
        agreement = db.session.scalar(select(Agreement).where(Agreement.title == DEMO_TITLE))
        _draft, document = draft_of(agreement)
        picked = [c for c in document.clauses() if len(words_of(c.text)) > 6 and "\n" not in c.text][:3]
        exported, agreement_id = revision_docx(agreement), agreement.id
    kept, dropped, quiet = picked
    word = {c.key: words_of(c.text)[2] for c in picked}

    def lawyer_edits(root):
        for clause in (kept, dropped):
            as_word_writes(clause_paragraphs(root, clause.key)[0])
            replace_tracked(clause_paragraphs(root, clause.key)[0], word[clause.key], "AMENDED")
        replace_untracked(clause_paragraphs(root, quiet.key)[0], word[quiet.key], "QUIETLY")
        last = clause_paragraphs(root, kept.key)[-1]
        for paragraph in reversed(typed_clause("Security audits", "The Client may audit once a year.", tracked=True)):
            last.addnext(paragraph)

    upload = tmp_path / "Globex-legal.docx"
    upload.write_bytes(with_threads(edited(exported, lawyer_edits), [(quiet.key, "Why so quiet?", True)]))

    page = new_page()
    page.goto(f"{live_server}/login")
    page.get_by_label("E-mail address").fill("client@example.com")
    page.get_by_label("Password", exact=True).fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.goto(f"{live_server}/agreements/{agreement_id}/negotiation")
    page.get_by_role("link", name="Propose from a Word file the other side edited").click()
    page.get_by_label("Word file (.docx) the other side edited").set_input_files(str(upload))
    page.get_by_role("button", name="Show the changes").click()

    expect(page.get_by_role("heading", name="Changes in Globex-legal.docx")).to_be_visible()
    expect(page.get_by_role("alert")).to_contain_text("1 clause was changed without tracked changes")
    changes = page.get_by_test_id("word-change")
    expect(changes).to_have_count(4)
    expect(page.get_by_role("group", name="New clause “Security audits”")).to_contain_text(
        "The Client may audit once a year.")
    expect(page.get_by_test_id("word-thread")).to_contain_text("resolved in Word")
    expect(page.get_by_role("group", name=quiet.title, exact=False).filter(
        has_text="Changed without tracked changes.")).to_have_count(1)
    expect(page.get_by_role("group", name=f" {kept.title}")).to_contain_text(
        f"Tracked changes by {LAWYER}, the last on 2026-12-01 10:00 UTC.")
    assert _violations(page, _axe_source()) == []
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "word-import-preview.png"), full_page=True)  # to look at

    number = next(n for _s, _section, clauses in document.numbered() for n, c in clauses if c.key == dropped.key)
    page.get_by_label(f"Propose this change to {number}").uncheck()
    page.get_by_role("button", name="Propose the ticked changes").click()
    page.wait_for_url(f"{live_server}/agreements/{agreement_id}/negotiation")
    expect(page.get_by_role("status").first).to_contain_text("3 proposals made from Globex-legal.docx. 1 comment added.")
    open_proposals = page.locator("section").filter(has=page.get_by_role("heading", name="Open proposals"))
    expect(open_proposals).to_contain_text("From Globex-legal.docx, change by Noa Levi (Globex legal)")
    expect(open_proposals).to_contain_text("From Globex-legal.docx, changed without tracked changes")
    expect(open_proposals.locator("ins", has_text="AMENDED")).to_have_count(1)  # the unticked one was not proposed
    expect(open_proposals).to_contain_text("Security audits")
