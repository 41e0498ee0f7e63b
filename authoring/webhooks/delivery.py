"""Posting queued webhook deliveries, run by `flask --app app outbox send` after the e-mails.

Each delivery is claimed before it is sent: one UPDATE moves its `next_attempt_at` a lease
ahead (and counts the attempt) only if it is still due, and commits. A second sender
running at the same time finds it no longer due and skips it, on SQLite and PostgreSQL
alike, and no lock is held while the receiver answers. A sender that dies mid-attempt
leaves the delivery to be tried again when the lease ends. The outcome is written only by
the sender that holds the claim (the attempt number fences it).

A 2xx answer delivers it. Anything else - another status, a timeout, a refused connection,
an address that now leads to a private network - is retried after 1 minute, 5 minutes,
30 minutes, 2 hours and 12 hours; after the sixth attempt it is given up (`failed_at`).
Redirects are not followed: a 3xx is a failure. Delivery is at least once: a receiver
drops a second copy by its Webhook-Id.
"""
from __future__ import annotations

import http.client
import json
import logging
import socket
import ssl
import threading
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select, update

from ..extensions import db
from ..models import utcnow
from ..models.webhook import WebhookDelivery, WebhookEndpoint
from .addresses import AddressRefused, Target, addresses_of, parse_endpoint_url
from .signatures import SecretUnreadable, open_secret, signature

logger = logging.getLogger("authoring.webhooks")

TIMEOUT_SECONDS = 10  # for each step: connecting, sending, each read of the answer
ATTEMPT_SECONDS = 30  # for the whole attempt: a receiver trickling its answer out is cut off after this
# Waits after the 1st, 2nd, ... failed attempt; after one more failure than listed, the delivery is given up.
BACKOFF = (timedelta(minutes=1), timedelta(minutes=5), timedelta(minutes=30), timedelta(hours=2), timedelta(hours=12))
MAX_ATTEMPTS = len(BACKOFF) + 1
# How long a claimed delivery is left to its sender before another may try it again.
LEASE = timedelta(minutes=5)
ERROR_MAX = 500
USER_AGENT = "Accord-Webhooks/1"


@dataclass
class WebhookRun:
    """What one run of the sender did."""

    delivered: int = 0
    retrying: int = 0  # failed this time, to be tried again later
    given_up: int = 0


@dataclass(frozen=True)
class _Outcome:
    status: int | None = None
    error: str | None = None

    @property
    def delivered(self) -> bool:
        return self.status is not None and 200 <= self.status < 300


def send_webhooks(now: datetime | None = None, limit: int | None = None) -> WebhookRun:
    """Post every delivery due at `now` (default: the current time) to its active endpoint, oldest first.

    Each delivery commits on its own. `now` lets a test (or an operator) run the sender as at another time.
    """
    # The run's clock: `now` as given, moving on as the run takes time (claims and outcomes are dated
    # when they happen, so a long run never hands out a lease that has already run out).
    offset = (now - utcnow()) if now is not None else timedelta(0)
    now = utcnow() + offset
    query = (select(WebhookDelivery.id).join(WebhookEndpoint, WebhookEndpoint.id == WebhookDelivery.endpoint_id)
             .where(WebhookDelivery.next_attempt_at <= now, WebhookEndpoint.active.is_(True))
             .order_by(WebhookDelivery.next_attempt_at, WebhookDelivery.id))
    if limit is not None:
        query = query.limit(limit)
    due = list(db.session.scalars(query))
    db.session.commit()
    run = WebhookRun()
    for delivery_id in due:
        claimed = _claim(delivery_id, utcnow() + offset)
        if claimed is None:  # another sender took it meanwhile
            continue
        outcome = _attempt(claimed)
        _finish(claimed, outcome, utcnow() + offset, run)
    return run


def _claim(delivery_id: int, now: datetime) -> WebhookDelivery | None:
    """The delivery, with this attempt counted, if it was still due; it is then ours until the lease ends."""
    claimed = db.session.execute(
        update(WebhookDelivery)
        .where(WebhookDelivery.id == delivery_id, WebhookDelivery.next_attempt_at <= now)
        .values(attempts=WebhookDelivery.attempts + 1, next_attempt_at=now + LEASE, last_attempt_at=now)
        .execution_options(synchronize_session=False)
    ).rowcount
    db.session.commit()
    if claimed != 1:
        return None
    return db.session.get(WebhookDelivery, delivery_id, populate_existing=True)


