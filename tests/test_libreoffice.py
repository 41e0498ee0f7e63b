"""Signed Word documents through LibreOffice: the Hebrew one reads in Hebrew; a re-saved one verifies as same text.

LibreOffice (headless) converts the DOCX to text, as a reader's office suite would open
it: the conversion must succeed and what it reads must be the Hebrew clause text, with no
English clause text. Word files coming back are imported after LibreOffice saved them, and
after a reviewer's tracked change and comment made in LibreOffice itself (through UNO:
tests/libreoffice_review.py). `soffice` comes from Debian's libreoffice-writer-nogui and the
UNO bridge from python3-uno (.ci/run installs both); without them the tests are skipped, or
fail under REQUIRE_LIBREOFFICE=1.
"""
from __future__ import annotations

import re
import subprocess

import pytest
from sqlalchemy import select

from authoring.demo import DEMO_TITLE, DEMO_TITLE_EXECUTED, DEMO_TITLES, create_demo
from authoring.demo_terms import demo_terms
from authoring.export.documents import executed_docx, revision_docx
from authoring.export.gather import executed_version
from authoring.extensions import db
from authoring.interview.services import set_terms
from authoring.models import Agreement, AuditEvent, Comment, Proposal, User
from authoring.revisions.services import cut_revision, draft_of, revision_document
from libreoffice_review import edit_in_libreoffice, require_libreoffice

pytestmark = pytest.mark.slow


def test_the_hebrew_signed_document_opens_in_libreoffice_and_reads_in_hebrew(app, backend, tmp_path):
    if backend != "sqlite":
        pytest.skip("the document is the same on either database; checked once")
    soffice = require_libreoffice(uno=False)
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
    soffice = require_libreoffice(uno=False)
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


def _resaved(soffice: str, source, tmp_path) -> bytes:
    """The file opened and saved again as DOCX by LibreOffice, as a signer's office suite would."""
    out = tmp_path / f"resaved-{source.stem}"
    profile = tmp_path / f"profile-{source.stem}"
    result = subprocess.run([soffice, f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", "docx",
                             "--outdir", str(out), str(source)], capture_output=True, text=True, timeout=180)
    converted = out / source.name
    assert result.returncode == 0 and converted.exists(), result.stdout + result.stderr
    return converted.read_bytes()


def test_a_signed_document_re_saved_by_libreoffice_has_the_same_text_and_one_word_changed_names_its_clause(
        app, backend, runner, tmp_path):
    """Verify tells a file saved again after signing (same text, not the signed file) from a changed text,
    in English and in Hebrew, original and amendment alike."""
    if backend != "sqlite":
        pytest.skip("the documents are the same on either database; checked once")
    from docx_review import edited
    from test_verify import W, verdict

    soffice = require_libreoffice(uno=False)
    with app.app_context():
        assert create_demo()
        agreements = [db.session.scalar(select(Agreement).where(Agreement.title == title))
                      for title in (DEMO_TITLE_EXECUTED, DEMO_TITLES["he"])]
        files = []
        for agreement in agreements:
            for version in (0, 1):
                document = revision_document(executed_version(agreement, version).revision)
                number, clause = next((n, c) for _s, _section, clauses in document.numbered() for n, c in clauses
                                      if c.key == "general.confidentiality")
                source = tmp_path / f"{agreement.language}-{version}.docx"
                source.write_bytes(executed_docx(agreement, version))
                files.append((source, number, clause))
    for source, number, clause in files:
        resaved = _resaved(soffice, source, tmp_path)
        assert resaved != source.read_bytes()
        page, output = verdict(app, runner, tmp_path, resaved)
        identical = ("The agreement text is identical, but the file was re-saved after signing (by another program, "
                     "such as Word or LibreOffice), so it is not the signed file itself.")
        assert "No exact match, but the same text." in page and identical in page, page
        assert output.startswith("No exact match:") and identical in output, output

        word = clause.text.split()[1]  # one word of the clause, changed in the re-saved file's XML

        def change_one_word(root):
            first_line = clause.text.split("\n")[0]
            paragraph = next(p for p in root.iter(f"{W}p")
                             if "".join(t.text or "" for t in p.iter(f"{W}t")) == first_line)
            node = next(t for t in paragraph.iter(f"{W}t") if word in (t.text or ""))
            node.text = node.text.replace(word, word.upper() + "X", 1)

        page, output = verdict(app, runner, tmp_path, edited(resaved, change_one_word))
        expected = f"Clause {number} ({clause.title}) differs from the executed text: “"
        assert "No match." in page and expected in page and word.upper() + "X" in page, page
        assert "identical" not in page and expected in output


