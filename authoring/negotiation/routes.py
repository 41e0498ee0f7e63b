"""Negotiation pages: overview, clause discussions, proposals, comments, turns, redlines."""
from __future__ import annotations

import re
from dataclasses import dataclass

from flask import Blueprint, abort, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _

from ..access import agreement_route
from ..agreements.activity import describe_proposal, proposal_sentence
from ..document.words import word_diff
from ..export.labels import document_words
from ..document.terms import display_value
from ..interview.services import library
from ..revisions.services import draft_of, revisions_of
from ..revisions.store import RevisionIntegrityError
from ..interview.steps import term_name
from ..library.binding import terms_stated
from ..library.hours_words import support_hours_words
from ..render.paging import page_number
from .changes import InvalidChange, change_names, current_value, describe, new_clause_key
from .comments import add_comment, set_resolved, thread_by_id
from .labels import TEMPLATE_GLOBALS
from .listing import answered_proposals, open_proposals, open_threads, resolved_threads
from .forms import CommentForm, MessageForm, NewClauseForm, ReasonForm, RejectForm
from .redlines import revision_redline
from .services import (
    NegotiationError, NotAllowed, ProposalConflict, accept, proposal_by_number, propose, reject,
    send_to_other_side, share, withdraw,
)
from .status import negotiation_state

bp = Blueprint("negotiation", __name__)


@bp.record_once
def _template_helpers(state):
    # Globals, not a context processor: imported macros see globals only.
    state.app.jinja_env.globals.update(
        describe_proposal=describe_proposal, proposal_sentence=proposal_sentence, word_diff=word_diff,
        display_value=display_value, term_display=term_display, term_name=term_name, document_labels=document_words,
        **TEMPLATE_GLOBALS,
    )


def term_display(path: str, value, language: str) -> str:
    """A term's value in a proposal: support hours as the agreement's text words them, else as it is stored."""
    spec = library().catalogue.spec(path)
    if spec is not None and spec.type == "support_hours" and value is not None:
        return support_hours_words(value, language)
    return display_value(value)


def _back(agreement, default="negotiation.overview", **values):
    """Back to the page the form was on (only our own paths), else `default`."""
    target = request.form.get("next", "")
    if target.startswith(f"/agreements/{agreement.id}") and "//" not in target:
        return redirect(target)
    return redirect(url_for(default, agreement_id=agreement.id, **values))


@dataclass(frozen=True)
class Kept:
    """What a person typed into a form on a negotiation page that was refused: shown again with why.

    `where` names the form: "new" (a new thread), "reply-<thread>", "reject-<proposal>", "remove".
    """

    where: str
    text: str
    error: str


def _why_refused(*fields) -> str:
    """Why what was typed into the first of `fields` with an error was refused; a post refused
    for anything else (a hidden field tampered with - the CSRF token is checked before any
    view) gets a plain 400."""
    for field in fields:
        if field.errors:
            return field.errors[0]
    abort(400)


def _page_again(agreement, membership, kept: Kept, clause_key: str | None = None):
    """The page the form was on, with what was typed still in it (422): nothing typed is lost."""
    match = re.fullmatch(rf"/agreements/{agreement.id}/clauses/([^/]+)", request.form.get("next", ""))
    key = clause_key or (match.group(1) if match else None)
    _draft, document = draft_of(agreement)
    if key is not None and key in {c.key for c in document.clauses()}:
        return _clause_page(agreement, membership, key, kept=kept, status=422)
    return _overview_page(agreement, membership, kept=kept, status=422)


def _refused(agreement, membership, error: NegotiationError | InvalidChange):
    """A refused step: 403 for a rule about people; both versions (409) for a conflict; else say why."""
    if isinstance(error, NotAllowed):
        abort(403, description=str(error))
    if isinstance(error, ProposalConflict):
        return render_template("negotiation/conflict.html", agreement=agreement, membership=membership,
                               error=error), 409
    flash(str(error), "error")
    return _back(agreement)


@bp.get("/agreements/<int:agreement_id>/negotiation")
@agreement_route("view")
def overview(agreement, membership):
    return _overview_page(agreement, membership)


def _overview_page(agreement, membership, message_form=None, kept=None, status=200):
    _draft, document = draft_of(agreement)
    state = negotiation_state(agreement, document, membership.side, library())
    return render_template(
        "negotiation/overview.html", agreement=agreement, membership=membership, document=document, state=state,
        open_proposals=open_proposals(agreement), answered=answered_proposals(agreement, page_number(request.args, "answered")),
        threads=open_threads(agreement), resolved=resolved_threads(agreement, page_number(request.args, "resolved")),
        message_form=message_form or MessageForm(), comment_form=CommentForm(),
        reject_form=RejectForm(), action_form=ReasonForm(), kept=kept,
        names=change_names(document, library(), agreement.language),
    ), status


