"""Redlines as LibreOffice (headless) reviews them: a reader's office suite, not our own XML reading.

Every redline kind is reviewed in LibreOffice (tests/libreoffice_review.py: one LibreOffice for the whole
batch): its Accept All and Reject All must read, paragraph by paragraph and cell by cell,
exactly as our own reading of the XML (tests/docx_review.py), and it must list the tracked
changes we count. `soffice` comes from Debian's libreoffice-writer-nogui and the UNO
bridge from python3-uno (.ci/run installs both); without them the tests are skipped, or
fail under REQUIRE_LIBREOFFICE=1.
"""
from __future__ import annotations

import io
import re
import zipfile

import pytest

from authoring import create_app, schema
from authoring.demo import create_demo
from authoring.export.documents import redline_docx_between, revision_docx
from authoring.extensions import db
from authoring.models import Agreement, Amendment
from authoring.revisions.services import revisions_of
from sqlalchemy import select
from authoring.export.docx import agreement_docx
from authoring.render.tables import Table
from conftest import base_config
from docx_review import (accept_all, body_of, part, w, body_texts, reject_all, tiny_docx, tracked_change_count,
                         without_comment_anchors)
from libreoffice_review import require_libreoffice, review_in_libreoffice
from test_export_redline_docx import NEW_TABLES, OLD_TABLES, export, info, newer

pytestmark = pytest.mark.slow


# Accept All and Reject All in LibreOffice ------------------------------------------------

ANN = 'w:author="Ann Lee" w:date="2025-03-02T09:15:00Z"'
BOB = 'w:author="Bob Ray" w:date="2025-03-03T10:00:00Z"'
_ids = iter(range(1, 10_000))


def run(text: str, deleted: bool = False) -> str:
    tag = "w:delText" if deleted else "w:t"
    return f'<w:r><{tag} xml:space="preserve">{text}</{tag}></w:r>'


def tracked(kind: str, text: str, who: str = ANN) -> str:
    """Runs inside `w:ins`, `w:del`, `w:moveFrom` or `w:moveTo` (deleted and moved-from text as w:delText)."""
    return f'<w:{kind} w:id="{next(_ids)}" {who}>{run(text, kind in ("del", "moveFrom"))}</w:{kind}>'


def paragraph(*content: str, mark: str | None = None, who: str = ANN) -> str:
    """A `w:p`; `mark` revises its paragraph mark (`w:pPr/w:rPr/w:ins|del|moveFrom|moveTo`)."""
    properties = f'<w:pPr><w:rPr><w:{mark} w:id="{next(_ids)}" {who}/></w:rPr></w:pPr>' if mark else ""
    return f"<w:p>{properties}{''.join(content)}</w:p>"


def row(*cells: str, mark: str | None = None, who: str = ANN) -> str:
    """A `w:tr` of one-paragraph cells (given as their runs); `mark` is the row's `w:trPr/w:ins|del`."""
    properties = f'<w:trPr><w:{mark} w:id="{next(_ids)}" {who}/></w:trPr>' if mark else ""
    return f"<w:tr>{properties}{''.join(f'<w:tc><w:p>{cell}</w:p></w:tc>' for cell in cells)}</w:tr>"


def table(*rows: str) -> str:
    grid = '<w:tblGrid><w:gridCol w:w="4000"/><w:gridCol w:w="4000"/></w:tblGrid>'
    return f'<w:tbl><w:tblPr><w:tblW w:w="0" w:type="auto"/></w:tblPr>{grid}{"".join(rows)}</w:tbl>'


def rows_docx() -> bytes:
    """A rate card with a row inserted and one deleted (an empty cell in it), then a table inserted whole.

    The rows' cells carry their text as insertions or deletions too, as Word writes them.
    """
    return tiny_docx(
        paragraph(run("Rates"))
        + table(row(run("Service"), run("Price")),
                row(tracked("ins", "Hosting"), tracked("ins", "120 EUR"), mark="ins"),
                row(run("Support"), run("80 EUR")),
                row(tracked("del", "Audit", BOB), "", mark="del", who=BOB))
        + paragraph(run("Milestones"))
        + table(row(tracked("ins", "Kick-off"), tracked("ins", "2025-04-01"), mark="ins"),
                row(tracked("ins", "Launch"), tracked("ins", "2025-06-30"), mark="ins"))
        + paragraph(run("End.")))


def moves_docx() -> bytes:
    """A clause (heading and text, paragraph marks included) moved down, one word inserted into it by Bob."""
    def moved(kind: str, *content: str) -> str:
        return (f'<w:{kind}RangeStart w:id="{next(_ids)}" w:name="move1" {ANN}/>{"".join(content)}'
                f'<w:{kind}RangeEnd w:id="{next(_ids) - 1}"/>')
    text = "Each party keeps the other's information "
    return tiny_docx(
        paragraph(run("Services"))
        + paragraph(moved("moveFrom", tracked("moveFrom", "Confidentiality")), mark="moveFrom")
        + paragraph(moved("moveFrom", tracked("moveFrom", text + "confidential.")), mark="moveFrom")
        + paragraph(run("Fees")) + paragraph(run("Fees are due monthly."))
        + paragraph(run("Term")) + paragraph(run("The term is one year."))
        + paragraph(moved("moveTo", tracked("moveTo", "Confidentiality")), mark="moveTo")
        + paragraph(moved("moveTo", tracked("moveTo", text), tracked("ins", "strictly ", BOB),
                          tracked("moveTo", "confidential.")), mark="moveTo")
        + paragraph(run("General")))


