"""A Word file that comes back: what it says it is, and each clause's text before and after its tracked changes.

Every DOCX we export names its agreement, revision and hash in custom properties and wraps
each clause's heading, each clause's text and each table in a bookmark named after its
key (export.layout.bookmark_name); Word and LibreOffice keep both when they save. This
module reads such a file back:

- the package safely (ooxml.package.read_parts: sizes checked before unpacking; parse_xml:
  no entity expanded, no document type), refusing what is not a plain Word document
  (macros, encryption);
- each bookmarked block's text twice: *original*, every tracked change rejected (what the
  file said before the other side's tracked edits), and *edited*, every tracked change
  accepted - joining runs however Word split them (`w:proofErr`, `w:rsid*`, smart tags,
  hyperlinks and field results are looked through), with each tracked change's author
  and date;
- paragraphs someone added after a clause's text (Enter at its end puts them outside the
  bookmark) count as that clause's further lines;
- each bookmarked table row by row, each cell read as a block, and rows inserted or deleted
  with tracking on (`w:trPr/w:ins`, `w:trPr/w:del`) marked as such.

What the changes mean - wording, a term, untracked edits - is decided by roundtrip.services
against the stored revision.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, field, replace
from datetime import datetime

from flask_babel import gettext as _
from lxml import etree

from ..ooxml.package import TOO_LARGE, UnreadablePackage, custom_properties, parse_xml, read_parts

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_INSERTED = {f"{W}ins", f"{W}moveTo"}
_DELETED = {f"{W}del", f"{W}moveFrom"}
_TEXT = {f"{W}t": None, f"{W}delText": None, f"{W}tab": "\t", f"{W}br": "\n", f"{W}cr": "\n",
         f"{W}noBreakHyphen": "\u2011"}
MACRO_TYPES = ("application/vnd.ms-word.document.macroEnabled.main+xml", "application/vnd.ms-office.vbaProject")
OLE_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # an encrypted (or pre-2007) Word file is an OLE container


class NotAWordFile(ValueError):
    """The upload cannot be read as one of our Word documents; the message says why in plain words."""


@dataclass(frozen=True)
class TrackedChange:
    """One tracked insertion or deletion in the file, as its author made it."""

    kind: str  # "insertion" or "deletion"
    author: str
    date: datetime | None
    text: str


@dataclass
class BlockText:
    """A bookmarked block's text: before and after the file's tracked changes, and those changes.

    Each paragraph adds its text and then its mark, a line feed - in a view only when the
    mark is in it: an inserted mark only after acceptance, a deleted one only before - so
    lines added or joined with tracking on come out as the author made them. The block's
    last mark ends it and is not part of its text.
    """

    key: str  # the bookmark's name (export.layout.bookmark_name of a layout key)
    original_marked: str = ""  # every tracked change rejected, each paragraph's mark a line feed
    edited_marked: str = ""  # every tracked change accepted
    changes: list[TrackedChange] = field(default_factory=list)

    @property
    def original_text(self) -> str:
        return _without_last_mark(self.original_marked)

    @property
    def edited_text(self) -> str:
        return _without_last_mark(self.edited_marked)


def _without_last_mark(text: str) -> str:
    return text[:-1] if text.endswith("\n") else text


@dataclass(frozen=True)
class FileParagraph:
    """A paragraph of the file's body in reading order, for aligning what its bookmarks no longer say."""

    style: str  # its paragraph style's id ("Heading2"), "" for the default
    line: "_Line"
    anchors: tuple[str, ...]  # the bookmarks (export.layout.bookmark_name) whose range takes it in
    in_block: bool  # part of a bookmarked block (anchored, or a line added after a clause's text)
    in_table: bool
    in_contents: bool  # a line of the table of contents (its style, or a link to a heading's bookmark)


