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
from authoring.export.records import ClauseComment, CommentThread, ExportInfo
from authoring.export.redline_docx import redline_docx
from authoring.negotiation.attribution import Change
from authoring.ooxml.tracked import DELETE, EQUAL, INSERT, add_run, ooxml_date, split_lines
from authoring.redline import redline_between
from conftest import base_config
from docx_review import NS, accept_all, body_of, clause_texts, headings, paragraph_text, part, reject_all, style_of, w

HE_RESPONSE = "הספק יגיב לכל תקלה בתוך 4 שעות עבודה."
RU_PAYMENT = "Заказчик оплачивает счёт в течение 14 рабочих дней."
PL_TERM = "Umowa obowiązuje przez 12 miesięcy — zażółć gęślą jaźń."
EN_SCOPE = "The Provider shall maintain the Client's website."
EN_NOTICE = "Notices are given in writing."
EN_AUDIT = "The Client may audit the Provider once a year."
LINES_OLD = "First line.\nSecond line.\nThird line."
LINES_NEW = "First line. Second line.\nThird line.\nFourth line."
SPACES_OLD = "  Indented text ends with a space. "
SPACES_NEW = "Indented text ends with two spaces.  "
LATE = "За просрочку платежа начисляются пени 0,5% в день.\nKara umowna: 0,5% dziennie."

CREATED = datetime(2025, 3, 4, 16, 30, 5, tzinfo=timezone.utc)
ZOFIA_AT = datetime(2025, 3, 2, 9, 15, tzinfo=timezone.utc)
IRINA_AT = datetime(2025, 3, 3, 10, 0, 59, tzinfo=timezone(timedelta(hours=3)))  # 07:00:59 UTC
DATE_FORMAT = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$")


@pytest.fixture(scope="module", autouse=True)
def app_context(tmp_path_factory):
    """One app context for the module (hypothesis runs its examples inside a single test call)."""
    app = create_app(base_config(DATABASE_URL=f"sqlite:///{tmp_path_factory.mktemp('redline')}/unused.sqlite3"))
    with app.app_context():
        yield


def clause(key: str, text: str, title: str | None = None) -> ClauseInstance:
    return ClauseInstance(key, title or key.split(".")[-1].capitalize(), text)


def document(sections: dict[str, list[ClauseInstance]], terms: dict | None = None) -> Document:
    return Document(terms=terms or {"fees": {"currency": "PLN"}},
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
    }, terms={"fees": {"currency": "EUR"}})


def change(target: str, author: str, at: datetime | None, kind: str = "clause_text", number: int = 1) -> Change:
    return Change(kind, target, number, author, "provider", "Anna Kowalska", at)


ATTRIBUTIONS = {
    "services.scope": [change("services.scope", "Zofia Wójcik", ZOFIA_AT), change("services.scope", "Other", CREATED)],
    "payment.due": [change("payment.due", "Ирина Волкова", IRINA_AT, number=2)],
    "services.response": [change("services.response", "נועה כהן", ZOFIA_AT, number=3)],
    "payment.late": [change("payment.late", "María José Pérez", None, kind="clause_add", number=4)],
}


def info(number: int, language: str = "en", author: str = "Anna Kowalska") -> ExportInfo:
    return ExportInfo(agreement_id=7, title="Umowa serwisowa / Service agreement", language=language,
                      status="negotiating", provider_name="Zakład Usług Łódź sp. z o.o.",
                      client_name="Compañía Ibérica S.A.", revision_number=number,
                      revision_hash=f"{number:x}" * 64, revision_created_at=CREATED - timedelta(days=2 - number),
                      revision_author=author)


def redline_of(old: Document, new: Document, attributions: dict | None = None):
    redline = redline_between(old, new)
    for item in redline.clauses:
        item.attributions = list((ATTRIBUTIONS if attributions is None else attributions).get(item.key, []))
    for term in redline.terms:
        term.attributions = [change(term.path, "Zofia Wójcik", ZOFIA_AT, kind="term", number=5)]
    return redline