# What LibreOffice 7.4 gets wrong, and a writer must avoid (test_libreoffice_limits below).
ROW_MARKS_ONLY = tiny_docx(paragraph(run("Before"))
                           + table(row(run("h1"), run("h2")), row(run("new"), run("row"), mark="ins"),
                                   row(run("old"), run("row"), mark="del"))
                           + paragraph(run("After")))
INSERTIONS_ACROSS_A_MARK = tiny_docx(paragraph(run("One"), tracked("ins", " more"))
                                     + paragraph(tracked("ins", "Two "), run("lines")))
EMPTY_ROW = tiny_docx(paragraph(run("Before")) + table(row(run("h1"), run("h2")), row("", "", mark="ins"))
                      + paragraph(run("After")))


@pytest.fixture(scope="module")
def reviews(tmp_path_factory):
    """name -> (the file's w:body, LibreOffice's review of it), every file reviewed in one LibreOffice run."""
    require_libreoffice()
    folder = tmp_path_factory.mktemp("libreoffice")
    app = create_app(base_config(DATABASE_URL=f"sqlite:///{folder}/demo.sqlite3"))
    with app.app_context():
        schema.upgrade()
        files = {**demo_redlines(),
            # changed, added, removed and moved clauses, renumbering, line breaks, table rows and cells
            "redline": without_comment_anchors(export(tables=RATE_CARDS)),
            "redline_he": without_comment_anchors(export(language="he", tables=RATE_CARDS)),
            "whole_tables": without_comment_anchors(export()),  # a table removed whole and one added
            "clean": agreement_docx(newer(), info(2), [Table("rates", "payment", "Rate card", ("Service", "Price"),
                                                             (("Hosting", "120"), ("Support", "")))]),
            "rows": rows_docx(), "moves": moves_docx(), "row_marks_only": ROW_MARKS_ONLY,
            "insertions_across_a_mark": INSERTIONS_ACROSS_A_MARK, "empty_row": EMPTY_ROW,
        }
    for name, data in files.items():
        (folder / f"{name}.docx").write_bytes(data)
    reviewed = review_in_libreoffice([folder / f"{name}.docx" for name in files])
    FILES.update(files)
    return {name: (body_of(data), review) for (name, data), review in zip(files.items(), reviewed)}


RATE_CARDS = (OLD_TABLES[:1], NEW_TABLES[:1])  # rows changed, added and removed; no table added or removed whole


def changes_in(data: bytes) -> int:
    """The tracked changes LibreOffice should list: the body's, the header's and the footer's."""
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        stories = [name for name in package.namelist() if re.fullmatch(r"word/(document|header\d*|footer\d*)\.xml", name)]
    return sum(tracked_change_count(part(data, name).find(w("body")) if name == "word/document.xml"
                                    else part(data, name)) for name in stories)


FILES: dict[str, bytes] = {}  # name -> the file LibreOffice reviewed
CLEAN: dict[str, list[str]] = {}  # "<agreement>-r<number>" -> the clean DOCX's body, as our XML reading reads it


def demo_redlines() -> dict[str, bytes]:
    """Every redline the demo makes between consecutive revisions, and across each amendment (its base to the
    amended text); the clean DOCX of every revision they compare is read into CLEAN."""
    assert create_demo()
    redlines = {}
    for agreement in db.session.scalars(select(Agreement).order_by(Agreement.id)):
        numbers = sorted(revision.number for revision in revisions_of(agreement))
        pairs = set(zip(numbers, numbers[1:]))
        pairs |= {(amendment.base_revision.number, amendment.revision.number)
                  for amendment in db.session.scalars(select(Amendment).where(Amendment.agreement_id == agreement.id))
                  if amendment.revision is not None}
        for older, newer_number in sorted(pairs):
            redlines[f"demo-{agreement.id}-r{older}-r{newer_number}"] = without_comment_anchors(
                redline_docx_between(agreement, older, newer_number))
            for number in (older, newer_number):
                CLEAN[f"{agreement.id}-r{number}"] = body_texts(body_of(revision_docx(agreement, number)))
    return redlines


