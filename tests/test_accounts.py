"""Accounts through the HTTP surface: register, log in, log out, change password, throttling."""
from __future__ import annotations

from datetime import timedelta

from conftest import CSRF_RE, PASSWORD, confirmation_path, csrf_token, mail_to, post_form
from sqlalchemy import func, select, update

from authoring.extensions import db
from authoring.models import AuditEvent, LoginFailure, OutboxMessage, User, utcnow


def register(client, email="ana@example.com", name="Ana Cruz", password="a long passphrase", confirm=None):
    return post_form(client, "/register", {"name": name, "email": email, "password": password,
                                           "confirm": password if confirm is None else confirm})


def test_register_creates_an_unconfirmed_account_and_logs_in_only_after_confirming(app, client):
    response = register(client, email="Ana@Example.com ")
    assert response.status_code == 302 and response.headers["Location"] == "/register/check-inbox"
    assert "ana@example.com" in client.get("/register/check-inbox").get_data(as_text=True)
    assert client.get("/agreements").status_code == 302  # not logged in yet
    with app.app_context():
        user = db.session.scalar(select(User))
        assert user.email == "ana@example.com" and user.email_verified_at is None
        assert user.password_hash.startswith("$argon2id$")
        assert "a long passphrase" not in user.password_hash
    link = confirmation_path(app, "ana@example.com")
    assert post_form(client, link, token_from=link).headers["Location"] == "/agreements"
    assert client.get("/agreements").status_code == 200
    with app.app_context():
        assert db.session.scalar(select(User)).email_verified_at is not None


def _without_csrf(page: str) -> str:
    return CSRF_RE.sub("csrf", page)


def test_registration_answers_the_same_whether_or_not_the_address_has_an_account(app, make_user):
    """Same status, same redirect, same page (but for the CSRF token), no session; the owner is told."""
    make_user("owner@example.com", name="Olga Owner")
    answers = []
    for email in ("owner@example.com", "newcomer@example.com"):
        client = app.test_client()
        posted = register(client, email=email, name="Someone")
        with client.session_transaction() as session:
            assert "sid" not in session  # no one is logged in, whichever the case
        page = client.get("/register/check-inbox")
        answers.append((posted.status_code, posted.headers["Location"], posted.get_data(),
                        page.status_code, _without_csrf(page.get_data(as_text=True).replace(email, "ADDRESS"))))
        assert client.get("/agreements").status_code == 302
    assert answers[0] == answers[1]
    assert "Check your inbox" in answers[0][4]

    # The same address again, now that it has an account: the very same answer, address included.
    client = app.test_client()
    again = register(client, email="newcomer@example.com", name="Someone")
    page = client.get("/register/check-inbox")
    assert (again.status_code, again.headers["Location"], again.get_data(), page.status_code,
            _without_csrf(page.get_data(as_text=True).replace("newcomer@example.com", "ADDRESS"))) == answers[1]
    assert "newcomer@example.com" in page.get_data(as_text=True)

    notes = mail_to(app, "owner@example.com", "account.registration_attempted")
    assert len(notes) == 1 and "Someone tried to create a new Accord account" in notes[0].body
    assert "http://localhost/login" in notes[0].body
    assert mail_to(app, "owner@example.com", "account.confirm_email") == []
    assert len(mail_to(app, "newcomer@example.com", "account.confirm_email")) == 1
    assert len(mail_to(app, "newcomer@example.com", "account.registration_attempted")) == 1
    with app.app_context():  # the existing account was not changed, and no second one was made
        owner = db.session.scalar(select(User).where(User.email == "owner@example.com"))
        assert owner.name == "Olga Owner"
        assert db.session.scalar(select(func.count()).select_from(User)) == 2


def test_registration_attempts_on_an_existing_address_are_mailed_at_most_once_per_interval(app, make_user):
    make_user("busy@example.com")
    for _ in range(3):
        register(app.test_client(), email="busy@example.com")
    assert len(mail_to(app, "busy@example.com")) == 1
    with app.app_context():
        db.session.execute(update(OutboxMessage).values(created_at=utcnow() - timedelta(minutes=6)))
        db.session.commit()
    register(app.test_client(), email="busy@example.com")
    assert len(mail_to(app, "busy@example.com")) == 2


