"""Start a new agreement from a terms file (reuse, renewal): all of it or nothing."""
from __future__ import annotations

import json
from typing import Any

from flask import current_app

from ..agreements.services import create_agreement
from ..document import Document
from ..library.binding import parts_bound
from ..config import LANGUAGES
from ..models import Agreement, User
from ..models.agreement import ORG_NAME_MAX, TITLE_MAX
from .terms_import import TermsFileInvalid, read_terms_file


def import_terms(raw: bytes, owner: User) -> Agreement:
    """A new draft agreement owned by `owner` holding exactly the file's terms and clauses.

    TermsFileInvalid lists every problem with its JSON pointer - the file's own and this
    app's (a language it does not offer, a blank organisation) - and then nothing is created.
    """
    try:
        imported, errors = read_terms_file(raw), []
    except TermsFileInvalid as error:
        imported, errors = None, error.errors
    errors += _app_errors(_loose(raw))
    if imported is not None:
        errors += _template_errors(imported.document, imported.language)
    if errors or imported is None:
        raise TermsFileInvalid(errors)
    return create_agreement(
        owner, title=imported.title.strip(), language=imported.language, provider_name=imported.provider_name.strip(),
        client_name=imported.client_name.strip(), document=imported.document,
        imported_from={"agreement": imported.source_agreement_id, "revision": imported.source_revision,
                       "sha256": imported.source_sha256},
    )


def _loose(raw: bytes) -> dict[str, Any]:
    """The file as JSON when it is any kind of JSON object, else {} (read_terms_file says why)."""
    try:
        data = json.loads(raw)
    except (ValueError, RecursionError):
        return {}
    return data if isinstance(data, dict) else {}


def _text_at(data: dict[str, Any], *path: str) -> Any:
    for key in path:
        data = data.get(key) if isinstance(data, dict) else None
    return data


def _app_errors(data: dict[str, Any]) -> list[tuple[str, str]]:
    """What this app needs of an agreement beyond the schema."""
    if not data:
        return []
    errors = []
    language = _text_at(data, "agreement", "language")
    if isinstance(language, str) and language not in LANGUAGES:
        errors.append(("/agreement/language", f"{language!r} is not one of {', '.join(LANGUAGES)}"))
    for pointer, path, limit in (("/agreement/title", ("agreement", "title"), TITLE_MAX),
                                 ("/parties/provider/organisation", ("parties", "provider", "organisation"), ORG_NAME_MAX),
                                 ("/parties/client/organisation", ("parties", "client", "organisation"), ORG_NAME_MAX)):
        value = _text_at(data, *path)
        if isinstance(value, str) and not value.strip():
            errors.append((pointer, "must not be blank: an agreement needs it"))
        elif isinstance(value, str) and len(value) > limit:
            errors.append((pointer, f"longer than {limit} characters"))
    return errors


def _template_errors(document: Document, language: str) -> list[tuple[str, str]]:
    """A clause's template must state terms this app knows and render exactly the clause's text."""
    library = current_app.extensions["clause_library"]
    errors = []
    for s_index, section in enumerate(document.sections):
        for c_index, clause in enumerate(section.clauses):
            if clause.parts is None:
                continue
            pointer = f"/sections/{s_index}/clauses/{c_index}/template"
            unknown = sorted({path for slot in clause.slots() for path in (slot.term, *slot.args)
                              if library.catalogue.spec(path) is None})
            if unknown:
                errors.append((pointer, f"names terms this app does not know: {', '.join(unknown)}"))
            elif parts_bound(library, clause.parts, document.terms, language).text != clause.text:
                errors.append((pointer, "does not render the clause's text from the file's terms"))
    return errors
