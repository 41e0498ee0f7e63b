"""Word fields as runs: `PAGE`, `NUMPAGES`, `TOC` (`w:fldChar` begin/separate/end).

A complex field is five runs inside one `w:p`: begin, the instruction
(`w:instrText`), separate, the last computed result (what a reader sees until the
field is updated), and end. Word and LibreOffice recompute PAGE and NUMPAGES at
every layout; a TOC keeps its result until the reader updates it, so its result is
a sentence telling them how.
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
        _field_char(paragraph, "begin")
        instruction = etree.SubElement(etree.SubElement(paragraph, _R), _INSTR, _PRESERVE)
        # Word writes the instruction with a space either side; some readers expect it.
        instruction.text = f" {self.instruction} "
        _field_char(paragraph, "separate")
        etree.SubElement(etree.SubElement(paragraph, _R), _T, _PRESERVE).text = self.result
        _field_char(paragraph, "end")


def _field_char(paragraph: etree._Element, kind: str) -> None:
    etree.SubElement(etree.SubElement(paragraph, _R), _FLD_CHAR, {_FLD_CHAR_TYPE: kind})
