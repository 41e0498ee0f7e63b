"""Tracked changes: `w:ins`, `w:del`, moves and revised paragraph marks.

python-docx cannot write revisions (its issue #340), so these builders do, in its
manner: each function makes or changes one element and returns it. Elements are made
with lxml's `SubElement` under a python-docx element, so they come out as python-docx's
own classes (`CT_P`, `CT_R`) and the proxies keep working on them.

Two rules make Word's Accept All and Reject All exact:

- every `w:t` and `w:delText` carries `xml:space="preserve"` (without it Word and
  LibreOffice drop a leading or trailing space, and "14 days" becomes "14days"):
  ooxml.blocks.add_run writes them so;
- a paragraph that was wholly inserted or deleted has its *mark* revised too
  (`w:pPr/w:rPr/w:ins` or `w:del`), so Reject All or Accept All joins it to the next
  paragraph and leaves no empty paragraph behind. An inserted line break inside a
  clause is, in the same way, an inserted paragraph mark.

Every `w:id` of one document comes from one `AnnotationIds`, shared with comments:
ECMA-376 calls the id "a unique identifier for an annotation within a WordprocessingML
document", and one counter for all of them satisfies every reading of that.
"""
from __future__ import annotations

import itertools
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from lxml.etree import SubElement

from docx.oxml.ns import qn

from ..document.canonical import utc_timestamp
from ..document.words import DELETE, EQUAL, INSERT

_PPR, _RPR = qn("w:pPr"), qn("w:rPr")
_INS, _DEL, _MOVE_FROM, _MOVE_TO = qn("w:ins"), qn("w:del"), qn("w:moveFrom"), qn("w:moveTo")
_ID, _AUTHOR, _DATE, _VAL = qn("w:id"), qn("w:author"), qn("w:date"), qn("w:val")
# Children of w:pPr that the schema puts after w:rPr (ECMA-376 Part 1, 17.3.1.26).
_AFTER_PARAGRAPH_RPR = (qn("w:sectPr"), qn("w:pPrChange"))


# `w:date` of a revision or comment: UTC, `YYYY-MM-DDTHH:MM:SSZ` (naive datetimes are UTC already).
ooxml_date = utc_timestamp


class AnnotationIds:
    """The `w:id` values of one document: insertions, deletions and comments share them."""

    def __init__(self) -> None:
        self._counter = itertools.count()

    def next(self) -> str:
        return str(next(self._counter))


@dataclass(frozen=True)
class Revision:
    """Who made a tracked change and when: the `w:author` and `w:date` of a `w:ins`/`w:del`."""

    author: str
    date: str  # already in ooxml_date form

    @classmethod
    def by(cls, author: str, when: datetime) -> "Revision":
        return cls(author, ooxml_date(when))


def _revision_element(parent, tag: str, ids: AnnotationIds, revision: Revision):
    element = SubElement(parent, tag)
    element.set(_ID, ids.next())
    element.set(_AUTHOR, revision.author)
    element.set(_DATE, revision.date)
    return element


def add_ins(parent, ids: AnnotationIds, revision: Revision):
    """Append an empty `w:ins` element (an insertion) with `w:id`, `w:author` and `w:date` to `parent`."""
    return _revision_element(parent, _INS, ids, revision)


def add_del(parent, ids: AnnotationIds, revision: Revision):
    """Append an empty `w:del` element (a deletion) with `w:id`, `w:author` and `w:date` to `parent`."""
    return _revision_element(parent, _DEL, ids, revision)


def _paragraph_mark_properties(p):
    """The `w:pPr/w:rPr` of the `w:p` element `p` (the paragraph mark's run properties), created when absent."""
    p_pr = p.find(_PPR)
    if p_pr is None:
        p_pr = p.makeelement(_PPR, {})
        p.insert(0, p_pr)
    r_pr = p_pr.find(_RPR)
    if r_pr is None:
        r_pr = p_pr.makeelement(_RPR, {})
        successor = next((child for child in p_pr if child.tag in _AFTER_PARAGRAPH_RPR), None)
        if successor is not None:
            successor.addprevious(r_pr)
        else:
            p_pr.append(r_pr)
    return r_pr


