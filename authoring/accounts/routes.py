"""Register, log in, log out, change password."""
from __future__ import annotations

from urllib.parse import urlsplit

from flask import Blueprint, flash, g, redirect, render_template, request, url_for

from ..audit import record
from ..extensions import db
from .forms import ChangePasswordForm, LoginForm, RegisterForm
from .services import AccountError, authenticate, change_password, register_user
from .sessions import end_current_session, login_required

bp = Blueprint("accounts", __name__)


def _safe_next(default: str) -> str:
    """Only same-site relative paths, so a crafted link cannot send people elsewhere after log-in."""
    target = request.args.get("next", "")
    parts = urlsplit(target)
    if target.startswith("/") and not target.startswith("//") and not parts.scheme and not parts.netloc and "\\" not in target:
        return target
    return default


def _status() -> int:
    """A form page re-rendered after a POST is showing errors: 422, so clients and tests can tell."""
    return 422 if request.method == "POST" else 200


@bp.route("/register", methods=["GET", "POST"])
def register():
    form = RegisterForm()
    if form.validate_on_submit():
        try:
            register_user(form.email.data, form.name.data, form.password.data)
        except AccountError as error:
            form.email.errors.append(str(error))
        else:
            flash("Welcome! Your account is ready.", "success")
            return redirect(_safe_next(url_for("agreements.dashboard")))
    return render_template("accounts/register.html", form=form), _status()


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
    flash("You are logged out.", "info")
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
            flash("Password changed. Every other session of yours has been logged out.", "success")
            return redirect(url_for("agreements.dashboard"))
    return render_template("accounts/password.html", form=form), _status()
