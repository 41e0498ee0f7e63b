"""The redline as a Word document with real tracked changes (authoring.export.redline_docx).

Pure tests over two `Document`s: no database. The files are read back as XML, and Word's
Accept All / Reject All are applied by tests/docx_review.py: accepting must give exactly
the newer revision's clauses, rejecting exactly the older one's. The redline's own words
come from the app's gettext catalogues, so the module runs inside an app context.
"""
from __future__ import annotations

import io
import re
import unicodedata
from datetime import datetime, timedelta, timezone

import docx
import pytest
from hypothesis import given, settings, strategies as st
from lxml import etree

from authoring import create_app
from authoring.document import ClauseInstance, Document, Section
from authoring.export.docx import agreement_docx
from authoring.export.records import ClauseComment, CommentThread
from authoring.export.redline_docx import RevisionExport, redline_docx
from authoring.negotiation.attribution import Change
from authoring.ooxml.tracked import DELETE, EQUAL, INSERT, ooxml_date, split_lines
from authoring.redline import redline_between
from conftest import base_config
from authoring.render.tables import Table
from docx_review import (CREATED, EN_AUDIT, LINES_NEW, LINES_OLD, NS, RU_PAYMENT, accept_all, body_of, body_texts,
                         clause, clause_paragraphs, clause_texts, headings, info, paragraph_text, part, reject_all,
                         style_of, texts, w)
from docx_review import EARLIER as ZOFIA_AT

HE_RESPONSE = "הספק יגיב לכל תקלה בתוך 4 שעות עבודה."
PL_TERM = "Umowa obowiązuje przez 12 miesięcy — zażółć gęślą jaźń."
EN_SCOPE = "The Provider shall maintain the Client's website."
EN_NOTICE = "Notices are given in writing."
SPACES_OLD = "  Indented text ends with a space. "
SPACES_NEW = "Indented text ends with two spaces.  "
LATE = "За просрочку платежа начисляются пени 0,5% в день.\nKara umowna: 0,5% dziennie."

IRINA_AT = datetime(2025, 3, 3, 10, 0, 59, tzinfo=timezone(timedelta(hours=3)))  # 07:00:59 UTC
DATE_FORMAT = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$")


@pytest.fixture(scope="module", autouse=True)
def app_context(tmp_path_factory):
    """One app context for the module (hypothesis runs its examples inside a single test call)."""
    app = create_app(base_config(DATABASE_URL=f"sqlite:///{tmp_path_factory.mktemp('redline')}/unused.sqlite3"))
    with app.app_context():
        yield


def document(sections: dict[str, list[ClauseInstance]], terms: dict | None = None) -> Document:
    return Document(terms=terms or {"fees": {"currency": "PLN"}, "costs": {"rates": [{"code": "T01", "price": 80}]}},
                    sections=tuple(Section(key, key.capitalize(), tuple(cs)) for key, cs in sections.items()))


def older() -> Document:
    return document({
        "services": [clause("services.scope", EN_SCOPE), clause("services.response", HE_RESPONSE),
                     clause("services.spaces", SPACES_OLD)],
        "payment": [clause("payment.due", RU_PAYMENT), clause("payment.term", PL_TERM),
                     clause("payment.lines", LINES_OLD)],
        "legacy": [clause("legacy.audit", EN_AUDIT)],
        "general": [clause("general.notices", EN_NOTICE)],
    })


def newer(moved: bool = True) -> Document:
    services = [clause("services.scope", EN_SCOPE.replace("maintain", "host and maintain"), "Scope of work"),
                clause("services.response", HE_RESPONSE.replace("4", "2")), clause("services.spaces", SPACES_NEW)]
    if moved:  # the Hebrew clause goes first
        services[:2] = services[1::-1]
    return document({
        "services": services,
        "payment": [clause("payment.due", RU_PAYMENT.replace("14", "30")), clause("payment.late", LATE),
                    clause("payment.term", PL_TERM), clause("payment.lines", LINES_NEW)],
        "general": [clause("general.notices", EN_NOTICE)],
    }, terms={"fees": {"currency": "EUR"}, "costs": {"rates": [{"code": "T01", "price": 85}]}})


