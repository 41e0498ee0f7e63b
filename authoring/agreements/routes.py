"""Dashboard, agreement overview, members, invitations and activity."""
from __future__ import annotations

from flask import Blueprint, Response, abort, current_app, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from wtforms import SelectChoice

from ..access import agreement_route, can, invitable_sides, may_act_on
from ..accounts.sessions import login_required
from ..config import LANGUAGES, public_url
from ..models import STATUSES, utcnow
from ..render.draft_pages import CLAUSES_PER_PAGE, draft_pages
from ..render.paging import page_number
from ..render.tables import agreement_tables, tables_by_section
from .activity import event_sentences
from ..negotiation.status import negotiation_state
from ..reviews.amendments import amended_clauses
from ..revisions.services import draft_of, latest_revision
from .bulk_csv import CADENCES, HEADER, CsvRefused
from .bulk_import import PAGE_MAX_ROWS, import_agreements, max_bytes, usual_organisation
from .forms import (
    PAPER_LABELS, ROLE_LABELS, ROLE_NAMES, ROLE_WORDS, SIDE_LABELS, SIDE_NAMES, STATUS_LABELS, BulkImportForm,
    ConfirmForm, InviteForm, MemberRoleForm, NewAgreementForm, SettingsForm, status_label, translated,
)
from ..export.paper import agreement_paper
from .register import SORT_LABELS, agreement_register, parse_register_query
from .settings import set_paper_size
from .services import (
    NotYourSide, WorkspaceError, accept_invitation, activity, change_role, create_agreement, create_invitation,
    find_invitation, pending_invitations, remove_member, revoke_invitation,
)

bp = Blueprint("agreements", __name__)


@bp.app_context_processor
def _labels():
    return {"ROLE_LABELS": ROLE_LABELS, "SIDE_LABELS": SIDE_LABELS, "ROLE_NAMES": ROLE_NAMES, "ROLE_WORDS": ROLE_WORDS,
            "SIDE_NAMES": SIDE_NAMES,
            "LANGUAGES": LANGUAGES, "can": can}


# A global, not a context variable, so macros imported without context (status_badge) see it too.
bp.add_app_template_global(status_label, "status_label")


@bp.route("/")
def index():
    if g.user is not None:
        return redirect(url_for("agreements.dashboard"))
    return render_template("agreements/welcome.html")


@bp.route("/agreements")
@login_required
def dashboard():
    """The register of the user's agreements: search, filters, sort and page come from the query string."""
    query, notices = parse_register_query(request.args.to_dict(flat=False))
    page = agreement_register(g.user.id, query, today=utcnow().date())
    if page.query.page != page.requested_page:
        notices.append(_("There is no page %(asked)d; showing page %(page)d of %(pages)d.",
                         asked=page.requested_page, page=page.query.page, pages=page.pages))
    names = {"side": translated(SIDE_NAMES), "role": translated(ROLE_NAMES), "status": translated(STATUS_LABELS)}
    return render_template("agreements/dashboard.html", page=page, notices=notices, statuses=STATUSES,
                           sort_labels=SORT_LABELS, names=names)


@bp.route("/agreements/new", methods=["GET", "POST"])
@login_required
def new():
    form = NewAgreementForm()
    if form.validate_on_submit():
        agreement = create_agreement(
            g.user, title=form.title.data, language=form.language.data,
            provider_name=form.provider_name.data, client_name=form.client_name.data, side=form.side.data,
        )
        flash(_("Agreement created. Invite the other side from Members."), "success")
        return redirect(url_for("agreements.show", agreement_id=agreement.id))
    return render_template("agreements/new.html", form=form), 422 if request.method == "POST" else 200


@bp.route("/agreements/import", methods=["GET", "POST"])
@login_required
def bulk_import():
    """Existing agreements from a CSV register: every problem listed by line and column, or all imported."""
    form = BulkImportForm()
    if request.method == "GET":
        form.organisation.data = usual_organisation(g.user)
    problems = []
    if form.validate_on_submit():
        upload = form.file.data
        try:
            result = import_agreements(upload.read(max_bytes() + 1), g.user, form.organisation.data,
                                       upload.filename or "agreements.csv", max_rows=PAGE_MAX_ROWS)
        except CsvRefused as refused:
            problems = refused.problems
        else:
            count = len(result.agreement_ids)
            flash(ngettext("%(num)d agreement imported (%(executed)d as executed).",
                           "%(num)d agreements imported (%(executed)d as executed).", count, executed=result.executed),
                  "success")
            return redirect(url_for("agreements.dashboard"))
    return render_template("agreements/bulk_import.html", form=form, problems=problems, header=",".join(HEADER),
                           cadences=", ".join(CADENCES), limit=PAGE_MAX_ROWS,
                           languages=LANGUAGES), 422 if form.is_submitted() else 200


