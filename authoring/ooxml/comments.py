"""Comments as Word shows them: threads in word/comments.xml and word/commentsExtended.xml.

python-docx 1.2 creates the comments part and each `w:comment` (`Document.comments.add_comment`),
but stamps `w:date` with the current time, anchors on runs, and knows nothing of replies or
of resolving. An export must give the same bytes every time, and our anchors are whole
paragraphs that may hold tracked changes; so these builders set each comment's id (from the
document's shared `AnnotationIds`) and given date, write the anchors themselves, and add
the part python-docx lacks:

- word/commentsExtended.xml (MS-DOCX 2.3.2, Word 2013 on) holds one `w15:commentEx` per
  comment, keyed by the `w14:paraId` of the comment's *last* paragraph: a reply names its
  parent's in `w15:paraIdParent`, and `w15:done="1"` marks a resolved thread - on every
  comment of it, as Word writes it (a root alone marked done leaves Word a dangling reply);
- every comment of a thread, replies too, has its own range over the same text, nested as
  Word writes them: all the starts, then per comment its end and its reference run;
- `w14:paraId` values are 8 hex digits below 0x80000000 (Word re-keys larger ones on
  opening, which cuts the thread links), counted up from the highest one the document
  already holds: unique and the same on every export.

The comments use the `CommentText` and `CommentReference` styles, which python-docx's
template does not define; `ooxml.styles.ensure_styles` adds Word's own definitions of them.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from docx.document import Document as DocxDocument
from docx.opc.packuri import PackURI
from docx.opc.part import XmlPart
from docx.oxml.ns import qn
from docx.oxml.parser import parse_xml
from lxml.etree import SubElement

from .bidi import direct_paragraph
from .styles import COMMENT_REFERENCE, COMMENT_TEXT, ensure_styles
from .text import xml_safe
from .blocks import add_run
from .tracked import AnnotationIds, ooxml_date

W14 = "http://schemas.microsoft.com/office/word/2010/wordml"
W15 = "http://schemas.microsoft.com/office/word/2012/wordml"
MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
COMMENTS_EXTENDED_PART = "/word/commentsExtended.xml"
COMMENTS_EXTENDED_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.commentsExtended+xml"
COMMENTS_EXTENDED_RELATIONSHIP = "http://schemas.microsoft.com/office/2011/relationships/commentsExtended"

_P, _PPR, _R, _RPR = qn("w:p"), qn("w:pPr"), qn("w:r"), qn("w:rPr")
_ID, _DATE, _VAL = qn("w:id"), qn("w:date"), qn("w:val")
_PARA_ID, _TEXT_ID = f"{{{W14}}}paraId", f"{{{W14}}}textId"
_IGNORABLE = f"{{{MC}}}Ignorable"
_COMMENT_EX = f"{{{W15}}}commentEx"
_EX_PARA_ID, _EX_PARENT, _EX_DONE = f"{{{W15}}}paraId", f"{{{W15}}}paraIdParent", f"{{{W15}}}done"
_UNSET_TEXT_ID = "77777777"  # what Word writes as a comment paragraph's textId
_PARA_ID_LIMIT = 0x80000000

@dataclass(frozen=True)
class WordComment:
    """One comment of a thread as Word shows it: who wrote it, when (UTC) and what (lines)."""

    author: str
    at: datetime
    text: str


def initials_of(name: str) -> str:
    """Up to three initials of a person's name ("Zofia Wójcik" -> "ZW"), as Word shows them."""
    return "".join(word[0] for word in name.split()[:3]).upper()


def add_comment_thread(document: DocxDocument, ids: AnnotationIds, first_p, last_p, comments: Sequence[WordComment],
                       resolved: bool = False, direction: str = "ltr") -> list[str]:
    """Add a thread - a comment and its replies, in order - over the paragraphs `first_p` to `last_p`.

    Each comment is its own `w:comment` (replies after their parent), ranging over the
    same text: from the start of the `w:p` element `first_p` to the end of `last_p`
    (the same element for one paragraph). Replies name the first comment as their parent
    in word/commentsExtended.xml, and every comment of a `resolved` thread is marked done.
    Each comment paragraph runs the way its text does (`direction`, "ltr" or "rtl", for
    one without a strong character). Returns the comments' `w:id` values.
    """
    if not comments:
        return []
    ensure_styles(document)  # CommentText, CommentReference
    elements = [add_comment(document, ids, author=c.author, when=c.at, text=c.text) for c in comments]
    for element in elements:
        for p in element.iter(_P):
            direct_paragraph(p, direction)
    comment_ids = [element.get(_ID) for element in elements]
    anchor_thread(first_p, last_p, comment_ids)
    extended = comments_extended(document)
    parent = _last_para_id(elements[0])
    for index, element in enumerate(elements):
        entry = SubElement(extended, _COMMENT_EX)
        entry.set(_EX_PARA_ID, _last_para_id(element))
        if index:
            entry.set(_EX_PARENT, parent)
        entry.set(_EX_DONE, "1" if resolved else "0")
    return comment_ids


