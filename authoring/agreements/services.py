"""Agreement workspaces: create, list, invite, accept, change roles, remove members."""
from __future__ import annotations

import math
import secrets
from dataclasses import dataclass
from typing import Any
from datetime import timedelta

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import func, select, update
from sqlalchemy.exc import SQLAlchemyError

from ..accounts.services import unconfirmed_refusal
from ..access import may_act_on, membership_of, people_refusal
from ..audit import ChainReport, check_chain, record
from ..document import Document, token_hash
from ..extensions import db
from ..library import assemble, default_choices
from ..models import Agreement, AuditEvent, Draft, Invitation, Membership, User, utcnow


class WorkspaceError(Exception):
    """A user-facing refusal; str(error) is the message to show."""


class NotYourSide(WorkspaceError):
    """An owner acting on the other side's people: each side governs itself (access.PEOPLE)."""

    status = 403


def _check_people_rule(agreement: Agreement, actor: User, action: str, side: str, role: str | None = None) -> None:
    """NotYourSide unless `actor`'s membership may do `action` to someone on `side` (rules in access.py)."""
    membership = membership_of(actor.id, agreement.id)
    refusal = _("Only a member of this agreement manages its members.") if membership is None else \
        people_refusal(membership, action, side, role)
    if refusal:
        db.session.rollback()
        raise NotYourSide(refusal)


def lock_agreement(agreement_id: int) -> None:
    """Serialise writers of one agreement: a row lock on PostgreSQL.

    On SQLite every write transaction already holds the database write lock
    (BEGIN IMMEDIATE), and FOR UPDATE is not emitted there.

    Objects the session loaded before the lock (the view usually read the draft to
    render or validate) may be stale by the time the lock is granted; they are
    expired so the write reads what is committed now. Without this, PostgreSQL lost
    125 of 200 concurrent edits in tests/test_concurrency.py.
    """
    db.session.flush()
    db.session.execute(select(Agreement.id).where(Agreement.id == agreement_id).with_for_update())
    db.session.expire_all()


def back_from_ready(agreement: Agreement, actor: User, why: str) -> None:
    """A change after "ready to sign" takes the agreement back: to negotiation once shared, else to drafting."""
    if agreement.status == "ready":
        agreement.status = "negotiating" if agreement.shared else "draft"
        record("agreement.status_changed", actor=actor, agreement=agreement, status=agreement.status, reason=why)


def initial_terms(agreement: Agreement) -> dict:
    """The terms a new agreement starts from: what the creation form asked."""
    return {
        "agreement": {"title": agreement.title, "language": agreement.language},
        "parties": {"provider": {"name": agreement.provider_name}, "client": {"name": agreement.client_name}},
    }


def create_agreement(owner: User, *, title: str, language: str, provider_name: str, client_name: str,
                     document: Document | None = None, predecessor: Agreement | None = None, commit: bool = True,
                     side: str = "provider", **audit: Any) -> Agreement:
    """Create an agreement with its first draft; `owner` becomes its owner on `side` (the provider's
    unless a client starts it), and invites the other side's first owner.

    The draft is assembled from the clause library, or is `document` (an imported terms
    file, a renewal); `predecessor` is the agreement it renews; `audit` adds details to
    the creation event. With commit=False the caller's transaction goes on.
    """
    agreement = Agreement(
        title=title, language=language, provider_name=provider_name, client_name=client_name, created_by_id=owner.id,
        predecessor_id=predecessor.id if predecessor is not None else None, started_by_side=side,
    )
    db.session.add(agreement)
    db.session.flush()
    db.session.add(Membership(agreement_id=agreement.id, user_id=owner.id, side=side, role="owner"))
    if document is None:
        library = current_app.extensions["clause_library"]
        document = assemble(library, initial_terms(agreement), language, default_choices(library))
    agreement.take_term_dates(document.terms)
    db.session.add(Draft(agreement_id=agreement.id, document=document.canonical_json().decode("utf-8"), updated_by_id=owner.id))
    if side != "provider":  # recorded only when not the usual, so earlier events read as before
        audit["side"] = side
    record("agreement.created", actor=owner, agreement=agreement, title=title, language=language, **audit)
    if commit:
        db.session.commit()
    return agreement


# Invitations ---------------------------------------------------------------------------


