"""diff-match-patch's diff as the word diff calls it, made faster: the same answers, step for step.

The word diff (document.words) runs diff-match-patch's `diff_main` (no time limit, no line
pre-pass) and `diff_cleanupSemantic` over texts of one character per token. Most of a
redline's time goes there, so its hot parts are written again here as the same algorithm -
Myers' bisection, the merge clean-up after every level of it, the semantic clean-up - without
the original's per-call costs: no deadline to check (there is none), no half-match (off
without a deadline anyway), the bisection over lists of code points rather than one-character
strings (each of which Python would allocate anew, the token characters being beyond Latin-1),
no merge pass over a list it would leave as it is (`_settled`). The shift to word boundaries
(`diff_cleanupSemanticLossless`) and the overlap search are diff-match-patch's own.
tests/test_fast_diff.py compares the results with diff-match-patch's.

Adapted from diff-match-patch, Copyright 2018 The diff-match-patch Authors, Apache License 2.0.
"""
from __future__ import annotations

from diff_match_patch import diff_match_patch

DELETE, EQUAL, INSERT = -1, 0, 1

_DMP = diff_match_patch()


def common_prefix(a: str, b: str) -> int:
    """Length of the common prefix (binary search over slices, as diff-match-patch: the comparisons run in C)."""
    if not a or not b or a[0] != b[0]:
        return 0
    low, high = 1, min(len(a), len(b))  # a[:low] == b[:low]; the answer is at most high
    if a[:high] == b[:high]:
        return high
    while high - low > 1:  # a[:high] != b[:high]
        middle = (low + high) // 2
        if a[low:middle] == b[low:middle]:
            low = middle
        else:
            high = middle
    return low


def common_suffix(a: str, b: str) -> int:
    """Length of the common suffix."""
    if not a or not b or a[-1] != b[-1]:
        return 0
    low, high = 1, min(len(a), len(b))
    len_a, len_b = len(a), len(b)
    if a[len_a - high:] == b[len_b - high:]:
        return high
    while high - low > 1:
        middle = (low + high) // 2
        if a[len_a - middle:len_a - low] == b[len_b - middle:len_b - low]:
            low = middle
        else:
            high = middle
    return low


def diff_main(text1: str, text2: str) -> list[tuple[int, str]]:
    """diff_match_patch.diff_main(text1, text2, checklines=False) with Diff_Timeout = 0."""
    if text1 == text2:
        return [(EQUAL, text1)] if text1 else []
    prefix = suffix = ""
    # Trim the common prefix and suffix (most texts of the bisection's levels have none: a first
    # character compared says so without a call).
    if text1 and text2 and text1[0] == text2[0]:
        length = common_prefix(text1, text2)
        prefix, text1, text2 = text1[:length], text1[length:], text2[length:]
    if text1 and text2 and text1[-1] == text2[-1]:
        length = common_suffix(text1, text2)
        suffix, text1, text2 = text1[-length:], text1[:-length], text2[:-length]
    diffs = _compute(text1, text2)
    if prefix:
        diffs.insert(0, (EQUAL, prefix))
    if suffix:
        diffs.append((EQUAL, suffix))
    if len(diffs) > 1 or not diffs[0][1]:  # one non-empty entry is already merged
        cleanup_merge(diffs)
    return diffs


def _compute(text1: str, text2: str) -> list[tuple[int, str]]:
    """diff_compute for texts with no common prefix or suffix (no half-match, no line mode: both are off)."""
    if not text1:
        return [(INSERT, text2)]
    if not text2:
        return [(DELETE, text1)]
    if len(text1) > len(text2):
        longtext, shorttext, op = text1, text2, DELETE
    else:
        shorttext, longtext, op = text1, text2, INSERT
    at = longtext.find(shorttext)
    if at != -1:
        return [(op, longtext[:at]), (EQUAL, shorttext), (op, longtext[at + len(shorttext):])]
    if len(shorttext) == 1:
        return [(DELETE, text1), (INSERT, text2)]
    return _bisect(text1, text2)


