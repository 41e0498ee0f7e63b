"""Which way a text runs, decided as HTML's dir="auto" does: by its first strong character.

`text_direction` gives a paragraph its base direction (Unicode bidi rules P2-P3);
`rtl_spans` finds the stretches of a text a Word run marks right-to-left (`w:rtl`) and the
rest, so numbers and Latin words inside a Hebrew sentence keep their own order.
"""
from __future__ import annotations

import re
import unicodedata

# Every character of bidi class R or AL lies in these ranges (a superset: a quick test
# that lets left-to-right text skip the character-by-character look).
_MAY_BE_RTL = re.compile("[\u0590-\u08ff\u200f\u202b\u202e\u2067\ufb1d-\ufdff\ufe70-\ufefe"
                         "\U00010800-\U00010fff\U0001e800-\U0001efff]")
LRM, RLM = "\u200e", "\u200f"


def text_direction(text: str, default: str = "ltr") -> str:
    """'rtl' when the first letter with a strong direction is Hebrew, Arabic, ...; else 'ltr'."""
    for char in text:
        kind = unicodedata.bidirectional(char)
        if kind in ("R", "AL"):
            return "rtl"
        if kind == "L":
            return "ltr"
    return default


def kept_in_order(text: str, context: str) -> str:
    """`text` (a name, an address) made safe to place inside a sentence running `context` ("rtl"/"ltr").

    An English name ending in a full stop inside a Hebrew sentence would show its stop at
    the wrong end (".Globex S.A"); a mark of the text's own direction after it keeps the
    stop with the name. Text already running `context`, or ending in a letter of its own
    direction, is returned as it is.
    """
    own = text_direction(text, context)
    if own == context or not text:
        return text
    last = unicodedata.bidirectional(text[-1])
    if (own == "ltr" and last == "L") or (own == "rtl" and last in ("R", "AL")):
        return text
    return text + (LRM if own == "ltr" else RLM)


def _class_table() -> str:
    """One letter per BMP code point: R right-to-left letter, L left-to-right letter or digit,
    M combining mark, N anything else (spaces, punctuation, symbols). Built once, then
    `str.translate` classifies a whole paragraph at C speed."""
    global _TABLE
    if _TABLE is None:
        kinds = {"R": "R", "AL": "R", "L": "L", "EN": "L", "AN": "L", "NSM": "M"}
        _TABLE = "".join(kinds.get(unicodedata.bidirectional(chr(code)), "N") for code in range(0x10000))
    return _TABLE


_TABLE: str | None = None
# A right-to-left stretch: from a right-to-left letter to the last one before the next
# left-to-right letter or digit, with the combining marks of its letters (bidi rule W1).
_RTL_STRETCH = re.compile("R(?:M|[NM]*R)*")


def rtl_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of each right-to-left stretch of `text`.

    Spaces and punctuation between right-to-left letters belong to the stretch; those at its
    edges do not (the bidi algorithm places them by what surrounds them, as it should).
    Digits never do: "4" and "1.1" inside a Hebrew sentence stay numbers written left to right.
    Characters beyond the BMP count as neutral.
    """
    if not _MAY_BE_RTL.search(text):
        return []
    return [match.span() for match in _RTL_STRETCH.finditer(text.translate(_class_table()))]


def rtl_pieces(text: str) -> list[tuple[str, bool]]:
    """`text` cut into (piece, is right-to-left) by `rtl_spans`, in order; never empty pieces."""
    pieces, at = [], 0
    for start, end in rtl_spans(text):
        if start > at:
            pieces.append((text[at:start], False))
        pieces.append((text[start:end], True))
        at = end
    if at < len(text):
        pieces.append((text[at:], False))
    return pieces