def _attempt(delivery: WebhookDelivery) -> _Outcome:
    endpoint = delivery.endpoint
    try:
        secret = open_secret(endpoint.secret_encrypted)
        target = parse_endpoint_url(endpoint.url)
        addresses = addresses_of(target)  # checked now, and connected to as checked
    except (SecretUnreadable, AddressRefused) as error:
        return _Outcome(error=str(error))
    body = delivery.body.encode("utf-8")
    timestamp = int(utcnow().timestamp())
    headers = {
        "Content-Type": "application/json",
        "User-Agent": USER_AGENT,
        "Webhook-Id": delivery.event_id,
        "Webhook-Timestamp": str(timestamp),
        "Webhook-Signature": signature(secret, delivery.event_id, timestamp, body),
    }
    try:
        return _Outcome(status=_post(target, addresses, headers, body))
    except (OSError, http.client.HTTPException, ssl.SSLError) as error:
        return _Outcome(error=f"{error.__class__.__name__}: {error}" if str(error) else error.__class__.__name__)


def _post(target: Target, addresses: list[str], headers: dict[str, str], body: bytes) -> int:
    """POST `body` to the first of `addresses` that accepts a connection; the answer's status."""
    last_error: OSError | None = None
    for address in addresses:
        connection = _connection(target, address)
        try:
            connection.connect()
        except OSError as error:
            connection.close()
            last_error = error
            continue
        deadline = threading.Timer(ATTEMPT_SECONDS, _cut, (connection,))
        deadline.start()
        try:
            connection.request("POST", target.path, body=body, headers=headers)
            return connection.getresponse().status  # the answer's body is not read: only its status counts
        finally:
            deadline.cancel()
            connection.close()
    raise last_error or OSError("no address to connect to")


def _cut(connection: http.client.HTTPConnection) -> None:
    """End an attempt that outlived ATTEMPT_SECONDS: its blocked read fails at once."""
    sock = connection.sock
    if sock is not None:
        try:
            sock.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass


def _connection(target: Target, address: str) -> http.client.HTTPConnection:
    if target.scheme == "https":
        return _PinnedHTTPSConnection(target.host, target.port, address)
    return _PinnedHTTPConnection(target.host, target.port, address)


class _PinnedHTTPConnection(http.client.HTTPConnection):
    """An HTTP connection to one checked IP address, naming the URL's host in its Host header."""

    def __init__(self, host: str, port: int, address: str):
        super().__init__(host, port, timeout=TIMEOUT_SECONDS)
        self.address = address

    def connect(self) -> None:
        self.sock = socket.create_connection((self.address, self.port), self.timeout)


class _PinnedHTTPSConnection(http.client.HTTPSConnection):
    """An HTTPS connection to one checked IP address, verifying the certificate for the URL's host."""

    def __init__(self, host: str, port: int, address: str):
        super().__init__(host, port, timeout=TIMEOUT_SECONDS, context=ssl.create_default_context())
        self.address = address

    def connect(self) -> None:
        sock = socket.create_connection((self.address, self.port), self.timeout)
        self.sock = self._context.wrap_socket(sock, server_hostname=self.host)


def _finish(delivery: WebhookDelivery, outcome: _Outcome, now: datetime, run: WebhookRun) -> None:
    """Write the attempt's outcome, unless another sender claimed the delivery since (its lease ran out)."""
    attempt = delivery.attempts
    values: dict = {"last_status": outcome.status, "last_error": None}
    if outcome.delivered:
        values.update(delivered_at=now, next_attempt_at=None)
        run.delivered += 1
    else:
        values["last_error"] = outcome.error[:ERROR_MAX] if outcome.error else None  # else the status says it
        if attempt >= MAX_ATTEMPTS:
            values.update(failed_at=now, next_attempt_at=None)
            run.given_up += 1
        else:
            values["next_attempt_at"] = now + BACKOFF[attempt - 1]
            run.retrying += 1
    db.session.execute(update(WebhookDelivery)
                       .where(WebhookDelivery.id == delivery.id, WebhookDelivery.attempts == attempt)
                       .values(**values).execution_options(synchronize_session=False))
    db.session.commit()
    logger.info("%s", json.dumps({"delivery": delivery.id, "endpoint": delivery.endpoint_id, "event": delivery.event,
                                  "event_id": delivery.event_id, "attempt": attempt, "status": outcome.status,
                                  "error": values["last_error"],
                                  "next_attempt_at": values.get("next_attempt_at") and values["next_attempt_at"].isoformat()},
                                 ensure_ascii=False))
