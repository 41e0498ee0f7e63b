"""What the monthly service report adds to a period's figures: when the credits are claimed or deducted,
the client responsibilities the reviews recorded as missed, and the escalation ladder its disputes climb.

Plain Python over the executed document and stored rows; the page and the DOCX word the results.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import select

from ..document.model import Document
from ..extensions import db
from ..models import Agreement, Review
from .credits import decimal_or_none
from .periods import Period, following

CREDITS_CLAUSE = "sanctions.service_credits"
CLAIM_DAYS = 30  # the provider-leaning clause: "by written request made within thirty days of receiving the report"

# How the credits of a period reach the client (machine words; the page and the DOCX word them).
CLAIM_BY_REQUEST = "claim"  # the client claims in writing by a deadline, or the credit lapses
DEDUCTED_AUTOMATICALLY = "deduct"  # the provider deducts them from the next invoice, no claim needed
AS_THE_CLAUSE_SAYS = "clause"  # the clause was reworded: its own text governs
NO_CREDITS_CLAUSE = "none"


@dataclass(frozen=True)
class ClaimRule:
    """How and by when the period's credits are claimed or deducted."""

    kind: str
    deadline: date | None  # the last day to claim (CLAIM_BY_REQUEST only)
    clause_number: str | None  # "7.1": where the rule is written


def claim_rule(document: Document, period: Period) -> ClaimRule:
    """The rule of the executed Service credits clause for `period`'s credits.

    The report is available from the day after the period ends, so a claim window of thirty days
    "of receiving the service report" ends thirty days after that day."""
    for number_, _section, clauses in document.numbered():
        for number, clause in clauses:
            if clause.key != CREDITS_CLAUSE:
                continue
            if clause.custom:
                return ClaimRule(AS_THE_CLAUSE_SAYS, None, number)
            if clause.variant == "provider_leaning":
                return ClaimRule(CLAIM_BY_REQUEST, following(period).first_day + timedelta(days=CLAIM_DAYS), number)
            return ClaimRule(DEDUCTED_AUTOMATICALLY, None, number)
    return ClaimRule(NO_CREDITS_CLAUSE, None, None)


@dataclass(frozen=True)
class MissedResponsibilities:
    """What a review recorded about the client's responsibilities."""

    review_number: int
    held_on: date
    text: str


def missed_responsibilities(agreement: Agreement, period: Period) -> list[MissedResponsibilities]:
    """The client issues recorded by the reviews held in the period or the next one (when a period is reviewed)."""
    until = following(period).last_day
    reviews = db.session.scalars(select(Review).where(
        Review.agreement_id == agreement.id, Review.held_on >= period.first_day, Review.held_on <= until)
        .order_by(Review.held_on, Review.number))
    return [MissedResponsibilities(r.number, r.held_on, r.client_issues.strip())
            for r in reviews if (r.client_issues or "").strip()]


@dataclass(frozen=True)
class Level:
    """One level of the escalation ladder: who handles a dispute there, and for how long."""

    index: int  # 0, 1, ...
    name: str
    provider_contact: str
    client_contact: str
    hours: Decimal | None  # how long the level has before the dispute moves on (None: stays)


def ladder(terms: dict[str, Any]) -> list[Level]:
    """The Escalation levels table of the terms, in order."""
    levels = []
    for row in ((terms.get("escalation") or {}).get("levels")) or []:
        if not isinstance(row, dict):
            continue
        hours = decimal_or_none(row.get("response_hours"))
        levels.append(Level(len(levels), str(row.get("name") or "").strip() or str(len(levels) + 1),
                            str(row.get("provider_contact") or "").strip(), str(row.get("client_contact") or "").strip(),
                            hours if hours is not None and hours > 0 else None))
    return levels


@dataclass(frozen=True)
class Escalation:
    """Where a dispute stands on the ladder at a moment."""

    level: Level | None  # None: the agreement has no levels
    next_at: datetime | None  # when it moves to the next level if still open (None: the last level)
    past_last: bool  # the last level's time has run out too


def escalation_at(opened_at: datetime, levels: list[Level], moment: datetime) -> Escalation:
    """The level a dispute opened at `opened_at` has reached at `moment`: each level's time runs from
    the moment the dispute reached it, and a level without a time keeps the dispute."""
    if not levels:
        return Escalation(None, None, False)
    reached = opened_at
    for level in levels:
        if level.hours is None:
            return Escalation(level, None, False)
        ends = reached + timedelta(hours=float(level.hours))
        if moment < ends:
            return Escalation(level, ends if level.index < len(levels) - 1 else None, False)
        if level.index == len(levels) - 1:
            return Escalation(level, None, True)
        reached = ends
    raise AssertionError("unreachable")


@dataclass(frozen=True)
class ReviewFigure:
    """A service level's result over the periods a review looks back on, as the review form takes it."""

    achieved: Decimal | None
    period: str


def review_figures(reports: list, targets: list) -> dict[str, ReviewFigure]:
    """The review's results from the monthly reports of its periods, by the review's service level names
    ("Availability", "P1 response", "P1 resolution"): availability over all the periods together, and for
    each priority the longest time any counted incident took, so a result meets its target exactly when
    every incident did."""
    from decimal import ROUND_DOWN, ROUND_UP  # noqa: PLC0415

    if not reports:
        return {}
    label = reports[0].period.label if len(reports) == 1 else f"{reports[0].period.label} – {reports[-1].period.label}"
    figures: dict[str, ReviewFigure] = {}
    measured = sum((r.availability.measured for r in reports), timedelta(0))
    unplanned = sum((r.availability.unplanned for r in reports), timedelta(0))
    for target in targets:
        name = target.service_level
        if name == "Availability":
            value = None
            if measured > timedelta(0):
                value = (Decimal((measured - unplanned) // timedelta(microseconds=1)) * 100 /
                         Decimal(measured // timedelta(microseconds=1))).quantize(Decimal("0.01"), rounding=ROUND_DOWN)
            figures[name] = ReviewFigure(value, label)
            continue
        level, _space, kind = name.rpartition(" ")
        if kind not in ("response", "resolution"):
            continue
        spans = [getattr(r, f"{kind}_time") for report in reports for r in report.counted
                 if r.target.level == level]
        value = (Decimal(max(spans) // timedelta(microseconds=1)) / Decimal(3_600_000_000)).quantize(
            Decimal("0.01"), rounding=ROUND_UP) if spans else None
        figures[name] = ReviewFigure(value, label)
    return figures
