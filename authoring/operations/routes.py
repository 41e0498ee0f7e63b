"""The service pages of an executed agreement: the figures of a measurement period, shared with both
sides, and importing incidents and outages."""
from __future__ import annotations

from datetime import datetime

import io
import re

from flask import Blueprint, abort, flash, g, redirect, render_template, request, send_file, url_for
from flask_babel import format_currency, format_date, format_decimal, format_percent
from flask_babel import gettext as _
from flask_babel import ngettext
from markupsafe import Markup

from ..access import agreement_route, can, may_dispute
from ..accounts.sessions import login_required
from ..export.gather import export_info
from ..extensions import db
from ..models import Revision, utcnow
from ..revisions.services import executed_document
from .disputes import (
    OPEN_STATUSES, DisputeError, answer_dispute, dispute_by_number, disputable_lines, disputes_of, escalation_of,
    open_dispute, shown_status,
)
from .forms import DisputeAnswerForm, DisputeForm, SlaFileForm
from .monthly import claim_rule, missed_responsibilities
from .report_docx import DisputeLine, report_docx
from .incident_file import INCIDENT_COLUMNS, INCIDENT_OPTIONAL, MAX_BYTES, OUTAGE_COLUMNS, SlaFileInvalid
from .portfolio import disputes_line, portfolio
from .portfolio_charts import portfolio_charts
from .periods import following, previous, zone_named
from .services import (
    OperationsError, import_sla_file, latest_complete_period, not_executed, period_named, recorded_counts, report_for,
)
from .wording import NOTE_WORDS, RULE_WORDS, claim_sentence, dispute_status_words, hours_word, status_words

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

bp = Blueprint("operations", __name__)


@bp.get("/agreements/<int:agreement_id>/service")
@agreement_route("view")
def service(agreement, membership):
    return _service(agreement, membership)


def _asked_period(agreement):
    """The period asked for in ?period= (else the last complete one), and an error for one not understood."""
    period = latest_complete_period(agreement)
    asked = request.args.get("period", "").strip()
    if asked:
        try:
            return period_named(agreement, asked), None
        except ValueError:
            return period, _("“%(period)s” is not a measurement period of this agreement: write it like "
                             "%(example)s.", period=asked[:20], example=period.label)
    return period, None


def _line_choices(report) -> list[tuple[str, str]]:
    lines = disputable_lines(report)
    return ([(f"priority:{p}", _("Priority %(priority)s: its figures", priority=p))
             for p in sorted(lines["priority"])] +
            [(f"incident:{r}", _("Incident %(reference)s", reference=r)) for r in sorted(lines["incident"])])


def _service(agreement, membership, dispute_form=None, dispute_errors=(), status=200):
    if agreement.executed_revision_id is None:
        return render_template("operations/service.html", agreement=agreement, membership=membership, report=None)
    try:
        period, error = _asked_period(agreement)
        if error:
            status = 400
        report = report_for(agreement, period)
    except ValueError as problem:  # terms the clock cannot read (an unknown time zone or holiday country)
        return render_template("operations/service.html", agreement=agreement, membership=membership, report=None,
                               terms_error=str(problem)), 200
    zone = zone_named(period.time_zone)

    def local(moment: datetime | None) -> str:
        return moment.astimezone(zone).strftime("%Y-%m-%d %H:%M") if moment else "—"

    credits = report.credits
    amount = (format_currency(credits.amount, credits.currency) if credits.amount is not None else None)
    incidents, outages = recorded_counts(agreement)
    rule = claim_rule(executed_document(agreement), period)
    claim = claim_sentence(rule.kind, format_date(rule.deadline, "long") if rule.deadline else None,
                           rule.clause_number, credits.total_percent > 0)
    disputes = [(d, escalation_of(agreement, d)) for d in disputes_of(agreement, period.label)]
    if dispute_form is None and may_dispute(membership, "open"):
        dispute_form = DisputeForm(formdata=None)
    if dispute_form is not None:
        dispute_form.line.choices = [("", _("— choose a line —")), *_line_choices(report)]
    return render_template(
        "operations/service.html", agreement=agreement, membership=membership, report=report, error=error,
        claim=claim, missed=missed_responsibilities(agreement, period), disputes=disputes, shown_status=shown_status,
        dispute_words=dispute_status_words(), dispute_form=dispute_form, dispute_errors=dispute_errors,
        period_name=_period_name(period), previous=previous(period), following=following(period), local=local,
        amount=amount, may_import=can(membership, "operate"), recorded_incidents=incidents,
        recorded_outages=outages, rule_words=RULE_WORDS, status_words=status_words(), note_words=NOTE_WORDS,
        hours_word=hours_word, format_decimal=format_decimal), status


