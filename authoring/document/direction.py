"""Which way a text runs, decided as HTML's dir="auto" does: by its first strong character."""
from __future__ import annotations

import unicodedata


def text_direction(text: str, default: str = "ltr") -> str:
    """'rtl' when the first letter with a strong direction is Hebrew, Arabic, ...; else 'ltr'."""
    for char in text:
        kind = unicodedata.bidirectional(char)
        if kind in ("R", "AL"):
            return "rtl"
        if kind == "L":
            return "ltr"
    return default
