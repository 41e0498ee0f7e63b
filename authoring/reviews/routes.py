"""The agreement's life: its timeline, the review schedule and past reviews, recording a review, termination."""
from __future__ import annotations

from flask import Blueprint, abort, flash, g, redirect, render_template, url_for
from flask_babel import gettext as _
from sqlalchemy import select

from datetime import date

from ..access import agreement_route
from ..document.terms import term_date
from ..operations.services import review_prefill
from ..i18n.forms import Form
from ..inputs.ids import parse_id
from ..extensions import db
from ..models import Agreement, utcnow
from ..i18n import in_language
from ..render.timeline import timeline_svg
from ..revisions.services import draft_of
from .amendments import AmendmentError, abandon_amendment, open_amendment, open_amendment_of, versions_of
from .dates import timeline_data
from .forms import AbandonForm, AmendmentForm, ReviewForm, TerminationForm
from .measurements import MAX_BYTES, MeasurementsInvalid, read_measurements
from .renewal import RENEWABLE_STATUSES, renew
from .wording import status_word
from .services import (
    Achieved, ReviewError, executed_document, in_force, record_review, results_from, review_by_number, reviews_of,
    targets_of, terminate,
)

bp = Blueprint("reviews", __name__)


@bp.get("/agreements/<int:agreement_id>/reviews")
@agreement_route("view")
def index(agreement, membership):
    return _index(agreement, membership)


def _termination_form(document, form=None) -> TerminationForm:
    """The termination form, its clause choices from `document` (the executed text, if any)."""
    form = form or TerminationForm()
    form.clause.choices = [("", _("— not under a particular clause —"))]
    if document is not None:
        form.clause.choices += [(c.key, f"{n}  {c.title}") for _s, _section, clauses in document.numbered()
                                for n, c in clauses]
    return form


def _executed_or_none(agreement):
    return executed_document(agreement) if agreement.executed_revision_id else None


def _index(agreement, membership, termination=None, amendment=None, abandon=None, status=200):
    reviews = reviews_of(agreement)
    executed = _executed_or_none(agreement)
    terms = executed.terms if executed is not None else draft_of(agreement)[1].terms
    today = utcnow().date()
    with in_language(agreement.language):  # the agreement's dates, in the agreement's words
        timeline = timeline_svg(timeline_data(agreement, terms, reviews, today), language=agreement.language)
    linked = db.session.scalars(select(Agreement).where(
        (Agreement.id == agreement.predecessor_id) | (Agreement.predecessor_id == agreement.id))).all()
    return render_template("reviews/index.html", agreement=agreement, membership=membership, reviews=reviews,
                           timeline=timeline, termination=_termination_form(executed, termination),
                           predecessor=next((a for a in linked if a.id == agreement.predecessor_id), None),
                           successor=next((a for a in linked if a.predecessor_id == agreement.id), None),
                           renew_form=Form(), abandon_form=abandon or AbandonForm(), today=today,
                           amendment_form=amendment or AmendmentForm(), versions=versions_of(agreement),
                           open_amendment=open_amendment_of(agreement), in_force=in_force(agreement),
                           renewable=agreement.status in RENEWABLE_STATUSES, status_word=status_word), status


@bp.post("/agreements/<int:agreement_id>/terminate")
@agreement_route("manage")
def terminate_agreement(agreement, membership):
    form = _termination_form(_executed_or_none(agreement), TerminationForm())
    if form.validate_on_submit():
        try:
            terminate(agreement, g.user, on=form.terminated_on.data, reason=form.reason.data,
                      clause_key=form.clause.data or None)
        except ReviewError as error:
            form.form_errors.append(str(error))
        else:
            flash(_("Termination recorded with effect from %(date)s.", date=form.terminated_on.data.isoformat()), "success")
            return redirect(url_for("reviews.index", agreement_id=agreement.id))
    return _index(agreement, membership, form, status=422)


def _form_for(agreement, targets) -> ReviewForm:
    """The review form; its results pre-filled from the monthly service reports since the last review
    (they stay editable: the review records what both sides agree)."""
    form = ReviewForm(meta={"language": agreement.language})
    if not form.is_submitted():
        prefill = review_prefill(agreement, targets, _review_since(agreement))
        for target in targets:
            figure = prefill.get(target.service_level)
            form.achieved.append_entry({"service_level": target.service_level,
                                        "achieved": figure.achieved if figure else None,
                                        "period": figure.period if figure else ""})
    return form


