"""Helpers for what a Word export says around the agreement's text.

The export's own words are gettext messages, rendered inside `in_language(agreement
language)` (authoring.i18n): one catalogue per language serves the interface and the
documents. Clause text is what the parties wrote and is never translated.
"""
from __future__ import annotations

import re
from datetime import datetime, timezone

from flask_babel import pgettext

from ..i18n import in_language

# Word's proofing language (w:lang) and the document's language property.
LOCALES = {"en": "en-GB", "es": "es-ES", "pl": "pl-PL", "he": "he-IL", "ru": "ru-RU", "tl": "fil-PH", "ar": "ar-SA"}
VERIFY_COMMAND = "flask --app app verify FILE"
_PLACEHOLDER = re.compile(r"%\((\w+)\)s")


def with_fields(sentence: str, text=None, **fields) -> list:
    """A translated sentence cut at its `%(name)s` placeholders, each replaced by `fields[name]`.

    "Page %(page)s of %(pages)s" with two Word fields gives ["Page ", PAGE, " of ", NUMPAGES],
    so a translation may put the fields in any order ("עמוד %(page)s מתוך %(pages)s").
    `text`, when given, turns each piece of the sentence itself into a span (a smaller size).
    """
    pieces: list = []
    for index, piece in enumerate(_PLACEHOLDER.split(sentence)):
        if index % 2:
            pieces.append(fields[piece])
        elif piece:
            pieces.append(text(piece) if text else piece)
    return pieces


def status_word(status: str) -> str:
    """An agreement's status as a document states it, in the current language ("negotiating")."""
    words = {
        "draft": pgettext("agreement status", "draft"),
        "negotiating": pgettext("agreement status", "negotiating"),
        "ready": pgettext("agreement status", "ready"),
        "signing": pgettext("agreement status", "signing"),
        "executed": pgettext("agreement status", "executed"),
        "in_review": pgettext("agreement status", "in_review"),  # as stored, so English files stay as they were
        "terminated": pgettext("agreement status", "terminated"),
        "expired": pgettext("agreement status", "expired"),
    }
    return words.get(status, status)


def utc_text(when: datetime) -> str:
    """'2025-03-01 14:05:09 UTC'; a naive datetime is taken to be UTC already, as the records say."""
    if when.tzinfo is not None:
        when = when.astimezone(timezone.utc)
    return when.strftime("%Y-%m-%d %H:%M:%S UTC")


def document_words(language: str) -> dict[str, str]:
    """The title block's and contents' words in the agreement's language, as its Word export writes them."""
    with in_language(language):
        return {"and": pgettext("title page: between the provider and the client", "and"),
                "contents": pgettext("table of contents of a document", "Contents")}
