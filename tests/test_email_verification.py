"""Confirming the e-mail address: the link, what an unconfirmed account may not do, resending,
and PUBLIC_URL in the links that leave the site."""
from __future__ import annotations

import io
import zipfile
from datetime import date, timedelta

from conftest import CSRF_RE, PASSWORD, confirmation_path, mail_to, post_form, register_and_confirm
from sqlalchemy import func, select, update
from test_invitations import invite
from test_signing import deal, sign, signatures  # noqa: F401 (deal is a fixture)

from authoring.extensions import db
from authoring.models import EmailConfirmation, Membership, OutboxMessage, User, utcnow

NEW = {"name": "Nina Nowak", "email": "nina@example.com", "password": "nina's passphrase", "confirm": "nina's passphrase"}
REFUSED_INVITATION = "Confirm your e-mail address before you accept an invitation"
REFUSED_SIGNATURE = "Confirm your e-mail address before you sign"


def register_unconfirmed(app, next_path: str = ""):
    """Register Nina through the form (not confirmed), then log her in with her password; returns her client."""
    client = app.test_client()
    path = "/register" + (f"?next={next_path}" if next_path else "")
    assert post_form(client, path, NEW).headers["Location"] == "/register/check-inbox"
    assert post_form(client, "/login", {"email": NEW["email"], "password": NEW["password"]}).status_code == 302
    return client


def verified(app, email: str) -> bool:
    with app.app_context():
        return db.session.scalar(select(User.email_verified_at).where(User.email == email)) is not None


def test_an_unconfirmed_account_logs_in_sees_why_and_can_create_an_agreement(app):
    client = register_unconfirmed(app)
    page = client.get("/agreements").get_data(as_text=True)
    assert "Confirm your e-mail address." in page and "nina@example.com" in page
    assert "Send the link again" in page and 'action="/account/confirm/resend"' in page
    created = post_form(client, "/agreements/new", {"title": "My own draft", "language": "en",
                                                     "provider_name": "Nina Ltd", "client_name": "Client Ltd"})
    assert created.status_code == 302


def test_an_unconfirmed_account_cannot_accept_an_invitation_until_it_confirms(app, make_user, login, make_agreement):
    agreement = make_agreement(make_user("lead@example.com"), title="Shared work")
    link = invite(login(app.test_client(), "lead@example.com"), agreement)
    guest = register_unconfirmed(app, next_path=link)

    page = guest.get(link).get_data(as_text=True)
    assert REFUSED_INVITATION in page and "Send the link again" in page and "Accept invitation" not in page
    refused = post_form(guest, link, token_from=link)
    assert refused.status_code == 409 and REFUSED_INVITATION in refused.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Membership).where(Membership.agreement_id == agreement)) == 1

    # The e-mailed link confirms, logs in and leads back to the invitation, which still works.
    confirm = confirmation_path(app, NEW["email"])
    assert "next=%2Finvitations%2F" in confirm
    confirmed = post_form(guest, confirm, token_from=confirm)
    assert confirmed.status_code == 302 and confirmed.headers["Location"] == link
    assert verified(app, NEW["email"])
    assert "Confirm your e-mail address." not in guest.get("/agreements").get_data(as_text=True)
    accepted = post_form(guest, link, token_from=link)
    assert accepted.status_code == 302 and accepted.headers["Location"] == f"/agreements/{agreement}"


def test_an_unconfirmed_signatory_cannot_sign_until_it_confirms(app, deal):  # noqa: F811
    with app.app_context():
        db.session.execute(update(User).where(User.email == "psigner@example.com").values(email_verified_at=None))
        db.session.commit()
    signer = deal.as_("psigner")
    page = signer.get(f"/agreements/{deal.id}/sign").get_data(as_text=True)
    assert REFUSED_SIGNATURE in page and "Send the link again" in page and 'name="password"' not in page
    refused = sign(signer, deal.id)
    assert refused.status_code == 403 and REFUSED_SIGNATURE in refused.get_data(as_text=True)
    assert signatures(app, deal.id) == []

    sent = post_form(signer, "/account/confirm/resend", {"next": f"/agreements/{deal.id}/sign"})
    assert sent.status_code == 302 and sent.headers["Location"] == f"/agreements/{deal.id}/sign"
    confirm = confirmation_path(app, "psigner@example.com")
    assert post_form(signer, confirm, token_from=confirm).headers["Location"] == f"/agreements/{deal.id}/sign"
    assert sign(signer, deal.id).status_code == 302
    assert len(signatures(app, deal.id)) == 1


def test_the_link_works_once_and_opening_it_uses_nothing(app):
    client = app.test_client()
    post_form(client, "/register", NEW)
    link = confirmation_path(app, NEW["email"])
    for _ in range(2):  # a mail scanner opening the link does not use it up
        shown = client.get(link)
        assert shown.status_code == 200 and "Confirm my address" in shown.get_data(as_text=True)
    assert not verified(app, NEW["email"])
    assert post_form(client, link, token_from=link).status_code == 302
    again = app.test_client()
    assert again.get(link).status_code == 410
    used = post_form(again, link, token_from="/login")
    assert used.status_code == 410 and "already been used" in used.get_data(as_text=True)
    assert again.get("/agreements").status_code == 302  # the used link logged nobody in
    unknown = app.test_client().get("/account/confirm/not-a-real-token")
    assert unknown.status_code == 410 and "not valid" in unknown.get_data(as_text=True)


