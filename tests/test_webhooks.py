"""Webhooks: endpoints per side, events queued with the event itself, delivered to a real local receiver,
signed, retried with the same event id, never the other side's business."""
from __future__ import annotations

import hashlib
import hmac
import json
import re
import threading
import time
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from conftest import post_form
from sqlalchemy import select

from authoring.access import membership_of
from authoring.extensions import db
from authoring.models import Agreement, User, WebhookDelivery, WebhookEndpoint, utcnow
from authoring.negotiation.comments import add_comment
from authoring.negotiation.services import propose, share
from authoring.revisions.services import draft_of
from authoring.webhooks.delivery import send_webhooks

KEY = "general.confidentiality"
SECRET_RE = re.compile(r'data-testid="secret" value="([^"]+)"|value="([^"]+)"[^>]*data-testid="secret"')
ENDPOINT_RE = re.compile(r"/webhooks/(\d+)\"")


class Receiver:
    """A real HTTP server on 127.0.0.1 that keeps what it is sent and answers the statuses it is told."""

    def __init__(self):
        self.requests: list[tuple[dict[str, str], bytes]] = []  # (headers with lower-case names, body)
        self.statuses: list[int] = []  # answered in turn; 200 once used up
        self.delay = 0.0
        self.url = ""

    def events(self) -> list[dict]:
        return [json.loads(body) for _headers, body in self.requests]


def _serve(receiver: Receiver):
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
            receiver.requests.append(({name.lower(): value for name, value in self.headers.items()}, body))
            time.sleep(receiver.delay)
            self.send_response(receiver.statuses.pop(0) if receiver.statuses else 200)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *_args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    receiver.url = f"http://127.0.0.1:{server.server_port}/hooks/accord"
    return server, thread


@pytest.fixture
def receivers(app):
    """Two receivers (one per side's systems); the app may post to local addresses."""
    app.config["WEBHOOKS_ALLOW_PRIVATE"] = True
    made = [Receiver(), Receiver()]
    servers = [_serve(receiver) for receiver in made]
    yield made
    for server, thread in servers:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


@pytest.fixture
def shared(app, make_user, make_agreement, add_member, login):
    """A shared draft: provider owner (powner), client owner (cowner), client viewer; logged-in clients by name."""
    people = {"powner": make_user("powner@example.com", name="Pat Provider"),
              "cowner": make_user("cowner@example.com", name="Cat Client"),
              "cviewer": make_user("cviewer@example.com", name="Vic Viewer")}
    agreement_id = make_agreement(people["powner"])
    add_member(agreement_id, people["cowner"], "client", "owner")
    add_member(agreement_id, people["cviewer"], "client", "viewer")
    with app.test_request_context(method="POST"):
        user = db.session.get(User, people["powner"].id)
        share(db.session.get(Agreement, agreement_id), user, membership_of(user.id, agreement_id), "shared")

    class Shared:
        id = agreement_id
        users = people

        @staticmethod
        def as_(name):
            return login(app.test_client(), f"{name}@example.com")

    return Shared


def add_endpoint(client, agreement_id: int, url: str, events: list[str]) -> tuple[int, str]:
    """Add an endpoint through the page; (its id, the secret shown once)."""
    response = post_form(client, f"/agreements/{agreement_id}/webhooks", {"url": url, "events": events})
    page = response.get_data(as_text=True)
    assert response.status_code == 201, page
    secret = next(g for g in SECRET_RE.search(page).groups() if g)
    return int(ENDPOINT_RE.search(page).group(1)), secret


def make_proposal(app, agreement_id: int, user: User) -> None:
    with app.test_request_context(method="POST"):
        agreement, author = db.session.get(Agreement, agreement_id), db.session.get(User, user.id)
        text = draft_of(agreement)[1].clause(KEY).text
        propose(agreement, author, membership_of(author.id, agreement_id), "clause_text", KEY, text + " Amended.", text)


def make_comment(app, agreement_id: int, user: User, body: str) -> None:
    with app.test_request_context(method="POST"):
        agreement, author = db.session.get(Agreement, agreement_id), db.session.get(User, user.id)
        add_comment(agreement, author, membership_of(author.id, agreement_id), body)


