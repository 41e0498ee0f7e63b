"""Negotiation operations: share, propose, accept, reject, counter, withdraw, send a turn.

Each operation runs under the agreement's lock, checks who may do it and whether the
proposal is still open, changes the draft only through `changes.apply_change`, and
writes its audit event and notification e-mails in the same transaction.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from flask_babel import gettext as _, ngettext
from sqlalchemy import func, select

from ..access import can
from ..agreements.services import back_from_ready, lock_agreement
from ..audit import record
from ..document.merge import MergeConflict, merge_text
from ..document.canonical import content_hash
from ..document.terms import term_value
from ..extensions import db
from ..i18n import in_language
from ..interview.services import library
from ..library.binding import parts_bound
from ..models import Agreement, Membership, Proposal, User, utcnow
from ..notifications import queue_email, recipients
from ..revisions.services import NothingToRevise, cut_revision, draft_of, write_draft
from ..interview.steps import term_name
from .changes import InvalidChange, apply_change, change_names, current_value, describe, reword_clause
from .labels import agreement_status_label, side_name

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


def queue_in_their_language(agreement: Agreement, people: Iterable[User], event: str,
                            compose: Callable[[], tuple[str, str]], path: str = "") -> None:
    """Queue one e-mail per person, each composed by `compose()` -> (subject, body) in that person's language."""
    for person in people:
        with in_language(person.language):
            subject, body = compose()
            queue_email(agreement, [person], event, subject, body, path=path)


def _notify(agreement: Agreement, actor: User, event: str, compose: Callable[[], tuple[str, str]], **filters) -> None:
    queue_in_their_language(agreement, recipients(agreement, exclude=actor, **filters), event, compose)


def _with_reason(body: str, reason: str | None) -> str:
    """The body, then the reason a person typed as its own paragraph."""
    return body + "\n\n" + _("Reason: %(reason)s", reason=reason) if reason else body


# Sharing and turns ----------------------------------------------------------------------

def share(agreement: Agreement, user: User, membership: Membership, message: str) -> None:
    """The provider's owner shares the draft: revision cut, status negotiating, the client's move."""
    if membership.side != "provider" or not can(membership, "manage"):
        raise NotAllowed(_("Only an owner on the provider's side shares the draft."))
    lock_agreement(agreement.id)
    if agreement.shared:
        raise NegotiationError(_("The draft is already shared."))
    if agreement.status not in ("draft", "ready"):
        raise NegotiationError(_("An agreement that is %(status)s cannot be shared.",
                                 status=agreement_status_label(agreement.status)))
    try:
        cut_revision(agreement, user, message, side="provider", commit=False)
    except NothingToRevise:
        pass  # the latest revision already is the draft
    agreement.shared_at = utcnow()
    agreement.status = "negotiating"
    agreement.turn = "client"
    record("agreement.shared", actor=user, agreement=agreement, message=message)
    _notify(agreement, user, "agreement.shared", lambda: (
        _("%(provider)s shared “%(title)s”", provider=agreement.provider_name, title=agreement.title),
        _("%(name)s shared the draft of “%(title)s” with you: %(message)s", name=user.name, title=agreement.title,
          message=message)), sides=("client",))
    db.session.commit()


def send_to_other_side(agreement: Agreement, user: User, membership: Membership, message: str):
    """End my side's round: cut a revision of the draft and hand the move to the other side.

    A round of proposals only (the text unchanged) passes the move without a revision;
    the proposals themselves are what the other side answers. Returns the revision or None.
    """
    if not can(membership, "edit"):
        raise NotAllowed(_("Only owners and editors send the draft to the other side."))
    lock_agreement(agreement.id)
    if not agreement.shared or agreement.status not in NEGOTIABLE_STATUSES:
        raise NegotiationError(_("The draft is not being negotiated."))
    try:
        revision = cut_revision(agreement, user, message, side=membership.side, commit=False)
    except NothingToRevise:
        mine_open = db.session.scalar(select(func.count()).select_from(Proposal).where(
            Proposal.agreement_id == agreement.id, Proposal.status == "open", Proposal.side == membership.side))
        if not mine_open:
            db.session.rollback()
            raise NothingToPropose(_("Nothing to send: the text is unchanged and your side has no open proposal.")) from None
        revision = None
    agreement.turn = OTHER_SIDE[membership.side]
    record("turn.sent", actor=user, agreement=agreement, revision=revision.number if revision else None,
           to=agreement.turn, message=message)
    def compose() -> tuple[str, str]:
        side = side_name(membership.side)
        if revision is not None:
            return (_("Your move on “%(title)s”: revision %(number)s", title=agreement.title, number=revision.number),
                    _("%(name)s (%(side)s) sent revision %(number)s: %(message)s", name=user.name, side=side,
                      number=revision.number, message=message))
        return (_("Your move on “%(title)s”: their proposals", title=agreement.title),
                _("%(name)s (%(side)s) sent their proposals: %(message)s", name=user.name, side=side, message=message))

    _notify(agreement, user, "turn.sent", compose, sides=(agreement.turn,))
    db.session.commit()
    return revision


