"""Periodic reviews through HTTP: the schedule set at execution, recording a review (typed
figures or a CSV of measurements), who may, what is refused, and the next review."""
from __future__ import annotations

import calendar
import io
import re
from datetime import date, timedelta

from conftest import csrf_token
from sqlalchemy import select

from authoring.extensions import db
from authoring.models import Agreement, AuditEvent, OutboxMessage, Review, utcnow


def month_end_anchored(effective: date, months: int, k: int) -> date:
    """effective + k*months months, on the effective day or the month's last day (written out by hand)."""
    total = effective.month - 1 + k * months
    year, month = effective.year + total // 12, total % 12 + 1
    return date(year, month, min(effective.day, calendar.monthrange(year, month)[1]))


def agreement_row(app, agreement_id) -> Agreement:
    with app.app_context():
        row = db.session.get(Agreement, agreement_id)
        db.session.expunge(row)
        return row


def post_review(client, agreement_id, data: dict, files: dict | None = None):
    path = f"/agreements/{agreement_id}/reviews/new"
    page = client.get(path).get_data(as_text=True)
    levels = re.findall(r'name="(achieved-\d+-service_level)" type="hidden" value="([^"]*)"', page)
    form = {"csrf_token": csrf_token(client, path), **{name: value for name, value in levels}, **data}
    form.update(files or {})
    return client.post(path, data=form, content_type="multipart/form-data")


def test_execution_schedules_the_first_review_on_the_cadence(app, executed):
    today = utcnow().date()
    effective = date(today.year - 1, 1, 31)
    agreement_id = executed(effective, "monthly")
    expected = next(month_end_anchored(effective, 1, k) for k in range(1, 100)
                    if month_end_anchored(effective, 1, k) > today)
    row = agreement_row(app, agreement_id)
    assert row.next_review_on == expected
    assert row.renewal_opens_on == row.ends_on - timedelta(days=30)
    page = executed.as_("viewer").get(f"/agreements/{agreement_id}/reviews").get_data(as_text=True)
    assert f"Next review due on <strong>{expected.isoformat()}</strong>" in page


def test_recording_a_review_stores_results_and_schedules_the_next(app, executed):
    today = utcnow().date()
    agreement_id = executed(date(today.year - 2, 3, 15), "quarterly")
    due = agreement_row(app, agreement_id).next_review_on
    response = post_review(executed.as_("cedit"), agreement_id, {
        "held_on": today.isoformat(),
        "provider_participants": "Pia Signer\nZofia Wójcik", "client_participants": "Carl Signer\nנועה כהן",
        "achieved-0-achieved": "99.7", "achieved-0-period": "2027-Q1",   # Availability, target 99.5 %: met
        "achieved-1-achieved": "0.75", "achieved-1-period": "2027-Q1",   # P1 response, target 0.5 h: missed
        "effectiveness": "Stable; one P1 answered late.", "decisions": "Add a second on-call engineer.",
        "actions-0-action": "Hire on-call engineer", "actions-0-owner": "Pia Signer",
        "actions-0-due_on": (today + timedelta(days=30)).isoformat(),
    })
    assert response.status_code == 302, response.get_data(as_text=True)
    with app.app_context():
        review = db.session.scalar(select(Review).where(Review.agreement_id == agreement_id))
        assert review.number == 1 and review.held_on == today and review.due_on == due
        assert review.participants == {"provider": ["Pia Signer", "Zofia Wójcik"], "client": ["Carl Signer", "נועה כהן"]}
        assert [(r["service_level"], r["met"]) for r in review.results] == [("Availability", True), ("P1 response", False)]
        assert review.actions[0]["owner"] == "Pia Signer"
        agreement = db.session.get(Agreement, agreement_id)
        # The review answered the one due: the next is one quarter after it.
        assert agreement.next_review_on == month_end_anchored(date(today.year - 2, 3, 15), 3,
                                                              next(k for k in range(1, 100) if month_end_anchored(date(today.year - 2, 3, 15), 3, k) > due))
        assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "review.recorded")).details["missed"] == ["P1 response"]
        assert db.session.scalar(select(OutboxMessage).where(OutboxMessage.event == "review.recorded")) is not None
    page = executed.as_("viewer").get(f"/agreements/{agreement_id}/reviews/1").get_data(as_text=True)
    assert "נועה כהן" in page and "missed" in page and "Hire on-call engineer" in page


