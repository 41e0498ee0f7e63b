"""The API's blueprint and what every request to it goes through, in order:

1. a personal access token (`Authorization: Bearer …`): missing, unknown, expired or
   revoked is a 401 with `WWW-Authenticate: Bearer`; cookies are never read, so CSRF
   cannot reach the API and the blueprint is exempt from it;
2. the token's rate limit (API_RATE_LIMIT requests a minute, counted in the database): 429
   with Retry-After;
3. a body must be JSON (415 otherwise);
4. a POST with an `Idempotency-Key` is answered once: a retry with the same key and body
   gets the stored answer, the same key with another body a 422.

Each resource module adds its routes to `blp`; `agreement_access` guards the ones that
name an agreement with the same rules as the pages (access.py).
"""
from __future__ import annotations

import re
from functools import wraps

from flask import Response, current_app, g, request
from flask_babel import gettext as _
from flask_smorest import Blueprint

from ..access import require, token_allows
from ..database import SAFE_METHODS
from ..extensions import db
from ..models import User
from . import limits
from .errors import ApiProblem
from .tokens import TokenRefused, token_for

blp = Blueprint("api", __name__, url_prefix="/api/v1",
                description="Service agreements: agreements, terms, proposals, comments, revisions, exports, signing.")

IDEMPOTENCY_KEY = re.compile(r"[\x21-\x7e]{1,255}")  # visible ASCII, as the header's draft standard allows
JSON_TYPES = ("application/json",)


IDEMPOTENCY_PARAMETER = {
    "name": "Idempotency-Key", "in": "header", "required": False,
    "schema": {"type": "string", "minLength": 1, "maxLength": 255, "pattern": "^[!-~]+$"},
    "description": "Any unique string (a UUID): a retry with the same key and body is answered from the first "
                   "request, never acted on twice; the same key with another body is a 422.",
}


def post_doc(tag: str):
    """The documentation every POST carries: its tag and the Idempotency-Key header."""
    return blp.doc(tags=[tag], parameters=[IDEMPOTENCY_PARAMETER])


def _refused(detail: str, kind: str) -> ApiProblem:
    return ApiProblem(401, detail, kind=kind, headers={"WWW-Authenticate": 'Bearer realm="api", error="invalid_token"'})


@blp.before_request
def authenticate():
    """Who is asking (the token's owner), how often, in what format, and whether they asked before."""
    g.user = None  # never the browser's session: only the token speaks for a person here
    # The token, its count and its key are kept in short transactions of their own (limits.py):
    # the request's own must not hold the database meanwhile (SQLite has one writer at a time).
    db.session.rollback()
    scheme, _space, secret = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not secret.strip():
        raise ApiProblem(401, _("Send a personal access token as “Authorization: Bearer <token>”. Create one on "
                                "your account's API tokens page."), kind="token-missing",
                         headers={"WWW-Authenticate": 'Bearer realm="api"'})
    try:
        with limits.own_transaction() as session:
            token = token_for(secret.strip(), session)
    except TokenRefused as refused:
        raise _refused({"expired": _("This token has expired. Create a new one on your account's API tokens page."),
                        "revoked": _("This token was revoked. Create a new one on your account's API tokens page."),
                        }.get(refused.reason, _("This token is not valid. Check that you copied all of it.")),
                       f"token-{refused.reason}") from None
    g.api_token = token
    usage = limits.count_request(token.id, current_app.config["API_RATE_LIMIT"])
    g.api_usage = usage
    if usage.exceeded:
        raise ApiProblem(429, _("This token may make %(limit)d requests a minute. Wait %(seconds)d seconds, then "
                                "try again.", limit=usage.limit, seconds=usage.reset_in),
                         kind="rate-limited", headers={"Retry-After": str(usage.reset_in)})
    if request.method not in SAFE_METHODS and request.content_length and request.mimetype not in JSON_TYPES:
        raise ApiProblem(415)
    replay = None
    if request.method == "POST" and "Idempotency-Key" in request.headers:
        replay = _idempotent(token.id, request.headers["Idempotency-Key"])
    g.user = db.session.get(User, token.user_id)
    return replay


