"""The guided interview: nine steps, each a form over part of the terms, then the review."""
from __future__ import annotations

from flask import Blueprint, abort, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from wtforms import FormField, SelectChoice, SelectField, TextAreaField
from wtforms.validators import DataRequired, Length

from ..access import agreement_route
from ..agreements.forms import ConfirmForm
from ..i18n import interface_language
from ..i18n.forms import Form, RowForm
from ..inputs.ids import parse_id
from ..library import OMIT
from ..library.loader import localized
from ..models.health import REASON_MAX
from ..negotiation.changes import InvalidChange, apply_change, change_names
from ..negotiation.services import NegotiationError, NotAllowed, proposal_by_number
from ..render.draft_pages import CLAUSES_PER_PAGE, draft_pages
from ..render.paging import page_number
from ..render.tables import agreement_tables, tables_by_section
from ..revisions.services import draft_of
from . import forms
from .hours_form import time_zone_names
from .services import (
    NotReady, StepConflict, acknowledge, base_token, can_choose_clauses, can_edit_step, health_rule, library,
    mark_ready, readiness, save_step, step_clauses, who_signs, withdraw_acknowledgement,
)
from .steps import STEPS, STEPS_BY_KEY, form_data, get, neighbours, step_status

bp = Blueprint("interview", __name__)
bp.add_app_template_global(time_zone_names)  # the services step's list of time zones to pick from

ROW_PLACEHOLDER = "__ROW__"  # static/app.js puts the new row's index here
UNSAVED = _l("Not saved yet: save the step to keep your changes.")


class AcknowledgeForm(Form):
    reason = TextAreaField(_l("Why the agreement may go ahead anyway"), filters=[lambda v: v.strip() if v else v],
                           validators=[DataRequired(_l("Give the reason; it is kept in the activity log.")),
                                       Length(max=REASON_MAX)])


def _choice_field(clause_id: str) -> str:
    return clause_id.replace(".", "__")


def _form_class(step, with_choices: bool, proposing: bool = False):
    """The step's form, plus a select per library clause the step offers when the member may choose,
    plus the reason for the proposals a save makes once the draft is shared."""
    clauses = step_clauses(step) if with_choices else []
    extra = {"reason": forms.proposal_reason()} if proposing else {}
    if clauses:
        fields = {}
        # The library's labels and titles in the reader's language where it has them, else English.
        language = interface_language()
        for clause in clauses:
            options = [SelectChoice(v.name, localized(v.label, language)) for v in clause.variants.values()]
            if clause.optional:
                options.append(SelectChoice(OMIT, _("Leave this clause out")))
            fields[_choice_field(clause.id)] = SelectField(_("Clause: %(title)s", title=clause.localized_title(language)),
                                                           choices=options)
        choices_form = type("ClauseChoicesForm", (RowForm,), fields)
        extra["clauses"] = FormField(choices_form, _("Clauses"))
    if not extra:
        return step.form
    return type(step.form.__name__, (step.form,), extra)


def _proposing(agreement, membership, step) -> bool:
    return agreement.shared and can_edit_step(agreement, membership, step)


def _number_meta(agreement, document) -> dict:
    """Numbers are typed as the agreement's language writes them; money has its currency's decimals."""
    currency = get(document.terms, "costs.currency")
    return {"language": agreement.language, "currency": currency if isinstance(currency, str) else None}


def _initial_data(step, document, side, with_choices):
    data = form_data(step, library().catalogue, document.terms, side)
    if with_choices:
        chosen = {c.clause_id: c.variant for c in document.clauses() if c.clause_id}
        data["clauses"] = {_choice_field(c.id): chosen.get(c.id, OMIT) for c in step_clauses(step)}
    return data


def blank_row(rows):
    """A blank row of the list `rows`, indexed ROW_PLACEHOLDER: the page's script copies it to add
    a row in place. Bound like FieldList's own entries, so its names and ids are the server's."""
    options = {"name": f"{rows.name}{rows._separator}{ROW_PLACEHOLDER}",
               "id": f"{rows.id}{rows._separator}{ROW_PLACEHOLDER}", "_meta": rows.meta,
               "translations": rows._translations}
    entry = rows.meta.bind_field(rows._form, rows.unbound_field, options)
    entry.process(None)
    return entry


