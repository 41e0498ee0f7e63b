"""Error pages (and API problems) for every failure, the security headers of every response."""
from __future__ import annotations

from flask import Flask, g, render_template, request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError, SQLAlchemyError
from werkzeug.exceptions import Forbidden, HTTPException

from .api.errors import is_api_request, problem, problem_for
from .inputs.uploads import upload_limit_mib

CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'"
)

# Titles and messages of the error pages, in the interface language when shown.
ERROR_MESSAGES = {
    400: (_l("Bad request"), _l("The request could not be understood. Go back and try again.")),
    403: (_l("Not allowed"), _l("Your role in this agreement does not allow this. Ask one of its owners.")),
    404: (_l("Not found"), _l("There is nothing here, or you are not a member of it.")),
    405: (_l("Not allowed"), _l("This address does not accept that kind of request.")),
    413: (_l("Too large"), _l("What you sent is larger than this server accepts.")),
    500: (_l("Something went wrong"), _l("We could not complete that. Nothing was half-saved; please try again.")),
    503: (_l("Temporarily unavailable"), _l("The database cannot be reached or does not accept changes right now, so "
                                            "nothing was saved. Please try again in a few minutes.")),
}


def security_headers(response):
    """Headers every response carries: a strict CSP, no sniffing, no framing, no caching of private pages."""
    response.headers["Content-Security-Policy"] = CONTENT_SECURITY_POLICY
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Referrer-Policy"] = "same-origin"
    response.headers["X-Frame-Options"] = "DENY"
    if g.get("user") is not None:
        # Agreement pages are private: no shared or back-button caches.
        response.headers["Cache-Control"] = "no-store"
    return response


# SQLite's primary result codes for a database that cannot be used now (sqlite.org/rescode.html):
# PERM, BUSY, LOCKED, READONLY, IOERR, FULL, CANTOPEN, PROTOCOL. Its other OperationalErrors
# ("no such table", a syntax error) are the app's own mistakes: a 500.
SQLITE_UNAVAILABLE = frozenset({3, 5, 6, 8, 10, 13, 14, 15})


def database_unavailable(error: Exception) -> bool:
    """True when `error` says the database is down, unreachable or read-only, not that the app erred."""
    if not isinstance(error, DBAPIError):
        return False
    code = getattr(error.orig, "sqlite_errorcode", None)
    if code is not None:
        return code & 0xFF in SQLITE_UNAVAILABLE  # extended codes carry the primary one in the low byte
    if isinstance(error, (OperationalError, InterfaceError)):
        return True  # refused or dropped connections, a server shutting down, timeouts
    # PostgreSQL: 25006 a read-only transaction (a standby), 08 connection, 53 resources, 57P0x shutdown.
    sqlstate = getattr(error.orig, "sqlstate", None) or ""
    return sqlstate == "25006" or sqlstate[:2] in ("08", "53") or sqlstate.startswith("57P0")


def _end_failed_transaction() -> None:
    """Roll back before an error page: after a failed statement PostgreSQL refuses every further one."""
    session = g.get("db_session")
    if session is None:
        return
    try:
        session.rollback()
    except SQLAlchemyError:
        # The connection itself is gone: drop the session; the page must not need the database.
        g.pop("db_session").close()
        g.user = None


def register_error_pages(app: Flask) -> None:
    """Every error as a page in the interface language, or as a problem (RFC 9457) on the API."""
    def render_error(code: int, message: str | None = None, headers: dict | None = None):
        _end_failed_transaction()
        title, default = ERROR_MESSAGES.get(code, (_l("Error"), _l("Something went wrong.")))
        page = render_template("errors/error.html", code=code, title=title, message=message or default)
        return page, code, headers or {}

    @app.errorhandler(CSRFError)
    def csrf_error(error):
        return render_error(400, _("This form has expired or was not sent from this site. Reload the page and try again."))

    @app.errorhandler(HTTPException)
    def http_error(error):
        if is_api_request():  # the API answers every error as a problem (RFC 9457), never a page
            _end_failed_transaction()
            return problem_for(error)
        if error.code not in ERROR_MESSAGES:
            return error
        # A 403 raised with its own description says which rule applies (e.g. "the other side answers").
        specific = error.code == 403 and error.description != Forbidden.description
        if error.code == 413:  # say how large is too large, so the person knows what to send instead
            return render_error(413, _("What you sent is larger than this server accepts (%(limit)s MiB at most). "
                                       "Go back and send a smaller file.", limit=upload_limit_mib()))
        return render_error(error.code, error.description if specific else None)

    @app.errorhandler(Exception)
    def unexpected_error(error):
        if database_unavailable(error):
            app.logger.error("database unavailable on %s %s: %s", request.method, request.path, error)
            # Who is signed in cannot be read again now: the page is shown as to a visitor.
            g.user = None
            if is_api_request():
                _end_failed_transaction()
                return problem(503, headers={"Retry-After": "60"})
            return render_error(503, headers={"Retry-After": "60"})
        app.logger.exception("unhandled error on %s %s", request.method, request.path)
        if is_api_request():
            _end_failed_transaction()
            return problem(500)
        return render_error(500)
