"""Edit the draft's clauses, cut revisions, and read the history."""
from __future__ import annotations

from flask import Blueprint, abort, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _

from ..access import agreement_route, can
from ..inputs.ids import parse_id
from ..render.draft_pages import CLAUSES_PER_PAGE, draft_pages, page_of_clause
from ..render.paging import page_number
from ..negotiation.changes import InvalidChange, clause_saved
from ..negotiation.services import (
    NegotiationError, NotAllowed, ProposalConflict, proposal_by_number, propose_wording, wording_proposed,
)
from .forms import ClauseTextForm, CutRevisionForm
from .services import (
    DraftConflict, DraftLocked, NothingToRevise, NotYourDraft, draft_of, edit_clause_text, latest_revision,
    revision_by_number, revision_document, revision_history, save_revision,
)
from .store import RevisionIntegrityError

bp = Blueprint("revisions", __name__)


@bp.route("/agreements/<int:agreement_id>/clauses/<key>/edit", methods=["GET", "POST"])
@agreement_route("propose")
def edit_clause(agreement, membership, key):
    """Before sharing, the provider's editors edit directly; once shared, an edit is a proposal.

    Either way the write names what it was based on, and a change made meanwhile is
    merged exactly or refused (409) with both versions on the page.
    """
    proposing = agreement.shared
    if not proposing and not (can(membership, "edit") and membership.side == "provider"):
        abort(403, description=_("Until the draft is shared, the provider's editors write it."))
    draft, document = draft_of(agreement)
    try:
        clause = document.clause(key)
    except KeyError:
        abort(404)
    form = ClauseTextForm()
    counter_arg = request.args.get("counter")
    if counter_arg and parse_id(counter_arg) is None:
        abort(404)  # a counter to a proposal that cannot exist
    counter_number = parse_id(counter_arg) or form.counter_of.data
    countered = proposal_by_number(agreement, counter_number) if counter_number else None
    # A clause's wording counters a proposal to reword it, or to change a term it states.
    if counter_number and (countered is None or (countered.kind, countered.target) != ("clause_text", key)
                           and countered.kind != "term"):
        abort(404)
    conflict = None
    if request.method == "GET":
        form.text.data = countered.value if countered and countered.kind == "clause_text" else clause.text
        form.base_version.data, form.base_text.data = draft.version, clause.text
        form.counter_of.data = counter_number
    elif form.validate_on_submit():
        try:
            if proposing:
                proposals, merged = propose_wording(agreement, g.user, membership, key, form.text.data,
                                                    form.base_text.data, form.reason.data, countered)
                done = wording_proposed(proposals, merged)
            else:
                merged, rebinding = edit_clause_text(agreement, g.user, key, form.text.data, form.base_version.data,
                                                     form.base_text.data)
                done = clause_saved(clause.title, rebinding, merged)
        except DraftConflict as error:
            conflict = error.current_text
        except ProposalConflict as error:
            conflict = error.current
        except NotAllowed as error:
            abort(403, description=str(error))
        except (NegotiationError, InvalidChange, DraftLocked) as error:
            form.form_errors.append(str(error))
        else:
            flash(done, "success")
            if proposing:
                return redirect(url_for("negotiation.clause", agreement_id=agreement.id, key=key))
            return redirect(_in_draft(agreement, document, key))
        if conflict is not None:
            # The next save is based on what the draft says now.
            current_draft, _document = draft_of(agreement)
            form.base_version.data, form.base_text.data = current_draft.version, conflict
            form.base_version.raw_data = None  # else the field would render the stale submitted version
    status = 409 if conflict is not None else (422 if request.method == "POST" else 200)
    return render_template("revisions/edit_clause.html", agreement=agreement, membership=membership,
                           clause=clause, form=form, conflict=conflict, proposing=proposing,
                           countered=countered, in_draft=_in_draft(agreement, document, key)), status


def _in_draft(agreement, document, key) -> str:
    """The clause where it stands in the draft: the part of the draft page that shows it, at its anchor."""
    page = page_of_clause(document, key)
    return url_for("agreements.show", agreement_id=agreement.id, page=page if page > 1 else None, _anchor=f"clause-{key}")


def _history_page(agreement, membership, form, status=200):
    return render_template("revisions/history.html", agreement=agreement, membership=membership,
                           revisions=revision_history(agreement, page_number(request.args, "page")),
                           latest=latest_revision(agreement), form=form), status


@bp.get("/agreements/<int:agreement_id>/revisions")
@agreement_route("view")
def history(agreement, membership):
    return _history_page(agreement, membership, CutRevisionForm())


@bp.post("/agreements/<int:agreement_id>/revisions")
@agreement_route("edit")
def cut(agreement, membership):
    form = CutRevisionForm()
    if not form.validate_on_submit():
        return _history_page(agreement, membership, form, status=422)
    try:
        revision = save_revision(agreement, g.user, membership.side, form.message.data)
    except NotYourDraft as error:
        if not agreement.shared:
            abort(403, description=str(error))
        form.message.errors.append(str(error))
        return _history_page(agreement, membership, form, status=409)
    except NothingToRevise as error:
        form.message.errors.append(str(error))
    else:
        flash(_("Revision %(number)s saved.", number=revision.number), "success")
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
    # A part of the text at a time, as the draft: a 3,000-clause revision is not one 7 MB page.
    pages = draft_pages(document, page_number(request.args, "page"), CLAUSES_PER_PAGE,
                        address=lambda page: url_for("revisions.show", agreement_id=agreement.id, number=number,
                                                     page=page))
    return render_template("revisions/show.html", agreement=agreement, membership=membership,
                           revision=revision, document=document, pages=pages)
