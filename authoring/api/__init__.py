"""The JSON API under /api/v1: a second front door to the services the pages call.

Library: **flask-smorest** (marshmallow schemas, OpenAPI 3.1 generated from the code).
We chose it over APIFlask because it works on our plain `Flask` app: it adds
blueprints and an OpenAPI document without replacing the application class, so the
factory, the pages, their error handlers and CSRF stay as they are, and the API uses
the marshmallow, webargs and apispec that it builds on. APIFlask would have made the
whole app an `APIFlask` object for the sake of one blueprint.

The API validates and serialises; every rule (who may do what, what a change does)
stays in access.py and the feature services, called exactly as the pages call them.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from flask import Flask

if TYPE_CHECKING:
    from .spec import AccordApi


def init_app(app: Flask) -> "AccordApi":
    """Add the API, its reference pages and the token pages to `app`."""
    from ..extensions import csrf
    from ..inputs.ids import IdConverter
    from ..models.base import MAX_ID
    from .spec import API_DESCRIPTION, AccordApi

    app.config.setdefault("API_TITLE", "Accord API")
    app.config.setdefault("API_VERSION", "1")
    app.config.setdefault("OPENAPI_VERSION", "3.1.0")
    app.config.setdefault("API_SPEC_OPTIONS", {
        "info": {"description": API_DESCRIPTION.replace("API_RATE_LIMIT", str(app.config["API_RATE_LIMIT"]))},
        "security": [{"bearerAuth": []}],
        "components": {"securitySchemes": {"bearerAuth": {"type": "http", "scheme": "bearer",
                                                          "description": "A personal access token."}}},
    })
    api = AccordApi(app)
    # Ids start at 1; a number that may be 0 (an executed version: 0 is the original) says so with int(min=0).
    api.register_converter(IdConverter, lambda converter: {
        "type": "integer", "minimum": 1 if converter.min is None else converter.min, "maximum": MAX_ID})

    from . import (  # noqa: F401
        agreements, comments, exports, people, proposals, redlines, reviews, revisions, service, signing, terms,
    )
    from .blueprint import blp
    from .docs import bp as docs_bp
    from .account import bp as account_bp

    csrf.exempt(blp)  # Bearer tokens only, never cookies: nothing for a cross-site form to ride on
    api.register_blueprint(blp)
    app.register_blueprint(docs_bp)
    app.register_blueprint(account_bp)
    app.extensions["accord_api"] = api
    return api
