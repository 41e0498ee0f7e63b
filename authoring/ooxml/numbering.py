"""Clause numbers as Word's own multi-level list: "1", "1.1", "1.2", "2", ... on the heading styles.

One `w:abstractNum` (with its `w:num`) in word/numbering.xml holds two levels: level 0
"%1" for "heading 1" (sections) and level 1 "%1.%2" for "heading 2" (clauses), each a
decimal number, a tab, and a hanging indent, so a title that wraps lines up under
itself. The list is linked both ways, as Word links a list to styles: each level names
its style (`w:lvl/w:pStyle`), and each style's `w:pPr/w:numPr` names the list and level.
A heading paragraph then gets its number from Word (or LibreOffice) and carries no typed
number: a clause inserted in Word renumbers the ones after it, and the contents list the
numbers as Word shows them.

A paragraph in a heading style that must not be numbered (the signature page, the
certificate) opts out with `unnumber` on its `w:pPr` (`BlockWriter.paragraph(unnumbered=True)`): `w:numId` 0,
which removes numbering at that point of the style hierarchy (ECMA-376 Part 1, 17.9.19).

In a right-to-left paragraph (`w:bidi`) Word mirrors the indent and the number's
alignment (17.3.1.6: bidi governs `ind`, `jc` and tabs), so the same definition puts
the number at the right margin of a Hebrew heading; nothing here depends on direction.
"""
from __future__ import annotations

from docx.document import Document as DocxDocument
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from lxml import etree

LIST_NAME = "Accord headings"  # names our list in numbering.xml, so numbering twice reuses it
NSID = "41434344"  # the list's fixed identifier ("ACCD"): byte-stable output
HANGING = 720  # twips from the margin to the title (half an inch), for "1" and "10.12" alike
LEVELS = (("Heading1", "%1"), ("Heading2", "%1.%2"))  # style id and number text, by level

_W_VAL = qn("w:val")
_ABSTRACT_NUM, _NUM, _NAME = qn("w:abstractNum"), qn("w:num"), qn("w:name")
_P_PR, _NUM_PR, _NUM_ID = qn("w:pPr"), qn("w:numPr"), qn("w:numId")
# What may come before w:numPr in a w:pPr (CT_PPrBase's sequence).
_BEFORE_NUM_PR = {qn(f"w:{tag}") for tag in ("pStyle", "keepNext", "keepLines", "pageBreakBefore", "framePr",
                                             "widowControl")}


def _abstract_num_xml(abstract_id: int, hanging: int) -> str:
    levels = "".join(
        f'<w:lvl w:ilvl="{level}"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:pStyle w:val="{style}"/>'
        f'<w:suff w:val="tab"/><w:lvlText w:val="{text}"/><w:lvlJc w:val="left"/>'
        f'<w:pPr><w:ind w:left="{hanging}" w:hanging="{hanging}"/></w:pPr></w:lvl>'
        for level, (style, text) in enumerate(LEVELS))
    return (f'<w:abstractNum {nsdecls("w")} w:abstractNumId="{abstract_id}"><w:nsid w:val="{NSID}"/>'
            f'<w:multiLevelType w:val="multilevel"/><w:name w:val="{LIST_NAME}"/>{levels}</w:abstractNum>')


def number_headings(document: DocxDocument, *, hanging: int = HANGING) -> int:
    """Number "Heading 1" and "Heading 2" paragraphs of `document` as 1, 1.1, 1.2, 2, 2.1 ...; returns the numId.

    Adds the list to the numbering part (creating the part when the document has none)
    and links it to the two heading styles. Headings must then be written without a
    typed number. Calling it again returns the same list and changes nothing.
    """
    numbering = document.part.numbering_part.element
    existing = numbering.xpath(f'./w:abstractNum[w:name/@w:val="{LIST_NAME}"]')
    if existing:
        abstract_id = existing[0].get(qn("w:abstractNumId"))
        return int(numbering.xpath(f'./w:num[w:abstractNumId/@w:val="{abstract_id}"]/@w:numId')[0])
    abstract_id = max((int(v) for v in numbering.xpath("./w:abstractNum/@w:abstractNumId")), default=-1) + 1
    abstract = parse_xml(_abstract_num_xml(abstract_id, hanging))
    # CT_Numbering: every w:abstractNum comes before the first w:num.
    after = numbering.xpath("./w:abstractNum")
    if after:
        after[-1].addnext(abstract)
    else:
        numbering.insert(len(numbering.xpath("./w:numPicBullet")), abstract)
    num_id = int(numbering.add_num(abstract_id).numId)
    for level, (style_id, _text) in enumerate(LEVELS):
        style = document.styles.element.xpath(f'./w:style[@w:styleId="{style_id}"]')[0]
        num_pr = style.get_or_add_pPr().get_or_add_numPr()
        if level:  # Word writes level 0 by the numId alone
            num_pr.get_or_add_ilvl().val = level
        num_pr.get_or_add_numId().val = num_id
    return num_id


def unnumber(p_pr: etree._Element) -> None:
    """Make the `w:pPr` element `p_pr` (of a paragraph or a style) remove list numbering: `w:numPr/w:numId` 0."""
    num_pr = p_pr.find(_NUM_PR)
    if num_pr is None:
        num_pr = p_pr.makeelement(_NUM_PR, {})
        index = 0
        while index < len(p_pr) and p_pr[index].tag in _BEFORE_NUM_PR:
            index += 1
        p_pr.insert(index, num_pr)
    for child in list(num_pr):
        num_pr.remove(child)
    etree.SubElement(num_pr, _NUM_ID, {_W_VAL: "0"})