# Proposals -------------------------------------------------------------------------------

def _check_negotiable(agreement: Agreement) -> None:
    if not agreement.shared or agreement.status not in NEGOTIABLE_STATUSES:
        raise NegotiationError(_("Proposals are made while the agreement is negotiated; it is %(status)s.",
                                 status=agreement_status_label(agreement.status)))


def _validate(kind: str, target: str, value: Any, current: Any) -> None:
    if kind in ("clause_text", "clause_remove") and current is None:
        raise InvalidChange(_("There is no clause %(clause)s in the draft.", clause=repr(target)))
    if kind == "clause_add":
        if current is not None:
            raise InvalidChange(_("A clause %(clause)s already exists.", clause=repr(target)))
        if not isinstance(value, dict) or not str(value.get("title", "")).strip() or not value.get("text"):
            raise InvalidChange(_("A new clause needs a title and a text."))


def propose(agreement: Agreement, user: User, membership: Membership, kind: str, target: str, value: Any,
            base_value: Any, reason: str = "", counter_of: Proposal | None = None,
            *, commit: bool = True) -> tuple[Proposal, bool]:
    """Record a proposal made on `base_value` (what the author saw); True when it was rebased.

    Clause text proposed on an older text is rebased exactly onto the current one (or
    refused with both versions); any other change must be based on the current value.
    """
    if not can(membership, "propose"):
        raise NotAllowed(_("Your role may read the agreement but not propose changes."))
    _draft, document = draft_of(agreement, for_update=True)
    _check_negotiable(agreement)
    current = current_value(document, kind, target)
    _validate(kind, target, value, current)
    if current != base_value and kind != "clause_text":
        raise ProposalConflict(_("This changed after you opened it; here is what it is now."), current, value)
    value, rebased = _onto_current(base_value, value, current)
    if value == current:
        raise NothingToPropose(_("That is what the draft already says."))
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
    def compose() -> tuple[str, str]:
        what = describe(kind, target, value, change_names(document, library(), agreement.language), current)
        return (_("Proposal %(number)s on “%(title)s”: %(change)s", number=number, title=agreement.title, change=what),
                _with_reason(_("%(name)s (%(side)s) proposes %(change)s.", name=user.name,
                               side=side_name(membership.side), change=what), reason))

    _notify(agreement, user, "proposal.created", compose, sides=(OTHER_SIDE[membership.side],),
            roles=("owner", "editor"))
    back_from_ready(agreement, user, f"proposal {number} was made")
    if commit:
        db.session.commit()
    return proposal, rebased


def _onto_current(base: str, new: str, current: str) -> tuple[str, bool]:
    """`new` (written against `base`) merged exactly onto `current`: (text, True when it had moved on).

    Overlapping changes are a conflict showing both versions; legal text is never patched approximately.
    """
    if current == base:
        return new, False
    try:
        return merge_text(base, new, current), True
    except MergeConflict:
        raise ProposalConflict(_("Someone changed the same words after you opened the clause."), current,
                               new) from None


def propose_wording(agreement: Agreement, user: User, membership: Membership, key: str, text: str, base_text: str,
                    reason: str = "", counter_of: Proposal | None = None,
                    *, commit: bool = True) -> tuple[list[Proposal], bool]:
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
        raise InvalidChange(_("There is no clause %(clause)s in the draft.", clause=repr(key))) from None
    text, rebased = _onto_current(base_text, text, current)
    reworded, rebinding = reword_clause(library(), agreement.language, document, key, text)
    changes = [("term", path, value, term_value(document.terms, path)) for path, value in rebinding.changes.items()]
    if rebinding.changes:
        # The wording alone, stating the terms as they are now; the term proposals carry the values.
        text = parts_bound(library(), reworded.clause(key).parts, document.terms, agreement.language).text
    if text != current:
        changes.append(("clause_text", key, text, current))
    if not changes:
        raise NothingToPropose(_("That is what the draft already says."))
    if counter_of is not None and not any((kind, target) == (counter_of.kind, counter_of.target)
                                          for kind, target, _value, _base in changes):
        raise InvalidChange(_("A counter-proposal changes what proposal %(number)s changes.", number=counter_of.number))
    proposals = []
    for kind, target, value, base_value in changes:
        countered = counter_of if counter_of is not None and (kind, target) == (counter_of.kind, counter_of.target) else None
        proposal, _rebased = propose(agreement, user, membership, kind, target, value, base_value, reason,
                                     countered, commit=False)
        proposals.append(proposal)
    if commit:
        db.session.commit()
    return proposals, rebased


