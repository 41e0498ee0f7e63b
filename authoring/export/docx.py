"""The agreement as a Word document: title page, contents, numbered clauses, tables.

With an `Execution` the same document becomes the signed DOCX: a signature page and
a certificate of completion follow the text (export.docx_signed), and every page's
footer carries the executed text's SHA-256.

The output is byte-stable: the same inputs give the same bytes (no clock, no random
ids), so a file can be identified by its hash. Paragraphs are built as lxml elements
(ooxml.blocks) because python-docx's text setter would double the export time.
"""
from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import docx
from docx.document import Document as WordDocument
from docx.oxml.ns import qn
from docx.shared import Emu
from flask_babel import gettext as _
from flask_babel import pgettext
from lxml import etree

from ..config import RTL_LANGUAGES
from ..document import Document
from ..i18n import in_language
from ..ooxml.bidi import mark_section_rtl
from ..ooxml.blocks import BlockWriter, Span
from ..ooxml.fields import Field
from ..ooxml.package import docx_bytes, set_properties
from ..render.tables import Table, tables_by_section
from .docx_signed import add_amendment_title, add_certificate, add_signature_page, executed_hash_line
from .labels import LOCALES, utc_text, with_fields
from .records import Execution, ExportInfo

STYLES = ("Title", "Subtitle", "Heading 1", "Heading 2", "Heading 3", "TOC Heading", "Caption", "Header",
          "Footer", "Table Grid")
TOC_INSTRUCTION = 'TOC \\o "1-2" \\h \\z \\u'
SHORT_HASH = 12


def agreement_docx(document: Document, info: ExportInfo, tables: list[Table], *,
                   execution: Execution | None = None) -> bytes:
    """The agreement at `info`'s revision as .docx bytes; signed (signature page, certificate) with `execution`.

    The document's own words (front page, contents, header and footer, signature page,
    certificate) are in the agreement's language, through the app's gettext catalogues:
    call it inside an app context (a request, a CLI command), else they are English.
    """
    with in_language(info.language):
        return _agreement_docx(document, info, tables, execution)


def _agreement_docx(document: Document, info: ExportInfo, tables: list[Table], execution: Execution | None) -> bytes:
    word = docx.Document()
    rtl = info.language in RTL_LANGUAGES
    section = word.sections[0]
    styles = {name: word.styles[name].style_id for name in STYLES}
    text_width = int(Emu(section.page_width - section.left_margin - section.right_margin).twips)

    sect_pr = word.element.body.sectPr  # blocks go before the body's closing section properties
    body = BlockWriter(word.element.body, styles, rtl=rtl, text_width=text_width, before=sect_pr)
    _title_page(body, document, info, execution)
    _contents(body)
    _agreement_text(body, document, tables)
    if execution is not None:
        body.page_break()
        add_signature_page(body, execution)
        body.page_break()
        add_certificate(body, info, execution)

    _header_and_footer(word, body, info, execution)
    if rtl:
        mark_section_rtl(sect_pr)
    set_proofing_language(word, info.language)
    _set_properties(word, info)
    return docx_bytes(word, info.revision_created_at)


# The pages ---------------------------------------------------------------------------

def _title_page(body: BlockWriter, document: Document, info: ExportInfo, execution: Execution | None) -> None:
    """Title, "between" the parties with their address and registration, the revision; then a new page.

    An amendment's signed document says there which amendment it is, from when and what it changed."""
    body.paragraph(info.title, style="Title", align="center")
    # The words between the parties' names, each on a line of its own (Hebrew: בין ... לבין).
    body.paragraph(pgettext("title page: between the provider and the client", "between"), align="center")
    _party(body, info.provider_name, _party_terms(document, "provider"))
    body.paragraph(pgettext("title page: between the provider and the client", "and"), align="center")
    _party(body, info.client_name, _party_terms(document, "client"))
    add_amendment_title(body, info, execution)
    body.paragraph(_("Revision %(number)s · %(created_at)s", number=info.revision_number,
                     created_at=utc_text(info.revision_created_at)), style="Subtitle", align="center")
    body.paragraph("SHA-256 ", Span(info.revision_hash[:SHORT_HASH], mono=True), align="center")
    body.page_break()