def _bisect(text1: str, text2: str) -> list[tuple[int, str]]:
    """diff_bisect: the middle snake of Myers' algorithm, then each half diffed in turn.

    Offsets into the V arrays stand for the diagonals k (k = offset - v_offset), as in the original.
    """
    len1, len2 = len(text1), len(text2)
    a, b = list(map(ord, text1)), list(map(ord, text2))
    ra, rb = a[::-1], b[::-1]
    max_d = (len1 + len2 + 1) // 2
    v_offset = max_d
    v_length = 2 * max_d
    v1 = [-1] * v_length
    v1[v_offset + 1] = 0
    v2 = v1[:]
    delta = len1 - len2
    mirror = 2 * v_offset + delta  # the offset in the other array of the diagonal facing one
    # If the total number of characters is odd, the front path collides with the reverse path.
    front = delta % 2 != 0
    k1start = k1end = k2start = k2end = 0
    for d in range(max_d):
        first, last = v_offset - d, v_offset + d  # offsets of k = -d and k = d
        # Walk the front path one step.
        for k1_offset in range(first + k1start, last + 1 - k1end, 2):
            if k1_offset == first or (k1_offset != last and v1[k1_offset - 1] < v1[k1_offset + 1]):
                x1 = v1[k1_offset + 1]
            else:
                x1 = v1[k1_offset - 1] + 1
            y1 = x1 - k1_offset + v_offset
            while x1 < len1 and y1 < len2 and a[x1] == b[y1]:
                x1 += 1
                y1 += 1
            v1[k1_offset] = x1
            if x1 > len1:
                k1end += 2  # ran off the right of the graph
            elif y1 > len2:
                k1start += 2  # ran off the bottom of the graph
            elif front:
                k2_offset = mirror - k1_offset
                if 0 <= k2_offset < v_length and v2[k2_offset] != -1 and x1 >= len1 - v2[k2_offset]:
                    return _split(text1, text2, x1, y1)
        # Walk the reverse path one step.
        for k2_offset in range(first + k2start, last + 1 - k2end, 2):
            if k2_offset == first or (k2_offset != last and v2[k2_offset - 1] < v2[k2_offset + 1]):
                x2 = v2[k2_offset + 1]
            else:
                x2 = v2[k2_offset - 1] + 1
            y2 = x2 - k2_offset + v_offset
            while x2 < len1 and y2 < len2 and ra[x2] == rb[y2]:
                x2 += 1
                y2 += 1
            v2[k2_offset] = x2
            if x2 > len1:
                k2end += 2  # ran off the left of the graph
            elif y2 > len2:
                k2start += 2  # ran off the top of the graph
            elif not front:
                k1_offset = mirror - k2_offset
                if 0 <= k1_offset < v_length and v1[k1_offset] != -1:
                    x1 = v1[k1_offset]
                    if x1 >= len1 - x2:
                        return _split(text1, text2, x1, v_offset + x1 - k1_offset)
    # No commonality at all.
    return [(DELETE, text1), (INSERT, text2)]


def _split(text1: str, text2: str, x: int, y: int) -> list[tuple[int, str]]:
    """diff_bisectSplit: the two halves either side of the middle snake, diffed in turn."""
    return diff_main(text1[:x], text2[:y]) + diff_main(text1[x:], text2[y:])


def _settled(diffs: list[tuple[int, str]]) -> bool:
    """Whether cleanup_merge would leave `diffs` as they are (most lists of the bisection's levels are).

    So it is when no text is empty, no two equalities touch, the edits between two equalities
    are one edit or a deletion then an insertion that begin and end with different characters
    (nothing to merge, reorder or factor out), and no single edit between two equalities ends
    with the one before it or begins with the one after it (nothing to shift).
    """
    last = len(diffs) - 1
    for index, (op, text) in enumerate(diffs):
        if not text:
            return False
        if op == EQUAL:
            if index and diffs[index - 1][0] == EQUAL:
                return False
            continue
        following = diffs[index + 1] if index < last else None
        if op == DELETE and following is not None and following[0] == INSERT:
            insertion = following[1]
            if (not insertion or insertion[0] == text[0] or insertion[-1] == text[-1]
                    or (index + 2 <= last and diffs[index + 2][0] != EQUAL)):
                return False
            continue
        if following is not None and following[0] != EQUAL:
            return False  # two deletions, or an insertion before an edit
        if op == INSERT and index and diffs[index - 1][0] == DELETE:
            continue  # the insertion of a pair checked above
        if (following is not None and index and diffs[index - 1][0] == EQUAL
                and (text.endswith(diffs[index - 1][1]) or text.startswith(following[1]))):
            return False
    return True


