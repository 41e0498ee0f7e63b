"""The draft, a part at a time: a 3,000-clause agreement is not one 7 MB page.

The document is cut into parts of about CLAUSES_PER_PAGE clauses, at section boundaries
(a section longer than that is continued on the next part, under its heading again).
Numbering stays the document's own (clause 212.4 is 212.4 on any part), and the contents
list every section and every clause, each linked to the part that holds it - so every
clause is one click from any part, and a part costs what it shows plus a line per clause.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from markupsafe import Markup, escape

from ..document import ClauseInstance, Document, Section
from .paging import page_links

CLAUSES_PER_PAGE = 150


@dataclass(frozen=True)
class Part:
    """A section, or the piece of it that falls on one page."""

    number: str
    section: Section
    clauses: list[tuple[str, ClauseInstance]]
    continued: bool = False  # its section began on an earlier page
    ends: bool = True  # its section's last clauses are here (its tables follow them)


@dataclass(frozen=True)
class DraftPages:
    """Page `page` of `pages`: its parts, and the contents of the whole document."""

    page: int
    pages: int
    parts: list[Part]
    contents: Markup  # the items of the contents' list: every section and clause, linked to its page
    section_keys: frozenset[str]  # of the whole document
    page_of: dict[str, int]  # clause key -> the page it is on
    total: int  # clauses in the document
    first: int  # the place of the page's first clause in the document (from 1; 0 when it has none)
    last: int

    def page_numbers(self, around: int = 2) -> list[int | None]:
        """Page numbers to link: the first, the last and those near the current one; None for a gap."""
        return page_links(self.page, self.pages, around)


def _cut(document: Document, per_page: int | None) -> list[list[Part]]:
    """The document's sections in pages of about `per_page` clauses (None: one page)."""
    pages: list[list[Part]] = [[]]
    count = 0
    for number, section, clauses in document.numbered():
        if per_page is None:
            pages[0].append(Part(number, section, clauses))
            continue
        if count and count + len(clauses) > per_page:
            pages.append([])
            count = 0
        start = 0
        while True:
            room = per_page - count
            chunk = clauses[start:start + room] if len(clauses) - start > room else clauses[start:]
            pages[-1].append(Part(number, section, chunk, continued=start > 0, ends=start + len(chunk) == len(clauses)))
            count, start = count + len(chunk), start + len(chunk)
            if start >= len(clauses):
                break
            pages.append([])
            count = 0
    return pages


def draft_pages(document: Document, page: int = 1, per_page: int | None = CLAUSES_PER_PAGE,
                address: Callable[[int], str] | None = None, whole: bool = False) -> DraftPages:
    """Page `page` of the document (clamped to the pages there are) and the contents of all of it.

    `address(n)` is the address of page n; links to the page shown are anchors only. `whole`
    shows every part on one page (a view that shows only some clauses) while the contents link
    each clause to its part.
    """
    cut = _cut(document, per_page)
    page = min(max(page, 1), len(cut))
    addresses = {n: "" if address is None or n == page and not whole else str(escape(address(n)))
                 for n in range(1, len(cut) + 1)}
    page_of: dict[str, int] = {}
    entries: list[tuple[Section, str, list[str]]] = []
    place, first, last = 0, 0, 0
    for n, parts in enumerate(cut, start=1):
        href = addresses[n]
        for part in parts:
            if not part.continued:
                entries.append((part.section, href, []))
            items = entries[-1][2]
            for number, clause in part.clauses:
                # Built here rather than in a template loop: a 3,000-clause draft has 3,000 of them on every
                # page. Keys are a-z, 0-9, '.', '_' and '-' (document.KEY_PATTERN); titles are escaped.
                items.append(f'<li><a href="{href}#clause-{clause.key}"><span class="num">{number}</span> '
                             f'<bdi>{escape(clause.title)}</bdi></a></li>')
                page_of[clause.key] = n
                place += 1
                if n == page:
                    first, last = first or place, place
    contents = Markup("".join(
        f'<li><a href="{href}#section-{section.key}" dir="auto">{escape(section.title)}</a>'
        + (f'<ol class="toc-clauses">{"".join(items)}</ol>' if items else "") + "</li>"
        for section, href, items in entries))
    section_keys = frozenset(section.key for section, _href, _items in entries)
    if whole:
        return DraftPages(1, 1, [part for parts in cut for part in parts], contents, section_keys, page_of, place,
                          1 if place else 0, place)
    return DraftPages(page, len(cut), cut[page - 1], contents, section_keys, page_of, place, first, last)

def page_of_clause(document: Document, key: str, per_page: int | None = CLAUSES_PER_PAGE) -> int:
    """The page of the draft that shows clause `key` (1 when there is no such clause)."""
    return draft_pages(document, 1, per_page).page_of.get(key, 1)