def _mark_paragraph(p, tag: str, ids: AnnotationIds, revision: Revision):
    r_pr = _paragraph_mark_properties(p)
    mark = _revision_element(r_pr, tag, ids, revision)
    # w:ins and w:del come first in a paragraph mark's run properties (CT_ParaRPr).
    r_pr.insert(0, mark)
    return mark


def mark_paragraph_inserted(p, ids: AnnotationIds, revision: Revision):
    """Add `w:pPr/w:rPr/w:ins` to the `w:p` element `p`: its paragraph mark was inserted.

    Reject All then removes the mark, joining what is left of `p` to the next paragraph.
    """
    return _mark_paragraph(p, _INS, ids, revision)


def mark_paragraph_deleted(p, ids: AnnotationIds, revision: Revision):
    """Add `w:pPr/w:rPr/w:del` to the `w:p` element `p`: its paragraph mark was deleted.

    Accept All then removes the mark, joining what is left of `p` to the next paragraph.
    """
    return _mark_paragraph(p, _DEL, ids, revision)


def add_move(parent, source: bool, ids: AnnotationIds, revision: Revision):
    """Append an empty `w:moveFrom` (`source`: where moved text stood) or `w:moveTo` (where it stands)."""
    return _revision_element(parent, _MOVE_FROM if source else _MOVE_TO, ids, revision)


def mark_paragraph_moved(p, source: bool, ids: AnnotationIds, revision: Revision):
    """Add `w:pPr/w:rPr/w:moveFrom` (or `w:moveTo`) to the `w:p` element `p`: its mark moved with its text.

    Accept All then removes a moved-from paragraph whole and Reject All a moved-to one, leaving
    no empty paragraph behind.
    """
    return _mark_paragraph(p, _MOVE_FROM if source else _MOVE_TO, ids, revision)


def move_range(first_p, last_p, source: bool, name: str, ids: AnnotationIds, revision: Revision) -> None:
    """Bracket the paragraphs `first_p` to `last_p` as one side of the move `name`.

    `w:moveFromRangeStart`/`w:moveToRangeStart` (id, author, date, the move's name shared by
    both sides) opens the first paragraph's content, the matching range end closes the last's.
    """
    kind = "moveFrom" if source else "moveTo"
    range_id = ids.next()
    start = first_p.makeelement(qn(f"w:{kind}RangeStart"), {_ID: range_id, _AUTHOR: revision.author,
                                                            _DATE: revision.date, qn("w:name"): name})
    p_pr = first_p.find(_PPR)
    first_p.insert(0 if p_pr is None else first_p.index(p_pr) + 1, start)
    SubElement(last_p, qn(f"w:{kind}RangeEnd")).set(_ID, range_id)


def mark_paragraph(p, op: int, ids: AnnotationIds, revision: Revision) -> None:
    """Revise the mark of the `w:p` element `p` as `op` says (INSERT, DELETE; EQUAL leaves it)."""
    if op == INSERT:
        mark_paragraph_inserted(p, ids, revision)
    elif op == DELETE:
        mark_paragraph_deleted(p, ids, revision)


def split_lines(segments: Iterable[tuple[int, str]], whole: int = EQUAL) -> list[tuple[list[tuple[int, str]], int]]:
    """Diff segments cut into paragraphs at each "\\n": [(segments of the line, op of its mark)].

    A "\\n" inside an inserted segment is an inserted paragraph mark, inside a deleted one a
    deleted mark, so Accept All and Reject All rebuild the lines exactly. The last
    paragraph's mark takes `whole`: INSERT for a wholly inserted text, DELETE for a wholly
    deleted one, EQUAL otherwise. There is always at least one paragraph.
    """
    lines: list[tuple[list[tuple[int, str]], int]] = []
    current: list[tuple[int, str]] = []
    for op, text in segments:
        if "\n" not in text:
            if text:
                current.append((op, text))
            continue
        pieces = text.split("\n")
        for index, piece in enumerate(pieces):
            if index:
                lines.append((current, op))
                current = []
            if piece:
                current.append((op, piece))
    lines.append((current, whole))
    return lines
