"""Word comes back: the other side's edited DOCX becomes proposals and comments (the CLI and the pages).

A copy of the negotiated demo agreement is exported, edited as Word edits - runs split with
`w:rsid*` attributes and `w:proofErr` marks, a tracked replacement by the client's lawyer,
an edit made without tracking, a line added with Enter at the end of a clause - and
imported; the proposals, their reasons, the untracked flag and the audit event must be
exactly what was changed. Bad files change nothing and say why.
"""
from __future__ import annotations

import copy
import hashlib
import io
import random
import re
import zipfile
from dataclasses import dataclass
from datetime import datetime, timezone

import pytest
from lxml import etree
from sqlalchemy import func, select

from authoring.demo import DEMO_TITLE, DEMO_TITLE_EXECUTED, create_demo
from authoring.export.documents import redline_docx_between, revision_docx
from authoring.export.layout import bookmark_name
from authoring.extensions import db
from authoring.models import Agreement, AuditEvent, Comment, Proposal, WordUpload
from authoring.revisions.services import draft_of
from docx_review import edited, tiny_docx, with_part

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
LAWYER = "Noa Levi (Globex legal)"
WHEN = "2026-12-01T10:00:00Z"


@pytest.fixture
def negotiated(app):
    """The demo's agreement under negotiation: (id, its newest export, {clause key: (title, text)})."""
    with app.app_context():
        assert create_demo()
        agreement = db.session.scalar(select(Agreement).where(Agreement.title == DEMO_TITLE))
        _draft, document = draft_of(agreement)
        clauses = {clause.key: (clause.title, clause.text) for clause in document.clauses()}
        return agreement.id, revision_docx(agreement), clauses


@dataclass(frozen=True)
class DemoOnce:
    """One app with the demo, shared by a module's examples that write nothing (or only what they check)."""

    app: object
    ids: dict[str, int]  # "negotiated", "executed": the agreements' ids
    exported: bytes  # the negotiated agreement's newest revision as Word exports it
    executed_file: bytes  # the executed agreement's
    redline: bytes  # between the negotiated agreement's revisions 1 and 2
    clauses: dict[str, str]  # the negotiated agreement's one-line clauses of five words or more, by key


@pytest.fixture(scope="module")
def demo_once(tmp_path_factory):
    """One app, one demo, one set of exports for every example (a fresh database per example would take minutes)."""
    from authoring import create_app, schema
    from conftest import base_config

    app = create_app(base_config(DATABASE_URL=f"sqlite:///{tmp_path_factory.mktemp('word')}/demo.sqlite3"))
    with app.app_context():
        schema.upgrade()
        assert create_demo()
        agreement = db.session.scalar(select(Agreement).where(Agreement.title == DEMO_TITLE))
        executed = db.session.scalar(select(Agreement).where(Agreement.title == DEMO_TITLE_EXECUTED))
        _draft, document = draft_of(agreement)
        found = DemoOnce(app, {"negotiated": agreement.id, "executed": executed.id}, revision_docx(agreement),
                         revision_docx(executed), redline_docx_between(agreement, 1, 2),
                         {c.key: c.text for c in document.clauses() if "\n" not in c.text and len(c.text.split()) > 4})
        db.session.commit()  # no transaction left open: each example reads in a context of its own
    yield found
    with app.app_context():
        db.dispose(app)


def clause_paragraphs(root, key: str) -> list:
    """The paragraphs of clause `key`'s text: from its bookmark's start to its end."""
    name = bookmark_name(f"t:{key}")
    (start,) = [mark for mark in root.iter(f"{W}bookmarkStart") if mark.get(f"{W}name") == name]
    end_id = start.get(f"{W}id")
    paragraphs = [start.getparent()]
    while not any(end.get(f"{W}id") == end_id for end in paragraphs[-1].iter(f"{W}bookmarkEnd")):
        paragraphs.append(paragraphs[-1].getnext())
    return paragraphs


def as_word_writes(p) -> None:
    """Split the paragraph's runs word by word, with revision ids and a spelling mark, as Word saves them."""
    for run in list(p.iter(f"{W}r")):
        text = run.find(f"{W}t")
        if text is None or not text.text:
            continue
        pieces = re.findall(r"\S+\s*|\s+", text.text)
        for index, piece in enumerate(pieces):
            new = copy.deepcopy(run)
            new.set(f"{W}rsidR", f"00{index:06X}")
            new.find(f"{W}t").text = piece
            if index == 1:
                run.addprevious(etree.Element(f"{W}proofErr", {f"{W}type": "spellStart"}))
            run.addprevious(new)
        run.getparent().remove(run)


