"""Word's Review > Accept All and Reject All, applied to a document's XML, for tests.

python-docx's `Document.paragraphs` skips tracked content, so tests read the XML:
`accept_all(body)` and `reject_all(body)` return a reviewed copy of a `w:body` element,
and `clause_texts(body)` reads back each clause as (heading text, body text).

Accept All keeps what is inside `w:ins`, drops `w:del` with its `w:delText`, and joins
each paragraph whose mark was deleted to the next one; Reject All does the opposite.
When two paragraphs are joined the result keeps the second one's properties, as Word
does when a paragraph mark goes (the properties live in the mark that stays).
"""
from __future__ import annotations

import copy
import io
import zipfile

from lxml import etree

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NS = {"w": W}


def w(tag: str) -> str:
    return f"{{{W}}}{tag}"


def part(docx: bytes, name: str = "word/document.xml") -> etree._Element:
    """The root element of one part of a .docx file."""
    with zipfile.ZipFile(io.BytesIO(docx)) as package:
        return etree.fromstring(package.read(name))


def body_of(docx: bytes) -> etree._Element:
    return part(docx).find(w("body"))


def _review(body: etree._Element, keep: str, drop: str) -> etree._Element:
    body = copy.deepcopy(body)
    marks = (w("rPr"), w("trPr"))  # a revised paragraph mark or table row, handled below
    for change in list(body.iter(w(drop))):
        if change.getparent().tag not in marks:
            change.getparent().remove(change)
    for change in list(body.iter(w(keep))):
        if change.getparent().tag not in marks:
            for child in list(change):
                change.addprevious(child)
            change.getparent().remove(change)
    for text in list(body.iter(w("delText"), w("delInstrText"))):
        if keep != "del":
            raise AssertionError("w:delText outside a w:del")
        text.tag = w("t") if text.tag == w("delText") else w("instrText")
    for row in list(body.iter(w("tr"))):  # a row inserted or deleted whole goes or stays with its mark
        properties = row.find(w("trPr"))
        if properties is None:
            continue
        for kept in properties.findall(w(keep)):
            properties.remove(kept)
        if properties.find(w(drop)) is not None:
            table = row.getparent()
            table.remove(row)
            if table.find(w("tr")) is None:
                table.getparent().remove(table)
    for p in list(body.iter(w("p"))):
        marks = p.find("w:pPr/w:rPr", NS)
        if marks is None:
            continue
        for kept in marks.findall(w(keep)):
            marks.remove(kept)
        if marks.find(w(drop)) is not None:
            _join_with_next(p)
    return body


def _join_with_next(p: etree._Element) -> None:
    following = p.getnext()
    if following is None or following.tag != w("p"):
        raise AssertionError("a paragraph whose mark goes must be followed by a paragraph")
    at = 1 if following.find(w("pPr")) is not None else 0
    for child in reversed([c for c in p if c.tag != w("pPr")]):
        following.insert(at, child)
    p.getparent().remove(p)


def accept_all(body: etree._Element) -> etree._Element:
    """A copy of `body` with every tracked change accepted."""
    return _review(body, keep="ins", drop="del")


def reject_all(body: etree._Element) -> etree._Element:
    """A copy of `body` with every tracked change rejected."""
    return _review(body, keep="del", drop="ins")


def paragraph_text(p: etree._Element) -> str:
    """The text of a `w:p`: `w:t` and `w:delText` as written, `w:tab` as a tab, `w:br` as a line feed."""
    parts = []
    for element in p.iter(w("t"), w("delText"), w("tab"), w("br")):
        if element.tag == w("tab"):
            parts.append("\t")
        elif element.tag == w("br"):
            parts.append("\n")
        else:
            parts.append(element.text or "")
    return "".join(parts)


def style_of(p: etree._Element) -> str | None:
    """The paragraph's `w:pStyle` value, None for the default style (LibreOffice names it "Normal")."""
    style = p.find("w:pPr/w:pStyle", NS)
    return None if style is None or style.get(w("val")) == "Normal" else style.get(w("val"))


def numbered(p: etree._Element) -> bool:
    """Whether a heading takes its style's number (one with `w:numPr/w:numId` 0 opts out)."""
    return p.find("w:pPr/w:numPr/w:numId[@w:val='0']", NS) is None


def heading_numbers(body: etree._Element) -> dict:
    """Each numbered Heading 1 and Heading 2 paragraph -> the number Word shows for it ("2", "2.3")."""
    numbers, section, clause = {}, 0, 0
    for p in body.iter(w("p")):
        style = style_of(p)
        if style == "Heading1" and numbered(p):
            section, clause = section + 1, 0
            numbers[p] = str(section)
        elif style == "Heading2" and numbered(p):
            clause += 1
            numbers[p] = f"{section}.{clause}"
    return numbers


def clause_texts(body: etree._Element, heading_style: str = "Heading2") -> list[tuple[str, str]]:
    """Each clause as ("number  heading", its body paragraphs joined with "\\n"), in order.

    A clause is a `heading_style` paragraph and the unstyled paragraphs after it, up to the
    next styled paragraph or table; the number is the one Word's heading numbering gives it.
    """
    clauses: list[tuple[str, list[str]]] = []
    current: list[str] | None = None
    numbers = heading_numbers(body)
    elements = list(body)
    if len(elements) > 1 and elements[-2].tag == w("p") and not paragraph_text(elements[-2]):
        elements = elements[:-2]  # the document's closing empty paragraph (before its w:sectPr)
    for element in elements:
        if element.tag != w("p"):
            current = None
            continue
        style = style_of(element)
        if style == heading_style:
            current = []
            clauses.append((f"{numbers[element]}  {paragraph_text(element)}", current))
        elif style is None and current is not None:
            current.append(paragraph_text(element))
        else:
            current = None
    return [(heading, "\n".join(lines)) for heading, lines in clauses]


def body_texts(body: etree._Element) -> list[str]:
    """What a reader sees in the body, in order: each paragraph's text, and each table cell's
    (its paragraphs joined with "\n"), cell by cell and row by row."""
    texts = []
    for element in body:
        if element.tag == w("p"):
            texts.append(paragraph_text(element))
        elif element.tag == w("tbl"):
            texts += ["\n".join(paragraph_text(p) for p in cell.findall(w("p")))
                      for cell in element.iter(w("tc"))]
    return texts


def headings(body: etree._Element, style: str = "Heading1") -> list[str]:
    """The paragraphs of one heading style as Word shows them ("2  Payment"), in order."""
    numbers = heading_numbers(body)
    return [f"{numbers[p]}  {paragraph_text(p)}" if p in numbers else paragraph_text(p)
            for p in body.iter(w("p")) if style_of(p) == style]
