"""Page setup of a section (`w:sectPr`): the paper (`w:pgSz`) and the margins (`w:pgMar`).

Sizes are in twentieths of a point (twips), as Word writes them: A4 is 210 × 297 mm,
US Letter 8.5 × 11 in. Both get 1-inch (2.54 cm) margins all round, the margin a law firm's
template uses on either paper, with the header and footer half an inch from the edge
(Word's own defaults: 708 twips on A4, i.e. 1.25 cm, and 720 on Letter).
"""
from __future__ import annotations

from dataclasses import dataclass

from docx.oxml.ns import qn
from lxml import etree

_PG_SZ, _PG_MAR = qn("w:pgSz"), qn("w:pgMar")
# What may follow w:pgSz/w:pgMar inside CT_SectPr, in schema order: a new element goes before the first of these.
_AFTER_PG_SZ = tuple(qn(f"w:{name}") for name in (
    "pgMar", "paperSrc", "pgBorders", "lnNumType", "pgNumType", "cols", "formProt", "vAlign", "noEndnote", "titlePg",
    "textDirection", "bidi", "rtlGutter", "docGrid", "printerSettings", "sectPrChange"))
_AFTER_PG_MAR = _AFTER_PG_SZ[1:]


@dataclass(frozen=True)
class Paper:
    """A sheet and where the text sits on it, in twips."""

    name: str  # the stored and ExportInfo value: "A4" or "Letter"
    width: int
    height: int
    margin: int = 1440  # top, right, bottom and left: 1 inch = 2.54 cm
    header: int = 720  # from the top edge to the header, and from the bottom edge to the footer

    @property
    def text_width(self) -> int:
        """Twips between the left and right margins: what a full-width table shares among its columns."""
        return self.width - 2 * self.margin


A4 = Paper("A4", 11906, 16838, header=708)
LETTER = Paper("Letter", 12240, 15840)
PAPERS = {paper.name: paper for paper in (A4, LETTER)}


def paper_named(name: str) -> Paper:
    """The paper called `name` ("A4", "Letter"); KeyError for any other."""
    return PAPERS[name]


def set_page_size(sect_pr: etree._Element, paper: str | Paper) -> Paper:
    """Give the section `paper`'s size and margins (portrait); returns the paper, for its text width.

    Existing `w:pgSz`/`w:pgMar` are rewritten in place (python-docx's template has them, on
    Letter with 1.25-inch side margins); missing ones are added in their schema place.
    """
    paper = paper_named(paper) if isinstance(paper, str) else paper
    size = _child(sect_pr, _PG_SZ, _AFTER_PG_SZ)
    size.attrib.clear()
    size.set(qn("w:w"), str(paper.width))
    size.set(qn("w:h"), str(paper.height))
    margins = _child(sect_pr, _PG_MAR, _AFTER_PG_MAR)
    margins.attrib.clear()
    for side in ("top", "right", "bottom", "left"):
        margins.set(qn(f"w:{side}"), str(paper.margin))
    margins.set(qn("w:header"), str(paper.header))
    margins.set(qn("w:footer"), str(paper.header))
    margins.set(qn("w:gutter"), "0")
    return paper


def _child(parent: etree._Element, tag: str, followers: tuple[str, ...]) -> etree._Element:
    found = parent.find(tag)
    if found is not None:
        return found
    element = parent.makeelement(tag, {})
    successor = next((child for child in parent if child.tag in followers), None)
    if successor is None:
        parent.append(element)
    else:
        successor.addprevious(element)
    return element
