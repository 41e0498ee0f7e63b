"""Register, confirm the e-mail address, log in, log out, change password."""
from __future__ import annotations

from urllib.parse import urlsplit

from flask import Blueprint, flash, g, redirect, render_template, request, session, url_for
from flask_babel import gettext as _

from ..audit import record
from ..config import LANGUAGES
from ..extensions import db
from ..i18n import interface_language
from .forms import ChangePasswordForm, ConfirmEmailForm, LoginForm, RegisterForm, ResendConfirmationForm
from .services import (
    AccountError, ConfirmationInvalid, authenticate, change_password, confirm_email, find_confirmation,
    register_user, resend_confirmation, unconfirmed_refusal,
)
from .sessions import end_current_session, login_required

bp = Blueprint("accounts", __name__)


@bp.app_context_processor
def _account_rules():
    # Pages say why an action is refused in the service's own words.
    return {"unconfirmed_refusal": unconfirmed_refusal}


def _safe_path(target: str | None, default: str) -> str:
    """Only same-site relative paths, so a crafted link cannot send people elsewhere after log-in."""
    target = target or ""
    parts = urlsplit(target)
    if target.startswith("/") and not target.startswith("//") and not parts.scheme and not parts.netloc and "\\" not in target:
        return target
    return default


def _safe_next(default: str) -> str:
    return _safe_path(request.args.get("next"), default)


def _status() -> int:
    """A form page re-rendered after a POST is showing errors: 422, so clients and tests can tell."""
    return 422 if request.method == "POST" else 200


@bp.route("/register", methods=["GET", "POST"])
def register():
    form = RegisterForm()
    if form.validate_on_submit():
        # The same answer whether or not the address has an account: only its mailbox learns which.
        # The language this page spoke becomes the account's, so its e-mails (the first included) speak it.
        language = interface_language()
        register_user(form.email.data, form.name.data, form.password.data, next_path=_safe_next(""),
                      language=language if language in LANGUAGES else None)
        session["registered_email"] = form.email.data.strip().lower()
        return redirect(url_for("accounts.check_inbox"))
    return render_template("accounts/register.html", form=form), _status()


@bp.get("/register/check-inbox")
def check_inbox():
    return render_template("accounts/check_inbox.html", address=session.get("registered_email"))


@bp.route("/account/confirm/<token>", methods=["GET", "POST"])
def confirm(token):
    """The e-mailed link shows a button; pressing it confirms the address and logs in."""
    form = ConfirmEmailForm()
    try:
        pending = find_confirmation(token)
        if form.validate_on_submit():
            user = confirm_email(token)
            flash(_("Thank you, %(name)s: your e-mail address is confirmed and you are logged in.", name=user.name), "success")
            return redirect(_safe_next(url_for("agreements.dashboard")))
    except ConfirmationInvalid as error:
        return render_template("accounts/confirm.html", error=str(error), pending=None, form=form), 410
    return render_template("accounts/confirm.html", error=None, pending=pending, form=form), _status()


@bp.post("/account/confirm/resend")
@login_required
def resend_confirmation_link():
    form = ResendConfirmationForm()
    back = _safe_path(form.next.data, url_for("agreements.dashboard"))
    if not form.validate_on_submit():
        flash(_("The page had expired. Press “Send the link again” once more."), "error")
        return redirect(back)
    try:
        resend_confirmation(g.user, next_path=_safe_path(form.next.data, ""))
    except AccountError as error:
        flash(str(error), "error")
    else:
        flash(_("We sent a new confirmation link to %(email)s.", email=g.user.email), "success")
    return redirect(back)


@bp.route("/login", methods=["GET", "POST"])
def login():
    form = LoginForm()
    if form.validate_on_submit():
        try:
            authenticate(form.email.data, form.password.data)
        except AccountError as error:
            form.form_errors.append(str(error))
        else:
            return redirect(_safe_next(url_for("agreements.dashboard")))
    return render_template("accounts/login.html", form=form), _status()


@bp.route("/logout", methods=["POST"])
def logout():
    if g.user is not None:
        record("account.logged_out", actor=g.user)
    end_current_session()
    db.session.commit()
    flash(_("You are logged out."), "info")
    return redirect(url_for("accounts.login"))


@bp.route("/account/password", methods=["GET", "POST"])
@login_required
def password():
    form = ChangePasswordForm()
    if form.validate_on_submit():
        try:
            change_password(g.user, form.current_password.data, form.new_password.data)
        except AccountError as error:
            form.current_password.errors.append(str(error))
        else:
            flash(_("Password changed. Every other session of yours has been logged out."), "success")
            return redirect(url_for("agreements.dashboard"))
    return render_template("accounts/password.html", form=form), _status()