def thread(clause_key: str | None, *comments: tuple[str, datetime, str], resolved: bool = False) -> CommentThread:
    """A comment thread: its first comment, then its replies, each (author, at, text)."""
    return CommentThread(clause_key, resolved, tuple(ClauseComment(*comment) for comment in comments))


def export(old: Document | None = None, new: Document | None = None, comments=(), language: str = "en") -> bytes:
    old, new = old or older(), new or newer()
    return redline_docx(redline_of(old, new), info(1), info(2, language), comments)


def expected(document: Document) -> dict[str, tuple[str, str]]:
    """key -> (heading, text) as the clause reads in `document`."""
    return {c.key: (f"{number}  {c.title}", c.text) for _n, _s, cs in document.numbered() for number, c in cs}


def clause_paragraphs(body, heading: str) -> list:
    """The clause heading reading `heading` (as accepted, or as deleted) and the body paragraphs after it."""
    paragraphs = list(body.iter(w("p")))
    start = next(i for i, p in enumerate(paragraphs) if style_of(p) == "Heading2"
                 and heading in ("".join(texts([p], "t")), "".join(texts([p], "delText"))))
    end = next((i for i in range(start + 1, len(paragraphs)) if style_of(paragraphs[i]) is not None), len(paragraphs))
    return paragraphs[start:end]


def texts(elements, tag: str) -> list[str]:
    return [t.text for element in elements for t in element.iter(w(tag))]


# Accept All and Reject All -----------------------------------------------------------------

def test_accept_all_gives_exactly_the_newer_revision():
    new = newer()
    accepted = accept_all(body_of(export(new=new)))
    assert clause_texts(accepted) == list(expected(new).values())
    assert headings(accepted) == ["1  Services", "2  Payment", "3  General", "Changed terms"]


def test_reject_all_gives_exactly_the_older_revision_clause_by_clause():
    old, new = older(), newer()
    redline = redline_of(old, new)
    rejected = clause_texts(reject_all(body_of(redline_docx(redline, info(1), info(2)))))
    # The moved clause stands where it is now; every clause reads as it did.
    before = expected(old)
    assert rejected == [before[c.key] for c in redline.clauses if c.status != "added"]
    assert sorted(rejected) == sorted(before.values())
    assert ("1.2  Response", HE_RESPONSE) in rejected and ("2.3  Lines", LINES_OLD) in rejected


def test_without_moves_reject_all_gives_the_older_document_in_order_with_its_sections():
    old, new = older(), newer(moved=False)
    body = body_of(export(old, new))
    assert clause_texts(reject_all(body)) == list(expected(old).values())
    assert headings(reject_all(body)) == ["1  Services", "2  Payment", "3  Legacy", "4  General", "Changed terms"]
    assert headings(accept_all(body)) == ["1  Services", "2  Payment", "3  General", "Changed terms"]


def test_a_section_only_the_older_revision_had_is_a_deleted_heading_and_the_next_is_renumbered():
    body = body_of(export())
    legacy = next(p for p in body.iter(w("p")) if style_of(p) == "Heading1" and "Legacy" in paragraph_text(p))
    assert texts([legacy], "delText") == ["3  Legacy"] and texts([legacy], "t") == []
    assert legacy.find("w:pPr/w:rPr/w:del", NS) is not None
    general = next(p for p in body.iter(w("p")) if style_of(p) == "Heading1" and "General" in paragraph_text(p))
    assert (texts([general], "delText"), texts(general.findall("w:ins", NS), "t")) == (["4"], ["3"])


