"""Canonical JSON and its SHA-256: the bytes every hash in the product is taken over."""
from __future__ import annotations

import hashlib
import json
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
