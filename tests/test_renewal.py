"""Renewal: a new draft from the executed (and amended) terms, dates moved forward, linked both ways."""
from __future__ import annotations

from datetime import date

from conftest import csrf_token
from sqlalchemy import select

from authoring.document import Document
from authoring.extensions import db
from authoring.models import Agreement, Draft, Membership, utcnow
from authoring.reviews.renewal import renewed_terms


def test_renewed_terms_follow_the_old_term_and_move_dated_rows():
    terms = {"timeline": {"effective_date": "2027-01-31", "end_date": "2028-01-30", "renewal_term_months": 24,
                          "milestones": [{"name": "Kick-off", "due_date": "2027-02-28"}, {"name": "No date", "due_date": ""}]},
             "costs": {"payment_schedule": [{"label": "Balance", "trigger": "date", "date": "2027-08-31"},
                                            {"label": "Deposit", "trigger": "signing", "date": ""}]}}
    renewed = renewed_terms(terms)
    assert renewed["timeline"]["effective_date"] == "2028-01-31"
    assert renewed["timeline"]["end_date"] == "2030-01-30"  # 24 months, the renewal term
    assert [m["due_date"] for m in renewed["timeline"]["milestones"]] == ["2028-02-28", ""]  # 12 months on, same day
    assert [p["date"] for p in renewed["costs"]["payment_schedule"]] == ["2028-08-31", ""]
    assert terms["timeline"]["effective_date"] == "2027-01-31"  # the executed terms are left alone


def test_the_providers_owner_renews_an_executed_agreement_once(app, executed):
    today = utcnow().date()
    agreement_id = executed(date(today.year - 1, 1, 1))
    path = f"/agreements/{agreement_id}/reviews"
    client_editor = executed.as_("cedit")
    assert client_editor.post(f"/agreements/{agreement_id}/renew",
                              data={"csrf_token": csrf_token(client_editor, path)}).status_code == 403
    owner = executed.as_("owner")
    response = owner.post(f"/agreements/{agreement_id}/renew", data={"csrf_token": csrf_token(owner, path)})
    assert response.status_code == 302
    successor_id = int(response.headers["Location"].rstrip("/").split("/")[-1])
    with app.app_context():
        old, new = db.session.get(Agreement, agreement_id), db.session.get(Agreement, successor_id)
        assert new.predecessor_id == agreement_id and new.status == "draft"
        assert new.title.startswith(old.title) and "renewal" in new.title
        assert new.effective_on == date.fromordinal(old.ends_on.toordinal() + 1)
        document = Document.from_json(db.session.get(Draft, successor_id).document)
        assert document.terms["services"]["availability_percent"] == "99.5"  # the terms carry over
        members = {(m.user_id, m.side, m.role) for m in db.session.scalars(select(Membership).where(Membership.agreement_id == successor_id))}
        old_members = {(m.user_id, m.side, m.role) for m in old.memberships}
        assert members == old_members
    assert "It is renewed by" in executed.as_("viewer").get(path).get_data(as_text=True)
    assert "This agreement renews" in executed.as_("viewer").get(f"/agreements/{successor_id}/reviews").get_data(as_text=True)
    again = owner.post(f"/agreements/{agreement_id}/renew", data={"csrf_token": csrf_token(owner, path)})
    assert again.status_code == 302
    assert "already renewed" in owner.get(again.headers["Location"]).get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(Agreement.id).where(Agreement.predecessor_id == agreement_id, Agreement.id != successor_id)) is None
