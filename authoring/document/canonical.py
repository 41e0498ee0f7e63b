"""Canonical JSON and its SHA-256: the bytes every hash in the product is taken over."""
from __future__ import annotations

import hashlib
import json
from datetime import datetime, timezone
from typing import Any


def canonical_json(value: Any) -> bytes:
    """Sorted keys, UTF-8 (not \\u escapes), no insignificant whitespace, no NaN/Infinity."""
    return json.dumps(
        value, sort_keys=True, ensure_ascii=False, separators=(",", ":"), allow_nan=False
    ).encode("utf-8")


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def content_hash(value: Any) -> str:
    """SHA-256 (hex) of `value`'s canonical JSON."""
    return sha256_hex(canonical_json(value))


def utc_timestamp(moment: datetime) -> str:
    """'2027-01-01T09:30:00Z', the time format of every exported file (terms.json, Word revisions and
    comments); a naive datetime is taken to be UTC already (as the database stores it)."""
    if moment.tzinfo is not None:
        moment = moment.astimezone(timezone.utc)
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def token_hash(token: str) -> str:
    """What is stored of a secret token (session, invitation, calendar feed): its SHA-256 only."""
    return sha256_hex(token.encode("utf-8"))