def replace_tracked(p, old: str, new: str, who: str = LAWYER) -> None:
    """Word's tracked replacement of the word `old` (opening a run of its own) by `new`."""
    run = next(r for r in p.iter(f"{W}r") if re.match(rf"{re.escape(old)}(?!\w)", r.findtext(f"{W}t") or ""))
    spacing = run.findtext(f"{W}t")[len(old):]
    deletion = etree.Element(f"{W}del", {f"{W}id": "9001", f"{W}author": who, f"{W}date": WHEN})
    run.addprevious(deletion)
    deletion.append(run)
    run.find(f"{W}t").tag = f"{W}delText"
    run.find(f"{W}delText").text = old
    insertion = etree.Element(f"{W}ins", {f"{W}id": "9002", f"{W}author": who, f"{W}date": WHEN})
    deletion.addnext(insertion)
    inserted = etree.SubElement(etree.SubElement(insertion, f"{W}r", {f"{W}rsidR": "00ABCDEF"}), f"{W}t")
    inserted.text = new
    if spacing:
        plain = etree.Element(f"{W}r")
        etree.SubElement(plain, f"{W}t", {"{http://www.w3.org/XML/1998/namespace}space": "preserve"}).text = spacing
        insertion.addnext(plain)


def replace_untracked(p, old: str, new: str) -> None:
    """Change a word with tracking off: the text simply differs."""
    node = next(t for t in p.iter(f"{W}t") if old in (t.text or ""))
    node.text = node.text.replace(old, new, 1)


def add_line_after(p, text: str, who: str = LAWYER) -> None:
    """Enter at the end of the paragraph, then type `text`, with tracking on: a new paragraph after the bookmark."""
    new = etree.Element(f"{W}p")
    marks = etree.SubElement(etree.SubElement(new, f"{W}pPr"), f"{W}rPr")
    etree.SubElement(marks, f"{W}ins", {f"{W}id": "9003", f"{W}author": who, f"{W}date": WHEN})
    insertion = etree.SubElement(new, f"{W}ins", {f"{W}id": "9004", f"{W}author": who, f"{W}date": WHEN})
    etree.SubElement(etree.SubElement(insertion, f"{W}r"), f"{W}t").text = text
    p.addnext(new)


def with_thread(docx_bytes: bytes, key: str, comments: list[tuple[str, str]]) -> bytes:
    """`docx_bytes` with a Word comment thread (the first comment, then replies) over clause `key`'s text."""
    import docx as python_docx

    from authoring.ooxml.comments import WordComment, add_comment_thread
    from authoring.ooxml.tracked import AnnotationIds

    document = python_docx.Document(io.BytesIO(docx_bytes))
    paragraphs = clause_paragraphs(document.element.body, key)
    when = datetime(2026, 12, 1, 10, 0, tzinfo=timezone.utc)
    add_comment_thread(document, AnnotationIds(), paragraphs[0], paragraphs[-1],
                       [WordComment(author, when, text) for author, text in comments])
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def words_of(text: str) -> list[str]:
    return re.findall(r"[A-Za-z]{4,}", text)


def import_file(runner, tmp_path, agreement_id: int, data: bytes, *extra: str, email: str = "client@example.com"):
    path = tmp_path / "Globex-comments.docx"
    path.write_bytes(data)
    return runner.invoke(args=["import", "word", str(path), "--agreement", str(agreement_id), "--as", email, *extra])