def _review_since(agreement) -> date:
    """Where the next review looks back to: the last review, else the effective date (else today)."""
    reviews = reviews_of(agreement)
    if reviews:
        return max(r.held_on for r in reviews)
    return term_date(executed_document(agreement).terms, "timeline.effective_date") or utcnow().date()


@bp.route("/agreements/<int:agreement_id>/reviews/new", methods=["GET", "POST"])
@agreement_route("edit")
def new(agreement, membership):
    if not in_force(agreement):
        flash(_("Reviews are held on an agreement in force; this one is %(status)s.", status=status_word(agreement.status)),
              "error")
        return redirect(url_for("reviews.index", agreement_id=agreement.id))
    targets = targets_of(executed_document(agreement).terms)
    form = _form_for(agreement, targets)
    errors: list[str] = []
    if form.validate_on_submit():
        upload = form.measurements.data
        try:
            if upload and getattr(upload, "filename", ""):
                achieved = read_measurements(upload.read(MAX_BYTES + 1), [t.service_level for t in targets])
            else:
                known = {t.service_level for t in targets}
                achieved = [Achieved(row.service_level.data, row.achieved.data, row.period.data or "")
                            for row in form.achieved if row.service_level.data in known and row.achieved.data is not None]
            review = record_review(
                agreement, g.user, held_on=form.held_on.data, participants=form.people(),
                results=results_from(targets, achieved), effectiveness=form.effectiveness.data or "",
                client_issues=form.client_issues.data or "", decisions=form.decisions.data or "",
                actions=form.action_rows())
        except MeasurementsInvalid as error:
            errors = error.messages
        except ReviewError as error:
            errors = [str(error)]
        else:
            flash(_("Review %(number)s recorded. Next review: %(date)s.", number=review.number,
                    date=agreement.next_review_on.isoformat()) if agreement.next_review_on
                  else _("Review %(number)s recorded.", number=review.number), "success")
            return redirect(url_for("reviews.show", agreement_id=agreement.id, number=review.number))
    status = 422 if form.is_submitted() else 200
    return render_template("reviews/new.html", agreement=agreement, membership=membership, form=form,
                           targets={t.service_level: t for t in targets}, errors=errors), status


@bp.get("/agreements/<int:agreement_id>/reviews/<int:number>")
@agreement_route("view")
def show(agreement, membership, number):
    review = review_by_number(agreement, number)
    if review is None:
        abort(404)
    return render_template("reviews/show.html", agreement=agreement, membership=membership, review=review,
                           amendment_form=AmendmentForm())


@bp.post("/agreements/<int:agreement_id>/amendments")
@agreement_route("manage")
def open_amendment_page(agreement, membership):
    form = AmendmentForm()
    if form.validate_on_submit():
        # The review it follows, when the form came from a review's page (anything else is ignored).
        number = parse_id(form.review.data)
        review = review_by_number(agreement, number) if number else None
        try:
            amendment = open_amendment(agreement, g.user, membership, reason=form.reason.data,
                                       effective_on=form.effective_on.data, review=review)
        except AmendmentError as error:
            form.form_errors.append(str(error))
        else:
            flash(_("Amendment %(number)s opened: propose the changes, then both sides sign it.",
                    number=amendment.number), "success")
            return redirect(url_for("agreements.show", agreement_id=agreement.id))
    return _index(agreement, membership, amendment=form, status=422)


@bp.post("/agreements/<int:agreement_id>/renew")
@agreement_route("manage")
def renew_agreement(agreement, membership):
    form = Form()
    if not form.validate_on_submit():
        abort(400)
    try:
        successor = renew(agreement, g.user, membership)
    except ReviewError as error:
        flash(str(error), "error")
        return redirect(url_for("reviews.index", agreement_id=agreement.id))
    flash(_("Renewal drafted as “%(title)s”: check the new dates, then share it with the other side.",
            title=successor.title), "success")
    return redirect(url_for("agreements.show", agreement_id=successor.id))


@bp.post("/agreements/<int:agreement_id>/amendments/abandon")
@agreement_route("manage")
def abandon_amendment_page(agreement, membership):
    form = AbandonForm()
    if form.validate_on_submit():
        try:
            amendment = abandon_amendment(agreement, g.user, membership, form.reason.data)
        except AmendmentError as error:
            flash(str(error), "error")
        else:
            flash(_("Amendment %(number)s abandoned: the agreement stays as executed.", number=amendment.number), "success")
        return redirect(url_for("reviews.index", agreement_id=agreement.id))
    return _index(agreement, membership, abandon=form, status=422)