def test_register_errors_are_shown_on_the_form(client, make_user):
    make_user("taken@example.com")
    cases = [
        ({"name": ""}, "Enter your full name."),
        ({"name": "x" * 121}, "Field cannot be longer than 120 characters."),
        ({"email": "not-an-email"}, "Enter a valid e-mail address."),
        ({"email": ("a" * 250) + "@example.com"}, "Field cannot be longer than 254 characters."),
        ({"password": "short"}, "Use 10 to 256 characters."),
        ({"confirm": "something else"}, "The two passwords differ."),
    ]
    for change, message in cases:
        fields = {"email": "new@example.com", "name": "Ana Cruz", "password": "a long passphrase", "confirm": None, **change}
        response = register(client, **fields)
        page = response.get_data(as_text=True)
        assert response.status_code == 422, change
        assert message in page, (change, message)
        # What was typed (except passwords) is kept.
        if "name" not in change:
            assert 'value="Ana Cruz"' in page
        assert "a long passphrase" not in page


def test_wrong_password_is_refused_with_a_message(client, make_user):
    make_user("bo@example.com")
    response = post_form(client, "/login", {"email": "bo@example.com", "password": "wrong password"})
    assert response.status_code == 422
    assert "Wrong e-mail address or password." in response.get_data(as_text=True)
    unknown = post_form(client, "/login", {"email": "nobody@example.com", "password": "whatever it is"})
    assert "Wrong e-mail address or password." in unknown.get_data(as_text=True)


def test_login_starts_a_new_session_and_logout_kills_copied_cookie(app, client, make_user, login):
    make_user("cy@example.com")
    anonymous_token = csrf_token(client)
    login(client, "cy@example.com")
    with client.session_transaction() as session:
        copied = dict(session)
    assert copied.get("csrf_token") != anonymous_token  # the pre-login session was not kept
    thief = app.test_client()
    with thief.session_transaction() as session:
        session.update(copied)
    assert thief.get("/agreements").status_code == 200  # a copied cookie works while the session lives
    response = post_form(client, "/logout", token_from="/agreements/new")
    assert response.status_code == 302
    assert client.get("/agreements").status_code == 302
    stolen = thief.get("/agreements")
    assert stolen.status_code == 302 and "/login" in stolen.headers["Location"]


def test_change_password_ends_other_sessions(app, client, make_user, login):
    make_user("di@example.com")
    login(client, "di@example.com")
    other_browser = login(app.test_client(), "di@example.com")
    wrong = post_form(client, "/account/password", {"current_password": "not it at all", "new_password": "brand new secret",
                                                     "confirm": "brand new secret"})
    assert wrong.status_code == 422 and "current password is not correct" in wrong.get_data(as_text=True)
    ok = post_form(client, "/account/password", {"current_password": PASSWORD, "new_password": "brand new secret",
                                                  "confirm": "brand new secret"})
    assert ok.status_code == 302
    assert client.get("/agreements").status_code == 200  # this browser got a fresh session
    assert other_browser.get("/agreements").status_code == 302  # the other one is logged out
    assert post_form(app.test_client(), "/login", {"email": "di@example.com", "password": PASSWORD}).status_code == 422
    login(app.test_client(), "di@example.com", "brand new secret")