def add_comment(document: DocxDocument, ids: AnnotationIds, *, author: str, when: datetime, text: str):
    """Add a `w:comment` element to the comments part and return it; anchor it with `anchor_thread`.

    Its `w:id` comes from `ids`, its `w:date` is `when` (not the time of export), and each
    line of `text` is one paragraph in the `CommentText` style, its run written by
    `blocks.add_run`, with a `w14:paraId` of its own (see `next_para_id`).
    """
    author = xml_safe(author)
    comment = document.comments.add_comment(author=author, initials=initials_of(author))
    element = comment._element  # the w:comment: python-docx has no public setter for id or a fixed date
    element.set(_ID, ids.next())
    element.set(_DATE, ooxml_date(when))
    root = element.getparent()
    if root.get(_IGNORABLE) is None:  # w14 attributes follow: readers that do not know them may skip them
        root.set(_IGNORABLE, "w14")
    lines = text.split("\n")
    add_run(element.find(_P), lines[0])
    for line in lines[1:]:
        p = SubElement(element, _P)
        SubElement(SubElement(p, _PPR), qn("w:pStyle")).set(_VAL, COMMENT_TEXT)
        add_run(p, line)
    first = int(next_para_id(document), 16)
    for offset, p in enumerate(element.iter(_P)):
        p.set(_PARA_ID, _para_id(first + offset))
        p.set(_TEXT_ID, _UNSET_TEXT_ID)
    return element


def anchor_thread(first_p, last_p, comment_ids: Sequence[str]) -> None:
    """Make the `w:p` elements `first_p` to `last_p` the range of each comment of `comment_ids`.

    The `w:commentRangeStart`s go before the first paragraph's content (after its `w:pPr`),
    in order; at the end of the last one, each comment's `w:commentRangeEnd` followed by a
    run holding its `w:commentReference`. All sit at paragraph level, so the anchor stays
    valid whatever tracked changes the paragraphs hold.
    """
    p_pr = first_p.find(_PPR)
    at = 0 if p_pr is None else first_p.index(p_pr) + 1
    for offset, comment_id in enumerate(comment_ids):
        first_p.insert(at + offset, first_p.makeelement(qn("w:commentRangeStart"), {_ID: comment_id}))
    for comment_id in comment_ids:
        SubElement(last_p, qn("w:commentRangeEnd")).set(_ID, comment_id)
        reference = SubElement(last_p, _R)
        SubElement(SubElement(reference, _RPR), qn("w:rStyle")).set(_VAL, COMMENT_REFERENCE)
        SubElement(reference, qn("w:commentReference")).set(_ID, comment_id)


def next_para_id(document: DocxDocument) -> str:
    """A `w14:paraId` no paragraph of the document or its comments holds yet: one above the highest.

    Eight upper-case hex digits below 0x80000000, as MS-DOCX requires; counted, never
    random, so an export gives the same bytes every time. (A comment's further paragraphs
    take the next values: the scan is once per comment, not per paragraph.)
    """
    highest = 0
    for root in (document.element, document.comments._comments_elm):
        for value in root.xpath("//@w14:paraId"):  # python-docx elements know the w14 prefix
            try:
                highest = max(highest, int(value, 16))
            except ValueError:
                continue
    return _para_id(highest + 1)


def _para_id(value: int) -> str:
    if not 0 < value < _PARA_ID_LIMIT:
        raise ValueError("no paragraph id left below 0x80000000")
    return f"{value:08X}"


def _last_para_id(comment) -> str:
    return comment.findall(_P)[-1].get(_PARA_ID)


def comments_extended(document: DocxDocument):
    """The `w15:commentsEx` root of word/commentsExtended.xml, the part created and related when absent."""
    part = document.part
    for relationship in part.rels.values():
        if relationship.reltype == COMMENTS_EXTENDED_RELATIONSHIP and not relationship.is_external:
            return relationship.target_part.element
    element = parse_xml(f'<w15:commentsEx xmlns:mc="{MC}" xmlns:w15="{W15}" mc:Ignorable="w15"/>')
    extended = XmlPart(PackURI(COMMENTS_EXTENDED_PART), COMMENTS_EXTENDED_TYPE, element, part.package)
    part.relate_to(extended, COMMENTS_EXTENDED_RELATIONSHIP)
    return element
