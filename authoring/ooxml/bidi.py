"""Right-to-left marks, set by content: `w:bidi` on a paragraph, `w:rtl` on a run, `w:bidi` on a section.

Word lays out a paragraph right-to-left only when it carries `<w:bidi/>` in its `w:pPr`;
a run's `<w:rtl/>` makes Word treat its digits and punctuation as right-to-left too and
draw it with the complex-script font. So each mark goes exactly where the text needs it
(Unicode bidi rules P2-P3, as HTML's dir="auto"):

- a paragraph is right-to-left when its first strong character is (a Hebrew comment in an
  English agreement), left-to-right when that is a Latin letter (an English party name in
  a Hebrew agreement), and takes the document's direction when it has neither (a number,
  a hash, an empty line);
- only the right-to-left stretches of a paragraph's text are `w:rtl` runs: a run holding
  "בתוך 14 ימים" becomes three, so "14" and "SLA 99.9%" keep their left-to-right order;
- the section is right-to-left (page order, columns, gutter) where the agreement's
  language is.
"""
from __future__ import annotations

from bisect import bisect_left, bisect_right
from copy import deepcopy

from docx.oxml.ns import qn
from lxml import etree

from ..document.direction import rtl_spans, text_direction

_P, _PPR, _R, _RPR = qn("w:p"), qn("w:pPr"), qn("w:r"), qn("w:rPr")
_T, _DEL_TEXT, _BIDI, _RTL = qn("w:t"), qn("w:delText"), qn("w:bidi"), qn("w:rtl")
_TEXT_TAGS = (_T, _DEL_TEXT)


def direct_paragraph(p: etree._Element, default: str = "ltr") -> str:
    """Give the `w:p` element `p` its direction from its text, and `w:rtl` to its right-to-left runs.

    `default` ("rtl" or "ltr") is the document's direction, for a paragraph with no strong
    character. Returns the paragraph's direction. Runs are cut where the text changes
    direction; each piece keeps the run's properties.
    """
    nodes = list(p.iter(*_TEXT_TAGS))
    text = "".join(node.text or "" for node in nodes)
    direction = text_direction(text, default)
    if direction == "rtl":
        mark_paragraph_bidi(p)
    spans = rtl_spans(text)
    if not spans:
        return direction
    offsets, at = {}, 0
    for node in nodes:
        offsets[node] = at
        at += len(node.text or "")
    cuts = sorted({edge for span in spans for edge in span})
    starts = [start for start, _end in spans]
    ends = [end for _start, end in spans]

    def is_rtl(position: int) -> bool:
        index = bisect_right(starts, position) - 1
        return index >= 0 and position < ends[index]

    for run in list(p.iter(_R)):
        if any(child.tag in _TEXT_TAGS for child in run):
            _split_run(run, offsets, cuts, is_rtl)
    return direction


def _split_run(run: etree._Element, offsets: dict, cuts: list[int], is_rtl) -> None:
    """Replace `run` by runs of one direction each, the right-to-left ones marked `w:rtl`."""
    groups: list[tuple[bool, list[etree._Element]]] = []
    for child in run:
        if child.tag == _RPR:
            continue
        if child.tag not in _TEXT_TAGS:  # a tab or break goes with what precedes it
            if groups:
                groups[-1][1].append(child)
            else:
                groups.append((False, [child]))
            continue
        text, start = child.text or "", offsets[child]
        inside = [cut - start for cut in cuts[bisect_right(cuts, start):bisect_left(cuts, start + len(text))]]
        for piece_start, piece_end in zip([0, *inside], [*inside, len(text)]):
            piece = child.makeelement(child.tag, child.attrib)
            piece.text = text[piece_start:piece_end]
            rtl = is_rtl(start + piece_start)
            if groups and groups[-1][0] == rtl:
                groups[-1][1].append(piece)
            else:
                groups.append((rtl, [piece]))
    if len(groups) == 1 and len(groups[0][1]) == sum(1 for c in run if c.tag != _RPR):
        # One direction throughout: keep the run as it is, marked when right-to-left.
        if groups[0][0]:
            mark_run_rtl(run)
        return
    properties = run.find(_RPR)
    for rtl, children in groups:
        new = run.makeelement(_R, run.attrib)
        if properties is not None:
            new.append(deepcopy(properties))
        new.extend(children)
        if rtl:
            mark_run_rtl(new)
        run.addprevious(new)
    run.getparent().remove(run)


def mark_paragraph_bidi(p: etree._Element) -> None:
    """Make the `w:p` element `p` a right-to-left paragraph (`w:pPr/w:bidi`)."""
    p_pr = p.find(_PPR)
    if p_pr is None:
        p_pr = p.makeelement(_PPR, {})
        p.insert(0, p_pr)
    if p_pr.find(_BIDI) is None:
        _insert_in_schema_order(p_pr, p_pr.makeelement(_BIDI, {}), _AFTER_BIDI)


def mark_run_rtl(run_element: etree._Element) -> None:
    """Add `<w:rtl/>` to a `w:r` element's run properties (created when absent)."""
    r_pr = run_element.find(_RPR)
    if r_pr is None:
        r_pr = run_element.makeelement(_RPR, {})
        run_element.insert(0, r_pr)
    if r_pr.find(_RTL) is None:
        _insert_in_schema_order(r_pr, r_pr.makeelement(_RTL, {}), _AFTER_RTL)


def mark_section_rtl(sect_pr: etree._Element) -> None:
    """`w:bidi` on a `w:sectPr`: page numbers, columns and gutter run right to left."""
    if sect_pr.find(_BIDI) is None:
        _insert_in_schema_order(sect_pr, sect_pr.makeelement(_BIDI, {}), _AFTER_SECTION_BIDI)


def _insert_in_schema_order(parent, element, later_tags: tuple[str, ...]) -> None:
    """Put `element` before the first child the schema orders after it (Word refuses other orders)."""
    successor = next((child for tag in later_tags if (child := parent.find(qn(tag))) is not None), None)
    if successor is not None:
        successor.addprevious(element)
    else:
        parent.append(element)


# CT_PPrBase children that come after w:bidi in the schema (ECMA-376 Part 1, 17.3.1.26).
_AFTER_BIDI = ("w:adjustRightInd", "w:snapToGrid", "w:spacing", "w:ind", "w:contextualSpacing", "w:mirrorIndents",
               "w:suppressOverlap", "w:jc", "w:textDirection", "w:textAlignment", "w:textboxTightWrap",
               "w:outlineLvl", "w:divId", "w:cnfStyle", "w:rPr", "w:sectPr", "w:pPrChange")
# CT_RPr children that come after w:rtl (17.3.2.30).
_AFTER_RTL = ("w:cs", "w:em", "w:lang", "w:eastAsianLayout", "w:specVanish", "w:oMath")
# CT_SectPr children that come after w:bidi (17.6.17).
_AFTER_SECTION_BIDI = ("w:rtlGutter", "w:docGrid", "w:printerSettings", "w:sectPrChange")
