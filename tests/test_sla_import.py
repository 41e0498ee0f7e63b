"""Incidents and outages in (the upload page and `flask sla import`), figures out (the service page and
`flask sla report --json`), on an executed agreement with the demo's service levels and credits:
P1 0.5 h / 4 h around the clock, P2 1 h / 8 h, P3 4 h / 24 h, P4 8 h / 80 h on Monday-Friday
08:00-18:00 in Europe/Warsaw with Polish holidays; credits P1 5 % below 95 %, P2 3 % below 95 %;
cap 15 %; EUR 4,000.00 a month; availability 99.5 %.
"""
from __future__ import annotations

import hashlib
import io
import json
from datetime import date

import pytest
from conftest import csrf_token
from sqlalchemy import select

from authoring.extensions import db
from authoring.models import AuditEvent, Incident, Outage

BUSINESS_HOURS = {"days": ["mon", "tue", "wed", "thu", "fri"], "opens": "08:00", "closes": "18:00", "holidays": "PL",
                  "highest_priority_around_the_clock": True}

# March 2025, worked out by hand:
#   INC-1 P1 on a Saturday night, answered in 20 min, fixed in 3.5 h (around the clock): met.
#   INC-2 P1 answered after 45 min (30 allowed): missed.
#   INC-3 P2 Friday 17:00 -> Monday 12:00: 1 h + 4 h of support hours (8 allowed): met.
#   INC-4 P2 Tuesday 09:00 -> Wednesday 12:00 is 9 h + 4 h; waiting for the client 12:00-17:00 on Tuesday
#         takes 5 h off: exactly 8 h, which is within the time: met.
#   INC-5 P3, excluded (the client's power cut): not counted.
#   INC-6 P3 reported on 31 March 15:00, answered, not fixed: 3 h of 24 used at the end of March: open.
# P1: 1 of 2 met, 50 % < 95 %: 5 %. P2: 2 of 2: no credit. Total 5 % of 4,000.00 = 200.00 EUR.
INCIDENTS = """reference,priority,reported_at,responded_at,resolved_at,paused,excluded
INC-1,P1,2025-03-08T22:00+01:00,2025-03-08T22:20+01:00,2025-03-09T01:30+01:00,,
INC-2,P1,2025-03-10T09:00+01:00,2025-03-10T09:45+01:00,2025-03-10T11:00+01:00,,
INC-3,P2,2025-03-14T17:00+01:00,2025-03-14T17:30+01:00,2025-03-17T12:00+01:00,,
INC-4,p2,2025-03-18T09:00+01:00,2025-03-18T09:30+01:00,2025-03-19T12:00+01:00,2025-03-18T12:00+01:00/2025-03-18T17:00+01:00,
INC-5,P3,2025-03-20T10:00+01:00,2025-03-21T10:00+01:00,2025-03-25T10:00+01:00,,Client's power cut (exclusion b)
INC-6,P3,2025-03-31T15:00+02:00,2025-03-31T15:30+02:00,,,
"""
# 90 minutes down unplanned; 4 h of notified maintenance left out. March in Warsaw has 44,580 minutes (the change
# to summer time takes one hour): (44,580 - 240 - 90) / (44,580 - 240) = 99.797...%.
OUTAGES = """started_at;ended_at;planned
2025-03-10T09:00+01:00;2025-03-10T10:30+01:00;no
2025-03-22T22:00+01:00;2025-03-23T02:00+01:00;yes
"""


@pytest.fixture
def agreement(executed):
    return executed(date(2025, 1, 1), adjust=lambda terms: terms["services"].update(support_hours=BUSINESS_HOURS))


def upload(client, agreement_id, content: str | bytes, name="incidents.csv"):
    path = f"/agreements/{agreement_id}/service/import"
    data = content.encode() if isinstance(content, str) else content
    return client.post(path, data={"csrf_token": csrf_token(client, path), "file": (io.BytesIO(data), name)},
                       content_type="multipart/form-data")