@dataclass(frozen=True)
class WordComment:
    """A comment written in Word, with the bookmarked blocks its range starts in (none: outside any)."""

    id: str
    author: str
    date: datetime | None
    text: str
    anchors: tuple[str, ...]  # bookmark names
    replies: tuple["WordComment", ...] = ()
    done: bool = False  # marked resolved in Word (w15:done)


@dataclass
class WordFile:
    """What an uploaded DOCX claims to be, what its bookmarked blocks say, and its comment threads."""

    sha256: str
    agreement_id: int | None
    revision_number: int | None
    revision_hash: str | None
    kind: str | None  # "agreement", "signed", "redline" (None: not one of ours)
    blocks: dict[str, BlockText]  # by bookmark name
    comments: list[WordComment] = field(default_factory=list)  # threads: first comments, replies inside
    paragraphs: list[FileParagraph] = field(default_factory=list)  # the body's, in reading order
    tables: dict[str, "WordTable"] = field(default_factory=dict)  # bookmarked tables, by bookmark name


def read_word_file(raw: bytes) -> WordFile:
    """Read an uploaded DOCX; NotAWordFile when it is not one that can be read."""
    if raw.startswith(OLE_SIGNATURE):
        raise NotAWordFile(_("The file is encrypted or in the old .doc format: save it as a Word document (.docx) "
                             "without a password and upload it again."))
    try:
        parts = read_parts(raw)
    except UnreadablePackage as error:
        too_large = str(error) == TOO_LARGE
        raise NotAWordFile(_("The file unpacks to more than a Word document can hold.") if too_large else
                           _("The file is not a readable Word file (.docx): it is damaged, incomplete or not a "
                             "Word file at all.")) from None
    types = parts.get("[Content_Types].xml", b"").decode("utf-8", "replace")
    if any(kind in types for kind in MACRO_TYPES) or any(name.endswith("vbaProject.bin") for name in parts):
        raise NotAWordFile(_("The file holds macros (.docm). Save it as a Word document (.docx) without macros "
                             "and upload it again."))
    if "word/document.xml" not in parts:
        raise NotAWordFile(_("The file is not a Word document: it has no document text."))
    try:
        properties = custom_properties(parts)
        body = parse_xml(parts["word/document.xml"]).find(f"{W}body")
        if body is None:
            raise NotAWordFile(_("The file is not a Word document: it has no document text."))
        (blocks, paragraphs), comments = _bookmarked_blocks(body), _comment_threads(parts, body)
    except etree.XMLSyntaxError:
        raise NotAWordFile(_("The file is damaged: its text cannot be read.")) from None
    return WordFile(
        sha256=hashlib.sha256(raw).hexdigest(),
        agreement_id=_number(properties.get("AccordAgreement")),
        revision_number=_number(properties.get("AccordRevision")),
        revision_hash=properties.get("AccordRevisionSHA256") or None,
        kind=properties.get("AccordDocument") or None,
        blocks=blocks,
        comments=comments,
        paragraphs=paragraphs,
        tables=_bookmarked_tables(body),
    )


def _number(value: str | None) -> int | None:
    return int(value) if value and value.isascii() and value.isdigit() and len(value) <= 18 else None


# Blocks by bookmark -------------------------------------------------------------------------

