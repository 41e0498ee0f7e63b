"""Which text in a Word file is which clause: by bookmark, else by heading, number or likeness; and new clauses.

The bookmarks our exports carry (export.layout.bookmark_name) say it exactly. Where they
were lost - the text pasted into a new document, a clause retyped, a file not from us -
the paragraphs outside every bookmark are read as headings with the text under them, and
each clause without a bookmark is matched:

1. by its heading: a paragraph saying its title (with or without its number, "8.2 Cap …");
2. by its number alone ("8.2" before a retitled heading);
3. by likeness: the text under a heading nobody recognised that reads at least
   `SIMILAR` like the clause's.

A heading in a Heading style that matches no clause or section, with text under it, is a
clause the other side added: it belongs to the section of the nearest clause or section
before it. Contents lines, the title page and tables are never matched.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from difflib import SequenceMatcher

from ..document import Document
from ..export.layout import bookmark_name
from .reading import BODY_STYLES, BlockText, FileParagraph, TrackedChange, WordFile, _add_line

SIMILAR = 0.8  # how alike (difflib's ratio) unheaded text and a clause must be to be taken for it
_NUMBER = re.compile(r"^\s*(\d+(?:\.\d+)*)\.?(?:\s+|$)")


@dataclass(frozen=True)
class NewClause:
    """A clause the file adds: its heading and text, where it goes, and how it was written."""

    section_key: str
    title: str
    text: str
    untracked: bool  # typed without tracked changes
    changes: tuple[TrackedChange, ...]


@dataclass
class Alignment:
    """Each clause's text in the file (by key), how the ones without bookmarks were found, and new clauses."""

    texts: dict[str, BlockText] = field(default_factory=dict)
    found_by: dict[str, str] = field(default_factory=dict)  # key -> "heading", "number" or "likeness"
    new_clauses: list[NewClause] = field(default_factory=list)


@dataclass
class _Chunk:
    """A heading outside every clause's bookmarks (None: text before any heading) and the text under it."""

    position: int  # index of its first paragraph in WordFile.paragraphs
    heading: FileParagraph | None
    body: list[FileParagraph] = field(default_factory=list)
    key: str | None = None  # the clause whose heading bookmark it kept, if any
    used_for: str | None = None  # the clause it was matched with

    @property
    def title(self) -> str:
        return _without_number(self.heading.line.edited) if self.heading else ""

    @property
    def number(self) -> str | None:
        found = _NUMBER.match(self.heading.line.edited) if self.heading else None
        return found.group(1) if found else None

    def block(self, key: str) -> BlockText:
        block = BlockText(key)
        for paragraph in self.body:
            _add_line(block, paragraph.line)
        return block


def _without_number(text: str) -> str:
    return " ".join(_NUMBER.sub("", text, count=1).split())


def _fold(text: str) -> str:
    return " ".join(text.split()).casefold()


def _is_heading(paragraph: FileParagraph) -> bool:
    return paragraph.style.casefold().startswith(("heading", "title")) or paragraph.style.casefold() == "subtitle"


def align(word: WordFile, document: Document) -> Alignment:
    """Map the file's text onto `document`'s clauses (bookmarks first) and find the clauses it adds."""
    numbered = [(number, section, clauses) for number, section, clauses in document.numbered()]
    alignment = Alignment()
    heading_of = {bookmark_name(f"c:{clause.key}"): clause.key for _n, _s, clauses in numbered for _c, clause in clauses}
    for _n, _s, clauses in numbered:
        for _number, clause in clauses:
            block = word.blocks.get(bookmark_name(f"t:{clause.key}"))
            if block is not None:
                alignment.texts[clause.key] = block
    titles = {_fold(clause.title) for _n, _s, clauses in numbered for _c, clause in clauses}
    titles |= {_fold(section.title) for _n, section, _c in numbered}
    chunks = _chunks(word.paragraphs, titles, heading_of, set(alignment.texts))
    unmatched = [(number, clause) for _n, _s, clauses in numbered for number, clause in clauses
                 if clause.key not in alignment.texts]
    for how, matches in (("heading", lambda chunk, number, clause: chunk.key == clause.key),
                         ("heading", lambda chunk, number, clause: chunk.key is None and chunk.heading is not None
                          and _fold(chunk.title) == _fold(clause.title)),
                         ("number", lambda chunk, number, clause: chunk.key is None and chunk.number == number),
                         ("likeness", lambda chunk, number, clause: chunk.key is None and chunk.body
                          and _alike(chunk.block("").edited_text, clause.text))):
        for number, clause in unmatched:
            if clause.key in alignment.texts:
                continue
            chunk = next((chunk for chunk in chunks if chunk.used_for is None and matches(chunk, number, clause)), None)
            if chunk is not None:
                chunk.used_for = clause.key
                alignment.texts[clause.key] = chunk.block(bookmark_name(f"t:{clause.key}"))
                alignment.found_by[clause.key] = how
    alignment.new_clauses = _new_clauses(word.paragraphs, chunks, numbered, titles)
    return alignment


