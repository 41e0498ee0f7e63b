"""Comments in the redline DOCX as Word shows them (authoring.ooxml.comments, export.redline_comments).

Threads are read back from word/comments.xml and word/commentsExtended.xml with lxml: each
comment its own `w:comment`, replies pointing at their first comment through the `w14:paraId`
of its last paragraph, every comment of a resolved thread done, every comment's range over
the clause's text (not its heading). LibreOffice opens the file and keeps the comments and
their resolved state (slow; skipped without soffice unless REQUIRE_LIBREOFFICE=1); the
demo's redline, downloaded over HTTP, carries its reply and a thread resolved on the page.
"""
from __future__ import annotations

import io
import re
import subprocess
import zipfile
from datetime import datetime

import docx
import pytest
from libreoffice_review import require_libreoffice
from conftest import post_form
from docx_review import (CREATED, EARLIER, EN_AUDIT, LINES_NEW, LINES_OLD, NS, RU_PAYMENT, accept_all, body_of, clause,
                         clause_paragraphs, clause_texts, info, paragraph_text, part, reject_all, style_of, w)
from lxml import etree
from sqlalchemy import select

from authoring import create_app
from authoring.demo import DEMO_PASSWORD, DEMO_TITLE, create_demo
from authoring.document import Document, Section
from authoring.export.records import ClauseComment, CommentThread
from authoring.export.redline_docx import RevisionExport, redline_docx
from authoring.extensions import db
from authoring.models import Agreement, Comment, Revision
from authoring.ooxml.comments import WordComment, add_comment_thread
from authoring.ooxml.tracked import AnnotationIds
from authoring.redline import redline_between
from authoring.revisions.services import revision_document
from conftest import base_config

W14 = "http://schemas.microsoft.com/office/word/2010/wordml"
W15 = "http://schemas.microsoft.com/office/word/2012/wordml"
MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
EXTENDED_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.commentsExtended+xml"
EXTENDED_RELATIONSHIP = "http://schemas.microsoft.com/office/2011/relationships/commentsExtended"

DUE_OLD, AUDIT = RU_PAYMENT, EN_AUDIT
DUE_NEW = DUE_OLD.replace("14", "30")
TITLE = "Service agreement"


def older() -> Document:
    return Document(terms={}, sections=(
        Section("payment", "Payment", (clause("payment.due", DUE_OLD), clause("payment.lines", LINES_OLD))),
        Section("legacy", "Legacy", (clause("legacy.audit", AUDIT),))))


def newer() -> Document:
    return Document(terms={}, sections=(
        Section("payment", "Payment", (clause("payment.due", DUE_NEW), clause("payment.lines", LINES_NEW))),))


def thread(clause_key: str | None, *comments: tuple[str, datetime, str], resolved: bool = False) -> CommentThread:
    return CommentThread(clause_key, resolved, tuple(ClauseComment(*comment) for comment in comments))


THREADS = [
    thread("payment.due", ("Ирина Волкова", EARLIER, "Why 30 days?\nWe agreed 21."),
           ("Anna Kowalska", CREATED, "The board asked for 30."), ("נועה כהן", CREATED, "מקובל.")),
    thread("payment.lines", ("Zofia Wójcik", EARLIER, "Four lines now?"), ("Anna Kowalska", CREATED, "Yes."),
           resolved=True),
    thread(None, ("Anna Kowalska", CREATED, "Ready to sign?")),
    thread("gone.clause", ("Zofia Wójcik", CREATED, "Added after revision 2.")),
    thread("legacy.audit", ("Ирина Волкова", CREATED, "Why drop the audit?")),
]


@pytest.fixture(scope="module")
def redline_file(tmp_path_factory) -> bytes:
    """`redline_with_threads()`, written once for the module."""
    app = create_app(base_config(DATABASE_URL=f"sqlite:///{tmp_path_factory.mktemp('comments')}/unused.sqlite3"))
    with app.app_context():
        return redline_with_threads()


def redline_with_threads() -> bytes:
    """The redline of `older()` to `newer()` with THREADS (in an app context: the redline's words are gettext's)."""
    return redline_docx(redline_between(older(), newer()), RevisionExport(older(), info(1, title=TITLE)),
                        RevisionExport(newer(), info(2, title=TITLE)), THREADS)