@bp.post("/agreements/<int:agreement_id>/share")
@agreement_route("manage")
def share_draft(agreement, membership):
    form = MessageForm()
    if not form.validate_on_submit():
        return _overview_page(agreement, membership, form, status=422)
    try:
        share(agreement, g.user, membership, form.message.data)
    except NegotiationError as error:
        return _refused(agreement, membership, error)
    flash(_("Shared with %(client)s — it is their move.", client=agreement.client_name), "success")
    return redirect(url_for("negotiation.overview", agreement_id=agreement.id))


@bp.post("/agreements/<int:agreement_id>/send")
@agreement_route("edit")
def send(agreement, membership):
    form = MessageForm()
    if not form.validate_on_submit():
        return _overview_page(agreement, membership, form, status=422)
    try:
        revision = send_to_other_side(agreement, g.user, membership, form.message.data)
    except NegotiationError as error:
        return _refused(agreement, membership, error)
    flash(_sent_message(revision, agreement.turn), "success")
    return redirect(url_for("negotiation.overview", agreement_id=agreement.id))


def _sent_message(revision, turn: str) -> str:
    """What sending a round says: which revision (or only proposals) went, and whose move it is now."""
    if revision is not None and turn == "client":
        return _("Revision %(number)s sent. Waiting for the client.", number=revision.number)
    if revision is not None:
        return _("Revision %(number)s sent. Waiting for the provider.", number=revision.number)
    if turn == "client":
        return _("Your proposals were sent (the text itself is unchanged). Waiting for the client.")
    return _("Your proposals were sent (the text itself is unchanged). Waiting for the provider.")


@bp.get("/agreements/<int:agreement_id>/clauses/<key>")
@agreement_route("view")
def clause(agreement, membership, key):
    return _clause_page(agreement, membership, key)


def _clause_page(agreement, membership, key, kept=None, status=200):
    _draft, document = draft_of(agreement)
    try:
        clause = document.clause(key)
    except KeyError:
        abort(404)
    state = negotiation_state(agreement, document, membership.side, library()).clauses[key]
    terms = terms_stated(library(), clause)
    return render_template(
        "negotiation/clause.html", agreement=agreement, membership=membership, clause=clause, state=state,
        open_proposals=open_proposals(agreement, key, terms),
        answered=answered_proposals(agreement, page_number(request.args, "answered"), key, terms),
        threads=open_threads(agreement, key), resolved=resolved_threads(agreement, page_number(request.args, "resolved"), key),
        comment_form=CommentForm(clause_key=key), reject_form=RejectForm(), action_form=ReasonForm(), kept=kept,
        names=change_names(document, library(), agreement.language),
    ), status


def _proposal_or_404(agreement, number):
    proposal = proposal_by_number(agreement, number)
    if proposal is None:
        abort(404)
    return proposal


@bp.post("/agreements/<int:agreement_id>/proposals/<int:number>/accept")
@agreement_route("answer")
def accept_proposal(agreement, membership, number):
    proposal = _proposal_or_404(agreement, number)
    if not ReasonForm().validate_on_submit():
        abort(400)
    try:
        merged = accept(agreement, g.user, membership, proposal)
    except NegotiationError as error:
        return _refused(agreement, membership, error)
    if merged:
        flash(_("Proposal %(number)s accepted, merged with changes made since it was proposed.", number=number), "success")
    else:
        flash(_("Proposal %(number)s accepted.", number=number), "success")
    return _back(agreement)


@bp.post("/agreements/<int:agreement_id>/proposals/<int:number>/reject")
@agreement_route("answer")
def reject_proposal(agreement, membership, number):
    proposal = _proposal_or_404(agreement, number)
    form = RejectForm()
    if not form.validate_on_submit():
        why = _why_refused(form.reason)
        return _page_again(agreement, membership, Kept(f"reject-{number}", request.form.get("reason", ""), why))
    try:
        reject(agreement, g.user, membership, proposal, form.reason.data)
    except NegotiationError as error:
        return _refused(agreement, membership, error)
    flash(_("Proposal %(number)s rejected.", number=number), "success")
    return _back(agreement)


@bp.post("/agreements/<int:agreement_id>/proposals/<int:number>/withdraw")
@agreement_route("propose")
def withdraw_proposal(agreement, membership, number):
    proposal = _proposal_or_404(agreement, number)
    if not ReasonForm().validate_on_submit():
        abort(400)
    try:
        withdraw(agreement, g.user, proposal)
    except NegotiationError as error:
        return _refused(agreement, membership, error)
    flash(_("Proposal %(number)s withdrawn.", number=number), "success")
    return _back(agreement)