def test_failed_logins_hold_back_the_account_from_that_address_only(app, make_user):
    """A flood of wrong passwords from address A holds A back, not the owner logging in from address B."""
    make_user("ed@example.com")
    limit = app.config["LOGIN_MAX_FAILURES_PER_ACCOUNT_AND_IP"]
    attacker, owner = app.test_client(), app.test_client()
    at_a, at_b = {"environ_base": {"REMOTE_ADDR": "203.0.113.7"}}, {"environ_base": {"REMOTE_ADDR": "198.51.100.2"}}
    for _ in range(limit):
        assert post_form(attacker, "/login", {"email": "ed@example.com", "password": "wrong wrong"}, **at_a).status_code == 422
    # From A even the right password is refused until the window passes.
    blocked = post_form(attacker, "/login", {"email": "ed@example.com", "password": PASSWORD}, **at_a)
    assert blocked.status_code == 422
    assert "Too many failed log-ins" in blocked.get_data(as_text=True)
    # From B the owner logs in, and that forgives nothing of A's.
    assert post_form(owner, "/login", {"email": "ed@example.com", "password": PASSWORD}, **at_b).status_code == 302
    still = post_form(app.test_client(), "/login", {"email": "ed@example.com", "password": PASSWORD}, **at_a)
    assert "Too many failed log-ins" in still.get_data(as_text=True)
    with app.app_context():
        actions = db.session.scalars(select(AuditEvent.action)).all()
    assert actions.count("account.login_failed") == limit and actions.count("account.login_throttled") == 2


def test_failed_logins_for_one_account_have_an_hourly_ceiling_across_addresses(db_config, make_user):
    from authoring import create_app
    from conftest import base_config

    app = create_app(base_config(**db_config, LOGIN_MAX_FAILURES_PER_ACCOUNT_PER_HOUR=5))
    make_user("fe@example.com")
    for n in range(5):  # one guess from each of five addresses: no pair and no address reaches its limit
        post_form(app.test_client(), "/login", {"email": "fe@example.com", "password": "wrong wrong"},
                  environ_base={"REMOTE_ADDR": f"192.0.2.{n + 1}"})
    blocked = post_form(app.test_client(), "/login", {"email": "fe@example.com", "password": PASSWORD},
                        environ_base={"REMOTE_ADDR": "192.0.2.99"})
    assert "Too many failed log-ins" in blocked.get_data(as_text=True)
    # Failures older than the hour no longer count.
    with app.app_context():
        db.session.execute(update(LoginFailure).values(at=utcnow() - timedelta(minutes=61)))
        db.session.commit()
    assert post_form(app.test_client(), "/login", {"email": "fe@example.com", "password": PASSWORD},
                     environ_base={"REMOTE_ADDR": "192.0.2.99"}).status_code == 302
    db.dispose(app)


def test_the_default_limits_keep_one_address_under_the_hourly_ceiling(app):
    """One address, at its per-account limit in every window of an hour, stays under the account's ceiling."""
    config = app.config
    windows_per_hour = 60 // config["LOGIN_WINDOW_MINUTES"]
    assert config["LOGIN_MAX_FAILURES_PER_ACCOUNT_AND_IP"] * windows_per_hour < config["LOGIN_MAX_FAILURES_PER_ACCOUNT_PER_HOUR"] <= 100


def test_failed_logins_are_throttled_per_ip(db_config, make_user):
    from authoring import create_app
    from conftest import base_config

    app = create_app(base_config(**db_config, LOGIN_MAX_FAILURES_PER_IP=3))
    client = app.test_client()
    make_user("fa@example.com")
    for n in range(3):
        post_form(client, "/login", {"email": f"guess{n}@example.com", "password": "wrong wrong"})
    blocked = post_form(client, "/login", {"email": "fa@example.com", "password": PASSWORD})
    assert "Too many failed log-ins" in blocked.get_data(as_text=True)
    other_ip = post_form(client, "/login", {"email": "fa@example.com", "password": PASSWORD},
                         environ_base={"REMOTE_ADDR": "10.9.8.7"})
    assert other_ip.status_code == 302
    from authoring.extensions import db as database
    database.dispose(app)


def test_login_redirects_only_to_local_paths(client, make_user):
    make_user("gi@example.com")
    for target, expected in [("/agreements/new", "/agreements/new"), ("//evil.example/x", "/agreements"),
                             ("https://evil.example/", "/agreements"), ("/\\evil.example", "/agreements")]:
        response = post_form(client, f"/login?next={target}", {"email": "gi@example.com", "password": PASSWORD})
        assert response.status_code == 302
        assert response.headers["Location"] == expected, target
        post_form(client, "/logout", token_from="/agreements/new")


def test_pages_need_login(client):
    response = client.get("/agreements")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login?next=/agreements")
