"""The API's later resources: exports (OpenSLO, redline and signed Word), reviews with measurements,
amendments, and the service data of an executed agreement (incidents and outages in, a period's report
out) - each checked against what the pages, the files and the CLI give for the same records.
(Stranger 404 / wrong role 403 for every one of these routes: tests/test_api_access.py.)"""
from __future__ import annotations

import csv
import io
import json
from datetime import date

import docx
import pytest
import yaml
from api_helpers import api_as, is_problem
from docx_review import accept_all, body_of, clause_texts, reject_all
from sqlalchemy import select
from test_exports import demo, member, revision_texts  # noqa: F401  (fixtures)
from test_sla_import import BUSINESS_HOURS, INCIDENTS, OUTAGES

from authoring.extensions import db
from authoring.models import Agreement, AuditEvent, Incident, Outage, User
from authoring.revisions.services import executed_document


def _api(app, runner, email, write=True):
    with app.app_context():
        user = db.session.scalar(select(User).where(User.email == email))
    return api_as(app, runner, user, write)


# Exports ------------------------------------------------------------------------------------

def test_signed_docx_is_the_downloaded_file_with_the_executed_clauses(app, runner, demo, member):  # noqa: F811
    api = _api(app, runner, "legal@example.com", write=False)
    response = api.get(f"/api/v1/agreements/{demo}/signed.docx")
    assert response.status_code == 200 and response.mimetype.endswith("wordprocessingml.document")
    assert "attachment" in response.headers["Content-Disposition"]
    page = member("legal@example.com").get(f"/agreements/{demo}/signed.docx").get_data()
    assert response.data == page  # byte-identical: the file verifies against the same record
    text = "\n".join(p.text for p in docx.Document(io.BytesIO(response.data)).paragraphs)
    with app.app_context():
        clauses = [c for c in executed_document(db.session.get(Agreement, demo)).clauses()]
    assert clauses and all(c.text.split("\n")[0] in text for c in clauses)
    # The demo's agreement was amended once: the latest is amendment 1, version 0 the original.
    assert api.get(f"/api/v1/agreements/{demo}/versions/1/signed.docx").data == page
    original = api.get(f"/api/v1/agreements/{demo}/versions/0/signed.docx")
    assert original.status_code == 200 and original.data != page
    assert original.data == member("legal@example.com").get(f"/agreements/{demo}/versions/0/signed.docx").data
    is_problem(api.get(f"/api/v1/agreements/{demo}/versions/7/signed.docx"), 404)
    unsigned = is_problem(api.get("/api/v1/agreements/1/signed.docx"), 409)  # the English demo, not executed
    assert "both sides signed" in unsigned["detail"]


def test_redline_docx_accepts_to_the_newer_and_rejects_to_the_older_revision(app, runner, demo):  # noqa: F811
    api = _api(app, runner, "client@example.com", write=False)
    response = api.get(f"/api/v1/agreements/{demo}/redline.docx?from=1&to=2")
    assert response.status_code == 200
    body = body_of(response.data)
    assert clause_texts(accept_all(body)) == revision_texts(app, demo, 2)
    assert clause_texts(reject_all(body)) == revision_texts(app, demo, 1)
    authors = {e.get("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}author") for e in body.iter("{*}ins")}
    assert "Jan Kowalski" in authors
    same = is_problem(api.get(f"/api/v1/agreements/{demo}/redline.docx?from=2&to=2"), 422)
    assert same["errors"][0]["field"] == "to"
    is_problem(api.get(f"/api/v1/agreements/{demo}/redline.docx?from=1&to=99"), 404)
    is_problem(api.get(f"/api/v1/agreements/{demo}/redline.docx?from=1"), 422)


def test_openslo_yaml_is_the_download_with_the_agreed_targets(app, runner, demo, member):  # noqa: F811
    api = _api(app, runner, "provider@example.com", write=False)
    response = api.get(f"/api/v1/agreements/{demo}/revisions/2/openslo.yaml")
    assert response.status_code == 200 and response.mimetype == "application/yaml"
    assert response.data == member("provider@example.com").get(f"/agreements/{demo}/revisions/2/openslo.yaml").data
    objects = list(yaml.safe_load_all(response.data))
    assert {"SLO", "SLI"} <= {o["kind"] for o in objects} and all(o["apiVersion"] == "openslo/v1" for o in objects)
    is_problem(api.get(f"/api/v1/agreements/{demo}/revisions/99/openslo.yaml"), 404)


# Reviews and amendments ------------------------------------------------------------------------

@pytest.fixture
def in_force(executed):
    return executed(date(2025, 1, 1))


