"""The service pages of an executed agreement: the figures of a measurement period, shared with both
sides, and importing incidents and outages."""
from __future__ import annotations

from datetime import datetime

from flask import Blueprint, flash, g, redirect, render_template, request, url_for
from flask_babel import format_currency, format_date, format_decimal, format_percent
from flask_babel import gettext as _
from flask_babel import ngettext

from ..access import agreement_route, can
from ..accounts.sessions import login_required
from ..models import utcnow
from .forms import SlaFileForm
from .incident_file import INCIDENT_COLUMNS, INCIDENT_OPTIONAL, MAX_BYTES, OUTAGE_COLUMNS, SlaFileInvalid
from .portfolio import portfolio
from .portfolio_charts import portfolio_charts
from .periods import following, previous, zone_named
from .services import (
    OperationsError, import_sla_file, latest_complete_period, not_executed, period_named, recorded_counts, report_for,
)
from .wording import NOTE_WORDS, RULE_WORDS, hours_word, status_words

bp = Blueprint("operations", __name__)


@bp.get("/agreements/<int:agreement_id>/service")
@agreement_route("view")
def service(agreement, membership):
    if agreement.executed_revision_id is None:
        return render_template("operations/service.html", agreement=agreement, membership=membership, report=None)
    error, status = None, 200
    try:
        period = latest_complete_period(agreement)
        asked = request.args.get("period", "").strip()
        if asked:
            try:
                period = period_named(agreement, asked)
            except ValueError:
                error, status = _("“%(period)s” is not a measurement period of this agreement: write it like "
                                  "%(example)s.", period=asked[:20], example=period.label), 400
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
    return render_template(
        "operations/service.html", agreement=agreement, membership=membership, report=report, error=error,
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
                           listed=lambda items, word: ", ".join(word(item) for item in items), charts=portfolio_charts(figures, _month_name, _percent))


def _month_name(day) -> str:
    return format_date(day, "LLL y")


def _percent(share) -> str:
    return "—" if share is None else format_percent(share, "#,##0.#%")


def _money(amount, currency) -> str:
    return "—" if amount is None or not currency else format_currency(amount, currency)
