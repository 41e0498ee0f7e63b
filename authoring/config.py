"""Settings read from the environment, with defaults that are safe for development.

Every setting here is listed in README.md's configuration table.
"""
from __future__ import annotations

import hashlib
import hmac
import os
import secrets
from pathlib import Path

LANGUAGES = {
    "en": "English",
    "es": "Español",
    "pl": "Polski",
    "he": "עברית",
    "ru": "Русский",
    "tl": "Tagalog",
}
RTL_LANGUAGES = frozenset({"he", "ar"})


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


def _signature_key(secret: str, production: bool) -> str:
    """SIGNATURE_KEY seals signature records; in development it is derived from SECRET_KEY."""
    key = os.environ.get("SIGNATURE_KEY")
    if key:
        return key
    if production:
        raise ConfigError(
            "SIGNATURE_KEY is not set. In production the key that seals signatures must come from the "
            "environment and stay the same for as long as signed agreements must verify."
        )
    return hmac.new(secret.encode("utf-8"), b"accord signature key", hashlib.sha256).hexdigest()


def _audit_key(secret: str, production: bool) -> str:
    """AUDIT_KEY keys the audit log's chain; in development it is derived from SECRET_KEY."""
    key = os.environ.get("AUDIT_KEY")
    if key:
        return key
    if production:
        raise ConfigError(
            "AUDIT_KEY is not set. In production the key that seals the audit log must come from the "
            "environment and stay the same for as long as the log must verify."
        )
    return hmac.new(secret.encode("utf-8"), b"accord audit key", hashlib.sha256).hexdigest()


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
        "SIGNATURE_KEY": overrides.get("SIGNATURE_KEY") or _signature_key(secret, production),
        "AUDIT_KEY": overrides.get("AUDIT_KEY") or _audit_key(secret, production),
        "DATABASE_URL": os.environ.get("DATABASE_URL") or default_db,
        "SQLITE_BUSY_TIMEOUT_MS": _int("SQLITE_BUSY_TIMEOUT_MS", 5000),
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": _flag("SESSION_COOKIE_SECURE", production),
        "SESSION_LIFETIME_HOURS": _int("SESSION_LIFETIME_HOURS", 12),
        "MAX_CONTENT_LENGTH": _int("MAX_CONTENT_LENGTH", 16 * 1024 * 1024),
        "INVITATION_TTL_HOURS": _int("INVITATION_TTL_HOURS", 7 * 24),
        "LOGIN_WINDOW_MINUTES": _int("LOGIN_WINDOW_MINUTES", 15),
        "LOGIN_MAX_FAILURES_PER_ACCOUNT": _int("LOGIN_MAX_FAILURES_PER_ACCOUNT", 10),
        "LOGIN_MAX_FAILURES_PER_IP": _int("LOGIN_MAX_FAILURES_PER_IP", 50),
        "PROXY_COUNT": _int("PROXY_COUNT", 0),
        "PASSWORD_HASH_PROFILE": os.environ.get("PASSWORD_HASH_PROFILE", "default"),
        "WTF_CSRF_TIME_LIMIT": _int("WTF_CSRF_TIME_LIMIT", 3600),
        # Without SMTP_HOST, `outbox send` writes e-mails to the "authoring.mail" log instead.
        "SMTP_HOST": os.environ.get("SMTP_HOST", ""),
        "SMTP_PORT": _int("SMTP_PORT", 25),
        "SMTP_USERNAME": os.environ.get("SMTP_USERNAME", ""),
        "SMTP_PASSWORD": os.environ.get("SMTP_PASSWORD", ""),
        "SMTP_STARTTLS": _flag("SMTP_STARTTLS", False),
        "MAIL_FROM": os.environ.get("MAIL_FROM") or "agreements@localhost",
        # Links in e-mails start with this; no request tells the sender the site's address.
        "PUBLIC_URL": (os.environ.get("PUBLIC_URL") or "http://127.0.0.1:5000").rstrip("/"),
    }
    settings.update(overrides)
    return settings
