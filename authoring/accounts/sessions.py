"""Signed-in sessions: the cookie names a server-side UserSession row, so sessions can be revoked."""
from __future__ import annotations

import secrets
from datetime import timedelta
from functools import wraps

from flask import current_app, g, redirect, request, session, url_for
from sqlalchemy import select, update

from ..audit import client_ip
from ..document import token_hash
from ..extensions import db
from ..i18n import SESSION_KEY as LANGUAGE_KEY
from ..models import User, UserSession, utcnow

COOKIE_KEY = "sid"



def start_session(user: User) -> None:
    """Begin a fresh session for `user`: a new cookie, a new server-side row (no fixation)."""
    token = secrets.token_urlsafe(32)
    db.session.add(
        UserSession(
            token_hash=token_hash(token),
            user_id=user.id,
            expires_at=utcnow() + timedelta(hours=current_app.config["SESSION_LIFETIME_HOURS"]),
            ip=client_ip(),
            user_agent=(request.user_agent.string or "")[:255],
        )
    )
    _clear_keeping_language()
    session.permanent = True
    session[COOKIE_KEY] = token


def end_current_session() -> None:
    """Revoke this browser's session row, so a copy of the cookie stops working too."""
    token = session.get(COOKIE_KEY)
    if token:
        db.session.execute(
            update(UserSession)
            .where(UserSession.token_hash == token_hash(token), UserSession.revoked_at.is_(None))
            .values(revoked_at=utcnow())
        )
    _clear_keeping_language()


def _clear_keeping_language() -> None:
    """Empty the session but for the interface language chosen in this browser: logging in or out
    starts a new session, not a new language (the "logged out" page speaks the one it spoke)."""
    language = session.get(LANGUAGE_KEY)
    session.clear()
    if language:
        session[LANGUAGE_KEY] = language


def revoke_all_sessions(user: User) -> None:
    db.session.execute(
        update(UserSession).where(UserSession.user_id == user.id, UserSession.revoked_at.is_(None)).values(revoked_at=utcnow())
    )


def load_current_user() -> None:
    """Set g.user from the session cookie (None when absent, expired or revoked)."""
    g.user = None
    token = session.get(COOKIE_KEY)
    if not token or not isinstance(token, str):
        return
    g.user = db.session.scalar(
        select(User)
        .join(UserSession, UserSession.user_id == User.id)
        .where(
            UserSession.token_hash == token_hash(token),
            UserSession.revoked_at.is_(None),
            UserSession.expires_at > utcnow(),
        )
    )
    if g.user is None:
        session.clear()


def login_required(view):
    """Send anonymous callers to the log-in page, then back to where they were going."""

    @wraps(view)
    def wrapped(**kwargs):
        if g.user is None:
            return redirect(url_for("accounts.login", next=request.full_path.rstrip("?")))
        return view(**kwargs)

    return wrapped
