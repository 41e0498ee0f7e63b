"""Verify says in a signer's words how an uploaded signed DOCX differs from the executed one.

Each file here is the demo's signed DOCX changed the way a person would change it in a word
processor (a word, a paragraph, a clause, a table cell, the title page, the certificate), and
the verdict is read from the /verify page and the `verify` command. Re-saves by LibreOffice
itself are in test_libreoffice.py.
"""
from __future__ import annotations

import copy
import io
import re
import zipfile

from lxml import etree
from sqlalchemy import select
import test_exports
from test_exports import HEBREW, revision_texts, upload
from docx_review import edited

from authoring.extensions import db
from authoring.models import Revision
from authoring.revisions.services import revision_document

demo, member = test_exports.demo, test_exports.member  # the export tests' fixtures: the demo, a member's client
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
PART_NAMES = re.compile(r"word/|_rels|\.xml")


def text_of(paragraph) -> str:
    return "".join(t.text or "" for t in paragraph.iter(f"{W}t"))


def paragraph_with(root, words: str):
    return next(p for p in root.iter(f"{W}p") if words in text_of(p))


def style_of(paragraph) -> str | None:
    style = paragraph.find(f"{W}pPr/{W}pStyle")
    return style.get(f"{W}val") if style is not None else None


def replace_words(root, old: str, new: str) -> None:
    node = next(t for t in root.iter(f"{W}t") if old in (t.text or ""))
    node.text = node.text.replace(old, new, 1)


def verdict(app, runner, tmp_path, data: bytes) -> tuple[str, str]:
    """What the /verify page says (its verdict's text) and what the command prints, for one file."""
    page = upload(app.test_client(), "/verify", data, "signed.docx").get_data(as_text=True)
    found = re.search(r'data-testid="verdict">(.*?)</div>', page, re.S)
    assert found, page
    path = tmp_path / "uploaded.docx"
    path.write_bytes(data)
    result = runner.invoke(args=["verify", str(path)])
    assert result.exit_code == 1, result.output
    shown = " ".join(re.sub(r"<[^>]+>", " ", found.group(1)).split())
    for said in (shown, result.output):
        assert not PART_NAMES.search(said), said  # never the package's internal names
    return shown, result.output


def clause_numbered(app, agreement_id: int, revision: int, words: str) -> tuple[str, str]:
    """(number, title) of the clause whose text holds `words`."""
    for heading, text in revision_texts(app, agreement_id, revision):
        if words in text:
            number, title = heading.split("  ", 1)
            return number, title
    raise AssertionError(words)


def test_a_changed_word_names_its_clause_and_quotes_only_the_uploaded_file(app, demo, member, runner, tmp_path):
    signed = member("signer@example.com").get(f"/agreements/{demo}/signed.docx").get_data()
    number, title = clause_numbered(app, demo, 3, HEBREW)
    page, output = verdict(app, runner, tmp_path, edited(signed, lambda root: replace_words(root, HEBREW, "XYZ")))
    expected = f"Clause {number} ({title}) differs from the executed text: “…"
    assert "No match." in page and expected in page and "XYZ" in page
    assert output.startswith("No match:") and expected in output
    assert HEBREW not in page + output  # the record's words are never shown


def test_added_and_removed_paragraphs_and_a_removed_clause_are_said_as_such(app, demo, member, runner, tmp_path):
    signed = member("signer@example.com").get(f"/agreements/{demo}/signed.docx").get_data()
    number, title = clause_numbered(app, demo, 3, HEBREW)

    def add_paragraph(root):
        paragraph = paragraph_with(root, HEBREW)
        extra = copy.deepcopy(paragraph)
        for node in list(extra):
            if node.tag != f"{W}pPr":
                extra.remove(node)
        etree.SubElement(etree.SubElement(extra, f"{W}r"), f"{W}t").text = "The Client may also read every backup."
        paragraph.addnext(extra)

    page, _ = verdict(app, runner, tmp_path, edited(signed, add_paragraph))
    assert (f"Clause {number} ({title}) has a paragraph that is not in the executed text: "
            "“The Client may also read every backup.”") in page

    def remove_paragraph(root):
        paragraph = paragraph_with(root, HEBREW)
        paragraph.getparent().remove(paragraph)

    page, _ = verdict(app, runner, tmp_path, edited(signed, remove_paragraph))
    assert f"Clause {number} ({title}) lacks a paragraph of the executed text." in page

    def remove_clause(root):
        heading = next(p for p in root.iter(f"{W}p") if style_of(p) == "Heading2" and text_of(p) == title)
        doomed = [heading]
        for following in heading.itersiblings():
            if style_of(following) in ("Heading1", "Heading2") or following.tag != f"{W}p":
                break
            doomed.append(following)
        for paragraph in doomed:
            paragraph.getparent().remove(paragraph)

    page, output = verdict(app, runner, tmp_path, edited(signed, remove_clause))
    assert f"Clause {number} is missing from this file." in page
    assert "lacks a paragraph" not in page and title not in output  # its heading is gone: its title is not named


