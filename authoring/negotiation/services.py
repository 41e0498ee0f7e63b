"""Negotiation operations: share, propose, accept, reject, counter, withdraw, send a turn.

Each operation runs under the agreement's lock, checks who may do it and whether the
proposal is still open, changes the draft only through `changes.apply_change`, and
writes its audit event and notification e-mails in the same transaction.
"""
from __future__ import annotations

from typing import Any

from sqlalchemy import func, select

from ..access import can
from ..agreements.services import back_from_ready, lock_agreement
from ..audit import record
from ..document.merge import MergeConflict, merge_text
from ..document.canonical import content_hash
from ..document.terms import term_value
from ..extensions import db
from ..interview.services import library
from ..library.binding import parts_bound
from ..models import Agreement, Membership, Proposal, User, utcnow
from ..notifications import queue_email, recipients
from ..revisions.services import NothingToRevise, cut_revision, draft_of, write_draft
from ..interview.steps import term_name
from .changes import InvalidChange, apply_change, change_names, current_value, describe, reword_clause

NEGOTIABLE_STATUSES = ("negotiating", "ready")
OTHER_SIDE = {"provider": "client", "client": "provider"}


class NegotiationError(Exception):
    """A negotiation step that cannot be taken; `status` is the HTTP status to answer with."""

    status = 409


class NotAllowed(NegotiationError):
    status = 403


class NothingToPropose(NegotiationError):
    status = 422


class ProposalConflict(NegotiationError):
    """The proposal no longer fits the draft: shows both versions so a person can decide."""

    def __init__(self, message: str, current: Any, proposed: Any):
        super().__init__(message)
        self.current = current
        self.proposed = proposed


def proposal_by_number(agreement: Agreement, number: int) -> Proposal | None:
    return db.session.scalar(select(Proposal).where(Proposal.agreement_id == agreement.id, Proposal.number == number))


def proposals_of(agreement: Agreement, target: str | None = None, terms: frozenset[str] = frozenset()) -> list[Proposal]:
    """The agreement's proposals, newest first: all, or those on `target` and on the `terms` it states."""
    query = select(Proposal).where(Proposal.agreement_id == agreement.id)
    if target is not None:
        query = query.where((Proposal.target == target) | (Proposal.kind == "term") & Proposal.target.in_(terms))
    return list(db.session.scalars(query.order_by(Proposal.number.desc())))


def _notify(agreement: Agreement, actor: User, event: str, subject: str, body: str, **filters) -> None:
    queue_email(agreement, recipients(agreement, exclude=actor, **filters), event, subject, body)


# Sharing and turns ----------------------------------------------------------------------

def share(agreement: Agreement, user: User, membership: Membership, message: str) -> None:
    """The provider's owner shares the draft: revision cut, status negotiating, the client's move."""
    if membership.side != "provider" or not can(membership, "manage"):
        raise NotAllowed("Only an owner on the provider's side shares the draft.")
    lock_agreement(agreement.id)
    if agreement.shared:
        raise NegotiationError("The draft is already shared.")
    if agreement.status not in ("draft", "ready"):
        raise NegotiationError(f"An agreement that is {agreement.status} cannot be shared.")
    try:
        cut_revision(agreement, user, message, side="provider", commit=False)
    except NothingToRevise:
        pass  # the latest revision already is the draft
    agreement.shared_at = utcnow()
    agreement.status = "negotiating"
    agreement.turn = "client"
    record("agreement.shared", actor=user, agreement=agreement, message=message)
    _notify(agreement, user, "agreement.shared", f"{agreement.provider_name} shared “{agreement.title}”",
            f"{user.name} shared the draft of “{agreement.title}” with you: {message}", sides=("client",))
    db.session.commit()


def send_to_other_side(agreement: Agreement, user: User, membership: Membership, message: str):
    """End my side's round: cut a revision of the draft and hand the move to the other side.

    A round of proposals only (the text unchanged) passes the move without a revision;
    the proposals themselves are what the other side answers. Returns the revision or None.
    """
    if not can(membership, "edit"):
        raise NotAllowed("Only owners and editors send the draft to the other side.")
    lock_agreement(agreement.id)
    if not agreement.shared or agreement.status not in NEGOTIABLE_STATUSES:
        raise NegotiationError("The draft is not being negotiated.")
    try:
        revision = cut_revision(agreement, user, message, side=membership.side, commit=False)
    except NothingToRevise:
        mine_open = db.session.scalar(select(func.count()).select_from(Proposal).where(
            Proposal.agreement_id == agreement.id, Proposal.status == "open", Proposal.side == membership.side))
        if not mine_open:
            db.session.rollback()
            raise NothingToPropose("Nothing to send: the text is unchanged and your side has no open proposal.") from None
        revision = None
    agreement.turn = OTHER_SIDE[membership.side]
    what = f"revision {revision.number}" if revision else "their proposals"
    record("turn.sent", actor=user, agreement=agreement, revision=revision.number if revision else None,
           to=agreement.turn, message=message)
    _notify(agreement, user, "turn.sent", f"Your move on “{agreement.title}”: {what}",
            f"{user.name} ({membership.side}) sent {what}: {message}", sides=(agreement.turn,))
    db.session.commit()
    return revision