def test_a_csv_of_measurements_with_bad_lines_is_refused_by_line_and_nothing_is_stored(app, executed):
    today = utcnow().date()
    agreement_id = executed(date(today.year - 1, 6, 1))
    csv = ("service_level;target;achieved;unit;period\n"
           "Availability;99,5;99,9;percent;2027-05\n"
           "P1 response;0,5;n/a;hours;2027-05\n"
           "P9 response;1;1;hours;2027-05\n").encode("utf-8")
    response = post_review(executed.as_("cedit"), agreement_id, {
        "held_on": today.isoformat(), "provider_participants": "Pia", "client_participants": "Carl"},
        {"measurements": (io.BytesIO(csv), "sla.csv")})
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "line 3, achieved" in page and "line 4, service_level" in page
    with app.app_context():
        assert db.session.scalar(select(Review)) is None
    good = csv.replace(b"n/a", b"0,4").replace(b"P9 response", b"P2 resolution")
    response = post_review(executed.as_("cedit"), agreement_id, {
        "held_on": today.isoformat(), "provider_participants": "Pia", "client_participants": "Carl"},
        {"measurements": (io.BytesIO(good), "sla.csv")})
    assert response.status_code == 302
    with app.app_context():
        results = db.session.scalar(select(Review)).results
        assert [(r["service_level"], r["achieved"], r["met"]) for r in results] == [
            ("Availability", "99.9", True), ("P1 response", "0.4", True), ("P2 resolution", "1", True)]


def test_who_may_record_and_what_is_refused(app, executed, make_agreement):
    today = utcnow().date()
    agreement_id = executed(date(today.year - 1, 6, 1))
    assert executed.as_("stranger").get(f"/agreements/{agreement_id}/reviews").status_code == 404
    viewer = executed.as_("viewer")
    assert viewer.get(f"/agreements/{agreement_id}/reviews").status_code == 200
    assert viewer.get(f"/agreements/{agreement_id}/reviews/new").status_code == 403
    future = post_review(executed.as_("cedit"), agreement_id, {
        "held_on": (today + timedelta(days=1)).isoformat(), "provider_participants": "Pia", "client_participants": "Carl"})
    assert future.status_code == 422 and "cannot be in the future" in future.get_data(as_text=True)
    missing = post_review(executed.as_("cedit"), agreement_id, {"held_on": today.isoformat(), "provider_participants": "",
                                                                "client_participants": "Carl", "actions-0-action": "Do it"})
    text = missing.get_data(as_text=True)
    assert missing.status_code == 422 and "Name who took part for the provider." in text and "Name who does it." in text
    with app.app_context():
        assert db.session.scalar(select(Review)) is None


def test_an_owner_records_termination_and_reviews_stop(app, executed):
    today = utcnow().date()
    agreement_id = executed(date(today.year - 1, 6, 1))
    path = f"/agreements/{agreement_id}/reviews"
    editor = executed.as_("cedit")
    refused = editor.post(f"/agreements/{agreement_id}/terminate", data={
        "csrf_token": csrf_token(editor, path), "terminated_on": today.isoformat(), "reason": "x", "clause": ""})
    assert refused.status_code == 403
    owner = executed.as_("owner")
    page = owner.get(path).get_data(as_text=True)
    clause = re.search(r'<option value="(sanctions\.[a-z_.]+)"', page).group(1)
    bad = owner.post(f"/agreements/{agreement_id}/terminate", data={
        "csrf_token": csrf_token(owner, path), "terminated_on": today.isoformat(), "reason": "", "clause": clause})
    assert bad.status_code == 422 and "Say why the agreement is terminated." in bad.get_data(as_text=True)
    done = owner.post(f"/agreements/{agreement_id}/terminate", data={
        "csrf_token": csrf_token(owner, path), "terminated_on": today.isoformat(),
        "reason": "Repeated P1 breaches — naruszenia", "clause": clause})
    assert done.status_code == 302
    row = agreement_row(app, agreement_id)
    assert (row.status, row.terminated_on, row.termination_clause) == ("terminated", today, clause)
    assert row.next_review_on is None
    shown = executed.as_("viewer").get(path).get_data(as_text=True)
    assert "Repeated P1 breaches — naruszenia" in shown and "Record a review" not in shown
    # A terminated agreement is not reviewed.
    editor = executed.as_("cedit")
    refused = editor.get(f"/agreements/{agreement_id}/reviews/new")
    assert refused.status_code == 302
    assert "this one is terminated" in editor.get(refused.headers["Location"]).get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(Review)) is None


