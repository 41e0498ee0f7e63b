"""Who may do what on an agreement. Every agreement route goes through `agreement_route`.

A person who is not a member gets 404 for any agreement URL (we do not reveal that
the agreement exists); a member whose role does not allow the action gets 403.
"""
from __future__ import annotations

from functools import wraps

from flask import abort, g
from flask_babel import gettext as _
from sqlalchemy import select

from .accounts.sessions import login_required
from .extensions import db
from .models import Agreement, Membership
from .models.agreement import SIDES
from .models.base import MAX_ID

# What each role may do. Later features add their actions here, never in views.
PERMISSIONS: dict[str, frozenset[str]] = {
    "view": frozenset({"owner", "editor", "reviewer", "signatory", "viewer"}),
    "comment": frozenset({"owner", "editor", "reviewer", "signatory"}),
    "propose": frozenset({"owner", "editor", "reviewer"}),
    "answer": frozenset({"owner", "editor"}),  # accept, reject or counter the other side's proposals
    "edit": frozenset({"owner", "editor"}),
    "sign": frozenset({"signatory"}),
    "manage": frozenset({"owner"}),
    # Webhook endpoints of the owner's own side (their side's systems); never the other side's.
    "manage_webhooks": frozenset({"owner"}),
    # Record what happened under an executed agreement (import incidents and outages): either side's
    # owners and editors, since both measure and report the service.
    "operate": frozenset({"owner", "editor"}),
    # Write in a dispute of a monthly service report; which side may open, decide or escalate is in DISPUTES.
    "dispute": frozenset({"owner", "editor"}),
}


# What a personal access token (the JSON API) may do, by its scope, on top of the person's role:
# a read token only reads; a read-write token does what the person's role allows - except
# signing, which stays in the browser with the password re-entered.
TOKEN_SCOPES: dict[str, frozenset[str]] = {
    "read": frozenset({"view"}),
    "read-write": frozenset({*PERMISSIONS, "create"} - {"sign"}),
}


def token_allows(scope: str, action: str) -> bool:
    """True when a token of `scope` may be used for `action` ("create": start an agreement)."""
    return action in TOKEN_SCOPES.get(scope, frozenset())


# Rules about people, by action: the (role, side) of the member acting and the side of the
# people acted on. Each side governs itself; the one crossing is "invite_first_owner": the
# owner of the side that started the agreement (the provider, unless a client started it)
# invites the other side's first owner, only while that side has no owner. From then on
# that side manages itself.
PEOPLE: dict[str, frozenset[tuple[str, str, str]]] = {
    "invite": frozenset({("owner", "provider", "provider"), ("owner", "client", "client")}),
    "invite_first_owner": frozenset({("owner", "provider", "client"), ("owner", "client", "provider")}),
    "revoke": frozenset({("owner", "provider", "provider"), ("owner", "client", "client")}),
    "change_role": frozenset({("owner", "provider", "provider"), ("owner", "client", "client")}),
    "remove": frozenset({("owner", "provider", "provider"), ("owner", "client", "client")}),
}


# Disputes of a monthly service report, by action: the (role, side) of the member acting. The client
# disputes and may escalate; the provider accepts or rejects; both sides' owners and editors write.
DISPUTES: dict[str, frozenset[tuple[str, str]]] = {
    "open": frozenset({("owner", "client"), ("editor", "client")}),
    "escalate": frozenset({("owner", "client"), ("editor", "client")}),
    "decide": frozenset({("owner", "provider"), ("editor", "provider")}),
    "write": frozenset({("owner", "client"), ("editor", "client"), ("owner", "provider"), ("editor", "provider")}),
}


def may_dispute(membership: Membership | None, action: str) -> bool:
    """True when `membership` may do the dispute `action` ("open", "escalate", "decide", "write")."""
    return membership is not None and (membership.role, membership.side) in DISPUTES.get(action, frozenset())


def can(membership: Membership | None, action: str) -> bool:
    """True when `membership` allows `action` (an unknown action is never allowed)."""
    return membership is not None and membership.role in PERMISSIONS.get(action, frozenset())


def membership_of(user_id: int, agreement_id: int) -> Membership | None:
    return db.session.scalar(
        select(Membership).where(Membership.user_id == user_id, Membership.agreement_id == agreement_id)
    )


