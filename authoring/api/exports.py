"""Exports of a revision: terms.json and Word - the same bytes as the download links."""
from __future__ import annotations

from flask import Response

from ..export.documents import revision_docx, revision_terms_json
from ..export.gather import NotExportable
from ..export.routes import DOCX, _name
from ..revisions.store import RevisionIntegrityError
from .blueprint import agreement_access, blp
from .errors import ApiProblem


def _file(data: bytes, mimetype: str, name: str) -> Response:
    response = Response(data, mimetype=mimetype)
    response.headers["Content-Disposition"] = f"attachment; filename*=UTF-8''{_quoted(name)}"
    response.headers["Cache-Control"] = "no-store"
    return response


def _quoted(name: str) -> str:
    from urllib.parse import quote

    return quote(name, safe="")


def _export(make, agreement, number):
    try:
        return make(agreement, number)
    except NotExportable:
        raise ApiProblem(404) from None
    except RevisionIntegrityError as error:
        raise ApiProblem(409, str(error), kind="integrity") from None


@blp.route("/agreements/<int:agreement_id>/revisions/<int:number>/terms.json", methods=["GET"])
@agreement_access("view")
@blp.doc(tags=["Exports"], responses={200: {"description": "The revision's terms file (valid against "
                                                            "/schema/terms/v1.json)",
                                            "content": {"application/json": {"schema": {"type": "object"}}}}})
def terms_file(agreement, membership, number):
    """A revision as terms.json"""
    return _file(_export(revision_terms_json, agreement, number), "application/json",
                 _name(agreement, f"r{number}-terms.json"))


@blp.route("/agreements/<int:agreement_id>/revisions/<int:number>/document.docx", methods=["GET"])
@agreement_access("view")
@blp.doc(tags=["Exports"], responses={200: {"description": "The revision as a Word document",
                                            "content": {DOCX: {"schema": {"type": "string", "format": "binary"}}}}})
def word_file(agreement, membership, number):
    """A revision as Word (DOCX)"""
    return _file(_export(revision_docx, agreement, number), DOCX, _name(agreement, f"r{number}.docx"))
