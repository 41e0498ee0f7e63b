"""Start a new agreement from a terms file (reuse, renewal): all of it or nothing."""
from __future__ import annotations

import json
from typing import Any

from ..agreements.services import create_agreement
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
