"""Fixtures in the flaskr style: app, client, runner, and factories that return functions.

Every test that uses `app` runs twice: on SQLite and on PostgreSQL (TEST_DATABASE_URL,
default postgresql+psycopg://postgres@127.0.0.1:5432/test). The PostgreSQL run works
in a schema of its own, created for the session and dropped afterwards, so the
database is left as it was found. With REQUIRE_POSTGRES=1 (CI) a missing server fails
the run instead of skipping.
"""
from __future__ import annotations

import os
import re
import shutil
import threading
import uuid
from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlalchemy import create_engine, select, text
from werkzeug.serving import make_server

from authoring import create_app
from authoring.extensions import db
from authoring.models import Agreement, Base, Membership, User, utcnow

DEFAULT_PG_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
PASSWORD = "correct horse battery"
CSRF_RE = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"|name="csrf_token" value="([^"]+)"')


def _pg_url() -> str:
    return os.environ.get("TEST_DATABASE_URL", DEFAULT_PG_URL)


def _pg_available() -> str | None:
    """None when PostgreSQL answers, else the reason it does not."""
    engine = create_engine(_pg_url())
    try:
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
        return None
    except Exception as error:  # any failure to connect means: no server here
        return f"no PostgreSQL at {_pg_url()}: {error.__class__.__name__}"
    finally:
        engine.dispose()


def base_config(**extra) -> dict:
    return {
        "TESTING": True,
        "SECRET_KEY": "test-secret-key",
        "PASSWORD_HASH_PROFILE": "cheapest",
        **extra,
    }


def _migrate(config: dict) -> None:
    from authoring import schema

    app = create_app(config)
    with app.app_context():
        schema.upgrade()
        db.dispose(app)


@pytest.fixture(scope="session", params=["sqlite", "postgresql"])
def database(request, tmp_path_factory):
    """A migrated database per backend: yields (backend, how to get a fresh one per test)."""
    if request.param == "sqlite":
        folder = tmp_path_factory.mktemp("sqlite")
        template = folder / "template.sqlite3"
        _migrate(base_config(DATABASE_URL=f"sqlite:///{template}"))

        def fresh(tmp_path):
            target = tmp_path / "test.sqlite3"
            shutil.copyfile(template, target)
            return {"DATABASE_URL": f"sqlite:///{target}"}, lambda: None

        yield "sqlite", fresh
        return

    reason = _pg_available()
    if reason:
        if os.environ.get("REQUIRE_POSTGRES") == "1":
            pytest.fail(f"REQUIRE_POSTGRES=1 but {reason}")
        pytest.skip(reason)
    schema_name = f"test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(_pg_url())
    with admin.begin() as connection:
        # Migration 0019's extensions, made here in public: made by the migration inside this session's
        # schema, they would go with it (DROP SCHEMA ... CASCADE), and with them the indexes of any other
        # test session running at the same time.
        for extension in ("pg_trgm", "btree_gin"):
            connection.execute(text(f"CREATE EXTENSION IF NOT EXISTS {extension} WITH SCHEMA public"))
        connection.execute(text(f'CREATE SCHEMA "{schema_name}"'))
    pg_config = {
        "DATABASE_URL": _pg_url(),
        "SQLALCHEMY_ENGINE_OPTIONS": {"connect_args": {"options": f"-csearch_path={schema_name}"}},
    }
    _migrate(base_config(**pg_config))
    tables = ", ".join(f'"{t.name}"' for t in Base.metadata.sorted_tables)

    def fresh(_tmp_path):
        def clean():
            with admin.begin() as connection:
                connection.execute(text(f'SET LOCAL search_path TO "{schema_name}"'))
                connection.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))

        return dict(pg_config), clean

    try:
        yield "postgresql", fresh
    finally:
        with admin.begin() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema_name}" CASCADE'))
        admin.dispose()


@pytest.fixture
def db_config(database, tmp_path):
    """Config keys pointing at a fresh, migrated, empty database (for apps a test builds itself)."""
    _backend, fresh = database
    config, clean = fresh(tmp_path)
    yield config
    clean()


@pytest.fixture
def app(db_config):
    app = create_app(base_config(**db_config))
    yield app
    db.dispose(app)


@pytest.fixture
def backend(database) -> str:
    return database[0]


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


# Helpers ----------------------------------------------------------------------------

def csrf_token(client, path: str = "/login") -> str:
    """The CSRF token of the client's current session, read from a real form."""
    page = client.get(path).get_data(as_text=True)
    match = CSRF_RE.search(page)
    assert match, f"no CSRF token on {path}"
    return match.group(1) or match.group(2)


def post_form(client, path: str, data: dict | None = None, token_from: str | None = None, **kwargs):
    """POST a form the way a browser does: with the CSRF token the page carries."""
    token = csrf_token(client, token_from or ("/agreements/new" if _signed_in(client) else "/login"))
    return client.post(path, data={"csrf_token": token, **(data or {})}, **kwargs)