def test_odd_input_never_breaks_the_life_pages(app, executed, make_agreement, login):
    from authoring.interview.services import set_terms
    from authoring.models import User
    agreement_id = executed(date(utcnow().date().year - 1, 1, 1))
    owner = executed.as_("owner")
    path = f"/agreements/{agreement_id}/reviews"
    odd = owner.post(f"/agreements/{agreement_id}/amendments", data={
        "csrf_token": csrf_token(owner, path), "reason": "x", "effective_on": "", "review": "²"})
    assert odd.status_code == 302  # an unreadable review number is ignored, not a 500
    # A draft with a cadence but no end date, and one ending in the year 9999.
    with app.app_context():
        user = db.session.scalar(select(User).where(User.email == "owner@example.com"))
    draft_id = make_agreement(user, title="Open-ended")
    for end in ("", "9999-12-30"):
        with app.test_request_context(method="POST"):
            agreement = db.session.get(Agreement, draft_id)
            set_terms(agreement, db.session.get(User, user.id), {
                "timeline": {"effective_date": "2027-01-31", "end_date": end,
                             "milestones": [{"name": "Same", "due_date": "2027-02-01"}, {"name": "Same", "due_date": "2027-02-01"}]},
                "change": {"review_cadence": "monthly"}}, "test")
        page = owner.get(f"/agreements/{draft_id}/reviews")
        assert page.status_code == 200
        reviews_drawn = page.get_data(as_text=True).count('class="mark review')
        assert 0 < reviews_drawn <= 12 * 10 + 1  # monthly, at most ten years ahead


def test_an_overdue_review_is_called_overdue(app, executed):
    today = utcnow().date()
    agreement_id = executed(date(today.year - 1, 1, 1))
    with app.app_context():
        db.session.get(Agreement, agreement_id).next_review_on = today - timedelta(days=3)
        db.session.commit()
    page = executed.as_("viewer").get(f"/agreements/{agreement_id}/reviews").get_data(as_text=True)
    assert f"The review due on {(today - timedelta(days=3)).isoformat()} is overdue." in page


def test_impossible_review_and_termination_dates_are_refused_with_a_message(app, executed):
    today = utcnow().date()
    agreement_id = executed(date(today.year - 1, 1, 1))
    before = post_review(executed.as_("cedit"), agreement_id, {
        "held_on": "2001-01-01", "provider_participants": "Pia", "client_participants": "Carl"})
    assert before.status_code == 422 and "check the date" in before.get_data(as_text=True)
    nan = post_review(executed.as_("cedit"), agreement_id, {
        "held_on": today.isoformat(), "provider_participants": "Pia", "client_participants": "Carl",
        "achieved-0-achieved": "NaN"})
    assert nan.status_code == 422 and "Enter a number" in nan.get_data(as_text=True)
    assert executed.as_("viewer").get(f"/agreements/{agreement_id}/reviews/99999999999999999999999").status_code == 404
    owner = executed.as_("owner")
    path = f"/agreements/{agreement_id}/reviews"
    early = owner.post(f"/agreements/{agreement_id}/terminate", data={
        "csrf_token": csrf_token(owner, path), "terminated_on": "2001-01-01", "reason": "x", "clause": ""})
    assert early.status_code == 422 and "cannot end before it took effect" in early.get_data(as_text=True)
    assert owner.post(f"/agreements/{agreement_id}/terminate", data={
        "csrf_token": csrf_token(owner, path), "terminated_on": today.isoformat(), "reason": "x",
        "clause": ""}).status_code == 302
    # A second tab still showing the form: the refusal is shown, not swallowed.
    again = owner.post(f"/agreements/{agreement_id}/terminate", data={
        "csrf_token": csrf_token(owner, path), "terminated_on": today.isoformat(), "reason": "y", "clause": ""})
    assert again.status_code == 422 and "only an agreement in force is terminated" in again.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(Review)) is None