def test_a_review_with_its_measurements_is_recorded_listed_and_read(app, runner, executed, in_force):
    owner = _api(app, runner, "owner@example.com")
    base = f"/api/v1/agreements/{in_force}/reviews"
    assert owner.get(base).get_json() == []
    review = {"held_on": "2025-04-02", "participants": {"provider": ["Olivia Owner"], "client": ["Cleo Editor"]},
              "achieved": [{"service_level": "Availability", "achieved": 99.1, "period": "2025-Q1"},
                           {"service_level": "P1 response", "achieved": "0.25"}],
              "decisions": "Add a second on-call engineer.",
              "actions": [{"action": "Hire", "owner": "Olivia Owner", "due_on": "2025-06-01"}]}
    response = owner.post(base, json=review)
    assert response.status_code == 201, response.get_data(as_text=True)
    created = response.get_json()
    assert response.headers["Location"].endswith(f"{base}/1")
    results = {r["service_level"]: r for r in created["results"]}
    assert results["Availability"] == {"service_level": "Availability", "target": "99.5", "achieved": "99.1",
                                       "unit": "percent", "met": False, "period": "2025-Q1"}
    assert results["P1 response"]["met"] is True and results["P1 response"]["unit"] == "hours"
    assert created["actions"] == [{"action": "Hire", "owner": "Olivia Owner", "due_on": "2025-06-01"}]
    # The page shows the same review.
    page = executed.as_("viewer").get(f"/agreements/{in_force}/reviews/1").get_data(as_text=True)
    assert "Add a second on-call engineer." in page and "99.1" in page
    viewer = _api(app, runner, "viewer@example.com", write=False)
    assert viewer.get(base).get_json() == [created] and viewer.get(f"{base}/1").get_json() == created
    is_problem(viewer.get(f"{base}/2"), 404)

    # A CSV of measurements, as the page takes it: a bad line is an error at `measurements`, nothing recorded.
    bad = owner.post(base, json={**review, "achieved": [], "measurements":
                                 "service_level,target,achieved,unit,period\nAvailability,99.5,n/a,percent,Q2\n"})
    errors = is_problem(bad, 422)["errors"]
    assert errors[0]["field"] == "measurements" and "line 2" in errors[0]["detail"] and "n/a" in errors[0]["detail"]
    unknown = is_problem(owner.post(base, json={**review, "achieved": [{"service_level": "P9", "achieved": 1}]}), 422)
    assert unknown["errors"][0]["field"] == "achieved.0.service_level"
    future = is_problem(owner.post(base, json={**review, "held_on": "2099-01-01"}), 422)
    assert "future" in future["detail"]
    csv_review = owner.post(base, json={**review, "achieved": [], "measurements":
                                        "service_level,target,achieved,unit,period\nAvailability,99.5,99.9,percent,Q2\n"})
    assert csv_review.status_code == 201 and csv_review.get_json()["results"][0]["met"] is True
    assert [r["number"] for r in owner.get(base).get_json()] == [2, 1]


def test_an_owner_opens_an_amendment_which_is_listed_and_read(app, runner, in_force):
    owner = _api(app, runner, "owner@example.com")
    base = f"/api/v1/agreements/{in_force}/amendments"
    assert owner.get(base).get_json() == []
    is_problem(owner.post(base, json={"reason": "x", "review": 5}), 422)
    response = owner.post(base, json={"reason": "Raise availability to 99.9 %"}, headers={"Idempotency-Key": "am-1"})
    assert response.status_code == 201, response.get_data(as_text=True)
    amendment = response.get_json()
    assert (amendment["number"], amendment["status"], amendment["revision"]) == (1, "open", None)
    again = owner.post(base, json={"reason": "Raise availability to 99.9 %"}, headers={"Idempotency-Key": "am-1"})
    assert again.headers["Idempotent-Replayed"] == "true" and again.get_json() == amendment
    assert owner.get(base).get_json() == [amendment] and owner.get(f"{base}/1").get_json() == amendment
    assert owner.get(f"/api/v1/agreements/{in_force}").get_json()["status"] == "negotiating"
    refused = is_problem(owner.post(base, json={"reason": "Another"}), 409)
    assert "executed agreement" in refused["detail"]
    # The signed document of the original stays available while the amendment is negotiated.
    assert owner.get(f"/api/v1/agreements/{in_force}/signed.docx").status_code == 200


# Service data -------------------------------------------------------------------------------

@pytest.fixture
def service(executed):
    return executed(date(2025, 1, 1), adjust=lambda terms: terms["services"].update(support_hours=BUSINESS_HOURS))


def _rows(text: str, separator: str = ",") -> list[dict]:
    return list(csv.DictReader(io.StringIO(text), delimiter=separator))


