"""The styles our documents use are defined in styles.xml, read back from the saved file."""
from __future__ import annotations

import io
import zipfile
from datetime import datetime, timezone

import docx
import pytest
from docx.enum.style import WD_STYLE_TYPE
from docx.shared import Pt
from lxml import etree

from authoring.ooxml.numbering import number_headings
from authoring.ooxml.package import docx_bytes
from authoring.ooxml.styles import ensure_styles, text_width_of

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
NS = {"w": W[1:-1]}
WHEN = datetime(2025, 3, 1, tzinfo=timezone.utc)


def _styles(document) -> etree._Element:
    with zipfile.ZipFile(io.BytesIO(docx_bytes(document, WHEN))) as package:
        return etree.fromstring(package.read("word/styles.xml"))


def _style(styles: etree._Element, style_id: str) -> etree._Element:
    found = styles.xpath(f'w:style[@w:styleId="{style_id}"]', namespaces=NS)
    assert len(found) == 1, f"{style_id}: {len(found)} definitions"
    return found[0]


def _value(style: etree._Element, path: str, attribute: str = "val") -> str | None:
    found = style.xpath(path, namespaces=NS)
    return found[0].get(W + attribute) if found else None


@pytest.mark.parametrize("style_id, kind, name, size", [
    ("CommentReference", "character", "annotation reference", "16"),
    ("CommentText", "paragraph", "annotation text", "20"),
    ("CommentSubject", "paragraph", "annotation subject", None),  # CommentText's size, in bold
    ("TOC1", "paragraph", "toc 1", None),
    ("TOC2", "paragraph", "toc 2", None),
    ("Hyperlink", "character", "Hyperlink", None),
])
def test_each_style_is_defined_as_word_names_it(style_id, kind, name, size):
    document = docx.Document()
    ensure_styles(document)
    style = _style(_styles(document), style_id)
    assert style.get(W + "type") == kind and _value(style, "w:name") == name
    assert _value(style, "w:rPr/w:sz") == size
    based_on = _value(style, "w:basedOn")
    assert based_on in {"Normal", "DefaultParagraphFont", "CommentText"}


def test_comment_subject_is_bold_comment_text_and_hyperlinks_are_underlined():
    document = docx.Document()
    ensure_styles(document)
    styles = _styles(document)
    subject, link = _style(styles, "CommentSubject"), _style(styles, "Hyperlink")
    assert _value(subject, "w:basedOn") == "CommentText" and subject.xpath("w:rPr/w:b", namespaces=NS)
    assert _value(link, "w:rPr/w:u") == "single"


def test_contents_entries_end_at_the_text_width_on_a_dot_leader_and_level_two_is_indented():
    document = docx.Document()
    width = text_width_of(document)
    ensure_styles(document)
    styles = _styles(document)
    for style_id in ("TOC1", "TOC2"):
        tab = _style(styles, style_id).xpath("w:pPr/w:tabs/w:tab", namespaces=NS)
        assert [(t.get(W + "val"), t.get(W + "leader"), t.get(W + "pos")) for t in tab] == [
            ("right", "dot", str(width))]
    assert _value(_style(styles, "TOC1"), "w:pPr/w:ind", "left") in (None, "0")
    assert int(_value(_style(styles, "TOC2"), "w:pPr/w:ind", "left")) > 0
    # A given width (the page the exporter set up) is the one used.
    document = docx.Document()
    ensure_styles(document, 9000)
    assert _value(_style(_styles(document), "TOC2"), "w:pPr/w:tabs/w:tab", "pos") == "9000"


def test_the_contents_heading_takes_no_number_from_numbered_headings():
    document = docx.Document()
    ensure_styles(document)
    number_headings(document)
    styles = _styles(document)
    heading = _style(styles, "TOCHeading")
    assert _value(heading, "w:basedOn") == "Heading1" and _value(_style(styles, "Heading1"), "w:pPr/w:numPr/w:numId")
    assert _value(heading, "w:pPr/w:numPr/w:numId") == "0"


def test_a_style_the_document_has_is_kept_and_calling_twice_adds_nothing():
    document = docx.Document()
    own = document.styles.add_style("CommentText", WD_STYLE_TYPE.PARAGRAPH)  # a firm's template's own
    own.font.size = Pt(9)
    ensure_styles(document)
    ensure_styles(document)
    styles = _styles(document)
    assert _value(_style(styles, "CommentText"), "w:rPr/w:sz") == "18"
    for style_id in ("CommentReference", "CommentSubject", "TOC1", "TOC2", "Hyperlink", "TOCHeading"):
        _style(styles, style_id)  # exactly one of each
    assert len(_style(styles, "TOCHeading").xpath("w:pPr/w:numPr", namespaces=NS)) == 1
