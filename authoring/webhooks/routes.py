"""The Webhooks pages of an agreement: an owner's endpoints for their own side, each with its delivery log."""
from __future__ import annotations

from flask import Blueprint, abort, flash, g, redirect, render_template, url_for
from flask_babel import gettext as _

from ..access import agreement_route
from ..agreements.forms import ConfirmForm
from .addresses import AddressRefused
from .events import EVENT_TYPES
from .forms import EndpointForm
from .services import (
    LOG_SIZE, WebhookError, create_endpoint, delete_endpoint, delivery_state, endpoint_of, endpoints_of,
    recent_deliveries, rotate_secret, send_test_event, set_active,
)

bp = Blueprint("webhooks", __name__)


def _index(agreement, membership, form, status=200, error=None):
    endpoints = endpoints_of(agreement, membership.side)
    latest = {endpoint.id: next(iter(recent_deliveries(endpoint, 1)), None) for endpoint in endpoints}
    return render_template("webhooks/index.html", agreement=agreement, membership=membership, form=form,
                           endpoints=endpoints, latest=latest, event_types=EVENT_TYPES, confirm=ConfirmForm(),
                           delivery_state=delivery_state, error=error), status


def _endpoint(agreement, membership, endpoint_id):
    endpoint = endpoint_of(agreement, membership, endpoint_id)
    if endpoint is None:
        abort(404)  # not this agreement's, or the other side's: not shown to exist
    return endpoint


@bp.route("/agreements/<int:agreement_id>/webhooks")
@agreement_route("manage_webhooks")
def index(agreement, membership):
    return _index(agreement, membership, EndpointForm())


@bp.route("/agreements/<int:agreement_id>/webhooks", methods=["POST"])
@agreement_route("manage_webhooks")
def create(agreement, membership):
    form = EndpointForm()
    if not form.validate_on_submit():
        return _index(agreement, membership, form, status=422)
    try:
        endpoint, secret = create_endpoint(agreement, g.user, membership, form.url.data, form.events.data)
    except AddressRefused as error:
        form.url.errors.append(str(error))
        return _index(agreement, membership, form, status=422)
    except WebhookError as error:
        return _index(agreement, membership, form, status=error.status, error=str(error))
    return render_template("webhooks/secret.html", agreement=agreement, membership=membership, endpoint=endpoint,
                           secret=secret, created=True), 201


@bp.route("/agreements/<int:agreement_id>/webhooks/<int:endpoint_id>")
@agreement_route("manage_webhooks")
def endpoint(agreement, membership, endpoint_id):
    found = _endpoint(agreement, membership, endpoint_id)
    return render_template("webhooks/endpoint.html", agreement=agreement, membership=membership, endpoint=found,
                           deliveries=recent_deliveries(found), log_size=LOG_SIZE,
                           event_types=EVENT_TYPES, delivery_state=delivery_state, confirm=ConfirmForm())


def _confirmed() -> None:
    if not ConfirmForm().validate_on_submit():
        abort(400)


@bp.route("/agreements/<int:agreement_id>/webhooks/<int:endpoint_id>/test", methods=["POST"])
@agreement_route("manage_webhooks")
def test(agreement, membership, endpoint_id):
    _confirmed()
    found = _endpoint(agreement, membership, endpoint_id)
    try:
        send_test_event(agreement, g.user, membership, found)
    except WebhookError as error:
        flash(str(error), "error")
    else:
        flash(_("A test event is queued; it is sent with the next run of the outbox, usually within a minute. "
                "Its delivery appears below."), "success")
    return redirect(url_for("webhooks.endpoint", agreement_id=agreement.id, endpoint_id=endpoint_id))


@bp.route("/agreements/<int:agreement_id>/webhooks/<int:endpoint_id>/pause", methods=["POST"])
@agreement_route("manage_webhooks")
def pause(agreement, membership, endpoint_id):
    _confirmed()
    if set_active(agreement, g.user, membership, _endpoint(agreement, membership, endpoint_id), False):
        flash(_("Endpoint paused: no event is queued or sent to it until you resume it."), "success")
    return redirect(url_for("webhooks.endpoint", agreement_id=agreement.id, endpoint_id=endpoint_id))


@bp.route("/agreements/<int:agreement_id>/webhooks/<int:endpoint_id>/resume", methods=["POST"])
@agreement_route("manage_webhooks")
def resume(agreement, membership, endpoint_id):
    _confirmed()
    if set_active(agreement, g.user, membership, _endpoint(agreement, membership, endpoint_id), True):
        flash(_("Endpoint resumed: new events are sent to it again."), "success")
    return redirect(url_for("webhooks.endpoint", agreement_id=agreement.id, endpoint_id=endpoint_id))


@bp.route("/agreements/<int:agreement_id>/webhooks/<int:endpoint_id>/rotate", methods=["POST"])
@agreement_route("manage_webhooks")
def rotate(agreement, membership, endpoint_id):
    _confirmed()
    found = _endpoint(agreement, membership, endpoint_id)
    secret = rotate_secret(agreement, g.user, membership, found)
    return render_template("webhooks/secret.html", agreement=agreement, membership=membership, endpoint=found,
                           secret=secret, created=False)


@bp.route("/agreements/<int:agreement_id>/webhooks/<int:endpoint_id>/delete", methods=["POST"])
@agreement_route("manage_webhooks")
def delete(agreement, membership, endpoint_id):
    _confirmed()
    delete_endpoint(agreement, g.user, membership, _endpoint(agreement, membership, endpoint_id))
    flash(_("Endpoint deleted, with its delivery log."), "success")
    return redirect(url_for("webhooks.index", agreement_id=agreement.id))
