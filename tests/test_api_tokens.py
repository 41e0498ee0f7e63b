"""Personal access tokens: made on the account page or by the CLI, stored as a hash, scoped,
expiring, revocable, optionally limited to some agreements; the API answers 401 without one."""
from __future__ import annotations

import hashlib
from datetime import timedelta

from api_helpers import Api, api_as, cli_token, is_problem
from conftest import csrf_token, post_form
from sqlalchemy import select, text, update

from authoring.extensions import db
from authoring.models import ApiToken, AuditEvent, utcnow


def test_cli_prints_only_the_token_and_only_its_hash_is_stored(app, runner, make_user):
    make_user("ann@example.com")
    token = cli_token(runner, "ann@example.com", "--write", "--name", "CRM sync", "--days", "30")
    with app.app_context():
        row = db.session.scalar(select(ApiToken))
        assert row.token_hash == hashlib.sha256(token.encode()).hexdigest()
        assert row.prefix == token[:12] and row.scope == "read-write" and row.name == "CRM sync"
        assert timedelta(days=29) < row.expires_at - row.created_at <= timedelta(days=30)
        # the secret appears nowhere in the database: not in the row, not in the audit log
        dump = " ".join(str(v) for table in ("api_tokens", "audit_events")
                        for r in db.session.execute(text(f"SELECT * FROM {table}")) for v in r)
        assert token not in dump and token[12:] not in dump
        assert db.session.scalar(select(AuditEvent.action).where(AuditEvent.action == "api_token.created"))
    result = runner.invoke(args=["token", "create", "--user", "nobody@example.com"])
    assert result.exit_code != 0 and "nobody@example.com" in result.output


def test_requests_without_a_valid_token_are_401_with_www_authenticate(app, runner, make_user, client):
    make_user("ann@example.com")
    token = cli_token(runner, "ann@example.com")
    for headers in ({}, {"Authorization": "Basic abc"}, {"Authorization": "Bearer "},
                    {"Authorization": "Bearer acc_wrong"}, {"Authorization": f"Bearer {token}x"}):
        response = client.get("/api/v1/agreements", headers=headers)
        body = is_problem(response, 401)
        assert response.headers["WWW-Authenticate"].startswith("Bearer")
        assert body["instance"] == "/api/v1/agreements"
    assert Api(app, token).get("/api/v1/agreements").status_code == 200


def test_a_browser_session_is_not_a_token(app, make_user, login):
    make_user("ann@example.com")
    browser = login(app.test_client(), "ann@example.com")
    assert browser.get("/agreements").status_code == 200
    is_problem(browser.get("/api/v1/agreements"), 401)
    # and no CSRF token is needed or used: a cookie-borne POST is simply unauthenticated
    is_problem(browser.post("/api/v1/agreements", json={"title": "x"}), 401)


def test_expired_and_revoked_tokens_are_refused(app, runner, make_user):
    make_user("ann@example.com")
    expired, revoked = cli_token(runner, "ann@example.com"), cli_token(runner, "ann@example.com")
    with app.app_context():
        db.session.execute(update(ApiToken).where(ApiToken.prefix == expired[:12])
                           .values(expires_at=utcnow() - timedelta(seconds=1)))
        db.session.execute(update(ApiToken).where(ApiToken.prefix == revoked[:12]).values(revoked_at=utcnow()))
        db.session.commit()
    assert is_problem(Api(app, expired).get("/api/v1/agreements"), 401)["type"].endswith("token-expired")
    assert is_problem(Api(app, revoked).get("/api/v1/agreements"), 401)["type"].endswith("token-revoked")


def test_a_new_password_revokes_every_token(app, runner, make_user):
    from conftest import PASSWORD

    from authoring.accounts.services import change_password
    from authoring.models import User

    make_user("ann@example.com")
    token = cli_token(runner, "ann@example.com", "--write")
    assert Api(app, token).get("/api/v1/agreements").status_code == 200
    with app.test_request_context():
        user = db.session.scalar(select(User).where(User.email == "ann@example.com"))
        change_password(user, PASSWORD, "a-new-long-password-2026")
        event = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "account.password_changed")).one()
        assert event.details["api_tokens_revoked"] == 1
    assert is_problem(Api(app, token).get("/api/v1/agreements"), 401)["type"].endswith("token-revoked")


