"""Personal access tokens: create (the token is shown once), list, revoke, and find the token a request sent.

Only the SHA-256 of a token is stored, with its first characters for the owner to
recognise it. A token expires (at most a year after it is made), can be revoked at any
time, and may be limited to some of its owner's agreements. Creating and revoking are
audited in the owner's log.
"""
from __future__ import annotations

import secrets
from collections.abc import Iterable
from datetime import timedelta

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from ..audit import record
from ..document import token_hash
from ..extensions import db
from ..models import TOKEN_SCOPES, ApiToken, ApiTokenAgreement, Membership, User, utcnow
from ..models.api_token import TOKEN_NAME_MAX

TOKEN_PREFIX = "acc_"  # says what a leaked secret is, for people and secret scanners
PREFIX_SHOWN = 12  # "acc_" and the first 8 random characters
MAX_DAYS = 366
DEFAULT_DAYS = 90
SECRET_MAX = 200


class TokenError(ValueError):
    """A token cannot be made as asked; str(error) says why, in the interface language."""


class TokenRefused(Exception):
    """The token a request sent cannot be used: `reason` is "invalid", "expired" or "revoked"."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def create_token(user: User, *, name: str, scope: str, days: int = DEFAULT_DAYS,
                 agreement_ids: Iterable[int] = ()) -> tuple[ApiToken, str]:
    """A new token of `user`'s: the row and the secret (returned once; only its hash is kept).

    `agreement_ids` limits it to those agreements, each of which `user` must belong to.
    """
    name = (name or "").strip()
    if not name or len(name) > TOKEN_NAME_MAX:
        raise TokenError(_("Name the token in 1 to %(max)d characters, so you know later what uses it.",
                           max=TOKEN_NAME_MAX))
    if scope not in TOKEN_SCOPES:
        raise TokenError(_("A token reads only, or reads and writes."))
    if not 1 <= days <= MAX_DAYS:
        raise TokenError(_("A token lasts from 1 to %(max)d days.", max=MAX_DAYS))
    wanted = sorted(set(agreement_ids))
    if wanted:
        member_of = set(db.session.scalars(select(Membership.agreement_id).where(
            Membership.user_id == user.id, Membership.agreement_id.in_(wanted))))
        if member_of != set(wanted):
            raise TokenError(_("A token can be limited only to agreements you are a member of."))
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    now = utcnow()
    token = ApiToken(user_id=user.id, name=name, token_hash=token_hash(secret), prefix=secret[:PREFIX_SHOWN],
                     scope=scope, created_at=now, expires_at=now + timedelta(days=days), limited=bool(wanted))
    token.agreements = [ApiTokenAgreement(agreement_id=agreement_id) for agreement_id in wanted]
    db.session.add(token)
    db.session.flush()
    record("api_token.created", actor=user, token=token.id, name=name, scope=scope,
           expires_at=token.expires_at.isoformat(), agreements=wanted or None)
    db.session.commit()
    return token, secret


def tokens_of(user: User) -> list[ApiToken]:
    """The user's tokens, newest first (revoked and expired ones too: the page says which)."""
    return list(db.session.scalars(select(ApiToken).where(ApiToken.user_id == user.id)
                                   .order_by(ApiToken.id.desc())))


def revoke_token(user: User, token_id: int) -> ApiToken:
    """Revoke one of `user`'s tokens (LookupError for anyone else's); revoking twice changes nothing."""
    token = db.session.get(ApiToken, token_id)
    if token is None or token.user_id != user.id:
        raise LookupError(token_id)
    if token.revoked_at is None:
        token.revoked_at = utcnow()
        record("api_token.revoked", actor=user, token=token.id, name=token.name)
        db.session.commit()
    return token


def token_for(secret: str, session: Session | None = None) -> ApiToken:
    """The usable token `secret` names (its agreements loaded), or TokenRefused saying why not.

    `session`: where to look (the API looks in a short transaction of its own).
    """
    if not secret or len(secret) > SECRET_MAX:
        raise TokenRefused("invalid")
    session = session or db.session
    token = session.scalar(select(ApiToken).options(selectinload(ApiToken.agreements))
                           .where(ApiToken.token_hash == token_hash(secret)))
    if token is None:
        raise TokenRefused("invalid")
    state = token.state(utcnow())
    if state != "active":
        raise TokenRefused(state)
    return token