def _bookmarked_blocks(body: etree._Element) -> tuple[dict[str, BlockText], list[FileParagraph]]:
    """Each bookmark's paragraphs, read (unbookmarked paragraphs after a clause's text join it), and
    every paragraph of the body in order with the bookmarks it is in."""
    blocks: dict[str, BlockText] = {}
    paragraphs: list[FileParagraph] = []
    open_names: dict[str, str] = {}  # bookmark id -> name, while its range is open
    last_text: BlockText | None = None  # the clause text block read last, for lines added after it
    for element in body.iter(f"{W}p", f"{W}bookmarkEnd"):
        if element.tag == f"{W}bookmarkEnd":
            # One between paragraphs (at body or cell level) ends its range there; those inside a
            # paragraph are handled with it.
            if not any(ancestor.tag == f"{W}p" for ancestor in element.iterancestors()):
                open_names.pop(element.get(f"{W}id"), None)
            continue
        p = element
        started_here = set()
        for mark in p.iter(f"{W}bookmarkStart"):
            if mark.get(f"{W}id") is not None and (mark.get(f"{W}name") or "").startswith("_Toc"):
                open_names[mark.get(f"{W}id")] = mark.get(f"{W}name")
                started_here.add(mark.get(f"{W}id"))
        # A range that ends before the paragraph's first text (Word puts the end there when the range
        # takes in the previous paragraph's mark) does not take in this paragraph.
        ends = list(p.iter(f"{W}bookmarkEnd"))
        first_text = next(p.iter(*_TEXT), None)
        for mark in ends:
            if mark.get(f"{W}id") not in started_here and (first_text is None or _before(mark, first_text, p)):
                open_names.pop(mark.get(f"{W}id"), None)
        names = list(dict.fromkeys(open_names.values()))
        line = _paragraph(p)
        in_block = bool(names)
        if names:
            for name in names:
                block = blocks.setdefault(name, BlockText(name))
                _add_line(block, line)
            text_blocks = [blocks[name] for name in names if _is_text(p)]
            last_text = text_blocks[-1] if text_blocks else None
        elif last_text is not None and _is_text(p) and not _in_table(p) and not _blank(line):
            _add_line(last_text, line)
            in_block = True
        else:
            last_text = None
        paragraphs.append(FileParagraph(_style(p), line, tuple(names), in_block, _in_table(p), _in_contents(p)))
        for mark in ends:
            open_names.pop(mark.get(f"{W}id"), None)
    return blocks, paragraphs


# Comments ------------------------------------------------------------------------------------

W14 = "{http://schemas.microsoft.com/office/word/2010/wordml}"
W15 = "{http://schemas.microsoft.com/office/word/2012/wordml}"


def _comment_threads(parts: dict[str, bytes], body: etree._Element) -> list[WordComment]:
    """word/comments.xml as threads: replies (commentsExtended.xml's parent links) under their first comment."""
    if "word/comments.xml" not in parts:
        return []
    anchors = _comment_anchors(body)
    comments, para_ids = {}, {}
    for element in parse_xml(parts["word/comments.xml"]).iter(f"{W}comment"):
        comment_id = element.get(f"{W}id", "")
        lines = [_paragraph(p).edited for p in element.iter(f"{W}p")]
        comments[comment_id] = WordComment(comment_id, element.get(f"{W}author", ""), _date(element.get(f"{W}date")),
                                           "\n".join(lines).strip(), anchors.get(comment_id, ()))
        last = list(element.iter(f"{W}p"))[-1:] or [None]
        if last[0] is not None and last[0].get(f"{W14}paraId"):
            para_ids[last[0].get(f"{W14}paraId")] = comment_id
    parents: dict[str, str] = {}
    done: set[str] = set()
    if "word/commentsExtended.xml" in parts:
        for entry in parse_xml(parts["word/commentsExtended.xml"]).iter(f"{W15}commentEx"):
            child, parent = para_ids.get(entry.get(f"{W15}paraId")), para_ids.get(entry.get(f"{W15}paraIdParent"))
            if child and parent and child != parent:
                parents[child] = parent
            if child and entry.get(f"{W15}done") in ("1", "true", "on"):
                done.add(child)
    def root(comment_id: str) -> str:  # a reply to a reply belongs to the thread's first comment
        seen = {comment_id}
        while comment_id in parents and parents[comment_id] not in seen:
            comment_id = parents[comment_id]
            seen.add(comment_id)
        return comment_id

    replies: dict[str, list[WordComment]] = {}
    for comment_id, comment in comments.items():
        if comment_id in parents:
            replies.setdefault(root(comment_id), []).append(comment)
    return [replace(comment, replies=tuple(replies.get(comment_id, ())), done=comment_id in done)
            for comment_id, comment in comments.items() if comment_id not in parents and comment.text]