def test_libreoffice_accept_all_gives_the_clean_newer_document_and_reject_all_the_older_one(reviews):
    demo = [name for name in reviews if name.startswith("demo-")]
    languages = set()
    for name in demo:
        _demo, agreement, older, newer_number = name.split("-")
        body, review = reviews[name]
        assert review.accepted == CLEAN[f"{agreement}-{newer_number}"], name
        assert review.rejected == CLEAN[f"{agreement}-{older}"], name
        assert review.changes == changes_in(FILES[name]) > 0, name
        languages.add(agreement)
    assert len(demo) >= 6 and len(languages) >= 3  # English, Hebrew, across amendments


@pytest.mark.parametrize("name", ["redline", "redline_he", "clean", "rows", "moves"])
def test_libreoffice_accepts_and_rejects_all_as_our_reading_of_the_xml_does(reviews, name):
    body, review = reviews[name]
    assert review.accepted == body_texts(accept_all(body))
    assert review.rejected == body_texts(reject_all(body))
    assert review.changes == changes_in(FILES[name])
    assert (review.left_after_accept, review.left_after_reject) == (0, 0)


def test_libreoffice_leaves_an_empty_paragraph_where_a_whole_table_s_caption_went(reviews):
    """A limit of LibreOffice 7.4, pinned so a later version that lifts it is noticed: a caption
    paragraph whose mark is tracked stands right before its table, and LibreOffice cannot join a
    paragraph across a table, so it keeps the caption's empty paragraph where Word removes it.
    Everything else reads as the clean documents do."""
    body, review = reviews["whole_tables"]
    ours_accepted, ours_rejected = body_texts(accept_all(body)), body_texts(reject_all(body))
    removed = ours_accepted.index("General")  # the removed "Milestones" table stood just before
    assert review.accepted == ours_accepted[:removed] + [""] + ours_accepted[removed:]
    added = len(ours_rejected) - 1  # the added table stood just before the document's closing paragraph
    assert review.rejected == ours_rejected[:added] + [""] + ours_rejected[added:]


def test_the_redline_holds_changes_and_the_clean_document_none(reviews):
    redline, clean = reviews["redline"][1], reviews["clean"][1]
    assert redline.changes > 20 and set(redline.kinds) == {"Insert", "Delete"}
    assert "First line. Second line." in redline.accepted and "Second line." in redline.rejected
    assert redline.accepted != redline.rejected
    assert clean.changes == 0 and clean.accepted == clean.rejected
    # The clean reading keeps empty paragraphs (page breaks) and reads the contents field's result.
    assert clean.accepted[clean.accepted.index("Contents") - 1] == ""
    at = clean.accepted.index("Rate card")
    assert clean.accepted[at:at + 7] == ["Rate card", "Service", "Price", "Hosting", "120", "Support", ""]


def test_libreoffice_drops_inserted_rows_on_reject_and_deleted_ones_on_accept(reviews):
    _body, review = reviews["rows"]
    assert review.accepted == ["Rates", "Service", "Price", "Hosting", "120 EUR", "Support", "80 EUR",
                               "Milestones", "Kick-off", "2025-04-01", "Launch", "2025-06-30", "End."]
    assert review.rejected == ["Rates", "Service", "Price", "Support", "80 EUR", "Audit", "", "Milestones", "End."]
    assert review.changes == 7  # one per cell holding tracked text; the row marks add none


def test_libreoffice_restores_a_moved_clause_on_reject(reviews):
    _body, review = reviews["moves"]
    moved = ["Confidentiality", "Each party keeps the other's information confidential."]
    assert review.rejected == ["Services", *moved, "Fees", "Fees are due monthly.", "Term", "The term is one year.",
                               "General"]
    assert review.accepted == ["Services", "Fees", "Fees are due monthly.", "Term", "The term is one year.",
                               "Confidentiality", "Each party keeps the other's information strictly confidential.",
                               "General"]
    # Moves read as deletion and insertion; the move-from side is one change, the move-to side two around Bob's word.
    assert review.kinds == ("Delete", "Insert", "Insert", "Insert")


def test_libreoffice_limits(reviews):
    """LibreOffice 7.4 behaviour a writer must avoid: a failure here means LibreOffice changed, not our code.

    1. A row mark over cells whose text is not tracked is no change at all (Word drops the row).
    2. An insertion ending a paragraph and one opening the next, by one author within a minute,
       become one change across the unrevised paragraph mark: Reject All joins the paragraphs.
    3. A tracked row of empty cells gets a zero-width joiner in its first cell, left there when kept.
    """
    _body, marks_only = reviews["row_marks_only"]
    assert marks_only.changes == 0
    assert marks_only.accepted == marks_only.rejected == ["Before", "h1", "h2", "new", "row", "old", "row", "After"]
    body, across = reviews["insertions_across_a_mark"]
    assert (across.changes, tracked_change_count(body)) == (1, 2)
    assert across.accepted == ["One more", "Two lines"] and across.rejected == ["Onelines"]
    assert body_texts(reject_all(body)) == ["One", "lines"]
    _body, empty = reviews["empty_row"]
    assert empty.changes == 1 and empty.accepted == ["Before", "h1", "h2", "\u200d", "", "After"]
    assert empty.rejected == ["Before", "h1", "h2", "After"]
