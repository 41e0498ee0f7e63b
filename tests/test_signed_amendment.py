"""An amendment's signed DOCX says on its title page that it is Amendment N, from when, and what
it changed; its certificate covers the original's signing too. Read back from the downloads of
the demo's executed and amended agreements, in English and in Hebrew."""
from __future__ import annotations

import io
import re

import docx
from babel.dates import format_date
from sqlalchemy import select
import test_exports

from authoring.demo import DEMO_TITLES
from authoring.extensions import db
from authoring.models import Agreement, Amendment, Revision
from authoring.revisions.services import revision_document

demo, member = test_exports.demo, test_exports.member  # the export tests' fixtures: the demo, a member's client
HEBREW_LETTER = re.compile(r"[\u0590-\u05ff]")


def paragraphs_of(data: bytes) -> list[str]:
    return [p.text for p in docx.Document(io.BytesIO(data)).paragraphs]


def title_page(paragraphs: list[str], contents: str) -> list[str]:
    """The title page's paragraphs: everything before the contents heading."""
    return paragraphs[:paragraphs.index(contents)]


def amendment_facts(app, agreement_id: int) -> dict:
    """Amendment 1 of an agreement as the database holds it, and the clauses whose text it changed."""
    with app.app_context():
        amendment = db.session.scalar(select(Amendment).where(Amendment.agreement_id == agreement_id,
                                                              Amendment.number == 1))
        base, amended = revision_document(amendment.base_revision), revision_document(amendment.revision)
        before = {c.key: c.text for c in base.clauses()}
        changed = [(number, clause.title) for _n, _s, clauses in amended.numbered() for number, clause in clauses
                   if before.get(clause.key) != clause.text]
        original = db.session.get(Revision, amendment.base_revision_id)
        return {"effective_on": amendment.effective_on, "changed": changed, "base": original.number,
                "base_hash": original.hash, "executed_at": db.session.get(Agreement, agreement_id).executed_at}


def test_an_amendments_signed_document_says_which_amendment_from_when_and_what_it_changed(app, demo, member):
    client = member("signer@example.com")
    amended = client.get(f"/agreements/{demo}/versions/1/signed.docx").get_data()
    original = client.get(f"/agreements/{demo}/versions/0/signed.docx").get_data()
    facts = amendment_facts(app, demo)
    assert facts["changed"], "the demo's amendment changes the availability clause"

    page = title_page(paragraphs_of(amended), "Contents")
    effective = format_date(facts["effective_on"], "long", locale="en_GB")  # "6 December 2026"
    assert page.index("Amendment 1") < page.index(f"Effective from {effective}") < page.index(
        next(line for line in page if line.startswith("Revision ")))
    clauses = "; ".join(f"{number} {title}" for number, title in facts["changed"])
    assert (f"Clause changed: {clauses}" if len(facts["changed"]) == 1 else f"Clauses changed: {clauses}") in page
    assert "Term changed: Availability target (%): 99.5% → 99.7%" in page
    # The original's title page says nothing of an amendment.
    assert not [line for line in title_page(paragraphs_of(original), "Contents")
                if "Amendment" in line or "Effective from" in line]
    # Byte for byte the same when downloaded again.
    assert client.get(f"/agreements/{demo}/versions/1/signed.docx").get_data() == amended


def test_an_amendments_certificate_covers_the_original_signing(app, demo, member):
    client = member("signer@example.com")
    paragraphs = paragraphs_of(client.get(f"/agreements/{demo}/versions/1/signed.docx").get_data())
    facts = amendment_facts(app, demo)
    certificate = paragraphs[paragraphs.index("Certificate of completion"):]
    section = certificate[certificate.index("Amendment 1"):certificate.index("Events")]
    effective = format_date(facts["effective_on"], "long", locale="en_GB")
    assert f"Effective from: {effective}" in section
    assert f"Amends revision {facts['base']}, SHA-256: {facts['base_hash']}" in section
    assert any(line.startswith("Reason: Review 1: availability target") for line in section)
    earlier = section[section.index("Executed before this amendment"):]
    assert earlier[1] == "Original agreement"
    assert f"Executed at: {facts['executed_at']:%Y-%m-%d %H:%M:%S} UTC" in earlier
    assert f"Revision signed: {facts['base']}" in earlier and f"SHA-256 signed: {facts['base_hash']}" in earlier
    signed = [line for line in earlier if ": signed by " in line]
    assert len(signed) == 2
    assert signed[0].startswith("Provider: Northwind IT Services Ltd.: signed by Tomasz Nowak, Chief Operating "
                                "Officer, on ")
    assert signed[1].startswith("Client: Globex Logistics S.A.: signed by Olga Ivanova, Chief Financial Officer, on ")
    # The original's own certificate has no such section.
    original = paragraphs_of(client.get(f"/agreements/{demo}/versions/0/signed.docx").get_data())
    assert "Executed before this amendment" not in original


def test_the_hebrew_amendment_says_it_in_hebrew_with_a_hebrew_date(app, demo, member):
    with app.app_context():
        hebrew = db.session.scalar(select(Agreement.id).where(Agreement.title == DEMO_TITLES["he"]))
    client = member("signer@example.com")
    paragraphs = paragraphs_of(client.get(f"/agreements/{hebrew}/versions/1/signed.docx").get_data())
    facts = amendment_facts(app, hebrew)
    page = title_page(paragraphs, "תוכן העניינים")
    effective = format_date(facts["effective_on"], "long", locale="he_IL")
    assert HEBREW_LETTER.search(effective)  # the month in Hebrew
    assert "תיקון מס' 1" in page and f"בתוקף מ־{effective}" in page
    number, title = facts["changed"][0]
    assert f"סעיף ששונה:\u200f {number} {title}" in page
    assert any(line.startswith("תנאי ששונה:\u200f ") and "99.5%" in line and "99.7%" in line and "←" in line for line in page)
    for english in ("Amendment", "Effective", "Clause", "Term"):
        assert not [line for line in page if english in line], english
    certificate = paragraphs[paragraphs.index("תעודת השלמה"):]
    assert "ההסכם המקורי" in certificate and "נחתם לפני תיקון זה" in certificate
    assert any("נחתם על ידי Tomasz Nowak" in line for line in certificate)
