"""Endpoint secrets: made, kept encrypted, and used to sign each delivery.

Every delivery carries three headers, so a receiver can check it came from us, unchanged,
and recently, and drop a second copy of an event it already handled:

    Webhook-Id:        the event's id (the same on every retry)
    Webhook-Timestamp: the attempt's time, in whole seconds since 1970 (UTC)
    Webhook-Signature: v1=<hex HMAC-SHA256 of "{id}.{timestamp}.{body}" under the secret>

The key of the HMAC is the secret exactly as shown to the owner ("whsec_…"), as UTF-8.
The secret must be read again for every delivery, so it cannot be stored as a hash; it is
stored encrypted (Fernet: AES-128-CBC with an HMAC) under WEBHOOK_KEY, or, when that is not
set, a key derived from SECRET_KEY - so a copy of the database alone does not sign anything.
"""
from __future__ import annotations

import base64
import hashlib
import hmac
import secrets

from cryptography.fernet import Fernet, InvalidToken
from flask import current_app

SECRET_PREFIX = "whsec_"
SIGNATURE_VERSION = "v1"


class SecretUnreadable(RuntimeError):
    """A stored secret no longer decrypts: WEBHOOK_KEY (or SECRET_KEY) changed since it was made."""


def new_secret() -> str:
    """A fresh signing secret (256 random bits), shown once to the owner."""
    return SECRET_PREFIX + secrets.token_urlsafe(32)


def _fernet() -> Fernet:
    material = current_app.config.get("WEBHOOK_KEY") or current_app.config["SECRET_KEY"]
    # Derived for this one purpose, so the key is never the one that signs sessions.
    key = hmac.new(material.encode("utf-8"), b"accord webhook secrets", hashlib.sha256).digest()
    return Fernet(base64.urlsafe_b64encode(key))


def seal_secret(secret: str) -> str:
    """The secret encrypted for storage."""
    return _fernet().encrypt(secret.encode("utf-8")).decode("ascii")


def open_secret(sealed: str) -> str:
    """The stored secret decrypted; SecretUnreadable when the key it was sealed with is gone."""
    try:
        return _fernet().decrypt(sealed.encode("ascii")).decode("utf-8")
    except (InvalidToken, ValueError) as error:
        raise SecretUnreadable("the endpoint's secret cannot be decrypted (WEBHOOK_KEY or SECRET_KEY changed "
                               "since it was made): rotate the secret") from error


def signature(secret: str, event_id: str, timestamp: int, body: bytes) -> str:
    """The Webhook-Signature header's value for one attempt."""
    signed = f"{event_id}.{timestamp}.".encode("utf-8") + body
    return f"{SIGNATURE_VERSION}={hmac.new(secret.encode('utf-8'), signed, hashlib.sha256).hexdigest()}"
