"""The Hebrew demo agreement's signed Word document opens in LibreOffice and reads in Hebrew.

LibreOffice (headless) converts the DOCX to text, as a reader's office suite would open
it: the conversion must succeed and what it reads must be the Hebrew clause text, with no
English clause text. `soffice` comes from Debian's libreoffice-writer-nogui (.ci/run
installs it); without it the test is skipped, or fails under REQUIRE_LIBREOFFICE=1.
"""
from __future__ import annotations

import os
import shutil
import subprocess

import pytest
from sqlalchemy import select

from authoring.demo import DEMO_TITLES, create_demo
from authoring.export.documents import executed_docx
from authoring.extensions import db
from authoring.models import Agreement

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
