"""What keeps the API safe to retry and to share: Idempotency-Key on POST, per-token rate
limits counted in the database, size and media-type limits, and every error a problem."""
from __future__ import annotations

import pytest
from api_helpers import Api, api_as, cli_token, is_problem
from conftest import base_config
from sqlalchemy import func, select

from authoring import create_app
from authoring.extensions import db
from authoring.models import Agreement, Comment, IdempotencyKey

NEW = {"title": "Hosting", "language": "en", "provider_name": "Provider Ltd", "client_name": "Client S.A."}


def _count(app, model) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model))


def test_a_retried_post_with_the_same_key_creates_once_and_gets_the_same_answer(app, runner, make_user):
    api = api_as(app, runner, make_user("ann@example.com"))
    first = api.post("/api/v1/agreements", json=NEW, headers={"Idempotency-Key": "create-hosting-1"})
    again = api.post("/api/v1/agreements", json=NEW, headers={"Idempotency-Key": "create-hosting-1"})
    assert first.status_code == again.status_code == 201
    assert again.get_json() == first.get_json() and again.headers["Location"] == first.headers["Location"]
    assert again.headers["Idempotent-Replayed"] == "true" and "Idempotent-Replayed" not in first.headers
    assert _count(app, Agreement) == 1
    # a new key is a new request
    assert api.post("/api/v1/agreements", json=NEW, headers={"Idempotency-Key": "create-hosting-2"}).status_code == 201
    assert _count(app, Agreement) == 2


def test_the_same_key_with_another_body_or_address_is_refused(app, runner, make_user, make_agreement):
    ann = make_user("ann@example.com")
    agreement = make_agreement(ann)
    api = api_as(app, runner, ann)
    assert api.post(f"/api/v1/agreements/{agreement}/comments", json={"body": "one"},
                    headers={"Idempotency-Key": "k"}).status_code == 201
    body = is_problem(api.post(f"/api/v1/agreements/{agreement}/comments", json={"body": "two"},
                               headers={"Idempotency-Key": "k"}), 422)
    assert body["type"].endswith("idempotency-mismatch")
    is_problem(api.post("/api/v1/agreements", json=NEW, headers={"Idempotency-Key": "k"}), 422)
    assert _count(app, Comment) == 1 and _count(app, Agreement) == 1
    is_problem(api.post("/api/v1/agreements", json=NEW, headers={"Idempotency-Key": "bad key with spaces"}), 400)


def test_keys_belong_to_one_token(app, runner, make_user, make_agreement):
    ann = make_user("ann@example.com")
    agreement = make_agreement(ann)
    one, two = api_as(app, runner, ann), api_as(app, runner, ann)
    for api in (one, two):
        assert api.post(f"/api/v1/agreements/{agreement}/comments", json={"body": "same"},
                        headers={"Idempotency-Key": "shared-key"}).status_code == 201
    assert _count(app, Comment) == 2


def test_a_refusal_is_kept_too_but_a_server_error_lets_the_key_go(app, runner, make_user, make_agreement,
                                                                  monkeypatch):
    ann = make_user("ann@example.com")
    agreement = make_agreement(ann)
    api = api_as(app, runner, ann)
    missing = {"body": "on a clause that is not there", "clause_key": "no.such"}
    for _ in range(2):
        is_problem(api.post(f"/api/v1/agreements/{agreement}/comments", json=missing,
                            headers={"Idempotency-Key": "refused"}), 409)
    from authoring.negotiation import comments

    def broken(*args, **kwargs):
        raise RuntimeError("the disk is on fire")

    monkeypatch.setattr(comments, "add_comment", broken)
    monkeypatch.setattr("authoring.api.comments.add_comment", broken)
    response = api.post(f"/api/v1/agreements/{agreement}/comments", json={"body": "hi"},
                        headers={"Idempotency-Key": "retry-me"})
    body = is_problem(response, 500)
    assert "fire" not in response.get_data(as_text=True) and "Traceback" not in body["detail"]
    monkeypatch.undo()
    assert api.post(f"/api/v1/agreements/{agreement}/comments", json={"body": "hi"},
                    headers={"Idempotency-Key": "retry-me"}).status_code == 201
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(IdempotencyKey)) == 2


@pytest.fixture
def limited_app(db_config):
    """The app with a rate limit of 3 requests a minute, and a second process on the same database."""
    apps = [create_app(base_config(**db_config, API_RATE_LIMIT=3)) for _ in range(2)]
    yield apps
    for each in apps:
        db.dispose(each)


def test_the_rate_limit_is_per_token_across_processes_with_retry_after(limited_app, make_user):
    first, second = limited_app
    runner = first.test_cli_runner()
    make_user_in(first, "ann@example.com")
    token, other = cli_token(runner, "ann@example.com"), cli_token(runner, "ann@example.com")
    # two processes, one limit: the count lives in the database
    answers = [Api(app, token).get("/api/v1/agreements") for app in (first, second, first)]
    assert [a.status_code for a in answers] == [200, 200, 200]
    assert [a.headers["RateLimit-Remaining"] for a in answers] == ["2", "1", "0"]
    refused = Api(second, token).get("/api/v1/agreements")
    body = is_problem(refused, 429)
    assert body["type"].endswith("rate-limited")
    assert 1 <= int(refused.headers["Retry-After"]) <= 60
    assert Api(first, token).post("/api/v1/agreements", json=NEW).status_code == 429
    assert Api(first, other).get("/api/v1/agreements").status_code == 200  # another token has its own count


def make_user_in(app, email):
    from authoring.accounts.passwords import hash_password
    from authoring.models import User, utcnow

    with app.app_context():
        db.session.add(User(email=email, name="Ann", password_hash=hash_password("correct horse battery"),
                            email_verified_at=utcnow()))
        db.session.commit()


def test_size_media_type_syntax_and_method_errors_are_problems(db_config, make_user):
    app = create_app(base_config(**db_config, MAX_CONTENT_LENGTH=2048))
    try:
        make_user_in(app, "ann@example.com")
        api = Api(app, cli_token(app.test_cli_runner(), "ann@example.com", "--write"))
        big = is_problem(api.post("/api/v1/agreements", json={**NEW, "title": "x" * 5000}), 413)
        assert "2048" in big["detail"]
        is_problem(api.post("/api/v1/agreements", data="title=x", headers={"Content-Type": "text/plain"}), 415)
        is_problem(api.post("/api/v1/agreements", data="{not json", headers={"Content-Type": "application/json"}), 400)
        not_allowed = is_problem(api.open("/api/v1/agreements", "DELETE"), 405)
        assert not_allowed["instance"] == "/api/v1/agreements"
        is_problem(api.get("/api/v1/no-such-thing"), 404)
        invalid = is_problem(api.post("/api/v1/agreements", json={**NEW, "language": "xx", "colour": "red"}), 422)
        fields = {error["field"]: error for error in invalid["errors"]}
        assert set(fields) == {"language", "colour"}
        assert fields["language"]["pointer"] == "#/language" and fields["language"]["in"] == "body"
        assert is_problem(api.get("/api/v1/agreements?sort=colour"), 422)["errors"][0]["in"] == "query"
        nul = is_problem(api.post("/api/v1/agreements", json={**NEW, "title": "a\u0000b"}), 422)
        assert nul["errors"][0]["field"] == "title"
        assert _count(app, Agreement) == 0
    finally:
        db.dispose(app)


def test_pages_keep_their_html_error_pages(client):
    response = client.get("/no-such-page")
    assert response.status_code == 404 and response.mimetype == "text/html"
