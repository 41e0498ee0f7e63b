"""Words the interview and the reviews put into sentences, and e-mails in each recipient's language.

A status is stored as a fixed English value ("negotiating"); a sentence shown to a person
names it in their interface language. An e-mail is written in its recipient's language,
not the language of the person whose action sends it.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable

from flask_babel import lazy_gettext as _l

from ..i18n import in_language
from ..models import Agreement, OutboxMessage, User
from ..notifications import queue_email

# As the word reads inside a sentence ("The agreement is %(status)s: ...").
STATUS_WORDS = {
    "draft": _l("a draft"),
    "negotiating": _l("being negotiated"),
    "ready": _l("ready to sign"),
    "signing": _l("being signed"),
    "executed": _l("executed"),
    "in_review": _l("in review"),
    "terminated": _l("terminated"),
    "expired": _l("expired"),
}


def status_word(status: str) -> str:
    """An agreement's status as a word in a sentence, in the interface language."""
    word = STATUS_WORDS.get(status)
    return str(word) if word is not None else status


def email_each(agreement: Agreement, people: Iterable[User], event: str,
               compose: Callable[[], tuple[str, str]], path: str = "") -> list[OutboxMessage]:
    """Queue one e-mail per person, its subject and body from `compose()` run in that person's language."""
    messages = []
    for person in people:
        with in_language(person.language):
            subject, body = compose()
        messages += queue_email(agreement, [person], event, subject, body, path=path)
    return messages
