"""Paragraphs, page breaks and tables built as lxml elements and appended in order.

python-docx's `add_paragraph(text)` goes through its run-text setter, which looks
at every character for tabs and line breaks; for a long agreement that setter is
half the export time. `BlockWriter` makes the same `w:p`/`w:r`/`w:t` elements
directly. Text is kept exactly as given, with xml:space="preserve" on every `w:t`,
and each paragraph takes its direction from its own text (`bidi.direct_paragraph`):
right-to-left when its first strong character is, the story's direction when it has none.
"""
from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from docx.oxml.ns import qn
from lxml import etree

from .bidi import direct_paragraph, mark_paragraph_bidi
from .fields import Field
from .numbering import unnumber
from .text import xml_safe

_P, _PPR, _PSTYLE, _KEEP_NEXT, _JC = qn("w:p"), qn("w:pPr"), qn("w:pStyle"), qn("w:keepNext"), qn("w:jc")
_R, _RPR, _T, _TAB, _BR = qn("w:r"), qn("w:rPr"), qn("w:t"), qn("w:tab"), qn("w:br")
_DEL_TEXT = qn("w:delText")
_RFONTS, _B, _B_CS, _I, _I_CS = qn("w:rFonts"), qn("w:b"), qn("w:bCs"), qn("w:i"), qn("w:iCs")
_COLOR, _SZ, _SZ_CS = qn("w:color"), qn("w:sz"), qn("w:szCs")
_TBL, _TBL_PR, _TBL_STYLE, _BIDI_VISUAL, _TBL_W = qn("w:tbl"), qn("w:tblPr"), qn("w:tblStyle"), qn("w:bidiVisual"), qn("w:tblW")
_TBL_LOOK, _TBL_GRID, _GRID_COL = qn("w:tblLook"), qn("w:tblGrid"), qn("w:gridCol")
_TR, _TR_PR, _TBL_HEADER, _TC, _TC_PR, _TC_W = qn("w:tr"), qn("w:trPr"), qn("w:tblHeader"), qn("w:tc"), qn("w:tcPr"), qn("w:tcW")
_CANT_SPLIT = qn("w:cantSplit")
_VAL, _TYPE, _W = qn("w:val"), qn("w:type"), qn("w:w")
_PRESERVE = {"{http://www.w3.org/XML/1998/namespace}space": "preserve"}
_MONO = {qn("w:ascii"): "Courier New", qn("w:hAnsi"): "Courier New", qn("w:cs"): "Courier New"}
# Digit groups apart, and no letter: a telephone number ("+48 42 555 01 02"). It reads left to right
# in any language; in a right-to-left paragraph the bidi algorithm would reverse the groups' order.
_NUMBER_GROUPS = re.compile(r"[^\w]*\d[\d\W]*\s[\d\W]*\d[^\w]*", re.ASCII)


@dataclass(frozen=True)
class Span:
    """Text with the few run formats an export uses (size in half-points, colour as hex)."""

    text: str
    bold: bool = False
    italic: bool = False
    mono: bool = False
    color: str | None = None
    size: int | None = None


def add_run(paragraph: etree._Element, span: Span | str, deleted: bool = False) -> etree._Element:
    """Append a `w:r` holding `span` to `paragraph` (a `w:p`, `w:ins`, `w:del` or `w:hyperlink`).

    A tab becomes `w:tab`, as Word writes it; `deleted` text goes into `w:delText` (in a `w:del`).
    """
    if isinstance(span, str):
        span = Span(span)
    text_tag = _DEL_TEXT if deleted else _T
    run = etree.SubElement(paragraph, _R)
    if span.bold or span.italic or span.mono or span.color or span.size:
        _run_properties(run, span)
    pieces = span.text.split("\t") if "\t" in span.text else (span.text,)
    for index, piece in enumerate(pieces):
        if index:
            etree.SubElement(run, _TAB)
        if piece or len(pieces) == 1:
            _set_text(etree.SubElement(run, text_tag, _PRESERVE), piece)
    return run


def _run_properties(run: etree._Element, span: Span) -> None:
    # Children in schema order (CT_RPr); bidi adds w:rtl after these. A right-to-left run is
    # drawn with the complex-script variants (bCs, iCs, szCs), so each format sets both.
    properties = etree.SubElement(run, _RPR)
    if span.mono:
        etree.SubElement(properties, _RFONTS, _MONO)
    if span.bold:
        etree.SubElement(properties, _B)
        etree.SubElement(properties, _B_CS)
    if span.italic:
        etree.SubElement(properties, _I)
        etree.SubElement(properties, _I_CS)
    if span.color:
        etree.SubElement(properties, _COLOR, {_VAL: span.color})
    if span.size:
        etree.SubElement(properties, _SZ, {_VAL: str(span.size)})
        etree.SubElement(properties, _SZ_CS, {_VAL: str(span.size)})


def _set_text(element: etree._Element, text: str) -> None:
    try:
        element.text = text
    except ValueError:
        # A control character pasted from elsewhere (e.g. Word's U+000B) cannot be stored in
        # XML 1.0 at all; show U+FFFD in its place rather than fail the whole export.
        element.text = xml_safe(text)


def cell_direction(line: str) -> str | None:
    """"ltr" for a table line of digit groups (a telephone number), which reads left to right in any
    language; None (the story's direction) for anything else."""
    return "ltr" if _NUMBER_GROUPS.fullmatch(line) else None


