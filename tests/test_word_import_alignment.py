"""Word comes back without its marks, or with more than we sent: text pasted into a new document is
matched by heading and wording (and says so), a heading typed between clauses becomes a new-clause
proposal, and Word's comment threads can be left out or arrive resolved.
"""
from __future__ import annotations

import io
import re
import zipfile
from datetime import datetime, timezone

from lxml import etree
from sqlalchemy import select

from authoring.demo import DEMO_PASSWORD
from authoring.extensions import db
from authoring.models import Comment, Proposal
from authoring.revisions.services import draft_of
from conftest import csrf_token
from test_word_import import (  # noqa: F401 - `negotiated` is a fixture
    LAWYER, WHEN, W, as_word_writes, clause_paragraphs, edited, import_file, negotiated, replace_tracked,
    replace_untracked, words_of,
)


def pasted_into_a_new_document(docx: bytes) -> bytes:
    """`docx` as if its text were copied into a new Word document: no bookmarks, no custom properties."""
    source, target = zipfile.ZipFile(io.BytesIO(docx)), io.BytesIO()
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as out:
        for entry in source.infolist():
            data = source.read(entry.filename)
            if entry.filename == "docProps/custom.xml":
                continue
            if entry.filename == "_rels/.rels":
                data = re.sub(rb'<Relationship [^>]*custom-properties[^>]*/>', b"", data)
            if entry.filename == "[Content_Types].xml":
                data = re.sub(rb'<Override PartName="/docProps/custom.xml"[^>]*/>', b"", data)
            if entry.filename == "word/document.xml":
                root = etree.fromstring(data)
                for mark in list(root.iter(f"{W}bookmarkStart", f"{W}bookmarkEnd")):
                    mark.getparent().remove(mark)
                data = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
            out.writestr(entry, data)
    return target.getvalue()


def heading_of(root, key: str):
    """Clause `key`'s heading paragraph (the one before its text)."""
    return clause_paragraphs(root, key)[0].getprevious()


def typed_clause(title: str, text: str, tracked: bool) -> list:
    """A Heading 2 and a paragraph of text, typed (with tracking on, or off) as Word saves them."""
    paragraphs = []
    for style, words in (("Heading2", title), (None, text)):
        p = etree.Element(f"{W}p")
        properties = etree.SubElement(p, f"{W}pPr")
        if style:
            etree.SubElement(properties, f"{W}pStyle", {f"{W}val": style})
        holder = p
        if tracked:
            mark = etree.SubElement(properties, f"{W}rPr")
            etree.SubElement(mark, f"{W}ins", {f"{W}id": "9100", f"{W}author": LAWYER, f"{W}date": WHEN})
            holder = etree.SubElement(p, f"{W}ins", {f"{W}id": "9101", f"{W}author": LAWYER, f"{W}date": WHEN})
        for index, piece in enumerate(re.findall(r"\S+\s*", words)):  # Word's runs, one per rsid
            run = etree.SubElement(holder, f"{W}r", {f"{W}rsidR": f"00C0{index:04X}"})
            etree.SubElement(run, f"{W}t", {"{http://www.w3.org/XML/1998/namespace}space": "preserve"}).text = piece
        paragraphs.append(p)
    return paragraphs


def plain_clauses(clauses: dict) -> list[str]:
    return [key for key, (_title, text) in clauses.items() if len(words_of(text)) > 6 and "\n" not in text]