def test_the_link_expires(app):
    client = app.test_client()
    post_form(client, "/register", NEW)
    link = confirmation_path(app, NEW["email"])
    with app.app_context():
        db.session.execute(update(EmailConfirmation).values(expires_at=utcnow() - timedelta(seconds=1)))
        db.session.commit()
    expired = post_form(client, link, token_from="/login")
    assert expired.status_code == 410 and "has expired" in expired.get_data(as_text=True)
    assert not verified(app, NEW["email"]) and client.get("/agreements").status_code == 302


def test_resending_is_throttled(app):
    client = register_unconfirmed(app)

    def resend():
        response = post_form(client, "/account/confirm/resend", {"next": "/agreements"})
        assert response.status_code == 302 and response.headers["Location"] == "/agreements"
        return client.get("/agreements").get_data(as_text=True)

    assert "A confirmation link was sent to nina@example.com" in resend()  # registering sent one a moment ago
    assert len(mail_to(app, NEW["email"])) == 1
    with app.app_context():
        db.session.execute(update(OutboxMessage).values(created_at=utcnow() - timedelta(minutes=6)))
        db.session.commit()
    assert "We sent a new confirmation link to nina@example.com" in resend()
    assert "A confirmation link was sent to nina@example.com" in resend()
    assert len(mail_to(app, NEW["email"])) == 2
    newest = confirmation_path(app, NEW["email"])
    assert post_form(client, newest, token_from=newest).status_code == 302 and verified(app, NEW["email"])
    assert "already confirmed" in resend()


def test_resending_needs_a_login_and_a_safe_destination(app):
    anonymous = post_form(app.test_client(), "/account/confirm/resend", {"next": "/agreements"})
    assert anonymous.status_code == 302 and anonymous.headers["Location"].startswith("/login")
    client = register_unconfirmed(app)
    response = post_form(client, "/account/confirm/resend", {"next": "https://evil.example/"})
    assert response.headers["Location"] == "/agreements"


# PUBLIC_URL ------------------------------------------------------------------------------

def test_links_in_e_mails_and_invitations_use_public_url(app, make_user, login, make_agreement):
    app.config["PUBLIC_URL"] = "https://accord.example"
    post_form(app.test_client(), "/register", NEW)
    (message,) = mail_to(app, NEW["email"])
    assert "https://accord.example/account/confirm/" in message.body and "http://localhost" not in message.body
    owner = make_user("own@example.com")
    agreement = make_agreement(owner)
    page = post_form(login(app.test_client(), "own@example.com"), f"/agreements/{agreement}/invitations",
                     {"side": "client", "role": "owner", "email": ""}).get_data(as_text=True)
    assert 'value="https://accord.example/invitations/' in page


def test_in_development_links_default_to_the_address_the_app_serves(app):
    app.config["PUBLIC_URL"] = ""  # as when the environment does not set it
    served = "http://127.0.0.1:8123"
    client = app.test_client()
    form = client.get("/register", base_url=served).get_data(as_text=True)
    token = next(group for group in CSRF_RE.search(form).groups() if group)
    client.post("/register", data={"csrf_token": token, **NEW}, base_url=served)
    (message,) = mail_to(app, NEW["email"])
    assert f"{served}/account/confirm/" in message.body


def test_a_signed_document_keeps_the_address_it_was_executed_under(app, executed, runner, tmp_path):
    """It is verified by rendering it again: moving the site (a new PUBLIC_URL) must not change it."""
    app.config["PUBLIC_URL"] = "https://first.example"
    agreement = executed(date(2026, 1, 1))
    signer = executed.as_("psign")
    signed = signer.get(f"/agreements/{agreement}/signed.docx").get_data()
    with zipfile.ZipFile(io.BytesIO(signed)) as package:
        assert "https://first.example/verify" in package.read("word/document.xml").decode("utf-8")
    app.config["PUBLIC_URL"] = "https://moved.example"
    assert signer.get(f"/agreements/{agreement}/signed.docx").get_data() == signed
    path = tmp_path / "signed.docx"
    path.write_bytes(signed)
    result = runner.invoke(args=["verify", str(path)])
    assert result.exit_code == 0 and result.output.startswith("Match:"), result.output


def test_register_and_confirm_helper_logs_in(app):
    """The helper other tests use follows the real path: form, e-mail, button."""
    client = app.test_client()
    assert register_and_confirm(app, client, "helper@example.com").headers["Location"] == "/agreements"
    assert client.get("/agreements").status_code == 200 and verified(app, "helper@example.com")
    assert post_form(app.test_client(), "/login", {"email": "helper@example.com", "password": PASSWORD}).status_code == 302