def stored_comments(data: bytes) -> list[etree._Element]:
    """The clause comments: every comment after the redline's own summary on the title."""
    return list(part(data, "word/comments.xml").iter(w("comment")))[1:]


def extended_entries(data: bytes) -> list[etree._Element]:
    return list(part(data, "word/commentsExtended.xml").iter(f"{{{W15}}}commentEx"))[1:]


def last_para_id(comment: etree._Element) -> str:
    return comment.findall(w("p"))[-1].get(f"{{{W14}}}paraId")


def clause_text_paragraphs(body, heading: str) -> list:
    """The unstyled paragraphs after the clause heading reading `heading` (as written or as deleted)."""
    return clause_paragraphs(body, heading)[1:]


def anchors(body, comment_id: str) -> tuple:
    """The `w:p` holding the comment's range start, the one holding its end, and the one holding its reference."""
    (start,) = body.xpath(f".//w:commentRangeStart[@w:id='{comment_id}']", namespaces=NS)
    (end,) = body.xpath(f".//w:commentRangeEnd[@w:id='{comment_id}']", namespaces=NS)
    (reference,) = body.xpath(f".//w:r/w:commentReference[@w:id='{comment_id}']", namespaces=NS)
    assert reference.getparent().getprevious() is end  # the reference run follows its range's end
    return start.getparent(), end.getparent(), reference.getparent().getparent()


# The threads ---------------------------------------------------------------------------------

def test_each_comment_of_a_thread_is_its_own_word_comment_replies_after_their_parent(redline_file):
    comments = stored_comments(redline_file)
    assert [(c.get(w("author")), [paragraph_text(p) for p in c.iter(w("p"))]) for c in comments] == [
        ("Ирина Волкова", ["Why 30 days?", "We agreed 21."]), ("Anna Kowalska", ["The board asked for 30."]),
        ("נועה כהן", ["מקובל."]),
        ("Zofia Wójcik", ["Four lines now?"]), ("Anna Kowalska", ["Yes."]),
        ("Anna Kowalska", ["Ready to sign?"]),
        ("Zofia Wójcik", ["On a clause no longer in the agreement (gone.clause): Added after revision 2."]),  # a clause neither revision has
        ("Ирина Волкова", ["Why drop the audit?"])]
    assert [c.get(w("date")) for c in comments][:2] == ["2025-03-02T09:15:00Z", "2025-03-04T16:30:05Z"]
    assert [c.get(w("initials")) for c in comments][:3] == ["ИВ", "AK", "נכ"]
    # the reply in Hebrew reads right to left, whatever the agreement's language
    assert comments[2].find("w:p/w:pPr/w:bidi", NS) is not None and comments[1].find("w:p/w:pPr/w:bidi", NS) is None


def test_replies_point_at_their_first_comment_and_a_resolved_thread_is_done_throughout(redline_file):
    comments, entries = stored_comments(redline_file), extended_entries(redline_file)
    # one commentEx per comment, keyed by the w14:paraId of the comment's last paragraph, as Word writes it
    assert [e.get(f"{{{W15}}}paraId") for e in entries] == [last_para_id(c) for c in comments]
    parents = [e.get(f"{{{W15}}}paraIdParent") for e in entries]
    first_due, first_lines = last_para_id(comments[0]), last_para_id(comments[3])
    assert parents == [None, first_due, first_due, None, first_lines, None, None, None]
    assert [e.get(f"{{{W15}}}done") for e in entries] == ["0", "0", "0", "1", "1", "0", "0", "0"]


def test_paragraph_ids_are_word_s_eight_hex_digits_unique_and_the_comment_ids_shared_with_revisions(redline_file):
    paragraphs = [p for c in stored_comments(redline_file) for p in c.iter(w("p"))]
    para_ids = [p.get(f"{{{W14}}}paraId") for p in paragraphs]
    assert len(para_ids) == 9 and len(set(para_ids)) == 9
    assert all(re.fullmatch("[0-9A-F]{8}", value) and 0 < int(value, 16) < 0x80000000 for value in para_ids)
    body = body_of(redline_file)
    revisions = [e.get(w("id")) for e in body.iter(w("ins"), w("del"))]
    comment_ids = [c.get(w("id")) for c in stored_comments(redline_file)]
    assert len(revisions) > 5 and len(set(revisions + comment_ids)) == len(revisions) + len(comment_ids)


# The anchors ---------------------------------------------------------------------------------

