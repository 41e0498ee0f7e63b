"""The signing page: who has signed what, the signature form, reopening for changes."""
from __future__ import annotations

from flask import Blueprint, flash, g, redirect, render_template, url_for
from flask_babel import gettext as _, ngettext

from ..access import agreement_route, can
from ..revisions.services import latest_revision
from .forms import ReopenForm, SignForm
from .seal import signature_intact
from .services import SigningError, consent_text, reopen, same_name, sign, signing_state

bp = Blueprint("signing", __name__)


def _page(agreement, membership, form=None, reopen_form=None, error=None, status=200):
    state = signing_state(agreement)
    form = form or SignForm()
    form.shown_hash.data = state.revision_hash
    if form.full_name.data is None and membership.role == "signatory":
        form.full_name.data = g.user.name
    named = state.named.get(membership.side)
    if form.job_title.data is None and named and named[1] and same_name(named[0], g.user.name):
        form.job_title.data = named[1]
    organisation = agreement.organisation(membership.side)
    return render_template(
        "signing/sign.html", agreement=agreement, membership=membership, state=state, form=form,
        reopen_form=reopen_form or ReopenForm(), error=error, can_sign=can(membership, "sign"),
        consent=consent_text(organisation, state.revision_number, state.revision_hash),
        intact={s.id: signature_intact(s) for s in state.signatures}, latest=latest_revision(agreement),
        named=named, named_is_me=bool(named and same_name(named[0], g.user.name)),
    ), status


@bp.get("/agreements/<int:agreement_id>/sign")
@agreement_route("view")
def page(agreement, membership):
    return _page(agreement, membership)


@bp.post("/agreements/<int:agreement_id>/sign")
@agreement_route("sign")
def submit(agreement, membership):
    form = SignForm()
    if not form.validate_on_submit():
        if form.shown_hash.errors:  # a hidden field: its error would show nowhere else
            form.form_errors.append(_("The page did not say which text you are signing. Reload it and sign again."))
        return _page(agreement, membership, form, status=422)
    try:
        signature = sign(agreement, g.user, membership, password=form.password.data, full_name=form.full_name.data,
                         job_title=form.job_title.data, consent=form.consent.data, shown_hash=form.shown_hash.data)
    except SigningError as error:
        form.password.data = ""
        return _page(agreement, membership, form, error=str(error), status=error.status)
    if agreement.status == "executed":
        flash(_("Signed. Both sides have signed revision %(number)s: the agreement is executed.",
                number=signature.revision_number), "success")
    else:
        flash(_("Signed revision %(number)s for %(organisation)s. The other side's signatory has been asked to sign.",
                number=signature.revision_number, organisation=signature.organisation.rstrip(".")), "success")
    return redirect(url_for("signing.page", agreement_id=agreement.id))


@bp.post("/agreements/<int:agreement_id>/reopen")
@agreement_route("manage")
def reopen_for_changes(agreement, membership):
    form = ReopenForm()
    if not form.validate_on_submit():
        return _page(agreement, membership, reopen_form=form, status=422)
    try:
        voided = reopen(agreement, g.user, membership, form.reason.data)
    except SigningError as error:
        return _page(agreement, membership, error=str(error), status=error.status)
    if voided:
        flash(ngettext("Reopened for changes. %(num)d signature voided.", "Reopened for changes. %(num)d signatures voided.",
                       voided), "success")
    else:
        flash(_("Reopened for changes."), "success")
    return redirect(url_for("signing.page", agreement_id=agreement.id))
