"""E-mail notifications: queued with the event, sent by `flask outbox send` over SMTP or to the log."""
from __future__ import annotations

import json
import logging
import socket
from email import message_from_bytes, policy

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import select

from authoring.extensions import db
from authoring.models import Agreement, OutboxMessage
from authoring.notifications import queue_email, recipients

HEBREW_SUBJECT = "הצעה 3 על „הסכם שירות”: תגובה נדרשת"
HEBREW_BODY = "שלום,\nהספק שלח גרסה חדשה של ההסכם.\n\nסיבה: זמני תגובה קצרים יותר"


def free_port() -> int:
    """A port nothing listens on (bound, then released)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Inbox:
    """aiosmtpd handler keeping every message it accepts."""

    def __init__(self):
        self.received = []  # (envelope recipients, parsed message)

    async def handle_DATA(self, server, session, envelope):
        self.received.append((list(envelope.rcpt_tos), message_from_bytes(envelope.content, policy=policy.default)))
        return "250 OK"


@pytest.fixture
def smtp_server(app):
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    app.config.update(SMTP_HOST="127.0.0.1", SMTP_PORT=controller.port)
    yield inbox
    controller.stop()


@pytest.fixture
def negotiation(make_user, make_agreement, add_member):
    """An agreement with an owner and two client members; returns (agreement id, owner, others)."""
    owner = make_user("owner@example.com", name="Olga Owner")
    client_editor = make_user("editor@example.com", name="Eli Editor")
    client_viewer = make_user("viewer@example.com", name="Vera Viewer")
    agreement_id = make_agreement(owner)
    add_member(agreement_id, client_editor, "client", "editor")
    add_member(agreement_id, client_viewer, "client", "viewer")
    return agreement_id, owner, (client_editor, client_viewer)


def queue(app, agreement_id, subject, body, **filters):
    with app.app_context():
        agreement = db.session.get(Agreement, agreement_id)
        queue_email(agreement, recipients(agreement, **filters), "test.event", subject, body)
        db.session.commit()


def outbox(app) -> list[OutboxMessage]:
    with app.app_context():
        return list(db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)))


def test_recipients_filter_by_side_and_role_and_leave_out_the_actor(app, negotiation):
    agreement_id, owner, (editor, viewer) = negotiation
    with app.app_context():
        agreement = db.session.get(Agreement, agreement_id)
        emails = lambda users: [u.email for u in users]  # noqa: E731
        assert emails(recipients(agreement)) == [owner.email, editor.email, viewer.email]
        assert emails(recipients(agreement, sides=("client",))) == [editor.email, viewer.email]
        assert emails(recipients(agreement, roles=("owner", "editor"), exclude=owner)) == [editor.email]
        assert emails(recipients(agreement, sides="client", roles="viewer")) == [viewer.email]


def test_queued_messages_belong_to_the_callers_transaction(app, negotiation):
    agreement_id, owner, (editor, _viewer) = negotiation
    app.config["PUBLIC_URL"] = "https://accord.example"
    with app.app_context():
        agreement = db.session.get(Agreement, agreement_id)
        queue_email(agreement, [editor, owner, editor], "test.event", "Hello", "Text")
        db.session.rollback()
        assert outbox(app) == []
        messages = queue_email(agreement, [editor, owner, editor], "test.event", "Hello", "Text", path="proposals/3")
        db.session.commit()
    assert [m.to_address for m in messages] == [editor.email, owner.email]  # the duplicate is skipped
    assert messages[0].body == f"Text\n\nhttps://accord.example/agreements/{agreement_id}/proposals/3\n"


def test_without_smtp_messages_go_to_the_log_once(app, runner, negotiation, caplog):
    agreement_id, _owner, (editor, viewer) = negotiation
    queue(app, agreement_id, "Your move on “Support”", "Revision 2 is waiting.", sides=("client",))
    with caplog.at_level(logging.INFO, logger="authoring.mail"):
        result = runner.invoke(args=["outbox", "send"])
    assert result.exit_code == 0, result.output
    assert "sent 2 messages, 0 failed" in result.output
    logged = [json.loads(r.getMessage()) for r in caplog.records if r.name == "authoring.mail"]
    assert [(line["to"], line["subject"]) for line in logged] == [
        (editor.email, "Your move on “Support”"), (viewer.email, "Your move on “Support”")]
    assert all(m.sent_at is not None and m.transport == "log" and m.attempts == 1 for m in outbox(app))

    again = runner.invoke(args=["outbox", "send"])
    assert again.exit_code == 0 and "sent 0 messages, 0 failed" in again.output


def test_smtp_server_receives_the_exact_utf8_subject_and_body(app, runner, negotiation, smtp_server):
    agreement_id, owner, (editor, viewer) = negotiation
    app.config["PUBLIC_URL"] = "https://accord.example"
    queue(app, agreement_id, HEBREW_SUBJECT, HEBREW_BODY, exclude=owner)
    result = runner.invoke(args=["outbox", "send"])
    assert result.exit_code == 0, result.output
    assert "sent 2 messages, 0 failed" in result.output
    link = f"{app.config['PUBLIC_URL']}/agreements/{agreement_id}"
    assert [to for to, _message in smtp_server.received] == [[editor.email], [viewer.email]]
    for (_to, message), user in zip(smtp_server.received, (editor, viewer)):
        assert message["To"] == user.email and message["From"] == "agreements@localhost"
        assert message["Subject"] == HEBREW_SUBJECT
        assert message.get_content_charset() == "utf-8"
        assert message.get_content().replace("\r\n", "\n") == f"{HEBREW_BODY}\n\n{link}\n"
    assert all(m.transport == "smtp" and m.sent_at is not None for m in outbox(app))


def test_unreachable_smtp_server_leaves_messages_for_the_next_run(app, runner, negotiation):
    agreement_id, owner, _others = negotiation
    app.config.update(SMTP_HOST="127.0.0.1", SMTP_PORT=free_port())
    queue(app, agreement_id, "Hello", "Text", exclude=owner)
    result = runner.invoke(args=["outbox", "send"])
    assert result.exit_code == 1
    assert "sent 0 messages, 2 failed" in result.output
    messages = outbox(app)
    assert len(messages) == 2
    assert all(m.sent_at is None and m.transport is None and m.attempts == 1 and m.last_error for m in messages)


def test_a_line_break_in_the_subject_cannot_add_a_header(app, runner, negotiation, smtp_server, caplog):
    agreement_id, owner, (editor, _viewer) = negotiation
    queue(app, agreement_id, "Hello\r\nBcc: attacker@example.com\nX-Evil: 1", "Text", roles=("editor",))
    (stored,) = outbox(app)
    assert stored.subject == "Hello Bcc: attacker@example.com X-Evil: 1"
    result = runner.invoke(args=["outbox", "send"])
    assert result.exit_code == 0, result.output
    ((to, message),) = smtp_server.received
    assert to == [editor.email]
    assert message["Bcc"] is None and message["X-Evil"] is None
    assert message["Subject"] == "Hello Bcc: attacker@example.com X-Evil: 1"