def test_a_clause_thread_ranges_over_the_clause_text_not_its_heading(redline_file):
    body = body_of(redline_file)
    comment_ids = [c.get(w("id")) for c in stored_comments(redline_file)]
    (due,) = clause_text_paragraphs(body, "Due")
    lines = clause_text_paragraphs(body, "Lines")
    assert len(lines) == 4  # "First line.", "Second line." (its mark deleted), "Third line.", "Fourth line."
    for comment_id in comment_ids[:3]:
        assert anchors(body, comment_id) == (due, due, due)
    for comment_id in comment_ids[3:5]:
        assert anchors(body, comment_id) == (lines[0], lines[-1], lines[-1])
    # As Word writes a thread: every start after the paragraph properties, in order; then each
    # comment's end followed by its reference run.
    kinds = [(etree.QName(child).localname, child.get(w("id")) or child.find("w:commentReference", NS).get(w("id")))
             for child in due if child.tag in (w("commentRangeStart"), w("commentRangeEnd"))
             or child.find("w:commentReference", NS) is not None]
    first, second, third = comment_ids[:3]
    assert kinds == [("commentRangeStart", first), ("commentRangeStart", second), ("commentRangeStart", third),
                     ("commentRangeEnd", first), ("r", first), ("commentRangeEnd", second), ("r", second),
                     ("commentRangeEnd", third), ("r", third)]
    assert all(child.tag == w("pPr") for child in due[:due.index(due.find(w("commentRangeStart")))])
    assert [child.tag for child in due[-6:]].count(w("r")) == 3 and due[-1].find("w:commentReference", NS) is not None


def test_whole_agreement_and_unknown_clause_threads_sit_on_the_title_a_removed_clause_s_on_its_deleted_text(
        redline_file):
    body = body_of(redline_file)
    comment_ids = [c.get(w("id")) for c in stored_comments(redline_file)]
    title = body.find(w("p"))
    assert paragraph_text(title) == TITLE
    assert anchors(body, comment_ids[5]) == (title, title, title)
    assert anchors(body, comment_ids[6]) == (title, title, title)
    audit = clause_text_paragraphs(body, "Audit")[0]  # (the document's closing empty paragraph follows)
    assert "".join(t.text for t in audit.iter(w("delText"))) == AUDIT
    assert anchors(body, comment_ids[7]) == (audit, audit, audit)


def test_comments_leave_accept_all_and_reject_all_exact(redline_file):
    body = body_of(redline_file)
    assert clause_texts(accept_all(body)) == [("1.1  Due", DUE_NEW), ("1.2  Lines", LINES_NEW)]
    assert clause_texts(reject_all(body)) == [("1.1  Due", DUE_OLD), ("1.2  Lines", LINES_OLD), ("2.1  Audit", AUDIT)]


# The parts and styles ------------------------------------------------------------------------

def test_comments_extended_is_a_declared_related_part_and_w14_w15_are_ignorable(redline_file):
    types = part(redline_file, "[Content_Types].xml")
    overrides = {o.get("PartName"): o.get("ContentType") for o in types}
    assert overrides["/word/commentsExtended.xml"] == EXTENDED_TYPE
    relationships = part(redline_file, "word/_rels/document.xml.rels")
    assert [r.get("Target") for r in relationships if r.get("Type") == EXTENDED_RELATIONSHIP] == ["commentsExtended.xml"]
    extended = part(redline_file, "word/commentsExtended.xml")
    assert extended.tag == f"{{{W15}}}commentsEx" and extended.get(f"{{{MC}}}Ignorable") == "w15"
    comments = part(redline_file, "word/comments.xml")
    assert "w14" in comments.get(f"{{{MC}}}Ignorable").split() and comments.nsmap["w14"] == W14


def test_the_comment_styles_used_are_defined_as_word_defines_them(redline_file):
    styles = {s.get(w("styleId")): s for s in part(redline_file, "word/styles.xml").iter(w("style"))}
    used = {e.get(w("val")): "paragraph" for e in part(redline_file, "word/comments.xml").iter(w("pStyle"))}
    for root in (part(redline_file, "word/comments.xml"), part(redline_file)):
        used.update({e.get(w("val")): "character" for e in root.iter(w("rStyle"))})
    assert used == {"CommentText": "paragraph", "CommentReference": "character"}
    for style_id, kind in used.items():
        assert styles[style_id].get(w("type")) == kind
    assert styles["CommentText"].find("w:name", NS).get(w("val")) == "annotation text"
    assert styles["CommentReference"].find("w:name", NS).get(w("val")) == "annotation reference"
    linked = styles["CommentText"].find("w:link", NS).get(w("val"))
    assert styles[linked].find("w:link", NS).get(w("val")) == "CommentText"
    # python-docx reads the comments back, styles and all
    opened = docx.Document(io.BytesIO(redline_file))
    assert [c.paragraphs[0].style.name for c in opened.comments][:1] == ["annotation text"]