def test_tracked_and_untracked_edits_become_proposals_with_their_reasons(app, negotiated, runner, tmp_path):
    agreement_id, exported, clauses = negotiated
    (tracked_key, (tracked_title, tracked_text)), (untracked_key, (_t, untracked_text)), (added_key, (_a, added_text)) = [
        (key, value) for key, value in clauses.items() if len(words_of(value[1])) > 6 and "\n" not in value[1]][:3]
    old_word, quiet_word = words_of(tracked_text)[3], words_of(untracked_text)[2]
    extra_line = "The Client may ask for a copy of every report."

    def word_edits(root):
        (first,) = clause_paragraphs(root, tracked_key)[:1]
        as_word_writes(first)
        replace_tracked(first, old_word, "NEWWORD")
        replace_untracked(clause_paragraphs(root, untracked_key)[0], quiet_word, quiet_word.upper())
        add_line_after(clause_paragraphs(root, added_key)[-1], extra_line)

    data = with_thread(edited(exported, word_edits), tracked_key,
                       [(LAWYER, "Why this word?"), ("Maria Santos", "Ask the board. Zapytam zarząd.")])
    dry = import_file(runner, tmp_path, agreement_id, data, "--dry-run")
    assert dry.exit_code == 0, dry.output
    assert dry.output.strip().splitlines()[-1] == "3 proposals, 2 comments, 1 untracked"
    with app.app_context():
        assert db.session.scalar(select(Proposal).where(Proposal.agreement_id == agreement_id,
                                                        Proposal.reason.like("From %"))) is None  # a dry run

    result = import_file(runner, tmp_path, agreement_id, data)
    assert result.exit_code == 0, result.output
    assert result.output.strip().splitlines()[-1] == "3 proposals, 2 comments, 1 untracked"
    assert f"{tracked_title}: reworded, tracked by {LAWYER}; applies" in result.output
    with app.app_context():
        made = {p.target: p for p in db.session.scalars(select(Proposal).where(
            Proposal.agreement_id == agreement_id, Proposal.reason.like("From %")))}
        assert set(made) == {tracked_key, untracked_key, added_key}
        assert all(p.kind == "clause_text" and p.side == "client" and p.status == "open" for p in made.values())
        assert made[tracked_key].value == tracked_text.replace(old_word, "NEWWORD", 1)
        assert made[untracked_key].value == untracked_text.replace(quiet_word, quiet_word.upper(), 1)
        assert made[added_key].value == added_text + "\n" + extra_line
        assert made[tracked_key].reason == f"From Globex-comments.docx, change by {LAWYER}"
        assert made[untracked_key].reason == "From Globex-comments.docx, changed without tracked changes"
        event = db.session.scalar(select(AuditEvent).where(AuditEvent.agreement_id == agreement_id,
                                                           AuditEvent.action == "word.imported"))
        assert event.details["sha256"] == hashlib.sha256(data).hexdigest()
        assert sorted(event.details["proposals"]) == sorted(p.number for p in made.values())
        assert event.details["untracked"] == [untracked_key] and event.details["comments"] == 2
        first, reply = db.session.scalars(select(Comment).where(Comment.agreement_id == agreement_id,
                                                                Comment.body.like("%wrote in Word%"))
                                          .order_by(Comment.id)).all()
        assert (first.clause_key, first.thread_id, first.body) == (
            tracked_key, None, f"{LAWYER} wrote in Word: Why this word?")
        assert (reply.clause_key, reply.thread_id, reply.body) == (
            tracked_key, first.id, "Maria Santos wrote in Word: Ask the board. Zapytam zarząd.")


def test_a_file_without_changes_proposes_nothing(negotiated, runner, tmp_path):
    agreement_id, exported, _clauses = negotiated
    result = import_file(runner, tmp_path, agreement_id, exported)
    assert result.exit_code == 0, result.output
    assert result.output.strip().splitlines()[-1] == "0 proposals, 0 comments, 0 untracked"


def _as_docm(docx: bytes) -> bytes:
    """`docx` saved as Word saves a macro-enabled document: the main part's type says so, a VBA project inside."""
    typed = with_part(docx, "[Content_Types].xml", lambda data: data.replace(
        b"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
        b"application/vnd.ms-word.document.macroEnabled.main+xml"))
    return with_part(typed, "word/vbaProject.bin", lambda _none: OLE_SIGNATURE + b"\0" * 1024)


def _bomb() -> bytes:
    """A small zip whose one entry unpacks to 64 MiB of zeros."""
    target = io.BytesIO()
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as out:
        out.writestr("word/document.xml", b"\0" * (64 * 1024 * 1024))
    return target.getvalue()


def _declaring(entities: str, old: bytes, new: bytes):
    """A change to a part's XML: a document type declaring `entities`, and `old` (a pattern) made `new` to use them."""
    def change(xml: bytes) -> bytes:
        declaration, rest = xml.split(b"?>", 1)
        root = re.match(rb"\s*<([\w:]+)", rest).group(1)
        return (declaration + b"?><!DOCTYPE " + root + b" [" + entities.encode() + b"]>"
                + re.sub(old, new, rest, count=1))
    return change


