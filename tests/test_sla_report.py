"""The monthly service report: the page both sides share, the DOCX in the agreement's language, disputes of
its lines on the escalation ladder, and the review that pre-fills its results from the reports.

March 2025 on the demo's terms (see test_sla_import.py for the hand-worked figures): P1 1 of 2 met, 50 %
below 95 %: 5 % of EUR 4,000.00 = 200.00; P2 2 of 2; availability 99.797 %.
The demo's escalation ladder: level 1 has 2 hours, level 2 has 24 hours.
"""
from __future__ import annotations

import io
from dataclasses import replace
from datetime import date, datetime, timedelta, timezone

import docx
import pytest
from conftest import csrf_token
from flask import current_app
from sqlalchemy import select

from authoring.extensions import db
from authoring.models import Agreement, AuditEvent, Dispute, Membership, User

BUSINESS_HOURS = {"days": ["mon", "tue", "wed", "thu", "fri"], "opens": "08:00", "closes": "18:00", "holidays": "PL",
                  "highest_priority_around_the_clock": True}
INCIDENTS = """reference,priority,reported_at,responded_at,resolved_at,paused,excluded
INC-1,P1,2025-03-08T22:00+01:00,2025-03-08T22:20+01:00,2025-03-09T01:30+01:00,,
INC-2,P1,2025-03-10T09:00+01:00,2025-03-10T09:45+01:00,2025-03-10T11:00+01:00,,
INC-3,P2,2025-03-14T17:00+01:00,2025-03-14T17:30+01:00,2025-03-17T12:00+01:00,,
INC-4,p2,2025-03-18T09:00+01:00,2025-03-18T09:30+01:00,2025-03-19T12:00+01:00,2025-03-18T12:00+01:00/2025-03-18T17:00+01:00,
"""
OUTAGES = """started_at;ended_at;planned
2025-03-10T09:00+01:00;2025-03-10T10:30+01:00;no
"""
DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def provider_leaning_credits(document, language):
    """The Service credits clause in its provider-leaning wording: credits claimed within thirty days."""
    library = current_app.extensions["clause_library"]
    sections = tuple(replace(section, clauses=tuple(
        replace(c, variant="provider_leaning",
                text=library.render_clause(c.clause_id, "provider_leaning", document.terms, language))
        if c.key == "sanctions.service_credits" else c for c in section.clauses)) for section in document.sections)
    return replace(document, sections=sections)


def upload(client, agreement_id, content: str, name: str):
    path = f"/agreements/{agreement_id}/service/import"
    return client.post(path, data={"csrf_token": csrf_token(client, path), "file": (io.BytesIO(content.encode()), name)},
                       content_type="multipart/form-data")


@pytest.fixture
def agreement(executed):
    def make(language="en", claim=False):
        agreement_id = executed(date(2025, 1, 1), language=language,
                                adjust=lambda terms: terms["services"].update(support_hours=BUSINESS_HOURS),
                                adjust_document=(lambda d: provider_leaning_credits(d, language)) if claim else None)
        owner = executed.as_("owner")
        assert upload(owner, agreement_id, INCIDENTS, "incidents.csv").status_code == 302
        assert upload(owner, agreement_id, OUTAGES, "outages.csv").status_code == 302
        return agreement_id
    return make


def docx_text(data: bytes) -> str:
    document = docx.Document(io.BytesIO(data))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        parts += [cell.text for row in table.rows for cell in row.cells]
    return "\n".join(parts)


