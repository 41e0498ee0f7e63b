"""Exact three-way merge of a clause (document.merge) and the word diff under it (document.words).

The properties build a base text from a small vocabulary full of repeated boilerplate,
then let each side replace one token range with words that occur nowhere else. That
gives a known right answer to compare against, which is exactly what diff-match-patch's
fuzzy `patch_apply` got wrong (shared/RELIABILITY.md).
"""
from __future__ import annotations

import pytest
from hypothesis import given, settings, strategies as st

from authoring.document.merge import MergeConflict, merge_text
from authoring.document.words import DELETE, EQUAL, INSERT, apply_edits, edits_between, tokenize, word_diff

BOILERPLATE = "The Provider shall respond within 4 hours."
PIECES = (
    BOILERPLATE,
    BOILERPLATE,
    BOILERPLATE,
    "The Client shall pay USD 1,000.50 per month.",
    "The Provider shall respond within 14 business days.",
    "Dostawca odpowie w ciągu 4 godzin roboczych — zażółć gęślą jaźń.",
    "הספק יגיב לכל תקלה בתוך 4 שעות עבודה.",
    "Исполнитель отвечает на обращение в течение 4 рабочих часов.",
    "12.1", "(a)", "Provider", "shall", "4", "1,000.50", "hours", "non-exclusive", "Supplier's",
    ",", ";", "—", "\n", "\n\n",
)

base_texts = st.lists(st.sampled_from(PIECES), min_size=1, max_size=12).map(" ".join)
SETTINGS = settings(max_examples=300, deadline=None)


def _fresh(side: str, count: int, bracket: str) -> str:
    """Words no base contains, inside a symbol no base contains, so they never fuse with a neighbour."""
    return bracket[0] + " ".join(f"{side}x{n}" for n in range(1, count + 1)) + bracket[1]


def _replaced(tokens: list[str], span: tuple[int, int], text: str) -> str:
    start, end = span
    return "".join(tokens[:start]) + text + "".join(tokens[end:])


def _both_applied(tokens: list[str], first: tuple[tuple[int, int], str], second: tuple[tuple[int, int], str]) -> str:
    (a_start, a_end), a_text = first
    (b_start, b_end), b_text = second
    assert a_end <= b_start
    return "".join(tokens[:a_start]) + a_text + "".join(tokens[a_end:b_start]) + b_text + "".join(tokens[b_end:])


def _sides(draw_from, tokens):
    """The two replacement texts, mine and theirs: fresh, and different from each other."""
    mine = _fresh("MINE", draw_from(st.integers(1, 3)), "«»")
    theirs = _fresh("THEIRS", draw_from(st.integers(1, 3)), "⟨⟩")
    for text in (mine, theirs):
        # Only the single spaces between the fresh words may also occur in the base.
        assert set(tokenize(text)) & set(tokens) <= {" "}
    return mine, theirs


@SETTINGS
@given(base_texts, st.data())
def test_edits_separated_by_a_token_both_land_exactly(base, data):
    tokens = tokenize(base)
    if len(tokens) < 3:
        base = base + " " + BOILERPLATE
        tokens = tokenize(base)
    n = len(tokens)
    # a < b < c < d with at least one untouched token between [a, b) and [c, d).
    a = data.draw(st.integers(0, n - 3))
    b = data.draw(st.integers(a + 1, n - 2))
    c = data.draw(st.integers(b + 1, n - 1))
    d = data.draw(st.integers(c + 1, n))
    mine_text, theirs_text = _sides(data.draw, tokens)
    mine_first = data.draw(st.booleans())
    mine_span, theirs_span = ((a, b), (c, d)) if mine_first else ((c, d), (a, b))
    mine = _replaced(tokens, mine_span, mine_text)
    theirs = _replaced(tokens, theirs_span, theirs_text)
    # The fresh text keeps every other token as it was.
    assert tokenize(mine) == tokens[:mine_span[0]] + tokenize(mine_text) + tokens[mine_span[1]:]

    edits = [(mine_span, mine_text), (theirs_span, theirs_text)]
    expected = _both_applied(tokens, *sorted(edits))
    assert merge_text(base, mine, theirs) == expected
    assert merge_text(base, theirs, mine) == expected


