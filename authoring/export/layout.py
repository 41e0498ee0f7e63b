"""The agreement laid out as a Word document: keyed blocks for the body, the header and the footer.

One layout serves every Word export. The clean and the signed DOCX write it as it is;
the redline compares the older revision's layout with the newer one's (ooxml.story), so
what Accept All gives is, paragraph by paragraph and cell by cell, the clean document.

Keys name what a block is, the same in every revision. The title page: "title", "between",
"party:<side>", "party:<side>:<field>", "and", "amendment:<n>" (an amendment's signed
document), "revision", "hash". The contents: "contents" (its heading), "toc:begin",
"toc:<heading key>" (an entry), "toc:end". The text: "s:<section key>" (a section heading),
"c:<clause key>" (a clause heading), "t:<clause key>" (its text), "cap:<table key>" and
"tbl:<table key>". Signed documents add "sig:<n>" (the signature page and certificate);
"break:<page>" ends a page, "end" closes the document, "header", "pages" and "executed"
are the header's and footer's lines.

Headings carry no typed number: Heading 1 and Heading 2 are numbered by Word's own
multi-level list (ooxml.numbering), so a clause inserted in Word renumbers the rest. The
contents field's result is written out - each heading with its number - so the contents
read right when the file is opened, before anyone updates the field.
"""
from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from flask_babel import gettext as _
from flask_babel import pgettext

from ..document import Document
from ..ooxml.blocks import Span
from ..ooxml.fields import Field
from ..ooxml.story import Block, Grid, Lines, PageBreak, Para
from ..render.tables import Table, tables_by_section
from .docx_signed import add_certificate, add_signature_page, amendment_title_lines, executed_hash_line
from .labels import utc_text, with_fields
from .records import Execution, ExportInfo

TOC_INSTRUCTION = 'TOC \\o "1-2" \\h \\z \\u'
SHORT_HASH = 12


@dataclass(frozen=True)
class Layout:
    body: tuple[Block, ...]
    header: tuple[Para, ...]
    footer: tuple[Para, ...]


def agreement_layout(document: Document, info: ExportInfo, tables: Sequence[Table],
                     execution: Execution | None = None, *, rtl: bool = False) -> Layout:
    """The whole document's blocks, its words in the current language (call inside `in_language`)."""
    signed: list[Block] = []
    if execution is not None:
        pages = Collector("sig", rtl=rtl)
        pages.page_break()
        add_signature_page(pages, execution)
        pages.page_break()
        add_certificate(pages, info, execution)
        signed = pages.blocks
    body: list[Block] = []
    body += _title_page(document, info, execution)
    body += _contents(document, signed)
    body += _agreement_text(document, tables)
    body += signed
    body.append(Para("end"))  # Word keeps a last paragraph after a table; ours is there from the start
    return Layout(tuple(body), _header(info), _footer(execution))


def bookmark_name(key: str) -> str:
    """A Word bookmark name for a block's key: letters, digits and "_", at most 40, unique per key.

    Headings, clause texts and tables carry one: the contents link to the headings, and a file
    that comes back from Word or LibreOffice (both keep bookmarks) maps its paragraphs to
    clauses and tables by them (the reader hashes the revision's keys the same way).
    """
    return "_Toc" + hashlib.sha256(key.encode()).hexdigest()[:16]


# The pages ---------------------------------------------------------------------------------

def _title_page(document: Document, info: ExportInfo, execution: Execution | None) -> list[Block]:
    """Title, "between" the parties with their address and registration, for an amendment's signed
    document what it amends, the revision; then a new page."""
    blocks: list[Block] = [Para("title", (info.title,), style="Title", align="center")]
    # The words between the parties' names, each on a line of its own (Hebrew: בין ... לבין).
    blocks.append(Para("between", (pgettext("title page: between the provider and the client", "between"),),
                       align="center"))
    blocks += _party("provider", info.provider_name, _party_terms(document, "provider"))
    blocks.append(Para("and", (pgettext("title page: between the provider and the client", "and"),), align="center"))
    blocks += _party("client", info.client_name, _party_terms(document, "client"))
    blocks += [Para(f"amendment:{number}", tuple(line), align="center")
               for number, line in enumerate(amendment_title_lines(info, execution))]
    blocks.append(Para("revision", (_("Revision %(number)s · %(created_at)s", number=info.revision_number,
                                      created_at=utc_text(info.revision_created_at)),),
                       style="Subtitle", align="center"))
    blocks.append(Para("hash", ("SHA-256 ", Span(info.revision_hash[:SHORT_HASH], mono=True)), align="center"))
    blocks.append(PageBreak("break:title"))
    return blocks


def _party(side: str, name: str, terms: dict[str, Any]) -> list[Block]:
    blocks: list[Block] = [Para(f"party:{side}", (Span(name, bold=True),), align="center")]
    for field_name in ("address", "registration"):
        value = terms.get(field_name)
        if isinstance(value, (str, int)) and str(value).strip():
            blocks.append(Para(f"party:{side}:{field_name}", (str(value),), align="center"))
    return blocks


def _party_terms(document: Document, side: str) -> dict[str, Any]:
    parties = document.terms.get("parties")
    party = parties.get(side) if isinstance(parties, dict) else None
    return party if isinstance(party, dict) else {}