def send(runner) -> str:
    result = runner.invoke(args=["outbox", "send"])
    assert result.exit_code == 0, result.output
    return result.output.strip().splitlines()[-1]


def deliveries(app, endpoint_id: int) -> list[WebhookDelivery]:
    with app.app_context():
        rows = list(db.session.scalars(select(WebhookDelivery).where(WebhookDelivery.endpoint_id == endpoint_id)
                                       .order_by(WebhookDelivery.id)))
        for row in rows:
            db.session.expunge(row)
        return rows


def verifies(secret: str, headers: dict[str, str], body: bytes) -> bool:
    """The receiver's check, written from the documented scheme (not with the app's code)."""
    signed = f"{headers['webhook-id']}.{headers['webhook-timestamp']}.".encode() + body
    expected = "v1=" + hmac.new(secret.encode(), signed, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected, headers["webhook-signature"])


def test_a_proposal_reaches_the_receiver_signed_with_its_event_id(app, runner, shared, receivers):
    provider = shared.as_("powner")
    endpoint_id, secret = add_endpoint(provider, shared.id, receivers[0].url, ["proposal.made", "comment.added"])
    make_proposal(app, shared.id, shared.users["cowner"])
    queued = deliveries(app, endpoint_id)
    assert [d.event for d in queued] == ["proposal.made"]  # written with the proposal, before any sending

    assert send(runner) == "delivered 1 webhook, 0 to retry, 0 given up"
    (headers, body), = receivers[0].requests
    assert headers["content-type"] == "application/json"
    assert headers["webhook-id"] == queued[0].event_id
    assert abs(int(headers["webhook-timestamp"]) - time.time()) < 60
    assert verifies(secret, headers, body)
    assert not verifies(secret + "x", headers, body) and not verifies(secret, headers, body + b" ")
    event = json.loads(body)
    assert event["id"] == headers["webhook-id"] and event["type"] == "proposal.made"
    assert event["agreement"] == {"id": shared.id, "title": "Support agreement",
                                  "url": f"http://localhost/agreements/{shared.id}"}
    assert event["data"]["proposal"] | {"reason": ""} == {"number": 1, "side": "client", "kind": "clause_text",
                                                          "target": KEY, "status": "open", "reason": "",
                                                          "counter_of": None}
    assert event["data"]["actor"] == {"name": "Cat Client", "side": "client"}
    assert b"@example.com" not in body  # no e-mail address leaves

    assert send(runner) == "delivered 0 webhooks, 0 to retry, 0 given up"  # delivered once
    with app.app_context():  # the secret is stored encrypted, and no page shows it again
        stored = db.session.get(WebhookEndpoint, endpoint_id).secret_encrypted
    assert secret not in stored and secret[6:] not in stored
    for path in ("", f"/{endpoint_id}"):
        assert secret not in provider.get(f"/agreements/{shared.id}/webhooks{path}").get_data(as_text=True)


def test_a_failed_delivery_is_retried_later_with_the_same_event_id(app, runner, shared, receivers):
    receiver = receivers[0]
    receiver.statuses = [500]
    provider = shared.as_("powner")
    endpoint_id, secret = add_endpoint(provider, shared.id, receiver.url, ["comment.added"])
    make_comment(app, shared.id, shared.users["cowner"], "Can we talk about the cap?")

    assert send(runner) == "delivered 0 webhooks, 1 to retry, 0 given up"
    (first,) = deliveries(app, endpoint_id)
    assert (first.attempts, first.last_status, first.delivered_at) == (1, 500, None)
    # The wait runs from the attempt's end (last_attempt_at is its start).
    assert timedelta(minutes=1) <= first.next_attempt_at - first.last_attempt_at <= timedelta(minutes=1, seconds=10)
    page = provider.get(f"/agreements/{shared.id}/webhooks/{endpoint_id}").get_data(as_text=True)
    assert "failed, will retry" in page and "HTTP 500" in page

    assert send(runner) == "delivered 0 webhooks, 0 to retry, 0 given up"  # not due yet
    assert len(receiver.requests) == 1
    with app.app_context():
        run = send_webhooks(now=utcnow() + timedelta(minutes=2))
    assert (run.delivered, run.retrying) == (1, 0)
    (again,) = deliveries(app, endpoint_id)
    assert again.attempts == 2 and again.delivered_at is not None and again.next_attempt_at is None
    (h1, b1), (h2, b2) = receiver.requests
    assert h1["webhook-id"] == h2["webhook-id"] == first.event_id and b1 == b2  # the same event, for de-duplication
    assert verifies(secret, h2, b2) and json.loads(b2)["data"]["comment"]["body"] == "Can we talk about the cap?"
    assert "delivered" in provider.get(f"/agreements/{shared.id}/webhooks/{endpoint_id}").get_data(as_text=True)