def test_both_sides_see_the_report_and_a_stranger_does_not(agreement, executed):
    agreement_id = agreement()
    for name in ("owner", "cedit", "viewer"):
        page = executed.as_(name).get(f"/agreements/{agreement_id}/service?period=2025-03")
        html = page.get_data(as_text=True)
        assert page.status_code == 200
        assert "€200.00" in html and "No claim is needed: under clause" in html
        assert "None recorded" in html and "report.docx?period=2025-03" in html
    # Only the client's owners and editors are offered the dispute form.
    assert 'name="body"' in executed.as_("cedit").get(f"/agreements/{agreement_id}/service?period=2025-03").get_data(
        as_text=True)
    for name in ("owner", "viewer"):
        assert 'name="body"' not in executed.as_(name).get(
            f"/agreements/{agreement_id}/service?period=2025-03").get_data(as_text=True)
    stranger = executed.as_("stranger")
    assert stranger.get(f"/agreements/{agreement_id}/service?period=2025-03").status_code == 404
    assert stranger.get(f"/agreements/{agreement_id}/service/report.docx?period=2025-03").status_code == 404


def test_the_docx_states_the_figures_and_the_claim_deadline(agreement, executed):
    agreement_id = agreement(claim=True)
    response = executed.as_("viewer").get(f"/agreements/{agreement_id}/service/report.docx?period=2025-03")
    assert response.status_code == 200 and response.mimetype == DOCX_TYPE
    text = docx_text(response.data)
    assert "Monthly service report" in text and "1 March 2025 to 31 March 2025" in text
    assert "€200.00" in text and "50 %" in text and "5 % (below the threshold: credit due)" in text
    # Available from 1 April: thirty days after that.
    assert "no later than 1 May 2025" in text
    assert "99.79" in text and "INC-2" in text and "None recorded" in text


def test_the_docx_is_in_the_agreements_language(agreement, executed):
    agreement_id = agreement(language="pl", claim=True)
    # The page follows the reader's language; the file follows the agreement's.
    response = executed.as_("owner").get(f"/agreements/{agreement_id}/service/report.docx?period=2025-03",
                                         headers={"Accept-Language": "en"})
    text = docx_text(response.data)
    assert "Miesięczny raport z realizacji usług" in text and "Okres pomiarowy: od 1 marca 2025" in text
    assert "1 maja 2025" in text and "200,00" in text and "€" in text
    assert "Monthly service report" not in text


def post_dispute(client, agreement_id, line, body="P1 INC-2 was answered within 30 minutes by phone."):
    path = f"/agreements/{agreement_id}/service?period=2025-03"
    return client.post(f"/agreements/{agreement_id}/service/disputes?period=2025-03",
                       data={"csrf_token": csrf_token(client, path), "line": line, "body": body})


def answer(client, agreement_id, number, body, status=""):
    path = f"/agreements/{agreement_id}/service/disputes/{number}"
    return client.post(path, data={"csrf_token": csrf_token(client, path), "body": body, "status": status})


def test_a_dispute_opened_by_the_client_is_answered_by_the_provider(app, agreement, executed):
    agreement_id = agreement()
    client_editor = executed.as_("cedit")
    response = post_dispute(client_editor, agreement_id, "incident:INC-2")
    assert response.status_code == 302 and response.headers["Location"].endswith("/service/disputes/1")
    provider = executed.as_("owner")
    page = provider.get(f"/agreements/{agreement_id}/service/disputes/1").get_data(as_text=True)
    assert "answered within 30 minutes by phone" in page and "Incident INC-2" in page
    assert answer(provider, agreement_id, 1, "Our phone log shows 45 minutes.", "rejected").status_code == 302
    page = client_editor.get(f"/agreements/{agreement_id}/service/disputes/1").get_data(as_text=True)
    assert "Our phone log shows 45 minutes." in page and ">rejected<" in page
    # Closed: no more answers.
    assert answer(client_editor, agreement_id, 1, "We disagree.").status_code == 403
    # The report lists it, both sides see it.
    assert "INC-2" in executed.as_("viewer").get(
        f"/agreements/{agreement_id}/service?period=2025-03").get_data(as_text=True)
    with app.app_context():
        actions = [e.action for e in db.session.scalars(select(AuditEvent).where(
            AuditEvent.agreement_id == agreement_id, AuditEvent.action.like("dispute.%")))]
    assert actions == ["dispute.opened", "dispute.answered"]