def stored(app, agreement_id):
    with app.app_context():
        incidents = {i.reference: i for i in db.session.scalars(select(Incident).where(Incident.agreement_id == agreement_id))}
        outages = list(db.session.scalars(select(Outage).where(Outage.agreement_id == agreement_id)))
        for row in [*incidents.values(), *outages]:
            db.session.expunge(row)
        return incidents, outages


def test_a_member_of_either_side_imports_and_both_sides_see_the_figures(app, agreement, executed):
    client = executed.as_("cedit")  # the client's editor
    response = upload(client, agreement, INCIDENTS)
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/agreements/{agreement}/service")
    assert "6 incidents imported (6 new, 0 updated)." in client.get(response.headers["Location"]).get_data(as_text=True)
    incidents, _ = stored(app, agreement)
    assert sorted(incidents) == ["INC-1", "INC-2", "INC-3", "INC-4", "INC-5", "INC-6"]
    assert incidents["INC-4"].priority == "P2"  # the agreement's spelling
    assert incidents["INC-4"].pauses == [["2025-03-18T11:00:00+00:00", "2025-03-18T16:00:00+00:00"]]
    assert incidents["INC-6"].resolved_at is None and incidents["INC-5"].excluded.startswith("Client's power cut")
    with app.app_context():
        event = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "sla.imported")).one()
        assert event.details["sha256"] == hashlib.sha256(INCIDENTS.encode()).hexdigest()
        assert (event.details["kind"], event.details["created"], event.details["file"]) == ("incidents", 6,
                                                                                            "incidents.csv")

    owner = executed.as_("owner")  # the provider's owner
    assert upload(owner, agreement, OUTAGES, "outages.csv").status_code == 302
    page = owner.get(f"/agreements/{agreement}/service?period=2025-03")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "March 2025" in html and "€200.00" in html and "99.797" in html
    assert "INC-6" in html and "Client&#39;s power cut (exclusion b)" in html
    # The viewer sees the same page but may not import.
    viewer = executed.as_("viewer")
    assert "€200.00" in viewer.get(f"/agreements/{agreement}/service?period=2025-03").get_data(as_text=True)
    assert upload(viewer, agreement, INCIDENTS).status_code == 403
    activity = owner.get(f"/agreements/{agreement}/activity").get_data(as_text=True)
    assert hashlib.sha256(OUTAGES.encode()).hexdigest()[:12] in activity


def test_every_bad_row_is_reported_by_line_and_column_and_nothing_is_stored(app, agreement, executed):
    bad = ("reference,priority,reported_at,responded_at,resolved_at,paused\n"
           "OK-1,P1,2025-03-03T10:00+01:00,2025-03-03T10:05+01:00,2025-03-03T11:00+01:00,\n"
           "BAD-1,P9,2025-03-03 10:00,,,\n"
           "BAD-2,P2,2025-03-04T10:00+01:00,2025-03-04T09:00+01:00,2025-03-04T09:30+01:00,\n"
           "BAD-3,P2,yesterday,,2099-01-01T00:00Z,2025-03-04T10:00+01:00\n"
           "OK-1,P3,2025-03-05T10:00+01:00,,,\n")
    client = executed.as_("owner")
    response = upload(client, agreement, bad)
    html = response.get_data(as_text=True)
    assert response.status_code == 422 and "Nothing was imported" in html
    for expected in (
        "line 3, priority: &#39;P9&#39; is not a priority level of this agreement (expected P1, P2, P3, P4)",
        "line 3, reported_at: &#39;2025-03-03 10:00&#39; has no UTC offset; write it with one, for example "
        "2027-03-01T09:30+01:00",
        "line 4, responded_at: &#39;2025-03-04T09:00+01:00&#39; is before reported_at",
        "line 4, resolved_at: &#39;2025-03-04T09:30+01:00&#39; is before reported_at",
        "line 5, reported_at: &#39;yesterday&#39; is not a date and time in ISO 8601",
        "line 5, resolved_at: &#39;2099-01-01T00:00Z&#39; is in the future",
        "line 5, paused: &#39;2025-03-04T10:00+01:00&#39; is not a pause written as start/end",
        "line 6, reference: &#39;OK-1&#39; appears again (first on line 2)",
    ):
        assert expected in html, expected
    assert stored(app, agreement) == ({}, [])