def test_the_same_threads_give_the_same_bytes(tmp_path):
    app = create_app(base_config(DATABASE_URL=f"sqlite:///{tmp_path}/unused.sqlite3"))
    with app.app_context():
        files = [redline_with_threads() for _ in range(2)]
    assert files[0] == files[1]


def test_paragraph_ids_continue_above_those_the_document_holds():
    document = docx.Document()
    first, second = document.add_paragraph("First"), document.add_paragraph("Second")
    first._p.set(f"{{{W14}}}paraId", "0000002A")
    ids = AnnotationIds()
    add_comment_thread(document, ids, first._p, second._p, [WordComment("A B", CREATED, "one\ntwo")])
    add_comment_thread(document, ids, second._p, second._p, [WordComment("C", CREATED, "x"),
                                                              WordComment("D", CREATED, "y")], resolved=True)
    para_ids = [p.get(f"{{{W14}}}paraId") for p in document.comments._comments_elm.iter(w("p"))]
    assert para_ids == ["0000002B", "0000002C", "0000002D", "0000002E"]
    relationships = [r for r in document.part.rels.values() if r.reltype == EXTENDED_RELATIONSHIP]
    assert len(relationships) == 1  # one part for every thread
    entries = list(relationships[0].target_part.element)
    assert [(e.get(f"{{{W15}}}paraId"), e.get(f"{{{W15}}}paraIdParent"), e.get(f"{{{W15}}}done")) for e in entries] == [
        ("0000002C", None, "0"), ("0000002D", None, "1"), ("0000002E", "0000002D", "1")]
    second._p.set(f"{{{W14}}}paraId", "7FFFFFFF")
    with pytest.raises(ValueError):
        add_comment_thread(document, ids, first._p, first._p, [WordComment("E", CREATED, "z")])


def test_openxml_audit_finds_nothing_in_the_comment_parts_or_styles(redline_file, tmp_path):
    """openxml-audit (Word's repair prompts) has no finding but those on stylesWithEffects.xml - python-docx's
    template copy of the styles, which another change of this issue replaces; its findings name that part."""
    audit = pytest.importorskip("openxml_audit")
    source = tmp_path / "redline.docx"
    source.write_bytes(redline_file)
    findings = audit.OpenXmlValidator().validate(source).errors
    assert [str(f) for f in findings if f.part_uri != "/word/stylesWithEffects.xml"] == []


# LibreOffice ---------------------------------------------------------------------------------

OFFICE = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"
TEXT = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
LOEXT = "urn:org:documentfoundation:names:experimental:office:xmlns:loext:1.0"


def _own_text(p: etree._Element) -> str:
    """A LibreOffice paragraph's text without the comments anchored in it."""
    copy = etree.fromstring(etree.tostring(p))
    for annotation in list(copy.iter(f"{{{OFFICE}}}annotation")):
        tail, parent = annotation.tail, annotation.getparent()
        previous = annotation.getprevious()
        if previous is not None:
            previous.tail = (previous.tail or "") + (tail or "")
        else:
            parent.text = (parent.text or "") + (tail or "")
        parent.remove(annotation)
    return "".join(copy.itertext())


