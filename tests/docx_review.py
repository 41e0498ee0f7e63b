"""Word's Review > Accept All and Reject All, applied to a document's XML, for tests.

python-docx's `Document.paragraphs` skips tracked content, so tests read the XML:
`accept_all(body)` and `reject_all(body)` return a reviewed copy of a `w:body` element,
`clause_texts(body)` reads back each clause as (heading text, body text), and
`body_texts(body)` reads the whole body, paragraph by paragraph and cell by cell, as
tests/libreoffice_review.py reads the same document in LibreOffice.

Accept All keeps what is inside `w:ins` and `w:moveTo`, drops `w:del` and `w:moveFrom`
with their text, joins each paragraph whose mark was deleted (or moved away) to the next
one, and drops each table row whose `w:trPr` says it was deleted; Reject All does the
opposite. A table left with no row goes. When two paragraphs are joined the result keeps
the second one's properties, as Word does when a paragraph mark goes (the properties
live in the mark that stays). Move range markers (`w:moveFromRangeStart` ...) go either
way. Cell insertions and deletions (`w:cellIns`, `w:cellDel`, `w:cellMerge`) are not
modelled: a body holding one is refused rather than misread.

Also here, for every test that changes a file as an editor would: `with_part(docx, name,
change)` and `edited(docx, change)` rewrite one part and keep the rest; and, for the
redline tests (tests/test_export_redline_docx.py, tests/test_redline_comments.py), the
texts, times and export details their documents share, and `clause_paragraphs` to find a
clause in a redline by its heading.
"""
from __future__ import annotations

import copy
import io
import zipfile
from datetime import datetime, timedelta, timezone

from lxml import etree

from authoring.document import ClauseInstance
from authoring.export.records import ExportInfo

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


_INSERTED = ("ins", "moveTo")  # what Reject All removes and Accept All keeps
_DELETED = ("del", "moveFrom")  # what Accept All removes and Reject All keeps
_RANGE_MARKERS = tuple(w(f"{kind}Range{end}") for kind in ("moveFrom", "moveTo") for end in ("Start", "End"))
_UNMODELLED = tuple(w(tag) for tag in ("cellIns", "cellDel", "cellMerge"))


def _review(body: etree._Element, keep: tuple[str, ...], drop: tuple[str, ...]) -> etree._Element:
    body = copy.deepcopy(body)
    if next(body.iter(*_UNMODELLED), None) is not None:
        raise AssertionError("cell-level revisions (w:cellIns, w:cellDel, w:cellMerge) are not modelled")
    for marker in list(body.iter(*_RANGE_MARKERS)):
        marker.getparent().remove(marker)
    for row in list(body.iter(w("tr"))):
        marks = row.find(w("trPr"))
        if marks is None:
            continue
        for kept in [m for m in marks if m.tag in (w(k) for k in keep)]:
            marks.remove(kept)
        if any(marks.find(w(d)) is not None for d in drop):
            row.getparent().remove(row)
    for table in list(body.iter(w("tbl"))):
        if table.find(w("tr")) is None:
            table.getparent().remove(table)
    for change in list(body.iter(*(w(d) for d in drop))):
        if change.getparent().tag not in (w("rPr"), w("trPr")):
            change.getparent().remove(change)
    for change in list(body.iter(*(w(k) for k in keep))):
        if change.getparent().tag not in (w("rPr"), w("trPr")):
            for child in list(change):
                change.addprevious(child)
            change.getparent().remove(change)
    for text in list(body.iter(w("delText"), w("delInstrText"))):
        if "del" not in keep:
            raise AssertionError("w:delText outside a w:del or w:moveFrom")
        text.tag = w("t") if text.tag == w("delText") else w("instrText")
    for p in list(body.iter(w("p"))):
        marks = p.find("w:pPr/w:rPr", NS)
        if marks is None:
            continue
        for kept in [m for m in marks if m.tag in (w(k) for k in keep)]:
            marks.remove(kept)
        if any(marks.find(w(d)) is not None for d in drop):
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
    return _review(body, keep=_INSERTED, drop=_DELETED)


def reject_all(body: etree._Element) -> etree._Element:
    """A copy of `body` with every tracked change rejected."""
    return _review(body, keep=_DELETED, drop=_INSERTED)


_SHOWN = tuple(w(tag) for tag in ("t", "delText", "tab", "ptab", "br", "cr", "noBreakHyphen", "softHyphen"))
_CHARACTERS = {w("tab"): "\t", w("ptab"): "\t", w("cr"): "\n", w("noBreakHyphen"): "\u2011",
               w("softHyphen"): "\u00ad"}
_NOT_THE_PARAGRAPHS_OWN = (w("pPr"), w("txbxContent"))  # tab stops; a text box's own paragraphs


