"""Account operations: register, confirm the e-mail address, authenticate (throttled), change password.

Registration never tells the requester whether an address already has an account: both
answers are the same page, reached after the same password hashing, with no session
started. The address itself hears what happened: a new one gets a confirmation link, an
existing one a note that someone tried to register with it. An account may log in
before confirming, but not accept an invitation or sign (`unconfirmed_refusal`).
"""
from __future__ import annotations

import secrets
from datetime import timedelta
from urllib.parse import urlencode

from flask import current_app, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import delete, func, select, update
from sqlalchemy.exc import IntegrityError

from ..audit import client_ip, record
from ..config import public_url
from ..document import token_hash
from ..extensions import db
from ..i18n import in_language
from ..models import ApiToken, EmailConfirmation, LoginFailure, OutboxMessage, User, utcnow
from ..notifications import queue_account_email
from .passwords import hash_password, verify_dummy, verify_password
from .sessions import revoke_all_sessions, start_session

CONFIRMATION_EVENT = "account.confirm_email"
REGISTRATION_ATTEMPT_EVENT = "account.registration_attempted"


class AccountError(Exception):
    """A user-facing refusal; str(error) is the message to show."""


class InvalidCredentials(AccountError):
    pass


class LoginThrottled(AccountError):
    pass


class ConfirmationInvalid(AccountError):
    """A confirmation link that is unknown, used or expired."""


class ConfirmationThrottled(AccountError):
    pass


def normalize_email(email: str) -> str:
    return email.strip().lower()


def find_user_by_email(email: str) -> User | None:
    return db.session.scalar(select(User).where(User.email == normalize_email(email)))


# Registering -------------------------------------------------------------------------

def register_user(email: str, name: str, password: str, next_path: str = "", language: str | None = None) -> None:
    """Start an account for `email`, or tell that address's owner someone tried to; the caller learns neither.

    A new account is created unconfirmed and not signed in: the e-mailed link confirms
    the address and logs in (then goes on to `next_path`). Its interface language is
    `language` (the one the registration page spoke), so its e-mails, the first one
    included, speak it too. An existing account gets a message instead, in its own
    language (at most one per EMAIL_CONFIRMATION_RESEND_MINUTES), and is not changed.
    """
    email = normalize_email(email)
    password_hash = hash_password(password)  # hashed in both cases, so the time taken does not tell them apart
    existing = find_user_by_email(email)
    if existing is None:
        user = User(email=email, name=name.strip(), password_hash=password_hash, language=language)
        db.session.add(user)
        try:
            db.session.flush()
        except IntegrityError:  # registered by a concurrent request in the meantime
            db.session.rollback()
            existing = find_user_by_email(email)
        else:
            record("account.registered", actor=user)
            _send_confirmation(user, next_path)
            db.session.commit()
            return
    if existing is not None:
        _tell_owner_of_attempt(existing, next_path)
        db.session.commit()


def _tell_owner_of_attempt(user: User, next_path: str) -> None:
    record(REGISTRATION_ATTEMPT_EVENT, actor=user)
    if _last_message_at(user, REGISTRATION_ATTEMPT_EVENT) is not None:
        return  # one note per interval is enough; more would let anyone flood the address
    login_link = public_url(url_for("accounts.login", **({"next": next_path} if next_path else {})))
    with in_language(user.language):  # the account's language, not the requester's
        paragraphs = [
            _("Hello %(name)s,", name=user.name),
            _("Someone tried to create a new Accord account with %(email)s, which already has an account. "
              "No second account was created and nothing changed on yours.", email=user.email),
            _("If it was you, log in with the password you chose:"),
            login_link,
        ]
        if not user.email_verified_at:
            paragraphs.append(_("Your address is not confirmed yet: after you log in, the notice at the top of the "
                                "page sends you a new confirmation link."))
        paragraphs += [
            _("Passwords cannot be reset by e-mail here; if you have lost yours, ask the site's administrator."),
            _("If it was not you, you need not do anything."),
        ]
        subject = _("Someone tried to register with your e-mail address")
    queue_account_email(user, REGISTRATION_ATTEMPT_EVENT, subject, "\n\n".join(paragraphs))


