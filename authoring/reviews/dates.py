"""The dates of an agreement's life, gathered for its timeline picture.

From the terms in force (the executed ones once signed, the draft's before): the term,
milestones, payments that fall on a date or a milestone, the review dates of the agreed
cadence, the renewal window; from the record: signing and each review held.
"""
from __future__ import annotations

from datetime import date

from flask_babel import gettext as _

from ..document.terms import term_date, term_value
from ..models import Agreement, Review
from ..render.timeline import Mark, TimelineData
from .schedule import CADENCE_MONTHS, renewal_window, review_dates_shown
from .services import lead_days


def _milestone_days(terms: dict) -> dict[str, date]:
    days = {}
    for row in term_value(terms, "timeline.milestones") or []:
        due = term_date({"m": row}, "m.due_date")
        name = str(row.get("name") or "").strip()
        if due is not None and name:
            days[name] = due
    return days


def timeline_data(agreement: Agreement, terms: dict, reviews: list[Review], today: date) -> TimelineData:
    """Everything the timeline shows, as plain data (render.timeline draws it); labels in the interface language."""
    start, end = term_date(terms, "timeline.effective_date"), term_date(terms, "timeline.end_date")
    milestones = _milestone_days(terms)
    marks = [Mark(day, name, "milestone") for name, day in milestones.items()]
    for row in term_value(terms, "costs.payment_schedule") or []:
        label = str(row.get("label") or "").strip() or _("Payment")
        if row.get("trigger") == "date":
            day = term_date({"r": row}, "r.date")
        elif row.get("trigger") == "milestone":
            day = milestones.get(str(row.get("milestone") or "").strip())
        else:
            day = agreement.executed_at.date() if row.get("trigger") == "signing" and agreement.executed_at else None
        if day is not None:
            marks.append(Mark(day, label, "payment"))
    held = {review.due_on for review in reviews if review.due_on}
    cadence = term_value(terms, "change.review_cadence")
    if start is not None and cadence in CADENCE_MONTHS:
        marks += [Mark(day, _("Review"), "review") for day in review_dates_shown(start, cadence, end) if day not in held]
    marks += [Mark(review.held_on, _("Review %(number)s held", number=review.number), "review") for review in reviews]
    if agreement.executed_at is not None:
        marks.append(Mark(agreement.executed_at.date(), _("Signed by both sides"), "signature"))
    window = renewal_window(end, lead_days(terms)) if end is not None else None
    return TimelineData(start=start, end=end, marks=tuple(sorted(marks, key=lambda m: (m.day, m.kind, m.label))),
                        renewal_window=window, today=today)