CONFIRM_LINK_RE = re.compile(r"https?://[^/\s]+(/account/confirm/\S+)")


def mail_to(app, address: str, event: str | None = None) -> list:
    """The outbox messages to `address` (of `event`, if given), oldest first, detached from the session."""
    from sqlalchemy import select

    from authoring.models import OutboxMessage

    with app.app_context():
        query = select(OutboxMessage).where(OutboxMessage.to_address == address).order_by(OutboxMessage.id)
        if event is not None:
            query = query.where(OutboxMessage.event == event)
        messages = list(db.session.scalars(query))
        for message in messages:
            db.session.expunge(message)
        return messages


def confirmation_path(app, address: str) -> str:
    """The path (with its ?next=) of the newest confirmation link e-mailed to `address`."""
    messages = mail_to(app, address, "account.confirm_email")
    assert messages, f"no confirmation e-mail to {address}"
    return CONFIRM_LINK_RE.search(messages[-1].body).group(1)


def register_and_confirm(app, client, email: str, name: str = "Test Person", password: str = PASSWORD,
                         next_path: str = ""):
    """Register through the form, then open the e-mailed link and confirm: returns the confirming response."""
    path = "/register" + (f"?next={next_path}" if next_path else "")
    response = post_form(client, path, {"name": name, "email": email, "password": password, "confirm": password})
    assert response.status_code == 302 and response.headers["Location"] == "/register/check-inbox"
    link = confirmation_path(app, email)
    return post_form(client, link, token_from=link)


def _signed_in(client) -> bool:
    with client.session_transaction() as session:
        return "sid" in session


@pytest.fixture
def make_user(app):
    """Create an account directly (fast); returns the User."""
    from authoring.accounts.passwords import hash_password

    counter = iter(range(1, 10_000))

    def make(email: str | None = None, name: str = "Test Person", password: str = PASSWORD,
             verified: bool = True) -> User:
        """`verified`: the address is confirmed (as every account before confirmation existed)."""
        with app.app_context():
            user = User(email=(email or f"user{next(counter)}@example.com").lower(), name=name,
                        password_hash=hash_password(password), email_verified_at=utcnow() if verified else None)
            db.session.add(user)
            db.session.commit()
            return user

    return make


@pytest.fixture
def login(app):
    """Log a test client in through the real form; returns the client."""

    def do_login(client, email: str, password: str = PASSWORD):
        response = post_form(client, "/login", {"email": email, "password": password})
        assert response.status_code == 302, response.get_data(as_text=True)
        return client

    return do_login


@pytest.fixture
def make_agreement(app):
    """Create an agreement owned by `owner` through the service; returns its id."""
    from authoring.agreements.services import create_agreement

    def make(owner: User, title: str = "Support agreement", language: str = "en",
             provider_name: str = "Provider Ltd", client_name: str = "Client S.A.") -> int:
        with app.test_request_context(method="POST"):
            owner = db.session.get(User, owner.id)
            return create_agreement(owner, title=title, language=language,
                                    provider_name=provider_name, client_name=client_name).id

    return make


@pytest.fixture
def add_member(app):
    def add(agreement_id: int, user: User, side: str, role: str) -> None:
        with app.app_context():
            db.session.add(Membership(agreement_id=agreement_id, user_id=user.id, side=side, role=role))
            db.session.commit()

    return add


# Executed agreements ------------------------------------------------------------------

@pytest.fixture
def executed(app, make_user, make_agreement, add_member, login):
    """A factory of executed agreements (people: owner, psign, csign, cedit, viewer, stranger):
    `executed(effective_date, cadence)` returns the id (`adjust(terms)` may change the demo terms first);
    `executed.as_(name)` a logged-in client."""
    owner = make_user("owner@example.com", name="Olivia Owner")
    people = {"owner": owner, "psign": make_user("psign@example.com", name="Pia Signer"),
              "csign": make_user("csign@example.com", name="Carl Signer"),
              "cedit": make_user("cedit@example.com", name="Cleo Editor"),
              "viewer": make_user("viewer@example.com", name="Vic Viewer"),
              "stranger": make_user("stranger@example.com", name="Stan Stranger")}

    def make(effective: date, cadence: str = "monthly", end: date | None = None, adjust=None, language: str = "en",
             adjust_document=None) -> int:
        from authoring.demo_terms import demo_terms
        from authoring.interview.services import acknowledge, mark_ready, readiness, set_terms
        from authoring.revisions.services import draft_of
        from authoring.signing.services import sign

        agreement_id = make_agreement(owner, title="Przegląd usług — שירות", language=language)
        for name, side, role in (("psign", "provider", "signatory"), ("csign", "client", "signatory"),
                                 ("cedit", "client", "editor"), ("viewer", "client", "viewer")):
            add_member(agreement_id, people[name], side, role)
        terms = demo_terms(language, "Przegląd usług — שירות")
        terms["timeline"]["effective_date"] = effective.isoformat()
        terms["timeline"]["end_date"] = (end or effective + timedelta(days=3 * 365)).isoformat()
        terms["timeline"]["milestones"] = []
        terms["costs"]["payment_schedule"] = [row for row in terms["costs"]["payment_schedule"]
                                              if row.get("trigger") != "milestone"]
        terms["change"]["review_cadence"] = cadence
        # The terms name the people who sign (signing by anyone else is refused).
        terms["parties"]["provider"]["signatory_name"] = people["psign"].name
        terms["parties"]["client"]["signatory_name"] = people["csign"].name
        if adjust is not None:
            adjust(terms)
        with app.test_request_context(method="POST"):
            agreement = db.session.get(Agreement, agreement_id)
            user = db.session.get(User, owner.id)
            set_terms(agreement, user, terms, "test")
            if adjust_document is not None:  # e.g. another variant of a clause
                from authoring.revisions.services import write_draft
                draft, document = draft_of(agreement, for_update=True)
                write_draft(draft, adjust_document(document), user)
            _draft, document = draft_of(agreement)
            for finding in readiness(agreement, document).blocking:
                acknowledge(agreement, user, finding.rule.id, "test data")
            mark_ready(agreement, user)
            for name in ("psign", "csign"):
                signer = db.session.get(User, people[name].id)
                membership = next(m for m in agreement.memberships if m.user_id == signer.id)
                _draft, document = draft_of(agreement)
                sign(agreement, signer, membership, password=PASSWORD, full_name=signer.name, job_title="Director",
                     consent=True, shown_hash=document.sha256())
            assert db.session.get(Agreement, agreement_id).status == "executed"
        return agreement_id

    make.as_ = lambda name: login(app.test_client(), f"{name}@example.com")
    return make