def wording_proposed(proposals: list[Proposal], merged: bool = False) -> str:
    """The message after propose_wording: which proposals, which of them change terms, whether merged."""
    values = {"numbers": ", ".join(str(p.number) for p in proposals),
              "terms": ", ".join(term_name(p.target) for p in proposals if p.kind == "term")}
    count = len(proposals)
    if values["terms"] and merged:
        return ngettext("Proposal %(numbers)s sent to the other side (%(terms)s: proposed as a change of the term, so "
                        "every clause stating it follows), merged with a change made meanwhile: check the result.",
                        "Proposals %(numbers)s sent to the other side (%(terms)s: proposed as a change of the term, so "
                        "every clause stating it follows), merged with a change made meanwhile: check the result.",
                        count, **values)
    if values["terms"]:
        return ngettext("Proposal %(numbers)s sent to the other side (%(terms)s: proposed as a change of the term, so "
                        "every clause stating it follows).",
                        "Proposals %(numbers)s sent to the other side (%(terms)s: proposed as a change of the term, so "
                        "every clause stating it follows).", count, **values)
    if merged:
        return ngettext("Proposal %(numbers)s sent to the other side, merged with a change made meanwhile: check the "
                        "result.",
                        "Proposals %(numbers)s sent to the other side, merged with a change made meanwhile: check the "
                        "result.", count, **values)
    return ngettext("Proposal %(numbers)s sent to the other side.", "Proposals %(numbers)s sent to the other side.",
                    count, **values)


def _check_answerable(user: User, membership: Membership, proposal: Proposal) -> None:
    if not can(membership, "answer"):
        raise NotAllowed(_("Only owners and editors accept, reject or counter proposals."))
    if membership.side == proposal.side:
        raise NotAllowed(_("The other side answers this proposal."))
    _check_open(proposal)


def _check_open(proposal: Proposal) -> None:
    db.session.refresh(proposal)
    if proposal.status != "open":
        raise NegotiationError(_already_answered(proposal))


def _already_answered(proposal: Proposal) -> str:
    """ "Proposal 3 was already accepted by Ana Ruiz." - one whole sentence per status."""
    values = {"number": proposal.number, "name": proposal.responded_by.name if proposal.responded_by else None}
    if values["name"] is not None:
        sentences = {
            "accepted": _("Proposal %(number)s was already accepted by %(name)s.", **values),
            "rejected": _("Proposal %(number)s was already rejected by %(name)s.", **values),
            "withdrawn": _("Proposal %(number)s was already withdrawn by %(name)s.", **values),
            "superseded": _("Proposal %(number)s was already superseded by %(name)s.", **values),
        }
    else:
        sentences = {
            "accepted": _("Proposal %(number)s was already accepted.", **values),
            "rejected": _("Proposal %(number)s was already rejected.", **values),
            "withdrawn": _("Proposal %(number)s was already withdrawn.", **values),
            "superseded": _("Proposal %(number)s was already superseded.", **values),
        }
    return sentences.get(proposal.status) or _("Proposal %(number)s was already answered.", **values)


def _close(proposal: Proposal, status: str, user: User, reason: str | None = None) -> None:
    proposal.status = status
    proposal.responded_by_id = user.id
    proposal.responded_at = utcnow()
    proposal.response_reason = reason


def _supersede(agreement: Agreement, user: User, membership: Membership, countered: Proposal, kind: str, target: str) -> None:
    _check_answerable(user, membership, countered)
    if (countered.kind, countered.target) != (kind, target):
        raise InvalidChange(_("A counter-proposal changes the same thing as the proposal it answers."))
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
            raise ProposalConflict(_("What this proposal changes was changed since; counter it with a new value."),
                                   current, proposal.value)
        try:
            value = merge_text(proposal.base_value, proposal.value, current)
        except MergeConflict:
            raise ProposalConflict(_("An accepted change touched the same words since; counter it instead."),
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
        raise NotAllowed(_("Only the person who made a proposal withdraws it."))
    _check_open(proposal)
    _close(proposal, "withdrawn", user)
    record("proposal.withdrawn", actor=user, agreement=agreement, proposal=proposal.number)
    _notify(agreement, user, "proposal.withdrawn", lambda: (
        _("Proposal %(number)s on “%(title)s” withdrawn", number=proposal.number, title=agreement.title),
        _("%(name)s withdrew proposal %(number)s.", name=user.name, number=proposal.number)),
        sides=(OTHER_SIDE[proposal.side],), roles=("owner", "editor"))
    db.session.commit()


def _notify_author(agreement: Agreement, user: User, proposal: Proposal, verb: str, reason: str | None = None) -> None:
    if proposal.author is None:
        return
    _draft, document = draft_of(agreement)

    def compose() -> tuple[str, str]:
        what = describe(proposal.kind, proposal.target, proposal.value,
                        change_names(document, library(), agreement.language), proposal.base_value)
        values = {"name": user.name, "number": proposal.number, "title": agreement.title, "change": what}
        if verb == "accepted":
            subject = _("Proposal %(number)s on “%(title)s” accepted", **values)
            body = _("%(name)s accepted proposal %(number)s (%(change)s).", **values)
        else:
            subject = _("Proposal %(number)s on “%(title)s” rejected", **values)
            body = _("%(name)s rejected proposal %(number)s (%(change)s).", **values)
        return subject, _with_reason(body, reason)

    queue_in_their_language(agreement, [proposal.author], f"proposal.{verb}", compose)