@SETTINGS
@given(base_texts, st.data())
def test_edits_sharing_or_touching_a_token_conflict(base, data):
    tokens = tokenize(base)
    n = len(tokens)
    start = data.draw(st.integers(0, n - 1))
    end = data.draw(st.integers(start + 1, n))
    # Theirs shares at least one token with mine, or (touching) ends where mine starts / starts where mine ends.
    touching = data.draw(st.booleans())
    if touching and start > 0 and data.draw(st.booleans()):
        their_start, their_end = data.draw(st.integers(0, start - 1)), start
    elif touching and end < n:
        their_start, their_end = end, data.draw(st.integers(end + 1, n))
    else:
        shared = data.draw(st.integers(start, end - 1))
        their_start = data.draw(st.integers(0, shared))
        their_end = data.draw(st.integers(shared + 1, n))
    mine_text, theirs_text = _sides(data.draw, tokens)
    mine = _replaced(tokens, (start, end), mine_text)
    theirs = _replaced(tokens, (their_start, their_end), theirs_text)
    with pytest.raises(MergeConflict):
        merge_text(base, mine, theirs)
    with pytest.raises(MergeConflict):
        merge_text(base, theirs, mine)


@SETTINGS
@given(base_texts, st.data())
def test_any_two_bare_word_edits_merge_exactly_or_conflict(base, data):
    """Bare fresh words may fuse with a neighbouring word; the merge must still never guess."""
    tokens = tokenize(base)
    n = len(tokens)
    spans = []
    for _ in range(2):
        start = data.draw(st.integers(0, n - 1))
        spans.append((start, data.draw(st.integers(start + 1, n))))
    mine_span, theirs_span = spans
    mine_text = " ".join(f"MINEx{k}" for k in range(1, data.draw(st.integers(1, 3)) + 1))
    theirs_text = " ".join(f"THEIRSy{k}" for k in range(1, data.draw(st.integers(1, 3)) + 1))
    mine = _replaced(tokens, mine_span, mine_text)
    theirs = _replaced(tokens, theirs_span, theirs_text)
    overlapping = mine_span[0] < theirs_span[1] and theirs_span[0] < mine_span[1]
    try:
        merged = merge_text(base, mine, theirs)
    except MergeConflict:
        return
    assert not overlapping, "overlapping edits were merged instead of refused"
    (first_span, first_text), (second_span, second_text) = sorted([(mine_span, mine_text), (theirs_span, theirs_text)])
    assert merged == _both_applied(tokens, (first_span, first_text), (second_span, second_text))
    # Spelled out: nothing before, between or after the two edits changed.
    assert merged.startswith("".join(tokens[:first_span[0]]))
    assert merged.endswith("".join(tokens[second_span[1]:]))
    assert "".join(tokens[first_span[1]:second_span[0]]) in merged


# Examples ------------------------------------------------------------------------------

LIABILITY = (
    "12.1 The Supplier's total liability under this Agreement shall not exceed USD 100,000.\n"
    "12.2 The Client's total liability under this Agreement shall not exceed USD 100,000."
)


def _cap(text: str, sentence: str, amount: str) -> str:
    first, second = text.split("\n")
    if sentence == "12.1":
        return first.replace("USD 100,000", amount) + "\n" + second
    return first + "\n" + second.replace("USD 100,000", amount)


def test_conflicting_caps_on_the_same_sentence_are_a_conflict():
    mine = _cap(LIABILITY, "12.1", "USD 50,000")
    theirs = _cap(LIABILITY, "12.1", "USD 20,000")
    with pytest.raises(MergeConflict):
        merge_text(LIABILITY, mine, theirs)


