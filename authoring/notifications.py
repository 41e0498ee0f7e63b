"""E-mail notifications through an outbox.

A service queues its e-mails with `queue_email` in the same transaction as the event
they announce, so a message exists exactly when the event does. `send_outbox` (run by
`flask --app app outbox send`) delivers what is waiting: over SMTP when SMTP_HOST is
set, otherwise as JSON lines on the "authoring.mail" logger. Delivery is at least
once: a message whose sending succeeded but whose marking failed is sent again.

Each message speaks its recipient's language (User.language, else English), not the
language of the person whose action sent it: a subject or body may be given as a
function (or a lazy_gettext string) that `queue_email` calls once per recipient inside
`in_language(recipient.language)`, e.g.

    queue_email(agreement, people, "agreement.executed",
                lambda: _("“%(title)s” is signed by both sides", title=agreement.title),
                lambda: _("Both sides signed revision %(number)d.", number=revision.number))

A plain string is sent as it is, to every recipient.
"""
from __future__ import annotations

import json
import logging
import smtplib
import ssl
from collections.abc import Callable, Iterable
from email.header import Header
from email.message import EmailMessage
from email.policy import EmailPolicy
from email.utils import formatdate, make_msgid

from flask import current_app
from sqlalchemy import select

from .config import public_url
from .extensions import db
from .i18n import in_language
from .models import Agreement, OutboxMessage, User, utcnow

logger = logging.getLogger("authoring.mail")

SUBJECT_MAX = 300  # OutboxMessage.subject
ERROR_MAX = 2000
SMTP_TIMEOUT_SECONDS = 30


# Queueing ---------------------------------------------------------------------------

def recipients(agreement: Agreement, *, sides: Iterable[str] | str | None = None,
               roles: Iterable[str] | str | None = None, exclude: User | None = None) -> list[User]:
    """The agreement's members on `sides` with `roles` (None: any), without `exclude` (the actor)."""
    sides, roles = _as_set(sides), _as_set(roles)
    excluded = exclude.id if exclude is not None else None
    return [m.user for m in agreement.memberships
            if (sides is None or m.side in sides) and (roles is None or m.role in roles)
            and m.user_id != excluded]


# A text of a message: as it is, or composed in the recipient's language (a function, a lazy string).
Text = str | Callable[[], str]


def compose(text, language: str | None) -> str:
    """`text` in `language`: a function is called and a lazy string evaluated inside `in_language`."""
    with in_language(language):
        return str(text() if callable(text) else text)


def _clean_body(body: str) -> str:
    return body.replace("\r\n", "\n").replace("\r", "\n").rstrip()


def queue_email(agreement: Agreement, recipients: Iterable[User], event: str, subject: Text, body: Text,
                path: str = "") -> list[OutboxMessage]:
    """Add one message per distinct recipient to the session; the caller's commit writes them.

    `subject` and `body` are composed in each recipient's language (see the module's notes).
    The body gets a link to the agreement (PUBLIC_URL/agreements/<id><path>) as its last line.
    """
    if agreement.id is None:
        db.session.flush()
    if path and not path.startswith("/"):
        path = "/" + path
    link = public_url(f"/agreements/{agreement.id}{path}")
    messages, seen = [], set()
    for user in recipients:
        address = (user.email or "").strip()
        if not address or address.lower() in seen:
            continue
        seen.add(address.lower())
        text = _clean_body(compose(body, user.language))
        message = OutboxMessage(agreement_id=agreement.id, recipient_id=user.id, to_address=address,
                                subject=clean_subject(compose(subject, user.language)),
                                body=f"{text}\n\n{link}\n" if text else f"{link}\n", event=event)
        db.session.add(message)
        messages.append(message)
    return messages


def queue_account_email(user: User, event: str, subject: Text, body: Text) -> OutboxMessage:
    """Add one message about `user`'s own account (no agreement) to the session; the caller commits.

    `subject` and `body` are composed in the user's language, as in `queue_email`; the body
    carries its own links, made with `public_url`.
    """
    body = _clean_body(compose(body, user.language)) + "\n"
    message = OutboxMessage(agreement_id=None, recipient_id=user.id, to_address=user.email.strip(),
                            subject=clean_subject(compose(subject, user.language)), body=body, event=event)
    db.session.add(message)
    return message


def clean_subject(subject: str) -> str:
    """One line: every run of whitespace, CR/LF and Unicode line separators included, becomes one space.

    A line break in a header would let user-typed text (a title, a reason) add headers.
    """
    return " ".join(subject.split())[:SUBJECT_MAX]


def _as_set(values: Iterable[str] | str | None) -> frozenset[str] | None:
    if values is None:
        return None
    return frozenset((values,) if isinstance(values, str) else values)


# Sending ----------------------------------------------------------------------------