def _period_name(period) -> str:
    """"March 2027" or "2027-Q1", in the interface language."""
    if period.months == 1:
        return format_date(period.first_day, "LLLL y")
    return _("%(first)s to %(last)s", first=format_date(period.first_day, "LLLL y"),
             last=format_date(period.last_day, "LLLL y"))


@bp.route("/agreements/<int:agreement_id>/service/import", methods=["GET", "POST"])
@agreement_route("operate")
def import_file(agreement, membership):
    form = SlaFileForm()
    errors: list[str] = []
    status = 200
    if agreement.executed_revision_id is None:
        errors, status = [not_executed()], 409
    elif form.validate_on_submit():
        raw = form.file.data.read(MAX_BYTES + 1)
        try:
            summary = import_sla_file(agreement, g.user, raw, form.file.data.filename or "file.csv")
        except SlaFileInvalid as invalid:
            errors = invalid.messages
        except OperationsError as refused:
            errors = [str(refused)]
        else:
            total = summary.created + summary.updated
            message = (ngettext("%(num)d incident imported (%(new)d new, %(updated)d updated).",
                                "%(num)d incidents imported (%(new)d new, %(updated)d updated).", total,
                                new=summary.created, updated=summary.updated)
                       if summary.kind == "incidents" else
                       ngettext("%(num)d outage imported (%(new)d new, %(updated)d updated).",
                                "%(num)d outages imported (%(new)d new, %(updated)d updated).", total,
                                new=summary.created, updated=summary.updated))
            flash(message, "success")
            return redirect(url_for("operations.service", agreement_id=agreement.id))
    if form.is_submitted() and status == 200:
        status = 422
    return render_template("operations/import.html", agreement=agreement, membership=membership, form=form,
                           errors=errors, incident_columns=INCIDENT_COLUMNS, optional_columns=INCIDENT_OPTIONAL,
                           outage_columns=OUTAGE_COLUMNS), status


@bp.get("/portfolio")
@login_required
def portfolio_page():
    """The figures of every executed agreement the user is a member of (their side's view of each)."""
    figures = portfolio(g.user.id, utcnow())
    return render_template("operations/portfolio.html", portfolio=figures, month_name=_month_name,
                           percent=_percent, money=_money, day=format_date, number=format_decimal,
                           listed=lambda items, word: ", ".join(word(item) for item in items), disputes_line=disputes_line,
                           charts=portfolio_charts(figures, _month_name, _percent))


def _month_name(day) -> str:
    return format_date(day, "LLL y")


def _percent(share) -> str:
    return "—" if share is None else format_percent(share, "#,##0.#%")


def _money(amount, currency) -> str:
    return "—" if amount is None or not currency else format_currency(amount, currency)


@bp.get("/agreements/<int:agreement_id>/service/report.docx")
@agreement_route("view")
def report_file(agreement, membership):
    """The period's monthly service report as a DOCX in the agreement's language."""
    if agreement.executed_revision_id is None:
        abort(404)
    try:
        period, error = _asked_period(agreement)
        if error:
            abort(400)
        report = report_for(agreement, period)
    except ValueError:
        abort(409)
    executed = _executed_revision(agreement)
    rule = claim_rule(executed_document(agreement), period)
    lines = []
    for dispute in disputes_of(agreement, period.label):
        escalation = escalation_of(agreement, dispute)
        lines.append(DisputeLine(dispute.number, dispute.line, shown_status(dispute, escalation),
                                 escalation.level.name if escalation.level is not None else ""))
    data = report_docx(export_info(agreement, executed), report, rule, missed_responsibilities(agreement, period), lines)
    stem = re.sub(r"[^\w]+", "-", agreement.title, flags=re.UNICODE).strip("-")[:80] or f"agreement-{agreement.id}"
    response = send_file(io.BytesIO(data), mimetype=DOCX, as_attachment=True,
                         download_name=f"{stem}-service-report-{period.label}.docx")
    response.headers["Cache-Control"] = "no-store"
    return response


