"""Exports: a revision as terms.json, Word or OpenSLO YAML, the redline between two revisions as Word with
tracked changes, and the signed Word document of an executed version - the same bytes as the download links."""
from __future__ import annotations

from flask import Response

from ..export.documents import (
    issue_signed_docx, redline_docx_between, revision_docx, revision_openslo, revision_terms_json,
)
from ..export.gather import NotExportable
from ..export.routes import DOCX, _name
from ..revisions.store import RevisionIntegrityError
from .blueprint import agreement_access, blp
from .errors import ApiProblem
from .schemas import RedlineQuery

BINARY = {"schema": {"type": "string", "format": "binary"}}


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


@blp.route("/agreements/<int:agreement_id>/revisions/<int:number>/openslo.yaml", methods=["GET"])
@agreement_access("view")
@blp.doc(tags=["Exports"], responses={200: {"description": "The revision's service levels as OpenSLO v1 YAML "
                                                            "(SLO and SLI objects), for the provider's monitoring",
                                            "content": {"application/yaml": {"schema": {"type": "string"}}}}})
def openslo_file(agreement, membership, number):
    """A revision's service levels as OpenSLO v1 YAML"""
    return _file(_export(revision_openslo, agreement, number), "application/yaml",
                 _name(agreement, f"r{number}-openslo.yaml"))


@blp.route("/agreements/<int:agreement_id>/redline.docx", methods=["GET"])
@agreement_access("view")
@blp.arguments(RedlineQuery, location="query", as_kwargs=True)
@blp.doc(tags=["Exports"], responses={200: {"description": "Revision `to` as Word with tracked changes (w:ins, "
                                                            "w:del with author and date) against revision `from`, "
                                                            "and the clause comments as Word comments",
                                            "content": {DOCX: BINARY}}})
def redline_file(agreement, membership, older, newer):
    """The redline between revisions `from` and `to` as Word, with tracked changes to accept or reject"""
    try:
        data = redline_docx_between(agreement, older, newer)
    except NotExportable as error:
        if older == newer:  # the only refusal that is not a missing revision
            raise ApiProblem(422, str(error), kind="validation", errors=[
                {"field": "to", "pointer": "#/to", "in": "query", "detail": str(error)}]) from None
        raise ApiProblem(404) from None
    except RevisionIntegrityError as error:
        raise ApiProblem(409, str(error), kind="integrity") from None
    return _file(data, DOCX, _name(agreement, f"redline-r{older}-r{newer}.docx"))


SIGNED_DOC = {200: {"description": "The executed text with its signature page and certificate of completion "
                                   "(verifiable at /verify); its digest is recorded as issued",
                    "content": {DOCX: BINARY}}}


@blp.route("/agreements/<int:agreement_id>/signed.docx", methods=["GET"])
@agreement_access("view")
@blp.doc(tags=["Exports"], responses=SIGNED_DOC)
def signed_file(agreement, membership):
    """The latest executed version (the original or the latest amendment) as signed Word (409 before execution)"""
    try:
        data = issue_signed_docx(agreement)
    except NotExportable as error:
        raise ApiProblem(409, str(error), kind="refused") from None
    except RevisionIntegrityError as error:
        raise ApiProblem(409, str(error), kind="integrity") from None
    return _file(data, DOCX, _name(agreement, "signed.docx"))


@blp.route("/agreements/<int:agreement_id>/versions/<int(min=0):version>/signed.docx", methods=["GET"])
@agreement_access("view")
@blp.doc(tags=["Exports"], responses=SIGNED_DOC)
def signed_version_file(agreement, membership, version):
    """Executed version `version` as signed Word: 0 the original, N amendment N"""
    try:
        data = issue_signed_docx(agreement, version)
    except NotExportable:
        raise ApiProblem(404) from None
    except RevisionIntegrityError as error:
        raise ApiProblem(409, str(error), kind="integrity") from None
    suffix = "original-signed.docx" if version == 0 else f"amendment-{version}-signed.docx"
    return _file(data, DOCX, _name(agreement, suffix))