def _chunks(paragraphs: list[FileParagraph], titles: set[str], heading_of: dict[str, str],
            anchored: set[str]) -> list[_Chunk]:
    """The file's paragraphs outside the clauses' bookmarks, as headings with the text under them.

    A heading is a paragraph in a heading style, or one saying a clause's or section's title;
    a clause heading that kept its bookmark while its text lost its own starts a chunk for
    that clause. Tables, contents lines and bookmarked blocks end a chunk.
    """
    chunks: list[_Chunk] = []
    current: _Chunk | None = None
    for position, paragraph in enumerate(paragraphs):
        kept_heading = next((heading_of[name] for name in paragraph.anchors if name in heading_of), None)
        if kept_heading is not None and kept_heading not in anchored:
            current = _Chunk(position, paragraph, key=kept_heading)
            chunks.append(current)
            continue
        if paragraph.in_block or paragraph.in_table or paragraph.in_contents:
            current = None
            continue
        text = paragraph.line.edited.strip() or paragraph.line.original.strip()
        if not text:
            continue
        if _is_heading(paragraph) or _fold(_without_number(text)) in titles:
            current = _Chunk(position, paragraph)
            chunks.append(current)
        elif paragraph.style.casefold() not in BODY_STYLES:  # a caption, a note: no clause's text
            current = None
        elif current is None:
            current = _Chunk(position, None, [paragraph])
            chunks.append(current)
        else:
            current.body.append(paragraph)
    return chunks


def _alike(text: str, clause_text: str) -> bool:
    matcher = SequenceMatcher(None, _fold(text), _fold(clause_text), autojunk=False)
    return matcher.real_quick_ratio() >= SIMILAR and matcher.quick_ratio() >= SIMILAR and matcher.ratio() >= SIMILAR


def _new_clauses(paragraphs: list[FileParagraph], chunks: list[_Chunk], numbered, titles: set[str]) -> list[NewClause]:
    """Headings in a heading style that no clause or section answers to, with text under them."""
    section_at: dict[str, str] = {}  # bookmark name or clause key -> the section of what it marks
    for _n, section, clauses in numbered:
        section_at[bookmark_name(f"s:{section.key}")] = section.key
        for _c, clause in clauses:
            section_at[clause.key] = section.key
            for prefix in ("c", "t"):
                section_at[bookmark_name(f"{prefix}:{clause.key}")] = section.key
    # Where each section is known to stand in the file: its own or its clauses' bookmarks, and
    # the text matched with a clause without them.
    placed = sorted([(position, section_at[name]) for position, paragraph in enumerate(paragraphs)
                     for name in paragraph.anchors if name in section_at]
                    + [(chunk.position, section_at[chunk.used_for]) for chunk in chunks if chunk.used_for])
    first_section = numbered[0][1].key if numbered else None
    added = []
    for chunk in chunks:
        if chunk.used_for or chunk.key is not None or chunk.heading is None or not _is_heading(chunk.heading):
            continue
        if _fold(chunk.title) in titles or chunk.heading.style.casefold().startswith(("title", "subtitle")):
            continue
        text = chunk.block("").edited_text.strip("\n")
        if not chunk.title or not text.strip():
            continue
        section = next((section for position, section in reversed(placed) if position < chunk.position),
                       first_section)
        if section is None:
            continue
        lines = [chunk.heading, *chunk.body]
        added.append(NewClause(
            section, chunk.title, text,
            untracked=any(paragraph.line.original.strip() for paragraph in lines),
            changes=tuple(change for paragraph in lines for change in paragraph.line.changes)))
    return added
