"""Comments: a `w:comment` in word/comments.xml and its anchor in the document text.

python-docx 1.2 creates the comments part and the `w:comment` element for us
(`Document.comments.add_comment`), but stamps `w:date` with the current time and anchors
on runs. An export must give the same bytes every time, and our anchors are whole
paragraphs that may hold tracked changes; so these builders set the comment's id (from
the document's shared `AnnotationIds`) and given date, and write the anchor themselves.
"""
from __future__ import annotations

from datetime import datetime

from docx.document import Document as DocxDocument
from docx.oxml.ns import qn
from lxml.etree import SubElement

from .tracked import AnnotationIds, add_paragraph, add_run, ooxml_date
from .text import xml_safe

_P, _PPR, _R, _RPR = qn("w:p"), qn("w:pPr"), qn("w:r"), qn("w:rPr")
_ID, _DATE, _VAL = qn("w:id"), qn("w:date"), qn("w:val")


def initials_of(name: str) -> str:
    """Up to three initials of a person's name ("Zofia Wójcik" -> "ZW"), as Word shows them."""
    return "".join(word[0] for word in name.split()[:3]).upper()


def add_comment(document: DocxDocument, ids: AnnotationIds, *, author: str, when: datetime, text: str):
    """Add a `w:comment` element to the comments part and return it; anchor it with `anchor_comment`.

    Its `w:id` comes from `ids`, its `w:date` is `when` (not the time of export), and each
    line of `text` is one paragraph, in runs written by `tracked.add_run`.
    """
    author = xml_safe(author)
    initials = initials_of(author)
    comment = document.comments.add_comment(author=author, initials=initials)
    element = comment._element  # the w:comment: python-docx has no public setter for id or a fixed date
    element.set(_ID, ids.next())
    element.set(_DATE, ooxml_date(when))
    lines = text.split("\n")
    add_run(element.find(_P), lines[0])
    for line in lines[1:]:
        add_run(add_paragraph(element, "CommentText"), line)
    return element


def anchor_comment(p, comment_id: str) -> None:
    """Make the whole `w:p` element `p` the range of comment `comment_id`.

    `w:commentRangeStart` goes before the paragraph's content, `w:commentRangeEnd` after
    it, followed by a run holding the `w:commentReference` - all at paragraph level, so the
    anchor stays valid whatever tracked changes the paragraph holds.
    """
    start = p.makeelement(qn("w:commentRangeStart"), {_ID: comment_id})
    p_pr = p.find(_PPR)
    p.insert(0 if p_pr is None else p.index(p_pr) + 1, start)
    SubElement(p, qn("w:commentRangeEnd")).set(_ID, comment_id)
    reference = SubElement(p, _R)
    SubElement(SubElement(reference, _RPR), qn("w:rStyle")).set(_VAL, "CommentReference")
    SubElement(reference, qn("w:commentReference")).set(_ID, comment_id)