def _comment_anchors(body: etree._Element) -> dict[str, tuple[str, ...]]:
    """Comment id -> the bookmarks of the paragraph its range starts in (or its reference stands in)."""
    anchors: dict[str, tuple[str, ...]] = {}
    open_names: dict[str, str] = {}
    for p in body.iter(f"{W}p"):
        for mark in p.iter(f"{W}bookmarkStart"):
            if (mark.get(f"{W}name") or "").startswith("_Toc"):
                open_names[mark.get(f"{W}id")] = mark.get(f"{W}name")
        names = tuple(dict.fromkeys(open_names.values()))
        for mark in p.iter(f"{W}commentRangeStart", f"{W}commentReference"):
            anchors.setdefault(mark.get(f"{W}id", ""), names)
        for mark in p.iter(f"{W}bookmarkEnd"):
            open_names.pop(mark.get(f"{W}id"), None)
    return anchors


def _before(first: etree._Element, second: etree._Element, root: etree._Element) -> bool:
    """Whether `first` comes before `second` in `root`'s document order."""
    for element in root.iter():
        if element is first:
            return True
        if element is second:
            return False
    return False


def _style(p: etree._Element) -> str:
    style = p.find(f"{W}pPr/{W}pStyle")
    return (style.get(f"{W}val") or "") if style is not None else ""


# Styles of body text (a clause's lines), folded: the default, and what Word gives a typed list.
BODY_STYLES = ("", "normal", "bodytext", "listparagraph")


def _is_text(p: etree._Element) -> bool:
    """A body-text paragraph (no heading, caption or contents style): a clause's line."""
    return _style(p).casefold() in BODY_STYLES


def _in_contents(p: etree._Element) -> bool:
    """A line of the table of contents: a TOC style (Word; LibreOffice's "Contents 1"), or a link to a heading."""
    style = _style(p).casefold()
    return (style.startswith(("toc", "contents"))
            or any((link.get(f"{W}anchor") or "").startswith("_Toc") for link in p.iter(f"{W}hyperlink")))


def _in_table(p: etree._Element) -> bool:
    return any(ancestor.tag == f"{W}tc" for ancestor in p.iterancestors())


@dataclass
class _Line:
    original: str
    edited: str
    mark_inserted: bool  # the paragraph mark itself is a tracked insertion (Enter pressed with tracking on)
    mark_deleted: bool
    changes: list[TrackedChange]


def _add_line(block: BlockText, line: _Line) -> None:
    """Append a paragraph's text and its mark to a block (a tracked mark only to the view it belongs to)."""
    block.original_marked += line.original + ("" if line.mark_inserted else "\n")
    block.edited_marked += line.edited + ("" if line.mark_deleted else "\n")
    block.changes += line.changes


def _blank(line: _Line) -> bool:
    """An empty paragraph nobody tracked: a spacer, not a line someone added."""
    return not line.original and not line.edited and not line.mark_inserted and not line.mark_deleted