@bp.get("/agreements/import/template.csv")
@login_required
def bulk_import_template():
    """The header row alone, for a spreadsheet to start from."""
    response = Response(",".join(HEADER) + "\r\n", mimetype="text/csv")
    response.headers["Content-Disposition"] = 'attachment; filename="agreements.csv"'
    return response


@bp.route("/agreements/<int:agreement_id>")
@agreement_route("view")
def show(agreement, membership):
    draft, document = draft_of(agreement)
    tables = agreement_tables(current_app.extensions["clause_library"], document.terms, agreement.language)
    state = negotiation_state(agreement, document, membership.side, current_app.extensions["clause_library"])
    only = None
    if request.args.get("show") == "needs-my-answer":
        only = {key for key, clause_state in state.clauses.items() if clause_state.needs_my_answer}
    # A part of the text at a time; the clauses needing an answer, wherever they are, on one page.
    pages = draft_pages(document, page_number(request.args, "page"), CLAUSES_PER_PAGE, whole=only is not None,
                        address=lambda number: url_for("agreements.show", agreement_id=agreement.id, page=number))
    return render_template(
        "agreements/show.html", agreement=agreement, membership=membership, draft=draft,
        document=document, tables=tables_by_section(tables), latest=latest_revision(agreement), confirm=ConfirmForm(),
        state=state, only=only, amended=amended_clauses(agreement) if agreement.executed_revision_id else {},
        pages=pages,
    )


def _members_page(agreement, membership, invite_form, status=200, error=None):
    # The side select offers only the sides this member may invite to (the service decides again on POST).
    sides = invitable_sides(membership) if can(membership, "manage") else []
    first_owner_only = [side for side in sides if not may_act_on(membership, "invite", side)]
    invite_form.side.choices = [
        SelectChoice(side, _("%(side)s — its first owner only", side=SIDE_LABELS[side]) if side in first_owner_only
                     else SIDE_LABELS[side])
        for side in sides]
    return render_template(
        "agreements/members.html", agreement=agreement, membership=membership,
        invite_form=invite_form, role_form=MemberRoleForm(), confirm=ConfirmForm(), error=error,
        invitations=pending_invitations(agreement, membership) if can(membership, "manage") else [],
        may_invite=bool(sides), manages={side: may_act_on(membership, "change_role", side) for side in SIDE_LABELS},
        first_owner_only=first_owner_only,
    ), status


def _refused(agreement, membership, error):
    """A refusal by the side rules: 403 and the Members page saying the rule."""
    return _members_page(agreement, membership, InviteForm(formdata=None), status=error.status, error=str(error))


@bp.route("/agreements/<int:agreement_id>/members")
@agreement_route("view")
def members(agreement, membership):
    return _members_page(agreement, membership, InviteForm())


@bp.route("/agreements/<int:agreement_id>/invitations", methods=["POST"])
@agreement_route("manage")
def invite(agreement, membership):
    form = InviteForm()
    if not form.validate_on_submit():
        return _members_page(agreement, membership, form, status=422)
    try:
        invitation, token = create_invitation(agreement, g.user, side=form.side.data, role=form.role.data,
                                              email=form.email.data or None)
    except NotYourSide as error:
        return _members_page(agreement, membership, form, status=error.status, error=str(error))
    link = public_url(url_for("agreements.invitation", token=token))
    return render_template("agreements/invitation_created.html", agreement=agreement, membership=membership,
                           invitation=invitation, link=link), 201


@bp.route("/agreements/<int:agreement_id>/invitations/<int:invitation_id>/revoke", methods=["POST"])
@agreement_route("manage")
def revoke(agreement, membership, invitation_id):
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        revoke_invitation(agreement, g.user, invitation_id)
    except LookupError:
        abort(404)
    except NotYourSide as error:
        return _refused(agreement, membership, error)
    except WorkspaceError as error:
        flash(str(error), "error")
    else:
        flash(_("Invitation withdrawn; its link no longer works."), "success")
    return redirect(url_for("agreements.members", agreement_id=agreement.id))