def _render_step(agreement, membership, step, form, document, base, status=200, notice=None, notice_error=False,
                 countered=None):
    previous, following = neighbours(step)
    return render_template(
        f"interview/{step.key}.html", agreement=agreement, membership=membership, step=step, steps=STEPS,
        status=step_status(document.terms), form=form, base=base, document=document, notice=notice, notice_error=notice_error,
        editable=can_edit_step(agreement, membership, step), previous=previous, following=following,
        guidance={c.id: c for c in step_clauses(step)}, choice_field=_choice_field, countered=countered,
        who_signs=who_signs(agreement, membership.side, document.terms) if step.key == "background" else None,
        names=change_names(document, library(), agreement.language) if countered else None, blank_row=blank_row,
        unsaved_notice=str(UNSAVED),  # a str, so the attribute is escaped (a lazy string counts as markup)
    ), status


@bp.get("/agreements/<int:agreement_id>/interview")
@agreement_route("view")
def start(agreement, membership):
    """Resume where the interview is unfinished."""
    _draft, document = draft_of(agreement)
    status = step_status(document.terms)
    first_open = next((s for s in STEPS if status[s.key]), STEPS[-1])
    return redirect(url_for("interview.step", agreement_id=agreement.id, step_key=first_open.key))


@bp.get("/agreements/<int:agreement_id>/interview/<step_key>")
@agreement_route("view")
def step(agreement, membership, step_key):
    step = STEPS_BY_KEY.get(step_key) or abort(404)
    _draft, document = draft_of(agreement)
    if step.form is None:
        return _review_page(agreement, membership, document)
    with_choices = can_choose_clauses(agreement, membership, step)
    form = _form_class(step, with_choices, _proposing(agreement, membership, step))(
        formdata=None, data=_initial_data(step, document, membership.side, with_choices),
        meta=_number_meta(agreement, document))
    return _render_step(agreement, membership, step, form, document, base_token(step, document, membership.side))


@bp.get("/agreements/<int:agreement_id>/interview/counter/<int:number>")
@agreement_route("answer")
def counter(agreement, membership, number):
    """The step that holds what proposal `number` changes, filled in with the proposed value."""
    proposal = proposal_by_number(agreement, number)
    if proposal is None or proposal.kind not in ("term", "clause_variant") or proposal.status != "open":
        abort(404)
    _draft, document = draft_of(agreement)
    step = _step_for(proposal, membership.side)
    if step is None or not can_edit_step(agreement, membership, step):
        flash(_("This proposal cannot be countered from your side of the interview: accept or reject it."), "error")
        return redirect(url_for("negotiation.overview", agreement_id=agreement.id))
    proposed = apply_change(library(), agreement.language, document, proposal.kind, proposal.target, proposal.value)
    with_choices = can_choose_clauses(agreement, membership, step)
    form = _form_class(step, with_choices, _proposing(agreement, membership, step))(
        formdata=None, data=_initial_data(step, proposed, membership.side, with_choices),
        meta=_number_meta(agreement, proposed))
    return _render_step(agreement, membership, step, form, document, base_token(step, document, membership.side),
                        countered=proposal)


def _step_for(proposal, side):
    if proposal.kind == "clause_variant":
        clause = library().clauses.get(proposal.target)
        return STEPS_BY_KEY.get(library().section_for(clause.id).step) if clause else None
    for step in STEPS:
        for path in step.term_paths(side).values():
            if path == proposal.target or proposal.target.startswith(path + "."):
                return step
    return None


@bp.post("/agreements/<int:agreement_id>/interview/<step_key>")
@agreement_route("propose")
def save(agreement, membership, step_key):
    step = STEPS_BY_KEY.get(step_key) or abort(404)
    if not can_edit_step(agreement, membership, step):
        abort(403)
    _draft, document = draft_of(agreement)
    with_choices = can_choose_clauses(agreement, membership, step)
    # Fields missing from the post (say, a clause choice) keep their saved value.
    form = _form_class(step, with_choices, _proposing(agreement, membership, step))(
        data=_initial_data(step, document, membership.side, with_choices),
        meta=_number_meta(agreement, document))
    base = request.form.get("base", "")
    action = request.form.get("action", "save")
    # Read first: a form shown again (rows changed, an answer refused) stays a counter-proposal.
    countered = None
    if request.form.get("counter_of"):
        number = parse_id(request.form["counter_of"])
        countered = (proposal_by_number(agreement, number) if number else None) or abort(404)

    # Adding or removing a row re-shows the form with everything typed so far; nothing is saved yet.
    if action.startswith(("add:", "remove:")):
        _change_rows(form, action)
        return _render_step(agreement, membership, step, form, document, base,
                            notice=str(UNSAVED), countered=countered)

    if not form.validate():
        return _render_step(agreement, membership, step, form, document, base, status=422, countered=countered)
    data = {name: value for name, value in form.data.items() if name not in ("csrf_token", "clauses", "reason")}
    choices = {}
    if with_choices:
        choices = {c.id: form.clauses[_choice_field(c.id)].data for c in step_clauses(step)}
    try:
        proposals = save_step(agreement, g.user, membership, step, data, base, choices, countered,
                              reason=(form.reason.data or "") if "reason" in form else "")
    except StepConflict as conflict:
        _draft, document = draft_of(agreement)
        return _render_step(agreement, membership, step, form, document,
                            base_token(step, document, membership.side), status=409, notice=str(conflict),
                            notice_error=True, countered=countered)
    except NotAllowed as error:
        abort(403, description=str(error))
    except (NegotiationError, InvalidChange) as error:
        return _render_step(agreement, membership, step, form, document, base, status=409, notice=str(error),
                            notice_error=True, countered=countered)
    if agreement.shared:
        numbers = ", ".join(str(p.number) for p in proposals)
        flash(ngettext("Proposal %(numbers)s sent to the other side.", "Proposals %(numbers)s sent to the other side.",
                       len(proposals), numbers=numbers) if proposals
              else _("Nothing changed, so nothing was proposed."), "success")
    else:
        flash(_("“%(title)s” saved.", title=step.title), "success")
    previous, following = neighbours(step)
    target = {"next": following, "back": previous}.get(action) or step
    return redirect(url_for("interview.step", agreement_id=agreement.id, step_key=target.key))