def test_a_section_replaced_by_a_new_one_is_deleted_and_the_new_one_inserted():
    old = document({"legacy": [clause("legacy.audit", EN_AUDIT), clause("legacy.notices", EN_NOTICE)]})
    new = document({"fresh": [clause("fresh.response", HE_RESPONSE)]})
    body = body_of(export(old, new))
    assert clause_texts(accept_all(body)) == [("1.1  Response", HE_RESPONSE)]
    assert headings(accept_all(body)) == ["1  Fresh", "Changed terms"]
    assert clause_texts(reject_all(body)) == [("1.1  Audit", EN_AUDIT), ("1.2  Notices", EN_NOTICE)]
    assert headings(reject_all(body)) == ["1  Legacy", "Changed terms"]


def test_removed_and_added_clauses_are_tracked_down_to_their_paragraph_marks():
    body = body_of(export())
    removed = clause_paragraphs(body, "3.1  Audit")
    added = clause_paragraphs(body, "2.2  Late")
    assert len(removed) == 2 and len(added) == 3  # heading and one paragraph per line
    for p in removed:
        assert p.find("w:pPr/w:rPr/w:del", NS) is not None
        assert p.xpath("./w:r[w:t]", namespaces=NS) == []
    for p in added:
        assert p.find("w:pPr/w:rPr/w:ins", NS) is not None
        assert p.xpath("./w:r[w:t]", namespaces=NS) == []
    assert texts(removed, "delText") == ["3.1  Audit", EN_AUDIT]
    assert texts(added, "t") == ["2.2  Late", *LATE.split("\n")]


def test_a_renumbered_clause_and_a_changed_title_are_tracked_in_the_heading():
    scope = clause_paragraphs(body_of(export()), "1.2  Scope of work")[0]
    assert texts(scope.findall("w:del", NS), "delText") == ["1.1"]
    assert texts(scope.findall("w:ins", NS), "t") == ["1.2", " of work"]


def test_a_changed_number_is_one_whole_word_change():
    due = clause_paragraphs(body_of(export()), "2.1  Due")
    assert texts(due, "delText") == ["14"]
    assert texts([ins for p in due for ins in p.findall("w:ins", NS)], "t") == ["30"]


def test_line_breaks_added_and_removed_are_paragraph_marks():
    lines = clause_paragraphs(body_of(export()), "2.4  Lines")
    marks = [("ins" if p.find("w:pPr/w:rPr/w:ins", NS) is not None else
              "del" if p.find("w:pPr/w:rPr/w:del", NS) is not None else None) for p in lines[1:]]
    # "First line.", "Second line.", "Third line.", "Fourth line." with the first mark deleted, the third inserted
    assert marks == ["del", None, "ins", None]


# What the XML carries ------------------------------------------------------------------------

def test_every_text_element_preserves_its_spaces():
    docx_file = export(comments=[thread("payment.due", ("Ирина Волкова", IRINA_AT, " Why 30? "))])
    for name in ("word/document.xml", "word/comments.xml"):
        elements = list(part(docx_file, name).iter(w("t"), w("delText")))
        assert elements
        assert all(e.get("{http://www.w3.org/XML/1998/namespace}space") == "preserve" for e in elements), name
    spaces = clause_paragraphs(body_of(docx_file), "1.3  Spaces")[1]
    assert texts([spaces], "delText")[0] == "  " and texts(spaces.findall("w:ins", NS), "t")[-1].endswith(".  ")


def test_revision_ids_are_unique_across_changes_and_comments():
    docx_file = export(comments=[thread("payment.due", ("Ирина Волкова", IRINA_AT, "Why?")),
                                 thread(None, ("Anna Kowalska", CREATED, "Whole agreement"))])
    body = body_of(docx_file)
    revisions = [e.get(w("id")) for e in body.iter(w("ins"), w("del"))]
    comments = [e.get(w("id")) for e in part(docx_file, "word/comments.xml").iter(w("comment"))]
    assert len(revisions) > 20 and len(comments) == 2
    assert len(set(revisions + comments)) == len(revisions) + len(comments)
    assert all(i.isdigit() for i in revisions + comments)


