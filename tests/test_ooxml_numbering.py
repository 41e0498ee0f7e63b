"""Headings numbered by Word's own multi-level list: numbering.xml and styles.xml read back, and
LibreOffice (headless) reading the numbers in front of the headings, left to right and right to left.

The LibreOffice tests need `soffice` (Debian's libreoffice-writer-nogui, which .ci/run
installs); without it they are skipped, or fail under REQUIRE_LIBREOFFICE=1.
"""
from __future__ import annotations

import io
import re
import subprocess
import zipfile
from datetime import datetime, timezone

import docx
import pytest
from libreoffice_review import require_libreoffice
from lxml import etree

from authoring.ooxml.bidi import direct_paragraph, mark_section_rtl
from authoring.ooxml.numbering import number_headings, unnumber
from authoring.ooxml.package import docx_bytes
from authoring.ooxml.styles import ensure_styles

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
NS = {"w": W[1:-1]}
WHEN = datetime(2025, 3, 1, tzinfo=timezone.utc)
TITLES = {"en": ("Definitions", "Services", "Support", "Escalation", "Fees", "Invoices"),
          "he": ("הגדרות", "שירותים", "תמיכה", "הסלמה", "תשלום", "חשבוניות")}


def _agreement(language: str = "en") -> bytes:
    """Contents, two sections of clauses, a clause inserted afterwards as an editor would, a signature page."""
    definitions, services, support, escalation, fees, invoices = TITLES[language]
    document = docx.Document()
    ensure_styles(document)
    number_headings(document)
    document.add_paragraph("Contents", style="TOC Heading")
    document.add_paragraph(definitions, style="Heading 1")
    document.add_paragraph(services, style="Heading 2")
    document.add_paragraph("The Provider supports the Client.")
    later = document.add_paragraph(support, style="Heading 2")
    document.add_paragraph(fees, style="Heading 1")
    document.add_paragraph(invoices, style="Heading 2")
    unnumber(document.add_paragraph("Signature page", style="Heading 1")._p.get_or_add_pPr())
    # Inserted between 1.1 and 1.2 with no number typed anywhere: what follows moves up one.
    later.insert_paragraph_before(escalation, style="Heading 2")
    if language == "he":
        for paragraph in document.paragraphs:
            direct_paragraph(paragraph._p, "rtl")
        mark_section_rtl(document.element.body.sectPr)
    return docx_bytes(document, WHEN)


def _part(data: bytes, name: str) -> etree._Element:
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        return etree.fromstring(package.read(name))


def test_one_list_of_two_levels_is_linked_both_ways_to_the_heading_styles():
    data = _agreement()
    numbering, styles = _part(data, "word/numbering.xml"), _part(data, "word/styles.xml")
    abstract = numbering.xpath('w:abstractNum[w:lvl/w:pStyle/@w:val="Heading1"]', namespaces=NS)
    assert len(abstract) == 1
    levels = [(lvl.get(W + "ilvl"), *(lvl.find(W + tag).get(W + "val") for tag in ("numFmt", "lvlText", "pStyle",
                                                                                   "suff")))
              for lvl in abstract[0].findall(W + "lvl")]
    assert levels == [("0", "decimal", "%1", "Heading1", "tab"), ("1", "decimal", "%1.%2", "Heading2", "tab")]
    for lvl in abstract[0].findall(W + "lvl"):  # the title lines up past the number, wrapped lines too
        indent = lvl.find(f"{W}pPr/{W}ind")
        assert int(indent.get(W + "left")) == int(indent.get(W + "hanging")) > 0
    abstract_id = abstract[0].get(W + "abstractNumId")
    num_id = numbering.xpath(f'w:num[w:abstractNumId/@w:val="{abstract_id}"]/@w:numId', namespaces=NS)[0]
    # every w:abstractNum before the first w:num, as CT_Numbering orders them
    tags = [etree.QName(child).localname for child in numbering]
    assert tags.index("num") > max(i for i, tag in enumerate(tags) if tag == "abstractNum")

    def num_pr(style_id):
        style = styles.xpath(f'w:style[@w:styleId="{style_id}"]', namespaces=NS)[0]
        return (style.xpath("w:pPr/w:numPr/w:ilvl/@w:val", namespaces=NS) or ["0"])[0], \
            style.xpath("w:pPr/w:numPr/w:numId/@w:val", namespaces=NS)[0]
    assert num_pr("Heading1") == ("0", num_id) and num_pr("Heading2") == ("1", num_id)
    # Headings carry no number of their own; the opted-out one says numId 0.
    body = _part(data, "word/document.xml")
    assert body.xpath('//w:p[w:pPr/w:numPr/w:numId/@w:val!="0"]', namespaces=NS) == []
    assert body.xpath('//w:p[w:pPr/w:numPr/w:numId/@w:val="0"]//w:t/text()', namespaces=NS) == ["Signature page"]


def test_numbering_twice_gives_the_same_list_and_the_same_bytes():
    document = docx.Document()
    first = number_headings(document)
    assert number_headings(document) == first
    assert len(document.part.numbering_part.element.xpath('w:num[@w:numId="%d"]' % first)) == 1
    assert _agreement() == _agreement()


# Through LibreOffice ------------------------------------------------------------------------

def _as_libreoffice_reads_it(data: bytes, tmp_path) -> list[str]:
    source = tmp_path / "numbered.docx"
    source.write_bytes(data)
    profile = tmp_path / "profile"  # a profile of its own: no lock shared with another LibreOffice
    result = subprocess.run([require_libreoffice(uno=False), f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to",
                             "txt:Text (encoded):UTF8", "--outdir", str(tmp_path), str(source)],
                            capture_output=True, text=True, timeout=180)
    text_file = tmp_path / "numbered.txt"
    assert result.returncode == 0 and text_file.exists(), result.stdout + result.stderr
    return [line.strip() for line in text_file.read_text(encoding="utf-8-sig").splitlines() if line.strip()]


@pytest.mark.slow
@pytest.mark.parametrize("language", ["en", "he"])
def test_libreoffice_numbers_the_headings_and_renumbers_after_an_inserted_clause(language, tmp_path):
    definitions, services, support, escalation, fees, invoices = TITLES[language]
    lines = _as_libreoffice_reads_it(_agreement(language), tmp_path)
    numbered = [re.fullmatch(r"(\d+(?:\.\d+)*)\s+(.+)", line) for line in lines]
    assert [(m.group(1), m.group(2)) for m in numbered if m] == [
        ("1", definitions), ("1.1", services), ("1.2", escalation), ("1.3", support), ("2", fees),
        ("2.1", invoices)], lines
    # Not numbered: the contents heading (its style takes no number), the opted-out heading, the text.
    for line in ("Contents", "Signature page", "The Provider supports the Client."):
        assert line in lines, lines