def _idempotent(token_id: int, key: str) -> Response | None:
    """Replay the answer `key` already holds, refuse a different request under it, or hold it for this one."""
    if not IDEMPOTENCY_KEY.fullmatch(key):
        raise ApiProblem(400, _("An Idempotency-Key is 1 to 255 visible ASCII characters (a UUID is usual)."),
                         kind="idempotency-key")
    digest = limits.body_hash(request.get_data())
    stored = limits.look_up_key(token_id, key)
    if stored is None:
        try:
            g.idempotency_row = limits.reserve_key(token_id, key, request.method, request.path, digest)
            return None
        except limits.KeyTaken:
            stored = limits.look_up_key(token_id, key)
            if stored is None:  # reserved and released meanwhile: the other request failed; try it again
                raise ApiProblem(409, _("A request with this Idempotency-Key is being handled. Retry in a moment."),
                                 kind="idempotency-in-progress", headers={"Retry-After": "1"}) from None
    if (stored.method, stored.path, stored.request_hash) != (request.method, request.path, digest):
        raise ApiProblem(422, _("This Idempotency-Key was used for a different request. Use a new key for a new "
                                "request."), kind="idempotency-mismatch")
    if stored.status is None:
        raise ApiProblem(409, _("A request with this Idempotency-Key is being handled. Retry in a moment."),
                         kind="idempotency-in-progress", headers={"Retry-After": "1"})
    replay = Response(stored.body, status=stored.status, content_type=stored.content_type)
    if stored.location:
        replay.headers["Location"] = stored.location
    replay.headers["Idempotent-Replayed"] = "true"
    return replay


@blp.after_request
def remember(response: Response) -> Response:
    """Keep the answer under its Idempotency-Key (a server error lets go of the key); say the rate limit."""
    row = g.pop("idempotency_row", None)
    if row is not None:
        db.session.rollback()  # the services committed; let go of the database before keeping the answer
        if response.status_code >= 500:
            limits.release_key(row)
        else:
            limits.finish_key(row, response.status_code, response.get_data(as_text=True), response.content_type,
                              response.headers.get("Location"))
    usage = g.get("api_usage")
    if usage is not None:
        response.headers["RateLimit-Limit"] = str(usage.limit)
        response.headers["RateLimit-Remaining"] = str(usage.remaining)
        response.headers["RateLimit-Reset"] = str(usage.reset_in)
    return response


@blp.teardown_request
def let_go(_error) -> None:
    """A request that ended without a response (the process's own failure) does not keep its key."""
    row = g.pop("idempotency_row", None)
    if row is not None:
        db.session.rollback()
        limits.release_key(row)


def insufficient_scope() -> ApiProblem:
    return ApiProblem(403, _("This token may only read. Create a read-write token to make changes."),
                      kind="insufficient-scope",
                      headers={"WWW-Authenticate": 'Bearer realm="api", error="insufficient_scope"'})


def require_scope(action: str) -> None:
    """403 unless the request's token may be used for `action` (access.TOKEN_SCOPES)."""
    if not token_allows(g.api_token.scope, action):
        raise insufficient_scope()


def agreement_access(action: str):
    """Guard a view taking `agreement_id` as the pages are guarded: a stranger (or a token limited to
    other agreements) gets 404, a role that may not do `action` 403, and so does a read token
    for anything but reading. The view receives `agreement` and `membership` instead.

    Placed above the body's parsing, so a stranger learns nothing from a validation error.
    """

    def decorator(view):
        @wraps(view)
        def wrapped(*args, agreement_id: int, **kwargs):
            token = g.api_token
            if token.limited and agreement_id not in token.agreement_ids:
                raise ApiProblem(404)
            agreement, membership = require(agreement_id, action)
            require_scope(action)
            g.membership = membership
            return view(*args, agreement=agreement, membership=membership, **kwargs)

        wrapped.required_action = action  # read by the access-rule tests
        return wrapped

    return decorator
