"""The calendar settings page and the feed itself (the token in the address is the credential)."""
from __future__ import annotations

from flask import Blueprint, Response, abort, flash, g, render_template, request, url_for
from flask_babel import gettext as _

from ..accounts.sessions import login_required
from ..calendar_feed import ical
from ..config import public_url
from ..i18n.forms import Form
from .services import calendar_events, calendar_name, new_calendar_token, revoke_calendar_token, user_by_calendar_token

bp = Blueprint("calendar", __name__)


@bp.route("/account/calendar", methods=["GET", "POST"])
@login_required
def settings():
    form = Form()
    token = None
    if form.validate_on_submit():
        action = request.form.get("action")
        if action == "revoke":
            revoke_calendar_token(g.user)
            flash(_("Your calendar feed is off: its address no longer works."), "success")
        elif action == "create":
            token = new_calendar_token(g.user)
        else:
            abort(400)
    # The public address, as in e-mails: the one calendar programs outside can reach.
    feed_url = public_url(url_for("calendar.feed", token=token)) if token else None
    return render_template("accounts/calendar.html", form=form, feed_url=feed_url,
                           active=g.user.calendar_token_hash is not None)


@bp.get("/calendar/<token>.ics")
def feed(token):
    user = user_by_calendar_token(token)
    if user is None:
        abort(404)
    events, stamp = calendar_events(user)
    response = Response(ical(events, name=calendar_name(user), stamp=stamp),
                        mimetype="text/calendar")
    response.headers["Content-Disposition"] = 'inline; filename="agreements.ics"'
    response.headers["Cache-Control"] = "private, max-age=300"
    response.headers["Referrer-Policy"] = "no-referrer"
    return response