def test_reimporting_a_reference_updates_it(app, agreement, executed, runner, tmp_path):
    client = executed.as_("owner")
    assert upload(client, agreement, INCIDENTS).status_code == 302
    # INC-6 was fixed after all, INC-2's priority corrected, INC-4 restated without its pause; INC-7 is new.
    again = ("Reference;Priority;Reported at;Responded at;Resolved at\n"
             "INC-6;P3;2025-03-31T15:00+02:00;2025-03-31T15:30+02:00;2025-04-01T10:00+02:00\n"
             "INC-2;P2;2025-03-10T09:00+01:00;2025-03-10T09:45+01:00;2025-03-10T11:00+01:00\n"
             "INC-4;P2;2025-03-18T09:00+01:00;2025-03-18T09:30+01:00;2025-03-19T12:00+01:00\n"
             "INC-7;P4;2025-04-02T10:00+02:00;;\n")
    path = tmp_path / "again.csv"
    path.write_text(again)
    result = runner.invoke(args=["sla", "import", str(path), "--agreement", str(agreement)])
    assert result.exit_code == 0, result.output
    assert "imported 4 incidents" in result.output and "(1 new, 3 updated)" in result.output
    incidents, _ = stored(app, agreement)
    assert len(incidents) == 7
    assert incidents["INC-6"].resolved_at.isoformat() == "2025-04-01T08:00:00+00:00"
    assert incidents["INC-2"].priority == "P2"
    # A row states the incident whole: a pause it no longer lists is gone.
    assert incidents["INC-4"].pauses == [] and incidents["INC-5"].excluded


def test_outage_rows_are_checked_too(app, agreement, runner, tmp_path):
    path = tmp_path / "outages.csv"
    path.write_text("started_at,ended_at,planned\n"
                    "2025-03-10T09:00+01:00,2025-03-10T08:00+01:00,no\n"
                    "2025-03-11T09:00+01:00,,maybe\n"
                    "2025-03-11T09:00+01:00,2025-03-11T10:00+01:00,yes\n")
    result = runner.invoke(args=["sla", "import", str(path), "--agreement", str(agreement)])
    assert result.exit_code == 1
    assert "nothing was imported" in result.output
    assert "line 2, ended_at: '2025-03-10T08:00+01:00' is not after started_at" in result.output
    assert "line 3, planned: 'maybe' is not yes or no" in result.output
    assert "line 4, started_at: '2025-03-11T09:00+01:00' appears again (first on line 3)" in result.output
    assert stored(app, agreement) == ({}, [])


def test_a_header_of_neither_kind_is_refused(app, agreement, runner, tmp_path):
    path = tmp_path / "x.csv"
    path.write_text("ticket,opened\nA,2025-03-01T10:00Z\n")
    result = runner.invoke(args=["sla", "import", str(path), "--agreement", str(agreement)])
    assert result.exit_code == 1
    assert "line 1: the header names neither incidents (reference, priority, reported_at, responded_at, " \
           "resolved_at) nor outages (started_at, ended_at, planned)" in result.output
    path.write_text("reference,priority,reported_at,resolved_at,colour\n")
    result = runner.invoke(args=["sla", "import", str(path), "--agreement", str(agreement)])
    assert "line 1: unexpected column 'colour'" in result.output and "line 1: missing column responded_at" in result.output


