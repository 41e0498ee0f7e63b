"""Account operations: register, authenticate (throttled), change password."""
from __future__ import annotations

from datetime import timedelta

from flask import current_app
from sqlalchemy import delete, func, select

from ..audit import client_ip, record
from ..extensions import db
from ..models import LoginFailure, User, utcnow
from .passwords import hash_password, verify_dummy, verify_password
from .sessions import revoke_all_sessions, start_session


class AccountError(Exception):
    """A user-facing refusal; str(error) is the message to show."""


class EmailTaken(AccountError):
    pass


class InvalidCredentials(AccountError):
    pass


class LoginThrottled(AccountError):
    pass


def normalize_email(email: str) -> str:
    return email.strip().lower()


def find_user_by_email(email: str) -> User | None:
    return db.session.scalar(select(User).where(User.email == normalize_email(email)))


def register_user(email: str, name: str, password: str) -> User:
    """Create an account and sign it in."""
    email = normalize_email(email)
    if find_user_by_email(email) is not None:
        raise EmailTaken("An account with this e-mail address already exists. Log in instead.")
    user = User(email=email, name=name.strip(), password_hash=hash_password(password))
    db.session.add(user)
    db.session.flush()
    record("account.registered", actor=user)
    start_session(user)
    db.session.commit()
    return user


def _recent_failures(column, value: str) -> int:
    since = utcnow() - timedelta(minutes=current_app.config["LOGIN_WINDOW_MINUTES"])
    return db.session.scalar(select(func.count()).select_from(LoginFailure).where(column == value, LoginFailure.at > since))


def authenticate(email: str, password: str) -> User:
    """Check e-mail and password and sign the user in; refuse when too many attempts failed."""
    email = normalize_email(email)
    ip = client_ip() or "-"
    config = current_app.config
    if (
        _recent_failures(LoginFailure.email, email) >= config["LOGIN_MAX_FAILURES_PER_ACCOUNT"]
        or _recent_failures(LoginFailure.ip, ip) >= config["LOGIN_MAX_FAILURES_PER_IP"]
    ):
        record("account.login_throttled", email=email)
        db.session.commit()
        raise LoginThrottled(
            f"Too many failed log-ins. Wait {config['LOGIN_WINDOW_MINUTES']} minutes, then try again."
        )
    user = find_user_by_email(email)
    if user is None:
        verify_dummy(password)
    if user is None or not verify_password(user.password_hash, password):
        window_start = utcnow() - timedelta(minutes=config["LOGIN_WINDOW_MINUTES"])
        db.session.execute(delete(LoginFailure).where(LoginFailure.at <= window_start))
        db.session.add(LoginFailure(email=email, ip=ip))
        record("account.login_failed", actor=user, email=email)
        db.session.commit()
        raise InvalidCredentials("Wrong e-mail address or password.")
    db.session.execute(delete(LoginFailure).where(LoginFailure.email == email))
    record("account.logged_in", actor=user)
    start_session(user)
    db.session.commit()
    return user


def change_password(user: User, current_password: str, new_password: str) -> None:
    """Set a new password; every other session of the user ends, this browser gets a new one."""
    if not verify_password(user.password_hash, current_password):
        raise InvalidCredentials("Your current password is not correct.")
    user.password_hash = hash_password(new_password)
    user.password_changed_at = utcnow()
    revoke_all_sessions(user)
    record("account.password_changed", actor=user)
    start_session(user)
    db.session.commit()
