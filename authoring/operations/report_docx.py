"""The monthly service report as a DOCX in the agreement's language, written with the agreement's Word machinery.

The figures, the credits due with how and by when they are claimed or deducted, availability, the
incidents counted, the client responsibilities the reviews recorded as missed, and the disputes of the
period. Numbers, money and dates follow the agreement's language (CLDR, through Babel).
"""
from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import datetime

from babel.dates import format_date
from babel.numbers import format_currency, format_decimal
from flask_babel import gettext as _

from ..export.docx import finish_word_document, new_word_document
from ..export.records import ExportInfo
from ..i18n import in_language
from ..library.formatting import locale_of
from ..ooxml.blocks import Span
from .monthly import ClaimRule, MissedResponsibilities
from .periods import zone_named
from .report import ServiceReport
from .wording import RULE_WORDS, claim_sentence, dispute_status_words, hours_word, status_words


@dataclass(frozen=True)
class DisputeLine:
    """A dispute as the report lists it."""

    number: int
    line: str
    status: str  # as shown (the ladder applied)
    level: str  # the escalation level's name, or ""


def report_docx(info: ExportInfo, report: ServiceReport, rule: ClaimRule, missed: list[MissedResponsibilities],
                disputes: list[DisputeLine]) -> bytes:
    """The report of `report.period` as .docx bytes, in `info.language`."""
    with in_language(info.language):
        return _report_docx(info, report, rule, missed, disputes)


def _report_docx(info: ExportInfo, report: ServiceReport, rule: ClaimRule, missed: list[MissedResponsibilities],
                 disputes: list[DisputeLine]) -> bytes:
    locale = locale_of(info.language)
    word, body = new_word_document(info)
    word.core_properties.title = _("Monthly service report")

    def number(value) -> str:
        return format_decimal(value, locale=locale)

    def day(value) -> str:
        return format_date(value, "long", locale=locale)

    zone = zone_named(report.period.time_zone)

    def local(moment: datetime | None) -> str:
        return moment.astimezone(zone).strftime("%Y-%m-%d %H:%M") if moment else "—"

    period = report.period
    body.paragraph(_("Monthly service report"), style="Title")
    body.paragraph(Span(info.title, bold=True))
    body.paragraph(_("Provider: %(name)s", name=info.provider_name))
    body.paragraph(_("Client: %(name)s", name=info.client_name))
    body.paragraph(_("Measurement period: %(first)s to %(last)s (times in %(zone)s)", first=day(period.first_day),
                     last=day(period.last_day), zone=period.time_zone))
    if not report.complete:
        body.paragraph(Span(_("This period has not ended: the figures are those so far and may still change."),
                            italic=True))

    body.paragraph(_("Incidents by priority"), style="Heading 1", unnumbered=True)
    body.table((_("Priority"), _("Incidents"), _("Met"), _("Share met"), _("Credit below"), _("Credit")),
               [(f.priority, str(f.incidents), str(f.met),
                 f"{number(f.share_met_percent)} %" if f.share_met_percent is not None else "—",
                 f"{number(f.threshold_percent)} %" if f.threshold_percent is not None else "—",
                 f"{number(f.credit_percent)} % ({RULE_WORDS[f.rule]})") for f in report.priorities],
               weights=(2, 2, 2, 2, 2, 5))

    body.paragraph(_("Service credits due"), style="Heading 1", unnumbered=True)
    credits = report.credits
    total = _("Service credit: %(percent)s %% of the monthly fee", percent=number(credits.total_percent))
    if credits.amount is not None:
        total += " = " + format_currency(credits.amount, credits.currency, locale=locale)
    body.paragraph(Span(total, bold=True))
    if credits.capped:
        body.paragraph(_("The credits add up to %(total)s %%, capped at %(cap)s %%.",
                         total=number(credits.uncapped_percent), cap=number(credits.cap_percent)))
    body.paragraph(claim_sentence(rule.kind, day(rule.deadline) if rule.deadline else None, rule.clause_number,
                                  credits.total_percent > 0))

    body.paragraph(_("Availability"), style="Heading 1", unnumbered=True)
    available = report.availability
    if available.percent is not None:
        line = _("%(percent)s %% available", percent=number(available.percent))
        if available.target_percent is not None:
            line += " — " + (_("target of %(target)s %% met", target=number(available.target_percent)) if available.met
                             else _("target of %(target)s %% missed", target=number(available.target_percent)))
        body.paragraph(line)
    else:
        body.paragraph(_("Nothing of this period can be measured yet."))

    body.paragraph(_("Incidents counted"), style="Heading 1", unnumbered=True)
    if report.counted:
        words = status_words()
        body.table((_("Reference"), _("Priority"), _("Reported"), _("Response (hours)"), _("Resolution (hours)"),
                    _("Result")),
                   [(r.incident.reference, r.incident.priority, local(r.incident.reported_at),
                     _("%(taken)s of %(target)s", taken=hours_word(r.response_time),
                       target=number(r.target.response_hours)),
                     _("%(taken)s of %(target)s", taken=hours_word(r.resolution_time),
                       target=number(r.target.resolution_hours)), words[r.status]) for r in report.counted],
                   weights=(3, 2, 4, 3, 3, 2))
    else:
        body.paragraph(_("No incident counts in this period."))

    body.paragraph(_("Client responsibilities missed"), style="Heading 1", unnumbered=True)
    if missed:
        for entry in missed:
            body.paragraph(Span(_("Review %(number)s, held on %(date)s:", number=entry.review_number,
                                  date=day(entry.held_on)), bold=True), keep_next=True)
            body.paragraph(entry.text)
    else:
        body.paragraph(_("None recorded: no review held in this period or the next recorded an issue with the "
                         "client's responsibilities."))

    body.paragraph(_("Disputes"), style="Heading 1", unnumbered=True)
    if disputes:
        shown = dispute_status_words()
        body.table((_("Number"), _("Line disputed"), _("Status"), _("Escalation level")),
                   [(str(d.number), d.line, shown[d.status], d.level or "—") for d in disputes], weights=(1, 3, 2, 3))
    else:
        body.paragraph(_("No line of this report is disputed."))

    finish_word_document(word, info)
    out = io.BytesIO()
    word.save(out)
    return out.getvalue()