def note(clause_key: str | None, author: str, at: datetime, text: str) -> CommentThread:
    """A thread of one comment (threads and replies: tests/test_redline_comments.py)."""
    return CommentThread(clause_key, False, (ClauseComment(author, at, text),))


def change(target: str, author: str, at: datetime | None, kind: str = "clause_text", number: int = 1) -> Change:
    return Change(kind, target, number, author, "provider", "Anna Kowalska", at)


ATTRIBUTIONS = {
    "services.scope": [change("services.scope", "Zofia Wójcik", ZOFIA_AT), change("services.scope", "Other", CREATED)],
    "payment.due": [change("payment.due", "Ирина Волкова", IRINA_AT, number=2)],
    "services.response": [change("services.response", "נועה כהן", ZOFIA_AT, number=3)],
    "payment.late": [change("payment.late", "María José Pérez", None, kind="clause_add", number=4)],
}


def redline_of(old: Document, new: Document, attributions: dict | None = None):
    redline = redline_between(old, new)
    for item in redline.clauses:
        item.attributions = list((ATTRIBUTIONS if attributions is None else attributions).get(item.key, []))
    for term in redline.terms:
        term.attributions = [change(term.path, "Zofia Wójcik", ZOFIA_AT, kind="term", number=5)]
    return redline


RATES = ("Task code", "Description", "Price")
OLD_TABLES = (Table("rate_card", "payment", "Rate card", RATES, (("T01", "Audyt bezpieczeństwa", "€80.00"),
                                                                 ("T02", "Wsparcie\nna miejscu", "€95.00"),
                                                                 ("T03", "Szkolenie", "€60.00")), paths=("costs.rates",)),
              Table("milestones", "legacy", "Milestones", ("Milestone", "Due"), (("Go-live", "2025-05-01"),),
                    paths=("timeline.milestones",)))
NEW_TABLES = (Table("rate_card", "payment", "Rate card", RATES, (("T01", "Audyt bezpieczeństwa", "€85.00"),
                                                                 ("T02", "Wsparcie\nna miejscu", "€95.00"),
                                                                 ("T04", "Migracja danych", "€120.00")), paths=("costs.rates",)),
              Table("credits", "general", "שיעורי זיכוי", ("רמת שירות", "זיכוי"), (("P1", "5%"),),
                    paths=("sanctions.credits",)))


def sides(old: Document, new: Document, language: str = "en", tables=(OLD_TABLES, NEW_TABLES)):
    return (RevisionExport(old, info(1, language), tables[0]), RevisionExport(new, info(2, language), tables[1]))


def export(old: Document | None = None, new: Document | None = None, comments=(), language: str = "en",
           attributions: dict | None = None, tables=(OLD_TABLES, NEW_TABLES)) -> bytes:
    old, new = old or older(), new or newer()
    return redline_docx(redline_of(old, new, attributions), *sides(old, new, language, tables), comments)


def clean(side: RevisionExport) -> list[str]:
    """The clean DOCX of one revision as a reader sees its body, paragraph by paragraph and cell by cell."""
    return body_texts(body_of(agreement_docx(side.document, side.info, list(side.tables))))


