"""A stored agreement's documents speak the agreement's language: the signed and redline DOCX
(downloaded, and exported by the CLI, outside any request), the calendar feed and the timeline.

The demo's executed agreement is given another language for each test; its clause texts stay
English (plus one Hebrew sentence), which is what direction by content is about: English
paragraphs of a Hebrew agreement run left to right, its own words right to left.
"""
from __future__ import annotations

import io
import re
import unicodedata
import zipfile

import icalendar
import pytest
from lxml import etree
from sqlalchemy import select

from authoring.demo import DEMO_PASSWORD, DEMO_TITLE_EXECUTED, create_demo
from authoring.document.direction import kept_in_order, rtl_pieces
from authoring.extensions import db
from authoring.models import Agreement

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NS = {"w": W}


@pytest.fixture
def executed(app):
    """The id of the demo's executed agreement (two sides signed, reviewed, amended)."""
    with app.app_context():
        assert create_demo()
        return db.session.scalar(select(Agreement.id).where(Agreement.title == DEMO_TITLE_EXECUTED))


def set_language(app, agreement_id: int, language: str) -> None:
    with app.app_context():
        db.session.get(Agreement, agreement_id).language = language
        db.session.commit()


PHONE = re.compile(r"\+?[\d ]*\d \d[\d ]*")


def body_of(data: bytes):
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        return etree.fromstring(package.read("word/document.xml")).find(f"{{{W}}}body")


def text_of(p) -> str:
    return "".join(p.xpath(".//w:t/text() | .//w:delText/text()", namespaces=NS))


def lines(body) -> list[str]:
    return [text_of(p) for p in body.iter(f"{{{W}}}p")]


def assert_direction_by_content(body) -> None:
    """w:bidi exactly on the paragraphs whose first letter is not left-to-right (P2-P3; none: the document's),
    but for a telephone number in a table (digit groups, no letter), which reads left to right in any language."""
    for p in body.iter(f"{{{W}}}p"):
        first = next((c for c in text_of(p) if c.isalpha()), None)
        starts_ltr = first is not None and unicodedata.bidirectional(first) == "L"
        if first is None and p.xpath("ancestor::w:tc", namespaces=NS) and PHONE.fullmatch(text_of(p)):
            starts_ltr = True
        assert bool(p.xpath("./w:pPr/w:bidi", namespaces=NS)) == (not starts_ltr), text_of(p)


@pytest.mark.parametrize("text, pieces", [
    ("בתוך 14 ימים.", [("בתוך", True), (" 14 ", False), ("ימים", True), (".", False)]),
    ("שָׁלוֹם world", [("שָׁלוֹם", True), (" world", False)]),  # the points stay with their letters
    ("(ראו סעיף 4.2)", [("(", False), ("ראו סעיף", True), (" 4.2)", False)]),
    ("זמינות של 99.9% ל-SLA", [("זמינות של", True), (" 99.9% ", False), ("ל", True), ("-SLA", False)]),
    ("English only, 12.5%.", [("English only, 12.5%.", False)]),
    ("", []),
])
def test_right_to_left_stretches_leave_numbers_and_latin_words_out(text, pieces):
    assert rtl_pieces(text) == pieces


@pytest.mark.parametrize("text, context, kept", [
    ("Globex Logistics S.A.", "rtl", "Globex Logistics S.A.\u200e"),
    ("Maria Santos", "rtl", "Maria Santos"),  # ends in a letter: nothing to keep
    ("גלובקס בע״מ.", "ltr", "גלובקס בע״מ.\u200f"),
    ("Globex Logistics S.A.", "ltr", "Globex Logistics S.A."),
])
def test_a_name_inside_a_sentence_running_the_other_way_keeps_its_punctuation(text, context, kept):
    assert kept_in_order(text, context) == kept


def test_a_hebrew_agreements_signed_docx_runs_by_content_with_hebrew_words(app, executed, login):
    set_language(app, executed, "he")
    client = login(app.test_client(), "provider@example.com", DEMO_PASSWORD)
    response = client.get(f"/agreements/{executed}/signed.docx")
    assert response.status_code == 200
    body = body_of(response.get_data())
    assert body.xpath("./w:sectPr/w:bidi", namespaces=NS)  # the section runs right to left
    assert_direction_by_content(body)
    seen = lines(body)
    english = [p for p in body.iter(f"{{{W}}}p") if text_of(p).startswith("Northwind IT Services")]
    assert english and not any(p.xpath("./w:pPr/w:bidi", namespaces=NS) for p in english)
    assert {"בין", "לבין", "תוכן העניינים", "עמוד החתימות", "תעודת השלמה", "כיצד לאמת"} <= set(seen)
    # The certificate's events, in the agreement's language (the latest version is amendment 1).
    assert "שני הצדדים חתמו: תיקון 1 נכרת" in seen and "פתיחת התיקון" in seen
    assert not {"Signature page", "Certificate of completion", "How to verify", "between"} & set(seen)
    # The English clause with a Hebrew sentence at its end stays left to right; only the Hebrew is a w:rtl run.
    [mixed] = [p for p in body.iter(f"{{{W}}}p") if "גיבוי יומי מוצפן" in text_of(p)]
    assert not mixed.xpath("./w:pPr/w:bidi", namespaces=NS)
    assert ["".join(r.xpath(".//w:t/text()", namespaces=NS)) for r in mixed.xpath(".//w:r[w:rPr/w:rtl]",
                                                                                    namespaces=NS)] == ["גיבוי יומי מוצפן"]