def _paragraph(p: etree._Element) -> _Line:
    """A paragraph's text with its tracked changes rejected and accepted, and the changes."""
    original, edited, changes = [], [], []
    for node in p.iter(*_TEXT):
        if _in_properties(node, p):
            continue
        text = _TEXT[node.tag] if _TEXT[node.tag] is not None else (node.text or "")
        if node.tag == f"{W}br" and node.get(f"{W}type") in ("page", "column"):
            continue
        revisions = []  # the tracked changes around the text, innermost first (text inserted, then deleted)
        for ancestor in node.iterancestors():
            if ancestor is p:
                break
            if ancestor.tag in _INSERTED | _DELETED:
                revisions.append(ancestor)
        inserted = any(r.tag in _INSERTED for r in revisions)
        deleted = any(r.tag in _DELETED for r in revisions)
        if not inserted:
            original.append(text)
        if not deleted:
            edited.append(text)
        if not revisions:
            continue
        revision = revisions[0]
        change = TrackedChange("deletion" if revision.tag in _DELETED else "insertion", revision.get(f"{W}author", ""),
                               _date(revision.get(f"{W}date")), text)
        if changes and changes[-1][0] is revision:
            previous = changes[-1][1]
            changes[-1] = (revision, TrackedChange(previous.kind, previous.author, previous.date, previous.text + text))
        else:
            changes.append((revision, change))
    marks = p.find(f"{W}pPr/{W}rPr")
    mark_inserted = marks is not None and any(m.tag in _INSERTED for m in marks)
    mark_deleted = marks is not None and any(m.tag in _DELETED for m in marks)
    return _Line("".join(original), "".join(edited), mark_inserted, mark_deleted, [c for _r, c in changes])


def _in_properties(node: etree._Element, p: etree._Element) -> bool:
    for ancestor in node.iterancestors():
        if ancestor is p:
            return False
        if ancestor.tag == f"{W}pPr":
            return True
    return False


def _date(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None


# Tables by bookmark ----------------------------------------------------------------------------

@dataclass
class WordRow:
    """A table row as the file has it: each cell's text before and after its tracked changes."""

    cells: list[BlockText]
    inserted: bool = False  # the whole row is a tracked insertion (w:trPr/w:ins)
    deleted: bool = False  # the whole row is a tracked deletion (w:trPr/w:del)
    authors: tuple[str, ...] = ()  # the Word authors of its tracked changes, the row's own and its cells'

    @property
    def original(self) -> tuple[str, ...]:
        return tuple(cell.original_text for cell in self.cells)

    @property
    def edited(self) -> tuple[str, ...]:
        return tuple(cell.edited_text for cell in self.cells)


@dataclass
class WordTable:
    """A bookmarked table's rows below its header rows, in the file's order (tracked inserted and deleted
    rows included: the rows before the tracked changes are those not inserted, after them those not deleted)."""

    key: str  # the bookmark's name (export.layout.bookmark_name of "tbl:<table key>")
    rows: list[WordRow] = field(default_factory=list)


def _bookmarked_tables(body: etree._Element) -> dict[str, WordTable]:
    """Each table a bookmark starts in, whole: a row added after the bookmark's end is still the table's."""
    tables: dict[str, WordTable] = {}
    for mark in body.iter(f"{W}bookmarkStart"):
        name = mark.get(f"{W}name") or ""
        table = next((a for a in mark.iterancestors(f"{W}tbl")), None)
        if not name.startswith("_Toc") or table is None or name in tables:
            continue
        rows = [row for row in table.iterchildren(f"{W}tr")]
        headers = [row for row in rows if row.find(f"{W}trPr/{W}tblHeader") is not None] or rows[:1]
        tables[name] = WordTable(name, [_row(row) for row in rows if row not in headers])
    return tables


def _row(tr: etree._Element) -> WordRow:
    cells, changes = [], []
    for tc in tr.iterchildren(f"{W}tc"):
        cell = BlockText("")
        for p in tc.iter(f"{W}p"):
            _add_line(cell, _paragraph(p))
        cells.append(cell)
        changes += cell.changes
    marks = tr.find(f"{W}trPr")
    inserted = marks is not None and marks.find(f"{W}ins") is not None
    deleted = marks is not None and marks.find(f"{W}del") is not None
    own = [marks.find(tag).get(f"{W}author", "") for tag in (f"{W}ins", f"{W}del")
           if marks is not None and marks.find(tag) is not None]
    authors = tuple(dict.fromkeys(author for author in own + [c.author for c in changes] if author))
    return WordRow(cells, inserted, deleted, authors)