def create_invitation(agreement: Agreement, inviter: User, *, side: str, role: str, email: str | None) -> tuple[Invitation, str]:
    """A single-use invitation; returns it and the token (shown once, only its hash is stored).

    An owner invites to their own side; the owner of the side that started the agreement also
    invites the other side's first owner while that side has none (NotYourSide otherwise).
    """
    _check_people_rule(agreement, inviter, "invite", side, role)
    token = secrets.token_urlsafe(32)
    invitation = Invitation(
        agreement_id=agreement.id,
        token_hash=token_hash(token),
        side=side,
        role=role,
        email=email.lower() if email else None,
        created_by_id=inviter.id,
        expires_at=utcnow() + timedelta(hours=current_app.config["INVITATION_TTL_HOURS"]),
    )
    db.session.add(invitation)
    db.session.flush()
    record("invitation.created", actor=inviter, agreement=agreement, invitation=invitation.id, side=side, role=role, email=invitation.email)
    db.session.commit()
    return invitation, token


def _refusal(state: str) -> str:
    """Why an invitation in `state` cannot be used, in the interface language."""
    return {
        "accepted": _("This invitation has already been used. Ask the agreement's owner for a new link."),
        "revoked": _("This invitation was withdrawn by the agreement's owner."),
        "expired": _("This invitation has expired. Ask the agreement's owner for a new link."),
    }[state]


def find_invitation(token: str) -> Invitation:
    """The pending invitation for `token`, or WorkspaceError saying why it cannot be used."""
    invitation = db.session.scalar(select(Invitation).where(Invitation.token_hash == token_hash(token)))
    if invitation is None:
        raise WorkspaceError(_("This invitation link is not valid. Check that you copied all of it."))
    state = invitation.state(utcnow())
    if state != "pending":
        raise WorkspaceError(_refusal(state))
    return invitation


def accept_invitation(token: str, user: User) -> Membership:
    """Make `user` a member as the invitation says. The token works once, even under a race."""
    invitation = find_invitation(token)
    refusal = unconfirmed_refusal(user, "accept an invitation")
    if refusal:
        raise WorkspaceError(refusal)
    if invitation.email and invitation.email != user.email:
        raise WorkspaceError(
            _("This invitation is for %(email)s. Log in with that address to accept it.", email=invitation.email))
    if db.session.scalar(
        select(Membership).where(Membership.agreement_id == invitation.agreement_id, Membership.user_id == user.id)
    ):
        raise WorkspaceError(_("You are already a member of this agreement."))
    _inviter_still_may(invitation)
    now = utcnow()
    # The conditional UPDATE is the single-use check: of two racing accepts, one changes no row.
    claimed = db.session.execute(
        update(Invitation)
        .where(Invitation.id == invitation.id, Invitation.accepted_at.is_(None), Invitation.revoked_at.is_(None), Invitation.expires_at > now)
        .values(accepted_at=now, accepted_by_id=user.id)
    ).rowcount
    if claimed != 1:
        db.session.rollback()
        raise WorkspaceError(_refusal("accepted"))
    membership = Membership(agreement_id=invitation.agreement_id, user_id=user.id, side=invitation.side, role=invitation.role)
    db.session.add(membership)
    record("member.joined", actor=user, agreement=invitation.agreement, invitation=invitation.id, side=invitation.side, role=invitation.role)
    db.session.commit()
    return membership


def _inviter_still_may(invitation: Invitation) -> None:
    """An invitation works only while its author may still make it: a client-owner invitation from
    the provider lapses once the client side has an owner, and one whose author left the agreement
    (or was made something other than owner) lapses too. Links made before each side governed
    itself are held to the same rule."""
    inviter = membership_of(invitation.created_by_id, invitation.agreement_id) if invitation.created_by_id else None
    if inviter is None:
        raise WorkspaceError(_("The person who created this invitation is no longer a member of the agreement. "
                               "Ask an owner of your side for a new link."))
    if people_refusal(inviter, "invite", invitation.side, invitation.role) is not None:
        if may_act_on(inviter, "invite_first_owner", invitation.side) and invitation.role == "owner":
            raise WorkspaceError(
                _("This invitation is no longer valid: the provider side now has an owner, who invites its members. "
                  "Ask them for a new link.") if invitation.side == "provider" else
                _("This invitation is no longer valid: the client side now has an owner, who invites its members. "
                  "Ask them for a new link."))
        raise WorkspaceError(
            _("This invitation is no longer valid: its author may no longer invite to the provider side. "
              "Ask an owner of that side for a new link.") if invitation.side == "provider" else
            _("This invitation is no longer valid: its author may no longer invite to the client side. "
              "Ask an owner of that side for a new link."))


def pending_invitations(agreement: Agreement, membership: Membership | None = None) -> list[Invitation]:
    """Pending invitations, oldest first; with `membership`, only those it may withdraw."""
    now = utcnow()
    rows = db.session.scalars(
        select(Invitation)
        .where(Invitation.agreement_id == agreement.id, Invitation.accepted_at.is_(None), Invitation.revoked_at.is_(None), Invitation.expires_at > now)
        .order_by(Invitation.created_at)
    )
    if membership is None:
        return list(rows)
    return [invitation for invitation in rows if invitation.created_by_id == membership.user_id
            or people_refusal(membership, "revoke", invitation.side) is None]