def _last_message_at(user: User, event: str):
    """When `user` was last sent an `event` message, if within EMAIL_CONFIRMATION_RESEND_MINUTES."""
    since = utcnow() - timedelta(minutes=current_app.config["EMAIL_CONFIRMATION_RESEND_MINUTES"])
    return db.session.scalar(
        select(func.max(OutboxMessage.created_at))
        .where(OutboxMessage.recipient_id == user.id, OutboxMessage.event == event, OutboxMessage.created_at > since))


# Confirming the address --------------------------------------------------------------

def _send_confirmation(user: User, next_path: str) -> None:
    """Queue a new single-use confirmation link to `user` (the caller commits)."""
    token = secrets.token_urlsafe(32)
    hours = current_app.config["EMAIL_CONFIRMATION_TTL_HOURS"]
    db.session.add(EmailConfirmation(user_id=user.id, token_hash=token_hash(token),
                                     expires_at=utcnow() + timedelta(hours=hours)))
    link = public_url(url_for("accounts.confirm", token=token))
    if next_path:
        link += "?" + urlencode({"next": next_path})
    with in_language(user.language):
        paragraphs = [
            _("Hello %(name)s,", name=user.name),
            _("Please confirm that %(email)s is your address: open this link and press “Confirm my address”. "
              "It logs you in.", email=user.email),
            link,
            ngettext("The link works once, for %(num)d hour. Until you confirm, you can log in and look around, "
                     "but not accept invitations or sign agreements.",
                     "The link works once, for %(num)d hours. Until you confirm, you can log in and look around, "
                     "but not accept invitations or sign agreements.", hours),
            _("If you did not create an account, ignore this message: without the link nothing happens."),
        ]
        subject = _("Confirm your e-mail address")
    queue_account_email(user, CONFIRMATION_EVENT, subject, "\n\n".join(paragraphs))


def resend_confirmation(user: User, next_path: str = "") -> None:
    """E-mail `user` a fresh confirmation link, at most once every EMAIL_CONFIRMATION_RESEND_MINUTES."""
    if user.email_verified_at is not None:
        raise ConfirmationInvalid(_("Your e-mail address is already confirmed."))
    last = _last_message_at(user, CONFIRMATION_EVENT)
    if last is not None:
        wait = current_app.config["EMAIL_CONFIRMATION_RESEND_MINUTES"]
        raise ConfirmationThrottled(ngettext(
            "A confirmation link was sent to %(email)s at %(time)s UTC. Check your inbox and spam folder; "
            "you can ask for another one %(num)d minute after the last.",
            "A confirmation link was sent to %(email)s at %(time)s UTC. Check your inbox and spam folder; "
            "you can ask for another one %(num)d minutes after the last.", wait, email=user.email, time=last.strftime("%H:%M")))
    _send_confirmation(user, next_path)
    record("account.confirmation_sent", actor=user)
    db.session.commit()


def find_confirmation(token: str) -> EmailConfirmation:
    """The pending confirmation behind `token`; ConfirmationInvalid says why there is none."""
    found = db.session.scalar(select(EmailConfirmation).where(EmailConfirmation.token_hash == token_hash(token)))
    if found is None:
        raise ConfirmationInvalid(_("This confirmation link is not valid. Copy the whole link from the e-mail."))
    if found.used_at is not None:
        raise ConfirmationInvalid(_("This confirmation link has already been used. Log in with your password."))
    if found.expires_at <= utcnow():
        raise ConfirmationInvalid(_("This confirmation link has expired. Log in and ask for a new one."))
    return found


def confirm_email(token: str) -> User:
    """Mark the address behind `token` confirmed and log its owner in. The token works once, even under a race."""
    found = find_confirmation(token)
    now = utcnow()
    claimed = db.session.execute(
        update(EmailConfirmation)
        .where(EmailConfirmation.id == found.id, EmailConfirmation.used_at.is_(None), EmailConfirmation.expires_at > now)
        .values(used_at=now)
    ).rowcount
    if claimed != 1:
        db.session.rollback()
        raise ConfirmationInvalid(_("This confirmation link has already been used. Log in with your password."))
    user = db.session.get(User, found.user_id)
    if user.email_verified_at is None:
        user.email_verified_at = now
        record("account.email_confirmed", actor=user)
    start_session(user)
    db.session.commit()
    return user