# Proposals -------------------------------------------------------------------------------

def _check_negotiable(agreement: Agreement) -> None:
    if not agreement.shared or agreement.status not in NEGOTIABLE_STATUSES:
        raise NegotiationError(f"Proposals are made while the agreement is negotiated; it is {agreement.status}.")


def _validate(kind: str, target: str, value: Any, current: Any) -> None:
    if kind in ("clause_text", "clause_remove") and current is None:
        raise InvalidChange(f"There is no clause {target!r} in the draft.")
    if kind == "clause_add":
        if current is not None:
            raise InvalidChange(f"A clause {target!r} already exists.")
        if not isinstance(value, dict) or not str(value.get("title", "")).strip() or not value.get("text"):
            raise InvalidChange("A new clause needs a title and a text.")


def propose(agreement: Agreement, user: User, membership: Membership, kind: str, target: str, value: Any,
            base_value: Any, reason: str = "", counter_of: Proposal | None = None,
            *, commit: bool = True) -> tuple[Proposal, bool]:
    """Record a proposal made on `base_value` (what the author saw); True when it was rebased.

    Clause text proposed on an older text is rebased exactly onto the current one (or
    refused with both versions); any other change must be based on the current value.
    """
    if not can(membership, "propose"):
        raise NotAllowed("Your role may read the agreement but not propose changes.")
    _draft, document = draft_of(agreement, for_update=True)
    _check_negotiable(agreement)
    current = current_value(document, kind, target)
    _validate(kind, target, value, current)
    rebased = False
    if current != base_value:
        if kind != "clause_text":
            raise ProposalConflict("This changed after you opened it; here is what it is now.", current, value)
        try:
            value = merge_text(base_value, value, current)
        except MergeConflict:
            raise ProposalConflict("Someone changed the same words after you opened the clause.", current, value) from None
        rebased = True
    if value == current:
        raise NothingToPropose("That is what the draft already says.")
    if counter_of is not None:
        _supersede(agreement, user, membership, counter_of, kind, target)
    apply_change(library(), agreement.language, document, kind, target, value)  # refuses what cannot apply
    number = (db.session.scalar(select(func.max(Proposal.number)).where(Proposal.agreement_id == agreement.id)) or 0) + 1
    proposal = Proposal(agreement_id=agreement.id, number=number, author_id=user.id, side=membership.side, kind=kind,
                        target=target, base_hash=content_hash({"value": current}), base_value=current, value=value,
                        reason=reason, counter_of_id=counter_of.id if counter_of else None)
    db.session.add(proposal)
    db.session.flush()
    record("proposal.created", actor=user, agreement=agreement, proposal=number, kind=kind, target=target,
           counter_of=counter_of.number if counter_of else None, rebased=rebased)
    what = describe(kind, target, value, change_names(document, library(), agreement.language), current)
    _notify(agreement, user, "proposal.created", f"Proposal {number} on “{agreement.title}”: {what}",
            f"{user.name} ({membership.side}) proposes {what}." + (f"\n\nReason: {reason}" if reason else ""),
            sides=(OTHER_SIDE[membership.side],), roles=("owner", "editor"))
    back_from_ready(agreement, user, f"proposal {number} was made")
    if commit:
        db.session.commit()
    return proposal, rebased


def propose_wording(agreement: Agreement, user: User, membership: Membership, key: str, text: str, base_text: str,
                    reason: str = "", counter_of: Proposal | None = None) -> tuple[list[Proposal], bool]:
    """Propose new wording for a clause: ([proposals], True when rebased onto a newer text).

    Text and terms stay bound: a value of a term written differently in the new wording
    (15% -> 25%) is proposed as a change of that term, and the rest of the wording as a
    change of the clause's text, stating the terms as they are. `counter_of` is answered
    by the proposal that changes what it changed.
    """
    _draft, document = draft_of(agreement, for_update=True)
    _check_negotiable(agreement)
    try:
        current = document.clause(key).text
    except KeyError:
        raise InvalidChange(f"There is no clause {key!r} in the draft.") from None
    rebased = False
    if current != base_text:
        try:
            text = merge_text(base_text, text, current)
        except MergeConflict:
            raise ProposalConflict("Someone changed the same words after you opened the clause.", current, text) from None
        rebased = True
    reworded, rebinding = reword_clause(library(), agreement.language, document, key, text)
    changes = [("term", path, value, term_value(document.terms, path)) for path, value in rebinding.changes.items()]
    if rebinding.changes:
        # The wording alone, stating the terms as they are now; the term proposals carry the values.
        text = parts_bound(library(), reworded.clause(key).parts, document.terms, agreement.language).text
    if text != current:
        changes.append(("clause_text", key, text, current))
    if not changes:
        raise NothingToPropose("That is what the draft already says.")
    if counter_of is not None and not any((kind, target) == (counter_of.kind, counter_of.target)
                                          for kind, target, _value, _base in changes):
        raise InvalidChange(f"A counter-proposal changes what proposal {counter_of.number} changes.")
    proposals = []
    for kind, target, value, base_value in changes:
        countered = counter_of if counter_of is not None and (kind, target) == (counter_of.kind, counter_of.target) else None
        proposal, _rebased = propose(agreement, user, membership, kind, target, value, base_value, reason,
                                     countered, commit=False)
        proposals.append(proposal)
    db.session.commit()
    return proposals, rebased


