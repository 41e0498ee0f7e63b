"""Settings read from the environment, with defaults that are safe for development.

Every setting here is listed in README.md's configuration table.
"""
from __future__ import annotations

import hashlib
import hmac
import os
import secrets
from pathlib import Path
from urllib.parse import urlsplit

from flask import current_app, has_request_context, request

LANGUAGES = {
    "en": "English",
    "es": "Español",
    "pl": "Polski",
    "he": "עברית",
    "ru": "Русский",
    "tl": "Tagalog",
}
RTL_LANGUAGES = frozenset({"he", "ar"})
# Where `flask run` serves by default: the public address of a development process that
# has no request to go by (CLI commands such as `demo` or `reminders send`).
DEVELOPMENT_URL = "http://127.0.0.1:5000"


class ConfigError(RuntimeError):
    """The environment does not allow the app to start safely."""


def _flag(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _int(name: str, default: int) -> int:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    try:
        return int(value)
    except ValueError as exc:
        raise ConfigError(f"{name} must be a whole number, got {value!r}") from exc


def _secret_key(instance_path: Path, production: bool) -> str:
    """SECRET_KEY from the environment; in development, generated once into the instance folder."""
    key = os.environ.get("SECRET_KEY")
    if key:
        return key
    if production:
        raise ConfigError(
            "SECRET_KEY is not set. In production the key must come from the environment "
            "(for example: export SECRET_KEY=$(python -c 'import secrets; print(secrets.token_hex(32))'))."
        )
    path = instance_path / "secret_key"
    if path.exists():
        return path.read_text(encoding="utf-8").strip()
    key = secrets.token_hex(32)
    # Written with 0600 so other local users cannot forge sessions.
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(key)
    return key


def _sealing_key(name: str, secret: str, production: bool, seals: str, verifies: str, purpose: bytes) -> str:
    """A key that seals records (SIGNATURE_KEY, AUDIT_KEY): from the environment, required in
    production; in development derived from SECRET_KEY, distinct for each `purpose`."""
    key = os.environ.get(name)
    if key:
        return key
    if production:
        raise ConfigError(
            f"{name} is not set. In production the key that seals {seals} must come from the "
            f"environment and stay the same for as long as {verifies} must verify."
        )
    return hmac.new(secret.encode("utf-8"), purpose, hashlib.sha256).hexdigest()


def _public_url(production: bool) -> str:
    """PUBLIC_URL without its trailing slash; required in production, empty (derived) in development."""
    value = (os.environ.get("PUBLIC_URL") or "").strip().rstrip("/")
    if value:
        parts = urlsplit(value)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise ConfigError(f"PUBLIC_URL must be an http(s) address such as https://agreements.example.com, got {value!r}")
        return value
    if production:
        raise ConfigError(
            "PUBLIC_URL is not set. In production links in e-mails, the calendar feed and signed documents "
            "need the site's public address (for example: export PUBLIC_URL=https://agreements.example.com)."
        )
    return ""


def public_url(path: str = "") -> str:
    """The absolute address of `path` on this site, for every link that leaves it.

    E-mails, the calendar feed, invitation links and signed documents are read outside
    the browser that caused them, so they use PUBLIC_URL. In development, when it is not
    set, the address the app is actually serving (this request's host) is used, or, with
    no request (CLI), `flask run`'s default address.
    """
    if path and not path.startswith("/"):
        path = "/" + path
    base = (current_app.config.get("PUBLIC_URL") or "").rstrip("/")
    if not base:
        base = request.host_url.rstrip("/") if has_request_context() else DEVELOPMENT_URL
    return base + path


def configured_public_url(path: str = "") -> str:
    """Like `public_url`, but never from the request: PUBLIC_URL, else `flask run`'s default address.

    For text that must come out the same whoever asks (documents signed before their
    address was recorded, which are verified by rendering them again).
    """
    return (current_app.config.get("PUBLIC_URL") or DEVELOPMENT_URL).rstrip("/") + path


def settings_from_environment(instance_path: Path, overrides: dict | None = None) -> dict:
    """Return the Flask config for this process's environment, with `overrides` applied last."""
    overrides = overrides or {}
    instance_path.mkdir(parents=True, exist_ok=True)
    production = os.environ.get("APP_ENV", "development").strip().lower() == "production"
    default_db = f"sqlite:///{instance_path / 'authoring.sqlite3'}"
    secret = overrides.get("SECRET_KEY") or _secret_key(instance_path, production)
    settings = {
        "APP_ENV": "production" if production else "development",
        "SECRET_KEY": secret,
        "SIGNATURE_KEY": overrides.get("SIGNATURE_KEY") or _sealing_key(
            "SIGNATURE_KEY", secret, production, "signatures", "signed agreements", b"accord signature key"),
        "AUDIT_KEY": overrides.get("AUDIT_KEY") or _sealing_key(
            "AUDIT_KEY", secret, production, "the audit log", "the log", b"accord audit key"),
        "DATABASE_URL": os.environ.get("DATABASE_URL") or default_db,
        "SQLITE_BUSY_TIMEOUT_MS": _int("SQLITE_BUSY_TIMEOUT_MS", 5000),
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": _flag("SESSION_COOKIE_SECURE", production),
        "SESSION_LIFETIME_HOURS": _int("SESSION_LIFETIME_HOURS", 12),
        "MAX_CONTENT_LENGTH": _int("MAX_CONTENT_LENGTH", 16 * 1024 * 1024),
        "INVITATION_TTL_HOURS": _int("INVITATION_TTL_HOURS", 7 * 24),
        "LOGIN_WINDOW_MINUTES": _int("LOGIN_WINDOW_MINUTES", 15),
        # An account is held back per (account, IP address), so a flood from one address does not lock
        # out its owner elsewhere; the hourly ceiling per account stops slow attacks from many addresses.
        "LOGIN_MAX_FAILURES_PER_ACCOUNT_AND_IP": _int("LOGIN_MAX_FAILURES_PER_ACCOUNT_AND_IP", 10),
        "LOGIN_MAX_FAILURES_PER_IP": _int("LOGIN_MAX_FAILURES_PER_IP", 50),
        "LOGIN_MAX_FAILURES_PER_ACCOUNT_PER_HOUR": _int("LOGIN_MAX_FAILURES_PER_ACCOUNT_PER_HOUR", 100),
        "EMAIL_CONFIRMATION_TTL_HOURS": _int("EMAIL_CONFIRMATION_TTL_HOURS", 48),
        "EMAIL_CONFIRMATION_RESEND_MINUTES": _int("EMAIL_CONFIRMATION_RESEND_MINUTES", 5),
        "PROXY_COUNT": _int("PROXY_COUNT", 0),
        # Requests one API token may make a minute (counted in the database, across processes).
        "API_RATE_LIMIT": _int("API_RATE_LIMIT", 300),
        "PASSWORD_HASH_PROFILE": os.environ.get("PASSWORD_HASH_PROFILE", "default"),
        "WTF_CSRF_TIME_LIMIT": _int("WTF_CSRF_TIME_LIMIT", 3600),
        # Without SMTP_HOST, `outbox send` writes e-mails to the "authoring.mail" log instead.
        "SMTP_HOST": os.environ.get("SMTP_HOST", ""),
        "SMTP_PORT": _int("SMTP_PORT", 25),
        "SMTP_USERNAME": os.environ.get("SMTP_USERNAME", ""),
        "SMTP_PASSWORD": os.environ.get("SMTP_PASSWORD", ""),
        "SMTP_STARTTLS": _flag("SMTP_STARTTLS", False),
        "MAIL_FROM": os.environ.get("MAIL_FROM") or "agreements@localhost",
        # Encrypts webhook endpoints' signing secrets in the database; empty: a key derived from SECRET_KEY.
        "WEBHOOK_KEY": os.environ.get("WEBHOOK_KEY", ""),
        # Webhooks go to public addresses only, unless this allows private and local ones (development, tests).
        "WEBHOOKS_ALLOW_PRIVATE": _flag("WEBHOOKS_ALLOW_PRIVATE", False),
        # Links in e-mails start with this; read it through public_url(), which has the development default.
        "PUBLIC_URL": _public_url(production),
    }
    settings.update(overrides)
    return settings
