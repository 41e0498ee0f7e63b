"""Word fields as runs: `PAGE`, `NUMPAGES` (`w:fldChar` begin/separate/end).

A complex field within one `w:p` is five runs: begin, the instruction (`w:instrText`),
separate, the last computed result (what a reader sees until the field is updated), and
end. Word and LibreOffice recompute PAGE and NUMPAGES at every layout. The contents field
spans paragraphs - its result is the list of headings - and is written by ooxml.story
with `field_char`.
"""
from __future__ import annotations

from dataclasses import dataclass

from docx.oxml.ns import qn
from lxml import etree

_R, _T, _INSTR, _FLD_CHAR = qn("w:r"), qn("w:t"), qn("w:instrText"), qn("w:fldChar")
_FLD_CHAR_TYPE = qn("w:fldCharType")
_PRESERVE = {"{http://www.w3.org/XML/1998/namespace}space": "preserve"}


@dataclass(frozen=True)
class Field:
    """A complex field to put in a paragraph: its instruction and the result shown before an update."""

    instruction: str  # e.g. 'PAGE' or 'TOC \\o "1-2" \\h \\z \\u'
    result: str

    def add_to(self, paragraph: etree._Element) -> None:
        """Append the field's five runs to the `w:p` element `paragraph`."""
        field_char(paragraph, "begin")
        instruction = etree.SubElement(etree.SubElement(paragraph, _R), _INSTR, _PRESERVE)
        # Word writes the instruction with a space either side; some readers expect it.
        instruction.text = f" {self.instruction} "
        field_char(paragraph, "separate")
        etree.SubElement(etree.SubElement(paragraph, _R), _T, _PRESERVE).text = self.result
        field_char(paragraph, "end")


def field_char(paragraph: etree._Element, kind: str) -> None:
    """Append a run holding `w:fldChar` of `kind` ("begin", "separate", "end") to `paragraph`."""
    etree.SubElement(etree.SubElement(paragraph, _R), _FLD_CHAR, {_FLD_CHAR_TYPE: kind})
