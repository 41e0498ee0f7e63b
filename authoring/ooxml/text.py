"""Text as XML 1.0 can carry it.

A handful of characters (C0 controls other than tab, newline and carriage return, lone
surrogates, U+FFFE/U+FFFF) cannot appear in an XML document at all; lxml refuses them.
User text may hold one (a vertical tab pasted from Word), so every piece of text that
goes into a part passes here and such a character becomes U+FFFD.
"""
from __future__ import annotations

import re

_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def xml_safe(text: str) -> str:
    """`text` with the characters XML cannot carry replaced by U+FFFD."""
    return _NOT_XML.sub("\ufffd", text) if _NOT_XML.search(text) else text
