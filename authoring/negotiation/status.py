"""Where the negotiation stands, clause by clause: draft, agreed, open proposal, commented.

Before the draft is shared nobody has agreed to anything: its clauses are "draft"
(the provider is still writing them), never "agreed".
"""
from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field

from sqlalchemy import select

from ..document import Document
from ..library import ClauseLibrary
from ..library.binding import terms_stated
from ..extensions import db
from ..models import Agreement, Comment, Proposal


@dataclass
class ClauseState:
    proposals: list[Proposal] = field(default_factory=list)  # open ones
    open_threads: int = 0
    needs_my_answer: bool = False
    shared: bool = True  # False while the provider drafts: nothing is agreed yet

    @property
    def state(self) -> str:
        if self.proposals:
            return "open"
        if self.open_threads:
            return "commented"
        return "agreed" if self.shared else "draft"


class ClauseStates(Mapping[str, ClauseState]):
    """Each clause of the document's state, by key. The clauses nothing is open on share one state
    nobody changes: a 3,000-clause draft would otherwise build 3,000 objects on every view."""

    def __init__(self, keys: dict[str, None], shared: bool):
        self._keys = keys
        self._quiet = ClauseState(proposals=(), shared=shared)  # a tuple: the shared state cannot be added to
        self._shared = shared
        self._touched: dict[str, ClauseState] = {}

    def touched(self, key: str) -> ClauseState:
        """The clause's own state, to record something open on it."""
        if key not in self._touched:
            self._touched[key] = ClauseState(shared=self._shared)
        return self._touched[key]

    def __getitem__(self, key: str) -> ClauseState:
        if key in self._touched:
            return self._touched[key]
        if key in self._keys:
            return self._quiet
        raise KeyError(key)

    def __contains__(self, key: object) -> bool:
        return key in self._keys

    def __iter__(self) -> Iterator[str]:
        return iter(self._keys)

    def __len__(self) -> int:
        return len(self._keys)


@dataclass
class NegotiationState:
    clauses: ClauseStates
    other_proposals: list[Proposal]  # open term changes and proposed new clauses
    open_agreement_threads: int

    def counts(self) -> dict[str, int]:
        counts = {"draft": 0, "agreed": 0, "open": 0, "commented": 0}
        for state in self.clauses.values():
            counts[state.state] += 1
        counts["needs_my_answer"] = sum(1 for s in self.clauses.values() if s.needs_my_answer)
        counts["other_proposals"] = len(self.other_proposals)
        return counts


def negotiation_state(agreement: Agreement, document: Document, side: str,
                      library: ClauseLibrary | None = None) -> NegotiationState:
    """Each clause's state for a member of `side` (two queries, whatever the number of clauses).

    A term proposal is open on every clause whose text states that term (its text changes
    when the term does), as well as among the other proposals; `library` says which.
    """
    clauses = ClauseStates({clause.key: None for clause in document.clauses()}, agreement.shared)
    others: list[Proposal] = []
    stating: dict[str, list[str]] | None = None
    for proposal in db.session.scalars(select(Proposal).where(Proposal.agreement_id == agreement.id,
                                                              Proposal.status == "open").order_by(Proposal.number)):
        if proposal.kind == "term":
            others.append(proposal)
            if library is None:
                continue
            if stating is None:
                stating = clauses_stating(library, document)
            states = [clauses.touched(key) for key in stating.get(proposal.target, [])]
        else:
            if proposal.target not in clauses:
                others.append(proposal)
                continue
            states = [clauses.touched(proposal.target)]
        for state in states:
            state.proposals.append(proposal)
            state.needs_my_answer |= proposal.side != side
    agreement_threads = 0
    unresolved = select(Comment.clause_key).where(Comment.agreement_id == agreement.id, Comment.thread_id.is_(None),
                                                  Comment.resolved_at.is_(None))
    for clause_key in db.session.scalars(unresolved):
        if clause_key is None:
            agreement_threads += 1
        elif clause_key in clauses:
            clauses.touched(clause_key).open_threads += 1
    return NegotiationState(clauses, others, agreement_threads)


def clauses_stating(library: ClauseLibrary, document: Document) -> dict[str, list[str]]:
    """Term path -> the keys of the clauses whose text states it."""
    stating: dict[str, list[str]] = {}
    for clause in document.clauses():
        for path in terms_stated(library, clause):
            stating.setdefault(path, []).append(clause.key)
    return stating
