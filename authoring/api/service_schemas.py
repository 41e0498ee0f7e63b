"""What the service resources read and write: incidents and outages in, a period's figures out.

Times are sent as the CSV import takes them (ISO 8601 with a UTC offset) and are checked by the same
reader, so a row the upload page refuses is refused here with the same words.
"""
from __future__ import annotations

import marshmallow as ma
from flask_babel import gettext as _
from marshmallow import fields, validate

from ..models.incident import PRIORITY_MAX, REASON_MAX, REFERENCE_MAX
from ..operations.incident_file import EXAMPLE, MAX_BYTES, MAX_ROWS
from .schemas import Strict, Text, required_text

TIME_MAX = 64
_TIME = f"ISO 8601 with a UTC offset ({EXAMPLE}, or Z for UTC); not later than now."


def _time(required: bool) -> Text:
    if required:
        return required_text(TIME_MAX, metadata={"description": _TIME})
    return Text(load_default=None, allow_none=True, validate=validate.Length(max=TIME_MAX),
                metadata={"description": _TIME + " Empty or null while it has not happened."})


class PauseInput(Strict):
    start = _time(True)
    end = _time(True)


class IncidentInput(Strict):
    reference = required_text(REFERENCE_MAX, metadata={"description": "The service desk's reference; sending it "
                                                                      "again later updates the stored incident."})
    priority = required_text(PRIORITY_MAX, metadata={"description": "One of the agreement's priority levels."})
    reported_at = _time(True)
    responded_at = _time(False)
    resolved_at = _time(False)
    paused = fields.List(fields.Nested(PauseInput), load_default=list, validate=validate.Length(max=100),
                         metadata={"description": "When the provider waited for the client."})
    excluded = Text(load_default="", allow_none=True, validate=validate.Length(max=REASON_MAX),
                    metadata={"description": "Empty when it counts, else the exclusion it falls under, in words."})


class OutageInput(Strict):
    started_at = _time(True)
    ended_at = _time(False)
    planned = fields.Boolean(required=True, metadata={"description": "Maintenance notified as the exclusions clause "
                                                                     "requires."})


class ServiceImportSchema(Strict):
    """Exactly one of `incidents`, `outages` or `csv`."""

    incidents = fields.List(fields.Nested(IncidentInput), validate=validate.Length(min=1, max=MAX_ROWS))
    outages = fields.List(fields.Nested(OutageInput), validate=validate.Length(min=1, max=MAX_ROWS))
    csv = Text(strip=False, validate=validate.Length(min=1, max=MAX_BYTES),
               metadata={"description": "The text of a CSV file as the import page takes it (its header row says "
                                        "whether it holds incidents or outages)."})

    @ma.validates_schema
    def exactly_one(self, data, **_kwargs):
        if len([name for name in ("incidents", "outages", "csv") if name in data]) != 1:
            raise ma.ValidationError(_("Send exactly one of “incidents”, “outages” or “csv”."))


class ServiceImportResultSchema(ma.Schema):
    kind = fields.String(metadata={"description": "incidents or outages"})
    created = fields.Integer()
    updated = fields.Integer()
    sha256 = fields.String(metadata={"description": "SHA-256 of the rows as imported (kept in the audit trail)."})


class ReportQuery(Strict):
    period = Text(validate=validate.Length(min=1, max=20),
                  metadata={"description": "YYYY-MM (YYYY-Qn where the agreement measures quarters); default: the "
                                           "last period that has ended."})


def _decimal(description: str = "") -> fields.String:
    return fields.String(allow_none=True, metadata={"description": (description + " " if description else "")
                                                                   + "A decimal as a string; null when unknown."})


class PriorityFiguresSchema(ma.Schema):
    incidents = fields.Integer()
    met = fields.Integer()
    share_met_percent = _decimal()
    threshold_percent = _decimal()
    credit_percent = _decimal()
    credit_rule = fields.String(metadata={"description": "Why the credit is what it is."})
    met_incidents = fields.List(fields.String())
    missed_incidents = fields.List(fields.String())


class ReportedIncidentSchema(ma.Schema):
    reference = fields.String()
    priority = fields.String()
    status = fields.String(metadata={"description": "met, missed or open"})
    reported_at = fields.String(allow_none=True)
    responded_at = fields.String(allow_none=True)
    resolved_at = fields.String(allow_none=True)
    decided_at = fields.String(allow_none=True)
    response_hours = _decimal()
    response_target_hours = _decimal()
    response_met = fields.Boolean(allow_none=True)
    resolution_hours = _decimal()
    resolution_target_hours = _decimal()
    resolution_met = fields.Boolean(allow_none=True)
    around_the_clock = fields.Boolean()
    paused = fields.List(fields.List(fields.String(allow_none=True)))
    excluded = fields.String()


class ReportedOutageSchema(ma.Schema):
    started_at = fields.String(allow_none=True)
    ended_at = fields.String(allow_none=True)
    planned = fields.Boolean()


class AvailabilityFiguresSchema(ma.Schema):
    measured_minutes = fields.String()
    planned_minutes = fields.String()
    unplanned_minutes = fields.String()
    outages = fields.List(fields.Nested(ReportedOutageSchema))


class ServiceReportSchema(ma.Schema):
    """The figures `flask --app app sla report --json` writes, every one naming the incidents it counts."""

    agreement = fields.Integer()
    period = fields.String()
    time_zone = fields.String()
    period_start = fields.String()
    period_end = fields.String()
    measured_at = fields.String()
    complete = fields.Boolean(metadata={"description": "True once the period has ended."})
    priorities = fields.Dict(keys=fields.String(), values=fields.Nested(PriorityFiguresSchema))
    credit_uncapped_percent = _decimal()
    credit_cap_percent = _decimal()
    credit_total_percent = _decimal()
    credit_capped = fields.Boolean()
    monthly_fee = _decimal()
    credit_amount = _decimal("The service credit due in `currency`.")
    currency = fields.String(allow_none=True)
    availability_percent = _decimal()
    availability_target_percent = _decimal()
    availability_met = fields.Boolean(allow_none=True)
    availability = fields.Nested(AvailabilityFiguresSchema)
    incidents = fields.List(fields.Nested(ReportedIncidentSchema), metadata={"description": "Counted in the period."})
    open_incidents = fields.List(fields.Nested(ReportedIncidentSchema))
    excluded_incidents = fields.List(fields.Nested(ReportedIncidentSchema))
    unknown_priority_incidents = fields.List(fields.String())
    notes = fields.List(fields.String())
