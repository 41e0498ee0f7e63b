"""Running an executed agreement: importing incidents and outages, and measuring a period against the terms.

Invariants every operation keeps:

* only an executed agreement (in force, or ended: its last periods are still reported) takes data;
* an import is all or nothing: the whole file is read and checked before anything is written, and
  written in one transaction under the agreement's lock, with an audit event naming the file's
  SHA-256, so what was imported can be proved later;
* importing a reference (an incident) or a start (an outage) again replaces what was stored for it;
* a period is measured under the terms in force at its start: the executed version (original or
  amendment) that had taken effect by its first day.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date, datetime, timezone
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import func, or_, select

from ..access import membership_of
from ..agreements.services import lock_agreement
from ..negotiation.labels import side_name
from ..audit import record
from ..extensions import db
from ..models import Agreement, Incident, Outage, Revision, User, utcnow
from ..reviews.amendments import versions_of
from ..revisions.services import executed_document, revision_document
from .availability import OutageTimes
from .clock import IncidentTimes, priority_targets
from .incident_file import SlaFile, SlaFileInvalid, read_sla_file
from .periods import Period, parse_period, period_of, previous, zone_named
from .report import ServiceReport, service_report
from .support_hours import support_hours_of

AROUND_THE_CLOCK_HOURS = support_hours_of({})


class OperationsError(Exception):
    """Something the agreement cannot take now; str() says why, in the interface language."""


@dataclass(frozen=True)
class ImportSummary:
    kind: str  # "incidents" or "outages"
    created: int
    updated: int
    sha256: str


def not_executed() -> str:
    return _("Incidents and outages are recorded for an executed agreement; this one is not signed by both sides yet.")


def require_executed(agreement: Agreement) -> None:
    if agreement.executed_revision_id is None:
        raise OperationsError(not_executed())


def current_terms(agreement: Agreement) -> dict[str, Any]:
    """The terms as executed most recently (an amendment counts once both sides signed it)."""
    require_executed(agreement)
    return executed_document(agreement).terms


def terms_in_force(agreement: Agreement, on: date) -> dict[str, Any]:
    """The terms of the executed version in force on `on`: the newest that had taken effect by then
    (the original from its effective date, an amendment from its stated date or, without one, the day
    it was signed); before any, the original."""
    require_executed(agreement)
    versions = versions_of(agreement)
    if agreement.executed_outside:
        # Signed outside Accord: its original is the revision it was imported as (the first), which
        # versions_of leaves out, having no signatures; the amendments signed here follow it.
        imported = db.session.scalar(select(Revision).where(Revision.agreement_id == agreement.id,
                                                            Revision.number == 1))
        chosen = revision_document(imported).terms if imported is not None else executed_document(agreement).terms
    elif versions:
        chosen, versions = revision_document(versions[0].revision).terms, versions[1:]
    else:
        return executed_document(agreement).terms
    zone = zone_named(support_hours_of(chosen).time_zone)
    for version in versions:
        # A date in the agreement's time zone, as `on` is (signed at 23:30 UTC may be the next day there).
        takes_effect = version.effective_on or version.executed_at.astimezone(zone).date()
        if takes_effect <= on:
            chosen = revision_document(version.revision).terms
    return chosen


def priority_levels(agreement: Agreement) -> list[str]:
    """The priority levels an incident of this agreement may have: those of every executed version, newest first."""
    require_executed(agreement)
    levels: list[str] = []
    documents = [revision_document(v.revision) for v in reversed(versions_of(agreement))] or \
        [executed_document(agreement)]
    for document in documents:
        # Only the levels: support hours the clock cannot read must not stop the data coming in.
        for level in priority_targets(document.terms, AROUND_THE_CLOCK_HOURS):
            if level not in levels:
                levels.append(level)
    return levels


def import_sla_file(agreement: Agreement, user: User | None, raw: bytes, file_name: str,
                    now: datetime | None = None) -> ImportSummary:
    """Store the incidents or outages of a CSV file (all or nothing); SlaFileInvalid lists every bad row."""
    require_executed(agreement)
    now = now or utcnow()
    found = read_sla_file(raw, priority_levels(agreement), now)
    sha256 = hashlib.sha256(raw).hexdigest()
    lock_agreement(agreement.id)
    membership = membership_of(user.id, agreement.id) if user is not None else None
    side = membership.side if membership is not None else None
    _refuse_the_other_sides_rows(agreement, found, side)
    created, updated = (_store_incidents if found.kind == "incidents" else _store_outages)(agreement, found, now, side)
    record("sla.imported", actor=user, agreement=agreement, kind=found.kind, file=file_name[:255], sha256=sha256,
           rows=found.rows, created=created, updated=updated, **({} if user is not None else {"via": "command line"}))
    db.session.commit()
    return ImportSummary(found.kind, created, updated, sha256)


def _iso(moment: datetime) -> str:
    return moment.isoformat()


def _refuse_the_other_sides_rows(agreement: Agreement, found: SlaFile, side: str | None) -> None:
    """SlaFileInvalid when the file would rewrite incidents or outages the other side imported.

    Both sides bring in what their systems recorded; neither rewrites the other's record of it
    (a figure in doubt is disputed on the report). The command line, run by whoever runs the
    server, may update any row.
    """
    if side is None:
        return
    if found.kind == "incidents":
        theirs = db.session.execute(select(Incident.reference, Incident.imported_side).where(
            Incident.agreement_id == agreement.id, Incident.reference.in_([t.reference for t in found.incidents]),
            Incident.imported_side.is_not(None), Incident.imported_side != side)).all()
        column, shown_as = "reference", lambda key: key
    else:
        theirs = db.session.execute(select(Outage.started_at, Outage.imported_side).where(
            Outage.agreement_id == agreement.id, Outage.started_at.in_([t.started_at for t in found.outages]),
            Outage.imported_side.is_not(None), Outage.imported_side != side)).all()
        column, shown_as = "started_at", lambda key: key.isoformat()
    if theirs:
        raise SlaFileInvalid([(0, column, _("%(key)s was imported by the %(side)s's side: only they update it; dispute "
                                            "the report's line instead", key=shown_as(key), side=side_name(other)))
                              for key, other in theirs])


def _store_incidents(agreement: Agreement, found: SlaFile, now: datetime, side: str | None) -> tuple[int, int]:
    stored = {i.reference: i for i in db.session.scalars(select(Incident).where(Incident.agreement_id == agreement.id))}
    created = updated = 0
    for times in found.incidents:
        row = stored.get(times.reference)
        if row is None:
            row = Incident(agreement_id=agreement.id, reference=times.reference, imported_at=now, imported_side=side)
            db.session.add(row)
            created += 1
        else:
            updated += 1
        row.priority, row.reported_at = times.priority, times.reported_at
        row.responded_at, row.resolved_at = times.responded_at, times.resolved_at
        row.pauses = [[_iso(a), _iso(b)] for a, b in times.pauses]
        row.excluded = times.excluded
        row.updated_at = now
    return created, updated


def _store_outages(agreement: Agreement, found: SlaFile, now: datetime, side: str | None) -> tuple[int, int]:
    stored = {o.started_at: o for o in db.session.scalars(select(Outage).where(Outage.agreement_id == agreement.id))}
    created = updated = 0
    for times in found.outages:
        row = stored.get(times.started_at)
        if row is None:
            row = Outage(agreement_id=agreement.id, started_at=times.started_at, imported_at=now, imported_side=side)
            db.session.add(row)
            created += 1
        else:
            updated += 1
        row.ended_at, row.planned, row.updated_at = times.ended_at, times.planned, now
    return created, updated


def incident_times(row: Incident) -> IncidentTimes:
    return IncidentTimes(row.reference, row.priority, row.reported_at, row.responded_at, row.resolved_at,
                         tuple((datetime.fromisoformat(a), datetime.fromisoformat(b)) for a, b in row.pauses or []),
                         row.excluded)


def period_named(agreement: Agreement, text: str) -> Period:
    """The agreement's measurement period written as `text` ("2027-03"); ValueError saying how to write it."""
    terms = current_terms(agreement)
    return parse_period(text, _window(terms), support_hours_of(terms).time_zone)


