"""Pages of the Word round trip: upload an edited DOCX, preview its changes, propose the chosen ones."""
from __future__ import annotations

from flask import Blueprint, abort, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext

from ..access import agreement_route
from ..inputs.uploads import read_upload
from ..negotiation.changes import InvalidChange
from ..negotiation.services import NegotiationError
from .forms import ProposeChangesForm, WordUploadForm
from .services import ImportRefused, import_word_file, keep_upload, pending_upload, preview_word_file

bp = Blueprint("roundtrip", __name__)


@bp.route("/agreements/<int:agreement_id>/word", methods=["GET", "POST"])
@agreement_route("propose")
def upload(agreement, membership):
    form = WordUploadForm()
    error = None
    if form.validate_on_submit():
        raw = read_upload(form.file.data)
        try:
            kept, _preview = keep_upload(agreement, g.user, raw, form.file.data.filename or "document.docx")
        except ImportRefused as refused:
            error = str(refused)
        else:
            return redirect(url_for("roundtrip.preview", agreement_id=agreement.id, upload_id=kept.id))
    status = 422 if form.is_submitted() else 200
    return render_template("roundtrip/upload.html", agreement=agreement, membership=membership, form=form,
                           error=error), status


@bp.route("/agreements/<int:agreement_id>/word/<int:upload_id>", methods=["GET", "POST"])
@agreement_route("propose")
def preview(agreement, membership, upload_id):
    kept = pending_upload(agreement, g.user, upload_id)
    if kept is None:
        abort(404)
    form = ProposeChangesForm()
    try:
        found = preview_word_file(agreement, kept.data, kept.file_name)
    except ImportRefused as refused:  # the agreement moved on since the upload (e.g. it was signed)
        flash(str(refused), "error")
        return redirect(url_for("negotiation.overview", agreement_id=agreement.id))
    if form.validate_on_submit():
        if request.form.get("fingerprint") != found.fingerprint():
            # The draft (or the agreement) moved on while the page was open: what it showed is not
            # what would be proposed now, so it is shown again instead.
            flash(_("The draft changed while you were reading the preview: check the changes below again, then "
                    "propose them."), "error")
        else:
            try:
                _done, proposals, comments = import_word_file(agreement, g.user, kept.data, kept.file_name,
                                                              set(request.form.getlist("change")), upload=kept)
            except (ImportRefused, NegotiationError, InvalidChange) as refused:
                flash(str(refused), "error")
            else:
                flash(ngettext("%(num)d proposal made from %(file)s.", "%(num)d proposals made from %(file)s.",
                               len(proposals), file=kept.file_name)
                      + (" " + ngettext("%(num)d comment added.", "%(num)d comments added.", comments)
                         if comments else ""), "success")
                return redirect(url_for("negotiation.overview", agreement_id=agreement.id))
    return render_template("roundtrip/preview.html", agreement=agreement, membership=membership, form=form,
                           preview=found, title=_("Changes in %(file)s", file=kept.file_name))
