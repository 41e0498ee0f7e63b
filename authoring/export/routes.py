"""Downloads (DOCX, redline DOCX, signed DOCX, terms.json, OpenSLO YAML), the published schema, import and verify pages."""
from __future__ import annotations

import io
import json
import re

from flask import Blueprint, Response, abort, flash, g, redirect, render_template, send_file, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField, FileRequired

from ..access import agreement_route
from ..accounts.sessions import login_required
from ..i18n.forms import Form
from ..inputs.uploads import read_upload
from ..signing.verify import verify_file
from .documents import issue_signed_docx, redline_docx_between, revision_docx, revision_openslo, revision_terms_json
from .gather import NotExportable
from .importing import import_terms
from .terms import terms_schema
from .terms_import import MAX_BYTES as TERMS_MAX_BYTES, TermsFileInvalid

bp = Blueprint("exports", __name__)

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


class UploadForm(Form):
    file = FileField(_l("File"), validators=[FileRequired(_l("Choose a file first."))])


def _download(data: bytes, name: str, mimetype: str) -> Response:
    response = send_file(io.BytesIO(data), mimetype=mimetype, as_attachment=True, download_name=name)
    response.headers["Cache-Control"] = "no-store"
    return response


def _name(agreement, suffix: str) -> str:
    """A file name from the title: letters of any script kept, everything else a hyphen."""
    stem = re.sub(r"[^\w]+", "-", agreement.title, flags=re.UNICODE).strip("-")[:80] or f"agreement-{agreement.id}"
    return f"{stem}-{suffix}"


def _not_exportable(agreement, error: NotExportable):
    flash(str(error), "error")
    return redirect(url_for("signing.page", agreement_id=agreement.id))


@bp.get("/agreements/<int:agreement_id>/revisions/<int:number>/export.docx")
@agreement_route("view")
def revision_as_docx(agreement, membership, number):
    try:
        return _download(revision_docx(agreement, number), _name(agreement, f"r{number}.docx"), DOCX)
    except NotExportable:
        abort(404)


@bp.get("/agreements/<int:agreement_id>/revisions/<int:number>/terms.json")
@agreement_route("view")
def revision_as_terms(agreement, membership, number):
    try:
        return _download(revision_terms_json(agreement, number), _name(agreement, f"r{number}-terms.json"),
                         "application/json")
    except NotExportable:
        abort(404)


@bp.get("/agreements/<int:agreement_id>/revisions/<int:number>/openslo.yaml")
@agreement_route("view")
def revision_as_openslo(agreement, membership, number):
    try:
        return _download(revision_openslo(agreement, number), _name(agreement, f"r{number}-openslo.yaml"),
                         "application/yaml")
    except NotExportable:
        abort(404)


@bp.get("/agreements/<int:agreement_id>/redline/<int:older>-<int:newer>.docx")
@agreement_route("view")
def redline_as_docx(agreement, membership, older, newer):
    try:
        data = redline_docx_between(agreement, older, newer)
    except NotExportable:
        abort(404)
    return _download(data, _name(agreement, f"redline-r{older}-r{newer}.docx"), DOCX)


@bp.get("/agreements/<int:agreement_id>/signed.docx")
@bp.get("/agreements/<int:agreement_id>/versions/<int:version>/signed.docx")
@agreement_route("view")
def signed_docx(agreement, membership, version=None):
    """The latest executed version, or version N (0: the original, N: amendment N)."""
    try:
        data = issue_signed_docx(agreement, version)
    except NotExportable as error:
        if version is not None:
            abort(404)
        return _not_exportable(agreement, error)
    suffix = "signed.docx" if version is None else ("original-signed.docx" if version == 0 else f"amendment-{version}-signed.docx")
    return _download(data, _name(agreement, suffix), DOCX)


@bp.get("/schema/terms/v1.json")
def schema():
    response = Response(json.dumps(terms_schema(), ensure_ascii=False, indent=2),
                        mimetype="application/schema+json")
    response.headers["Access-Control-Allow-Origin"] = "*"  # a published schema is for any tool to read
    return response


@bp.route("/import", methods=["GET", "POST"])
@login_required
def import_page():
    form = UploadForm()
    errors: list[tuple[str, str]] = []
    if form.validate_on_submit():
        raw = form.file.data.read(TERMS_MAX_BYTES + 1)
        try:
            agreement = import_terms(raw, g.user)
        except TermsFileInvalid as error:
            errors = error.errors
        else:
            flash(_("Imported “%(title)s” as a new draft. Invite the other side when it is ready.", title=agreement.title),
                  "success")
            return redirect(url_for("agreements.show", agreement_id=agreement.id))
    status = 422 if form.is_submitted() else 200
    return render_template("exports/import.html", form=form, errors=errors), status


@bp.route("/verify", methods=["GET", "POST"])
def verify_page():
    form = UploadForm()
    verdict = None
    if form.validate_on_submit():
        verdict = verify_file(read_upload(form.file.data))
    status = 422 if form.is_submitted() and verdict is None else 200
    return render_template("exports/verify.html", form=form, verdict=verdict), status