def _executed_revision(agreement) -> Revision:
    return db.session.get(Revision, agreement.executed_revision_id)


@bp.post("/agreements/<int:agreement_id>/service/disputes")
@agreement_route("dispute")
def open_dispute_page(agreement, membership):
    """The client disputes a line of a period's report."""
    if not may_dispute(membership, "open"):
        abort(403)
    if agreement.executed_revision_id is None:
        abort(404)
    form = DisputeForm()
    try:
        period, error = _asked_period(agreement)
        report = report_for(agreement, period)
    except ValueError:
        abort(409)
    if error:
        abort(400)
    form.line.choices = [("", _("— choose a line —")), *_line_choices(report)]
    errors: list[str] = []
    if form.validate_on_submit():
        kind, _sep, line = form.line.data.partition(":")
        try:
            dispute = open_dispute(agreement, g.user, membership, report, kind, line, form.body.data)
        except DisputeError as refused:
            if refused.status == 403:
                abort(403)
            errors = [str(refused)]
        else:
            flash(_("Dispute %(number)s opened: the provider answers it on its page.", number=dispute.number),
                  "success")
            return redirect(url_for("operations.dispute", agreement_id=agreement.id, number=dispute.number))
    return _service(agreement, membership, dispute_form=form, dispute_errors=errors, status=422)


def _answer_choices(membership, dispute) -> list[tuple[str, str]]:
    words = dispute_status_words()
    choices = [("", _("— message only —"))]
    if may_dispute(membership, "decide"):
        choices += [("accepted", _("Accept: %(status)s", status=words["accepted"])),
                    ("rejected", _("Reject: %(status)s", status=words["rejected"]))]
    if may_dispute(membership, "escalate") and dispute.status == "open":
        choices.append(("escalated", _("Escalate to the next level")))
    return choices


@bp.get("/agreements/<int:agreement_id>/service/disputes/<int:number>")
@agreement_route("view")
def dispute(agreement, membership, number):
    """A dispute's thread, its status and escalation level; both sides see it."""
    return _dispute(agreement, membership, number)


@bp.post("/agreements/<int:agreement_id>/service/disputes/<int:number>")
@agreement_route("dispute")
def answer_dispute_page(agreement, membership, number):
    """A message in the thread (owners and editors of either side), which may also change its status."""
    return _dispute(agreement, membership, number)


def _bdi(value: str) -> Markup:
    return Markup("<bdi>{}</bdi>").format(value)


def _dispute(agreement, membership, number):
    found = dispute_by_number(agreement, number)
    if found is None:
        abort(404)
    may_write = may_dispute(membership, "write") and found.status in OPEN_STATUSES
    form = DisputeAnswerForm() if may_write else None
    errors: list[str] = []
    status = 200
    if request.method == "POST":
        if form is None:
            abort(403)
        form.status.choices = _answer_choices(membership, found)
        if form.validate_on_submit():
            try:
                answer_dispute(agreement, g.user, membership, found, form.body.data, form.status.data or None)
            except DisputeError as refused:
                if refused.status == 403:
                    abort(403)
                errors, status = [str(refused)], refused.status
            else:
                flash(_("Your message was added to the dispute."), "success")
                return redirect(url_for("operations.dispute", agreement_id=agreement.id, number=number))
        else:
            status = 422
    if form is not None:
        form.status.choices = _answer_choices(membership, found)
    escalation = escalation_of(agreement, found)
    return render_template("operations/dispute.html", agreement=agreement, membership=membership, dispute=found,
                           escalation=escalation, shown=shown_status(found, escalation),
                           dispute_words=dispute_status_words(), form=form, errors=errors, bdi=_bdi), status
