"""The service under an executed agreement: incidents and outages in, a measurement period's figures out.

Rows sent as JSON are written as the CSV the import page takes and handed to the same service
(operations.services.import_sla_file): the same checks, all or nothing, the same audit event. A bad
row's problem names its field (`incidents.3.reported_at`); a bad line of `csv` is an error at `csv`.
"""
from __future__ import annotations

import csv
import io

from flask import g
from flask_babel import gettext as _

from ..operations.incident_file import INCIDENT_COLUMNS, INCIDENT_OPTIONAL, OUTAGE_COLUMNS, SlaFileInvalid
from ..operations.report import report_json
from ..operations.services import (
    OperationsError, import_sla_file, latest_complete_period, period_named, report_for, require_executed,
)
from .blueprint import agreement_access, blp, post_doc
from .errors import ApiProblem
from .service_schemas import ReportQuery, ServiceImportResultSchema, ServiceImportSchema, ServiceReportSchema

FIRST_ROW_LINE = 2  # the header is line 1 of the CSV the rows become


def _incident_cells(row: dict) -> list[str]:
    pauses = ";".join(f"{p['start']}/{p['end']}" for p in row["paused"])
    return [row["reference"], row["priority"], row["reported_at"], row["responded_at"] or "",
            row["resolved_at"] or "", pauses, row["excluded"] or ""]


def _outage_cells(row: dict) -> list[str]:
    return [row["started_at"], row["ended_at"] or "", "yes" if row["planned"] else "no"]


def rows_as_csv(kind: str, rows: list[dict]) -> bytes:
    """JSON rows as the CSV file the import reads: one record per row, so row i is line i + 2."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    if kind == "incidents":
        writer.writerow(INCIDENT_COLUMNS + INCIDENT_OPTIONAL)
        writer.writerows(_incident_cells(row) for row in rows)
    else:
        writer.writerow(OUTAGE_COLUMNS)
        writer.writerows(_outage_cells(row) for row in rows)
    return out.getvalue().encode("utf-8")


def _row_errors(kind: str, invalid: SlaFileInvalid) -> list[dict[str, str]]:
    """The reader's (line, column, message) as the fields of the JSON rows that were sent."""
    errors = []
    for line, column, message in invalid.errors:
        path = [kind] + ([str(line - FIRST_ROW_LINE)] if line >= FIRST_ROW_LINE else []) + \
            ([column] if column and line >= FIRST_ROW_LINE else [])
        errors.append({"field": ".".join(path), "pointer": "#/" + "/".join(path), "in": "body", "detail": message})
    return errors


@blp.route("/agreements/<int:agreement_id>/service/imports", methods=["POST"])
@agreement_access("operate")
@blp.arguments(ServiceImportSchema)
@blp.response(200, ServiceImportResultSchema)
@post_doc("Service")
def import_service_data(body, agreement, membership):
    """Import incidents or outages into an executed agreement (an owner or editor of either side), all or nothing

    Send `incidents` or `outages` as rows, or `csv` as the import page's file. A reference (an incident)
    or a start (an outage) sent again replaces what was stored for it. Nothing is stored when any row
    is bad: `errors` names each (`incidents.3.reported_at`; for `csv`, the line and column in `detail`).
    """
    if "csv" in body:
        raw, name = body["csv"].encode("utf-8"), "service data (API, CSV)"
    else:
        kind = "incidents" if "incidents" in body else "outages"
        raw, name = rows_as_csv(kind, body[kind]), f"{kind} (API)"
    try:
        require_executed(agreement)
        summary = import_sla_file(agreement, g.user, raw, name)
    except OperationsError as refused:
        raise ApiProblem(409, str(refused), kind="refused") from None
    except SlaFileInvalid as invalid:
        if "csv" in body:
            errors = [{"field": "csv", "pointer": "#/csv", "in": "body", "detail": message}
                      for message in invalid.messages]
        else:
            errors = _row_errors(kind, invalid)
        raise ApiProblem(422, _("Nothing was imported; “errors” says which rows and values cannot be used."),
                         kind="validation", errors=errors) from None
    return {"kind": summary.kind, "created": summary.created, "updated": summary.updated, "sha256": summary.sha256}


@blp.route("/agreements/<int:agreement_id>/service/report", methods=["GET"])
@agreement_access("view")
@blp.arguments(ReportQuery, location="query", as_kwargs=True)
@blp.response(200, ServiceReportSchema)
@blp.doc(tags=["Service"])
def service_report(agreement, membership, period=None):
    """A measurement period's service figures: each priority, the credits, availability and the incidents behind
    them - the figures of the service page and `flask --app app sla report --json`"""
    try:
        require_executed(agreement)
        if period is None:
            chosen = latest_complete_period(agreement)
        else:
            try:
                chosen = period_named(agreement, period)
            except ValueError as error:
                raise ApiProblem(422, _("Some values cannot be used; “errors” says which and why."),
                                 kind="validation", errors=[{"field": "period", "pointer": "#/period",
                                                             "in": "query", "detail": str(error)}]) from None
        report = report_for(agreement, chosen)
    except OperationsError as refused:
        raise ApiProblem(409, str(refused), kind="refused") from None
    except ValueError as error:  # terms the clock cannot read (an unknown time zone or holiday country)
        raise ApiProblem(409, str(error), kind="refused") from None
    return report_json(report, agreement.id)