def wording_proposed(proposals: list[Proposal]) -> str:
    """The message after propose_wording: which proposals, and which of them change terms."""
    numbers = ", ".join(str(p.number) for p in proposals)
    message = f"Proposal{'s' if len(proposals) > 1 else ''} {numbers} sent to the other side"
    terms = [term_name(p.target) for p in proposals if p.kind == "term"]
    if terms:
        message += (f" ({', '.join(terms)}: proposed as a change of the term, so every clause stating it"
                    f" follows)")
    return message


def _check_answerable(user: User, membership: Membership, proposal: Proposal) -> None:
    if not can(membership, "answer"):
        raise NotAllowed("Only owners and editors accept, reject or counter proposals.")
    if membership.side == proposal.side:
        raise NotAllowed("The other side answers this proposal.")
    _check_open(proposal)


def _check_open(proposal: Proposal) -> None:
    db.session.refresh(proposal)
    if proposal.status != "open":
        who = f" by {proposal.responded_by.name}" if proposal.responded_by else ""
        raise NegotiationError(f"Proposal {proposal.number} was already {proposal.status}{who}.")


def _close(proposal: Proposal, status: str, user: User, reason: str | None = None) -> None:
    proposal.status = status
    proposal.responded_by_id = user.id
    proposal.responded_at = utcnow()
    proposal.response_reason = reason


def _supersede(agreement: Agreement, user: User, membership: Membership, countered: Proposal, kind: str, target: str) -> None:
    _check_answerable(user, membership, countered)
    if (countered.kind, countered.target) != (kind, target):
        raise InvalidChange("A counter-proposal changes the same thing as the proposal it answers.")
    _close(countered, "superseded", user)
    record("proposal.superseded", actor=user, agreement=agreement, proposal=countered.number)


def accept(agreement: Agreement, user: User, membership: Membership, proposal: Proposal) -> bool:
    """Apply the proposal to the draft; True when it was merged with changes made since."""
    draft, document = draft_of(agreement, for_update=True)
    _check_answerable(user, membership, proposal)
    _check_negotiable(agreement)
    value = proposal.value
    current = current_value(document, proposal.kind, proposal.target)
    merged = current != proposal.base_value
    if merged:
        if proposal.kind != "clause_text" or current is None:
            raise ProposalConflict("What this proposal changes was changed since; counter it with a new value.",
                                   current, proposal.value)
        try:
            value = merge_text(proposal.base_value, proposal.value, current)
        except MergeConflict:
            raise ProposalConflict("An accepted change touched the same words since; counter it instead.",
                                   current, proposal.value) from None
    write_draft(draft, apply_change(library(), agreement.language, document, proposal.kind, proposal.target, value), user)
    _close(proposal, "accepted", user)
    proposal.merged = merged
    record("proposal.accepted", actor=user, agreement=agreement, proposal=proposal.number, merged=merged,
           draft_version=draft.version)
    _notify_author(agreement, user, proposal, "accepted")
    back_from_ready(agreement, user, f"proposal {proposal.number} was accepted")
    db.session.commit()
    return merged


def reject(agreement: Agreement, user: User, membership: Membership, proposal: Proposal, reason: str) -> None:
    lock_agreement(agreement.id)
    _check_answerable(user, membership, proposal)
    _close(proposal, "rejected", user, reason)
    record("proposal.rejected", actor=user, agreement=agreement, proposal=proposal.number, reason=reason)
    _notify_author(agreement, user, proposal, "rejected", reason)
    db.session.commit()


def withdraw(agreement: Agreement, user: User, proposal: Proposal) -> None:
    lock_agreement(agreement.id)
    if proposal.author_id != user.id:
        raise NotAllowed("Only the person who made a proposal withdraws it.")
    _check_open(proposal)
    _close(proposal, "withdrawn", user)
    record("proposal.withdrawn", actor=user, agreement=agreement, proposal=proposal.number)
    _notify(agreement, user, "proposal.withdrawn", f"Proposal {proposal.number} on “{agreement.title}” withdrawn",
            f"{user.name} withdrew proposal {proposal.number}.", sides=(OTHER_SIDE[proposal.side],),
            roles=("owner", "editor"))
    db.session.commit()


def _notify_author(agreement: Agreement, user: User, proposal: Proposal, verb: str, reason: str | None = None) -> None:
    if proposal.author is None:
        return
    _draft, document = draft_of(agreement)
    what = describe(proposal.kind, proposal.target, proposal.value,
                    change_names(document, library(), agreement.language), proposal.base_value)
    body = f"{user.name} {verb} proposal {proposal.number} ({what})."
    if reason:
        body += f"\n\nReason: {reason}"
    queue_email(agreement, [proposal.author], f"proposal.{verb}",
                f"Proposal {proposal.number} on “{agreement.title}” {verb}", body)