def test_a_line_not_in_the_report_or_an_empty_reason_is_refused(agreement, executed):
    agreement_id = agreement()
    client_editor = executed.as_("cedit")
    assert post_dispute(client_editor, agreement_id, "incident:INC-99").status_code == 422
    assert post_dispute(client_editor, agreement_id, "priority:P1", body="  ").status_code == 422


def test_the_provider_and_a_viewer_cannot_open_a_dispute(agreement, executed):
    agreement_id = agreement()
    assert post_dispute(executed.as_("owner"), agreement_id, "priority:P1").status_code == 403
    assert post_dispute(executed.as_("viewer"), agreement_id, "priority:P1").status_code == 403
    assert post_dispute(executed.as_("stranger"), agreement_id, "priority:P1").status_code == 404


def test_an_open_dispute_climbs_the_escalation_ladder(app, agreement, executed):
    from authoring.operations.disputes import answer_dispute, escalation_of, open_dispute, shown_status
    from authoring.operations.periods import parse_period
    from authoring.operations.services import report_for

    agreement_id = agreement()
    opened = datetime(2025, 4, 2, 9, 0, tzinfo=timezone.utc)
    with app.test_request_context(method="POST"):
        agreement_row = db.session.get(Agreement, agreement_id)
        user = db.session.scalars(select(User).where(User.email == "cedit@example.com")).one()
        membership = db.session.scalars(select(Membership).where(Membership.user_id == user.id,
                                                                 Membership.agreement_id == agreement_id)).one()
        report = report_for(agreement_row, parse_period("2025-03", "monthly", "Europe/Warsaw"))
        dispute = open_dispute(agreement_row, user, membership, report, "priority", "P1", "The P1 share is wrong.",
                               now=opened)
        at = lambda hours: escalation_of(agreement_row, dispute, opened + timedelta(hours=hours))  # noqa: E731
        assert at(1).level.index == 0 and at(1).next_at == opened + timedelta(hours=2)
        assert shown_status(dispute, at(1)) == "open"
        assert at(2).level.index == 1 and shown_status(dispute, at(2)) == "escalated"
        assert at(2).level.provider_contact  # the level names who handles it
        assert at(25).level.index == 1 and not at(25).past_last
        assert at(26).past_last
        assert db.session.get(Dispute, dispute.id).status == "open"
        # The client escalates a fresh dispute by hand: at the second level at once, with that level's time.
        fresh = open_dispute(agreement_row, user, membership, report, "incident", "INC-2", "Answered by phone.",
                             now=opened)
        answer_dispute(agreement_row, user, membership, fresh, "No answer yet; escalating.", "escalated",
                       now=opened + timedelta(minutes=30))
        now = escalation_of(agreement_row, fresh, opened + timedelta(hours=1))
        assert now.level.index == 1 and now.next_at is None and shown_status(fresh, now) == "escalated"
        assert escalation_of(agreement_row, fresh, opened + timedelta(hours=24, minutes=31)).past_last


def test_the_next_review_prefills_its_results_from_the_reports(app, agreement, executed, runner, tmp_path):
    import json
    from decimal import Decimal

    from authoring.operations.services import review_prefill
    from authoring.reviews.services import targets_of
    from authoring.revisions.services import executed_document

    agreement_id = agreement()
    out = tmp_path / "march.json"
    assert runner.invoke(args=["sla", "report", "--agreement", str(agreement_id), "--period", "2025-03",
                               "--json", str(out)]).exit_code == 0
    march = json.loads(out.read_text())
    p1 = [i for i in march["incidents"] if i["priority"] == "P1"]
    with app.test_request_context():
        agreement_row = db.session.get(Agreement, agreement_id)
        targets = targets_of(executed_document(agreement_row).terms)
        # Reviewed in early April: the quarter so far is January to March; only March had anything.
        figures = review_prefill(agreement_row, targets, date(2025, 1, 1),
                                 now=datetime(2025, 4, 3, tzinfo=timezone.utc))
    assert figures["P1 response"].achieved == max(Decimal(i["response_hours"]) for i in p1) == Decimal("0.75")
    assert figures["P1 resolution"].achieved == max(Decimal(i["resolution_hours"]) for i in p1) == Decimal("3.5")
    assert figures["P1 response"].period == "2025-01 – 2025-03"
    assert figures["P3 response"].achieved is None  # no P3 incident: left for the review to type
    minutes = Decimal(march["availability"]["unplanned_minutes"])
    assert minutes == 90 and Decimal("99.9") < figures["Availability"].achieved < Decimal(march["availability_percent"]) + 1
    # The form shows them, editable.
    page = executed.as_("owner").get(f"/agreements/{agreement_id}/reviews/new").get_data(as_text=True)
    assert 'value="0.75"' in page and 'value="3.5"' in page or 'value="3.50"' in page


