"""Every API error as an RFC 9457 problem: `application/problem+json` with type, title, status, detail.

A validation error also lists what failed in `errors`, each naming the field (`field`,
its JSON pointer in `pointer`, where it was sent in `in`) and why (`detail`). The app's
error handlers call `problem_for` for any request under /api/, so a routing 404 or 405,
a body too large (413) and an unexpected error (500) read the same as the API's own.
"""
from __future__ import annotations

import json
from typing import Any

from flask import Response, current_app, request
from flask_babel import gettext as _
from werkzeug.exceptions import HTTPException

from ..config import public_url

API_PREFIX = "/api/"
PROBLEM_JSON = "application/problem+json"
DEFAULT_DETAIL_OF = {  # a werkzeug exception's own description is English and generic: ours says what to do
    400: lambda: _("The request could not be read. Check its syntax against the API reference."),
    401: lambda: _("Send a valid personal access token as “Authorization: Bearer <token>”."),
    403: lambda: _("Your role in this agreement does not allow this."),
    404: lambda: _("There is nothing here, or you are not a member of it."),
    405: lambda: _("This address does not accept that method."),
    409: lambda: _("The request conflicts with the agreement as it is now."),
    412: lambda: _("The resource changed since you read it. Read it again, then send your change with its new ETag."),
    413: lambda: _("What you sent is larger than this server accepts."),
    415: lambda: _("Send the body as JSON, with “Content-Type: application/json”."),
    422: lambda: _("The request was understood but some of its values cannot be used."),
    428: lambda: _("This change needs an “If-Match” header with the ETag you read."),
    429: lambda: _("Too many requests with this token. Wait as “Retry-After” says, then try again."),
    500: lambda: _("We could not complete that. Nothing was half-saved; please try again."),
    503: lambda: _("The database cannot be reached or does not accept changes right now. Please try again later."),
}


def _titles() -> dict[int, str]:
    return {
        400: _("Bad request"), 401: _("Authentication required"), 403: _("Not allowed"), 404: _("Not found"),
        405: _("Method not allowed"), 409: _("Conflict"), 412: _("Precondition failed"), 413: _("Too large"),
        415: _("Unsupported media type"), 422: _("Invalid request"), 428: _("Precondition required"),
        429: _("Too many requests"), 500: _("Server error"), 503: _("Temporarily unavailable"),
    }


class ApiProblem(Exception):
    """Raised anywhere in the API to answer with a problem; `kind` names its type (see the reference)."""

    def __init__(self, status: int, detail: str | None = None, *, kind: str | None = None,
                 errors: list[dict[str, str]] | None = None, headers: dict[str, str] | None = None,
                 **extensions: Any):
        super().__init__(detail or "")
        self.status, self.detail, self.kind = status, detail, kind
        self.errors, self.headers, self.extensions = errors, headers or {}, extensions


def is_api_request() -> bool:
    return request.path.startswith(API_PREFIX)


def problem_type(kind: str | None) -> str:
    """The problem's `type`: a section of the API reference, or about:blank for a plain HTTP status."""
    return public_url(f"/api/v1/docs#problem-{kind}") if kind else "about:blank"


def problem(status: int, detail: str | None = None, *, kind: str | None = None,
            errors: list[dict[str, str]] | None = None, headers: dict[str, str] | None = None,
            **extensions: Any) -> Response:
    """A problem+json response."""
    body: dict[str, Any] = {
        "type": problem_type(kind),
        "title": _titles().get(status, _("Error")),
        "status": status,
        "detail": detail or (DEFAULT_DETAIL_OF[status]() if status in DEFAULT_DETAIL_OF else _("Something went wrong.")),
        "instance": request.path,
    }
    if errors:
        body["errors"] = errors
    body.update(extensions)
    response = Response(json.dumps(body, ensure_ascii=False), status=status, mimetype=PROBLEM_JSON)
    for name, value in (headers or {}).items():
        response.headers[name] = value
    if status == 401 and "WWW-Authenticate" not in response.headers:
        response.headers["WWW-Authenticate"] = 'Bearer realm="api"'
    return response


def from_problem(error: ApiProblem) -> Response:
    return problem(error.status, error.detail, kind=error.kind, errors=error.errors, headers=error.headers,
                   **error.extensions)


def field_errors(messages: Any, location: str) -> list[dict[str, str]]:
    """marshmallow's nested messages ({"title": ["…"], "rows": {0: {"name": ["…"]}}}) as a flat list,
    each naming its field by dotted name and JSON pointer."""
    found: list[dict[str, str]] = []

    def walk(node: Any, path: list[str]) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                walk(value, [*path, str(key)])
        elif isinstance(node, (list, tuple)) and any(isinstance(item, (dict, list, tuple)) for item in node):
            for index, item in enumerate(node):
                walk(item, [*path, str(index)])
        elif isinstance(node, (list, tuple)):
            for message in node:
                found.append(_field_error(path, location, str(message)))
        else:
            found.append(_field_error(path, location, str(node)))

    walk(messages, [])
    return found


def _field_error(path: list[str], location: str, message: str) -> dict[str, str]:
    pointer = "".join("/" + part.replace("~", "~0").replace("/", "~1") for part in path)
    # "_schema" is marshmallow's name for an error about the whole body
    field = ".".join(path) if path and path != ["_schema"] else ""
    return {"field": field, "pointer": "#" + (pointer if field else ""), "in": location, "detail": message}


WEBARGS_LOCATIONS = {"json": "body", "query": "query", "headers": "header", "path": "path", "view_args": "path"}


def problem_for(error: HTTPException) -> Response:
    """The problem for an HTTP error raised in (or on the way to) the API."""
    code = error.code or 500
    data = getattr(error, "data", None) or {}
    messages = data.get("messages")
    if messages and code in (400, 422):  # webargs: what failed, by location
        errors = []
        for location, fields in messages.items():
            errors += field_errors(fields, WEBARGS_LOCATIONS.get(location, location))
        if code == 400:  # unreadable JSON: say so, not which field
            return problem(400, _("The body is not valid JSON."), kind="invalid-json")
        return problem(422, _("Some values cannot be used; “errors” says which and why."), kind="validation",
                       errors=errors)
    headers = {}
    if code == 405 and getattr(error, "valid_methods", None):
        headers["Allow"] = ", ".join(sorted(error.valid_methods))
    detail = None
    if code == 403 and error.description and error.description != type(error).description:
        detail = error.description  # a refusal with its own rule ("the other side answers")
    if code == 413:
        limit = current_app.config["MAX_CONTENT_LENGTH"]
        detail = _("What you sent is larger than this server accepts (%(limit)s bytes at most).", limit=limit)
    if code == 503:
        headers["Retry-After"] = "60"
    return problem(code, detail, headers=headers)
