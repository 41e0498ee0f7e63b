"""Which way a text runs, decided as HTML's dir="auto" does: by its first strong character.

`text_direction` gives a paragraph its base direction (Unicode bidi rules P2-P3);
`rtl_pieces` cuts a text into the pieces a Word run marks right-to-left (`w:rtl`) and the
rest, so numbers and Latin words inside a Hebrew sentence keep their own order.
"""
from __future__ import annotations

import re
import unicodedata

# Every character of bidi class R or AL lies in these ranges (a superset: a quick test
# that lets left-to-right text skip the character-by-character look).
_MAY_BE_RTL = re.compile("[\u0590-\u08ff\u200f\u202b\u202e\u2067\ufb1d-\ufdff\ufe70-\ufefe"
                         "\U00010800-\U00010fff\U0001e800-\U0001efff]")
_RTL, _LTR, _NEUTRAL = "R", "L", "N"
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


def has_rtl(text: str) -> bool:
    """Whether `text` holds any right-to-left letter."""
    return bool(_MAY_BE_RTL.search(text)) and any(unicodedata.bidirectional(c) in ("R", "AL") for c in text)


def _classes(text: str) -> list[str]:
    """R for right-to-left letters, L for left-to-right letters and digits, N for the rest.

    A combining mark takes its base letter's class (bidi rule W1), so a Hebrew point stays
    with its letter.
    """
    classes = []
    for char in text:
        kind = unicodedata.bidirectional(char)
        if kind in ("R", "AL"):
            classes.append(_RTL)
        elif kind in ("L", "EN", "AN"):
            classes.append(_LTR)
        elif kind == "NSM" and classes:
            classes.append(classes[-1])
        else:
            classes.append(_NEUTRAL)
    return classes


def rtl_flags(text: str) -> list[bool]:
    """For each character, whether it belongs to a right-to-left stretch of `text`.

    A stretch runs from a right-to-left letter to the last one before the next left-to-right
    letter or digit; spaces and punctuation inside it belong to it, those at its edges do not
    (the bidi algorithm places them by what surrounds them, as it should). Digits never do:
    "4" and "1.1" inside a Hebrew sentence stay numbers written left to right.
    """
    if not _MAY_BE_RTL.search(text):
        return [False] * len(text)
    classes = _classes(text)
    flags = [kind == _RTL for kind in classes]
    previous = None
    pending: list[int] = []  # neutral characters since the last strong one
    for index, kind in enumerate(classes):
        if kind == _NEUTRAL:
            pending.append(index)
            continue
        if kind == _RTL and previous == _RTL:
            for inside in pending:
                flags[inside] = True
        pending, previous = [], kind
    return flags


def rtl_pieces(text: str) -> list[tuple[str, bool]]:
    """`text` cut into (piece, is right-to-left) by `rtl_flags`, in order; never empty pieces."""
    if not text:
        return []
    flags = rtl_flags(text)
    pieces, start = [], 0
    for index in range(1, len(text) + 1):
        if index == len(text) or flags[index] != flags[start]:
            pieces.append((text[start:index], flags[start]))
            start = index
    return pieces
