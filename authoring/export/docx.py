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
from lxml import etree

from ..config import RTL_LANGUAGES
from ..document import Document
from ..ooxml.blocks import BlockWriter, Span
from ..ooxml.fields import Field
from ..ooxml.package import docx_bytes, set_properties
from ..render.tables import Table, tables_by_section
from .docx_signed import add_certificate, add_signature_page
from .labels import LOCALES, labels_for, utc_text
from .records import Execution, ExportInfo

STYLES = ("Title", "Subtitle", "Heading 1", "Heading 2", "Heading 3", "TOC Heading", "Caption", "Header",
          "Footer", "Table Grid")
TOC_INSTRUCTION = 'TOC \\o "1-2" \\h \\z \\u'
SHORT_HASH = 12
# sectPr children that come after w:bidi (ECMA-376 Part 1, 17.6.17).
_AFTER_SECTION_BIDI = ("w:rtlGutter", "w:docGrid", "w:printerSettings", "w:sectPrChange")


def agreement_docx(document: Document, info: ExportInfo, tables: list[Table], *,
                   execution: Execution | None = None) -> bytes:
    """The agreement at `info`'s revision as .docx bytes; signed (signature page, certificate) with `execution`."""
    word = docx.Document()
    labels = labels_for(info.language)
    rtl = info.language in RTL_LANGUAGES
    section = word.sections[0]
    styles = {name: word.styles[name].style_id for name in STYLES}
    text_width = int(Emu(section.page_width - section.left_margin - section.right_margin).twips)

    sect_pr = word.element.body.sectPr  # blocks go before the body's closing section properties
    body = BlockWriter(word.element.body, styles, rtl=rtl, text_width=text_width, before=sect_pr)
    _title_page(body, document, info, labels)
    _contents(body, labels)
    _agreement_text(body, document, tables)
    if execution is not None:
        body.page_break()
        add_signature_page(body, execution, labels)
        body.page_break()
        add_certificate(body, info, execution, labels)

    _header_and_footer(word, body, info, execution, labels)
    if rtl:
        _mark_section_rtl(sect_pr)
    _set_proofing_language(word, info.language)
    _set_properties(word, info, labels)
    return docx_bytes(word, info.revision_created_at)


# The pages ---------------------------------------------------------------------------

def _title_page(body: BlockWriter, document: Document, info: ExportInfo, labels: dict[str, str]) -> None:
    """Title, "between" the parties with their address and registration, the revision; then a new page."""
    body.paragraph(info.title, style="Title", align="center")
    body.paragraph(labels["between"], align="center")
    _party(body, info.provider_name, _party_terms(document, "provider"))
    body.paragraph(labels["and"], align="center")
    _party(body, info.client_name, _party_terms(document, "client"))
    body.paragraph(f"{labels['revision']} {info.revision_number} · {utc_text(info.revision_created_at)}",
                   style="Subtitle", align="center")
    body.paragraph(f"{labels['revision_hash']} ", Span(info.revision_hash[:SHORT_HASH], mono=True), align="center")
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


def _contents(body: BlockWriter, labels: dict[str, str]) -> None:
    """A real TOC field over headings 1-2; Word fills it in when the reader updates fields."""
    body.paragraph(labels["contents"], style="TOC Heading")
    body.paragraph(Field(TOC_INSTRUCTION, labels["update_contents"]))
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

def _header_and_footer(word: WordDocument, body: BlockWriter, info: ExportInfo, execution: Execution | None,
                       labels: dict[str, str]) -> None:
    """Header: title · revision. Footer: Page X of Y, and when signed the executed text's hash."""
    section = word.sections[0]
    header = _emptied(section.header._element, body)
    header.paragraph(f"{info.title} · {labels['revision']} {info.revision_number}", style="Header")
    footer = _emptied(section.footer._element, body)
    footer.paragraph(f"{labels['page']} ", Field("PAGE", "1"), f" {labels['of']} ", Field("NUMPAGES", "1"),
                     style="Footer", align="center")
    if execution is not None:
        footer.paragraph(Span(f"{labels['executed_hash']}: ", size=16),
                         Span(execution.executed_hash, mono=True, size=16), style="Footer", align="center")


def _emptied(story: etree._Element, body: BlockWriter) -> BlockWriter:
    """A writer for a header or footer, styled and directed as the body is."""
    # python-docx starts a new header or footer with one empty paragraph; ours replace it.
    for child in list(story):
        story.remove(child)
    return BlockWriter(story, body.styles, rtl=body.rtl, text_width=body.text_width)


def _mark_section_rtl(sect_pr: etree._Element) -> None:
    """`w:bidi` on the section: page numbers, columns and gutter run right to left."""
    bidi = sect_pr.makeelement(qn("w:bidi"), {})
    successor = next((sect_pr.find(qn(tag)) for tag in _AFTER_SECTION_BIDI if sect_pr.find(qn(tag)) is not None), None)
    if successor is not None:
        successor.addprevious(bidi)
    else:
        sect_pr.append(bidi)


def _set_proofing_language(word: WordDocument, language: str) -> None:
    """Default run language, so Word spell-checks (and LibreOffice hyphenates) in the right language."""
    locale = LOCALES.get(language)
    lang = word.styles.element.find(f"{qn('w:docDefaults')}/{qn('w:rPrDefault')}/{qn('w:rPr')}/{qn('w:lang')}")
    if locale is None or lang is None:
        return
    lang.set(qn("w:bidi") if language in RTL_LANGUAGES else qn("w:val"), locale)
    word.core_properties.language = locale


def _set_properties(word: WordDocument, info: ExportInfo, labels: dict[str, str]) -> None:
    """File > Info: title, parties, author, revision; the identifier the verify command reads."""
    set_properties(word, title=info.title,
                   subject=f"{labels['between']} {info.provider_name} {labels['and']} {info.client_name}",
                   author=info.provider_name, when=info.revision_created_at, revision=info.revision_number)
    word.core_properties.content_status = info.status
    word.core_properties.identifier = (f"urn:accord:agreement:{info.agreement_id}:revision:{info.revision_number}"
                                       f":sha256:{info.revision_hash}")
