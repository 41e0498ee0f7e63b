"""The styles our documents use, made sure to exist in word/styles.xml (`w:style` elements).

python-docx's default template defines headings, captions and table styles, but none of
the styles Word gives comments, a table of contents or links: "annotation reference"
(`CommentReference`), "annotation text" (`CommentText`), "annotation subject"
(`CommentSubject`), "toc 1"/"toc 2" (`TOC1`/`TOC2`) and "Hyperlink". A paragraph or run
naming a style that is not defined is an error to a validator and falls back to Normal
in Word; so every exporter calls `ensure_styles` once, after the page is set up (the
contents' right tab stops at the text width).

A style the document already defines is left as it is (a firm's own template wins), except
that "TOC Heading" is kept out of the heading numbering. The
definitions follow Word's built-in ones: ids and names as Word writes them, so Word and
LibreOffice map them onto their own (LibreOffice shows "toc 1" as "Contents 1").
"""
from __future__ import annotations

from docx.document import Document as DocxDocument
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls
from docx.shared import Emu

from .numbering import unnumber

TOC_INDENT = 220  # twips a "toc 2" entry stands in from a "toc 1" entry, as in Word
COMMENT_REFERENCE, COMMENT_TEXT, COMMENT_SUBJECT = "CommentReference", "CommentText", "CommentSubject"
COMMENT_TEXT_CHAR = "CommentTextChar"
TOC1, TOC2, HYPERLINK, TOC_HEADING = "TOC1", "TOC2", "Hyperlink", "TOCHeading"


def _definitions(text_width: int) -> dict[str, str]:
    """Each style id and its `w:style` element, as Word defines the built-in style."""
    toc_tabs = f'<w:tabs><w:tab w:val="right" w:leader="dot" w:pos="{text_width}"/></w:tabs>'
    return {
        COMMENT_REFERENCE: (
            '<w:style w:type="character" w:styleId="CommentReference"><w:name w:val="annotation reference"/>'
            '<w:basedOn w:val="DefaultParagraphFont"/><w:uiPriority w:val="99"/><w:semiHidden/><w:unhideWhenUsed/>'
            '<w:rPr><w:sz w:val="16"/><w:szCs w:val="16"/></w:rPr></w:style>'),
        COMMENT_TEXT: (
            '<w:style w:type="paragraph" w:styleId="CommentText"><w:name w:val="annotation text"/>'
            '<w:basedOn w:val="Normal"/><w:link w:val="CommentTextChar"/><w:uiPriority w:val="99"/><w:unhideWhenUsed/>'
            '<w:pPr><w:spacing w:line="240" w:lineRule="auto"/></w:pPr>'
            '<w:rPr><w:sz w:val="20"/><w:szCs w:val="20"/></w:rPr></w:style>'),
        COMMENT_TEXT_CHAR: (  # the character style Word links to "annotation text"
            '<w:style w:type="character" w:customStyle="1" w:styleId="CommentTextChar">'
            '<w:name w:val="Comment Text Char"/><w:basedOn w:val="DefaultParagraphFont"/>'
            '<w:link w:val="CommentText"/><w:uiPriority w:val="99"/>'
            '<w:rPr><w:sz w:val="20"/><w:szCs w:val="20"/></w:rPr></w:style>'),
        COMMENT_SUBJECT: (
            '<w:style w:type="paragraph" w:styleId="CommentSubject"><w:name w:val="annotation subject"/>'
            '<w:basedOn w:val="CommentText"/><w:next w:val="CommentText"/><w:uiPriority w:val="99"/><w:semiHidden/>'
            '<w:unhideWhenUsed/><w:rPr><w:b/><w:bCs/></w:rPr></w:style>'),
        TOC1: (
            '<w:style w:type="paragraph" w:styleId="TOC1"><w:name w:val="toc 1"/><w:basedOn w:val="Normal"/>'
            '<w:next w:val="Normal"/><w:autoRedefine/><w:uiPriority w:val="39"/><w:unhideWhenUsed/>'
            f'<w:pPr>{toc_tabs}<w:spacing w:after="100"/></w:pPr></w:style>'),
        TOC2: (
            '<w:style w:type="paragraph" w:styleId="TOC2"><w:name w:val="toc 2"/><w:basedOn w:val="Normal"/>'
            '<w:next w:val="Normal"/><w:autoRedefine/><w:uiPriority w:val="39"/><w:unhideWhenUsed/>'
            f'<w:pPr>{toc_tabs}<w:spacing w:after="100"/><w:ind w:left="{TOC_INDENT}"/></w:pPr></w:style>'),
        HYPERLINK: (
            '<w:style w:type="character" w:styleId="Hyperlink"><w:name w:val="Hyperlink"/>'
            '<w:basedOn w:val="DefaultParagraphFont"/><w:uiPriority w:val="99"/><w:unhideWhenUsed/>'
            '<w:rPr><w:color w:val="0000FF" w:themeColor="hyperlink"/><w:u w:val="single"/></w:rPr></w:style>'),
    }


def text_width_of(document: DocxDocument) -> int:
    """The width between the first section's margins, in twips."""
    section = document.sections[0]
    return int(Emu(section.page_width - section.left_margin - section.right_margin).twips)


def ensure_styles(document: DocxDocument, text_width: int | None = None) -> None:
    """Define in `document` every style our exports use that it lacks; keep "TOC Heading" unnumbered.

    `text_width` (twips; default: the first section's) is where the contents' page numbers
    stand, after a dot leader. "TOC Heading" is based on "heading 1": once headings are
    numbered (ooxml.numbering) it would inherit the number, so it removes numbering
    (`w:numPr/w:numId` 0, ECMA-376 Part 1, 17.9.19). Calling it twice changes nothing.
    """
    styles = document.styles.element
    defined = set(styles.xpath("./w:style/@w:styleId"))
    width = text_width if text_width is not None else text_width_of(document)
    for style_id, xml in _definitions(width).items():
        if style_id not in defined:
            styles.append(parse_xml(xml.replace("<w:style ", f"<w:style {nsdecls('w')} ", 1)))
    for heading in styles.xpath(f'./w:style[@w:styleId="{TOC_HEADING}"]'):
        unnumber(heading.get_or_add_pPr())

