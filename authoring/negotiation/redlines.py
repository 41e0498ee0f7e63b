"""The redline between two stored revisions, with each change attributed to its proposal."""
from __future__ import annotations

from sqlalchemy import select

from ..extensions import db
from ..interview.services import library
from ..library.binding import terms_stated
from ..models import Agreement, Proposal, Revision
from ..models.user import name_of
from ..redline import Redline, redline_between
from ..revisions.services import revision_document
from .attribution import Change, attribute


def _change(proposal: Proposal) -> Change:
    return Change(proposal.kind, proposal.target, proposal.number,
                  name_of(proposal.author), proposal.side,
                  proposal.responded_by.name if proposal.responded_by else None, proposal.responded_at)


def revision_redline(agreement: Agreement, older: Revision, newer: Revision) -> Redline:
    """Redline `older` -> `newer` (any two revisions); a constant number of queries."""
    old_document, new_document = revision_document(older), revision_document(newer)
    redline = redline_between(old_document, new_document, agreement.language, library())
    low, high = sorted((older.number, newer.number))
    accepted = db.session.scalars(
        select(Proposal).join(Revision, Proposal.revision_id == Revision.id)
        .where(Proposal.agreement_id == agreement.id, Proposal.status == "accepted",
               Revision.number > low, Revision.number <= high)
        .order_by(Proposal.number)
    )
    versions: dict[str, list] = {}
    for document in (old_document, new_document):
        for clause in document.clauses():
            versions.setdefault(clause.key, []).append(clause)

    def terms_used(key: str) -> set[str]:
        """The terms the clause's text states in either revision (its template's slots, or its library text's)."""
        return set().union(*(terms_stated(library(), clause) for clause in versions[key]))

    fallback = Change("direct", "", None, name_of(newer.author),
                      newer.side, None, newer.created_at)
    return attribute(redline, [_change(p) for p in accepted], terms_used, fallback)
