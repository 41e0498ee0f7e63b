"""Redline between two documents: clauses aligned by key, word-level changes inside.

Plain Python over two `Document`s. Clauses are matched by their stable key, so a clause
that moved is recognised as moved, not as one deletion and one insertion. Clauses whose
content did not change (ClauseInstance.same_content: their hashes, or their fields) are
never diffed (on a typical round only about one clause in ten changed, and that is where
the time goes); in a changed one only the words between its unchanged head and tail are. Changed clauses get a word-aligned,
semantically cleaned diff (document.words). Attribution - which proposal and person made
a change - is added by the negotiation layer, which knows about people.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from difflib import SequenceMatcher
from typing import Any

from .document import ClauseInstance, Document, Section
from .document.direction import text_direction
from .document.words import EQUAL, word_diff
from .render.term_changes import term_changes

STATUSES = ("added", "removed", "moved", "changed", "unchanged")


@dataclass
class ClauseRedline:
    key: str
    status: str  # one of STATUSES; a clause that moved and changed is "moved" with `changed` set
    changed: bool
    title: str
    old_title: str | None
    number: str | None  # in the newer document (None when removed)
    old_number: str | None  # in the older document (None when added)
    section: str
    segments: list[tuple[int, str]]  # (DELETE|EQUAL|INSERT, text)
    direction: str
    attributions: list[Any] = field(default_factory=list)

    @property
    def substantive(self) -> bool:
        """Whether its wording changed, or it was added or removed (a move alone changes no word)."""
        return self.status != "unchanged" and not (self.status == "moved" and not self.changed)

    @property
    def title_changed(self) -> bool:
        return self.old_title is not None and self.old_title != self.title


@dataclass
class TermRedline:
    """A changed term (or a changed field of a table's row), its values in the agreement's language."""

    path: str
    label: str
    old: str
    new: str
    attributions: list[Any] = field(default_factory=list)


@dataclass
class Redline:
    clauses: list[ClauseRedline]
    terms: list[TermRedline]

    def counts(self) -> dict[str, int]:
        counts = {status: 0 for status in STATUSES}
        for clause in self.clauses:
            counts[clause.status] += 1
        counts["terms"] = len(self.terms)
        return counts

    def changes(self) -> list[ClauseRedline]:
        return [c for c in self.clauses if c.status != "unchanged"]


def _positions(document: Document) -> dict[str, tuple[str, Section, ClauseInstance]]:
    """key -> (number, section, clause), in document order."""
    return {clause.key: (number, section, clause)
            for _, section, clauses in document.numbered() for number, clause in clauses}


def _moved_keys(old_order: list[str], new_order: list[str]) -> set[str]:
    """Keys outside the longest common subsequence of the two orders: the ones that moved."""
    if old_order == new_order:  # the usual round: nothing changed places
        return set()
    matcher = SequenceMatcher(None, old_order, new_order, autojunk=False)
    kept = {key for block in matcher.get_matching_blocks() for key in old_order[block.a:block.a + block.size]}
    return set(old_order) - kept


def _whole(op: int, clause: ClauseInstance) -> list[tuple[int, str]]:
    return [(op, clause.text)] if clause.text else []


def redline_between(old: Document, new: Document, language: str | None = None, library=None) -> Redline:
    """Every clause of both documents, in the newer one's order, removed ones where they stood.

    The changed terms are written in the agreement's `language` (default: the one its terms
    name) with `library`'s catalogue of terms (default: the app's).
    """
    before, after = _positions(old), _positions(new)
    # A clause that changed section moved; the others moved when their order changed.
    moved = {key for key, (_n, section, _c) in after.items()
             if key in before and before[key][1].key != section.key}
    common_old = [key for key in before if key in after and key not in moved]
    common_new = [key for key in after if key in before and key not in moved]
    moved |= _moved_keys(common_old, common_new)

    # A removed clause is shown after the nearest clause before it that is still there.
    removed_after: dict[str | None, list[str]] = {}
    anchor: str | None = None
    for key in before:
        if key in after:
            anchor = key
        else:
            removed_after.setdefault(anchor, []).append(key)

    clauses: list[ClauseRedline] = [_removed(before[k]) for k in removed_after.get(None, [])]
    append = clauses.append
    for key, (number, section, clause) in after.items():
        previous = before.get(key)
        if previous is None:
            append(ClauseRedline(key, "added", True, clause.title, None, number, None, section.title,
                                 _whole(1, clause), text_direction(clause.text)))
        else:
            old_number, _old_section, old_clause = previous
            changed = not old_clause.same_content(clause)
            segments = word_diff(old_clause.text, clause.text) if changed else [(EQUAL, clause.text)]
            status = "moved" if key in moved else ("changed" if changed else "unchanged")
            append(ClauseRedline(key, status, changed, clause.title, old_clause.title, number, old_number,
                                 section.title, segments, text_direction(clause.text or old_clause.text)))
        if key in removed_after:
            clauses.extend(_removed(before[k]) for k in removed_after[key])

    language = language or (new.terms.get("agreement") or {}).get("language") or "en"
    terms = [TermRedline(change.path, change.label, change.old, change.new)
             for change in term_changes(old.terms, new.terms, language, library)]
    return Redline(clauses, terms)


def _removed(position: tuple[str, Section, ClauseInstance]) -> ClauseRedline:
    number, section, clause = position
    return ClauseRedline(clause.key, "removed", True, clause.title, clause.title, None, number, section.title,
                         _whole(-1, clause), text_direction(clause.text))