def paragraph_text(p: etree._Element) -> str:
    """The text of a `w:p` as a reader sees it: `w:t` and `w:delText` as written, a tab as "\t".

    A line break (`w:br`, `w:cr`) reads as "\n"; a page or column break as nothing, since
    LibreOffice makes it a property of the paragraph rather than a character. A field reads
    as its result (the runs between `separate` and `end`; `w:instrText` is not text), so a
    contents field reads as the entries written into it. Tab stops in `w:pPr` and text
    boxes are not the paragraph's text.
    """
    parts = []
    for element in p.iter(*_SHOWN):
        if any(ancestor.tag in _NOT_THE_PARAGRAPHS_OWN for ancestor in element.iterancestors()):
            continue
        if element.tag == w("br"):
            parts.append("" if element.get(w("type")) in ("page", "column") else "\n")
        else:
            parts.append(_CHARACTERS.get(element.tag, element.text or ""))
    return "".join(parts)


def body_texts(body: etree._Element) -> list[str]:
    """The body in order, as tests/libreoffice_review.py reads it in LibreOffice: one string per block.

    Each paragraph gives its `paragraph_text`, empty paragraphs (a page break's among them)
    included as ""; each table gives one string per cell, rows in order, a cell's paragraphs
    joined with "\n". Content controls (`w:sdt`) read as their content; the section
    properties, headers and footers are not part of it. Read an `accept_all` or
    `reject_all` copy to compare with LibreOffice's Accept All or Reject All.
    """
    texts: list[str] = []
    for element in body:
        if element.tag == w("p"):
            texts.append(paragraph_text(element))
        elif element.tag == w("tbl"):
            texts.extend("\n".join(body_texts(cell)) for row in element.iterchildren(w("tr"))
                         for cell in row.iterchildren(w("tc")))
        elif element.tag in (w("sdt"), w("customXml")):
            content = element.find(w("sdtContent")) if element.tag == w("sdt") else element
            texts.extend(body_texts(content) if content is not None else [])
    return texts


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


def headings(body: etree._Element, style: str = "Heading1") -> list[str]:
    """The paragraphs of one heading style as Word shows them ("2  Payment"), in order."""
    numbers = heading_numbers(body)
    return [f"{numbers[p]}  {paragraph_text(p)}" if p in numbers else paragraph_text(p)
            for p in body.iter(w("p")) if style_of(p) == style]


_REVISIONS = tuple(w(kind) for kind in _INSERTED + _DELETED)


def tracked_change_count(body: etree._Element) -> int:
    """How many tracked changes LibreOffice lists for `body` (Edit > Track Changes > Manage).

    LibreOffice 7.4 makes one change of each stretch of revised content - text runs and
    paragraph marks in document order - of one kind (insertion, deletion, move from, move
    to), by one author, dated less than a minute apart, that no unrevised text, cell or table
    boundary interrupts. Row marks (`w:trPr/w:ins|w:del`) add nothing of their own: the
    row's cells carry its changes, except a row whose cells are all empty, which counts
    once. (LibreOffice also joins an insertion ending one paragraph to one opening the next
    across an unrevised mark; that is its bug, not modelled here: Reject All then joins the
    two paragraphs, which the text comparison reports. A row mark over cells holding
    unrevised text is no change to LibreOffice, none here either, though Word drops the row.)
    """
    count, current = 0, None
    for key in _revision_stream(body):
        if key is not None and not _same_change(current, key):
            count += 1
        current = key
    for row in body.iter(w("tr")):
        marks = row.find(w("trPr"))
        if marks is not None and any(m.tag in _REVISIONS for m in marks) and not _row_has_content(row):
            count += 1  # LibreOffice puts a zero-width joiner in the first cell to carry the change
    return count


def _revision_key(element: etree._Element | None) -> tuple[str, str, datetime | None] | None:
    if element is None:
        return None
    date = element.get(w("date"))
    when = datetime.fromisoformat(date.replace("Z", "+00:00")) if date else None
    return etree.QName(element).localname, element.get(w("author"), ""), when


def _same_change(a, b) -> bool:
    if a is None or a[:2] != b[:2]:
        return False
    if a[2] is None or b[2] is None:
        return a[2] is b[2]
    return abs((a[2] - b[2]).total_seconds()) < 60


def _revision_stream(story: etree._Element):
    """The revision (kind, author, date) of each piece of content of `story` in order, None for unrevised."""
    for element in story:
        if element.tag == w("p"):
            for shown in element.iter(*_SHOWN):
                if any(a.tag in _NOT_THE_PARAGRAPHS_OWN for a in shown.iterancestors()):
                    continue
                yield _revision_key(next((a for a in shown.iterancestors() if a.tag in _REVISIONS), None))
            marks = element.find("w:pPr/w:rPr", NS)
            yield _revision_key(None if marks is None else next((m for m in marks if m.tag in _REVISIONS), None))
        elif element.tag == w("tbl"):
            for cell in element.iterfind("w:tr/w:tc", NS):
                yield None
                yield from _revision_stream(cell)
                yield None
        elif element.tag in (w("sdt"), w("customXml")):
            content = element.find(w("sdtContent")) if element.tag == w("sdt") else element
            if content is not None:
                yield from _revision_stream(content)


