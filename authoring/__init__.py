"""Service agreements, authored, negotiated, signed and reviewed together."""
from __future__ import annotations

import logging
import os
from pathlib import Path

from flask import Flask

from .application import Accord
from .config import RTL_LANGUAGES, settings_from_environment

ROOT = Path(__file__).resolve().parent.parent


def create_app(config: dict | None = None) -> Flask:
    """Build the app. `config` overrides settings from the environment (tests use it).

    Under the `flask` command, a clause library already checked in this instance folder lets the
    rest of the setup (`_set_up`: extensions, views, the library) wait for the app's first use
    (application.py): `flask --help` lists the commands without importing the views, while the
    app's commands, `flask shell`, requests and any use of its routes, extensions or templates
    find it complete. (`flask` marks its whole process with FLASK_RUN_FROM_CLI, so an app a flask
    command builds - the benchmark's throw-away ones - may defer too; they are used at once.)
    Loaded any other way (gunicorn, tests, scripts), and whenever the library is new or changed,
    the app is set up here, so a broken library stops it at start-up with file and clause named.
    """
    app = Accord(
        __name__,
        instance_relative_config=True,
        template_folder=str(ROOT / "templates"),
        static_folder=str(ROOT / "static"),
    )
    app.config.from_mapping(settings_from_environment(Path(app.instance_path), config))
    app.permanent_session_lifetime = app.config["SESSION_LIFETIME_HOURS"] * 3600
    if app.config["PROXY_COUNT"]:
        from werkzeug.middleware.proxy_fix import ProxyFix

        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=app.config["PROXY_COUNT"], x_proto=app.config["PROXY_COUNT"])
    logging.getLogger("authoring").setLevel(logging.INFO)

    from .cli import register_commands
    from .library.marks import is_checked

    register_commands(app)
    if os.environ.get("FLASK_RUN_FROM_CLI") == "true" and is_checked(ROOT / "clauses", Path(app.instance_path)):
        app.defer_setup(_set_up)
    else:
        _set_up(app)
    return app


def _set_up(app: Flask) -> None:
    """Everything but the config and the CLI: extensions, the clause library, views, API, error pages."""
    from .errors import register_error_pages, security_headers
    from .extensions import csrf, db
    from .inputs.ids import IdConverter
    from .inputs.request import Request

    # Every <int:…> in a route is a row id or number: bounded, so a larger one is a 404, not an overflow.
    app.url_map.converters["int"] = IdConverter
    app.request_class = Request  # submitted values without NUL, which PostgreSQL cannot store
    db.init_app(app)
    csrf.init_app(app)
    from . import i18n

    i18n.init_app(app)

    from .library import load_library

    # Validated at start-up: a broken clause library stops the app with file and clause named (once per
    # version of the library: a mark in the instance folder says this one passed).
    app.extensions["clause_library"] = load_library(ROOT / "clauses", Path(app.instance_path))

    from .accounts.routes import bp as accounts_bp
    from .agreements.routes import bp as agreements_bp
    from .interview.routes import bp as interview_bp
    from .revisions.routes import bp as revisions_bp
    from .negotiation.routes import bp as negotiation_bp
    from .signing.routes import bp as signing_bp
    from .export.routes import bp as exports_bp
    from .reviews.routes import bp as reviews_bp
    from .calendar.routes import bp as calendar_bp
    from .i18n.routes import bp as i18n_bp
    from .roundtrip.routes import bp as roundtrip_bp
    from .webhooks.routes import bp as webhooks_bp
    from .operations.routes import bp as operations_bp

    app.register_blueprint(accounts_bp)
    app.register_blueprint(agreements_bp)
    app.register_blueprint(revisions_bp)
    app.register_blueprint(interview_bp)
    app.register_blueprint(negotiation_bp)
    app.register_blueprint(signing_bp)
    app.register_blueprint(exports_bp)
    app.register_blueprint(reviews_bp)
    app.register_blueprint(calendar_bp)
    app.register_blueprint(i18n_bp)
    app.register_blueprint(roundtrip_bp)
    app.register_blueprint(webhooks_bp)
    app.register_blueprint(operations_bp)

    from .api import init_app as init_api

    init_api(app)

    from .accounts.sessions import load_current_user

    app.before_request(load_current_user)
    app.after_request(security_headers)
    register_error_pages(app)
    _register_template_helpers(app)


def _register_template_helpers(app: Flask) -> None:
    from .render.draft_pages import draft_pages
    from .render.paging import page_url

    app.add_template_global(page_url)
    app.add_template_global(draft_pages)

    @app.template_filter("utc")
    def format_utc(value):
        return value.strftime("%Y-%m-%d %H:%M UTC") if value else ""

    @app.template_global()
    def language_direction(language: str) -> str:
        return "rtl" if language in RTL_LANGUAGES else "ltr"
