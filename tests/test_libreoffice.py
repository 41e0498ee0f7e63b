"""The Hebrew demo agreement's signed Word document opens in LibreOffice and reads in Hebrew.

LibreOffice (headless) converts the DOCX to text, as a reader's office suite would open
it: the conversion must succeed and what it reads must be the Hebrew clause text, with no
English clause text. `soffice` comes from Debian's libreoffice-writer-nogui (.ci/run
installs it); without it the test is skipped, or fails under REQUIRE_LIBREOFFICE=1.
"""
from __future__ import annotations

import os
import re
import shutil
import subprocess

import pytest
from sqlalchemy import select

from authoring.demo import DEMO_TITLES, create_demo
from authoring.demo_terms import demo_terms
from authoring.export.documents import executed_docx, revision_docx
from authoring.extensions import db
from authoring.interview.services import set_terms
from authoring.models import Agreement, User
from authoring.revisions.services import cut_revision

pytestmark = pytest.mark.slow


def _soffice() -> str:
    found = shutil.which("soffice")
    if found is None:
        if os.environ.get("REQUIRE_LIBREOFFICE") == "1":
            pytest.fail("REQUIRE_LIBREOFFICE=1 but there is no soffice (apt-get install libreoffice-writer-nogui)")
        pytest.skip("LibreOffice (soffice) is not installed")
    return found


def test_the_hebrew_signed_document_opens_in_libreoffice_and_reads_in_hebrew(app, backend, tmp_path):
    if backend != "sqlite":
        pytest.skip("the document is the same on either database; checked once")
    soffice = _soffice()
    with app.app_context():
        assert create_demo()
        agreement = db.session.scalar(select(Agreement).where(Agreement.title == DEMO_TITLES["he"]))
        source = tmp_path / "signed.docx"
        source.write_bytes(executed_docx(agreement))
    profile = tmp_path / "profile"  # a profile of its own: no lock shared with another LibreOffice
    result = subprocess.run([soffice, f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to",
                             "txt:Text (encoded):UTF8", "--outdir", str(tmp_path), str(source)],
                            capture_output=True, text=True, timeout=180)
    text_file = tmp_path / "signed.txt"
    assert result.returncode == 0 and text_file.exists(), result.stdout + result.stderr
    text = text_file.read_text(encoding="utf-8-sig")
    assert DEMO_TITLES["he"] in text
    assert "נותן השירותים" in text and "הלקוח" in text and "סודיות" in text
    for english in ("The Provider", "the Client", " shall ", "Confidentiality"):
        assert english not in text, english


LONG_ADDRESS = "procurement.department.head@ministerstwo-cyfryzacji.gov.pl"


def test_a_long_e_mail_address_stays_whole_and_the_paper_follows_the_language(app, backend, make_user, make_agreement,
                                                                              tmp_path):
    """The contacts table as LibreOffice lays it out (with its fallback for Cambria, DejaVu Serif, wider
    than Word's): the address whole on one line, not cut at its hyphen or mid-word; the English
    agreement on A4, the Tagalog one on US Letter."""
    if backend != "sqlite":
        pytest.skip("the document is the same on either database; checked once")
    soffice = _soffice()
    owner = make_user("owner@example.com")
    sources = {}
    for language in ("en", "tl"):
        agreement_id = make_agreement(owner, title=f"Support ({language})", language=language)
        with app.test_request_context(method="POST"):
            agreement, user = db.session.get(Agreement, agreement_id), db.session.get(User, owner.id)
            terms = demo_terms(language, agreement.title)
            terms["parties"]["client"]["contacts"]["billing"]["email"] = LONG_ADDRESS
            set_terms(agreement, user, terms, "a long address")
            cut_revision(agreement, user, "First draft")
            sources[language] = tmp_path / f"{language}.docx"
            sources[language].write_bytes(revision_docx(agreement))
    profile = tmp_path / "profile"
    result = subprocess.run([soffice, f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", "pdf",
                             "--outdir", str(tmp_path), *map(str, sources.values())],
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    for language, size in (("en", (595.3, 841.9)), ("tl", (612.0, 792.0))):  # A4 and US Letter, in points
        pdf = tmp_path / f"{language}.pdf"
        assert pdf.exists(), result.stdout + result.stderr
        info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, timeout=60).stdout
        page = re.search(r"Page size:\s+([\d.]+) x ([\d.]+) pts", info)
        assert page and all(abs(float(got) - want) < 0.5 for got, want in zip(page.groups(), size)), (language, info)
        text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True,
                              timeout=60).stdout
        # The address is in the contacts clause's prose and in the table: whole both times, and no
        # line holds a piece of it (as "…@ministers" / "two-cyfryzacji.gov.pl" did in equal columns).
        mentions = [line.strip() for line in text.splitlines() if "procurement" in line or "cyfryzacji" in line]
        assert len(mentions) >= 2 and all(LONG_ADDRESS in line for line in mentions), (language, mentions)