def test_a_delivery_that_keeps_failing_backs_off_then_is_given_up(app, runner, shared, receivers):
    receiver = receivers[0]
    receiver.statuses = [503] * 10
    endpoint_id, _secret = add_endpoint(shared.as_("powner"), shared.id, receiver.url, ["comment.added"])
    make_comment(app, shared.id, shared.users["cowner"], "Hello")
    waits, now = [], utcnow()
    with app.app_context():
        for _attempt in range(6):
            run = send_webhooks(now=now)
            (row,) = deliveries(app, endpoint_id)
            if row.next_attempt_at is not None:
                waits.append(row.next_attempt_at - now)
                now = row.next_attempt_at
        assert (run.retrying, run.given_up) == (0, 1)
        assert send_webhooks(now=now + timedelta(days=7)).delivered == 0
    # Each wait runs from the end of its attempt, which took a moment.
    assert [round(wait.total_seconds() / 60) for wait in waits] == [1, 5, 30, 120, 720]
    (row,) = deliveries(app, endpoint_id)
    assert row.attempts == 6 and row.failed_at is not None and len(receiver.requests) == 6
    assert len({headers["webhook-id"] for headers, _body in receiver.requests}) == 1


def test_two_senders_at_once_deliver_once(app, shared, receivers):
    receiver = receivers[0]
    receiver.delay = 0.5  # the first sender is still waiting for the answer when the second looks
    endpoint_id, _secret = add_endpoint(shared.as_("powner"), shared.id, receiver.url, ["comment.added"])
    make_comment(app, shared.id, shared.users["cowner"], "Once only")
    results = []

    def sender():
        with app.app_context():
            results.append(send_webhooks())

    threads = [threading.Thread(target=sender) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(run.delivered for run in results) == [0, 1]
    assert len(receiver.requests) == 1 and deliveries(app, endpoint_id)[0].attempts == 1


def test_only_subscribed_events_are_queued(app, shared, receivers):
    endpoint_id, _secret = add_endpoint(shared.as_("powner"), shared.id, receivers[0].url, ["comment.added"])
    make_proposal(app, shared.id, shared.users["cowner"])
    assert deliveries(app, endpoint_id) == []
    make_comment(app, shared.id, shared.users["cowner"], "A comment")
    assert [d.event for d in deliveries(app, endpoint_id)] == ["comment.added"]
    with app.app_context():  # a paused endpoint gets nothing new
        db.session.get(WebhookEndpoint, endpoint_id).active = False
        db.session.commit()
    make_comment(app, shared.id, shared.users["cowner"], "Another")
    assert len(deliveries(app, endpoint_id)) == 1


def test_a_sides_own_business_never_reaches_the_other_side(app, runner, shared, receivers):
    """The provider's webhook settings, its test event and its invitations are its own: the client's
    endpoint, subscribed to every event, gets none of them."""
    from authoring.webhooks.events import EVENT_TYPES

    client_owner, provider = shared.as_("cowner"), shared.as_("powner")
    client_endpoint, _ = add_endpoint(client_owner, shared.id, receivers[1].url, list(EVENT_TYPES))
    provider_endpoint, _ = add_endpoint(provider, shared.id, receivers[0].url, list(EVENT_TYPES))
    post_form(provider, f"/agreements/{shared.id}/webhooks/{provider_endpoint}/test")
    post_form(provider, f"/agreements/{shared.id}/webhooks/{provider_endpoint}/rotate")
    response = post_form(provider, f"/agreements/{shared.id}/invitations",
                         {"side": "provider", "role": "editor", "email": "new.editor@example.com"})
    assert response.status_code == 201
    assert deliveries(app, client_endpoint) == []
    assert [d.event for d in deliveries(app, provider_endpoint)] == ["ping"]
    send(runner)
    assert receivers[1].requests == []
    (ping,) = receivers[0].events()
    assert ping["type"] == "ping" and ping["data"]["endpoint"] == provider_endpoint
    # The Activity page (read by both sides) says an endpoint was added, never where it points.
    activity = client_owner.get(f"/agreements/{shared.id}/activity").get_data(as_text=True)
    assert "Pat Provider (provider) added a webhook endpoint for their side" in activity
    assert receivers[0].url not in activity and "/hooks/accord" not in activity


def test_the_test_button_queues_a_ping_the_sender_delivers(app, runner, shared, receivers):
    provider = shared.as_("powner")
    endpoint_id, secret = add_endpoint(provider, shared.id, receivers[0].url, ["agreement.executed"])
    page = provider.get(f"/agreements/{shared.id}/webhooks/{endpoint_id}").get_data(as_text=True)
    assert "Send test event" in page and "Nothing was sent to this endpoint yet." in page
    response = post_form(provider, f"/agreements/{shared.id}/webhooks/{endpoint_id}/test", follow_redirects=True)
    assert response.status_code == 200 and "A test event is queued" in response.get_data(as_text=True)
    assert send(runner) == "delivered 1 webhook, 0 to retry, 0 given up"
    (headers, body), = receivers[0].requests
    assert verifies(secret, headers, body) and json.loads(body)["type"] == "ping"
    page = provider.get(f"/agreements/{shared.id}/webhooks/{endpoint_id}").get_data(as_text=True)
    assert "ping" in page and "badge-delivery-delivered" in page

    new_page = post_form(provider, f"/agreements/{shared.id}/webhooks/{endpoint_id}/rotate").get_data(as_text=True)
    rotated = next(g for g in SECRET_RE.search(new_page).groups() if g)
    assert rotated != secret
    post_form(provider, f"/agreements/{shared.id}/webhooks/{endpoint_id}/test")
    send(runner)
    headers, body = receivers[0].requests[1]
    assert verifies(rotated, headers, body) and not verifies(secret, headers, body)

    assert post_form(provider, f"/agreements/{shared.id}/webhooks/{endpoint_id}/delete").status_code == 302
    assert deliveries(app, endpoint_id) == []  # the log goes with its endpoint
    assert provider.get(f"/agreements/{shared.id}/webhooks/{endpoint_id}").status_code == 404


def test_reviews_due_renewal_windows_and_expiry_are_sent_once(app, runner, executed, receivers):
    agreement_id = executed(utcnow().date() - timedelta(days=400), cadence="quarterly")
    owner = executed.as_("owner")
    endpoint_id, _secret = add_endpoint(owner, agreement_id, receivers[0].url,
                                        ["review.due", "renewal.window_opened", "agreement.expired"])
    with app.app_context():
        agreement = db.session.get(Agreement, agreement_id)
        review, renewal, end = agreement.next_review_on, agreement.renewal_opens_on, agreement.ends_on
    for day in (review - timedelta(days=3), review - timedelta(days=2), renewal + timedelta(days=1),
                renewal + timedelta(days=2), end + timedelta(days=1), end + timedelta(days=2)):
        assert runner.invoke(args=["remind", "--today", day.isoformat()]).exit_code == 0
    assert [d.event for d in deliveries(app, endpoint_id)] == ["review.due", "renewal.window_opened",
                                                               "agreement.expired"]
    send(runner)
    due, window, expired = receivers[0].events()
    assert due["data"] == {"due_on": review.isoformat(), "actor": None}
    assert window["data"] == {"opens_on": renewal.isoformat(), "ends_on": end.isoformat(), "actor": None}
    assert expired["data"] == {"ended_on": end.isoformat(), "actor": None}


def test_an_owner_sees_and_manages_their_own_sides_endpoints_only(app, shared, receivers):
    provider, client_owner, viewer = shared.as_("powner"), shared.as_("cowner"), shared.as_("cviewer")
    endpoint_id, _secret = add_endpoint(provider, shared.id, receivers[0].url, ["comment.added"])
    base = f"/agreements/{shared.id}/webhooks"
    assert receivers[0].url in provider.get(base).get_data(as_text=True)
    client_page = client_owner.get(base)
    assert client_page.status_code == 200 and receivers[0].url not in client_page.get_data(as_text=True)
    assert "Your side has no webhook endpoint yet." in client_page.get_data(as_text=True)
    assert client_owner.get(f"{base}/{endpoint_id}").status_code == 404
    for action in ("test", "pause", "rotate", "delete"):
        assert post_form(client_owner, f"{base}/{endpoint_id}/{action}").status_code == 404
    assert viewer.get(base).status_code == 403
    assert post_form(viewer, base, {"url": receivers[1].url, "events": ["comment.added"]}).status_code == 403
    with app.app_context():
        endpoint = db.session.get(WebhookEndpoint, endpoint_id)
        assert endpoint.active and endpoint.side == "provider"
        assert db.session.scalar(select(WebhookEndpoint.id).where(WebhookEndpoint.side == "client")) is None
    assert deliveries(app, endpoint_id) == []

    settings = provider.get(f"/agreements/{shared.id}/settings").get_data(as_text=True)
    assert f'href="{base}"' in settings  # reached from the Settings page
    assert f'href="{base}"' not in viewer.get(f"/agreements/{shared.id}/settings").get_data(as_text=True)
    assert post_form(provider, f"{base}/{endpoint_id}/delete").status_code == 302
    with app.app_context():
        assert db.session.get(WebhookEndpoint, endpoint_id) is None


@pytest.mark.parametrize("url, message", [
    ("ftp://example.com/hooks", "must start with https://"),
    ("example.com/hooks", "must start with https://"),
    ("https://user:secret@example.com/hooks", "Leave the user name and password out"),
    ("https://exa mple.com/", "spaces or control characters"),
    ("https://example.com:99999/", "not a valid web address"),
    ("http://127.0.0.1:8080/hooks", "private or local network"),
    ("http://10.1.2.3/hooks", "private or local network"),
    ("http://169.254.169.254/latest/meta-data", "private or local network"),
    ("http://[::ffff:127.0.0.1]/hooks", "private or local network"),
    ("http://localhost/hooks", "private or local network"),
])
def test_a_url_webhooks_cannot_go_to_is_a_form_error(app, shared, url, message):
    provider = shared.as_("powner")
    response = post_form(provider, f"/agreements/{shared.id}/webhooks", {"url": url, "events": ["comment.added"]})
    page = response.get_data(as_text=True)
    assert response.status_code == 422 and message in page and 'aria-invalid="true"' in page
    with app.app_context():
        assert db.session.scalar(select(WebhookEndpoint.id)) is None


def test_no_event_chosen_is_a_form_error(app, shared):
    response = post_form(shared.as_("powner"), f"/agreements/{shared.id}/webhooks", {"url": "https://example.com/h"})
    assert response.status_code == 422 and "Choose at least one event to send." in response.get_data(as_text=True)


def test_a_saved_address_now_private_is_not_posted_to(app, runner, shared, receivers):
    """Checked again at delivery: an address allowed when saved is refused once it leads somewhere private."""
    endpoint_id, _secret = add_endpoint(shared.as_("powner"), shared.id, receivers[0].url, ["comment.added"])
    app.config["WEBHOOKS_ALLOW_PRIVATE"] = False
    make_comment(app, shared.id, shared.users["cowner"], "Hello")
    assert send(runner) == "delivered 0 webhooks, 1 to retry, 0 given up"
    assert receivers[0].requests == []
    assert "private or local network" in deliveries(app, endpoint_id)[0].last_error


def test_the_webhook_pages_pass_their_text_through_gettext(backend, db_config, receivers):
    """The pseudo-locale check of test_i18n on the pages the demo walk does not reach: the secret shown
    once, and an endpoint with a delivery in each state."""
    from conftest import PASSWORD, base_config
    from test_i18n import untranslated_words

    from authoring import create_app
    from authoring.accounts.passwords import hash_password
    from authoring.agreements.services import create_agreement

    if backend != "sqlite":
        pytest.skip("the pages are the same on either database; checked once")
    app = create_app(base_config(PSEUDO_LOCALE=True, WEBHOOKS_ALLOW_PRIVATE=True, **db_config))
    with app.test_request_context(method="POST"):
        owner = User(email="owner@example.com", name="Olivia Owner", password_hash=hash_password(PASSWORD),
                     email_verified_at=utcnow())
        db.session.add(owner)
        db.session.commit()
        agreement_id = create_agreement(owner, title="Support", language="en", provider_name="P", client_name="C").id
    client = app.test_client()
    post_form(client, "/login", {"email": "owner@example.com", "password": PASSWORD})
    with client.session_transaction() as session:
        session["interface_language"] = "eo"
    response = post_form(client, f"/agreements/{agreement_id}/webhooks",
                         {"url": receivers[0].url, "events": ["comment.added"]})
    pages = {"secret": response.get_data(as_text=True)}
    endpoint_id = int(ENDPOINT_RE.search(pages["secret"]).group(1))
    for _ in range(3):
        post_form(client, f"/agreements/{agreement_id}/webhooks/{endpoint_id}/test")
    receivers[0].statuses = [200, 500]
    with app.app_context():
        send_webhooks(limit=2)  # one delivered, one to retry, one waiting
    post_form(client, f"/agreements/{agreement_id}/webhooks/{endpoint_id}/pause")
    pages["endpoint"] = client.get(f"/agreements/{agreement_id}/webhooks/{endpoint_id}").get_data(as_text=True)
    pages["index"] = client.get(f"/agreements/{agreement_id}/webhooks").get_data(as_text=True)
    pages["invalid"] = post_form(client, f"/agreements/{agreement_id}/webhooks", {"url": "ftp://x"}).get_data(as_text=True)
    for name in ("delivered", "retrying", "waiting"):
        assert f"badge-delivery-{name}" in pages["endpoint"]
    found = {name: words for name, page in pages.items() if (words := untranslated_words(page))}
    assert not found
    db.dispose(app)


@pytest.mark.parametrize("address, public", [
    ("64:ff9b::a9fe:a9fe", False),  # NAT64 to the cloud metadata address
    ("64:ff9b::7f00:1", False),  # NAT64 to 127.0.0.1
    ("2002:a9fe:a9fe::1", False),  # 6to4 around 169.254.169.254
    ("::ffff:10.0.0.1", False),
    ("64:ff9b::808:808", True),  # NAT64 to a public address
    ("2606:4700:4700::1111", True),
])
def test_an_ipv4_address_inside_an_ipv6_one_is_judged_as_itself(address, public):
    from authoring.webhooks.addresses import is_public

    assert is_public(address) is public


def test_a_receiver_trickling_its_answer_is_cut_off_and_retried(app, runner, shared, receivers, monkeypatch):
    import socket
    import threading
    import time

    from authoring.webhooks import delivery

    monkeypatch.setattr(delivery, "ATTEMPT_SECONDS", 1)
    listener = socket.create_server(("127.0.0.1", 0))
    stop = threading.Event()

    def trickle():  # reads the request, then sends its status line a byte every 0.2 s, never ending it
        connection, _address = listener.accept()
        with connection:
            connection.recv(65536)
            while not stop.is_set():
                try:
                    connection.sendall(b"H")
                except OSError:
                    return
                time.sleep(0.2)

    threading.Thread(target=trickle, daemon=True).start()
    try:
        endpoint_id, _secret = add_endpoint(shared.as_("powner"), shared.id,
                                            f"http://127.0.0.1:{listener.getsockname()[1]}/hook", ["comment.added"])
        make_comment(app, shared.id, shared.users["cowner"], "Slow down.")
        started = time.monotonic()
        assert send(runner) == "delivered 0 webhooks, 1 to retry, 0 given up"
        assert time.monotonic() - started < 5  # each read came within the step timeout; the attempt's deadline held
    finally:
        stop.set()
        listener.close()
    (attempt,) = deliveries(app, endpoint_id)
    assert attempt.delivered_at is None and attempt.last_error and attempt.next_attempt_at is not None