def test_changes_carry_the_attributed_person_and_the_time_their_change_was_accepted():
    body = body_of(export())

    def stamps(heading_start):
        return {(e.get(w("author")), e.get(w("date")))
                for p in clause_paragraphs(body, heading_start) for e in p.iter(w("ins"), w("del"))}

    assert stamps("1.2  Scope of work") == {("Zofia Wójcik", "2025-03-02T09:15:00Z")}  # the first attribution
    assert stamps("2.1  Due") == {("Ирина Волкова", "2025-03-03T07:00:59Z")}
    assert stamps("2.2  Late") == {("María José Pérez", "2025-03-04T16:30:05Z")}  # accepted_at unknown
    assert stamps("3.1  Audit") == {("Anna Kowalska", "2025-03-04T16:30:05Z")}  # nobody recorded
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
    body = body_of(export())
    heading, text = clause_paragraphs(body, "1.1  Response")
    assert heading.find("w:pPr/w:bidi", NS) is None  # "1.1  Response": its first letter is Latin
    assert text.find("w:pPr/w:bidi", NS) is not None
    # The Hebrew stretches are right-to-left runs; "4" deleted and "2" inserted stay numbers.
    assert rtl_runs(text) == ["הספק יגיב לכל תקלה בתוך", "שעות עבודה"]
    assert texts([text], "delText") == ["4"] and texts(text.findall(w("ins")), "t") == ["2"]
    assert all(p.find("w:pPr/w:bidi", NS) is None for p in clause_paragraphs(body, "2.1  Due"))
    assert body.find("w:sectPr/w:bidi", NS) is None


HE_NOTICE = "הודעות יימסרו בכתב לכתובת הרשומה של הצד השני."


def test_a_hebrew_agreement_redline_is_right_to_left_where_its_text_is():
    new = newer()
    new = Document(terms=new.terms, sections=(*new.sections, Section("notices", "הודעות", (
        clause("notices.he", HE_NOTICE, "מסירת הודעות"),))))
    body = body_of(redline_docx(redline_of(older(), new), info(1), info(2, "he")))
    assert body.find("w:sectPr/w:bidi", NS) is not None  # the section runs right to left
    paragraphs = [p for p in body.iter(w("p"))]
    for p in paragraphs:
        text = paragraph_text(p) + "".join(texts([p], "delText"))
        first = next((c for c in text if c.isalpha()), None)
        starts_ltr = first is not None and unicodedata.bidirectional(first) == "L"
        assert (p.find("w:pPr/w:bidi", NS) is None) == starts_ltr, text
    assert paragraph_text(paragraphs[0]) == "השוואת שינויים: גרסה 1 ← גרסה 2"
    assert paragraph_text(paragraphs[1]) == "Umowa serwisowa / Service agreement"  # the title, left to right
    assert paragraphs[1].find("w:pPr/w:bidi", NS) is None
    # A direction mark after each name ending in a full stop keeps the stop with the name.
    assert paragraph_text(paragraphs[2]) == ("נותן השירותים: Zakład Usług Łódź sp. z o.o.\u200e; "
                                             "הלקוח: Compañía Ibérica S.A.\u200e; סטטוס: במשא ומתן")
    assert "תנאים ששונו" in headings(body)
    # w:bidi precedes the paragraph mark's revision, as the schema orders them
    added = clause_paragraphs(body, "4.1  מסירת הודעות")[1].find(w("pPr"))
    assert [child.tag for child in added] == [w("bidi"), w("rPr")]
    (table,) = body.findall(w("tbl"))
    assert table.find("w:tblPr/w:bidiVisual", NS) is not None
    assert [paragraph_text(cell) for cell in table.find(w("tr")).iter(w("tc"))] == [
        "תנאי", "גרסה 1", "גרסה 2", "שונה על ידי"]