def revoke_invitation(agreement: Agreement, actor: User, invitation_id: int) -> None:
    """Withdraw a pending invitation to the actor's own side, or one the actor made."""
    invitation = db.session.get(Invitation, invitation_id)
    if invitation is None or invitation.agreement_id != agreement.id:
        raise LookupError(invitation_id)
    if invitation.created_by_id != actor.id:
        _check_people_rule(agreement, actor, "revoke", invitation.side)
    if invitation.state(utcnow()) != "pending":
        raise WorkspaceError(_("Only a pending invitation can be withdrawn."))
    invitation.revoked_at = utcnow()
    record("invitation.revoked", actor=actor, agreement=agreement, invitation=invitation.id)
    db.session.commit()


# Members ---------------------------------------------------------------------------------

def _member(agreement: Agreement, membership_id: int) -> Membership:
    membership = db.session.get(Membership, membership_id)
    if membership is None or membership.agreement_id != agreement.id:
        raise LookupError(membership_id)
    return membership


def _owner_count(agreement: Agreement, side: str) -> int:
    return db.session.scalar(
        select(func.count()).select_from(Membership).where(
            Membership.agreement_id == agreement.id, Membership.side == side, Membership.role == "owner")
    )


def change_role(agreement: Agreement, actor: User, membership_id: int, role: str) -> Membership:
    """Give a member of the actor's own side another role; a side's last owner keeps theirs."""
    lock_agreement(agreement.id)
    membership = _member(agreement, membership_id)
    _check_people_rule(agreement, actor, "change_role", membership.side)
    if membership.role == role:
        return membership
    if membership.role == "owner" and _owner_count(agreement, membership.side) == 1:
        raise WorkspaceError(
            _("The provider side needs at least one owner. Make someone else on your side an owner first.")
            if membership.side == "provider" else
            _("The client side needs at least one owner. Make someone else on your side an owner first."))
    old_role, membership.role = membership.role, role
    record("member.role_changed", actor=actor, agreement=agreement, member=membership.user.email, old=old_role, new=role)
    db.session.commit()
    return membership


def remove_member(agreement: Agreement, actor: User, membership_id: int) -> None:
    """Remove a member of the actor's own side; a side's last owner cannot be removed."""
    lock_agreement(agreement.id)
    membership = _member(agreement, membership_id)
    _check_people_rule(agreement, actor, "remove", membership.side)
    if membership.role == "owner" and _owner_count(agreement, membership.side) == 1:
        raise WorkspaceError(
            _("The provider side's last owner cannot be removed. Make someone else on your side an owner first.")
            if membership.side == "provider" else
            _("The client side's last owner cannot be removed. Make someone else on your side an owner first."))
    record("member.removed", actor=actor, agreement=agreement, member=membership.user.email, side=membership.side, role=membership.role)
    db.session.delete(membership)
    db.session.commit()


ACTIVITY_PAGE_SIZE = 100


@dataclass(frozen=True)
class ActivityPage:
    """One page of an agreement's audit events (newest first) and what the chain's check found."""

    events: list[AuditEvent]
    page: int  # 1-based, clamped to the pages there are
    pages: int
    total: int
    chain: ChainReport


def activity(agreement: Agreement, page: int = 1) -> ActivityPage:
    """A page of the agreement's audit events, newest first, after checking its chain.

    The check is bounded, whatever the length of the log: it starts from the chain's newest
    checkpoint and leaves a new one when it read many events (a day-old checkpoint also has
    one slice of the older events read again; see audit.check_chain). That write is only a
    saving, so a database that refuses it (busy, read-only) does not stop the page.
    """
    chain = check_chain(agreement.id, bounded=True)
    try:
        db.session.commit()
    except SQLAlchemyError:
        db.session.rollback()
        current_app.logger.warning("audit checkpoint of agreement %s not written", agreement.id, exc_info=True)
    total = db.session.scalar(select(func.count()).select_from(AuditEvent).where(AuditEvent.agreement_id == agreement.id))
    pages = max(1, math.ceil(total / ACTIVITY_PAGE_SIZE))
    page = min(max(page, 1), pages)
    # By place in the chain (the order it was written in): the index on (agreement, seq) serves the page.
    events = list(db.session.scalars(
        select(AuditEvent).where(AuditEvent.agreement_id == agreement.id)
        .order_by(AuditEvent.seq.desc(), AuditEvent.id.desc())
        .offset((page - 1) * ACTIVITY_PAGE_SIZE).limit(ACTIVITY_PAGE_SIZE)
    ))
    return ActivityPage(events, page, pages, total, chain)
