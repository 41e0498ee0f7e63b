"""The agreement as a Word document (authoring.export.docx): clean and signed.

Pure tests: `Document`, `ExportInfo`, `Execution` and `Table` built by hand; the bytes
read back with python-docx and xpath over `w:body`, asserting what a reader sees. The
document's own words come from the app's gettext catalogues, so each test runs inside an
app context (no database is touched).
"""
from __future__ import annotations

import io
import zipfile
from dataclasses import replace
from datetime import datetime, timedelta, timezone

import unicodedata

import docx
import pytest
from docx.oxml.ns import qn
from docx_review import heading_numbers
from docx.text.paragraph import Paragraph

from authoring import create_app
from authoring.document import ClauseInstance, Document, Section
from authoring.export.docx import agreement_docx
from authoring.export.records import CertificateEvent, Execution, ExportInfo, RevisionSummary, SignatureRecord
from authoring.render.tables import Table
from conftest import base_config

HE_RESPONSE = "הספק יגיב לכל תקלה בתוך 4 שעות עבודה."
RU_PAYMENT = "Заказчик оплачивает счёт в течение 14 рабочих дней."
PL_TERM = "Umowa obowiązuje przez 12 miesięcy — zażółć gęślą jaźń."
EN_SCOPE = "The Provider shall maintain the Client's website."
SPACED = "  Notices are given in writing.  \n\tSecond line, after a tab.  "
HASH = "a1" * 32
OLD_HASH = "b2" * 32
AT = datetime(2025, 3, 1, 12, 30, 5, tzinfo=timezone.utc)
PROVIDER, CLIENT = "Northwind IT Services Ltd.", "Globex Logistics S.A."
CONSENT = "I agree to sign this agreement electronically and to be bound by it."
VERIFY_URL = "https://accord.example/verify"
PARTIES = {
    "provider": {"name": PROVIDER, "address": "1 Harbour Street, 80-001 Gdańsk", "registration": "KRS 0000123456"},
    "client": {"name": CLIENT, "address": "   ", "registration": "KRS 0000654321"},
}


@pytest.fixture(scope="module")
def documents_app(tmp_path_factory):
    return create_app(base_config(DATABASE_URL=f"sqlite:///{tmp_path_factory.mktemp('docx')}/unused.sqlite3"))


@pytest.fixture(autouse=True)
def app_context(documents_app):
    with documents_app.app_context():
        yield


def clause(key: str, title: str, text: str) -> ClauseInstance:
    return ClauseInstance(key, title, text)


def agreement() -> Document:
    return Document(terms={"parties": PARTIES}, sections=(
        Section("services", "Services", (clause("services.scope", "Scope", EN_SCOPE),
                                         clause("services.response", "Response times", HE_RESPONSE))),
        Section("payment", "Payment", (clause("payment.due", "Due date", RU_PAYMENT),
                                       clause("payment.term", "Term", PL_TERM))),
        Section("general", "General", (clause("general.notices", "Notices", SPACED),)),
    ))


def export_info(**changes) -> ExportInfo:
    info = ExportInfo(agreement_id=42, title="Website maintenance agreement", language="en", status="negotiating",
                      provider_name=PROVIDER, client_name=CLIENT, revision_number=3, revision_hash=HASH,
                      revision_created_at=AT, revision_author="Maria Santos")
    return replace(info, **changes)


def agreement_tables() -> list[Table]:
    return [
        Table("rate_card", "payment", "Rate card", ("Task code", "Description", "Price"),
              (("T-01", "Support hour", "€ 80.00"), ("T-02", "On-site visit", "€ 300.00"))),
        Table("annex", "no_such_section", "Annex contacts", ("Stage", "Provider"), (("Billing", "Ewa Zielińska"),)),
    ]