class BlockWriter:
    """Appends paragraphs and tables, in order, to one story: the body, a header or a footer.

    In the body, blocks go before the final `w:sectPr` (`before`). Each paragraph runs the
    way its own text does (a Hebrew clause inside an English agreement is right-to-left, an
    English party name inside a Hebrew one left-to-right); `rtl` is the story's direction,
    for paragraphs without a strong character (a number, a page break) and for the order
    of table columns.
    """

    def __init__(self, story: etree._Element, styles: dict[str, str], *, rtl: bool, text_width: int,
                 before: etree._Element | None = None):
        self.story = story
        self.styles = styles  # style name -> style id, e.g. "Heading 1" -> "Heading1"
        self.rtl = rtl
        self.text_width = text_width  # twips between the margins, shared out among table columns
        self._before = before

    def _block(self, tag: str) -> etree._Element:
        if self._before is None:
            return etree.SubElement(self.story, tag)
        # makeelement keeps python-docx's element classes (CT_P, ...) for the new block.
        element = self.story.makeelement(tag, {})
        self._before.addprevious(element)
        return element

    @property
    def direction(self) -> str:
        return "rtl" if self.rtl else "ltr"

    def paragraph(self, *spans: Span | str | Field, style: str | None = None, align: str | None = None,
                  keep_next: bool = False, unnumbered: bool = False, into: etree._Element | None = None,
                  direction: str | None = None, direct: bool = True) -> etree._Element:
        """One `w:p` of `spans` (text, formatted text or fields), appended to the story or to `into`.

        `unnumbered` keeps a heading out of the heading numbering its style carries (the
        signature page's heading); `direction` ("ltr"/"rtl") is for a paragraph without a
        strong character (default: the story's); `direct=False` leaves the direction to the
        caller, who adds runs first.
        """
        p = self._block(_P) if into is None else etree.SubElement(into, _P)
        if style or align or keep_next or unnumbered:
            # Children in schema order (CT_PPr): pStyle, keepNext, numPr, (bidi), jc.
            properties = etree.SubElement(p, _PPR)
            if style:
                etree.SubElement(properties, _PSTYLE, {_VAL: self.styles[style]})
            if keep_next:
                etree.SubElement(properties, _KEEP_NEXT)
            if unnumbered:
                unnumber(properties)
            if align:
                etree.SubElement(properties, _JC, {_VAL: align})
        for span in spans:
            if isinstance(span, Field):
                span.add_to(p)
            else:
                add_run(p, span)
        if direct:
            direct_paragraph(p, direction or self.direction)
        return p

    def page_break(self) -> None:
        p = self._block(_P)
        etree.SubElement(etree.SubElement(p, _R), _BR, {_TYPE: "page"})
        if self.rtl:
            mark_paragraph_bidi(p)

    def table(self, headers: Sequence[str], rows: Sequence[Sequence[str]], *, style: str = "Table Grid",
              weights: Sequence[int] | None = None, size: int | None = None, header: bool = True) -> etree._Element:
        """A `w:tbl` whose first row is `headers`, repeated at the top of every page it runs onto.

        No row splits across a page break. `weights` share the text width among the columns
        (default: equally); `size` is the text's size in half-points (default: the style's);
        a "\\n" in a cell starts a new paragraph within it. With `header=False` the header row
        is not written: the caller adds every row (`row`).
        """
        columns = max([len(headers), *(len(row) for row in rows)] or [1])
        weights = list(weights or [1] * columns)
        widths = [self.text_width * weight // sum(weights) for weight in weights]
        table = self._block(_TBL)
        properties = etree.SubElement(table, _TBL_PR)
        etree.SubElement(properties, _TBL_STYLE, {_VAL: self.styles[style]})
        if self.rtl:
            etree.SubElement(properties, _BIDI_VISUAL)  # columns run right to left
        etree.SubElement(properties, _TBL_W, {_W: "5000", _TYPE: "pct"})
        etree.SubElement(properties, _TBL_LOOK, {_VAL: "04A0", qn("w:firstRow"): "1", qn("w:noVBand"): "1"})
        grid = etree.SubElement(table, _TBL_GRID)
        for width in widths:
            etree.SubElement(grid, _GRID_COL, {_W: str(width)})
        if header:
            self.row(table, headers, header=True, size=size)
        for row in rows:
            self.row(table, row, header=False, size=size)
        return table

    def row(self, table: etree._Element, cells: Sequence[str], *, header: bool, size: int | None = None,
            write_cells: bool = True) -> list[etree._Element]:
        """Append a `w:tr` to `table`, one cell per grid column; returns its `w:tc` elements.

        With `write_cells=False` the cells are left without paragraphs, for the caller to fill.
        """
        row = etree.SubElement(table, _TR)
        # A row never splits across pages (a rate or a contact read on two pages is misread); the
        # header row repeats on every page the table runs onto. Word writes cantSplit before tblHeader.
        properties = etree.SubElement(row, _TR_PR)
        etree.SubElement(properties, _CANT_SPLIT)
        if header:
            etree.SubElement(properties, _TBL_HEADER)
        widths = [int(column.get(_W)) for column in table.find(_TBL_GRID)]
        written = []
        for index, width in enumerate(widths):
            cell = etree.SubElement(row, _TC)
            etree.SubElement(etree.SubElement(cell, _TC_PR), _TC_W, {_W: str(width), _TYPE: "dxa"})
            written.append(cell)
            if not write_cells:
                continue
            text = cells[index] if index < len(cells) else ""
            for line in text.split("\n"):  # a cell must hold at least one paragraph, and does
                self.paragraph(Span(line, bold=header, size=size), into=cell, direction=cell_direction(line))
        return written
