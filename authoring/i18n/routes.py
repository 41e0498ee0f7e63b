"""Choose the interface language: on the account when logged in, for the browser session otherwise."""
from __future__ import annotations

from flask import Blueprint, flash, g, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_babel import refresh

from ..accounts.routes import _safe_path
from ..config import LANGUAGES
from ..extensions import db
from . import SESSION_KEY, interface_language
from .forms import LanguageForm

bp = Blueprint("i18n", __name__)


@bp.route("/language", methods=["GET", "POST"])
def choose():
    form = LanguageForm(language=(getattr(g.get("user"), "language", None) or session.get(SESSION_KEY) or ""))
    if form.validate_on_submit():
        choice = form.language.data or None  # "": follow the browser
        session[SESSION_KEY] = choice
        if g.get("user") is not None:
            g.user.language = choice
            db.session.commit()
        refresh()  # this response already speaks the new language
        flash(_("The interface is now in %(language)s.", language=LANGUAGES[interface_language()]), "success")
        return redirect(_safe_path(form.next.data, url_for("i18n.choose")))
    return render_template("accounts/language.html", form=form, languages=LANGUAGES,
                           browser=request.accept_languages.best_match(LANGUAGES),
                           back=_safe_path(request.args.get("next"), url_for("agreements.index"))), 422 if request.method == "POST" else 200
