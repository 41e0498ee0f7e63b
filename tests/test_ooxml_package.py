"""What every export's package holds besides the text: no legacy styles copy, no blank
thumbnail, document properties naming this application with the document's real counts,
and the same bytes for the same input. Read back from the saved bytes with zipfile/lxml."""
from __future__ import annotations

import io
import re
import zipfile
from datetime import datetime, timezone

import docx
from docx.oxml.ns import qn
from lxml import etree

from authoring.ooxml.package import APPLICATION, docx_bytes

WHEN = datetime(2025, 3, 1, 12, 30, 4, tzinfo=timezone.utc)
EP = "{http://schemas.openxmlformats.org/officeDocument/2006/extended-properties}"


def _document() -> docx.Document:
    """Some text, a tab, a table, an empty paragraph and a paragraph with a tracked deletion."""
    document = docx.Document()
    document.add_paragraph("Services and support", style="Heading 1")
    document.add_paragraph("Fees\tare due")
    table = document.add_table(rows=2, cols=1)
    table.cell(0, 0).text = "Rate card"
    table.cell(1, 0).text = "€ 120 per hour"
    document.add_paragraph("")
    p = document.add_paragraph("kept")._p
    deletion = etree.SubElement(p, qn("w:del"), {qn("w:id"): "1", qn("w:author"): "A", qn("w:date"): "2025-03-01T00:00:00Z"})
    etree.SubElement(etree.SubElement(deletion, qn("w:r")), qn("w:delText")).text = "old words"
    return document


def _parts(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        return {name: package.read(name) for name in package.namelist()}


def test_the_package_carries_no_styles_with_effects_and_no_thumbnail():
    parts = _parts(docx_bytes(_document(), WHEN))
    assert "word/stylesWithEffects.xml" not in parts and "docProps/thumbnail.jpeg" not in parts
    # Nothing points at them either: no relationship, no content type.
    listed = b"".join(data for name, data in parts.items() if name.endswith(".rels") or name == "[Content_Types].xml")
    for gone in (b"stylesWithEffects", b"thumbnail", b"jpeg"):
        assert gone not in listed, gone
    assert b"styles.xml" in parts["word/_rels/document.xml.rels"]
    docx.Document(io.BytesIO(docx_bytes(_document(), WHEN)))  # and python-docx still opens it


def test_app_properties_name_this_application_and_count_the_text_that_reads():
    data = docx_bytes(_document(), WHEN)
    app = etree.fromstring(_parts(data)["docProps/app.xml"])
    value = {child.tag.removeprefix(EP): child.text for child in app}
    assert value["Application"] == APPLICATION == "Accord"
    assert re.fullmatch(r"\d\d\.\d{4}", value["AppVersion"]), value["AppVersion"]
    assert not value["Company"] and b"Microsoft" not in _parts(data)["docProps/app.xml"]
    # What a reader sees (python-docx leaves out the deleted words, as Accept All does):
    # "Services and support", "Fees are due", "Rate card", "€ 120 per hour", "kept".
    reread = docx.Document(io.BytesIO(data))
    texts = [p.text for p in reread.paragraphs] + [c.text for row in reread.tables[0].rows for c in row.cells]
    texts = [text for text in texts if text.strip()]
    assert (int(value["Words"]), int(value["Paragraphs"])) == (sum(len(t.split()) for t in texts), len(texts)) == (13, 5)
    assert int(value["Characters"]) == sum(len(word) for t in texts for word in t.split()) == 51
    assert int(value["CharactersWithSpaces"]) == sum(len(t) for t in texts) == 59
    for layout_bound in ("Pages", "Lines", "Template"):  # no figure we cannot know
        assert layout_bound not in value


def test_the_same_document_gives_the_same_bytes_every_time():
    first = docx_bytes(_document(), WHEN)
    document = _document()
    assert docx_bytes(document, WHEN) == first == docx_bytes(document, WHEN)
    assert list(_parts(first)) == list(_parts(docx_bytes(_document(), WHEN)))