def incident_rows() -> list[dict]:
    rows = []
    for row in _rows(INCIDENTS):
        paused = [dict(zip(("start", "end"), p.split("/"))) for p in row.pop("paused").split(";") if p]
        rows.append({**row, "paused": paused, "responded_at": row["responded_at"] or None,
                     "resolved_at": row["resolved_at"] or None})
    return rows


def test_incidents_and_outages_as_json_give_the_clis_report(app, runner, service, tmp_path):
    editor = _api(app, runner, "cedit@example.com")  # the client's editor: either side operates
    path = f"/api/v1/agreements/{service}/service/imports"
    key = {"Idempotency-Key": "march-incidents"}
    response = editor.post(path, json={"incidents": incident_rows()}, headers=key)
    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.get_json() | {"sha256": None} == {"kind": "incidents", "created": 6, "updated": 0, "sha256": None}
    # A retry with the same key is answered from the first request: nothing imported twice.
    again = editor.post(path, json={"incidents": incident_rows()}, headers=key)
    assert again.headers["Idempotent-Replayed"] == "true" and again.get_json() == response.get_json()
    outages = [{"started_at": r["started_at"], "ended_at": r["ended_at"], "planned": r["planned"] == "yes"}
               for r in _rows(OUTAGES, ";")]
    assert editor.post(path, json={"outages": outages}).get_json()["created"] == 2
    with app.app_context():
        assert len(db.session.scalars(select(Incident).where(Incident.agreement_id == service)).all()) == 6
        assert len(db.session.scalars(select(Outage).where(Outage.agreement_id == service)).all()) == 2
        events = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "sla.imported")).all()
        assert [(e.details["kind"], e.details["created"]) for e in events] == [("incidents", 6), ("outages", 2)]

    viewer = _api(app, runner, "viewer@example.com", write=False)
    report = viewer.get(f"/api/v1/agreements/{service}/service/report?period=2025-03")
    assert report.status_code == 200, report.get_data(as_text=True)
    out = tmp_path / "report.json"
    result = runner.invoke(args=["sla", "report", "--agreement", str(service), "--period", "2025-03",
                                 "--json", str(out)])
    assert result.exit_code == 0, result.output
    assert report.get_json() == json.loads(out.read_text(encoding="utf-8"))
    figures = report.get_json()
    assert figures["credit_amount"] == "200.00" and figures["currency"] == "EUR"
    assert figures["priorities"]["P1"]["missed_incidents"] == ["INC-2"]
    assert figures["availability_percent"].startswith("99.797")
    is_problem(viewer.get(f"/api/v1/agreements/{service}/service/report?period=March"), 422)


def test_a_bad_row_is_a_422_naming_its_field_and_nothing_is_stored(app, runner, service):
    owner = _api(app, runner, "owner@example.com")
    path = f"/api/v1/agreements/{service}/service/imports"
    rows = incident_rows()
    rows[2]["reported_at"] = "2025-03-14 17:00"  # no UTC offset
    rows[4]["priority"] = "P9"
    body = is_problem(owner.post(path, json={"incidents": rows}), 422)
    fields = {e["field"]: e for e in body["errors"]}
    assert set(fields) == {"incidents.2.reported_at", "incidents.4.priority"}
    assert "no UTC offset" in fields["incidents.2.reported_at"]["detail"]
    assert fields["incidents.4.priority"]["pointer"] == "#/incidents/4/priority"
    bad_csv = is_problem(owner.post(path, json={"csv": INCIDENTS.replace("INC-3,P2", "INC-3,P7")}), 422)
    assert bad_csv["errors"][0]["field"] == "csv" and bad_csv["errors"][0]["detail"].startswith("line 4, priority")
    is_problem(owner.post(path, json={"csv": INCIDENTS, "outages": [{"started_at": "x", "planned": True}]}), 422)
    is_problem(owner.post(path, json={"incidents": []}), 422)
    with app.app_context():
        assert db.session.scalars(select(Incident).where(Incident.agreement_id == service)).all() == []
    # CSV text is taken as the page takes the file.
    assert owner.post(path, json={"csv": INCIDENTS}).get_json()["created"] == 6


def test_service_data_needs_an_executed_agreement(app, runner, make_user, make_agreement):
    owner = make_user("drafter@example.com")
    agreement = make_agreement(owner)
    api = api_as(app, runner, owner)
    refused = is_problem(api.post(f"/api/v1/agreements/{agreement}/service/imports", json={"csv": INCIDENTS}), 409)
    assert "executed" in refused["detail"]
    is_problem(api.get(f"/api/v1/agreements/{agreement}/service/report"), 409)
    is_problem(api.post(f"/api/v1/agreements/{agreement}/reviews", json={
        "held_on": "2025-01-01", "participants": {"provider": ["A"], "client": ["B"]}}), 409)