def test_caps_on_the_two_near_identical_sentences_each_land_in_their_own():
    mine = _cap(LIABILITY, "12.1", "USD 50,000")
    theirs = _cap(LIABILITY, "12.2", "USD 20,000")
    expected = (
        "12.1 The Supplier's total liability under this Agreement shall not exceed USD 50,000.\n"
        "12.2 The Client's total liability under this Agreement shall not exceed USD 20,000."
    )
    assert merge_text(LIABILITY, mine, theirs) == expected
    assert merge_text(LIABILITY, theirs, mine) == expected


def test_editing_a_sentence_the_other_side_deleted_is_a_conflict():
    mine = _cap(LIABILITY, "12.1", "USD 50,000")
    theirs = LIABILITY.split("\n")[1]
    with pytest.raises(MergeConflict):
        merge_text(LIABILITY, mine, theirs)


def test_the_same_change_on_both_sides_is_that_change():
    changed = LIABILITY.replace("100,000", "75,000")
    assert merge_text(LIABILITY, changed, changed) == changed


@pytest.mark.parametrize("unchanged", ["mine", "theirs"])
def test_one_side_unchanged_gives_the_other(unchanged):
    edited = _cap(LIABILITY, "12.2", "EUR 80,000")
    mine, theirs = (LIABILITY, edited) if unchanged == "mine" else (edited, LIABILITY)
    assert merge_text(LIABILITY, mine, theirs) == edited


def test_two_insertions_at_the_same_point_are_a_conflict():
    base = "The Provider shall respond within 14 days."
    with pytest.raises(MergeConflict):
        merge_text(base, "The Provider shall respond within 14 business days.",
                   "The Provider shall respond within 14 calendar days.")


def test_an_edit_right_against_another_is_a_conflict():
    base = "shall not exceed USD 100,000."
    with pytest.raises(MergeConflict):
        merge_text(base, "shall not exceed USD 50,000.", "shall not exceed USD 100,000;")


def test_one_untouched_space_between_two_edits_is_enough_to_merge():
    base = "within 14 business days"
    assert merge_text(base, "within 13 business days", "within 14 working days") == "within 13 working days"


@pytest.mark.parametrize("base, mine, theirs, expected", [
    (
        "הספק יגיב בתוך 4 שעות. הלקוח ישלם 1,000.50 ש\"ח.",
        "הספק יגיב בתוך 2 שעות. הלקוח ישלם 1,000.50 ש\"ח.",
        "הספק יגיב בתוך 4 שעות. הלקוח ישלם 2,500.00 ש\"ח.",
        "הספק יגיב בתוך 2 שעות. הלקוח ישלם 2,500.00 ש\"ח.",
    ),
    (
        "Исполнитель отвечает в течение 4 часов. Заказчик платит 1 000 рублей.",
        "Исполнитель отвечает в течение 2 рабочих часов. Заказчик платит 1 000 рублей.",
        "Исполнитель отвечает в течение 4 часов. Заказчик платит 1 000 евро.",
        "Исполнитель отвечает в течение 2 рабочих часов. Заказчик платит 1 000 евро.",
    ),
    (
        "Dostawca odpowie w ciągu 4 godzin. Klient zapłaci 1.000,50 zł.",
        "Dostawca odpowie w ciągu 2 godzin roboczych. Klient zapłaci 1.000,50 zł.",
        "Dostawca odpowie w ciągu 4 godzin. Zamawiający zapłaci 1.000,50 zł.",
        "Dostawca odpowie w ciągu 2 godzin roboczych. Zamawiający zapłaci 1.000,50 zł.",
    ),
])
def test_hebrew_russian_and_polish_clauses_merge(base, mine, theirs, expected):
    assert merge_text(base, mine, theirs) == expected
    assert merge_text(base, theirs, mine) == expected


def test_conflicting_polish_edits_of_one_word_conflict():
    base = "Dostawca odpowie w ciągu 4 godzin."
    with pytest.raises(MergeConflict):
        merge_text(base, "Dostawca odpowie w ciągu 8 godzin.", "Dostawca odpowie w ciągu 6 godzin.")


# The word diff ------------------------------------------------------------------------

def test_a_changed_number_is_one_deleted_and_one_inserted_token():
    assert word_diff("within 14 business days", "within 13 business days") == [
        (EQUAL, "within "), (DELETE, "14"), (INSERT, "13"), (EQUAL, " business days"),
    ]


