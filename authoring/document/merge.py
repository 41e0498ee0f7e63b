"""Exact three-way merge of one clause's text.

Two people changed the same clause from a common base. diff-match-patch's own
`patch_apply` is approximate by design - it silently overwrote a conflicting edit and
patched the wrong one of two near-identical sentences, reporting success each time
(shared/RELIABILITY.md) - so it is not used. Instead: both sides' word-aligned edits
are computed against the base; if any edit of one side overlaps or touches an edit
of the other, it is a conflict. Otherwise both are applied to the base, and the
result is accepted only when it equals "theirs plus my edits" and "mine plus their
edits", each computed on its own. Legal text is never patched approximately.
"""
from __future__ import annotations

from .words import Edit, apply_edits, edits_between, tokenize


class MergeConflict(Exception):
    """The two changes overlap (or could not be combined exactly): a person must decide."""


def _overlaps(a: Edit, b: Edit) -> bool:
    # Touching counts: two insertions at one point, or an edit right against another,
    # have no single right order.
    return a.start <= b.end and b.start <= a.end


def _moved(edits: list[Edit], onto: list[Edit]) -> list[Edit]:
    """`edits` (against the base) re-positioned onto the text that `onto` produced from the base."""
    moved = []
    for edit in edits:
        shift = sum(len(o.tokens) - (o.end - o.start) for o in onto if o.end < edit.start)
        moved.append(Edit(edit.start + shift, edit.end + shift, edit.tokens))
    return moved


def merge_text(base: str, mine: str, theirs: str) -> str:
    """Combine my change and theirs (both made from `base`), or raise MergeConflict."""
    if mine == theirs or base == mine:
        return theirs
    if base == theirs:
        return mine
    base_tokens, mine_tokens, theirs_tokens = tokenize(base), tokenize(mine), tokenize(theirs)
    my_edits = edits_between(base_tokens, mine_tokens)
    their_edits = edits_between(base_tokens, theirs_tokens)
    for edit in my_edits:
        if any(_overlaps(edit, other) for other in their_edits):
            raise MergeConflict("Both changes touch the same words.")
    merged = apply_edits(base_tokens, sorted(my_edits + their_edits, key=lambda e: (e.start, e.end)))
    # Two independent constructions must agree: anything else means the merge is not exact.
    theirs_plus_mine = apply_edits(theirs_tokens, _moved(my_edits, their_edits))
    mine_plus_theirs = apply_edits(mine_tokens, _moved(their_edits, my_edits))
    if not merged == theirs_plus_mine == mine_plus_theirs:
        raise MergeConflict("The changes could not be combined exactly.")
    return "".join(merged)