def _change_rows(form, action: str) -> None:
    parts = action.split(":")
    field = form._fields.get(parts[1]) if len(parts) > 1 else None
    if field is None or not hasattr(field, "append_entry"):
        abort(400)
    if parts[0] == "add":
        if len(field.entries) < field.max_entries:
            field.append_entry()
        return
    field.entries = [entry for entry in field.entries if entry.name != f"{field.name}-{parts[2] if len(parts) > 2 else ''}"]


# The review step ----------------------------------------------------------------------------

def _review_page(agreement, membership, document, ack_form=None, ack_rule=None, problems=None, status=200):
    state = readiness(agreement, document)
    tables = agreement_tables(library(), document.terms, agreement.language)
    # The assembled text a part at a time, as the draft page shows it.
    pages = draft_pages(document, page_number(request.args, "page"), CLAUSES_PER_PAGE,
                        address=lambda page: url_for("interview.step", agreement_id=agreement.id, step_key="review",
                                                     page=page))
    return render_template(
        "interview/review.html", agreement=agreement, membership=membership, step=STEPS_BY_KEY["review"],
        steps=STEPS, status=state.status, state=state, document=document, by_section=tables_by_section(tables),
        pages=pages,
        ack_form=ack_form or AcknowledgeForm(), ack_rule=ack_rule, confirm=ConfirmForm(), problems=problems,
        previous=STEPS[-2], following=None, editable=False,
    ), status


@bp.post("/agreements/<int:agreement_id>/health/<rule_id>/acknowledge")
@agreement_route("manage")
def acknowledge_rule(agreement, membership, rule_id):
    try:
        rule = health_rule(agreement, rule_id)
    except KeyError:
        abort(404)
    form = AcknowledgeForm()
    if not form.validate():
        _draft, document = draft_of(agreement)
        return _review_page(agreement, membership, document, ack_form=form, ack_rule=rule_id, status=422)
    acknowledge(agreement, g.user, rule_id, form.reason.data)
    flash(_("“%(title)s” acknowledged.", title=rule.title), "success")
    return redirect(url_for("interview.step", agreement_id=agreement.id, step_key="review", _anchor="health"))


@bp.post("/agreements/<int:agreement_id>/health/<rule_id>/withdraw")
@agreement_route("manage")
def withdraw_rule(agreement, membership, rule_id):
    try:
        rule = health_rule(agreement, rule_id)
    except KeyError:
        abort(404)
    if not ConfirmForm().validate():
        abort(400)
    withdraw_acknowledgement(agreement, g.user, rule_id)
    flash(_("Acknowledgement of “%(title)s” withdrawn.", title=rule.title), "success")
    return redirect(url_for("interview.step", agreement_id=agreement.id, step_key="review", _anchor="health"))


@bp.post("/agreements/<int:agreement_id>/ready")
@agreement_route("manage")
def ready(agreement, membership):
    if not ConfirmForm().validate():
        abort(400)
    try:
        mark_ready(agreement, g.user)
    except NotReady as error:
        _draft, document = draft_of(agreement)
        return _review_page(agreement, membership, document, problems=error.reasons, status=409)
    flash(_("The agreement is ready to sign."), "success")
    return redirect(url_for("interview.step", agreement_id=agreement.id, step_key="review"))

