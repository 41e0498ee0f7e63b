"""The interface language: each person's choice, else their browser's, through gettext catalogues.

Two languages meet on every page (DESIGN.md, Languages): the interface language of the
person reading it — their account setting, else what they chose before logging in, else
their browser's Accept-Language — and the agreement's language, which governs the
agreement's text and documents. Interface texts go through Flask-Babel's gettext; the
catalogues live in authoring/translations/<language>/LC_MESSAGES/messages.po and are
compiled when the app starts (catalogues.py), so no separate build step is needed.
"""
from __future__ import annotations

from flask import current_app, g, has_request_context, request, session
from flask_babel import Babel, force_locale

from ..config import LANGUAGES, RTL_LANGUAGES
from .catalogues import compile_catalogues

DEFAULT = "en"
SESSION_KEY = "interface_language"
# Tests render every page in this made-up language, whose catalogue wraps each text in
# brackets, to find texts that do not pass through gettext (tests/test_i18n.py).
PSEUDO = "eo"  # Esperanto: a locale Babel knows and no user of ours chooses

babel = Babel()


def interface_languages() -> tuple[str, ...]:
    """The languages a person may choose for the interface (the pseudo-locale only in tests)."""
    extra = (PSEUDO,) if has_request_context() and current_app.config.get("PSEUDO_LOCALE") else ()
    return (*LANGUAGES, *extra)


def interface_language() -> str:
    """The language this request's pages speak."""
    if not has_request_context():
        return DEFAULT
    user = g.get("user")
    for choice in (getattr(user, "language", None), session.get(SESSION_KEY)):
        if choice in interface_languages():
            return choice
    return request.accept_languages.best_match(LANGUAGES) or DEFAULT


def direction(language: str) -> str:
    """'rtl' for a right-to-left language, else 'ltr'."""
    return "rtl" if language.split("_")[0] in RTL_LANGUAGES else "ltr"


def in_language(language: str | None):
    """Render what follows in `language` (an e-mail in its recipient's, a document in the agreement's)."""
    return force_locale(language if language in LANGUAGES else DEFAULT)


def init_app(app) -> None:
    """Compile the catalogues into the instance folder and let Flask-Babel choose the language per request."""
    compiled = compile_catalogues(app.root_path, app.instance_path, pseudo=PSEUDO if app.config.get("PSEUDO_LOCALE") else None)
    app.config["BABEL_TRANSLATION_DIRECTORIES"] = str(compiled)
    app.config.setdefault("BABEL_DEFAULT_LOCALE", DEFAULT)
    babel.init_app(app, locale_selector=interface_language)

    @app.context_processor
    def _language_context():
        language = interface_language()
        return {"interface_language": language, "interface_direction": direction(language), "LANGUAGES": LANGUAGES,
                "interface_lang_tag": language.replace("_", "-")}
