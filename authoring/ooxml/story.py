"""A story (the body, a header, a footer) as keyed blocks, written plainly or compared.

Every Word file we export is first laid out as a list of blocks - paragraphs, multi-line
texts, tables, page breaks - each with a key that stays the same from one revision to the
next ("c:payment.terms" is that clause's heading in every revision). The clean document
writes the blocks as they are (`write_blocks`). The redline writes the older and the
newer revision's blocks compared (`write_compared`): blocks aligned by key, the words of
a changed paragraph or cell as `w:ins`/`w:del`, whole paragraphs with their marks, whole
table rows with `w:trPr/w:ins|w:del`. Because both go through the same writer, Accept
All on the redline gives the newer clean document paragraph by paragraph and cell by
cell, and Reject All the older one.

A block that moved unchanged (its key is in both, out of order, its content the same) is a
Word move: `w:moveFrom` where it stood and `w:moveTo` where it stands, paragraph marks and
all, the two sides named alike, so Word shows it as moved and Reject All restores the old
order. A block that moved and changed is deleted where it stood and inserted where it
stands, so the reader sees its new text in full.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from difflib import SequenceMatcher

from docx.oxml.ns import qn
from lxml import etree

from ..document.words import DELETE, EQUAL, INSERT, word_diff
from .bidi import direct_paragraph
from .blocks import BlockWriter, Span, add_run, cell_direction
from .fields import Field, field_char
from .tracked import (AnnotationIds, Revision, add_del, add_ins, add_move, mark_paragraph, mark_paragraph_moved,
                      move_range, split_lines)

_P, _R = qn("w:p"), qn("w:r")
_INSTR = qn("w:instrText")
_BOOKMARK_START, _BOOKMARK_END, _HYPERLINK = qn("w:bookmarkStart"), qn("w:bookmarkEnd"), qn("w:hyperlink")
_TR_PR, _PPR = qn("w:trPr"), qn("w:pPr")
_ID, _NAME, _ANCHOR, _HISTORY = qn("w:id"), qn("w:name"), qn("w:anchor"), qn("w:history")
_PRESERVE = {"{http://www.w3.org/XML/1998/namespace}space": "preserve"}


@dataclass(frozen=True)
class Para:
    """One paragraph: spans of text (or fields) with a style, alignment and anchors."""

    key: str
    spans: tuple[Span | Field | str, ...] = ()
    style: str | None = None  # a style name ("Heading 2"), looked up in the writer's styles
    align: str | None = None
    keep_next: bool = False
    unnumbered: bool = False  # a heading style kept out of the clause numbering
    bookmark: str | None = None  # a bookmark around the paragraph's text (a contents entry links to it)
    link: str | None = None  # the paragraph's text links to this bookmark (a contents entry)
    field_begin: str | None = None  # a complex field opens here with this instruction; its result follows
    field_end: bool = False  # ... and closes at the end of this paragraph

    def __post_init__(self) -> None:
        # Plain text among the spans is a plain Span, so paragraphs compare alike however written.
        if any(isinstance(span, str) for span in self.spans):
            object.__setattr__(self, "spans", tuple(Span(s) if isinstance(s, str) else s for s in self.spans))

    @property
    def text(self) -> str:
        return "".join(span.result if isinstance(span, Field) else span.text for span in self.spans)


@dataclass(frozen=True)
class Lines:
    """A text of one or more lines: one paragraph per line, all of one style (a clause's text)."""

    key: str
    text: str
    style: str | None = None
    bookmark: str | None = None  # a bookmark from its first paragraph to its last (the clause's anchor)


@dataclass(frozen=True)
class Grid:
    """A table whose first row is its header row, repeated on every page it runs onto."""

    key: str
    headers: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    weights: tuple[int, ...] | None = None
    size: int | None = None  # text size in half-points (None: the style's)
    bookmark: str | None = None  # a bookmark from its first cell to its last (the table's anchor)


@dataclass(frozen=True)
class PageBreak:
    key: str


Block = Para | Lines | Grid | PageBreak
# Who answers for the change of a block: its key -> the author and date of its revisions.
RevisionOf = Callable[[str], Revision]


# Writing as it is ----------------------------------------------------------------------------

def write_blocks(writer: BlockWriter, blocks: Iterable[Block], ids: AnnotationIds) -> dict[str, list]:
    """Write `blocks` into the writer's story; returns each block's key -> its `w:p` elements."""
    written: dict[str, list] = {}
    for block in blocks:
        written[block.key] = _anchored(block, _write(writer, block, ids), ids)
    return written


def _anchored(block: Block, paragraphs: list, ids: AnnotationIds) -> list:
    """Put the block's bookmark (if it has one) around its paragraphs; returns them."""
    name = getattr(block, "bookmark", None)
    if name and paragraphs:
        bookmark_id = ids.next()
        first, last = paragraphs[0], paragraphs[-1]
        start = first.makeelement(_BOOKMARK_START, {_ID: bookmark_id, _NAME: name})
        p_pr = first.find(_PPR)
        first.insert(0 if p_pr is None else first.index(p_pr) + 1, start)
        etree.SubElement(last, _BOOKMARK_END, {_ID: bookmark_id})
    return paragraphs


def _write(writer: BlockWriter, block: Block, ids: AnnotationIds) -> list:
    if isinstance(block, Para):
        p = _paragraph(writer, block)
        if block.field_begin:
            _field_start(p, block.field_begin)
        _spans(p, block, [(EQUAL, block.text)], None, ids, writer)
        if block.field_end:
            field_char(p, "end")
        direct_paragraph(p, writer.direction)
        return [p]
    if isinstance(block, Lines):
        return [writer.paragraph(line, style=block.style) for line in block.text.split("\n")]
    if isinstance(block, Grid):
        return list(writer.table(block.headers, block.rows, weights=block.weights, size=block.size).iter(_P))
    writer.page_break()
    return []


# Writing compared ----------------------------------------------------------------------------

def write_compared(writer: BlockWriter, old: Sequence[Block], new: Sequence[Block], ids: AnnotationIds,
                   revision_of: RevisionOf) -> dict[str, list]:
    """Write the newer `new` blocks with every difference from `old` as a Word revision.

    Blocks are aligned by key; a block only the older one has is written deleted where it
    stood, one only the newer has inserted. Returns each block's key -> its `w:p` elements
    (a moved block: those of its new place).
    """
    written: dict[str, list] = {}
    new_keys = [b.key for b in new]
    matcher = SequenceMatcher(None, [b.key for b in old], new_keys, autojunk=False)
    opcodes = matcher.get_opcodes()
    unmatched_old = {b.key: b for tag, i1, i2, _j1, _j2 in opcodes if tag != "equal" for b in old[i1:i2]}
    unmatched_new = {b.key: b for tag, _i1, _i2, j1, j2 in opcodes if tag != "equal" for b in new[j1:j2]}
    # Move names are unique in the document (its body, header and footer are compared apart).
    moves = {key: f"move{ids.next()}" for key in unmatched_new if _movable(unmatched_old.get(key), unmatched_new[key])}
    for tag, i1, i2, j1, j2 in opcodes:
        if tag == "equal":
            for before, after in zip(old[i1:i2], new[j1:j2]):
                written[after.key] = _anchored(after, _write_pair(writer, before, after, ids, revision_of(after.key)),
                                               ids)
            continue
        for before in old[i1:i2]:
            if before.key in moves:
                _write_moved(writer, before, True, moves[before.key], ids, revision_of(before.key))
                continue
            # A block that moved keeps its bookmark at its new place only: names are unique. A removed
            # heading keeps its own (its deleted contents entry links to it); after Accept All it
            # stays, harmless, on the paragraph that follows.
            paragraphs = _write_whole(writer, before, DELETE, ids, revision_of(before.key))
            if before.key not in unmatched_new:
                written[before.key] = _anchored(before, paragraphs, ids)
        for after in new[j1:j2]:
            if after.key in moves:
                paragraphs = _write_moved(writer, after, False, moves[after.key], ids, revision_of(after.key))
            else:
                paragraphs = _write_whole(writer, after, INSERT, ids, revision_of(after.key))
            written[after.key] = _anchored(after, paragraphs, ids)
    return written


def _movable(old: Block | None, new: Block) -> bool:
    """A block is written as a Word move when it moved unchanged and is plain text: a clause's
    heading or text. (A link, a field or a table moved is deleted and inserted.)"""
    if old != new or not isinstance(new, (Para, Lines)):
        return False
    return isinstance(new, Lines) or (not new.link and not new.field_begin and not new.field_end and bool(new.text)
                                      and not any(isinstance(span, Field) for span in new.spans))


def _write_moved(writer: BlockWriter, block: Para | Lines, source: bool, name: str, ids: AnnotationIds,
                 revision: Revision) -> list:
    """One side of a move: every run in `w:moveFrom`/`w:moveTo`, every mark moved, the range named `name`."""
    if isinstance(block, Para):
        paragraphs = [_paragraph(writer, block)]
        lines = [[(span.text, span) for span in block.spans if span.text]]
    else:
        paragraphs = [writer.paragraph(style=block.style, direct=False) for _line in block.text.split("\n")]
        lines = [[(line, None)] if line else [] for line in block.text.split("\n")]
    for p, pieces in zip(paragraphs, lines):
        if pieces:
            wrapper = add_move(p, source, ids, revision)
            for text, span in pieces:
                add_run(wrapper, Span(text) if span is None else span)
        mark_paragraph_moved(p, source, ids, revision)
    move_range(paragraphs[0], paragraphs[-1], source, name, ids, revision)
    for p in paragraphs:
        direct_paragraph(p, writer.direction)
    return paragraphs


def _write_pair(writer: BlockWriter, old: Block, new: Block, ids: AnnotationIds, revision: Revision) -> list:
    if old == new:
        return _write(writer, new, ids)
    if not _same_frame(old, new):
        # Another kind of block, other paragraph properties, other columns: the old one is
        # deleted and the new one inserted, so Reject All gives the old one back as it was.
        _write_whole(writer, old, DELETE, ids, revision)
        return _write_whole(writer, new, INSERT, ids, revision)
    if isinstance(new, Para):
        p = _paragraph(writer, new)
        if new.field_begin:
            _field_start(p, new.field_begin)
        _spans(p, new, word_diff(old.text, new.text), old, ids, writer, revision)
        if new.field_end:
            field_char(p, "end")
        direct_paragraph(p, writer.direction)
        return [p]
    if isinstance(new, Lines):
        return _lines(writer, new.style, word_diff(old.text, new.text), EQUAL, ids, revision)
    if isinstance(new, Grid):
        return list(_compared_table(writer, old, new, ids, revision).iter(_P))
    return _write(writer, new, ids)


def _same_frame(old: Block, new: Block) -> bool:
    """Whether two blocks of one key differ at most in their text (a paragraph's, a table's cells)."""
    if type(old) is not type(new):
        return False
    if isinstance(new, Para):
        return replace(old, spans=new.spans) == new and [_format(s) for s in old.spans] == [_format(s) for s in new.spans]
    if isinstance(new, Lines):
        return old.style == new.style
    if isinstance(new, Grid):
        return (len(old.headers), old.weights, old.size) == (len(new.headers), new.weights, new.size)
    return True


def _format(span: Span | Field) -> tuple:
    return ("field", span.instruction) if isinstance(span, Field) else (span.bold, span.italic, span.mono, span.color,
                                                                         span.size)


def _write_whole(writer: BlockWriter, block: Block, op: int, ids: AnnotationIds, revision: Revision) -> list:
    """A block that only one revision has: every run and paragraph mark tracked as `op`."""
    if isinstance(block, Para):
        if block.field_begin or block.field_end:
            raise ValueError(f"{block.key}: a paragraph that opens or closes a field stays in both revisions")
        p = _paragraph(writer, block)
        _spans(p, block, [(op, block.text)], block, ids, writer, revision)
        direct_paragraph(p, writer.direction)
        mark_paragraph(p, op, ids, revision)
        return [p]
    if isinstance(block, Lines):
        return _lines(writer, block.style, [(op, block.text)], op, ids, revision)
    if isinstance(block, Grid):
        table = writer.table(block.headers, (), weights=block.weights, size=block.size, header=False)
        _rows_into(writer, table, [block.headers, *block.rows], op, ids, revision, header_rows=1, size=block.size)
        return list(table.iter(_P))
    p = writer.paragraph()
    br = etree.SubElement(etree.SubElement(_tracked(p, op, ids, revision), _R), qn("w:br"))
    br.set(qn("w:type"), "page")
    mark_paragraph(p, op, ids, revision)
    return [p]


def _lines(writer: BlockWriter, style: str | None, segments, whole: int, ids: AnnotationIds,
           revision: Revision) -> list:
    paragraphs = []
    for line, mark in split_lines(segments, whole):
        p = writer.paragraph(style=style, direct=False)
        _add_segments(p, [(op, text, None) for op, text in line], ids, revision)
        mark_paragraph(p, mark, ids, revision)
        direct_paragraph(p, writer.direction)
        paragraphs.append(p)
    return paragraphs


# Paragraph pieces ----------------------------------------------------------------------------

def _paragraph(writer: BlockWriter, block: Para):
    return writer.paragraph(style=block.style, align=block.align, keep_next=block.keep_next,
                            unnumbered=block.unnumbered, direct=False)


def _spans(p, block: Para, segments, old: Para | None, ids: AnnotationIds, writer: BlockWriter,
           revision: Revision | None = None) -> None:
    """The paragraph's text as diff `segments`, each piece in the format of the span it comes from.

    Inserted and unchanged text takes the newer paragraph's formats, deleted text the
    older one's; fields are written whole, untracked (a header's page number).
    """
    if any(isinstance(span, Field) for span in block.spans):
        for span in block.spans:
            span.add_to(p) if isinstance(span, Field) else add_run(p, span)
        return
    target = p
    if block.link:
        target = etree.SubElement(p, _HYPERLINK, {_ANCHOR: block.link, _HISTORY: "1"})
    pieces = _formatted(segments, old.spans if old is not None else block.spans, block.spans)
    _add_segments(target, pieces, ids, revision)


def _formatted(segments, old_spans: Sequence[Span], new_spans: Sequence[Span]):
    """Cut diff segments where the spans they come from change format: [(op, text, span)]."""
    cursors = {DELETE: _SpanCursor(old_spans), INSERT: _SpanCursor(new_spans), EQUAL: None}
    equal_old = cursors[DELETE]
    pieces = []
    for op, text in segments:
        if op == EQUAL:
            pieces += [(op, piece, span) for piece, span in cursors[INSERT].take(text)]
            equal_old.skip(len(text))
        else:
            pieces += [(op, piece, span) for piece, span in cursors[op].take(text)]
    return pieces


class _SpanCursor:
    """Walks the text of a paragraph's spans, handing out pieces with the span each lies in."""

    def __init__(self, spans: Sequence[Span]):
        self.spans = [span for span in spans if span.text]
        self.index, self.offset = 0, 0

    def take(self, text: str):
        while text:
            if self.index >= len(self.spans):  # defensive: text beyond the spans takes plain format
                yield text, None
                return
            span = self.spans[self.index]
            room = len(span.text) - self.offset
            piece = text[:room]
            yield piece, span
            text = text[len(piece):]
            self.skip(len(piece))

    def skip(self, count: int) -> None:
        while count and self.index < len(self.spans):
            room = len(self.spans[self.index].text) - self.offset
            step = min(room, count)
            self.offset += step
            count -= step
            if self.offset == len(self.spans[self.index].text):
                self.index, self.offset = self.index + 1, 0


def _add_segments(parent, pieces, ids: AnnotationIds, revision: Revision | None) -> None:
    """Append (op, text, span) pieces: unchanged as runs, the rest in `w:ins`/`w:del` (one per stretch)."""
    wrapper, wrapper_op = None, EQUAL
    for op, text, span in pieces:
        if not text:
            continue
        run = Span(text) if span is None else Span(text, span.bold, span.italic, span.mono, span.color, span.size)
        if op == EQUAL:
            add_run(parent, run)
            wrapper, wrapper_op = None, EQUAL
            continue
        if wrapper is None or wrapper_op != op:
            wrapper = (add_ins if op == INSERT else add_del)(parent, ids, revision)
            wrapper_op = op
        add_run(wrapper, run, deleted=op == DELETE)


def _tracked(p, op: int, ids: AnnotationIds, revision: Revision):
    return (add_ins if op == INSERT else add_del)(p, ids, revision) if op != EQUAL else p


def _field_start(p, instruction: str) -> None:
    """A complex field's begin, instruction and separate: its result is what follows."""
    field_char(p, "begin")
    etree.SubElement(etree.SubElement(p, _R), _INSTR, _PRESERVE).text = f" {instruction} "
    field_char(p, "separate")


# Tables --------------------------------------------------------------------------------------

def _compared_table(writer: BlockWriter, old: Grid, new: Grid, ids: AnnotationIds, revision: Revision):
    """Rows aligned by content: unchanged rows plain, changed ones cell by cell, the rest whole."""
    table = writer.table(new.headers, (), weights=new.weights, size=new.size, header=False)
    matcher = SequenceMatcher(None, old.rows, new.rows, autojunk=False)
    plan: list[tuple[int, tuple[str, ...] | None, tuple[str, ...] | None]] = [(EQUAL, old.headers, new.headers)]
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        befores, afters = old.rows[i1:i2], new.rows[j1:j2]
        if tag == "equal":
            plan += [(EQUAL, a, b) for a, b in zip(befores, afters)]
            continue
        plan += _paired_rows(befores, afters)
    for index, (op, before, after) in enumerate(plan):
        header = index == 0
        if op == EQUAL:
            row = writer.row(table, after, header=header, size=new.size, write_cells=False)
            for cell, old_text, new_text in zip(row, _padded(before, len(row)), _padded(after, len(row))):
                segments = [(EQUAL, new_text)] if old_text == new_text else word_diff(old_text, new_text)
                _cell(writer, cell, segments, EQUAL, ids, revision, bold=header, size=new.size)
        else:
            _rows_into(writer, table, [before if op == DELETE else after], op, ids, revision, header_rows=0,
                       size=new.size)
    return table


def _paired_rows(befores, afters) -> list:
    """Rows replaced by others: a row that keeps its first cell (its code, its name) changed in place, the
    rest deleted and inserted whole - in both revisions' order, so Accept and Reject give each table back."""
    plan, i, j = [], 0, 0
    while i < len(befores) and j < len(afters):
        if befores[i][:1] == afters[j][:1] and befores[i][:1] != ("",) and befores[i][:1]:
            plan.append((EQUAL, befores[i], afters[j]))
            i, j = i + 1, j + 1
        else:
            plan.append((DELETE, befores[i], None))
            i += 1
    plan += [(DELETE, row, None) for row in befores[i:]]
    plan += [(INSERT, None, row) for row in afters[j:]]
    return plan


def _rows_into(writer: BlockWriter, table, rows, op: int, ids: AnnotationIds, revision: Revision,
               header_rows: int, size: int | None) -> None:
    """Whole rows only one revision has: `w:trPr/w:ins|w:del` and every run tracked."""
    for index, cells in enumerate(rows):
        header = index < header_rows
        row_cells = writer.row(table, cells, header=header, size=size, write_cells=False)
        row = row_cells[0].getparent() if row_cells else None
        if row is not None:
            tr_pr = row.find(_TR_PR)
            if tr_pr is None:
                tr_pr = row.makeelement(_TR_PR, {})
                row.insert(0, tr_pr)
            (add_ins if op == INSERT else add_del)(tr_pr, ids, revision)
        for cell, text in zip(row_cells, _padded(cells, len(row_cells))):
            _cell(writer, cell, [(op, text)], op, ids, revision, bold=header, size=size)


def _cell(writer: BlockWriter, cell, segments, whole: int, ids: AnnotationIds, revision: Revision, *,
          bold: bool, size: int | None) -> None:
    """A cell's lines as paragraphs, as `BlockWriter.row` writes them, with the diff `segments` tracked."""
    lines = split_lines(segments, whole)
    for number, (line, mark) in enumerate(lines):
        p = etree.SubElement(cell, qn("w:p"))
        _add_segments(p, [(op, text, Span(text, bold=bold, size=size)) for op, text in line], ids, revision)
        if number < len(lines) - 1:  # a cell's last paragraph mark stays: a cell holds at least one
            mark_paragraph(p, mark, ids, revision)
        shown = "".join(text for op, text in line if op != DELETE)
        direct_paragraph(p, cell_direction(shown) or writer.direction)


def _padded(cells: Sequence[str] | None, count: int) -> list[str]:
    cells = list(cells or ())
    return cells[:count] + [""] * (count - len(cells))