def assert_exact(docx_file: bytes, old: Document, new: Document, language: str = "en",
                 tables=(OLD_TABLES, NEW_TABLES)) -> None:
    """Accept All gives the newer clean document and Reject All the older one, exactly."""
    before, after = sides(old, new, language, tables)
    body = body_of(docx_file)
    assert body_texts(accept_all(body)) == clean(after)
    assert body_texts(reject_all(body)) == clean(before)
    for reviewed, side in ((accept_all(body), after), (reject_all(body), before)):  # and each paragraph's style
        expected_body = body_of(agreement_docx(side.document, side.info, list(side.tables)))
        assert [style_of(p) for p in reviewed.iter(w("p"))] == [style_of(p) for p in expected_body.iter(w("p"))]
    # The file as opened, before any review, holds whole fields: each begin has its end.
    kinds = [c.get(w("fldCharType")) for c in body.iter(w("fldChar"))]
    assert kinds == ["begin", "separate", "end"] * (len(kinds) // 3) and kinds


def expected(document: Document) -> dict[str, tuple[str, str]]:
    """key -> (heading, text) as the clause reads in `document`."""
    return {c.key: (f"{number}  {c.title}", c.text) for _n, _s, cs in document.numbered() for number, c in cs}


def tables_of(body) -> dict[str, list[list[str]]]:
    """Each table by the caption before it: its rows of cell texts, deleted text included."""
    found = {}
    for element in body:
        if element.tag == w("tbl"):
            caption = paragraph_text(element.getprevious()) + "".join(texts([element.getprevious()], "delText"))
            found[caption] = [[paragraph_text(cell) for cell in row.iter(w("tc"))] for row in element.iter(w("tr"))]
    return found


def row_marks(table_element) -> list[str | None]:
    return [("ins" if row.find("w:trPr/w:ins", NS) is not None else
             "del" if row.find("w:trPr/w:del", NS) is not None else None) for row in table_element.iter(w("tr"))]


# Accept All and Reject All: the whole document, exactly -----------------------------------------

def test_accept_all_gives_the_newer_clean_document_and_reject_all_the_older_one():
    # Moved, changed, added and removed clauses; a removed section; renamed titles; line breaks;
    # a table row changed, one added, one removed; a table added and one removed; Hebrew and Polish.
    assert_exact(export(), older(), newer())


def test_without_moves_too_and_in_a_hebrew_agreement():
    assert_exact(export(older(), newer(moved=False)), older(), newer(moved=False))
    assert_exact(export(language="he"), older(), newer(), language="he")


def test_the_same_text_in_two_revisions_differs_only_in_the_revision_line_and_its_hash():
    docx_file = export(older(), older(), tables=(OLD_TABLES, OLD_TABLES))
    body = body_of(docx_file)
    changed = {paragraph_text(change.getparent()) for change in body.iter(w("ins"), w("del"))}
    assert changed == {"Revision 12 · 2025-03-0304 16:30:05 UTC", "SHA-256 111111111111222222222222"}
    assert body_texts(accept_all(body)) == clean(sides(older(), older(), tables=(OLD_TABLES, OLD_TABLES))[1])


def test_a_section_replaced_by_a_new_one_is_deleted_and_the_new_one_inserted():
    old = document({"legacy": [clause("legacy.audit", EN_AUDIT), clause("legacy.notices", EN_NOTICE)]})
    new = document({"fresh": [clause("fresh.response", HE_RESPONSE)]})
    body = body_of(export(old, new, tables=((), ())))
    assert clause_texts(accept_all(body)) == [("1.1  Response", HE_RESPONSE)]
    assert headings(accept_all(body)) == ["1  Fresh"]
    assert clause_texts(reject_all(body)) == [("1.1  Audit", EN_AUDIT), ("1.2  Notices", EN_NOTICE)]
    assert headings(reject_all(body)) == ["1  Legacy"]
    assert_exact(export(old, new, tables=((), ())), old, new, tables=((), ()))


# Tracked as a lawyer expects ---------------------------------------------------------------------

def test_removed_and_added_clauses_are_tracked_down_to_their_paragraph_marks():
    body = body_of(export())
    removed = clause_paragraphs(body, "Audit")
    added = clause_paragraphs(body, "Late")
    assert len(removed) == 2 and len(added) == 3  # heading and one paragraph per line
    for p in removed:
        assert p.find("w:pPr/w:rPr/w:del", NS) is not None
        assert p.xpath("./w:r[w:t]", namespaces=NS) == []
    for p in added:
        assert p.find("w:pPr/w:rPr/w:ins", NS) is not None
        assert p.xpath("./w:r[w:t]", namespaces=NS) == []
    assert texts(removed, "delText") == ["Audit", EN_AUDIT]
    assert texts(added, "t") == ["Late", *LATE.split("\n")]


def test_headings_are_numbered_by_word_and_a_changed_title_is_tracked():
    body = body_of(export())
    (scope,) = [p for p in clause_paragraphs(body, "Scope of work") if style_of(p) == "Heading2"]
    assert texts([scope], "t") == ["Scope", " of work"] and texts(scope.iter(w("ins")), "t") == [" of work"]
    # The clause that moved: its unchanged heading a Word move, its changed text deleted and inserted.
    moved_to = clause_paragraphs(body, "Response")
    assert moved_to[0].xpath("./w:pPr/w:rPr/w:moveTo", namespaces=NS) and moved_to[0].find(w("moveTo")) is not None
    assert moved_to[1].xpath("./w:pPr/w:rPr/w:ins", namespaces=NS)
    (to_range,) = moved_to[0].findall(w("moveToRangeStart"))
    (from_range,) = body.xpath(f".//w:moveFromRangeStart[@w:name='{to_range.get(w('name'))}']", namespaces=NS)
    moved_from = from_range.getparent()
    assert style_of(moved_from) == "Heading2" and moved_from.xpath("./w:pPr/w:rPr/w:moveFrom", namespaces=NS)
    assert paragraph_text(moved_from) == "Response" and moved_from.find(w("moveFromRangeEnd")) is not None
    assert list(body.iter(w("moveFromRangeStart"))) and len(list(body.iter(w("moveFromRangeStart")))) == len(
        list(body.iter(w("moveToRangeStart"))))
    assert all(not paragraph_text(p)[:1].isdigit() for p in body.iter(w("p")) if style_of(p) in ("Heading1", "Heading2"))
    assert headings(accept_all(body), "Heading2")[:2] == ["1.1  Response", "1.2  Scope of work"]


def test_a_changed_number_is_one_whole_word_change():
    due = clause_paragraphs(body_of(export()), "Due")
    assert texts(due, "delText") == ["14"]
    assert texts([ins for p in due for ins in p.findall("w:ins", NS)], "t") == ["30"]


def test_line_breaks_added_and_removed_are_paragraph_marks():
    lines = clause_paragraphs(body_of(export()), "Lines")
    marks = [("ins" if p.find("w:pPr/w:rPr/w:ins", NS) is not None else
              "del" if p.find("w:pPr/w:rPr/w:del", NS) is not None else None) for p in lines[1:]]
    # "First line.", "Second line.", "Third line.", "Fourth line." with the first mark deleted, the third inserted
    assert marks == ["del", None, "ins", None]


def test_table_rows_are_row_revisions_and_changed_cells_word_revisions():
    body = body_of(export())
    tables = {paragraph_text(t.getprevious()): t for t in body.iter(w("tbl"))}
    rates = tables["Rate card"]
    assert row_marks(rates) == [None, None, None, "del", "ins"]  # header, T01 changed, T02, T03 gone, T04 new
    changed = list(rates.iter(w("tr")))[1]
    assert texts([changed], "delText") == ["80.00"] and texts(changed.iter(w("ins")), "t") == ["85.00"]
    assert texts([list(rates.iter(w("tr")))[3]], "delText") == ["T03", "Szkolenie", "€60.00"]
    assert row_marks(tables["Milestones"]) == ["del", "del"]  # a table the newer revision dropped
    assert row_marks(tables["שיעורי זיכוי"]) == ["ins", "ins"]  # and one it added
    assert tables["שיעורי זיכוי"].find("w:tr/w:trPr/w:tblHeader", NS) is not None


def test_the_contents_list_every_heading_and_follow_the_changes():
    body = body_of(export())
    entries = [p for p in body.iter(w("p")) if style_of(p) in ("TOC1", "TOC2")]
    accepted = [paragraph_text(p) for p in accept_all(body).iter(w("p")) if style_of(p) in ("TOC1", "TOC2")]
    # The field opens and closes in paragraphs of its own, untracked, around the entries.
    assert accepted[0] == accepted[-1] == "" and not entries[0].xpath(".//w:ins | .//w:del", namespaces=NS)
    assert entries[0].xpath("./w:r/w:instrText/text()", namespaces=NS) == [' TOC \\o "1-2" \\h \\z \\u ']
    assert entries[-1].xpath("./w:r/w:fldChar/@w:fldCharType", namespaces=NS) == ["end"]
    assert accepted[1:5] == ["1  Services", "1.1  Response", "1.2  Scope of work", "1.3  Spaces"]
    assert len(accepted) == 2 + 3 + 8
    links = {link.get(w("anchor")) for link in body.iter(w("hyperlink"))}
    bookmarks = {mark.get(w("name")) for mark in body.iter(w("bookmarkStart"))}
    assert links and links <= bookmarks


def test_the_title_page_and_the_header_show_the_revision_changing():
    docx_file = export()
    header = part(docx_file, "word/header1.xml") if "word/header1.xml" in _names(docx_file) else None
    body = body_of(docx_file)
    revision = next(p for p in body.iter(w("p")) if style_of(p) == "Subtitle")
    assert texts([revision], "delText")[:1] == ["1"] and texts(revision.iter(w("ins")), "t")[:1] == ["2"]
    assert header is not None and texts([header], "delText") == ["1"] and texts(header.iter(w("ins")), "t") == ["2"]


def _names(docx_file: bytes) -> list[str]:
    import zipfile
    with zipfile.ZipFile(io.BytesIO(docx_file)) as package:
        return package.namelist()


# What the XML carries ------------------------------------------------------------------------

def test_every_text_element_preserves_its_spaces():
    docx_file = export(comments=[note("payment.due", "Ирина Волкова", IRINA_AT, " Why 30? ")])
    for name in ("word/document.xml", "word/comments.xml"):
        elements = list(part(docx_file, name).iter(w("t"), w("delText")))
        assert elements
        assert all(e.get("{http://www.w3.org/XML/1998/namespace}space") == "preserve" for e in elements), name
    spaces = clause_paragraphs(body_of(docx_file), "Spaces")[1]
    assert texts([spaces], "delText")[0] == "  " and texts(spaces.findall("w:ins", NS), "t")[-1].endswith(".  ")


def test_revision_ids_are_unique_across_changes_and_comments():
    docx_file = export(comments=[note("payment.due", "Ирина Волкова", IRINA_AT, "Why?"),
                                 note(None, "Anna Kowalska", CREATED, "Whole agreement")])
    body = body_of(docx_file)
    revisions = [e.get(w("id")) for e in body.iter(w("ins"), w("del"))]
    comments = [e.get(w("id")) for e in part(docx_file, "word/comments.xml").iter(w("comment"))]
    assert len(revisions) > 20 and len(comments) == 3  # the summary and the two
    assert len(set(revisions + comments)) == len(revisions) + len(comments)
    assert all(i.isdigit() for i in revisions + comments)


def test_changes_carry_the_attributed_person_and_the_time_their_change_was_accepted():
    body = body_of(export())

    def stamps(title):
        return {(e.get(w("author")), e.get(w("date")))
                for p in clause_paragraphs(body, title) for e in p.iter(w("ins"), w("del"))}

    assert stamps("Due") == {("Ирина Волкова", "2025-03-03T07:00:59Z")}
    assert stamps("Late") == {("María José Pérez", "2025-03-04T16:30:05Z")}  # accepted_at unknown
    assert stamps("Audit") == {("Anna Kowalska", "2025-03-04T16:30:05Z")}  # nobody recorded
    rates = next(t for t in body.iter(w("tbl")) if paragraph_text(t.getprevious()) == "Rate card")
    assert {(e.get(w("author")), e.get(w("date"))) for e in rates.iter(w("ins"), w("del"))} == {
        ("Zofia Wójcik", "2025-03-02T09:15:00Z")}  # the term proposal behind the rate card
    assert all(DATE_FORMAT.match(e.get(w("date"))) for e in body.iter(w("ins"), w("del")))


def test_deleted_text_is_only_in_deltext():
    body = body_of(export())
    written = "".join(t.text for t in body.iter(w("t")))
    deleted = [t.text for t in body.iter(w("delText"))]
    assert EN_AUDIT in deleted and EN_AUDIT not in written
    assert "14" in deleted and "14 рабочих" not in written
    assert "עבודה" in written  # equal text stays plain


def rtl_runs(p) -> list[str]:
    """The text of each right-to-left run (`w:rtl`) of a paragraph, inserted and deleted text included."""
    return ["".join(r.xpath("./w:t/text() | ./w:delText/text()", namespaces=NS))
            for r in p.iter(w("r")) if r.find("w:rPr/w:rtl", NS) is not None]


def test_hebrew_clause_paragraphs_run_right_to_left():
    body = body_of(export(older(), newer(moved=False)))
    heading, text = clause_paragraphs(body, "Response")
    assert heading.find("w:pPr/w:bidi", NS) is None  # "Response": its first letter is Latin
    assert text.find("w:pPr/w:bidi", NS) is not None
    # The Hebrew stretches are right-to-left runs; "4" deleted and "2" inserted stay numbers.
    assert rtl_runs(text) == ["הספק יגיב לכל תקלה בתוך", "שעות עבודה"]
    assert texts([text], "delText") == ["4"] and texts(text.findall(w("ins")), "t") == ["2"]
    assert all(p.find("w:pPr/w:bidi", NS) is None for p in clause_paragraphs(body, "Due"))
    assert body.find("w:sectPr/w:bidi", NS) is None


HE_NOTICE = "הודעות יימסרו בכתב לכתובת הרשומה של הצד השני."


def test_a_hebrew_agreement_redline_is_right_to_left_where_its_text_is():
    new = newer()
    new = Document(terms=new.terms, sections=(*new.sections, Section("notices", "הודעות", (
        clause("notices.he", HE_NOTICE, "מסירת הודעות"),))))
    docx_file = export(older(), new, language="he")
    body = body_of(docx_file)
    assert body.find("w:sectPr/w:bidi", NS) is not None  # the section runs right to left
    for p in body.iter(w("p")):
        text = paragraph_text(p) + "".join(texts([p], "delText"))
        first = next((c for c in text if c.isalpha()), None)
        starts_ltr = first is not None and unicodedata.bidirectional(first) == "L"
        assert (p.find("w:pPr/w:bidi", NS) is None) == starts_ltr, text
    paragraphs = list(body.iter(w("p")))
    assert paragraph_text(paragraphs[0]) == "Umowa serwisowa / Service agreement"  # the title, left to right
    assert paragraph_text(paragraphs[1]) == "בין"
    # w:bidi precedes the paragraph mark's revision, as the schema orders them
    added = clause_paragraphs(body, "מסירת הודעות")[1].find(w("pPr"))
    assert [child.tag for child in added] == [w("bidi"), w("rPr")]
    assert all(t.find("w:tblPr/w:bidiVisual", NS) is not None for t in body.iter(w("tbl")))
    summary = [paragraph_text(p) for p in part(docx_file, "word/comments.xml").iter(w("p"))]
    assert summary[0] == "השוואת שינויים: גרסה 1 ← גרסה 2"
    # A direction mark after each name ending in a full stop keeps the stop with the name.
    assert summary[1] == ("נותן השירותים: Zakład Usług Łódź sp. z o.o.\u200e; "
                          "הלקוח: Compañía Ibérica S.A.\u200e; סטטוס: במשא ומתן")


def test_a_hebrew_comment_in_an_english_agreement_reads_right_to_left():
    comments = [note("payment.due", "נועה כהן", CREATED, "למה 30 יום?\nWhy not 21?")]
    stored = list(part(export(comments=comments), "word/comments.xml").iter(w("comment")))[-1]
    hebrew, english = stored.iter(w("p"))
    assert hebrew.find("w:pPr/w:bidi", NS) is not None and rtl_runs(hebrew) == ["למה", "יום"]  # "30" and the final "?" are not
    assert english.find("w:pPr/w:bidi", NS) is None


def test_the_same_inputs_give_the_same_bytes_and_dates_come_from_the_data():
    comments = [note("payment.due", "Ирина Волкова", IRINA_AT, "Why?")]
    first, second = export(comments=comments), export(comments=comments)
    assert first == second
    properties = docx.Document(io.BytesIO(first)).core_properties
    assert properties.modified == properties.created == CREATED
    assert properties.title == "Redline: Umowa serwisowa / Service agreement"


def test_the_summary_is_a_comment_on_the_title_outside_the_compared_text():
    docx_file = export()
    (summary, *_rest) = part(docx_file, "word/comments.xml").iter(w("comment"))
    lines = [paragraph_text(p) for p in summary.iter(w("p"))]
    assert lines[0] == "Redline: revision 1 → revision 2"
    assert lines[2].startswith("Older: revision 1, 2025-03-03 16:30:05 UTC, Anna Kowalska, SHA-256 " + "1" * 64)
    assert lines[3].startswith("Newer: revision 2, 2025-03-04 16:30:05 UTC, Anna Kowalska, SHA-256 " + "2" * 64)
    assert "Clauses changed: 4, added: 1, removed: 1, moved: 1; terms changed: 2." in lines[4]
    assert any(line.startswith("Proposal 2 by Ирина Волкова (provider), accepted by Anna Kowalska: 2.1 Due")
               for line in lines)
    currency = next(term for term in redline_of(older(), newer()).terms if term.path == "fees.currency")
    assert "Changed terms" in lines and f"{currency.label}: PLN → EUR" in lines
    body = body_of(docx_file)
    (start,) = body.xpath(f".//w:commentRangeStart[@w:id='{summary.get(w('id'))}']", namespaces=NS)
    assert style_of(start.getparent()) == "Title"
    assert all("Redline" not in text for text in body_texts(accept_all(body)))


def test_python_docx_opens_the_file_and_sees_the_plain_text():
    opened = docx.Document(io.BytesIO(export()))
    texts_seen = [p.text for p in opened.paragraphs]
    assert "Notices are given in writing." in texts_seen
    assert opened.paragraphs[0].style.name == "Title"


# The builders and the review helper ------------------------------------------------------------

def test_ooxml_dates_are_utc_seconds_with_z():
    assert ooxml_date(IRINA_AT) == "2025-03-03T07:00:59Z"
    assert ooxml_date(datetime(2025, 1, 2, 3, 4, 5, 999)) == "2025-01-02T03:04:05Z"


def test_split_lines_gives_each_newline_the_op_of_its_segment():
    assert split_lines([(EQUAL, "a\nb"), (DELETE, "\n"), (INSERT, "c\n")], whole=INSERT) == [
        ([(EQUAL, "a")], EQUAL), ([(EQUAL, "b")], DELETE), ([(INSERT, "c")], INSERT), ([], INSERT)]
    assert split_lines([]) == [([], EQUAL)]


def test_the_review_helper_follows_word_on_a_hand_written_revision():
    body = etree.fromstring(f"""<w:body xmlns:w="{NS['w']}">
      <w:p><w:pPr><w:pStyle w:val="Heading1"/></w:pPr><w:r><w:t>Section</w:t></w:r></w:p>
      <w:p><w:pPr><w:pStyle w:val="Heading2"/><w:rPr><w:ins w:id="1" w:author="A" w:date="2025-01-01T00:00:00Z"/>
        </w:rPr></w:pPr>
        <w:ins w:id="2" w:author="A" w:date="2025-01-01T00:00:00Z"><w:r><w:t>New</w:t></w:r></w:ins></w:p>
      <w:p><w:pPr><w:rPr><w:ins w:id="3" w:author="A" w:date="2025-01-01T00:00:00Z"/></w:rPr></w:pPr>
        <w:ins w:id="4" w:author="A" w:date="2025-01-01T00:00:00Z"><w:r><w:t>added</w:t></w:r></w:ins></w:p>
      <w:p><w:pPr><w:pStyle w:val="Heading2"/></w:pPr><w:r><w:t>Kept</w:t></w:r></w:p>
      <w:p><w:pPr><w:rPr><w:del w:id="5" w:author="A" w:date="2025-01-01T00:00:00Z"/></w:rPr></w:pPr>
        <w:r><w:t xml:space="preserve">one </w:t></w:r><w:del w:id="6" w:author="A" w:date="2025-01-01T00:00:00Z">
        <w:r><w:delText>two</w:delText></w:r></w:del></w:p>
      <w:p><w:ins w:id="7" w:author="A" w:date="2025-01-01T00:00:00Z"><w:r><w:t>three</w:t></w:r></w:ins></w:p>
    </w:body>""")
    assert clause_texts(accept_all(body)) == [("1.1  New", "added"), ("1.2  Kept", "one three")]
    assert clause_texts(reject_all(body)) == [("1.1  Kept", "one two\n")]
    assert clause_texts(body) == [("1.1  New", "added"), ("1.2  Kept", "one two\nthree")]  # the original is untouched


# Property: any pair of texts ------------------------------------------------------------------

TOKENS = ["the", "Provider", "shall", "14", "30", "0,5", " ", "  ", ", ", ".", "\n", "הספק", "תקלה", "שעות",
          "Заказчик", "счёт", "дней", "zażółć", "jaźń", "días"]
texts_strategy = st.lists(st.sampled_from(TOKENS), max_size=14).map("".join)
titles = st.lists(st.sampled_from([t for t in TOKENS if t != "\n"]), max_size=4).map("".join)


@st.composite
def text_pairs(draw):
    old = draw(texts_strategy)
    if draw(st.booleans()):
        return old, draw(texts_strategy)
    start = draw(st.integers(0, len(old)))
    end = draw(st.integers(start, len(old)))
    return old, old[:start] + draw(texts_strategy) + old[end:]


@settings(max_examples=60, deadline=None)
@given(text_pairs(), titles, titles, st.booleans())
def test_accept_all_and_reject_all_round_trip_any_pair_of_texts(pair, old_title, new_title, neighbours):
    old_text, new_text = pair
    around = [clause("s.before", "Before.\n")] if neighbours else []
    old = document({"s": [*around, ClauseInstance("s.x", old_title, old_text)]})
    new = document({"s": [ClauseInstance("s.x", new_title, new_text), *around]})
    docx_file = export(old, new, attributions={}, tables=((), ()))
    body = body_of(docx_file)
    assert clause_texts(accept_all(body)) == list(expected(new).values())
    assert clause_texts(reject_all(body)) == list(expected(old).values())
    assert_exact(docx_file, old, new, tables=((), ()))


SECTION_TITLES = ["Services", "Payment", "שירות", "Оплата"]


@st.composite
def documents(draw, texts: dict[str, str]):
    """A document over some of the keys k0..k5, in any order and any sections, with the given texts."""
    keys = draw(st.permutations(sorted(texts)))[:draw(st.integers(0, len(texts)))]
    cuts = sorted(draw(st.lists(st.integers(0, len(keys)), max_size=3)))
    bounds = [0, *cuts, len(keys)]
    titles = [draw(st.sampled_from(SECTION_TITLES)) for _ in bounds[1:]]
    return Document(sections=tuple(
        Section(f"s{index}", title, tuple(ClauseInstance(key, key.upper(), texts[key]) for key in keys[start:end]))
        for index, (title, start, end) in enumerate(zip(titles, bounds, bounds[1:]))))


@st.composite
def document_pairs(draw):
    old_texts = {f"k{index}": draw(texts_strategy) for index in range(6)}
    new_texts = {key: text if draw(st.booleans()) else draw(texts_strategy) for key, text in old_texts.items()}
    return draw(documents(old_texts)), draw(documents(new_texts))


@settings(max_examples=60, deadline=None)
@given(document_pairs())
def test_accept_all_and_reject_all_round_trip_any_pair_of_documents(pair):
    old, new = pair
    assert_exact(export(old, new, attributions={}, tables=(OLD_TABLES, NEW_TABLES)), old, new)