# A "billion laughs": ten entities, each ten of the one before.
LAUGHS = '<!ENTITY lol0 "lol">' + "".join(f'<!ENTITY lol{n} "{f"&lol{n - 1};" * 10}">' for n in range(1, 10))


def _damaged(docx: bytes) -> bytes:
    """`docx` with bytes amid its compressed text overwritten, the zip's directory intact."""
    info = zipfile.ZipFile(io.BytesIO(docx)).getinfo("word/document.xml")
    start = info.header_offset + 30 + len(info.filename) + len(info.extra) + info.compress_size // 2
    return docx[:start] + b"\xff" * 64 + docx[start + 64:]


OLE_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # an encrypted Word file is an OLE container
# The bad-file tests set MAX_CONTENT_LENGTH to 0.25 MiB: "too large" needs no 16 MiB upload (and stays below the
# 500 KB from which Werkzeug's test client spools a request's body to a file it never closes).
LIMIT = 256 * 1024
UNREADABLE = "The file is not a readable Word file (.docx): it is damaged, incomplete or not a Word file at all."
DAMAGED = "The file is damaged: its text cannot be read."

# Bad files, each (the agreement it is uploaded into, its name, how it is made from the demo's files, the
# upload page's status, what the refusal says); each is refused with its reason and changes nothing.
BAD_FILES = [
    pytest.param("negotiated", "notes.docx", lambda demo: b"Dear colleagues, see the changes below.", 422,
                 UNREADABLE, id="text"),
    pytest.param("negotiated", "agreement.pdf", lambda demo: b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog >>\nendobj\n"
                 b"trailer\n<< /Root 1 0 R >>\n%%EOF\n", 422, UNREADABLE, id="pdf"),
    pytest.param("negotiated", "agreement.docx", lambda demo: _damaged(demo.exported), 422, UNREADABLE,
                 id="damaged zip"),
    pytest.param("negotiated", "agreement.docx", lambda demo: demo.exported[:len(demo.exported) // 2], 422,
                 UNREADABLE, id="truncated zip"),
    pytest.param("negotiated", "agreement.docm", lambda demo: _as_docm(demo.exported), 422, "holds macros",
                 id="docm with macros"),
    pytest.param("negotiated", "protected.docx", lambda demo: OLE_SIGNATURE + b"\0" * 600, 422,
                 "encrypted or in the old .doc format", id="encrypted"),
    pytest.param("negotiated", "agreement.docx", lambda demo: with_part(
        demo.exported, "word/media/image1.png", lambda _data: random.Random(1).randbytes(LIMIT + 4096)), 413,
        "0.25 MiB", id="too large"),
    pytest.param("negotiated", "agreement.docx", lambda demo: _bomb(), 422,
                 "unpacks to more than a Word document can hold", id="zip bomb"),
    pytest.param("negotiated", "agreement.docx", lambda demo: with_part(demo.exported, "word/document.xml", _declaring(
        LAUGHS, rb"will not exceed", rb"will not &lol9; exceed")), 422, DAMAGED, id="billion laughs"),
    # An entity that, expanded, would halve the cap unseen; left unexpanded, it would drop the figure.
    pytest.param("negotiated", "agreement.docx", lambda demo: with_part(demo.exported, "word/document.xml", _declaring(
        '<!ENTITY cap "7.5">', rb"exceed 15%", rb"exceed &cap;%")), 422, DAMAGED, id="internal entity"),
    pytest.param("negotiated", "agreement.docx", lambda demo: with_part(demo.exported, "docProps/custom.xml", _declaring(
        '<!ENTITY id SYSTEM "file:///etc/hostname">', rb'(name="AccordAgreement"><vt:\w+>)\d+', rb"\1&id;")), 422,
        DAMAGED, id="external entity"),
    pytest.param("negotiated", "agreement.docx", lambda demo: demo.executed_file, 422, "a copy of another agreement",
                 id="another agreement"),
    pytest.param("executed", "agreement.docx", lambda demo: demo.executed_file, 422,
                 "The agreement is not being negotiated", id="executed agreement"),
    pytest.param("negotiated", "redline.docx", lambda demo: demo.redline, 422, "This is a redline", id="a redline"),
    pytest.param("negotiated", "minutes.docx",
                 lambda demo: tiny_docx("<w:p><w:r><w:t>Minutes of the kick-off meeting.</w:t></w:r></w:p>"), 422,
                 "No clause of this agreement could be found", id="no clause"),
]


def written(app) -> dict[str, int]:
    """How many rows there are of each kind an import writes (uploads, proposals, comments, audit events)."""
    with app.app_context():
        return {model.__name__: db.session.scalar(select(func.count()).select_from(model))
                for model in (WordUpload, Proposal, Comment, AuditEvent)}


def test_bad_files_are_refused_at_the_command_line_and_change_nothing(demo_once, tmp_path, monkeypatch):
    """Every bad file of the table through `flask import word`: a non-zero exit, the reason, nothing written."""
    monkeypatch.setitem(demo_once.app.config, "MAX_CONTENT_LENGTH", LIMIT)
    runner = demo_once.app.test_cli_runner()
    before = written(demo_once.app)
    for case in BAD_FILES:
        agreement, _name, make, _status, message = case.values
        result = import_file(runner, tmp_path, demo_once.ids[agreement], make(demo_once))
        assert result.exit_code != 0 and message in result.output, (case.id, result.output)
    assert written(demo_once.app) == before


@pytest.mark.parametrize(("agreement", "name", "make", "status", "message"), BAD_FILES)
def test_a_bad_file_uploaded_is_refused_on_the_page_and_changes_nothing(demo_once, monkeypatch, agreement, name, make,
                                                                       status, message):
    """Each bad file of the table through the upload page: its reason on the page, a 4xx, nothing written.

    One demo serves every case (a fresh one each would take minutes): a refused file writes
    nothing, which is what each case checks.
    """
    from authoring.demo import DEMO_PASSWORD
    from conftest import csrf_token, post_form

    monkeypatch.setitem(demo_once.app.config, "MAX_CONTENT_LENGTH", LIMIT)
    client = demo_once.app.test_client()
    assert post_form(client, "/login", {"email": "client@example.com", "password": DEMO_PASSWORD}).status_code == 302
    page = f"/agreements/{demo_once.ids[agreement]}/word"
    token = csrf_token(client, page)
    data = make(demo_once)
    before = written(demo_once.app)
    response = client.post(page, data={"csrf_token": token, "file": (io.BytesIO(data), name)},
                           content_type="multipart/form-data")
    shown = response.get_data(as_text=True)
    assert response.status_code == status and message in shown, shown
    if status == 422:  # the upload page again, saying why and that nothing changed
        assert 'data-testid="word-error"' in shown and "Nothing was changed." in shown
    assert "lollollol" not in shown and written(demo_once.app) == before


# The pages: upload, preview, untick, propose --------------------------------------------------

def test_upload_preview_and_propose_only_the_ticked_changes(app, negotiated, login, tmp_path):
    from authoring.demo import DEMO_PASSWORD
    from conftest import csrf_token

    agreement_id, exported, clauses = negotiated
    keys = [key for key, (_title, text) in clauses.items() if len(words_of(text)) > 6 and "\n" not in text][:2]
    ticked, unticked = keys
    word = {key: words_of(clauses[key][1])[2] for key in keys}

    def word_edits(root):
        as_word_writes(clause_paragraphs(root, ticked)[0])  # a word in a run of its own, as Word keeps it
        replace_tracked(clause_paragraphs(root, ticked)[0], word[ticked], "AMENDED")
        replace_untracked(clause_paragraphs(root, unticked)[0], word[unticked], "QUIETLY")

    data = edited(exported, word_edits)
    client = login(app.test_client(), "client@example.com", DEMO_PASSWORD)
    page = f"/agreements/{agreement_id}/word"
    assert "Propose from a Word file" in client.get(f"/agreements/{agreement_id}/negotiation").get_data(as_text=True)
    uploaded = client.post(page, data={"csrf_token": csrf_token(client, page),
                                       "file": (io.BytesIO(data), "Globex-comments.docx")},
                           content_type="multipart/form-data")
    assert uploaded.status_code == 302
    preview_path = uploaded.headers["Location"]
    shown = client.get(preview_path).get_data(as_text=True)
    assert "Changes in Globex-comments.docx" in shown and "Changed without tracked changes." in shown
    assert f"Tracked changes by <bdi>{LAWYER}</bdi>, the last on 2026-12-01 10:00 UTC." in shown
    assert '<ins class="ins">AMENDED</ins>' in shown and '<ins class="ins">QUIETLY</ins>' in shown
    # Someone else may not see it, nor use it.
    other = login(app.test_client(), "provider@example.com", DEMO_PASSWORD)
    assert other.get(preview_path).status_code == 404

    fingerprint = re.search(r'name="fingerprint" value="([0-9a-f]{64})"', shown).group(1)
    done = client.post(preview_path, data={"csrf_token": csrf_token(client, preview_path), "fingerprint": fingerprint,
                                           "change": [ticked]})
    assert done.status_code == 302
    overview = client.get(done.headers["Location"]).get_data(as_text=True)
    assert "1 proposal made from Globex-comments.docx." in overview
    with app.app_context():
        made = list(db.session.scalars(select(Proposal).where(Proposal.agreement_id == agreement_id,
                                                               Proposal.reason.like("From %"))))
        assert [p.target for p in made] == [ticked]
    assert client.get(preview_path).status_code == 404  # imported: the file is let go


# Property: random edits, tracked or not, are all found and none invented ---------------------------

REPLACEMENTS = ["forty-five", "zażółć", "הלקוח", "Заказчик", "días", "Kliyente", "ninety"]


def apply_plan(p, tracked: bool, index: int, new: str) -> None:
    """Replace one word of the paragraph as Word would: in a tracked deletion and insertion, or silently."""
    as_word_writes(p)
    runs = [r for r in p.iter(f"{W}r") if r.findtext(f"{W}t")]
    run = runs[index % len(runs)]
    old = run.findtext(f"{W}t")
    word, spacing = old.rstrip(), old[len(old.rstrip()):]
    if not tracked:
        run.find(f"{W}t").text = new + spacing
        return
    deletion = etree.Element(f"{W}del", {f"{W}id": "9101", f"{W}author": LAWYER, f"{W}date": WHEN})
    run.addprevious(deletion)
    deletion.append(run)
    run.find(f"{W}t").text = word
    run.find(f"{W}t").tag = f"{W}delText"
    insertion = etree.Element(f"{W}ins", {f"{W}id": "9102", f"{W}author": LAWYER, f"{W}date": WHEN})
    etree.SubElement(etree.SubElement(insertion, f"{W}r"), f"{W}t").text = new
    deletion.addnext(insertion)
    if spacing:  # the space after the word was not part of the change
        plain = etree.Element(f"{W}r")
        etree.SubElement(plain, f"{W}t", {"{http://www.w3.org/XML/1998/namespace}space": "preserve"}).text = spacing
        insertion.addnext(plain)


def shown_text(p) -> str:
    """The paragraph's text with its tracked changes accepted."""
    return "".join(t.text or "" for t in p.iter(f"{W}t"))


@pytest.mark.parametrize("seed", range(40))
def test_random_edits_tracked_or_not_are_all_found_and_none_invented(demo_once, seed):
    """Seeded random edits (a reproducible property check): up to four clauses, each with one word
    replaced, with tracking or without; the preview finds exactly those clauses, with exactly that text."""
    from authoring.roundtrip.services import preview_word_file

    app, agreement_id, exported, clauses = (demo_once.app, demo_once.ids["negotiated"], demo_once.exported,
                                            demo_once.clauses)
    chance = random.Random(seed)
    keys = chance.sample(sorted(clauses), chance.randint(0, 4))
    plan = {key: (chance.random() < 0.5, chance.randint(0, 3), chance.choice(REPLACEMENTS)) for key in keys}
    expected: dict[str, str] = {}

    def edit(root):
        for key, (tracked, index, new) in plan.items():
            (p,) = clause_paragraphs(root, key)
            apply_plan(p, tracked, index, new)
            expected[key] = shown_text(p)

    changed = edited(exported, edit)
    with app.app_context():
        preview = preview_word_file(db.session.get(Agreement, agreement_id), changed, "random.docx")
    found = {change.clause_key: change for change in preview.changes}
    really_changed = {key for key in plan if expected[key] != clauses[key]}
    assert set(found) == really_changed  # every change found, none invented
    for key in really_changed:
        assert found[key].text == expected[key]
        assert found[key].untracked == (not plan[key][0])


def test_clauses_deleted_whole_with_or_without_tracking_become_removal_proposals(app, negotiated, runner, tmp_path):
    agreement_id, exported, clauses = negotiated
    tracked_key, untracked_key = [key for key, (_title, text) in clauses.items() if "\n" not in text][3:5]

    def delete_tracked(p) -> None:
        for run in list(p.iter(f"{W}r")):
            deletion = etree.Element(f"{W}del", {f"{W}id": "9201", f"{W}author": LAWYER, f"{W}date": WHEN})
            run.addprevious(deletion)
            deletion.append(run)
            for text in run.iter(f"{W}t"):
                text.tag = f"{W}delText"

    def word_edits(root):
        delete_tracked(clause_paragraphs(root, tracked_key)[0])
        (text,) = clause_paragraphs(root, untracked_key)
        heading = text.getprevious()  # the clause's heading, deleted with it and its bookmarks
        for paragraph in (heading, text):
            paragraph.getparent().remove(paragraph)

    result = import_file(runner, tmp_path, agreement_id, edited(exported, word_edits))
    assert result.exit_code == 0, result.output
    assert result.output.strip().splitlines()[-1] == "2 proposals, 0 comments, 1 untracked"
    assert f"{clauses[tracked_key][0]}: removed, tracked by {LAWYER}; applies" in result.output
    assert f"{clauses[untracked_key][0]}: removed, untracked; applies" in result.output
    with app.app_context():
        made = {p.target: p.kind for p in db.session.scalars(select(Proposal).where(
            Proposal.agreement_id == agreement_id, Proposal.reason.like("From %")))}
        assert made == {tracked_key: "clause_remove", untracked_key: "clause_remove"}


def test_word_s_own_ways_are_read_right_and_a_file_imports_once(app, negotiated, runner, tmp_path):
    """Text inserted by one reviewer and deleted by another is tracked, not untracked; a bookmark that
    Word ends at the start of the next paragraph takes in nothing more; a damaged comments part is a
    clear refusal; the same file imported twice is refused the second time."""
    agreement_id, exported, clauses = negotiated
    key, (title, text) = next((k, v) for k, v in clauses.items() if len(words_of(v[1])) > 6 and "\n" not in v[1])
    word = words_of(text)[3]

    def edits(root):
        (p,) = clause_paragraphs(root, key)
        as_word_writes(p)
        replace_tracked(p, word, "AMENDED")
        # A second reviewer deletes what the first one inserted: w:ins around w:del.
        insertion = next(p.iter(f"{W}ins"))
        run = insertion.find(f"{W}r")
        deletion = etree.SubElement(insertion, f"{W}del", {f"{W}id": "9301", f"{W}author": "Second Reviewer",
                                                           f"{W}date": WHEN})
        deletion.append(run)
        run.find(f"{W}t").tag = f"{W}delText"
        # The clause's bookmark now ends at the start of the following paragraph, as Word may save it.
        end = next(p.iter(f"{W}bookmarkEnd"))
        following = p.getnext()
        end.getparent().remove(end)
        properties = following.find(f"{W}pPr")
        following.insert(0 if properties is None else following.index(properties) + 1, end)

    result = import_file(runner, tmp_path, agreement_id, edited(exported, edits))
    assert result.exit_code == 0, result.output
    assert result.output.strip().splitlines()[-1] == "1 proposals, 0 comments, 0 untracked"
    assert f"{title}: reworded, tracked by {LAWYER}, Second Reviewer; applies" in result.output
    with app.app_context():
        proposal = db.session.scalar(select(Proposal).where(Proposal.agreement_id == agreement_id,
                                                            Proposal.reason.like("From %")))
        # The word deleted (the space after it was not part of the change), nothing inserted in its place,
        # and nothing of the next paragraph taken in.
        assert proposal.value == re.sub(rf"\b{re.escape(word)}\b", "", text, count=1)

    again = import_file(runner, tmp_path, agreement_id, edited(exported, edits))
    assert again.exit_code != 0 and "This file was imported before" in again.output

    damaged = with_part(with_thread(exported, key, [(LAWYER, "Why?")]), "word/comments.xml", lambda _xml: b"<w:comments")
    refused = import_file(runner, tmp_path, agreement_id, damaged)
    assert refused.exit_code != 0 and "The file is damaged" in refused.output
