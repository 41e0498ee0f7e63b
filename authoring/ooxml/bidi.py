"""Right-to-left marks: `w:bidi` on a paragraph, `w:rtl` on its runs.

Word lays out a Hebrew or Arabic paragraph right-to-left only when the paragraph
carries `<w:bidi/>` in its `w:pPr`; each run's `<w:rtl/>` makes its characters use
the complex-script font and ordering. Without them a Hebrew clause is shown
left-aligned with punctuation at the wrong end.
"""
from __future__ import annotations

from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.text.paragraph import Paragraph


def mark_paragraph_rtl(paragraph: Paragraph) -> None:
    """Make `paragraph` (and every run in it now) right-to-left."""
    p_pr = paragraph._p.get_or_add_pPr()
    if p_pr.find(qn("w:bidi")) is None:
        _insert_in_schema_order(p_pr, OxmlElement("w:bidi"), _AFTER_BIDI)
    for run in paragraph._p.iter(qn("w:r")):
        mark_run_rtl(run)


def mark_run_rtl(run_element) -> None:
    """Add `<w:rtl/>` to a `w:r` element's run properties (created when absent)."""
    r_pr = run_element.find(qn("w:rPr"))
    if r_pr is None:
        r_pr = OxmlElement("w:rPr")
        run_element.insert(0, r_pr)
    if r_pr.find(qn("w:rtl")) is None:
        _insert_in_schema_order(r_pr, OxmlElement("w:rtl"), _AFTER_RTL)


def _insert_in_schema_order(parent, element, later_tags: tuple[str, ...]) -> None:
    """Put `element` before the first child the schema orders after it (Word refuses other orders)."""
    successor = next((child for tag in later_tags if (child := parent.find(qn(tag))) is not None), None)
    if successor is not None:
        successor.addprevious(element)
    else:
        parent.append(element)


# CT_PPrBase children that come after w:bidi in the schema (ECMA-376 Part 1, 17.3.1.26).
_AFTER_BIDI = ("w:adjustRightInd", "w:snapToGrid", "w:spacing", "w:ind", "w:contextualSpacing", "w:mirrorIndents",
               "w:suppressOverlap", "w:jc", "w:textDirection", "w:textAlignment", "w:textboxTightWrap",
               "w:outlineLvl", "w:divId", "w:cnfStyle", "w:rPr", "w:sectPr", "w:pPrChange")
# CT_RPr children that come after w:rtl (17.3.2.30).
_AFTER_RTL = ("w:cs", "w:em", "w:lang", "w:eastAsianLayout", "w:specVanish", "w:oMath")