def send_outbox(limit: int | None = None) -> tuple[int, int]:
    """Send unsent messages, oldest first; returns (sent, failed). Each message commits on its own.

    A failed message keeps sent_at empty, counts the attempt and keeps the error; the next
    run tries it again.
    """
    query = select(OutboxMessage.id).where(OutboxMessage.sent_at.is_(None)).order_by(
        OutboxMessage.created_at, OutboxMessage.id)
    if limit is not None:
        query = query.limit(limit)
    pending = list(db.session.scalars(query))
    db.session.commit()
    config = current_app.config
    transport = _SmtpTransport(config) if config.get("SMTP_HOST") else None
    sent = failed = 0
    try:
        for message_id in pending:
            message = _claim(message_id)
            if message is None:  # another sender took it meanwhile
                db.session.commit()
                continue
            message.attempts += 1
            try:
                if transport is None:
                    _log_message(message)
                else:
                    transport.send(_email_for(message, config))
            except (OSError, smtplib.SMTPException, ValueError) as error:
                message.last_error = f"{error.__class__.__name__}: {error}"[:ERROR_MAX]
                logger.warning("%s", json.dumps({"failed": message.id, "to": message.to_address,
                                                 "error": message.last_error}, ensure_ascii=False))
                failed += 1
            else:
                message.sent_at = utcnow()
                message.transport = "log" if transport is None else "smtp"
                sent += 1
            db.session.commit()
    finally:
        if transport is not None:
            transport.close()
    return sent, failed


def _claim(message_id: int) -> OutboxMessage | None:
    """The message if it is still unsent.

    On PostgreSQL its row stays locked until it is marked, so a second sender running at
    the same time skips it. SQLite has one write lock for the whole database (taken up
    front, see database.py); it is released before talking to the mail server, not held.
    """
    query = (select(OutboxMessage)
             .where(OutboxMessage.id == message_id, OutboxMessage.sent_at.is_(None))
             .execution_options(populate_existing=True))
    if db.engine.dialect.name == "sqlite":
        message = db.session.scalar(query)
        db.session.commit()
        return message
    return db.session.scalar(query.with_for_update(skip_locked=True))


def _log_message(message: OutboxMessage) -> None:
    # json.dumps escapes CR/LF, so text in a message cannot forge log lines.
    logger.info("%s", json.dumps({"message": message.id, "event": message.event, "agreement": message.agreement_id,
                                  "to": message.to_address, "subject": message.subject, "body": message.body},
                                 ensure_ascii=False))


class _MailPolicy(EmailPolicy):
    """Python's default e-mail policy, except for how a non-ASCII Subject is folded.

    Where the default folder breaks a long non-ASCII subject between two encoded words
    it leaves the space between them outside both, and readers drop it (RFC 2047), so
    "שירות: תגובה" arrives as "שירות:תגובה" (CPython gh-92081, gh-144156; a fifth of
    our multilingual test subjects on 3.11). email.header.Header encodes every space
    inside the words.
    """

    def fold(self, name, value):
        if name.lower() == "subject" and not self.utf8 and not str(value).isascii():
            encoded = Header(str(value), "utf-8", header_name=name).encode(linesep=self.linesep)
            return f"{name}: {encoded}{self.linesep}"
        return super().fold(name, value)

    def fold_binary(self, name, value):
        if name.lower() == "subject" and not self.utf8 and not str(value).isascii():
            return self.fold(name, value).encode("ascii")
        return super().fold_binary(name, value)


MAIL_POLICY = _MailPolicy()


def _email_for(message: OutboxMessage, config) -> EmailMessage:
    sender = config.get("MAIL_FROM") or "agreements@localhost"
    # Like the default policy, MAIL_POLICY refuses CR/LF in header values.
    email = EmailMessage(policy=MAIL_POLICY)
    email["From"] = sender
    email["To"] = message.to_address
    email["Subject"] = clean_subject(message.subject)
    email["Date"] = formatdate(usegmt=True)
    email["Message-ID"] = make_msgid(domain=sender.rpartition("@")[2].strip("> ") or "localhost")
    email["Auto-Submitted"] = "auto-generated"  # RFC 3834: no vacation replies
    # Quoted-printable keeps the message 7-bit, so any relay accepts it whatever the language.
    email.set_content(message.body, charset="utf-8", cte="quoted-printable")
    return email


class _SmtpTransport:
    """One SMTP connection for a run, opened on first use and reopened after a drop.

    If the server cannot be reached, the rest of the run fails with the same error
    instead of waiting for a timeout once per message.
    """

    def __init__(self, config) -> None:
        self.host = config["SMTP_HOST"]
        self.port = int(config.get("SMTP_PORT") or 25)
        self.starttls = bool(config.get("SMTP_STARTTLS"))
        self.username = config.get("SMTP_USERNAME") or ""
        self.password = config.get("SMTP_PASSWORD") or ""
        self._connection: smtplib.SMTP | None = None
        self._unreachable: Exception | None = None

    def send(self, email: EmailMessage) -> None:
        if self._unreachable is not None:
            raise self._unreachable
        if self._connection is None:
            try:
                self._connection = self._connect()
            except (OSError, smtplib.SMTPException) as error:
                self._unreachable = error
                raise
        try:
            self._connection.send_message(email)
        except (OSError, smtplib.SMTPServerDisconnected):
            self.close()
            raise

    def _connect(self) -> smtplib.SMTP:
        connection = smtplib.SMTP(self.host, self.port, timeout=SMTP_TIMEOUT_SECONDS)
        try:
            if self.starttls:
                connection.starttls(context=ssl.create_default_context())
            if self.username:
                connection.login(self.username, self.password)
        except BaseException:
            connection.close()
            raise
        return connection

    def close(self) -> None:
        connection, self._connection = self._connection, None
        if connection is None:
            return
        try:
            connection.quit()
        except (OSError, smtplib.SMTPException):
            connection.close()
