"""Security properties every response and form must have."""
from __future__ import annotations

import re
from pathlib import Path

from conftest import post_form

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"


def test_security_headers_on_every_response(client):
    for path in ["/", "/login", "/register", "/static/style.css", "/no-such-page"]:
        with client.get(path) as response:  # closes the static file's stream
            headers = response.headers
        csp = headers["Content-Security-Policy"]
        for directive in ["object-src 'none'", "base-uri 'none'", "frame-ancestors 'none'", "script-src 'self'"]:
            assert directive in csp, (path, directive)
        assert "unsafe-inline" not in csp
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert headers["Referrer-Policy"] == "same-origin"


def test_templates_have_no_inline_script_or_handlers():
    """The CSP forbids inline script, so none may be written (it would silently not run)."""
    for template in TEMPLATES.rglob("*.html"):
        source = template.read_text(encoding="utf-8")
        assert not re.search(r"<script(?![^>]*\bsrc=)", source), template
        assert not re.search(r"\son[a-z]+\s*=", source), template
        assert "javascript:" not in source, template


def test_session_cookie_flags(app, client, make_user):
    assert app.config["SESSION_COOKIE_HTTPONLY"] is True
    assert app.config["SESSION_COOKIE_SAMESITE"] == "Lax"
    make_user("ha@example.com")
    response = post_form(client, "/login", {"email": "ha@example.com", "password": "correct horse battery"})
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_post_without_csrf_token_is_refused(client, make_user, login):
    make_user("io@example.com")
    response = client.post("/login", data={"email": "io@example.com", "password": "correct horse battery"})
    assert response.status_code == 400
    assert "This form has expired or was not sent from this site" in response.get_data(as_text=True)
    login(client, "io@example.com")
    forged = client.post("/agreements/new", data={"title": "x", "language": "en", "provider_name": "p", "client_name": "c"})
    assert forged.status_code == 400
    assert "Your agreements" in client.get("/agreements").get_data(as_text=True)
    assert "x</a>" not in client.get("/agreements").get_data(as_text=True)


def test_logout_is_not_possible_by_get(client):
    assert client.get("/logout").status_code == 405


def test_user_text_is_escaped(client, make_user, login):
    make_user("ju@example.com", name="<b>Ju</b>")
    login(client, "ju@example.com")
    response = post_form(client, "/agreements/new", {
        "title": "<script>alert(1)</script>", "language": "en",
        "provider_name": "<img src=x onerror=alert(1)>", "client_name": "C & Co"})
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<img src=x" not in page and "&lt;img src=x onerror=alert(1)&gt;" in page
    assert "&lt;b&gt;Ju&lt;/b&gt;" in page


def test_request_body_size_is_bounded(client, app):
    assert app.config["MAX_CONTENT_LENGTH"] > 0
    response = client.post("/login", data={"email": "x" * (app.config["MAX_CONTENT_LENGTH"] + 10)})
    assert response.status_code == 413
    assert "larger than this server accepts" in response.get_data(as_text=True)
    limit = app.config["MAX_CONTENT_LENGTH"] / 2**20
    assert f"({limit:g} MiB at most). Go back and send a smaller file." in response.get_data(as_text=True)