def _party(body: BlockWriter, name: str, terms: dict[str, Any]) -> None:
    body.paragraph(Span(name, bold=True), align="center")
    for field in ("address", "registration"):
        value = terms.get(field)
        if isinstance(value, (str, int)) and str(value).strip():
            body.paragraph(str(value), align="center")


def _party_terms(document: Document, side: str) -> dict[str, Any]:
    parties = document.terms.get("parties")
    party = parties.get(side) if isinstance(parties, dict) else None
    return party if isinstance(party, dict) else {}


def _contents(body: BlockWriter) -> None:
    """A real TOC field over headings 1-2; Word fills it in when the reader updates fields."""
    body.paragraph(pgettext("table of contents of a document", "Contents"), style="TOC Heading")
    body.paragraph(Field(TOC_INSTRUCTION, _("To see the contents, update this field: in Word, right-click here and "
                                            "choose Update Field (F9); in LibreOffice, choose Tools > Update > "
                                            "Update All.")))
    body.page_break()


def _agreement_text(body: BlockWriter, document: Document, tables: Iterable[Table]) -> None:
    """Numbered sections and clauses; each table after its section's clauses, strays at the end."""
    by_section = tables_by_section(list(tables))
    for number, section, clauses in document.numbered():
        body.paragraph(f"{number}  {section.title}", style="Heading 1")
        for clause_number, clause in clauses:
            body.paragraph(f"{clause_number}  {clause.title}", style="Heading 2")
            body.lines(clause.text)
        for table in by_section.pop(section.key, ()):
            _table(body, table)
    for stray in by_section.values():
        for table in stray:
            _table(body, table)


def _table(body: BlockWriter, table: Table) -> None:
    body.paragraph(table.title, style="Caption", keep_next=True)
    body.table(table.headers, table.rows)


# Around the pages -----------------------------------------------------------------------

def _header_and_footer(word: WordDocument, body: BlockWriter, info: ExportInfo, execution: Execution | None) -> None:
    """Header: title · revision. Footer: Page X of Y, and when signed the executed text's hash."""
    section = word.sections[0]
    header = _emptied(section.header._element, body)
    header.paragraph(_("%(title)s · Revision %(number)s", title=info.title, number=info.revision_number),
                     style="Header")
    footer = _emptied(section.footer._element, body)
    # The sentence is translated whole (Tagalog: "Pahina X ng Y"); its placeholders become fields.
    footer.paragraph(*with_fields(_("Page %(page)s of %(pages)s"), page=Field("PAGE", "1"),
                                  pages=Field("NUMPAGES", "1")),
                     style="Footer", align="center")
    if execution is not None:
        footer.paragraph(*with_fields(executed_hash_line(), value=Span(execution.executed_hash, mono=True, size=16),
                                      text=lambda piece: Span(piece, size=16)), style="Footer", align="center")


def _emptied(story: etree._Element, body: BlockWriter) -> BlockWriter:
    """A writer for a header or footer, styled and directed as the body is."""
    # python-docx starts a new header or footer with one empty paragraph; ours replace it.
    for child in list(story):
        story.remove(child)
    return BlockWriter(story, body.styles, rtl=body.rtl, text_width=body.text_width)


def set_proofing_language(word: WordDocument, language: str) -> None:
    """Default run language, so Word spell-checks (and LibreOffice hyphenates) in the right language."""
    locale = LOCALES.get(language)
    lang = word.styles.element.find(f"{qn('w:docDefaults')}/{qn('w:rPrDefault')}/{qn('w:rPr')}/{qn('w:lang')}")
    if locale is None or lang is None:
        return
    lang.set(qn("w:bidi") if language in RTL_LANGUAGES else qn("w:val"), locale)
    word.core_properties.language = locale


def _set_properties(word: WordDocument, info: ExportInfo) -> None:
    """File > Info: title, parties, author, revision; the identifier the verify command reads."""
    set_properties(word, title=info.title,
                   subject=_("between %(provider)s and %(client)s", provider=info.provider_name,
                             client=info.client_name),
                   author=info.provider_name, when=info.revision_created_at, revision=info.revision_number)
    word.core_properties.content_status = info.status
    word.core_properties.identifier = (f"urn:accord:agreement:{info.agreement_id}:revision:{info.revision_number}"
                                       f":sha256:{info.revision_hash}")