def _row_has_content(row: etree._Element) -> bool:
    return any(True for cell in row.iterchildren(w("tc")) for p in cell.iter(w("p")) for _shown in p.iter(*_SHOWN))


_CONTENT_TYPES = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
                  '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
                  '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
                  '<Default Extension="xml" ContentType="application/xml"/>'
                  '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.'
                  'wordprocessingml.document.main+xml"/></Types>')
_PACKAGE_RELATIONSHIPS = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
                          '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                          '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
                          'relationships/officeDocument" Target="word/document.xml"/></Relationships>')


def with_part(docx: bytes, name: str, change) -> bytes:
    """`docx` with the part `name` replaced by `change(its bytes)` (added, stored, when it has none); every
    other part as it was."""
    source, target = zipfile.ZipFile(io.BytesIO(docx)), io.BytesIO()
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as out:
        for entry in source.infolist():
            data = source.read(entry.filename)
            out.writestr(entry, change(data) if entry.filename == name else data)
        if name not in source.namelist():
            out.writestr(zipfile.ZipInfo(name), change(b""))
    return target.getvalue()


def edited(docx: bytes, change, name: str = "word/document.xml") -> bytes:
    """`docx` with the XML of the part `name` changed in place by `change(root)`; every other part as it was."""
    def on_tree(data: bytes) -> bytes:
        root = etree.fromstring(data)
        change(root)
        return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
    return with_part(docx, name, on_tree)


def without_comment_anchors(docx: bytes) -> bytes:
    """The file with its comments' anchors (range marks and reference runs) taken out of the text.

    LibreOffice 7.4, driven headless through a frame as tests/libreoffice_review.py does,
    aborts while building the margin's comment windows; the comments play no part in what
    Accept All and Reject All give, so the review reads the file without them.
    """
    def unanchored(root: etree._Element) -> None:
        for mark in list(root.iter(w("commentRangeStart"), w("commentRangeEnd"))):
            mark.getparent().remove(mark)
        for reference in list(root.iter(w("commentReference"))):
            run = reference.getparent()
            run.getparent().remove(run)
    return edited(docx, unanchored)


def tiny_docx(body_xml: str) -> bytes:
    """The smallest .docx Word and LibreOffice open: one part, whose `w:body` holds `body_xml` (prefix `w:`)."""
    document = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document xmlns:w="{W}">'
                f'<w:body>{body_xml}<w:sectPr/></w:body></w:document>')
    data = io.BytesIO()
    with zipfile.ZipFile(data, "w", zipfile.ZIP_DEFLATED) as package:
        package.writestr("[Content_Types].xml", _CONTENT_TYPES)
        package.writestr("_rels/.rels", _PACKAGE_RELATIONSHIPS)
        package.writestr("word/document.xml", document)
    return data.getvalue()


# The redline tests' documents -------------------------------------------------------------

CREATED = datetime(2025, 3, 4, 16, 30, 5, tzinfo=timezone.utc)  # when the newer revision was cut
EARLIER = datetime(2025, 3, 2, 9, 15, tzinfo=timezone.utc)
RU_PAYMENT = "Заказчик оплачивает счёт в течение 14 рабочих дней."
EN_AUDIT = "The Client may audit the Provider once a year."
LINES_OLD = "First line.\nSecond line.\nThird line."
LINES_NEW = "First line. Second line.\nThird line.\nFourth line."  # a line joined, one added


def clause(key: str, text: str, title: str | None = None) -> ClauseInstance:
    """A clause titled after the last part of its key, unless given a title."""
    return ClauseInstance(key, title or key.split(".")[-1].capitalize(), text)


def info(number: int, language: str = "en", author: str = "Anna Kowalska",
         title: str = "Umowa serwisowa / Service agreement") -> ExportInfo:
    """Revision `number` of agreement 7, cut by `author` a day after the one before (revision 2 at CREATED)."""
    return ExportInfo(agreement_id=7, title=title, language=language,
                      status="negotiating", provider_name="Zakład Usług Łódź sp. z o.o.",
                      client_name="Compañía Ibérica S.A.", revision_number=number,
                      revision_hash=f"{number:x}" * 64, revision_created_at=CREATED - timedelta(days=2 - number),
                      revision_author=author)


def texts(elements, tag: str) -> list[str]:
    """The text of every `w:<tag>` (e.g. "t", "delText") inside `elements`, in order."""
    return [t.text for element in elements for t in element.iter(w(tag))]


def clause_paragraphs(body: etree._Element, title: str) -> list:
    """The clause heading reading `title` (as it stands, or as deleted) and the body paragraphs after it."""
    paragraphs = list(body.iter(w("p")))
    start = next(i for i, p in enumerate(paragraphs) if style_of(p) == "Heading2"
                 and title in ("".join(texts([p], "t")), "".join(texts([p], "delText"))))
    end = next((i for i in range(start + 1, len(paragraphs)) if style_of(paragraphs[i]) is not None), len(paragraphs))
    return paragraphs[start:end]