def test_an_agreement_not_yet_executed_takes_no_incidents(app, make_user, make_agreement, login):
    owner = make_user("draft-owner@example.com")
    agreement = make_agreement(owner)
    client = login(app.test_client(), "draft-owner@example.com")
    response = upload(client, agreement, INCIDENTS)
    assert response.status_code == 409
    assert "not signed by both sides yet" in response.get_data(as_text=True)
    assert client.get(f"/agreements/{agreement}/service").status_code == 200


def test_an_upload_without_the_forms_token_is_refused(app, agreement, executed):
    client = executed.as_("owner")
    response = client.post(f"/agreements/{agreement}/service/import",
                           data={"file": (io.BytesIO(INCIDENTS.encode()), "i.csv")}, content_type="multipart/form-data")
    assert response.status_code == 400
    assert stored(app, agreement) == ({}, [])


def test_the_report_command_writes_the_figures_as_json(app, agreement, runner, tmp_path):
    for name, content in (("incidents.csv", INCIDENTS), ("outages.csv", OUTAGES)):
        (tmp_path / name).write_text(content)
        assert runner.invoke(args=["sla", "import", str(tmp_path / name), "--agreement", str(agreement)]).exit_code == 0
    out = tmp_path / "march.json"
    result = runner.invoke(args=["sla", "report", "--agreement", str(agreement), "--period", "2025-03",
                                 "--json", str(out)])
    assert result.exit_code == 0, result.output
    assert "credit total 5 %" in result.output and "200.00 EUR" in result.output
    data = json.loads(out.read_text())
    assert data["priorities"]["P1"] == {
        "incidents": 2, "met": 1, "share_met_percent": "50.00", "threshold_percent": "95", "credit_percent": "5",
        "credit_rule": "below_threshold", "met_incidents": ["INC-1"], "missed_incidents": ["INC-2"]}
    p2 = data["priorities"]["P2"]
    assert (p2["incidents"], p2["met"], p2["share_met_percent"], p2["credit_percent"], p2["met_incidents"]) == (
        2, 2, "100.00", "0", ["INC-3", "INC-4"])
    assert (data["priorities"]["P3"]["incidents"], data["priorities"]["P3"]["credit_rule"]) == (0, "no_incidents")
    assert data["priorities"]["P4"]["credit_rule"] == "no_credit"
    assert (data["credit_total_percent"], data["credit_amount"], data["currency"]) == ("5", "200.00", "EUR")
    assert (data["availability_percent"], data["availability_met"]) == ("99.797", True)
    assert [i["reference"] for i in data["open_incidents"]] == ["INC-6"]
    assert [i["reference"] for i in data["excluded_incidents"]] == ["INC-5"]
    by_reference = {i["reference"]: i for i in data["incidents"]}
    assert (by_reference["INC-3"]["resolution_hours"], by_reference["INC-4"]["resolution_hours"]) == ("5.00", "8.00")
    assert by_reference["INC-2"]["response_met"] is False and by_reference["INC-1"]["around_the_clock"] is True

    # April: INC-6 is still open; 3 h used on 31 March, 10 h on Tuesday 1 and Wednesday 2 April each, so its
    # 24 h run out on Thursday 3 April at 09:00 (07:00 UTC): it counts, missed, in April.
    runner.invoke(args=["sla", "report", "--agreement", str(agreement), "--period", "2025-04", "--json", str(out)])
    april = json.loads(out.read_text())
    assert april["priorities"]["P3"]["missed_incidents"] == ["INC-6"]
    assert [i["decided_at"] for i in april["incidents"]] == ["2025-04-03T07:00:00Z"]
    # A period written the wrong way is refused with the way to write it.
    wrong = runner.invoke(args=["sla", "report", "--agreement", str(agreement), "--period", "March"])
    assert wrong.exit_code == 1 and "YYYY-MM" in wrong.output