def execution() -> Execution:
    signed = AT + timedelta(days=2)
    return Execution(
        executed_at=signed + timedelta(hours=1),
        executed_hash=HASH,
        # The client's is listed first on purpose: the provider's block must still come first.
        signatures=(
            SignatureRecord("client", CLIENT, "Olga Ivanova", "Chief Operating Officer", "signer@example.com",
                            signed, "198.51.100.7", 2, OLD_HASH, CONSENT, valid=False),
            SignatureRecord("provider", PROVIDER, "Maria Santos", "Managing Director", "provider@example.com",
                            signed + timedelta(minutes=5), "203.0.113.5", 3, HASH, CONSENT),
        ),
        events=(
            CertificateEvent(AT - timedelta(days=3), "Maria Santos <provider@example.com>", "203.0.113.5",
                             "Shared the draft with the client"),
            CertificateEvent(signed, "Olga Ivanova <signer@example.com>", "198.51.100.7",
                             "Signed revision 2 for the client"),
            CertificateEvent(signed + timedelta(hours=1), "system", None, "Agreement executed"),
        ),
        revisions=(
            RevisionSummary(2, OLD_HASH, AT - timedelta(days=1), "Olga Ivanova", "Shorter payment term"),
            RevisionSummary(3, HASH, AT, "Maria Santos", "Response times in Hebrew"),
        ),
        verify_url=VERIFY_URL,
        audit_head="c3" * 32,
    )


def export(*, execution_record: Execution | None = None, **changes) -> bytes:
    return agreement_docx(agreement(), export_info(**changes), agreement_tables(), execution=execution_record)


def read(data: bytes):
    return docx.Document(io.BytesIO(data))


def text_of(p) -> str:
    return Paragraph(p, None).text


def style_of(p) -> str | None:
    styles = p.xpath("./w:pPr/w:pStyle/@w:val")
    return styles[0] if styles else None


def blocks(word) -> list[str]:
    """The body as a reader meets it: each paragraph's text (a heading with its number), a page break as
    '<page>', a table as '<table ...>'; the document's closing empty paragraph left out."""
    seen = []
    for element in word.element.body.xpath("./w:p | ./w:tbl"):
        if element.tag.endswith("}tbl"):
            seen.append("<table " + " | ".join(text_of(p) for p in element.xpath("./w:tr[1]//w:p")) + ">")
        elif element.xpath(".//w:br[@w:type='page']"):
            seen.append("<page>")
        else:
            seen.append(shown(word, element))
    assert seen[-1] == ""
    return seen[:-1]


def title_page(word) -> list[str]:
    seen = blocks(word)
    return seen[:seen.index("<page>")]


def shown(word, p) -> str:
    """A paragraph as Word shows it: a numbered heading with its number ("1.2  Term")."""
    number = heading_numbers(word.element.body).get(p)
    return f"{number}  {text_of(p)}" if number else text_of(p)


def body_paragraphs_of(word, heading: str) -> list[str]:
    """The paragraphs between `heading` (as Word shows it) and the next heading, caption or page break."""
    paragraphs = word.element.body.xpath("./w:p")
    numbers = heading_numbers(word.element.body)
    start = next(i for i, p in enumerate(paragraphs) if p in numbers and f"{numbers[p]}  {text_of(p)}" == heading)
    lines = []
    for p in paragraphs[start + 1:]:
        if style_of(p) or p.xpath(".//w:br[@w:type='page']"):
            break
        lines.append(text_of(p))
    return lines


# The clean export ------------------------------------------------------------------------

def test_title_page_names_both_parties_with_address_registration_and_the_revision():
    page = title_page(read(export()))
    assert page == [
        "Website maintenance agreement",
        "between", PROVIDER, "1 Harbour Street, 80-001 Gdańsk", "KRS 0000123456",
        "and", CLIENT, "KRS 0000654321",  # the client's blank address is left out
        "Revision 3 · 2025-03-01 12:30:05 UTC",
        f"SHA-256 {HASH[:12]}",
    ]


def test_title_page_without_party_terms_shows_the_names_only():
    document = Document(sections=(Section("services", "Services", (clause("services.scope", "Scope", EN_SCOPE),)),))
    page = title_page(read(agreement_docx(document, export_info(), [])))
    assert page[1:5] == ["between", PROVIDER, "and", CLIENT]


HEADINGS = [("Heading1", "1  Services"), ("Heading2", "1.1  Scope"), ("Heading2", "1.2  Response times"),
            ("Heading1", "2  Payment"), ("Heading2", "2.1  Due date"), ("Heading2", "2.2  Term"),
            ("Heading1", "3  General"), ("Heading2", "3.1  Notices")]