@pytest.mark.slow
def test_libreoffice_opens_the_redline_and_keeps_every_comment_its_anchor_and_resolved_state(redline_file, tmp_path):
    soffice = require_libreoffice(uno=False)
    source = tmp_path / "redline.docx"
    source.write_bytes(redline_file)
    result = subprocess.run([soffice, f"-env:UserInstallation=file://{tmp_path / 'profile'}", "--headless",
                             "--convert-to", "odt", "--outdir", str(tmp_path), str(source)],
                            capture_output=True, text=True, timeout=180)
    converted = tmp_path / "redline.odt"
    assert result.returncode == 0 and converted.exists(), result.stdout + result.stderr
    with zipfile.ZipFile(converted) as package:
        content = etree.fromstring(package.read("content.xml"))
    seen = {}  # comment text -> (LibreOffice's resolved flag, the text of the paragraph it is anchored in)
    for annotation in content.iter(f"{{{OFFICE}}}annotation"):
        paragraph = next(a for a in annotation.iterancestors() if a.tag in (f"{{{TEXT}}}p", f"{{{TEXT}}}h"))
        words = "\n".join("".join(p.itertext()) for p in annotation.iter(f"{{{TEXT}}}p"))
        seen[words] = (annotation.get(f"{{{LOEXT}}}resolved"), _own_text(paragraph))
    texts = [c.text if t.clause_key != "gone.clause" else f"On a clause no longer in the agreement (gone.clause): {c.text}" for t in THREADS for c in t.comments]
    summary = next(words for words in seen if words.startswith("Redline: revision 1 → revision 2"))
    assert seen.pop(summary)[1] == TITLE  # the redline's own summary, on the title
    assert sorted(seen) == sorted(texts) and len(texts) == 8
    assert {text: state for text, (state, _p) in seen.items()} == {
        text: "true" if text in ("Four lines now?", "Yes.") else "false" for text in texts}
    assert seen["Why 30 days?\nWe agreed 21."][1] == seen["מקובל."][1] == DUE_NEW  # on the clause's text
    assert seen["Ready to sign?"][1] == seen["On a clause no longer in the agreement (gone.clause): Added after revision 2."][1] == TITLE


# Through the demo ----------------------------------------------------------------------------

def test_the_demo_redline_threads_its_reply_and_marks_a_thread_resolved_on_the_page_done(app, login):
    with app.app_context():
        assert create_demo()
        agreement = db.session.scalar(select(Agreement).where(Agreement.title == DEMO_TITLE))
        first = db.session.scalar(select(Comment).where(Comment.agreement_id == agreement.id,
                                                       Comment.thread_id.is_(None)))
        agreement_id, thread_id, clause_key = agreement.id, first.id, first.clause_key
        newest = db.session.scalar(select(Revision.number).where(Revision.agreement_id == agreement_id)
                                   .order_by(Revision.number.desc()).limit(1))
    legal = login(app.test_client(), "legal@example.com", DEMO_PASSWORD)
    assert post_form(legal, f"/agreements/{agreement_id}/comments/{thread_id}/resolve").status_code == 302
    assert post_form(legal, f"/agreements/{agreement_id}/comments", {"body": "Looks right overall."}).status_code == 302
    response = legal.get(f"/agreements/{agreement_id}/redline/1-{newest}.docx")
    assert response.status_code == 200
    data = response.get_data()
    comments, entries = stored_comments(data), extended_entries(data)
    texts = [paragraph_text(c) for c in comments]
    assert texts == ["Which edition of ISO/IEC 20000-1 is meant? Please name 2018.",
                     "Yes, the 2018 edition; we will name it.", "Looks right overall."]
    assert [(e.get(f"{{{W15}}}paraIdParent"), e.get(f"{{{W15}}}done")) for e in entries] == [
        (None, "1"), (last_para_id(comments[0]), "1"), (None, "0")]
    with app.app_context():
        revision = db.session.scalar(select(Revision).where(Revision.agreement_id == agreement_id,
                                                            Revision.number == newest))
        clause_text = revision_document(revision).clause(clause_key).text
    body = body_of(data)
    for comment in comments[:2]:
        start, end, _reference = anchors(body, comment.get(w("id")))
        assert style_of(start) is None and style_of(end) is None  # the text, not the heading
        first_line, last_line = (paragraph_text(accept_all_paragraph(p)) for p in (start, end))
        assert first_line and last_line and clause_text.startswith(first_line) and clause_text.endswith(last_line)
    start, _end, _reference = anchors(body, comments[2].get(w("id")))
    assert style_of(start) == "Title"


def accept_all_paragraph(p: etree._Element) -> etree._Element:
    """The paragraph `p` with its own tracked changes accepted (its text as the newer revision reads)."""
    holder = etree.Element(w("body"))
    holder.append(etree.fromstring(etree.tostring(p)))
    holder.append(etree.Element(w("p")))  # a paragraph to join to, should p's mark be deleted
    return accept_all(holder)[0]