@bp.route("/agreements/<int:agreement_id>/members/<int:membership_id>/role", methods=["POST"])
@agreement_route("manage")
def set_role(agreement, membership, membership_id):
    form = MemberRoleForm()
    if not form.validate_on_submit():
        flash(_("Choose one of the listed roles."), "error")
    else:
        try:
            changed = change_role(agreement, g.user, membership_id, form.role.data)
        except LookupError:
            abort(404)
        except NotYourSide as error:
            return _refused(agreement, membership, error)
        except WorkspaceError as error:
            flash(str(error), "error")
        else:
            flash(_("%(name)s is now %(role)s.", name=changed.user.name, role=ROLE_WORDS.get(changed.role, changed.role)), "success")
    return redirect(url_for("agreements.members", agreement_id=agreement.id))


@bp.route("/agreements/<int:agreement_id>/members/<int:membership_id>/remove", methods=["POST"])
@agreement_route("manage")
def remove(agreement, membership, membership_id):
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        remove_member(agreement, g.user, membership_id)
    except LookupError:
        abort(404)
    except NotYourSide as error:
        return _refused(agreement, membership, error)
    except WorkspaceError as error:
        flash(str(error), "error")
    else:
        flash(_("Member removed."), "success")
    if membership_id == membership.id:
        return redirect(url_for("agreements.dashboard"))
    return redirect(url_for("agreements.members", agreement_id=agreement.id))


def _settings_page(agreement, membership, form, status=200):
    automatic = agreement_paper(agreement.language, None)
    return render_template("agreements/settings.html", agreement=agreement, membership=membership, form=form,
                           automatic=PAPER_LABELS[automatic],
                           paper=PAPER_LABELS[agreement_paper(agreement.language, agreement.paper_size)]), status


@bp.route("/agreements/<int:agreement_id>/settings")
@agreement_route("view")
def settings(agreement, membership):
    """Every member sees how the agreement's documents are printed; its owners change it."""
    return _settings_page(agreement, membership, SettingsForm(paper_size=agreement.paper_size or ""))


@bp.route("/agreements/<int:agreement_id>/settings", methods=["POST"])
@agreement_route("manage")
def save_settings(agreement, membership):
    form = SettingsForm()
    if not form.validate_on_submit():
        return _settings_page(agreement, membership, form, status=422)
    if set_paper_size(agreement, g.user, form.paper_size.data or None):
        flash(_("Settings saved. Documents exported from now on are printed on %(paper)s.",
                paper=PAPER_LABELS[agreement_paper(agreement.language, agreement.paper_size)]), "success")
    else:
        flash(_("Nothing changed."), "info")
    return redirect(url_for("agreements.settings", agreement_id=agreement.id))


@bp.route("/agreements/<int:agreement_id>/activity")
@agreement_route("view")
def activity_log(agreement, membership):
    page = request.args.get("page", 1, type=int)  # anything but a whole number: the first page
    log = activity(agreement, page)
    _draft, document = draft_of(agreement)
    return render_template("agreements/activity.html", agreement=agreement, membership=membership, log=log,
                           sentences=event_sentences(agreement, document, log.events))


@bp.route("/invitations/<token>", methods=["GET", "POST"])
def invitation(token):
    """Anyone holding the link sees what it offers; accepting needs an account."""
    form = ConfirmForm()
    try:
        found = find_invitation(token)
    except WorkspaceError as error:
        return render_template("agreements/invitation.html", error=str(error), invitation=None, form=form), 410
    if request.method == "POST":
        if g.user is None:
            return redirect(url_for("accounts.login", next=request.path))
        if form.validate_on_submit():
            try:
                joined = accept_invitation(token, g.user)
            except WorkspaceError as error:
                return render_template("agreements/invitation.html", error=str(error), invitation=found, form=form), 409
            message = (_("You joined “%(title)s” as %(role)s on the provider side.", title=joined.agreement.title,
                         role=ROLE_WORDS[joined.role]) if joined.side == "provider" else
                       _("You joined “%(title)s” as %(role)s on the client side.", title=joined.agreement.title,
                         role=ROLE_WORDS[joined.role]))
            flash(message, "success")
            return redirect(url_for("agreements.show", agreement_id=joined.agreement_id))
    return render_template("agreements/invitation.html", error=None, invitation=found, form=form)
