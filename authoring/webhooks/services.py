"""Managing one side's webhook endpoints: add, pause, resume, delete, rotate the secret, send a test event.

Every operation: the caller's membership must allow "manage_webhooks" (owners), and acts on
its own side's endpoints only - an endpoint of the other side is not found, as if it did not
exist; it is audited in the same transaction. The audit names the endpoint by number, never
its address: the Activity page is read by both sides.
"""
from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import func, select

from ..access import can
from ..agreements.services import lock_agreement
from ..audit import record
from ..extensions import db
from ..models import Agreement, Membership, User, utcnow
from ..models.webhook import WebhookDelivery, WebhookEndpoint
from .addresses import check_endpoint_url
from .events import EVENT_TYPES, queue_ping
from .signatures import new_secret, seal_secret

MAX_ENDPOINTS_PER_SIDE = 10
LOG_SIZE = 50  # deliveries shown per endpoint


class WebhookError(Exception):
    """A request the rules refuse; the message says why in the interface language."""

    status = 422


class NotAllowed(WebhookError):
    status = 403


def _check(membership: Membership) -> None:
    if not can(membership, "manage_webhooks"):
        raise NotAllowed(_("Only an owner manages the webhooks of their side."))


def endpoints_of(agreement: Agreement, side: str) -> list[WebhookEndpoint]:
    """The side's endpoints, oldest first."""
    return list(db.session.scalars(select(WebhookEndpoint).where(WebhookEndpoint.agreement_id == agreement.id,
                                                                 WebhookEndpoint.side == side)
                                   .order_by(WebhookEndpoint.id)))


def endpoint_of(agreement: Agreement, membership: Membership, endpoint_id: int) -> WebhookEndpoint | None:
    """The endpoint if it belongs to the agreement and to the member's side; else None."""
    endpoint = db.session.get(WebhookEndpoint, endpoint_id)
    if endpoint is None or endpoint.agreement_id != agreement.id or endpoint.side != membership.side:
        return None
    return endpoint


def recent_deliveries(endpoint: WebhookEndpoint, limit: int = LOG_SIZE) -> list[WebhookDelivery]:
    """The endpoint's newest deliveries, newest first."""
    return list(db.session.scalars(select(WebhookDelivery).where(WebhookDelivery.endpoint_id == endpoint.id)
                                   .order_by(WebhookDelivery.id.desc()).limit(limit)))


def delivery_state(delivery: WebhookDelivery) -> str:
    """"delivered", "failed" (given up), "retrying" (failed, to be tried again) or "waiting" (not tried yet)."""
    if delivery.delivered_at is not None:
        return "delivered"
    if delivery.failed_at is not None:
        return "failed"
    return "retrying" if delivery.attempts else "waiting"


def create_endpoint(agreement: Agreement, actor: User, membership: Membership, url: str,
                    events: list[str]) -> tuple[WebhookEndpoint, str]:
    """Add an endpoint for the member's side; returns it and its secret (shown this once)."""
    _check(membership)
    url = check_endpoint_url(url)  # AddressRefused says why not
    chosen = [event for event in EVENT_TYPES if event in set(events)]
    if not chosen:
        raise WebhookError(_("Choose at least one event to send."))
    lock_agreement(agreement.id)
    count = db.session.scalar(select(func.count()).select_from(WebhookEndpoint).where(
        WebhookEndpoint.agreement_id == agreement.id, WebhookEndpoint.side == membership.side))
    if count >= MAX_ENDPOINTS_PER_SIDE:
        db.session.rollback()
        raise WebhookError(ngettext("Your side already has %(num)d webhook endpoint, the most it may have; delete "
                                    "one first.",
                                    "Your side already has %(num)d webhook endpoints, the most it may have; delete "
                                    "one first.", MAX_ENDPOINTS_PER_SIDE))
    secret = new_secret()
    endpoint = WebhookEndpoint(agreement_id=agreement.id, side=membership.side, url=url,
                               secret_encrypted=seal_secret(secret), events=chosen, active=True,
                               created_by_id=actor.id)
    db.session.add(endpoint)
    db.session.flush()
    record("webhook.created", actor=actor, agreement=agreement, endpoint=endpoint.id, side=endpoint.side,
           events=chosen)
    db.session.commit()
    return endpoint, secret


def set_active(agreement: Agreement, actor: User, membership: Membership, endpoint: WebhookEndpoint,
               active: bool) -> bool:
    """Pause (nothing is queued or sent to it) or resume an endpoint; whether anything changed."""
    _check(membership)
    lock_agreement(agreement.id)
    db.session.refresh(endpoint)
    if endpoint.active == active:
        db.session.rollback()
        return False
    endpoint.active = active
    record("webhook.resumed" if active else "webhook.paused", actor=actor, agreement=agreement,
           endpoint=endpoint.id, side=endpoint.side)
    db.session.commit()
    return True


def delete_endpoint(agreement: Agreement, actor: User, membership: Membership, endpoint: WebhookEndpoint) -> None:
    """Delete an endpoint with its delivery log."""
    _check(membership)
    lock_agreement(agreement.id)
    record("webhook.deleted", actor=actor, agreement=agreement, endpoint=endpoint.id, side=endpoint.side)
    db.session.delete(endpoint)
    db.session.commit()


def rotate_secret(agreement: Agreement, actor: User, membership: Membership, endpoint: WebhookEndpoint) -> str:
    """Replace the endpoint's secret (the old one stops at once, retries included); returns the new one."""
    _check(membership)
    lock_agreement(agreement.id)
    db.session.refresh(endpoint)
    secret = new_secret()
    endpoint.secret_encrypted = seal_secret(secret)
    endpoint.secret_rotated_at = utcnow()
    record("webhook.secret_rotated", actor=actor, agreement=agreement, endpoint=endpoint.id, side=endpoint.side)
    db.session.commit()
    return secret


def send_test_event(agreement: Agreement, actor: User, membership: Membership,
                    endpoint: WebhookEndpoint) -> WebhookDelivery:
    """Queue a "ping" event to this one endpoint, sent with the next run of the outbox."""
    _check(membership)
    lock_agreement(agreement.id)
    db.session.refresh(endpoint)
    if not endpoint.active:
        db.session.rollback()
        raise WebhookError(_("This endpoint is paused: resume it to send it a test event."))
    delivery = queue_ping(endpoint, actor)
    record("webhook.test_sent", actor=actor, agreement=agreement, endpoint=endpoint.id, side=endpoint.side)
    db.session.commit()
    return delivery