def _contents(document: Document, signed: list[Block]) -> list[Block]:
    """A TOC field over headings 1-2 whose result already lists every heading, linked to it.

    The entries are what Word's own update gives (the signature page and certificate of a
    signed document among them), but without page numbers: Word adds them when the reader
    updates the field. The field opens and closes in paragraphs of their own, which every
    revision has, so a redline never tracks half a field.
    """
    entries: list[Para] = []
    for number, section, clauses in document.numbered():
        entries.append(_entry(f"s:{section.key}", f"{number}  {section.title}", "toc 1"))
        for clause_number, clause in clauses:
            entries.append(_entry(f"c:{clause.key}", f"{clause_number}  {clause.title}", "toc 2"))
    entries += [_entry(block.key, block.text, "toc 1") for block in signed
                if isinstance(block, Para) and block.style == "Heading 1"]
    heading = Para("contents", (pgettext("table of contents of a document", "Contents"),), style="TOC Heading")
    return [heading, Para("toc:begin", style="toc 1", field_begin=TOC_INSTRUCTION), *entries,
            Para("toc:end", style="toc 1", field_end=True), PageBreak("break:contents")]


def _entry(key: str, text: str, style: str) -> Para:
    return Para(f"toc:{key}", (text,), style=style, link=bookmark_name(key))


def _agreement_text(document: Document, tables: Iterable[Table]) -> list[Block]:
    """Sections and clauses, numbered by Word; each table after its section's clauses, strays at the end."""
    blocks: list[Block] = []
    by_section = tables_by_section(list(tables))
    for _number, section, clauses in document.numbered():
        key = f"s:{section.key}"
        blocks.append(Para(key, (Span(section.title),), style="Heading 1", bookmark=bookmark_name(key)))
        for _clause_number, clause in clauses:
            key = f"c:{clause.key}"
            blocks.append(Para(key, (Span(clause.title),), style="Heading 2", bookmark=bookmark_name(key)))
            blocks.append(Lines(f"t:{clause.key}", clause.text, bookmark=bookmark_name(f"t:{clause.key}")))
        for table in by_section.pop(section.key, ()):
            blocks += _table(table)
    for stray in by_section.values():
        for table in stray:
            blocks += _table(table)
    return blocks


def _table(table: Table) -> list[Block]:
    return [Para(f"cap:{table.key}", (Span(table.title),), style="Caption", keep_next=True),
            Grid(f"tbl:{table.key}", table.headers, table.rows, table.weights, table.size,
                 bookmark=bookmark_name(f"tbl:{table.key}"))]


# Around the pages --------------------------------------------------------------------------

def _header(info: ExportInfo) -> tuple[Para, ...]:
    return (Para("header", (Span(_("%(title)s · Revision %(number)s", title=info.title, number=info.revision_number)),),
                 style="Header"),)


def _footer(execution: Execution | None) -> tuple[Para, ...]:
    """Page X of Y, and when signed the executed text's hash."""
    # The sentence is translated whole (Tagalog: "Pahina X ng Y"); its placeholders become fields.
    footer = [Para("pages", tuple(with_fields(_("Page %(page)s of %(pages)s"), page=Field("PAGE", "1"),
                                              pages=Field("NUMPAGES", "1"), text=Span)),
                   style="Footer", align="center")]
    if execution is not None:
        footer.append(Para("executed", tuple(with_fields(
            executed_hash_line(), value=Span(execution.executed_hash, mono=True, size=16),
            text=lambda piece: Span(piece, size=16))), style="Footer", align="center"))
    return tuple(footer)


# The signed pages, collected ---------------------------------------------------------------

@dataclass
class Collector:
    """Collects blocks through the writer's calls (`paragraph`, `lines`, `table`, `page_break`).

    The signature page and certificate (export.docx_signed) are written against this small
    interface; collecting them as blocks puts them into the layout like every other page.
    Keys are the prefix and a running number: these pages are never compared.
    """

    prefix: str
    rtl: bool = False
    blocks: list[Block] = field(default_factory=list)

    def _key(self) -> str:
        return f"{self.prefix}:{len(self.blocks)}"

    def paragraph(self, *spans: Span | str | Field, style: str | None = None, align: str | None = None,
                  keep_next: bool = False, unnumbered: bool = False) -> None:
        key = self._key()
        # A page's heading is a contents entry's target (export.layout._contents).
        bookmark = bookmark_name(key) if style == "Heading 1" else None
        self.blocks.append(Para(key, spans, style=style, align=align, keep_next=keep_next, unnumbered=unnumbered,
                                bookmark=bookmark))

    def lines(self, text: str, *, style: str | None = None) -> None:
        self.blocks.append(Lines(self._key(), text, style=style))

    def page_break(self) -> None:
        self.blocks.append(PageBreak(self._key()))

    def table(self, headers: Sequence[str], rows: Sequence[Sequence[str]], *, weights: Sequence[int] | None = None,
              size: int | None = None) -> None:
        self.blocks.append(Grid(self._key(), tuple(headers), tuple(tuple(row) for row in rows),
                                tuple(weights) if weights else None, size))
