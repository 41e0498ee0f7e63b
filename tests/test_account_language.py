"""The interface language of a person: kept on the account from registration on, kept in the
browser across logging in and out, and the language of every e-mail sent to them."""
from __future__ import annotations

from conftest import PASSWORD, mail_to, post_form
from flask_babel import get_locale
from sqlalchemy import select

from authoring.extensions import db
from authoring.models import User

NEW = {"name": "Nina Nowak", "email": "nina@example.com", "password": "nina's passphrase", "confirm": "nina's passphrase"}


def _language_of(app, email: str) -> str | None:
    with app.app_context():
        return db.session.scalar(select(User.language).where(User.email == email))


def test_registration_keeps_the_language_the_page_spoke(app):
    polish = app.test_client()
    polish.environ_base["HTTP_ACCEPT_LANGUAGE"] = "pl-PL,pl;q=0.9,en;q=0.5"
    assert post_form(polish, "/register", NEW).status_code == 302
    assert _language_of(app, NEW["email"]) == "pl"
    assert post_form(app.test_client(), "/register", {**NEW, "email": "ana@example.com"}).status_code == 302
    assert _language_of(app, "ana@example.com") == "en"  # no Accept-Language: the page spoke English


def test_the_register_page_says_which_language_e_mails_will_use_and_links_to_the_setting(app):
    page = app.test_client().get("/register").get_data(as_text=True)
    assert "Pages and e-mails to you will be in English." in page and 'href="/language?next=' in page


def test_a_language_chosen_before_logging_in_stays_after_logging_in_and_out(app, make_user):
    make_user("dana@example.com")
    client = app.test_client()
    assert post_form(client, "/language", {"language": "he"}).status_code == 302
    assert post_form(client, "/login", {"email": "dana@example.com", "password": PASSWORD}).status_code == 302
    assert 'lang="he" dir="rtl"' in client.get("/agreements").get_data(as_text=True)
    assert post_form(client, "/logout").status_code == 302
    assert 'lang="he" dir="rtl"' in client.get("/login").get_data(as_text=True)


def test_each_e_mail_is_composed_in_its_recipients_language(app, make_user, make_agreement, add_member):
    from authoring.notifications import queue_email

    owner = make_user("olivia@example.com")
    agreement_id = make_agreement(owner)
    for email, language in (("pawel@example.com", "pl"), ("dana@example.com", "he"), ("ana@example.com", None)):
        person = make_user(email)
        with app.app_context():
            db.session.get(User, person.id).language = language
            db.session.commit()
        add_member(agreement_id, person, "client", "editor")
    with app.test_request_context(headers={"Accept-Language": "ru"}):  # the sender's language plays no part
        from authoring.models import Agreement

        agreement = db.session.get(Agreement, agreement_id)
        queue_email(agreement, [m.user for m in agreement.memberships if m.side == "client"], "test.event",
                    lambda: f"Subject in {get_locale()}", lambda: f"Body in {get_locale()}")
        db.session.commit()
    for email, language in (("pawel@example.com", "pl"), ("dana@example.com", "he"), ("ana@example.com", "en")):
        [message] = mail_to(app, email, "test.event")
        assert message.subject == f"Subject in {language}" and message.body.startswith(f"Body in {language}\n")


def test_an_attempt_to_register_an_existing_address_is_told_in_that_accounts_language(app, make_user):
    make_user("dana@example.com")
    with app.app_context():
        db.session.scalar(select(User).where(User.email == "dana@example.com")).language = "he"
        db.session.commit()
    english = app.test_client()
    assert post_form(english, "/register", {**NEW, "email": "dana@example.com"}).status_code == 302
    [message] = mail_to(app, "dana@example.com", "account.registration_attempted")
    english_subject = "Someone tried to register with your e-mail address"
    # Composed in Hebrew: translated where the catalogue has the sentence, never by the requester's page.
    with app.test_request_context(headers={"Accept-Language": "he"}):
        from flask_babel import gettext

        assert message.subject == gettext(english_subject)
