"""The agreement as a Word document: title page, contents, numbered clauses, tables.

With an `Execution` the same document becomes the signed DOCX: a signature page and
a certificate of completion follow the text (export.docx_signed), and every page's
footer carries the executed text's SHA-256.

The output is byte-stable: the same inputs give the same bytes (no clock, no random
ids), so a file can be identified by its hash. Paragraphs are built as lxml elements
(ooxml.blocks) because python-docx's text setter would double the export time.
"""
from __future__ import annotations

import docx
from docx.document import Document as WordDocument
from docx.oxml.ns import qn
from flask_babel import gettext as _
from lxml import etree

from ..config import RTL_LANGUAGES
from ..document import Document
from ..i18n import in_language
from ..ooxml.bidi import mark_section_rtl
from ..ooxml.blocks import BlockWriter
from ..ooxml.numbering import number_headings
from ..ooxml.package import docx_bytes, set_custom_properties, set_properties
from ..ooxml.page import set_page_size
from ..ooxml.story import write_blocks
from ..ooxml.styles import ensure_styles
from ..ooxml.tracked import AnnotationIds
from ..render.tables import Table
from .labels import LOCALES
from .layout import agreement_layout
from .records import Execution, ExportInfo

STYLES = ("Title", "Subtitle", "Heading 1", "Heading 2", "Heading 3", "TOC Heading", "toc 1", "toc 2", "Caption",
          "Header", "Footer", "Table Grid")


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
    word, body = new_word_document(info)
    layout = agreement_layout(document, info, tables, execution, rtl=body.rtl)
    ids = AnnotationIds()
    write_blocks(body, layout.body, ids)
    write_blocks(story_writer(word.sections[0].header._element, body), layout.header, ids)
    write_blocks(story_writer(word.sections[0].footer._element, body), layout.footer, ids)
    finish_word_document(word, info)
    _set_properties(word, info)
    set_custom_properties(word, file_anchors(info, "signed" if execution is not None else "agreement"))
    return docx_bytes(word, info.revision_created_at)


def new_word_document(info: ExportInfo) -> tuple[WordDocument, BlockWriter]:
    """An empty Word document set up for the agreement, and a writer into its body.

    Styles, heading numbering and the page are set before anything is written; the
    clean, signed and redline DOCX all start here, so they look alike.
    """
    word = docx.Document()
    sect_pr = word.element.body.sectPr  # blocks go before the body's closing section properties
    text_width = set_page_size(sect_pr, info.paper).text_width  # tables share out the width between the margins
    ensure_styles(word, text_width)
    number_headings(word)
    styles = {name: word.styles[name].style_id for name in STYLES}
    body = BlockWriter(word.element.body, styles, rtl=info.language in RTL_LANGUAGES, text_width=text_width,
                       before=sect_pr)
    return word, body


def finish_word_document(word: WordDocument, info: ExportInfo) -> None:
    """The section's direction and the proofing language, once the text is written."""
    if info.language in RTL_LANGUAGES:
        mark_section_rtl(word.element.body.sectPr)
    set_proofing_language(word, info.language)


def story_writer(story: etree._Element, body: BlockWriter) -> BlockWriter:
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


def file_anchors(info: ExportInfo, kind: str) -> dict[str, str | int]:
    """The custom properties that say what a file is, read back when it returns from Word or LibreOffice.

    `kind`: "agreement" (a revision), "signed" (an executed version) or "redline" (then the
    revision is the newer one compared).
    """
    return {"AccordAgreement": info.agreement_id, "AccordRevision": info.revision_number,
            "AccordRevisionSHA256": info.revision_hash, "AccordDocument": kind}


def _set_properties(word: WordDocument, info: ExportInfo) -> None:
    """File > Info: title, parties, author, revision; the identifier the verify command reads."""
    set_properties(word, title=info.title,
                   subject=_("between %(provider)s and %(client)s", provider=info.provider_name,
                             client=info.client_name),
                   author=info.provider_name, when=info.revision_created_at, revision=info.revision_number)
    word.core_properties.content_status = info.status
    word.core_properties.identifier = (f"urn:accord:agreement:{info.agreement_id}:revision:{info.revision_number}"
                                       f":sha256:{info.revision_hash}")
