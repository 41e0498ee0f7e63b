"""Who may do what on an agreement. Every agreement route goes through `agreement_route`.

A person who is not a member gets 404 for any agreement URL (we do not reveal that
the agreement exists); a member whose role does not allow the action gets 403.
"""
from __future__ import annotations

from functools import wraps

from flask import abort, g
from sqlalchemy import select

from .accounts.sessions import login_required
from .extensions import db
from .models import Agreement, Membership
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
}


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
