"""A measurement period's service figures: every priority, the credits, availability, and the incidents behind them.

Pure Python: the terms in force, the incidents and outages recorded, a period and the moment
measured go in; figures come out, each with the references of the incidents it counts, so any
number in a report can be traced back to the imported rows. `report_json` is the shape that
`flask --app app sla report --json` writes.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from decimal import Decimal
from typing import Any

from .availability import Availability, OutageTimes, availability
from .clock import OPEN, IncidentResult, IncidentTimes, measure, priority_targets
from .credits import Credits, PriorityFigures, credit_row, credits_due, decimal_or_none, priority_figures
from .periods import Period
from .support_hours import support_hours_of

_MICROSECOND = timedelta(microseconds=1)

# Notes on how a report was measured (machine words; the page words them).
SUPPORT_HOURS_UNREAD = "support_hours_unread"  # free-text support hours: measured around the clock
NO_MONTHLY_FEE = "no_monthly_fee"
UNKNOWN_PRIORITY = "unknown_priority"  # incidents of a priority the terms no longer define
PERIOD_NOT_ENDED = "period_not_ended"


@dataclass(frozen=True)
class ServiceReport:
    """The service figures of one measurement period, as known at `as_of`."""

    period: Period
    as_of: datetime
    priorities: tuple[PriorityFigures, ...]
    credits: Credits
    availability: Availability
    counted: tuple[IncidentResult, ...]  # decided in the period and not excluded
    open: tuple[IncidentResult, ...]  # reported before the period's end, neither met nor missed by then
    excluded: tuple[IncidentResult, ...]  # decided in the period (or still open), left out with a reason
    unknown: tuple[IncidentTimes, ...]  # of a priority the terms do not define: not measured
    notes: tuple[str, ...]

    @property
    def complete(self) -> bool:
        """True once the period has ended: its figures are final (unless the data are corrected)."""
        return self.as_of >= self.period.end


def service_report(terms: dict[str, Any], incidents: Iterable[IncidentTimes], outages: Iterable[OutageTimes],
                   period: Period, as_of: datetime) -> ServiceReport:
    """The figures of `period` under `terms`, measured at the period's end or at `as_of` if earlier."""
    hours = support_hours_of(terms)
    targets = priority_targets(terms, hours)
    cut = min(period.end, as_of)
    counted: list[IncidentResult] = []
    still_open: list[IncidentResult] = []
    excluded: list[IncidentResult] = []
    unknown: list[IncidentTimes] = []
    for incident in incidents:
        if incident.reported_at >= cut:
            continue
        target = targets.get(incident.priority)
        if target is None:
            unknown.append(incident)
            continue
        result = measure(incident, target, hours, cut)
        in_period = result.status == OPEN or period.contains(result.decided_at)
        if not in_period:
            continue
        if incident.excluded:
            excluded.append(result)
        elif result.status == OPEN:
            still_open.append(result)
        else:
            counted.append(result)

    figures = tuple(priority_figures(level, (r for r in counted if r.target.level == level), credit_row(terms, level))
                    for level in targets)
    credits = credits_due(figures, terms)
    target = decimal_or_none((terms.get("services") or {}).get("availability_percent"))
    notes = []
    if hours.unread_text:
        notes.append(SUPPORT_HOURS_UNREAD)
    if credits.amount is None:
        notes.append(NO_MONTHLY_FEE)
    if unknown:
        notes.append(UNKNOWN_PRIORITY)
    if as_of < period.end:
        notes.append(PERIOD_NOT_ENDED)

    def by_time(results: list[IncidentResult]) -> tuple[IncidentResult, ...]:
        return tuple(sorted(results, key=lambda r: (r.incident.reported_at, r.incident.reference)))

    return ServiceReport(period, as_of, figures, credits, availability(outages, period, cut, target),
                         by_time(counted), by_time(still_open), by_time(excluded),
                         tuple(sorted(unknown, key=lambda i: (i.reported_at, i.reference))), tuple(notes))


def _number(value: Decimal | None) -> str | None:
    # Decimals as strings, so no reader turns 95.00 into a binary float.
    return None if value is None else str(value)


def _hours(result: IncidentResult, name: str) -> str:
    span = getattr(result, f"{name}_time")
    return str((Decimal(span // _MICROSECOND) / 3_600_000_000).quantize(Decimal("0.01")))


def _utc(moment: datetime | None) -> str | None:
    return None if moment is None else moment.astimezone(timezone.utc).isoformat().replace("+00:00", "Z")


def _incident(result: IncidentResult) -> dict[str, Any]:
    incident = result.incident
    return {
        "reference": incident.reference, "priority": incident.priority, "status": result.status,
        "reported_at": _utc(incident.reported_at), "responded_at": _utc(incident.responded_at),
        "resolved_at": _utc(incident.resolved_at), "decided_at": _utc(result.decided_at),
        "response_hours": _hours(result, "response"), "response_target_hours": str(result.target.response_hours),
        "response_met": result.response_met,
        "resolution_hours": _hours(result, "resolution"), "resolution_target_hours": str(result.target.resolution_hours),
        "resolution_met": result.resolution_met, "around_the_clock": result.target.around_the_clock,
        "paused": [[_utc(a), _utc(b)] for a, b in incident.pauses],
        **({"excluded": incident.excluded} if incident.excluded else {}),
    }


def report_json(report: ServiceReport, agreement_id: int | None = None) -> dict[str, Any]:
    """The report as plain JSON values; every figure names the incidents it counts."""
    credits, available = report.credits, report.availability
    return {
        **({"agreement": agreement_id} if agreement_id is not None else {}),
        "period": report.period.label, "time_zone": report.period.time_zone,
        "period_start": _utc(report.period.start), "period_end": _utc(report.period.end),
        "measured_at": _utc(min(report.as_of, report.period.end)), "complete": report.complete,
        "priorities": {
            f.priority: {"incidents": f.incidents, "met": f.met, "share_met_percent": _number(f.share_met_percent),
                         "threshold_percent": _number(f.threshold_percent), "credit_percent": _number(f.credit_percent),
                         "credit_rule": f.rule, "met_incidents": list(f.met_references),
                         "missed_incidents": list(f.missed_references)}
            for f in report.priorities
        },
        "credit_uncapped_percent": _number(credits.uncapped_percent),
        "credit_cap_percent": _number(credits.cap_percent),
        "credit_total_percent": _number(credits.total_percent), "credit_capped": credits.capped,
        "monthly_fee": _number(credits.monthly_fee), "credit_amount": _number(credits.amount),
        "currency": credits.currency,
        "availability_percent": _number(available.percent),
        "availability_target_percent": _number(available.target_percent), "availability_met": available.met,
        "availability": {
            "measured_minutes": str(_minutes(available.measured)), "planned_minutes": str(_minutes(available.planned)),
            "unplanned_minutes": str(_minutes(available.unplanned)),
            "outages": [{"started_at": _utc(o.started_at), "ended_at": _utc(o.ended_at), "planned": o.planned}
                        for o in available.outages],
        },
        "incidents": [_incident(r) for r in report.counted],
        "open_incidents": [_incident(r) for r in report.open],
        "excluded_incidents": [_incident(r) for r in report.excluded],
        "unknown_priority_incidents": [i.reference for i in report.unknown],
        "notes": list(report.notes),
    }


def _minutes(span: timedelta) -> Decimal:
    return (Decimal(span // _MICROSECOND) / 60_000_000).quantize(Decimal("0.01"))