def test_the_contents_field_already_lists_every_heading_linked_to_it():
    word = read(export())
    body = word.element.body
    begin, *entries, end = body.xpath("./w:p[w:pPr/w:pStyle/@w:val='TOC1' or w:pPr/w:pStyle/@w:val='TOC2']")
    # The field's result is written: every heading with its number, before anyone presses F9.
    assert [(style_of(p), "".join(p.xpath(".//w:hyperlink//w:t/text()"))) for p in entries] == [
        ("TOC1" if style == "Heading1" else "TOC2", text) for style, text in HEADINGS]
    assert begin.xpath("./w:r/w:instrText/text()") == [' TOC \\o "1-2" \\h \\z \\u ']
    assert begin.xpath("./w:r/w:fldChar/@w:fldCharType") == ["begin", "separate"]
    assert end.xpath("./w:r/w:fldChar/@w:fldCharType") == ["end"]
    bookmarks = {b.get(qn("w:name")): b.getparent() for b in body.iter(qn("w:bookmarkStart"))}
    for entry in entries:  # each entry links to its heading
        (anchor,) = entry.xpath("./w:hyperlink/@w:anchor")
        assert shown(word, bookmarks[anchor]) == "".join(entry.xpath(".//w:t/text()"))
    assert style_of(begin.getprevious()) == "TOCHeading"
    assert end.getnext().xpath(".//w:br[@w:type='page']")


def test_a_signed_document_s_contents_list_its_signature_page_and_certificate():
    word = read(export(execution_record=execution()))
    entries = ["".join(p.xpath(".//w:hyperlink//w:t/text()")) for p in word.element.body.xpath(
        "./w:p[w:pPr/w:pStyle/@w:val='TOC1'][w:hyperlink]")]
    assert entries[-2:] == ["Signature page", "Certificate of completion"]


def test_sections_and_clauses_are_headings_numbered_by_word_in_order():
    word = read(export())
    headings = [(style_of(p), shown(word, p)) for p in word.element.body.xpath("./w:p")
                if style_of(p) in ("Heading1", "Heading2")]
    assert headings == HEADINGS
    assert not any(text_of(p)[:1].isdigit() for p in word.element.body.xpath("./w:p")
                   if style_of(p) in ("Heading1", "Heading2"))  # the numbers are Word's, not typed
    numbering = {style.style_id: (style.element.xpath("./w:pPr/w:numPr/w:numId/@w:val"),
                                  style.element.xpath("./w:pPr/w:numPr/w:ilvl/@w:val") or ["0"])
                 for style in word.styles if style.style_id in ("Heading1", "Heading2")}
    (list_id,) = numbering["Heading1"][0]
    assert numbering == {"Heading1": ([list_id], ["0"]), "Heading2": ([list_id], ["1"])}  # one list, two levels


@pytest.mark.parametrize("heading, text", [
    ("1.1  Scope", EN_SCOPE), ("1.2  Response times", HE_RESPONSE), ("2.1  Due date", RU_PAYMENT),
    ("2.2  Term", PL_TERM), ("3.1  Notices", SPACED),
])
def test_every_clause_text_comes_back_exactly(heading, text):
    lines = body_paragraphs_of(read(export()), heading)
    assert "\n".join(lines) == text
    assert len(lines) == text.count("\n") + 1


def test_every_text_element_preserves_its_spaces():
    with zipfile.ZipFile(io.BytesIO(export())) as package:
        xml = package.read("word/document.xml").decode()
    assert xml.count("<w:t>") == 0 and xml.count("<w:t ") == xml.count('<w:t xml:space="preserve">') > 0
    assert '<w:t xml:space="preserve">  Notices are given in writing.  </w:t>' in xml


def test_text_xml_cannot_hold_is_shown_as_a_replacement_character_not_an_error():
    document = agreement().with_clause_text("services.scope", "Line one\x0bline two")
    word = read(agreement_docx(document, export_info(), []))
    assert body_paragraphs_of(word, "1.1  Scope") == ["Line one\ufffdline two"]