def require(agreement_id: int, action: str) -> tuple[Agreement, Membership]:
    """The agreement and the caller's membership, or 404 (not a member) / 403 (role too weak)."""
    # An id beyond the database's integers cannot exist (and would overflow the query).
    in_range = 0 < agreement_id <= MAX_ID
    membership = membership_of(g.user.id, agreement_id) if g.user is not None and in_range else None
    if membership is None:
        abort(404)
    if not can(membership, action):
        abort(403)
    return membership.agreement, membership


def agreement_route(action: str):
    """Decorate a view taking `agreement_id`; it receives `agreement` and `membership` instead."""

    def decorator(view):
        @wraps(view)
        @login_required
        def wrapped(agreement_id: int, **kwargs):
            agreement, membership = require(agreement_id, action)
            g.membership = membership
            return view(agreement=agreement, membership=membership, **kwargs)

        wrapped.required_action = action  # read by the access-rule tests
        return wrapped

    return decorator


def may_act_on(membership: Membership | None, action: str, side: str) -> bool:
    """True when `membership` may do the people `action` to someone on `side` (by PEOPLE; the
    first-owner crossing only from the side that started the agreement)."""
    if membership is None or (membership.role, membership.side, side) not in PEOPLE.get(action, frozenset()):
        return False
    return action != "invite_first_owner" or membership.side == membership.agreement.started_by_side


def side_has_owner(agreement_id: int, side: str) -> bool:
    """True when `side` of the agreement has at least one owner."""
    return db.session.scalar(select(Membership.id).where(
        Membership.agreement_id == agreement_id, Membership.side == side, Membership.role == "owner").limit(1)) is not None


def invitable_sides(membership: Membership) -> list[str]:
    """The sides `membership` may invite someone to now (for the Members page)."""
    return [side for side in SIDES
            if may_act_on(membership, "invite", side)
            or (may_act_on(membership, "invite_first_owner", side) and not side_has_owner(membership.agreement_id, side))]


def people_refusal(membership: Membership, action: str, side: str, role: str | None = None) -> str | None:
    """None when `membership` may do `action` ("invite", "revoke", "change_role", "remove") to
    someone on `side` (inviting: as `role`); else the sentence that states the rule, in the
    interface language (whole sentences per side, so each language declines "side" its own way)."""
    if may_act_on(membership, action, side):
        return None
    provider = side == "provider"
    if action == "invite" and may_act_on(membership, "invite_first_owner", side):
        if side_has_owner(membership.agreement_id, side):
            return (_("The provider side has an owner, who invites its members. You invite members of the "
                      "client side only.") if provider else
                    _("The client side has an owner, who invites its members. You invite members of the "
                      "provider side only."))
        if role == "owner":
            return None
        return (_("The provider side has no owner yet: invite its first owner (role Owner); from then on the "
                  "provider side invites its own members.") if provider else
                _("The client side has no owner yet: invite its first owner (role Owner); from then on the "
                  "client side invites its own members."))
    if not can(membership, "manage"):
        return _("Only an owner manages members.")
    cannot = {
        ("invite", "provider"): _("Each side governs itself: you cannot invite members to the provider side."),
        ("invite", "client"): _("Each side governs itself: you cannot invite members to the client side."),
        ("revoke", "provider"): _("Each side governs itself: you cannot withdraw invitations to the provider side."),
        ("revoke", "client"): _("Each side governs itself: you cannot withdraw invitations to the client side."),
        ("change_role", "provider"): _("Each side governs itself: you cannot change the roles of members of the "
                                       "provider side."),
        ("change_role", "client"): _("Each side governs itself: you cannot change the roles of members of the "
                                     "client side."),
        ("remove", "provider"): _("Each side governs itself: you cannot remove members of the provider side."),
        ("remove", "client"): _("Each side governs itself: you cannot remove members of the client side."),
    }[(action, side)]
    # An owner refused here acts on the other side: their own is the one they manage.
    manage = (_("Owners of the provider side manage the provider side only; the client side's owners manage theirs.")
              if membership.side == "provider" else
              _("Owners of the client side manage the client side only; the provider side's owners manage theirs."))
    return f"{cannot} {manage}"