def _window(terms: dict[str, Any]) -> str:
    return (terms.get("services") or {}).get("measurement_window") or "monthly"


def latest_complete_period(agreement: Agreement, now: datetime | None = None) -> Period:
    """The last measurement period that has ended (the one before the current one)."""
    terms = current_terms(agreement)
    return previous(period_of(now or utcnow(), _window(terms), support_hours_of(terms).time_zone))


def report_for(agreement: Agreement, period: Period, as_of: datetime | None = None) -> ServiceReport:
    """The service figures of `period`, under the terms in force at its start, measured at its end (or now)."""
    terms = terms_in_force(agreement, period.first_day)
    incidents = db.session.scalars(select(Incident).where(
        Incident.agreement_id == agreement.id, Incident.reported_at < period.end,
        # Decided no later than resolved: one resolved before the period began counts in an earlier one.
        or_(Incident.resolved_at.is_(None), Incident.resolved_at >= period.start)))
    outages = db.session.scalars(select(Outage).where(
        Outage.agreement_id == agreement.id, Outage.started_at < period.end,
        or_(Outage.ended_at.is_(None), Outage.ended_at > period.start)))
    return service_report(terms, [incident_times(i) for i in incidents],
                          [OutageTimes(o.started_at, o.ended_at, o.planned) for o in outages], period,
                          as_of or utcnow())


def recorded_counts(agreement: Agreement) -> tuple[int, int]:
    """How many incidents and outages are stored for the agreement."""
    incidents = db.session.scalar(select(func.count()).select_from(Incident).where(Incident.agreement_id == agreement.id))
    outages = db.session.scalar(select(func.count()).select_from(Outage).where(Outage.agreement_id == agreement.id))
    return incidents or 0, outages or 0


def periods_to_review(agreement: Agreement, since: date, now: datetime | None = None) -> list[Period]:
    """The measurement periods that have ended by `now`, from the one containing `since` on (at most 24)."""
    now = now or utcnow()
    terms = current_terms(agreement)
    zone = support_hours_of(terms).time_zone
    last = previous(period_of(now, _window(terms), zone))
    periods: list[Period] = []
    period = last
    while period.first_day >= period_of(datetime.combine(since, datetime.min.time(), tzinfo=timezone.utc),
                                        _window(terms), zone).first_day and len(periods) < 24:
        periods.insert(0, period)
        period = previous(period)
    return periods


def review_prefill(agreement: Agreement, targets: list, since: date, now: datetime | None = None) -> dict[str, Any]:
    """The next review's service-level results from the monthly reports of the periods since `since`
    (the last review, else the effective date); empty when nothing can be measured."""
    from .monthly import review_figures  # noqa: PLC0415

    try:
        reports = [report_for(agreement, period, now) for period in periods_to_review(agreement, since, now)]
    except ValueError:  # terms the clock cannot read: the review is typed by hand
        return {}
    return review_figures(reports, targets)