def test_tables_follow_their_section_with_a_caption_and_strays_come_last():
    word = read(export())
    seen = blocks(word)
    rate_card = seen.index("Rate card")
    assert seen[rate_card - 1] == PL_TERM and seen[rate_card + 1] == "<table Task code | Description | Price>"
    assert seen[rate_card + 2] == "3  General"
    assert seen[-2:] == ["Annex contacts", "<table Stage | Provider>"]

    table = word.tables[0]
    assert [[cell.text for cell in row.cells] for row in table.rows] == [
        ["Task code", "Description", "Price"], ["T-01", "Support hour", "€ 80.00"], ["T-02", "On-site visit", "€ 300.00"],
    ]
    assert table.style.name == "Table Grid"
    rows = table._tbl.xpath("./w:tr")
    assert [bool(row.xpath("./w:trPr/w:tblHeader")) for row in rows] == [True, False, False]
    assert style_of(table._tbl.getprevious()) == "Caption"


@pytest.mark.parametrize("signed", [False, True])
def test_no_table_row_splits_across_pages_and_only_header_rows_repeat(signed):
    """Agreement tables and the certificate's alike: every row is kept on one page (w:cantSplit)."""
    body = read(export(execution_record=execution() if signed else None)).element.body
    tables = body.xpath("./w:tbl")
    assert len(tables) == (4 if signed else 2)
    for table in tables:
        rows = table.xpath("./w:tr")
        assert all(row.xpath("./w:trPr/w:cantSplit") for row in rows)
        assert [bool(row.xpath("./w:trPr/w:tblHeader")) for row in rows] == [True] + [False] * (len(rows) - 1)
        # Word's order inside w:trPr: cantSplit before tblHeader.
        assert [child.tag.split("}")[1] for child in rows[0].xpath("./w:trPr/*")] == ["cantSplit", "tblHeader"]


@pytest.mark.parametrize("language, paper, width", [("en", "A4", 11906), ("tl", "Letter", 12240)])
def test_the_page_is_the_papers_with_inch_margins_and_tables_fill_the_text_width(language, paper, width):
    word = read(export(language=language, paper=paper))
    section = word.sections[0]
    assert section.page_width.twips == width
    assert [section.left_margin.twips, section.right_margin.twips, section.top_margin.twips,
            section.bottom_margin.twips] == [1440] * 4
    grid = [int(w) for w in word.element.body.xpath("./w:tbl[1]/w:tblGrid/w:gridCol/@w:w")]
    assert width - 2 * 1440 - len(grid) < sum(grid) <= width - 2 * 1440


