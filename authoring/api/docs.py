"""The OpenAPI document (generated from the code by flask-smorest) and the API reference page.

The reference is rendered here, on the server, from that same document: no script, no
renderer from elsewhere (the app's pages load nothing from other sites), readable
without JavaScript and by screen readers.
"""
from __future__ import annotations

import json
from typing import Any

from flask import Blueprint, Response, current_app, render_template
from flask_babel import lazy_gettext as _l

bp = Blueprint("api_docs", __name__)

# What each problem `type` (…/api/v1/docs#problem-<kind>) means; the API links here.
PROBLEM_KINDS = {
    "validation": _l("A value cannot be used: “errors” names each field and why."),
    "invalid-json": _l("The body is not valid JSON."),
    "token-missing": _l("No “Authorization: Bearer” header."),
    "token-invalid": _l("The token is not one we issued (or was copied in part)."),
    "token-expired": _l("The token has expired; create a new one."),
    "token-revoked": _l("The token was revoked; create a new one."),
    "insufficient-scope": _l("A read token was used to change something."),
    "token-limited": _l("The token is limited to some agreements and cannot start new ones."),
    "rate-limited": _l("Too many requests this minute; wait as “Retry-After” says."),
    "idempotency-key": _l("The Idempotency-Key header is malformed."),
    "idempotency-mismatch": _l("The Idempotency-Key was already used for a different request."),
    "idempotency-in-progress": _l("A request with this Idempotency-Key is still being handled."),
    "if-match-required": _l("A change of the terms needs If-Match with the ETag read from them."),
    "stale": _l("The terms changed since they were read; read them again."),
    "not-allowed": _l("Your side or role may not take this step; “detail” states the rule."),
    "conflict": _l("The change overlaps a newer one; “current” and “proposed” show both."),
    "unprocessable": _l("The change cannot be made to the agreement as it is."),
    "locked": _l("The agreement is being signed or is executed: its text cannot change."),
    "integrity": _l("A stored revision no longer matches its hash."),
    "refused": _l("The step cannot be taken now; “detail” says why."),
}
METHODS = ("get", "post", "put", "patch", "delete")


def openapi_document() -> dict[str, Any]:
    return current_app.extensions["accord_api"].spec.to_dict()


@bp.get("/api/v1/openapi.json")
def openapi_json():
    """The OpenAPI 3.1 document of the API (public: it describes, it holds nothing private)."""
    return Response(json.dumps(openapi_document(), ensure_ascii=False, indent=1), mimetype="application/json")


def _schema_name(schema: dict[str, Any] | None) -> str | None:
    if not schema:
        return None
    ref = schema.get("$ref") or (schema.get("items") or {}).get("$ref")
    if ref:
        name = ref.rsplit("/", 1)[-1]
        return f"{name}[]" if "items" in schema else name
    return schema.get("type") if isinstance(schema.get("type"), str) else None


def _operations(document: dict[str, Any]) -> list[tuple[str, list[dict[str, Any]]]]:
    """Operations grouped by tag, in the document's order: what the page lists."""
    groups: dict[str, list[dict[str, Any]]] = {}
    for path, item in document.get("paths", {}).items():
        for method in METHODS:
            operation = item.get(method)
            if operation is None:
                continue
            body = (operation.get("requestBody") or {}).get("content", {})
            responses = []
            for status, response in operation.get("responses", {}).items():
                if "$ref" in response:
                    response = document["components"]["responses"][response["$ref"].rsplit("/", 1)[-1]]
                content = response.get("content", {})
                types = list(content)
                responses.append({"status": status, "description": response.get("description", ""),
                                  "types": types,
                                  "schema": _schema_name(content[types[0]].get("schema")) if types else None})
            tag = (operation.get("tags") or ["API"])[0]
            groups.setdefault(tag, []).append({
                "id": operation.get("operationId") or f"{method}-{path}",
                "method": method.upper(), "path": path, "summary": operation.get("summary", ""),
                "description": operation.get("description", ""),
                "parameters": [*item.get("parameters", []), *operation.get("parameters", [])],
                "body": _schema_name(body.get("application/json", {}).get("schema")) if body else None,
                "responses": responses,
            })
    return list(groups.items())


@bp.get("/api/v1/docs")
def reference():
    """The API reference: every operation and schema of the OpenAPI document, as a page."""
    document = openapi_document()
    description = document.get("info", {}).get("description", "")
    return render_template("api/reference.html", document=document, groups=_operations(document),
                           paragraphs=[p.strip() for p in description.split("\n\n") if p.strip()],
                           schemas=document.get("components", {}).get("schemas", {}), problems=PROBLEM_KINDS)