@bp.get("/agreements/<int:agreement_id>/proposals/<int:number>/counter")
@agreement_route("answer")
def counter(agreement, membership, number):
    """A counter-proposal is made where that kind of change is made, starting from the proposal."""
    proposal = _proposal_or_404(agreement, number)
    if proposal.kind == "clause_text":
        return redirect(url_for("revisions.edit_clause", agreement_id=agreement.id, key=proposal.target, counter=number))
    if proposal.kind in ("term", "clause_variant"):
        return redirect(url_for("interview.counter", agreement_id=agreement.id, number=number))
    flash(_("Adding or removing a clause is accepted or rejected; there is nothing to counter."), "error")
    return _back(agreement)


@bp.route("/agreements/<int:agreement_id>/clauses/new", methods=["GET", "POST"])
@agreement_route("propose")
def new_clause(agreement, membership):
    _draft, document = draft_of(agreement)
    form = NewClauseForm()
    form.section.choices = [(s.key, s.title) for s in document.sections]
    if form.validate_on_submit():
        key = new_clause_key(form.title.data, document)
        value = {"section": form.section.data, "title": form.title.data, "text": form.text.data}
        try:
            proposal, _rebased = propose(agreement, g.user, membership, "clause_add", key, value, None, form.reason.data)
        except (NegotiationError, InvalidChange) as error:
            form.form_errors.append(str(error))
        else:
            flash(_("Proposal %(number)s made: %(change)s.", number=proposal.number,
                    change=describe("clause_add", key, value, change_names(document))), "success")
            return redirect(url_for("negotiation.overview", agreement_id=agreement.id))
    return render_template("negotiation/new_clause.html", agreement=agreement, membership=membership,
                           form=form), 422 if request.method == "POST" else 200


@bp.post("/agreements/<int:agreement_id>/clauses/<key>/remove")
@agreement_route("propose")
def remove_clause(agreement, membership, key):
    _draft, document = draft_of(agreement)
    form = ReasonForm()
    base = current_value(document, "clause_remove", key)
    if base is None:
        abort(404)
    if not form.validate_on_submit():
        why = _why_refused(form.reason)
        return _clause_page(agreement, membership, key, kept=Kept("remove", request.form.get("reason", ""), why),
                            status=422)
    try:
        proposal, _rebased = propose(agreement, g.user, membership, "clause_remove", key, None, base, form.reason.data)
    except (NegotiationError, InvalidChange) as error:
        return _refused(agreement, membership, error)
    flash(_("Proposal %(number)s made: remove this clause.", number=proposal.number), "success")
    return redirect(url_for("negotiation.clause", agreement_id=agreement.id, key=key))


@bp.post("/agreements/<int:agreement_id>/comments")
@agreement_route("comment")
def comment(agreement, membership):
    form = CommentForm()
    if not form.validate_on_submit():
        # A reply to a thread that cannot exist (an id no row can have) says so too, keeping the text.
        why = _why_refused(form.body, form.thread)
        where = f"reply-{form.thread.data}" if form.thread.data is not None else "new"
        return _page_again(agreement, membership, Kept(where, request.form.get("body", ""), why),
                           clause_key=form.clause_key.data or None)
    thread = None
    if form.thread.data is not None:
        thread = thread_by_id(agreement, form.thread.data)
        if thread is None:
            abort(404)
    try:
        add_comment(agreement, g.user, membership, form.body.data, form.clause_key.data or None, thread)
    except NegotiationError as error:
        return _refused(agreement, membership, error)
    flash(_("Comment posted."), "success")
    return _back(agreement)


@bp.post("/agreements/<int:agreement_id>/comments/<int:thread_id>/<any(resolve, reopen):action>")
@agreement_route("comment")
def resolve(agreement, membership, thread_id, action):
    thread = thread_by_id(agreement, thread_id)
    if thread is None:
        abort(404)
    if not ReasonForm().validate_on_submit():
        abort(400)
    set_resolved(agreement, g.user, membership, thread, action == "resolve")
    flash(_("Thread resolved.") if action == "resolve" else _("Thread reopened."), "success")
    return _back(agreement)


@bp.get("/agreements/<int:agreement_id>/redline")
@agreement_route("view")
def redline(agreement, membership):
    revisions = revisions_of(agreement)
    if len(revisions) < 2:
        flash(_("A redline compares two revisions; there is only one so far.") if revisions else _("No revision yet."),
              "error")
        return redirect(url_for("revisions.history", agreement_id=agreement.id))
    by_number = {r.number: r for r in revisions}
    newest = revisions[0].number
    older = by_number.get(request.args.get("from", newest - 1, type=int))
    newer = by_number.get(request.args.get("to", newest, type=int))
    if older is None or newer is None:
        abort(404)
    try:
        result = revision_redline(agreement, older, newer)
    except RevisionIntegrityError as error:
        return render_template("revisions/tampered.html", agreement=agreement, membership=membership,
                               revision=newer, error=str(error)), 409
    show_all = request.args.get("show") == "all"
    return render_template("negotiation/redline.html", agreement=agreement, membership=membership,
                           revisions=revisions, older=older, newer=newer, redline=result, show_all=show_all)
