"""Word-aligned diffs of clause text, shared by the redline and the merge.

A raw character diff splits words and numbers (`within 1[-4][+3] business days`); a
lawyer reads `within [-14][+13] business days`. So texts are cut into tokens - words
(with their combining marks, inner apostrophes and hyphens), numbers (with their
thousands and decimal separators), runs of white space, and single other characters -
each token is mapped to one character, and diff-match-patch's algorithm diffs those (as
document.fast_diff runs it: the same answers, faster). Every difference then starts and ends
on a token boundary.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from .fast_diff import cleanup_semantic, common_prefix, common_suffix, diff_main

# \w plus the combining marks of Latin, Cyrillic, Hebrew and Arabic script, so a word
# with accents or niqqud stays one token.
_MARKS = "\u0300-\u036f\u0483-\u0489\u0591-\u05bd\u05bf\u05c1\u05c2\u05c4\u05c5\u05c7\u0610-\u061a\u064b-\u065f\u0670"
_WORD = f"[\\w{_MARKS}]+(?:['’\\-][\\w{_MARKS}]+)*"
_TOKEN = re.compile(rf"\d+(?:[.,]\d+)*|{_WORD}|\s+|.", re.DOTALL)

DELETE, EQUAL, INSERT = -1, 0, 1


def tokenize(text: str) -> list[str]:
    """The text as tokens; joining them gives the text back exactly."""
    return _TOKEN.findall(text)


def _encode(*token_lists: list[str]) -> list[str]:
    """Each distinct token as one character (outside the surrogate range), the same across lists."""
    codes: dict[str, str] = {}
    encoded = []
    for tokens in token_lists:
        chars = []
        for token in tokens:
            char = codes.get(token)
            if char is None:
                code = 0x100 + len(codes)
                char = codes[token] = chr(code + 0x800 if code >= 0xD800 else code)
            chars.append(char)
        encoded.append("".join(chars))
    return encoded


def token_diff(old: list[str], new: list[str], semantic: bool) -> list[tuple[int, list[str]]]:
    """Diff two token lists: [(DELETE|EQUAL|INSERT, tokens)], in order."""
    old_chars, new_chars = _encode(old, new)
    # diff-match-patch's diff_main with no time limit (a timed-out diff silently becomes "delete all,
    # insert all") and no line pre-pass.
    diffs = diff_main(old_chars, new_chars)
    if semantic:
        cleanup_semantic(diffs)
    result: list[tuple[int, list[str]]] = []
    cursor_old = cursor_new = 0
    for op, chars in diffs:
        size = len(chars)
        if op == INSERT:
            result.append((op, new[cursor_new:cursor_new + size]))
            cursor_new += size
        elif op == DELETE:
            result.append((op, old[cursor_old:cursor_old + size]))
            cursor_old += size
        else:
            result.append((op, old[cursor_old:cursor_old + size]))
            cursor_old += size
            cursor_new += size
    return result


# Text kept beside a change when the unchanged head and tail of two texts are set aside before
# diffing: enough for the semantic clean-up to see the words around each change.
CONTEXT = 48


def _unchanged_ends(old: str, new: str) -> tuple[int, int]:
    """Lengths of a head and a tail the two texts share, cut where a token ends in both.

    The head ends where a run of white space starts, the tail starts where one ends: no
    token crosses white space, so both texts cut into the same tokens there as whole.
    CONTEXT characters of the shared text stay with the change.
    """
    head = common_prefix(old, new) - CONTEXT
    while head > 0 and not (old[head].isspace() and not old[head - 1].isspace()):
        head -= 1
    head = max(head, 0)
    rest_old, rest_new = old[head:], new[head:]
    tail = common_suffix(rest_old, rest_new) - CONTEXT
    while tail > 0 and not (not rest_old[-tail].isspace() and rest_old[-tail - 1].isspace()):
        tail -= 1
    return head, max(tail, 0)


def word_diff(old: str, new: str) -> list[tuple[int, str]]:
    """A word-aligned, semantically cleaned diff for people to read: [(op, text)].

    Only the part between the texts' shared head and tail is tokenized and diffed (a
    clause's edit is usually a few words in a long text); the shared ends come back as
    equal text around it.
    """
    if old == new:
        return [(EQUAL, old)] if old else []
    head, tail = _unchanged_ends(old, new)
    middle = token_diff(tokenize(old[head:len(old) - tail]), tokenize(new[head:len(new) - tail]), semantic=True)
    segments: list[tuple[int, str]] = []
    for op, text in [(EQUAL, old[:head]), *((op, "".join(tokens)) for op, tokens in middle),
                     (EQUAL, old[len(old) - tail:])]:
        if not text:
            continue
        if segments and segments[-1][0] == op == EQUAL:
            segments[-1] = (EQUAL, segments[-1][1] + text)
        else:
            segments.append((op, text))
    return segments


@dataclass(frozen=True)
class Edit:
    """Replace base tokens [start, end) with `tokens` (start == end: an insertion)."""

    start: int
    end: int
    tokens: tuple[str, ...]


def edits_between(base: list[str], other: list[str]) -> list[Edit]:
    """The minimal edits that turn the `base` tokens into the `other` tokens, in order."""
    edits: list[Edit] = []
    position = 0
    pending: Edit | None = None
    for op, tokens in token_diff(base, other, semantic=False):
        if op == EQUAL:
            if pending is not None:
                edits.append(pending)
                pending = None
            position += len(tokens)
            continue
        if pending is None:
            pending = Edit(position, position, ())
        if op == DELETE:
            position += len(tokens)
            pending = Edit(pending.start, position, pending.tokens)
        else:
            pending = Edit(pending.start, pending.end, pending.tokens + tuple(tokens))
    if pending is not None:
        edits.append(pending)
    return edits


def apply_edits(base: list[str], edits: list[Edit]) -> list[str]:
    """`base` with non-overlapping `edits` (sorted by position) applied."""
    result: list[str] = []
    position = 0
    for edit in edits:
        if edit.start < position:
            raise ValueError("edits overlap")
        result.extend(base[position:edit.start])
        result.extend(edit.tokens)
        position = edit.end
    result.extend(base[position:])
    return result
