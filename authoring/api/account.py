"""The account's API tokens page: create a token (shown once), see them all, revoke one."""
from __future__ import annotations

from flask import Blueprint, abort, flash, g, redirect, render_template, url_for
from flask_babel import gettext as _
from sqlalchemy import select

from ..accounts.sessions import login_required
from ..agreements.forms import ConfirmForm
from ..extensions import db
from ..models import Agreement, Membership, utcnow
from .forms import SCOPE_LABELS, NewTokenForm
from .tokens import TokenError, create_token, revoke_token, tokens_of

bp = Blueprint("api_tokens", __name__)


def _agreement_choices(user_id: int) -> list[tuple[int, str]]:
    rows = db.session.execute(select(Agreement.id, Agreement.title).join(Membership, Membership.agreement_id == Agreement.id)
                              .where(Membership.user_id == user_id).order_by(Agreement.title, Agreement.id))
    return [(agreement_id, title) for agreement_id, title in rows]


def _page(form: NewTokenForm, secret: str | None = None, status: int = 200):
    titles = dict(form.agreements.choices)
    return render_template("accounts/tokens.html", form=form, secret=secret, tokens=tokens_of(g.user),
                           confirm=ConfirmForm(), now=utcnow(), scope_labels=SCOPE_LABELS, titles=titles), status


@bp.get("/account/tokens")
@login_required
def tokens():
    form = NewTokenForm()
    form.agreements.choices = _agreement_choices(g.user.id)
    return _page(form)


@bp.post("/account/tokens")
@login_required
def create():
    form = NewTokenForm()
    form.agreements.choices = _agreement_choices(g.user.id)
    if not form.validate_on_submit():
        return _page(form, status=422)
    try:
        _token, secret = create_token(g.user, name=form.name.data, scope=form.scope.data, days=form.days.data,
                                      agreement_ids=form.agreements.data or ())
    except TokenError as error:
        form.form_errors.append(str(error))
        return _page(form, status=422)
    return _page(_blank(), secret=secret, status=201)


def _blank() -> NewTokenForm:
    form = NewTokenForm(formdata=None)
    form.agreements.choices = _agreement_choices(g.user.id)
    return form


@bp.post("/account/tokens/<int:token_id>/revoke")
@login_required
def revoke(token_id):
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        token = revoke_token(g.user, token_id)
    except LookupError:
        abort(404)
    flash(_("The token “%(name)s” is revoked: it no longer works.", name=token.name), "success")
    return redirect(url_for("api_tokens.tokens"))