def test_a_period_written_wrongly_or_terms_the_clock_cannot_read_are_explained(app, executed, runner, tmp_path):
    agreement = executed(date(2025, 1, 1), adjust=lambda terms: terms["services"].update(
        support_hours=BUSINESS_HOURS, time_zone="Mars/Olympus_Mons"))
    client = executed.as_("owner")
    page = client.get(f"/agreements/{agreement}/service")
    assert page.status_code == 200 and "cannot be measured" in page.get_data(as_text=True)
    # The data still come in: the levels do not depend on the calendar.
    assert upload(client, agreement, INCIDENTS).status_code == 302
    result = runner.invoke(args=["sla", "report", "--agreement", str(agreement), "--period", "2025-03"])
    assert result.exit_code == 1 and "unknown time zone: 'Mars/Olympus_Mons'" in result.output


@pytest.mark.parametrize("period", ["2025-13", "0001-01", "9999-11", "9999-12"])
def test_a_period_that_is_not_one_is_refused_on_the_page(app, agreement, executed, period):
    page = executed.as_("viewer").get(f"/agreements/{agreement}/service?period={period}")
    html = page.get_data(as_text=True)
    assert page.status_code == 400 and "is not a measurement period of this agreement" in html


def test_the_demo_has_two_months_of_service_with_a_credit_due_last_month(app, runner, tmp_path):
    from authoring.models import Agreement, utcnow
    from authoring.operations.periods import period_of, previous

    assert runner.invoke(args=["demo"]).exit_code == 0
    with app.app_context():
        agreement = db.session.scalars(select(Agreement).where(
            Agreement.title == "Cloud backup service for Globex Logistics")).one()
    last = previous(period_of(utcnow(), "monthly", "Europe/Warsaw"))
    figures = {}
    for period in (previous(last), last):
        out = tmp_path / f"{period.label}.json"
        result = runner.invoke(args=["sla", "report", "--agreement", str(agreement.id), "--period", period.label,
                                     "--json", str(out)])
        assert result.exit_code == 0, result.output
        figures[period.label] = json.loads(out.read_text())
    before, after = figures[previous(last).label], figures[last.label]
    assert (before["credit_total_percent"], before["availability_met"]) == ("0", True)
    assert len(before["excluded_incidents"]) == 1
    # P1 3 of 4 (5 %) and P2 4 of 5 (3 %): 8 % of EUR 4,000.00.
    assert (after["credit_total_percent"], after["credit_amount"], after["currency"]) == ("8", "320.00", "EUR")
    assert after["availability_met"] is False and [i["reference"] for i in after["open_incidents"]] == ["INC-221"]


def test_neither_side_rewrites_what_the_other_side_imported(app, agreement, executed, runner, tmp_path):
    assert upload(executed.as_("cedit"), agreement, INCIDENTS).status_code == 302  # the client's record
    changed = INCIDENTS.replace("INC-6,P3", "INC-6,P1", 1)
    assert changed != INCIDENTS
    refused = upload(executed.as_("owner"), agreement, changed)  # the provider's owner
    html = refused.get_data(as_text=True)
    assert refused.status_code == 422 and "Nothing was imported" in html
    assert "INC-1 was imported by the client&#39;s side: only they update it; dispute the report&#39;s line instead" in html
    incidents, _ = stored(app, agreement)
    assert incidents["INC-6"].priority == "P3" and incidents["INC-6"].imported_side == "client"
    # The same side corrects its own record; the command line (the server's operator) may too.
    assert upload(executed.as_("cedit"), agreement, changed).status_code == 302
    assert stored(app, agreement)[0]["INC-6"].priority == "P1"
    path = tmp_path / "incidents.csv"
    path.write_text(INCIDENTS, encoding="utf-8")
    assert runner.invoke(args=["sla", "import", str(path), "--agreement", str(agreement)]).exit_code == 0
    assert stored(app, agreement)[0]["INC-6"].priority == "P3"