def test_the_title_page_a_table_the_signature_page_and_the_certificate_are_named(app, demo, member, runner, tmp_path):
    signed = member("signer@example.com").get(f"/agreements/{demo}/signed.docx").get_data()
    with app.app_context():
        document = revision_document(db.session.scalar(select(Revision).where(Revision.agreement_id == demo,
                                                                              Revision.number == 3)))
    # The demo's contacts table follows the first section's clauses.
    first_number, first_section, _clauses = next(document.numbered())

    cases = [
        (lambda root: replace_words(root, "KRS 0000654321", "KRS 0000654322"),
         "The title page differs from the executed text: “KRS 0000654322”."),
        (lambda root: replace_words(next(root.iter(f"{W}tbl")), "IT lead", "CTO"),
         f"Section {first_number} ({first_section.title}) differs from the executed text: “Jan Kowalski CTO"),
        (lambda root: replace_words(root, "Chief Financial Officer", "Chief Executive Officer"),
         "The signature page differs from the executed text: “"),
        (lambda root: replace_words(root, "Upload this file at", "Do not upload this file at"),
         "The certificate of completion differs from the executed text: “Do not upload this file at"),
    ]
    for change, expected in cases:
        page, _ = verdict(app, runner, tmp_path, edited(signed, change))
        assert expected in page, page


def test_a_changed_footer_hash_and_hidden_text_are_named_in_words(app, demo, member, runner, tmp_path):
    signed = member("signer@example.com").get(f"/agreements/{demo}/signed.docx").get_data()
    footer = edited(signed, lambda root: replace_words(root, "Executed text SHA-256:", "Signed text SHA-256:"),
                    "word/footer1.xml")
    page, _ = verdict(app, runner, tmp_path, footer)
    assert "The page footer differs from the executed text: “Signed text SHA-256:" in page

    def hide(root):
        run = next(paragraph_with(root, HEBREW).iter(f"{W}r"))
        properties = run.find(f"{W}rPr")
        if properties is None:
            properties = etree.SubElement(run, f"{W}rPr")
            run.insert(0, properties)
        etree.SubElement(properties, f"{W}vanish")

    page, _ = verdict(app, runner, tmp_path, edited(signed, hide))
    assert "Some of its text is formatted as hidden, so a reader does not see it." in page
    assert "identical" not in page


def test_headings_numbered_by_word_are_counted_and_an_unnumbered_heading_is_not(app, demo, member, runner, tmp_path):
    """Headings carry no typed number: Word numbers them (w:numPr in their styles), and the signature
    page's heading switches numbering off (w:numId 0). Verify counts clause numbers as Word does and
    still names the clause by number and title."""
    signed = member("signer@example.com").get(f"/agreements/{demo}/signed.docx").get_data()
    number, title = clause_numbered(app, demo, 3, HEBREW)
    paragraphs = list(etree.fromstring(zipfile.ZipFile(io.BytesIO(signed)).read("word/document.xml")).iter(f"{W}p"))
    headings = [p for p in paragraphs if style_of(p) in ("Heading1", "Heading2")]
    assert title in [text_of(p) for p in headings] and f"{number}  {title}" not in [text_of(p) for p in headings]
    assert any(p.find(f"{W}pPr/{W}numPr/{W}numId[@{W}val='0']") is not None for p in headings)  # the signature page
    page, _ = verdict(app, runner, tmp_path, edited(signed, lambda root: replace_words(root, HEBREW, "XYZ")))
    assert f"Clause {number} ({title}) differs from the executed text: “…" in page
    page, _ = verdict(app, runner, tmp_path, edited(signed, lambda root: replace_words(
        root, "Chief Financial Officer", "Chief Executive Officer")))
    assert "The signature page differs from the executed text" in page