# A real browser ------------------------------------------------------------------------
# Debian's Chromium; no browser is ever downloaded. Without it the browser tests skip,
# unless REQUIRE_BROWSER=1 (CI), which makes a missing browser a failure.

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run", "--disable-sync"]
VIEWPORT = {"width": 1280, "height": 800}


@pytest.fixture(scope="module")
def browser():
    if not CHROMIUM.exists():
        reason = f"no Chromium at {CHROMIUM} (install Debian's chromium package)"
        if os.environ.get("REQUIRE_BROWSER") == "1":
            pytest.fail(f"REQUIRE_BROWSER=1 but {reason}")
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


class LiveServer(str):
    """The base URL of the served app, which can also read the mail the app sends (as a mailbox would)."""

    app = None

    def confirmation_link(self, email: str) -> str:
        return self + confirmation_path(self.app, email)


@pytest.fixture
def live_server(db_config):
    """The real app on 127.0.0.1, on a free port, from a background thread; yields its base URL (a LiveServer)."""
    app = create_app(base_config(**db_config))
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    base = LiveServer(f"http://127.0.0.1:{server.server_port}")
    base.app = app
    try:
        yield base
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)
        db.dispose(app)


@pytest.fixture
def new_page(browser):
    """Pages in fresh browser contexts (separate cookies each), closed afterwards."""
    contexts = []

    def make():
        context = browser.new_context(viewport=VIEWPORT)
        context.set_default_timeout(10_000)
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()


STEPS = ("background", "services", "timelines", "costs", "client", "escalation", "sanctions", "change", "review")


def demo_urls(app) -> list[str]:
    """Every page of the demo data a provider-side owner sees: each agreement's tabs, steps and redline."""
    from authoring.models import Agreement, Dispute, Revision
    from authoring.revisions.services import draft_of

    with app.app_context():
        agreements = db.session.scalars(select(Agreement).order_by(Agreement.id)).all()
        urls = []
        for agreement in agreements:
            base = f"/agreements/{agreement.id}"
            latest = db.session.scalar(select(Revision.number).where(Revision.agreement_id == agreement.id)
                                       .order_by(Revision.number.desc()).limit(1))
            urls += [base, f"{base}/members", f"{base}/activity", f"{base}/negotiation", f"{base}/revisions",
                     f"{base}/sign", f"{base}/reviews", f"{base}/clauses/new", f"{base}/settings",
                     f"{base}/webhooks"]
            urls += [f"{base}/interview/{step}" for step in STEPS]
            if latest and latest > 1:
                urls += [f"{base}/redline?from=1&to={latest}", f"{base}/revisions/{latest}"]
            if agreement.executed_revision_id:
                urls += [f"{base}/service", f"{base}/service/import"]
                number = db.session.scalar(select(Dispute.number).where(Dispute.agreement_id == agreement.id).limit(1))
                if number is not None:
                    urls.append(f"{base}/service/disputes/{number}")
        first = agreements[0]
        key = next(draft_of(first)[1].clauses()).key
        urls += [f"/agreements/{first.id}/clauses/{key}", f"/agreements/{first.id}/clauses/{key}/edit",
                 f"/agreements/{first.id}/word",
                 "/agreements", "/agreements/new", "/agreements/import", "/import", "/verify", "/account/password",
                 "/account/calendar", "/account/tokens", "/api/v1/docs", "/portfolio",
                 "/language"]
    return urls
