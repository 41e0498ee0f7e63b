"""document.fast_diff answers as diff-match-patch does: the word diff was made faster, not different.

Each function is compared with the diff-match-patch method it stands for (no time limit, no line
pre-pass, as the word diff runs it), on random texts over small alphabets (so that they share many
characters and the bisection, the merges and the clean-ups all have work), on characters beyond
Latin-1 such as the word diff's token characters, and on the changed clauses of the benchmark's pair.
"""
from __future__ import annotations

from diff_match_patch import diff_match_patch
from hypothesis import given, settings
from hypothesis import strategies as st

from authoring import bench
from authoring.document import fast_diff
from authoring.document.words import _encode, _unchanged_ends, tokenize

ALPHABETS = ("ab", "abc", "ab \n", "xy. ", "\u0100\u0101\u0102 \u02c2", "abcdefghij", "\U0001F600\U0001F601 ש")  # the last beyond the BMP


def _reference() -> diff_match_patch:
    differ = diff_match_patch()
    differ.Diff_Timeout = 0
    return differ


@st.composite
def _pairs(draw):
    alphabet = draw(st.sampled_from(ALPHABETS))
    old = draw(st.text(alphabet=alphabet, max_size=60))
    if draw(st.booleans()):
        return old, draw(st.text(alphabet=alphabet, max_size=60))
    new = list(old)  # an edited copy: long common runs, as in a clause's edit
    for at, cut, put in draw(st.lists(st.tuples(st.integers(0, 60), st.integers(0, 6), st.text(alphabet, max_size=6)),
                                      max_size=5)):
        new[at:at + cut] = put
    return old, "".join(new)


def _ours_and_reference(old: str, new: str) -> list[tuple[list, list]]:
    """(fast_diff's answer, diff-match-patch's) for the diff of `old` and `new`, its merge and its semantic clean-up."""
    differ = _reference()
    expected, found = differ.diff_main(old, new, False), fast_diff.diff_main(old, new)
    answers = [(list(found), list(expected))]
    merged, again = list(found), list(found)
    differ.diff_cleanupMerge(merged)
    fast_diff.cleanup_merge(again)
    answers.append((again, merged))
    differ.diff_cleanupSemantic(expected)
    fast_diff.cleanup_semantic(found)
    answers.append((found, expected))
    return answers


@settings(max_examples=1500, deadline=None, derandomize=True, database=None)
@given(_pairs())
def test_diff_and_clean_ups_equal_diff_match_patch(pair):
    for ours, theirs in _ours_and_reference(*pair):
        assert ours == theirs


_EDITS = st.lists(st.tuples(st.sampled_from((-1, 0, 1)), st.text(alphabet="ab ", max_size=4)), max_size=9)


@settings(max_examples=1500, deadline=None, derandomize=True, database=None)
@given(_EDITS)
def test_clean_ups_of_any_list_of_edits_equal_diff_match_patch(diffs):
    """Lists no diff would give (touching equalities, empty texts, edits in any order) too: the merge's
    shortcut for lists it would leave as they are must not take one it would change."""
    differ = _reference()
    expected, found = list(diffs), list(diffs)
    differ.diff_cleanupMerge(expected)
    fast_diff.cleanup_merge(found)
    assert found == expected
    expected, found = list(diffs), list(diffs)
    differ.diff_cleanupSemantic(expected)
    fast_diff.cleanup_semantic(found)
    assert found == expected


def test_equal_on_hand_picked_cases():
    for old, new in [("", ""), ("", "abc"), ("abc", ""), ("abc", "abc"), ("abcxxx", "xxxdef"), ("xxxabc", "defxxx"),
                     ("The cat came.", "The cat cat came."), ("A", "BAC"), ("a\n\nb", "a\n\nc\n\nb"),
                     ("1234567890" * 20, "123456789" * 20 + "x")]:
        for ours, theirs in _ours_and_reference(old, new):
            assert ours == theirs, (old, new)


def test_equal_on_the_changed_clauses_of_the_benchmark_pair():
    pair = bench.revised(bench.synthetic_agreement(300))
    old, new = pair.documents()
    before = {clause.key: clause.text for clause in old.clauses()}
    compared = 0
    for clause in new.clauses():
        text = before.get(clause.key)
        if text is None or text == clause.text:
            continue
        head, tail = _unchanged_ends(text, clause.text)
        middle = _encode(tokenize(text[head:len(text) - tail]), tokenize(clause.text[head:len(clause.text) - tail]))
        untrimmed = _encode(tokenize(text), tokenize(clause.text))  # as the merge diffs
        for ours, theirs in _ours_and_reference(*middle) + _ours_and_reference(*untrimmed):
            assert ours == theirs, clause.key
        compared += 1
    assert compared == 27  # 26 changed and the one moved and edited