def test_a_file_pasted_into_a_new_document_is_matched_by_heading_and_wording(app, negotiated, runner, tmp_path):
    agreement_id, exported, clauses = negotiated
    tracked_key, untracked_key, retitled_key = plain_clauses(clauses)[3:6]
    old_word, quiet_word = words_of(clauses[tracked_key][1])[3], words_of(clauses[untracked_key][1])[2]

    def word_edits(root):
        as_word_writes(clause_paragraphs(root, tracked_key)[0])
        replace_tracked(clause_paragraphs(root, tracked_key)[0], old_word, "NEWWORD")
        replace_untracked(clause_paragraphs(root, untracked_key)[0], quiet_word, "QUIETLY")
        retitled = heading_of(root, retitled_key)
        for text in retitled.iter(f"{W}t"):
            text.text = ""
        next(retitled.iter(f"{W}t")).text = "Something else entirely"  # its heading no longer says what it is

    data = pasted_into_a_new_document(edited(exported, word_edits))
    result = import_file(runner, tmp_path, agreement_id, data)
    assert result.exit_code == 0, result.output
    lines = result.output.strip().splitlines()
    assert lines[0].startswith("The file does not name its revision; compared with revision ")
    tracked_number_title = next(line for line in lines if clauses[tracked_key][0] in line)
    assert "(matched by its heading): reworded, tracked by " + LAWYER in tracked_number_title
    assert "(matched by its heading): reworded, untracked" in next(
        line for line in lines if clauses[untracked_key][0] in line)
    assert lines[-1] == "2 proposals, 0 comments, 1 untracked"
    assert "not found in the file" not in result.output and "removed" not in result.output  # each clause was found
    with app.app_context():
        made = {p.target: p for p in db.session.scalars(select(Proposal).where(Proposal.agreement_id == agreement_id,
                                                                                Proposal.reason.like("From %")))}
        assert set(made) == {tracked_key, untracked_key}  # the retitled clause was found by its wording, unchanged
        assert "NEWWORD" in made[tracked_key].value and "QUIETLY" in made[untracked_key].value


def test_a_clause_typed_between_clauses_becomes_a_new_clause_proposal(app, negotiated, runner, tmp_path):
    agreement_id, exported, clauses = negotiated
    after_key, quiet_after_key = plain_clauses(clauses)[1], plain_clauses(clauses)[-2]
    with app.app_context():
        from authoring.models import Agreement
        _draft, document = draft_of(db.session.get(Agreement, agreement_id))
        section_of = {clause.key: section.key for section in document.sections for clause in section.clauses}
    title, text = "Security audits", "The Client may audit the Provider’s security once a year, on 30 days’ notice."
    quiet_title, quiet_text = "Audyt bezpieczeństwa", "Klient może raz w roku przeprowadzić audyt."

    def word_edits(root):
        last = clause_paragraphs(root, after_key)[-1]
        for paragraph in reversed(typed_clause(title, text, tracked=True)):
            last.addnext(paragraph)
        last = clause_paragraphs(root, quiet_after_key)[-1]
        for paragraph in reversed(typed_clause(quiet_title, quiet_text, tracked=False)):
            last.addnext(paragraph)

    data = edited(exported, word_edits)
    dry = import_file(runner, tmp_path, agreement_id, data, "--dry-run")
    assert dry.exit_code == 0, dry.output
    assert f"new clause “{title}” in " in dry.output and f"tracked by {LAWYER}" in dry.output
    assert dry.output.strip().splitlines()[-1] == "2 proposals, 0 comments, 1 untracked"
    result = import_file(runner, tmp_path, agreement_id, data)
    assert result.output.strip().splitlines()[-1] == "2 proposals, 0 comments, 1 untracked", result.output
    with app.app_context():
        made = db.session.scalars(select(Proposal).where(Proposal.agreement_id == agreement_id,
                                                         Proposal.kind == "clause_add").order_by(Proposal.id)).all()
        assert [(p.value["section"], p.value["title"], p.value["text"]) for p in made] == [
            (section_of[after_key], title, text), (section_of[quiet_after_key], quiet_title, quiet_text)]
        assert made[0].reason == f"From Globex-comments.docx, change by {LAWYER}"
        assert made[1].reason == "From Globex-comments.docx, changed without tracked changes"


