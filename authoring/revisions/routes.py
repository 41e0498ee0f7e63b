"""Edit the draft's clauses, cut revisions, and read the history."""
from __future__ import annotations

from flask import Blueprint, abort, flash, g, redirect, render_template, request, url_for

from ..access import agreement_route
from .forms import ClauseTextForm, CutRevisionForm
from .services import (
    DraftConflict, NothingToRevise, cut_revision, draft_of, edit_clause_text,
    revision_by_number, revision_document, revisions_of,
)
from .store import RevisionIntegrityError

bp = Blueprint("revisions", __name__)


@bp.route("/agreements/<int:agreement_id>/clauses/<key>/edit", methods=["GET", "POST"])
@agreement_route("edit")
def edit_clause(agreement, membership, key):
    draft, document = draft_of(agreement)
    try:
        clause = document.clause(key)
    except KeyError:
        abort(404)
    form = ClauseTextForm()
    conflict = None
    if request.method == "GET":
        form.text.data = clause.text
        form.base_version.data = draft.version
    elif form.validate_on_submit():
        try:
            edit_clause_text(agreement, g.user, key, form.text.data, form.base_version.data)
        except DraftConflict as error:
            conflict = error
        else:
            flash(f"“{clause.title}” saved.", "success")
            return redirect(url_for("agreements.show", agreement_id=agreement.id, _anchor=f"clause-{key}"))
    status = 409 if conflict else (422 if request.method == "POST" else 200)
    return render_template("revisions/edit_clause.html", agreement=agreement, membership=membership,
                           clause=clause, form=form, conflict=conflict), status


def _history_page(agreement, membership, form, status=200):
    return render_template("revisions/history.html", agreement=agreement, membership=membership,
                           revisions=revisions_of(agreement), form=form), status


@bp.get("/agreements/<int:agreement_id>/revisions")
@agreement_route("view")
def history(agreement, membership):
    return _history_page(agreement, membership, CutRevisionForm())


@bp.post("/agreements/<int:agreement_id>/revisions")
@agreement_route("edit")
def cut(agreement, membership):
    form = CutRevisionForm()
    if form.validate_on_submit():
        try:
            revision = cut_revision(agreement, g.user, form.message.data)
        except NothingToRevise as error:
            form.message.errors.append(str(error))
        else:
            flash(f"Revision {revision.number} saved.", "success")
            return redirect(url_for("revisions.history", agreement_id=agreement.id))
    return _history_page(agreement, membership, form, status=422)


@bp.route("/agreements/<int:agreement_id>/revisions/<int:number>")
@agreement_route("view")
def show(agreement, membership, number):
    revision = revision_by_number(agreement, number)
    if revision is None:
        abort(404)
    try:
        document = revision_document(revision)
    except RevisionIntegrityError as error:
        return render_template("revisions/tampered.html", agreement=agreement, membership=membership,
                               revision=revision, error=str(error)), 409
    return render_template("revisions/show.html", agreement=agreement, membership=membership,
                           revision=revision, document=document)