def unconfirmed_refusal(user: User, doing: str) -> str | None:
    """Why `user` may not do `doing` ("accept an invitation", "sign") yet; None once the address is confirmed."""
    if user.email_verified_at is not None:
        return None
    # Whole sentences per action, so each language words the action its own way.
    if doing == "sign":
        return _("Confirm your e-mail address before you sign: open the link we e-mailed to %(email)s. "
                 "Nothing arrived? Use “Send the link again”.", email=user.email)
    if doing == "accept an invitation":
        return _("Confirm your e-mail address before you accept an invitation: open the link we e-mailed to "
                 "%(email)s. Nothing arrived? Use “Send the link again”.", email=user.email)
    return _("Confirm your e-mail address first: open the link we e-mailed to %(email)s. "
             "Nothing arrived? Use “Send the link again”.", email=user.email)


# Logging in --------------------------------------------------------------------------

def _failures_since(since, *conditions) -> int:
    return db.session.scalar(
        select(func.count()).select_from(LoginFailure).where(LoginFailure.at > since, *conditions))


def _throttled(email: str, ip: str) -> bool:
    """Too many recent failures for this account from this address, from this address at all, or for the account.

    The account is held back per (account, address) pair, so an attacker's flood does not
    lock out the owner logging in from elsewhere; one address can reach at most
    4 x 10 failures an hour on an account, well under the hourly ceiling that stops a
    slow guess spread over many addresses.
    """
    config = current_app.config
    now = utcnow()
    window = now - timedelta(minutes=config["LOGIN_WINDOW_MINUTES"])
    return (
        _failures_since(window, LoginFailure.email == email, LoginFailure.ip == ip)
        >= config["LOGIN_MAX_FAILURES_PER_ACCOUNT_AND_IP"]
        or _failures_since(window, LoginFailure.ip == ip) >= config["LOGIN_MAX_FAILURES_PER_IP"]
        or _failures_since(now - timedelta(hours=1), LoginFailure.email == email)
        >= config["LOGIN_MAX_FAILURES_PER_ACCOUNT_PER_HOUR"]
    )


def authenticate(email: str, password: str) -> User:
    """Check e-mail and password and sign the user in; refuse when too many attempts failed."""
    email = normalize_email(email)
    ip = client_ip() or "-"
    config = current_app.config
    if _throttled(email, ip):
        record("account.login_throttled", email=email)
        db.session.commit()
        raise LoginThrottled(ngettext(
            "Too many failed log-ins. Wait %(num)d minute, then try again.",
            "Too many failed log-ins. Wait %(num)d minutes, then try again.", config["LOGIN_WINDOW_MINUTES"]))
    user = find_user_by_email(email)
    if user is None:
        verify_dummy(password)
    if user is None or not verify_password(user.password_hash, password):
        # Kept for an hour at least: the per-account ceiling counts over an hour.
        keep = max(timedelta(minutes=config["LOGIN_WINDOW_MINUTES"]), timedelta(hours=1))
        db.session.execute(delete(LoginFailure).where(LoginFailure.at <= utcnow() - keep))
        db.session.add(LoginFailure(email=email, ip=ip))
        record("account.login_failed", actor=user, email=email)
        db.session.commit()
        raise InvalidCredentials(_("Wrong e-mail address or password."))
    # Only this address's failures are forgiven: someone else's guesses from elsewhere still count.
    db.session.execute(delete(LoginFailure).where(LoginFailure.email == email, LoginFailure.ip == ip))
    record("account.logged_in", actor=user)
    start_session(user)
    db.session.commit()
    return user


def change_password(user: User, current_password: str, new_password: str) -> None:
    """Set a new password; every other session and every API token of the user ends, this browser gets a new
    session."""
    if not verify_password(user.password_hash, current_password):
        raise InvalidCredentials(_("Your current password is not correct."))
    user.password_hash = hash_password(new_password)
    user.password_changed_at = utcnow()
    revoke_all_sessions(user)
    # An API token made by whoever knew the old password must not outlive it either.
    revoked = db.session.execute(update(ApiToken).where(ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None))
                                 .values(revoked_at=user.password_changed_at)).rowcount
    record("account.password_changed", actor=user, api_tokens_revoked=revoked)
    start_session(user)
    db.session.commit()