def test_the_cli_exports_a_hebrew_redline_with_a_right_to_left_section(app, executed, runner, tmp_path):
    set_language(app, executed, "he")
    target = tmp_path / "redline.docx"
    result = runner.invoke(args=["export", "redline", "--agreement", str(executed), "--from", "1", "--to", "2",
                                 "-o", str(target)])
    assert result.exit_code == 0, result.output
    body = body_of(target.read_bytes())
    assert body.xpath("./w:sectPr/w:bidi", namespaces=NS)
    assert_direction_by_content(body)
    assert "בין" in lines(body) and "תוכן העניינים" in lines(body)  # the document's own words
    # The summary, a comment on the title: a direction mark after each English name keeps its
    # full stop with it in the Hebrew sentence.
    with zipfile.ZipFile(target) as package:
        comments = etree.fromstring(package.read("word/comments.xml"))
    summary = ["".join(p.xpath(".//w:t/text()", namespaces=NS)) for p in comments.iter(f"{{{NS['w']}}}p")]
    assert summary[0] == "השוואת שינויים: גרסה 1 ← גרסה 2"
    assert any(line.startswith("נותן השירותים: Northwind IT Services Ltd.\u200e; הלקוח: ") for line in summary)


@pytest.mark.parametrize("language, words", [
    ("ru", ["между", "Содержание", "Страница 1 из 1"]),
    ("pl", ["pomiędzy", "Spis treści", "Strona 1 z 1"]),
])
def test_the_cli_exports_russian_and_polish_documents_with_their_words(app, executed, runner, tmp_path, language,
                                                                       words):
    set_language(app, executed, language)
    target = tmp_path / "agreement.docx"
    result = runner.invoke(args=["export", "docx", "--agreement", str(executed), "-o", str(target)])
    assert result.exit_code == 0, result.output
    with zipfile.ZipFile(target) as package:
        footer = etree.fromstring(package.read("word/footer1.xml"))
    seen = lines(body_of(target.read_bytes())) + ["".join(footer.xpath(".//w:t/text()", namespaces=NS))]
    assert all(word in seen for word in words), seen[:12]
    assert "Contents" not in seen and "between" not in seen
    body = body_of(target.read_bytes())
    assert not body.xpath("./w:sectPr/w:bidi | .//w:bidiVisual", namespaces=NS)


def test_a_polish_agreements_calendar_feed_and_timeline_speak_polish(app, executed, login):
    set_language(app, executed, "pl")
    client = login(app.test_client(), "client@example.com", DEMO_PASSWORD)
    page = client.post("/account/calendar", data={"csrf_token": csrf(client), "action": "create"})
    path = re.search(r'data-testid="feed-url">https?://[^/<]+([^<]+)<', page.get_data(as_text=True)).group(1)
    raw = app.test_client().get(path).get_data()
    events = [event for event in icalendar.Calendar.from_ical(raw).walk("VEVENT")
              if str(event["UID"]).startswith(f"agreement-{executed}-")]  # the client's other agreements aside
    summaries = {str(event["SUMMARY"]) for event in events}
    assert "Kamień milowy: Onboarding" in summaries
    assert f"Przegląd: {DEMO_TITLE_EXECUTED}" in summaries and f"Koniec umowy: {DEMO_TITLE_EXECUTED}" in summaries
    assert all(event["SUMMARY"].params.get("LANGUAGE") == "pl" for event in events)
    assert any(str(event.get("DESCRIPTION", "")).startswith("Okresowy przegląd: „") for event in events)

    reviews = client.get(f"/agreements/{executed}/reviews").get_data(as_text=True)
    svg = etree.fromstring(re.search(r"<svg.*?</svg>", reviews, re.S).group(0).encode())
    texts = [text.text for text in svg.iter("{http://www.w3.org/2000/svg}text")]
    assert "Dziś" in texts and "Kamień milowy" in texts
    desc = svg.find("{http://www.w3.org/2000/svg}desc").text
    assert desc.startswith("Okres obowiązywania ") and "Dziś " in desc
    assert re.search(r"\d+ (kamień milowy|kamienie milowe|kamieni milowych)", desc)
    assert svg.find("{http://www.w3.org/2000/svg}title").text == "Oś czasu umowy"
    assert svg.get("lang") == "pl"  # the words are the agreement's language, whatever the page's
    assert '<html lang="en"' in reviews  # the interface stays in the reader's language


def csrf(client) -> str:
    from conftest import csrf_token

    return csrf_token(client, "/account/calendar")