def test_a_file_re_saved_by_libreoffice_still_imports_its_changes(app, backend, runner, tmp_path):
    """LibreOffice keeps the custom properties and bookmarks an export carries, so a copy it saved
    (and then edited: one clause without tracking) comes back as the right proposal."""
    if backend != "sqlite":
        pytest.skip("the documents are the same on either database; checked once")
    from docx_review import edited
    from test_word_import import clause_paragraphs, replace_untracked, words_of

    soffice = require_libreoffice(uno=False)
    with app.app_context():
        assert create_demo()
        agreement = db.session.scalar(select(Agreement).where(Agreement.title == DEMO_TITLE))
        _draft, document = draft_of(agreement)
        key, text = next((c.key, c.text) for c in document.clauses() if len(words_of(c.text)) > 6 and "\n" not in c.text)
        source = tmp_path / "agreement.docx"
        source.write_bytes(revision_docx(agreement))
        agreement_id = agreement.id
    out, profile = tmp_path / "resaved", tmp_path / "profile-resave"
    result = subprocess.run([soffice, f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", "docx",
                             "--outdir", str(out), str(source)], capture_output=True, text=True, timeout=180)
    assert result.returncode == 0, result.stdout + result.stderr
    resaved = (out / "agreement.docx").read_bytes()
    word = words_of(text)[2]
    changed = tmp_path / "changed.docx"
    changed.write_bytes(edited(resaved, lambda root: replace_untracked(clause_paragraphs(root, key)[0], word, "QUIETLY")))
    imported = runner.invoke(args=["import", "word", str(changed), "--agreement", str(agreement_id),
                                   "--as", "client@example.com"])
    assert imported.exit_code == 0, imported.output
    assert imported.output.strip().splitlines()[-1] == "1 proposals, 0 comments, 1 untracked"


def test_a_tracked_change_and_a_comment_made_in_libreoffice_become_proposals_and_a_thread(app, backend, runner,
                                                                                         tmp_path):
    """The issue's LibreOffice case: the export opened in LibreOffice, Track Changes recording, the credit
    cap typed over (15% -> 10%: a term's value) and two words of the cure clause too (wording), a comment
    put on the cap, saved as DOCX by LibreOffice itself - imported, that is one term proposal, one wording
    proposal, both tracked by the LibreOffice user, and the comment as a thread on the cap's clause."""
    if backend != "sqlite":
        pytest.skip("the documents are the same on either database; checked once")
    require_libreoffice()
    author = "Noa Levi (Globex legal)"
    with app.app_context():
        assert create_demo()
        agreement = db.session.scalar(select(Agreement).where(Agreement.title == DEMO_TITLE))
        _draft, document = draft_of(agreement)
        cap, cure = document.clause("sanctions.credit_cap").text, document.clause("sanctions.cure").text
        cap_percent = document.terms["sanctions"]["credit_cap_percent"]
        source = tmp_path / "agreement.docx"
        source.write_bytes(revision_docx(agreement))
        agreement_id = agreement.id
    assert "exceed 15% of" in cap and str(cap_percent) == "15" and "in reasonable detail" in cure
    edited_file = tmp_path / "Globex-LibreOffice.docx"
    changes = edit_in_libreoffice(source, edited_file, author=author,
                                  replace=[("exceed 15% of", "exceed 10% of"), ("in reasonable detail", "in full detail")],
                                  comment=("The total of all service credits", "Why cap the credits at all?"))
    assert changes == 4  # a deletion and an insertion for each replacement; the comment is no change

    imported = runner.invoke(args=["import", "word", str(edited_file), "--agreement", str(agreement_id),
                                   "--as", "client@example.com"])
    assert imported.exit_code == 0, imported.output
    assert imported.output.strip().splitlines()[-1] == "2 proposals, 1 comments, 0 untracked", imported.output
    assert f"Cap on service credits: reworded, tracked by {author}; applies" in imported.output
    assert f"Notice and cure: reworded, tracked by {author}; applies" in imported.output
    with app.app_context():
        made = {(p.kind, p.target): p for p in db.session.scalars(select(Proposal).where(
            Proposal.agreement_id == agreement_id, Proposal.reason.like("From %")))}
        assert set(made) == {("term", "sanctions.credit_cap_percent"), ("clause_text", "sanctions.cure")}
        assert made["term", "sanctions.credit_cap_percent"].value == "10"  # terms keep numbers as text
        assert made["clause_text", "sanctions.cure"].value == cure.replace("in reasonable detail", "in full detail")
        assert {p.reason for p in made.values()} == {f"From Globex-LibreOffice.docx, change by {author}"}
        assert all(p.side == "client" and p.status == "open" for p in made.values())
        event = db.session.scalar(select(AuditEvent).where(AuditEvent.agreement_id == agreement_id,
                                                           AuditEvent.action == "word.imported"))
        assert event.details["untracked"] == [] and event.details["comments"] == 1
        (thread,) = db.session.scalars(select(Comment).where(Comment.agreement_id == agreement_id,
                                                             Comment.body.like("%wrote in Word%"))).all()
        assert (thread.clause_key, thread.thread_id, thread.body) == (
            "sanctions.credit_cap", None, f"{author} wrote in Word: Why cap the credits at all?")
