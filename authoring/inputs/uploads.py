"""Files people upload, or hand to a command: one size limit, the app's MAX_CONTENT_LENGTH.

A page's upload cannot pass the limit on a request's body (Flask answers 413 before the
view runs, and the error page says how large is too large); a file a command reads
(`flask import word`, `flask verify`) is held to the same limit here, in the same words,
so a file refused on a page is refused at the command line too.
"""
from __future__ import annotations

from typing import BinaryIO

from flask import current_app
from flask_babel import format_decimal
from flask_babel import gettext as _


def upload_limit() -> int:
    """The largest file accepted, in bytes."""
    return current_app.config["MAX_CONTENT_LENGTH"]


def upload_limit_mib() -> str:
    """The limit in MiB, as the person's language writes numbers ("16", "0.5")."""
    return format_decimal(upload_limit() / 2**20)


def read_upload(stream: BinaryIO) -> bytes:
    """The file's bytes, up to one past the limit: enough to tell a file too large, never more."""
    return stream.read(upload_limit() + 1)


def too_large(raw: bytes) -> str | None:
    """Why `raw` is refused for its size, in the person's language (None: within the limit)."""
    if len(raw) <= upload_limit():
        return None
    return _("The file is larger than %(size)s MiB.", size=upload_limit_mib())