def test_a_read_token_reads_but_cannot_write(app, runner, make_user, make_agreement):
    ann = make_user("ann@example.com")
    agreement = make_agreement(ann)
    reader = api_as(app, runner, ann, write=False)
    assert reader.get(f"/api/v1/agreements/{agreement}").status_code == 200
    response = reader.post(f"/api/v1/agreements/{agreement}/comments", json={"body": "hello"})
    assert is_problem(response, 403)["type"].endswith("insufficient-scope")
    assert "insufficient_scope" in response.headers["WWW-Authenticate"]
    is_problem(reader.post("/api/v1/agreements", json={"title": "T", "language": "en", "provider_name": "P",
                                                       "client_name": "C"}), 403)
    writer = api_as(app, runner, ann, write=True)
    assert writer.post(f"/api/v1/agreements/{agreement}/comments", json={"body": "hello"}).status_code == 201


def test_a_token_limited_to_agreements_sees_only_those(app, runner, make_user, make_agreement):
    ann = make_user("ann@example.com")
    first, second = make_agreement(ann, title="First"), make_agreement(ann, title="Second")
    limited = api_as(app, runner, ann, True, "--agreement", str(first))
    listed = limited.get("/api/v1/agreements").get_json()
    assert [item["id"] for item in listed["items"]] == [first] and listed["total"] == 1
    # searched or filtered, still only those (never the totals of all the person's agreements)
    for asked in ("?q=irs", "?q=Second", "?status=draft"):
        found = limited.get(f"/api/v1/agreements{asked}").get_json()
        assert found["total"] == len(found["items"]) == (0 if "Second" in asked else 1), asked
    assert limited.get(f"/api/v1/agreements/{first}/terms").status_code == 200
    is_problem(limited.get(f"/api/v1/agreements/{second}"), 404)
    is_problem(limited.get(f"/api/v1/agreements/{second}/terms"), 404)
    is_problem(limited.post("/api/v1/agreements", json={"title": "T", "language": "en", "provider_name": "P",
                                                        "client_name": "C"}), 403)
    # limited only to agreements the person belongs to
    other = make_agreement(make_user("bob@example.com"))
    result = runner.invoke(args=["token", "create", "--user", "ann@example.com", "--agreement", str(other)])
    assert result.exit_code != 0


def test_the_account_page_creates_shows_once_lists_and_revokes(app, make_user, login, make_agreement):
    ann = make_user("ann@example.com")
    agreement = make_agreement(ann, title="Hosting")
    browser = login(app.test_client(), "ann@example.com")
    page = browser.get("/account/tokens")
    assert page.status_code == 200 and "Hosting" in page.get_data(as_text=True)
    # without the CSRF token the form is refused
    assert browser.post("/account/tokens", data={"name": "x", "scope": "read", "days": "30"}).status_code == 400
    created = post_form(browser, "/account/tokens", {"name": "ERP", "scope": "read-write", "days": "30",
                                                     "agreements": str(agreement)}, token_from="/account/tokens")
    assert created.status_code == 201
    html = created.get_data(as_text=True)
    secret = html.split('data-testid="new-token">', 1)[1].split("<", 1)[0]
    assert secret.startswith("acc_")
    again = browser.get("/account/tokens").get_data(as_text=True)
    assert secret not in again and secret[:12] in again and "ERP" in again
    api = Api(app, secret)
    assert api.get(f"/api/v1/agreements/{agreement}").status_code == 200
    with app.app_context():
        token = db.session.scalar(select(ApiToken))
        assert token.limited and token.agreement_ids == {agreement} and token.last_used_at is not None
        token_id = token.id
    refused = post_form(browser, "/account/tokens", {"name": "", "scope": "read", "days": "30"},
                        token_from="/account/tokens")
    assert refused.status_code == 422
    revoked = browser.post(f"/account/tokens/{token_id}/revoke",
                           data={"csrf_token": csrf_token(browser, "/account/tokens")})
    assert revoked.status_code == 302
    is_problem(api.get(f"/api/v1/agreements/{agreement}"), 401)
    with app.app_context():
        actions = set(db.session.scalars(select(AuditEvent.action)))
        assert {"api_token.created", "api_token.revoked"} <= actions


def test_nobody_revokes_another_persons_token(app, runner, make_user, login):
    make_user("ann@example.com")
    make_user("bob@example.com")
    token = cli_token(runner, "ann@example.com")
    with app.app_context():
        token_id = db.session.scalar(select(ApiToken.id))
    bob = login(app.test_client(), "bob@example.com")
    response = bob.post(f"/account/tokens/{token_id}/revoke", data={"csrf_token": csrf_token(bob, "/account/tokens")})
    assert response.status_code == 404
    assert Api(app, token).get("/api/v1/agreements").status_code == 200