def with_threads(docx: bytes, threads: list[tuple[str, str, bool]]) -> bytes:
    """`docx` with one Word comment thread per (clause key, text, resolved)."""
    import docx as python_docx

    from authoring.ooxml.comments import WordComment, add_comment_thread
    from authoring.ooxml.tracked import AnnotationIds

    document = python_docx.Document(io.BytesIO(docx))
    ids = AnnotationIds()
    for key, text, resolved in threads:
        paragraphs = clause_paragraphs(document.element.body, key)
        add_comment_thread(document, ids, paragraphs[0], paragraphs[-1],
                           [WordComment(LAWYER, datetime(2026, 12, 1, tzinfo=timezone.utc), text)], resolved=resolved)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def test_the_preview_leaves_out_unticked_threads_keeps_resolved_ones_resolved_and_notices_a_stale_page(
        app, negotiated, login):
    agreement_id, exported, clauses = negotiated
    first, second, changed = plain_clauses(clauses)[:3]
    old_word = words_of(clauses[changed][1])[3]

    def word_edits(root):
        as_word_writes(clause_paragraphs(root, changed)[0])
        replace_tracked(clause_paragraphs(root, changed)[0], old_word, "AMENDED")

    data = with_threads(edited(exported, word_edits),
                        [(first, "Settled on the call.", True), (second, "Not this one.", False)])
    client = login(app.test_client(), "client@example.com", DEMO_PASSWORD)
    page = f"/agreements/{agreement_id}/word"
    uploaded = client.post(page, data={"csrf_token": csrf_token(client, page),
                                       "file": (io.BytesIO(data), "Globex-comments.docx")},
                           content_type="multipart/form-data")
    preview_path = uploaded.headers["Location"]
    shown = client.get(preview_path).get_data(as_text=True)
    assert shown.count('data-testid="word-thread"') == 2 and "resolved in Word" in shown
    fingerprint = re.search(r'name="fingerprint" value="([0-9a-f]{64})"', shown).group(1)
    choices = re.findall(r'name="change" value="([^"]+)"', shown)
    assert choices == [changed, "thread:0", "thread:1"]

    stale = client.post(preview_path, data={"csrf_token": csrf_token(client, preview_path), "fingerprint": "0" * 64,
                                            "change": choices})
    assert stale.status_code == 200 and "The draft changed while you were reading the preview" in stale.get_data(
        as_text=True)
    with app.app_context():
        assert db.session.scalar(select(Proposal).where(Proposal.reason.like("From %"))) is None

    done = client.post(preview_path, data={"csrf_token": csrf_token(client, preview_path), "fingerprint": fingerprint,
                                           "change": [changed, "thread:0"]})
    assert done.status_code == 302
    with app.app_context():
        comments = db.session.scalars(select(Comment).where(Comment.agreement_id == agreement_id,
                                                            Comment.body.like("%wrote in Word%"))).all()
        assert [(c.clause_key, c.body, c.resolved_at is not None) for c in comments] == [
            (first, f"{LAWYER} wrote in Word: Settled on the call.", True)]
        assert [p.target for p in db.session.scalars(select(Proposal).where(Proposal.reason.like("From %")))] == [
            changed]


def test_a_file_previewed_and_never_proposed_is_let_go_after_a_week(app, negotiated, login):
    from datetime import timedelta

    from authoring.models import WordUpload

    agreement_id, exported, _clauses = negotiated
    client = login(app.test_client(), "client@example.com", DEMO_PASSWORD)
    page = f"/agreements/{agreement_id}/word"

    def upload(name: str) -> str:
        response = client.post(page, data={"csrf_token": csrf_token(client, page),
                                           "file": (io.BytesIO(exported), name)}, content_type="multipart/form-data")
        assert response.status_code == 302
        return response.headers["Location"]

    old, recent = upload("old.docx"), upload("recent.docx")
    with app.app_context():
        kept = db.session.scalar(select(WordUpload).where(WordUpload.file_name == "old.docx"))
        kept.uploaded_at -= timedelta(days=8)
        db.session.commit()
    upload("new.docx")
    assert client.get(old).status_code == 404 and client.get(recent).status_code == 200
    with app.app_context():
        assert sorted(db.session.scalars(select(WordUpload.file_name))) == ["new.docx", "recent.docx"]
