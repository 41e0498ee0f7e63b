"""Styles our documents use that python-docx's default template lacks (placeholder until the styles strand lands)."""
from __future__ import annotations

from docx.enum.style import WD_STYLE_TYPE
from docx.shared import Pt


def ensure_styles(document) -> None:
    """Add the contents entries' and comments' styles when the template has none."""
    styles = document.styles
    names = {style.name for style in styles}
    for name, base, indent in (("TOC 1", "Normal", 0), ("TOC 2", "Normal", 220)):
        if name not in names:
            style = styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
            style.base_style = styles[base]
            style.paragraph_format.space_after = Pt(2)
            if indent:
                style.paragraph_format.left_indent = Pt(indent / 20)