def test_a_hebrew_comment_in_an_english_agreement_reads_right_to_left():
    comments = [thread("payment.due", ("נועה כהן", CREATED, "למה 30 יום?\nWhy not 21?"))]
    stored = part(export(comments=comments), "word/comments.xml")
    hebrew, english = stored.iter(w("p"))
    assert hebrew.find("w:pPr/w:bidi", NS) is not None and rtl_runs(hebrew) == ["למה", "יום"]  # "30" and the final "?" are not
    assert english.find("w:pPr/w:bidi", NS) is None


def test_the_same_inputs_give_the_same_bytes_and_dates_come_from_the_data():
    comments = [thread("payment.due", ("Ирина Волкова", IRINA_AT, "Why?"), ("Anna Kowalska", CREATED, "Because."),
                       resolved=True)]
    first, second = export(comments=comments), export(comments=comments)
    assert first == second
    properties = docx.Document(io.BytesIO(first)).core_properties
    assert properties.modified == properties.created == CREATED
    assert properties.title == "Redline: Umowa serwisowa / Service agreement"


def test_the_legend_names_both_revisions_and_who_changed_what():
    body = body_of(export())
    legend = [paragraph_text(p) for p in body.iter(w("p")) if style_of(p) is None][:10]
    assert legend[1].startswith("Older: revision 1, 2025-03-03 16:30:05 UTC, Anna Kowalska, SHA-256 " + "1" * 64)
    assert legend[2].startswith("Newer: revision 2, 2025-03-04 16:30:05 UTC, Anna Kowalska, SHA-256 " + "2" * 64)
    assert "Clauses changed: 4, added: 1, removed: 1, moved: 1; terms changed: 1." in legend[3]
    assert any(line.startswith("Proposal 2 by Ирина Волкова (provider), accepted by Anna Kowalska: 2.1 Due")
               for line in legend)


def test_changed_terms_are_listed_in_a_table_with_who_changed_them():
    body = body_of(export())
    (table,) = body.findall(w("tbl"))
    rows = [[paragraph_text(cell) for cell in row.iter(w("tc"))] for row in table.iter(w("tr"))]
    assert rows == [["Term", "Revision 1", "Revision 2", "Changed by"],
                    [rows[1][0], "PLN", "EUR", "Proposal 5 by Zofia Wójcik (provider), accepted by Anna Kowalska"]]
    assert "urrency" in rows[1][0]
    assert texts([table], "t")


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


def test_a_run_writes_tabs_and_breaks_as_elements():
    p = etree.Element(w("p"))
    add_run(p, "a\tb\nc", deleted=True)
    assert [child.tag for child in p[0]] == [w("delText"), w("tab"), w("delText"), w("br"), w("delText")]
    assert paragraph_text(p) == "a\tb\nc"


def test_the_review_helper_follows_word_on_a_hand_written_revision():
    body = etree.fromstring(f"""<w:body xmlns:w="{NS['w']}">
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
    assert clause_texts(accept_all(body)) == [("New", "added"), ("Kept", "one three")]
    assert clause_texts(reject_all(body)) == [("Kept", "one two\n")]
    assert clause_texts(body) == [("New", "added"), ("Kept", "one two\nthree")]  # the original is untouched


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
    body = body_of(redline_docx(redline_of(old, new, {}), info(1), info(2)))
    assert clause_texts(accept_all(body)) == list(expected(new).values())
    rejected = dict(zip([c.key for c in redline_between(old, new).clauses], clause_texts(reject_all(body))))
    assert rejected == expected(old)


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
    redline = redline_of(old, new, {})
    body = body_of(redline_docx(redline, info(1), info(2)))
    assert clause_texts(accept_all(body)) == list(expected(new).values())
    sections = [f"{number}  {section.title}" for number, section, clauses in new.numbered() if clauses]
    assert headings(accept_all(body)) == [*sections, "Changed terms"]
    kept = [c.key for c in redline.clauses if c.status != "added"]
    assert dict(zip(kept, clause_texts(reject_all(body)))) == expected(old)
    assert len(clause_texts(reject_all(body))) == len(kept)
