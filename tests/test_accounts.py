"""Accounts through the HTTP surface: register, log in, log out, change password, throttling."""
from __future__ import annotations

from conftest import PASSWORD, csrf_token, post_form

from authoring.extensions import db
from authoring.models import AuditEvent, User
from sqlalchemy import select


def register(client, email="ana@example.com", name="Ana Cruz", password="a long passphrase", confirm=None):
    return post_form(client, "/register", {"name": name, "email": email, "password": password,
                                           "confirm": password if confirm is None else confirm})


def test_register_signs_in_and_hashes_password(app, client):
    response = register(client, email="Ana@Example.com ")
    assert response.status_code == 302
    assert client.get("/agreements").status_code == 200
    with app.app_context():
        user = db.session.scalar(select(User))
        assert user.email == "ana@example.com"
        assert user.password_hash.startswith("$argon2id$")
        assert "a long passphrase" not in user.password_hash


def test_register_errors_are_shown_on_the_form(client, make_user):
    make_user("taken@example.com")
    cases = [
        ({"email": "taken@example.com"}, "already exists"),
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


def test_failed_logins_are_throttled_per_account(app, client, make_user):
    make_user("ed@example.com")
    limit = app.config["LOGIN_MAX_FAILURES_PER_ACCOUNT"]
    for _ in range(limit):
        assert post_form(client, "/login", {"email": "ed@example.com", "password": "wrong wrong"}).status_code == 422
    # Even the right password is refused until the window passes.
    blocked = post_form(client, "/login", {"email": "ed@example.com", "password": PASSWORD})
    assert blocked.status_code == 422
    assert "Too many failed log-ins" in blocked.get_data(as_text=True)
    with app.app_context():
        actions = db.session.scalars(select(AuditEvent.action)).all()
    assert actions.count("account.login_failed") == limit and "account.login_throttled" in actions


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
