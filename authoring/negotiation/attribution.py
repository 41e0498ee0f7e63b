"""Who made each change a redline shows: the accepted proposal and its people.

Plain Python over a Redline and a list of `Change`s (one per accepted proposal between
the two revisions), so the benchmark and tests can reach it without a database.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime

from flask_babel import gettext as _

from ..redline import Redline
from .labels import side_name


@dataclass(frozen=True)
class Change:
    """One accepted change: what it touched and who is answerable for it."""

    kind: str  # a proposal kind: term, clause_text, clause_variant, clause_add, clause_remove
    target: str  # term path or clause key
    proposal_number: int | None
    author: str
    side: str | None
    accepted_by: str | None
    accepted_at: datetime | None

    @property
    def label(self) -> str:
        """ "Proposal 3 by Ivan (client), accepted by Anna", in the current language (whole sentences, so
        each language orders them). A direct edit has no proposal and nobody who accepted it."""
        values = {"number": self.proposal_number, "author": self.author, "side": side_name(self.side),
                  "accepted_by": self.accepted_by}
        accepted = bool(self.accepted_by and self.accepted_by != self.author)
        if not self.proposal_number:
            return _("Edited by %(author)s (%(side)s)", **values) if self.side else _("Edited by %(author)s", **values)
        if self.side and accepted:
            return _("Proposal %(number)s by %(author)s (%(side)s), accepted by %(accepted_by)s", **values)
        if self.side:
            return _("Proposal %(number)s by %(author)s (%(side)s)", **values)
        if accepted:
            return _("Proposal %(number)s by %(author)s, accepted by %(accepted_by)s", **values)
        return _("Proposal %(number)s by %(author)s", **values)


def _related(path: str, used: str) -> bool:
    return path == used or used.startswith(path + ".") or path.startswith(used + ".")


def attribute(redline: Redline, changes: Iterable[Change], terms_used: Callable[[str], set[str]],
              fallback: Change | None = None) -> Redline:
    """Fill each changed clause's and term's `attributions` (in place) and return the redline.

    A clause is answered for by the proposals that targeted it and the term proposals
    whose terms its text states (a clause's wording and a value in it are proposed
    apart); anything else by `fallback` (the author of the newer revision, for edits
    made before the draft was shared).
    """
    by_clause: dict[str, list[Change]] = {}
    term_changes: list[Change] = []
    for change in changes:
        if change.kind == "term":
            term_changes.append(change)
        else:
            by_clause.setdefault(change.target, []).append(change)
    # The term changes a clause stating these terms answers to: worked out once per set of terms (clauses share them).
    brought_by: dict[frozenset[str], list[Change]] = {}
    for clause in redline.clauses:
        if clause.status == "unchanged" or not clause.substantive:  # most clauses: no property to call
            continue
        found = list(by_clause.get(clause.key, ()))
        if term_changes:
            used = frozenset(terms_used(clause.key))
            brought = brought_by.get(used)
            if brought is None:
                brought = brought_by[used] = [c for c in term_changes if any(_related(c.target, u) for u in used)]
            found += brought
            found.sort(key=lambda c: c.proposal_number or 0)
        clause.attributions = found or ([fallback] if fallback else [])
    for term in redline.terms:
        found = [c for c in term_changes if _related(c.target, term.path)]
        term.attributions = found or ([fallback] if fallback else [])
    return redline