def test_the_demos_month_with_a_credit_has_a_dispute(app, runner):
    from authoring.models import utcnow
    from authoring.operations.periods import period_of, previous

    assert runner.invoke(args=["demo"]).exit_code == 0
    with app.app_context():
        agreement_row = db.session.scalars(select(Agreement).where(
            Agreement.title == "Cloud backup service for Globex Logistics")).one()
        dispute = db.session.scalars(select(Dispute).where(Dispute.agreement_id == agreement_row.id)).one()
        assert dispute.period == previous(period_of(utcnow(), "monthly", "Europe/Warsaw")).label
        assert (dispute.line, dispute.status, len(dispute.messages)) == ("P2", "open", 2)


@pytest.mark.slow
def test_the_hebrew_report_opens_in_libreoffice_and_reads_in_hebrew(agreement, executed, backend, tmp_path):
    import subprocess

    from libreoffice_review import require_libreoffice

    if backend != "sqlite":
        pytest.skip("the document is the same on either database; checked once")
    soffice = require_libreoffice(uno=False)
    agreement_id = agreement(language="he", claim=True)
    source = tmp_path / "report.docx"
    source.write_bytes(executed.as_("cedit").get(
        f"/agreements/{agreement_id}/service/report.docx?period=2025-03").data)
    profile = tmp_path / "profile"  # a profile of its own: no lock shared with another LibreOffice
    result = subprocess.run([soffice, f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to",
                             "txt:Text (encoded):UTF8", "--outdir", str(tmp_path), str(source)],
                            capture_output=True, text=True, timeout=180)
    text_file = tmp_path / "report.txt"
    assert result.returncode == 0 and text_file.exists(), result.stdout + result.stderr
    text = text_file.read_text(encoding="utf-8-sig")
    assert "דוח שירות חודשי" in text and "1 במאי 2025" in text and "INC-2" in text
    for english in ("Monthly service report", "Incidents by priority", "no later than"):
        assert english not in text, english


def test_remind_tells_both_sides_when_a_dispute_moves_up_the_ladder(app, agreement, executed, runner):
    from authoring.models import OutboxMessage

    agreement_id = agreement()
    assert post_dispute(executed.as_("cedit"), agreement_id, "priority:P1").status_code == 302
    with app.app_context():
        dispute = db.session.scalars(select(Dispute).where(Dispute.agreement_id == agreement_id)).one()
        opened = dispute.opened_at

    def subjects():
        with app.app_context():
            return [m.subject for m in db.session.scalars(select(OutboxMessage).where(
                OutboxMessage.agreement_id == agreement_id, OutboxMessage.event == "reminder"))
                    if "Dispute 1" in m.subject]

    # Level 1 has 2 hours, level 2 24 more: by the end of the day after tomorrow it is at level 2.
    assert runner.invoke(args=["remind", "--today", (opened - timedelta(days=1)).date().isoformat()]).exit_code == 0
    assert subjects() == []
    for _ in range(2):  # once per level, however often remind runs
        result = runner.invoke(args=["remind", "--today", (opened + timedelta(days=2)).date().isoformat()])
        assert result.exit_code == 0, result.output
    sent = subjects()
    # The provider's owner and the client's editor act on the agreement (owners and editors of each side).
    assert len(sent) == 2 and all("escalated to" in s for s in sent)