def cleanup_merge(diffs: list[tuple[int, str]]) -> None:
    """diff_cleanupMerge: like edits merged and reordered, equalities merged, single edits shifted
    to eliminate an equality (in place)."""
    if _settled(diffs):
        return
    diffs.append((EQUAL, ""))  # a dummy entry at the end
    pointer = 0
    count_delete = count_insert = 0
    text_delete = text_insert = ""
    while pointer < len(diffs):
        op, text = diffs[pointer]
        if op == INSERT:
            count_insert += 1
            text_insert += text
            pointer += 1
            continue
        if op == DELETE:
            count_delete += 1
            text_delete += text
            pointer += 1
            continue
        # An equality: merge the edits before it.
        if count_delete + count_insert > 1:
            if count_delete and count_insert:
                # Factor out any common prefix, then any common suffix.
                length = common_prefix(text_insert, text_delete)
                if length:
                    before = pointer - count_delete - count_insert - 1
                    if before >= 0 and diffs[before][0] == EQUAL:
                        diffs[before] = (EQUAL, diffs[before][1] + text_insert[:length])
                    else:
                        diffs.insert(0, (EQUAL, text_insert[:length]))
                        pointer += 1
                    text_insert, text_delete = text_insert[length:], text_delete[length:]
                length = common_suffix(text_insert, text_delete)
                if length:
                    diffs[pointer] = (EQUAL, text_insert[-length:] + diffs[pointer][1])
                    text_insert, text_delete = text_insert[:-length], text_delete[:-length]
            merged = []
            if text_delete:
                merged.append((DELETE, text_delete))
            if text_insert:
                merged.append((INSERT, text_insert))
            pointer -= count_delete + count_insert
            diffs[pointer:pointer + count_delete + count_insert] = merged
            pointer += len(merged) + 1
        elif pointer != 0 and diffs[pointer - 1][0] == EQUAL:
            diffs[pointer - 1] = (EQUAL, diffs[pointer - 1][1] + text)
            del diffs[pointer]
        else:
            pointer += 1
        count_insert = count_delete = 0
        text_delete = text_insert = ""
    if diffs[-1][1] == "":
        diffs.pop()  # the dummy entry

    # Second pass: single edits between equalities that can shift sideways to eliminate one.
    # e.g. A<ins>BA</ins>C -> <ins>AB</ins>AC
    changes = False
    pointer = 1
    while pointer < len(diffs) - 1:
        previous_op, previous = diffs[pointer - 1]
        next_op, following = diffs[pointer + 1]
        if previous_op == EQUAL and next_op == EQUAL:
            op, text = diffs[pointer]
            if text.endswith(previous):
                # Shift the edit over the previous equality.
                if previous != "":
                    diffs[pointer] = (op, previous + text[:-len(previous)])
                    diffs[pointer + 1] = (next_op, previous + following)
                del diffs[pointer - 1]
                changes = True
            elif text.startswith(following):
                # Shift the edit over the next equality.
                diffs[pointer - 1] = (previous_op, previous + following)
                diffs[pointer] = (op, text[len(following):] + following)
                del diffs[pointer + 1]
                changes = True
        pointer += 1
    if changes:
        cleanup_merge(diffs)


def cleanup_semantic(diffs: list[tuple[int, str]]) -> None:
    """diff_cleanupSemantic: semantically trivial equalities eliminated, edits aligned to word
    boundaries, overlaps between a deletion and an insertion extracted (in place)."""
    changes = False
    equalities: list[int] = []  # indices of equalities
    last_equality = None  # always diffs[equalities[-1]][1]
    last_length = 0  # its length
    pointer, size = 0, len(diffs)
    # Characters inserted and deleted since the last equality; the larger of the two before it and since.
    insertions = deletions = edited1 = edited2 = 0
    while pointer < size:
        op, text = diffs[pointer]
        if op == EQUAL:
            equalities.append(pointer)
            insertions = deletions = 0
            edited1, edited2 = edited2, 0
            last_equality, last_length = text, len(text)
        else:
            if op == INSERT:
                insertions += len(text)
                if insertions > edited2:
                    edited2 = insertions
            else:
                deletions += len(text)
                if deletions > edited2:
                    edited2 = deletions
            # Eliminate an equality no longer than the edits on both sides of it.
            if last_equality and last_length <= edited1 and last_length <= edited2:
                at = equalities[-1]
                diffs.insert(at, (DELETE, last_equality))
                diffs[at + 1] = (INSERT, diffs[at + 1][1])
                equalities.pop()  # the equality just eliminated
                if equalities:
                    equalities.pop()  # the one before needs looking at again
                pointer = equalities[-1] if equalities else -1
                insertions = deletions = edited1 = edited2 = 0
                last_equality, size = None, size + 1
                changes = True
        pointer += 1

    if changes:
        cleanup_merge(diffs)
    _DMP.diff_cleanupSemanticLossless(diffs)

    # Overlaps between deletions and insertions, as big as the edit ahead or behind:
    # <del>abcxxx</del><ins>xxxdef</ins> -> <del>abc</del>xxx<ins>def</ins>
    # <del>xxxabc</del><ins>defxxx</ins> -> <ins>def</ins>xxx<del>abc</del>
    overlap = _DMP.diff_commonOverlap
    pointer = 1
    while pointer < len(diffs):
        if diffs[pointer - 1][0] == DELETE and diffs[pointer][0] == INSERT:
            deletion, insertion = diffs[pointer - 1][1], diffs[pointer][1]
            overlap1, overlap2 = overlap(deletion, insertion), overlap(insertion, deletion)
            if overlap1 >= overlap2:
                if overlap1 >= len(deletion) / 2.0 or overlap1 >= len(insertion) / 2.0:
                    diffs.insert(pointer, (EQUAL, insertion[:overlap1]))
                    diffs[pointer - 1] = (DELETE, deletion[:len(deletion) - overlap1])
                    diffs[pointer + 1] = (INSERT, insertion[overlap1:])
                    pointer += 1
            elif overlap2 >= len(deletion) / 2.0 or overlap2 >= len(insertion) / 2.0:
                diffs.insert(pointer, (EQUAL, deletion[:overlap2]))
                diffs[pointer - 1] = (INSERT, insertion[:len(insertion) - overlap2])
                diffs[pointer + 1] = (DELETE, deletion[overlap2:])
                pointer += 1
            pointer += 1
        pointer += 1