def test_a_table_prints_with_its_weights_and_size_and_a_cell_line_per_paragraph():
    contacts = Table("contacts", "services", "Contacts", ("Stage and party", "Contact"),
                     (("Billing\nClient", "Ana García\nprocurement.department.head@ministerstwo-cyfryzacji.gov.pl"),),
                     weights=(2, 7), size=20)
    word = read(agreement_docx(agreement(), export_info(), [contacts]))
    table = word.element.body.xpath("./w:tbl")[0]
    widths = [int(w) for w in table.xpath("./w:tblGrid/w:gridCol/@w:w")]
    assert widths == [(11906 - 2880) * 2 // 9, (11906 - 2880) * 7 // 9]
    cell = table.xpath("./w:tr[2]/w:tc[2]")[0]
    assert [text_of(p) for p in cell.xpath("./w:p")] == [
        "Ana García", "procurement.department.head@ministerstwo-cyfryzacji.gov.pl"]
    assert set(table.xpath(".//w:r/w:rPr/w:sz/@w:val")) == {"20"}
    assert len(table.xpath(".//w:r")) == len(table.xpath(".//w:r[w:rPr/w:sz]"))


def test_a_telephone_number_in_a_hebrew_table_keeps_its_digit_groups_in_order():
    """A line of digit groups only runs left to right (a right-to-left one would show "02 01 555 42 48+");
    a number alone keeps the table's direction, and Hebrew lines run right to left."""
    contacts = Table("contacts", "services", "אנשי קשר", ("שלב וצד", "איש קשר"),
                     (("חיובים\nהלקוח", "אנה גרסיה\nap@globex.example\n+48 42 555 01 02\n5"),))
    word = read(agreement_docx(agreement(), export_info(language="he"), [contacts]))
    cell = word.element.body.xpath("./w:tbl[1]/w:tr[2]/w:tc[2]")[0]
    assert [(text_of(p), bool(p.xpath("./w:pPr/w:bidi"))) for p in cell.xpath("./w:p")] == [
        ("אנה גרסיה", True), ("ap@globex.example", False), ("+48 42 555 01 02", False), ("5", True)]


def test_header_shows_title_and_revision_and_footer_counts_pages_with_fields():
    word = read(export())
    section = word.sections[0]
    assert [p.text for p in section.header.paragraphs] == ["Website maintenance agreement · Revision 3"]
    assert [p.text for p in section.footer.paragraphs] == ["Page 1 of 1"]
    footer = section.footer._element
    assert [i.strip() for i in footer.xpath(".//w:instrText/text()")] == ["PAGE", "NUMPAGES"]
    assert footer.xpath(".//w:fldChar/@w:fldCharType") == ["begin", "separate", "end"] * 2


def test_document_properties_carry_the_identifier_the_verify_command_reads():
    properties = read(export()).core_properties
    assert properties.identifier == f"urn:accord:agreement:42:revision:3:sha256:{HASH}"
    assert (properties.title, properties.author, properties.revision) == ("Website maintenance agreement", PROVIDER, 3)
    assert properties.created == properties.modified == AT
    assert PROVIDER in properties.subject and CLIENT in properties.subject


def rtl_runs(p) -> list[str]:
    return ["".join(run.xpath(".//w:t/text()")) for run in p.xpath(".//w:r[w:rPr/w:rtl]")]


def test_english_document_marks_only_the_hebrew_paragraph_right_to_left():
    word = read(export())
    body = word.element.body
    assert [text_of(p) for p in body.xpath(".//w:p[w:pPr/w:bidi]")] == [HE_RESPONSE]
    [hebrew] = body.xpath(".//w:p[w:pPr/w:bidi]")
    # Only the Hebrew stretches are right-to-left runs: "4" stays a number written left to right.
    assert rtl_runs(hebrew) == ["הספק יגיב לכל תקלה בתוך", "שעות עבודה"]
    assert text_of(hebrew) == HE_RESPONSE
    assert body.xpath(".//w:r[w:rPr/w:rtl]") == hebrew.xpath(".//w:r[w:rPr/w:rtl]")
    assert not body.xpath("./w:sectPr/w:bidi") and not body.xpath(".//w:bidiVisual")


def test_hebrew_document_gives_each_paragraph_the_direction_of_its_text():
    word = read(export(language="he"))
    body = word.element.body
    paragraphs = body.xpath(".//w:p")  # table cells included
    for p in paragraphs:
        # A paragraph whose first letter is Latin (an English party name) or Cyrillic runs left
        # to right; Hebrew ones, and those with no letter (a number, a page break), right to left.
        first = next((c for c in text_of(p) if c.isalpha()), None)
        starts_ltr = first is not None and unicodedata.bidirectional(first) == "L"
        assert bool(p.xpath("./w:pPr/w:bidi")) == (not starts_ltr), text_of(p)
    assert any(p.xpath("./w:pPr/w:bidi") for p in paragraphs) and not all(p.xpath("./w:pPr/w:bidi") for p in paragraphs)
    assert body.xpath("./w:sectPr/w:bidi")
    assert len(body.xpath("./w:tbl/w:tblPr/w:bidiVisual")) == len(body.xpath("./w:tbl")) == 2
    assert not body.xpath(".//w:p[w:pPr/w:bidi][starts-with(normalize-space(.), 'Northwind')]")
    section = word.sections[0]
    assert title_page(word)[1] == "בין"
    [footer] = section.footer._element.xpath("./w:p")
    assert Paragraph(footer, None).text == "עמוד 1 מתוך 1" and footer.xpath("./w:pPr/w:bidi")
    assert rtl_runs(footer) == ["עמוד", "מתוך"]  # the page numbers are fields, not right-to-left runs
    assert body_paragraphs_of(word, "2.2  Term") == [PL_TERM]  # the parties' words are never translated
    assert section.header.paragraphs[0].text == "Website maintenance agreement · גרסה 3"


def test_a_hebrew_sentence_keeps_numbers_and_latin_words_in_their_own_runs():
    sentence = "זמן התגובה ל-SLA הוא 99.9% בתוך 1.5 שעות (ראו סעיף 4.2)."
    document = Document(sections=(Section("s", "שירותים", (clause("s.a", "זמינות", sentence),)),))
    word = read(agreement_docx(document, export_info(language="he"), []))
    [p] = [p for p in word.element.body.xpath("./w:p") if text_of(p) == sentence]
    assert p.xpath("./w:pPr/w:bidi")
    runs = [("".join(r.xpath(".//w:t/text()")), bool(r.xpath("./w:rPr/w:rtl"))) for r in p.xpath("./w:r")]
    assert "".join(text for text, _ in runs) == sentence
    assert [text for text, rtl in runs if rtl] == ["זמן התגובה ל", "הוא", "בתוך", "שעות (ראו סעיף"]
    assert all(not rtl for text, rtl in runs if any(c.isdigit() or c.isascii() and c.isalpha() for c in text))
    assert blocks(word)[blocks(word).index("1  שירותים") + 1] == "1.1  זמינות"


@pytest.mark.parametrize("language, between, footer, contents", [
    ("es", "entre", "Página 1 de 1", "Índice"), ("pl", "pomiędzy", "Strona 1 z 1", "Spis treści"),
    ("ru", "между", "Страница 1 из 1", "Содержание"), ("tl", "sa pagitan ng", "Pahina 1 ng 1", "Nilalaman"),
    ("he", "בין", "עמוד 1 מתוך 1", "תוכן העניינים"), ("xx", "between", "Page 1 of 1", "Contents"),
])
def test_labels_are_in_the_agreement_language_with_english_for_unknown_ones(language, between, footer, contents):
    word = read(export(language=language))
    assert title_page(word)[1] == between
    assert [p.text for p in word.sections[0].footer.paragraphs] == [footer]
    assert contents in blocks(word)
    assert body_paragraphs_of(word, "2.1  Due date") == [RU_PAYMENT]


@pytest.mark.parametrize("language, words", [
    ("ru", ["Страница подписей", "Исполнитель: " + PROVIDER, "ФИО: Maria Santos", "Должность: Managing Director",
            "Подписано электронной подписью", "Сертификат о заключении", "Как проверить"]),
    ("pl", ["Strona z podpisami", "Usługodawca: " + PROVIDER, "Imię i nazwisko: Maria Santos",
            "Stanowisko: Managing Director", "Podpisano elektronicznie", "Certyfikat zawarcia umowy",
            "Jak zweryfikować"]),
    # In Hebrew a left-to-right mark keeps "Ltd." with the name, a right-to-left one the colon with its label.
    ("he", ["עמוד החתימות", "נותן השירותים: " + PROVIDER + "\u200e", "שם:\u200f Maria Santos",
            "תפקיד:\u200f Managing Director", "נחתם באופן אלקטרוני", "תעודת השלמה", "כיצד לאמת"]),
])
def test_the_signed_document_speaks_the_agreement_language(language, words):
    word = read(export(language=language, execution_record=execution()))
    seen = blocks(word)
    assert all(line in seen for line in words), [line for line in words if line not in seen]
    assert "Signature page" not in seen and "How to verify" not in seen
    footer = [p.text for p in word.sections[0].footer.paragraphs]
    assert footer[1].endswith(HASH) and not footer[1].startswith("Executed text")


def test_same_inputs_give_identical_bytes_and_a_new_revision_hash_changes_them():
    first, second = export(), export()
    assert first == second
    other = export(revision_hash="f0" * 32)
    assert other != first
    with zipfile.ZipFile(io.BytesIO(first)) as package:
        assert {entry.date_time for entry in package.infolist()} == {(2025, 3, 1, 12, 30, 4)}


# The signed export ------------------------------------------------------------------------

def signed() -> docx.document.Document:
    return read(export(execution_record=execution()))


def heading_at(seen: list[str], heading: str) -> int:
    """Where a page's heading stands: its last mention (the contents list it too)."""
    return len(seen) - 1 - seen[::-1].index(heading)


def page_after(seen: list[str], heading: str) -> list[str]:
    start = heading_at(seen, heading)
    end = seen.index("<page>", start) if "<page>" in seen[start:] else len(seen)
    return seen[start:end]


def test_clean_export_has_no_signature_page_certificate_or_executed_hash():
    word = read(export())
    text = "\n".join(blocks(word))
    assert "Signature page" not in text and "Certificate of completion" not in text
    assert len(word.element.body.xpath(".//w:br[@w:type='page']")) == 2


def test_signature_page_shows_each_signer_provider_first_and_voids_a_stale_signature():
    seen = blocks(signed())
    assert seen[heading_at(seen, "Signature page") - 1] == "<page>"
    page = page_after(seen, "Signature page")
    assert page == [
        "Signature page",
        f"Provider: {PROVIDER}",
        "Name: Maria Santos", "Title: Managing Director", "E-mail: provider@example.com",
        "Signed at: 2025-03-03 12:35:05 UTC", "IP address: 203.0.113.5",
        "Revision signed: 3", f"SHA-256 signed: {HASH}",
        "Signed electronically", "Consent to sign electronically:", CONSENT,
        f"Client: {CLIENT}",
        "VOID — signed an earlier revision",
        "Name: Olga Ivanova", "Title: Chief Operating Officer", "E-mail: signer@example.com",
        "Signed at: 2025-03-03 12:30:05 UTC", "IP address: 198.51.100.7",
        "Revision signed: 2", f"SHA-256 signed: {OLD_HASH}",
        "Signed electronically", "Consent to sign electronically:", CONSENT,
    ]


def test_certificate_lists_events_in_order_every_revision_and_how_to_verify():
    word = signed()
    seen = blocks(word)
    certificate = page_after(seen, "Certificate of completion")
    assert seen[heading_at(seen, "Certificate of completion") - 1] == "<page>"
    assert f"Executed text SHA-256: {HASH}" in certificate
    assert "Executed at: 2025-03-03 13:30:05 UTC" in certificate
    assert f"Audit chain head: {'c3' * 32}" in certificate
    assert certificate[-1] == f"Upload this file at {VERIFY_URL} or run `flask --app app verify FILE`"

    events, revisions = word.tables[-2], word.tables[-1]
    assert [[cell.text for cell in row.cells] for row in events.rows] == [
        ["Time (UTC)", "Person", "IP address", "Event"],
        ["2025-02-26 12:30:05 UTC", "Maria Santos <provider@example.com>", "203.0.113.5", "Shared the draft with the client"],
        ["2025-03-03 12:30:05 UTC", "Olga Ivanova <signer@example.com>", "198.51.100.7", "Signed revision 2 for the client"],
        ["2025-03-03 13:30:05 UTC", "system", "—", "Agreement executed"],
    ]
    assert [[cell.text for cell in row.cells] for row in revisions.rows] == [
        ["No.", "Date (UTC)", "Author", "Message", "SHA-256"],
        ["2", "2025-02-28 12:30:05 UTC", "Olga Ivanova", "Shorter payment term", OLD_HASH],
        ["3", "2025-03-01 12:30:05 UTC", "Maria Santos", "Response times in Hebrew", HASH],
    ]


def test_certificate_leaves_out_an_empty_audit_head():
    word = read(export(execution_record=replace(execution(), audit_head="")))
    assert not [line for line in blocks(word) if line.startswith("Audit chain head")]


def test_signed_footer_carries_the_full_executed_hash_on_every_page():
    word = signed()
    assert [p.text for p in word.sections[0].footer.paragraphs] == ["Page 1 of 1", f"Executed text SHA-256: {HASH}"]
    # One section, so one default footer: every page shows it.
    assert len(word.sections) == 1
    assert word.element.body.xpath("./w:sectPr/w:footerReference/@w:type") == ["default"]


def test_signed_export_is_deterministic_and_differs_from_the_clean_one():
    assert export(execution_record=execution()) == export(execution_record=execution())
    assert export(execution_record=execution()) != export()


def test_signed_hebrew_export_translates_the_signature_page():
    seen = blocks(read(export(language="he", execution_record=execution())))
    assert "עמוד החתימות" in seen and "תעודת השלמה" in seen
    assert "בטל — נחתמה גרסה קודמת" in seen
    # A right-to-left mark after the colon keeps "כתובת IP:" and the address in reading order.
    assert "כתובת IP:\u200f 198.51.100.7" in seen
    assert CONSENT in seen  # the statement the signer accepted is shown as accepted