def test_numbers_with_separators_and_words_with_marks_stay_whole():
    assert tokenize("USD 1,000.50 and 12.1") == ["USD", " ", "1,000.50", " ", "and", " ", "12.1"]
    assert tokenize("non-exclusive Supplier's שָׁלוֹם") == ["non-exclusive", " ", "Supplier's", " ", "שָׁלוֹם"]
    assert word_diff("pay USD 1,000.50 now", "pay USD 1,000.75 now") == [
        (EQUAL, "pay USD "), (DELETE, "1,000.50"), (INSERT, "1,000.75"), (EQUAL, " now"),
    ]
    assert word_diff("żółć", "żółw") == [(DELETE, "żółć"), (INSERT, "żółw")]


def test_equal_texts_are_one_equal_segment():
    assert word_diff("Без изменений.", "Без изменений.") == [(EQUAL, "Без изменений.")]
    assert word_diff("", "") == []


def _boundaries(tokens: list[str]) -> set[int]:
    offsets, position = {0}, 0
    for token in tokens:
        position += len(token)
        offsets.add(position)
    return offsets


def _assert_token_aligned(old: str, new: str) -> None:
    segments = word_diff(old, new)
    assert "".join(text for op, text in segments if op != INSERT) == old
    assert "".join(text for op, text in segments if op != DELETE) == new
    old_bounds, new_bounds = _boundaries(tokenize(old)), _boundaries(tokenize(new))
    at_old = at_new = 0
    for op, text in segments:
        assert text
        assert at_old in old_bounds and at_new in new_bounds
        if op != INSERT:
            at_old += len(text)
        if op != DELETE:
            at_new += len(text)
        assert at_old in old_bounds and at_new in new_bounds


@settings(max_examples=300, deadline=None)
@given(base_texts, base_texts)
def test_word_diff_never_splits_a_word_or_number(old, new):
    _assert_token_aligned(old, new)


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=60), st.text(max_size=60))
def test_word_diff_of_any_text_is_token_aligned(old, new):
    _assert_token_aligned(old, new)


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_tokenize_round_trips_any_text(text):
    tokens = tokenize(text)
    assert "".join(tokens) == text
    assert all(tokens)


@settings(max_examples=300, deadline=None)
@given(base_texts, base_texts)
def test_edits_between_rebuild_the_other_text(base, other):
    base_tokens, other_tokens = tokenize(base), tokenize(other)
    assert apply_edits(base_tokens, edits_between(base_tokens, other_tokens)) == other_tokens


shared_ends = st.lists(st.sampled_from(list("ab cd\t\n,.-'’1é") + ["ש", "ж", "  ", "word "]), min_size=50,
                       max_size=160).map("".join)


@settings(max_examples=200, deadline=None)
@given(shared_ends, base_texts, base_texts, shared_ends)
def test_word_diff_of_long_texts_changed_in_the_middle_is_token_aligned(head, old, new, tail):
    # word_diff diffs only what lies between the texts' shared head and tail: the cut must fall
    # where a token ends in both, however the white space and words around it run.
    _assert_token_aligned(head + old + tail, head + new + tail)


def test_setting_the_shared_ends_aside_reads_as_diffing_the_whole(monkeypatch):
    from authoring.document import words

    old = ("The Provider will respond to every Priority 1 incident within 30 minutes and restore the service "
           "within 4 hours, around the clock, including public holidays in Poland. ") * 3
    new = old.replace("within 4 hours", "within 6 business hours", 2).replace("Poland. The", "Poland; the", 1)
    trimmed = word_diff(old, new)
    monkeypatch.setattr(words, "CONTEXT", 10 ** 9)  # nothing set aside
    assert trimmed == word_diff(old, new)
    assert [(op, text) for op, text in trimmed if op != EQUAL] == [
        (DELETE, "4"), (INSERT, "6 business"), (DELETE, ". The"), (INSERT, "; the"), (DELETE, "4"), (INSERT, "6 business")]
