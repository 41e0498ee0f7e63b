"""The guided interview over HTTP: validation per step, sides, rows, save-and-resume, conflicts, readiness."""
from __future__ import annotations

import json
import re

import pytest
from conftest import csrf_token
from sqlalchemy import select

from authoring.demo_terms import demo_terms
from authoring.extensions import db
from authoring.models import Agreement, AuditEvent, Draft, User
from authoring.interview.services import set_terms

BASE_RE = re.compile(r'name="base" value="([^"]*)"')
ERROR_RE = re.compile(r'<p class="error"[^>]*>([^<]+)</p>')


@pytest.fixture
def setup(app, make_user, make_agreement, add_member, login):
    """An agreement with a logged-in provider owner; returns (client, agreement_id, helpers)."""
    owner = make_user("owner@example.com", name="Owner")
    agreement_id = make_agreement(owner, language="en", provider_name="Provider Ltd", client_name="Client S.A.")
    return app.test_client(), agreement_id, owner


def url(agreement_id: int, step: str) -> str:
    return f"/agreements/{agreement_id}/interview/{step}"


def post_step(client, agreement_id, step, fields: dict, action="save"):
    page = client.get(url(agreement_id, step)).get_data(as_text=True)
    base = BASE_RE.search(page).group(1)
    token = csrf_token(client, url(agreement_id, step))
    return client.post(url(agreement_id, step), data={"csrf_token": token, "base": base, "action": action, **fields})


def terms_of(app, agreement_id) -> dict:
    with app.app_context():
        return json.loads(db.session.get(Draft, agreement_id).document)["terms"]


def version_of(app, agreement_id) -> int:
    with app.app_context():
        return db.session.get(Draft, agreement_id).version


def errors(response) -> list[str]:
    return ERROR_RE.findall(response.get_data(as_text=True))


def test_every_step_shows_for_a_member_with_a_progress_indicator(app, setup, login):
    client, agreement_id, _ = setup
    login(client, "owner@example.com")
    first = client.get(f"/agreements/{agreement_id}/interview")
    assert first.status_code == 302 and first.location.endswith("/interview/background")
    for number, step in enumerate(["background", "services", "timelines", "costs", "client", "escalation",
                                   "sanctions", "change", "review"], start=1):
        page = client.get(url(agreement_id, step))
        assert page.status_code == 200
        html = page.get_data(as_text=True)
        assert f"Step {number} of 9" in html
        assert 'aria-current="step"' in html and "0 of 9 steps complete" in html


def test_answers_are_saved_typed_and_shown_again(app, setup, login):
    client, agreement_id, _ = setup
    login(client, "owner@example.com")
    response = post_step(client, agreement_id, "costs", {
        "currency": "eur", "pricing_model": "fixed", "contract_value": "96000", "payment_due_days": "30",
        "payment_schedule-0-label": "Zaliczka — депозит", "payment_schedule-0-percent": "50",
        "payment_schedule-0-trigger": "signing",
        "payment_schedule-1-label": "Saldo", "payment_schedule-1-percent": "50",
        "payment_schedule-1-trigger": "completion",
    }, action="next")
    assert response.status_code == 302 and response.location.endswith("/interview/client")
    costs = terms_of(app, agreement_id)["costs"]
    assert costs["currency"] == "EUR" and costs["contract_value"] == "96000.00" and costs["payment_due_days"] == 30
    assert [row["percent"] for row in costs["payment_schedule"]] == ["50", "50"]
    assert costs["payment_schedule"][0]["label"] == "Zaliczka — депозит"
    page = client.get(url(agreement_id, "costs")).get_data(as_text=True)
    assert 'value="Zaliczka — депозит"' in page and 'value="96000.00"' in page
    # The assembled agreement shows the schedule as a table.
    show = client.get(f"/agreements/{agreement_id}").get_data(as_text=True)
    assert "Payment schedule" in show and "50%" in show


@pytest.mark.parametrize("step,fields,message", [
    ("services", {"priorities-0-level": "P1", "priorities-0-response_hours": "-1"}, "Cannot be negative."),
    ("services", {"availability_percent": "abc"}, "Enter a number, e.g. 99.5."),
    ("services", {"availability_percent": "120"}, "A percentage between 0 and 100."),
    ("timelines", {"effective_date": "2027-06-01", "end_date": "2027-01-01"}, "The end date must come after the effective date."),
    ("timelines", {"effective_date": "2027-02-30"}, "Not a valid date value."),
    ("costs", {"payment_due_days": "thirty"}, "Enter a whole number, e.g. 30."),
    ("costs", {"monthly_fee": "Infinity"}, "Enter a number, e.g. 250,000.50."),
    ("services", {"availability_percent": "NaN"}, "Enter a number, e.g. 99.5."),
    ("costs", {"currency": "EURO"}, "Use a three-letter ISO 4217 currency code such as EUR, USD or PLN."),
    ("costs", {"payment_schedule-0-percent": "50", "payment_schedule-0-amount": "100"}, "Give a percentage or an amount, not both."),
    ("background", {"party-name": "x" * 201}, "Field cannot be longer than 200 characters."),
    ("background", {"party-contacts-billing-email": "not-an-email"}, "Enter a valid e-mail address."),
    ("sanctions", {"credits-0-priority": "P1", "credits-0-credit_percent": "5", "credits-0-no_credit": "y"}, "Either a credit or “no credit”, not both."),
    ("client", {"sme_hours_per_week": "200"}, "A whole number from 0 to 168."),
])
def test_bad_input_is_refused_with_a_message_and_nothing_is_saved(app, setup, login, step, fields, message):
    client, agreement_id, _ = setup
    login(client, "owner@example.com")
    before = version_of(app, agreement_id)
    response = post_step(client, agreement_id, step, {"support_hours": "24/7", **fields})
    assert response.status_code == 422
    assert message in errors(response)
    assert "Nothing was saved" in response.get_data(as_text=True)
    assert version_of(app, agreement_id) == before
    # What was typed is still in the form.
    typed = next(v for k, v in fields.items() if not k.endswith("no_credit"))
    assert f'value="{typed}"' in response.get_data(as_text=True) or f">{typed}<" in response.get_data(as_text=True)


def test_each_side_edits_only_its_own_party(app, setup, login, make_user, add_member):
    client, agreement_id, _ = setup
    client_editor = make_user("jan@example.com", name="Jan")
    add_member(agreement_id, client_editor, "client", "editor")
    guest = app.test_client()
    login(guest, "jan@example.com")
    page = guest.get(url(agreement_id, "background")).get_data(as_text=True)
    assert "The provider&#39;s details" in page or "The provider's details" in page and "Provider Ltd" in page
    response = post_step(guest, agreement_id, "background", {
        "party-name": "Globex Logistics S.A.", "party-registration": "KRS 1",
        "background-objectives": "Keep the warehouse running",
        # A client trying to change the provider's name sends fields the form does not have.
        "provider-name": "Hijacked Ltd", "parties-provider-name": "Hijacked Ltd",
    })
    assert response.status_code == 302
    parties = terms_of(app, agreement_id)["parties"]
    assert parties["provider"]["name"] == "Provider Ltd"
    assert parties["client"]["name"] == "Globex Logistics S.A." and parties["client"]["registration"] == "KRS 1"
    assert terms_of(app, agreement_id)["background"]["objectives"] == "Keep the warehouse running"
    # The provider drafts every other step: the client may read it but not write it.
    assert guest.get(url(agreement_id, "costs")).status_code == 200
    assert post_step(guest, agreement_id, "costs", {"currency": "USD"}).status_code == 403
    assert terms_of(app, agreement_id)["costs"]["currency"] is None


def test_provider_saving_background_keeps_the_clients_details(app, setup, login, make_user, add_member):
    client, agreement_id, _ = setup
    client_editor = make_user("jan@example.com")
    add_member(agreement_id, client_editor, "client", "editor")
    guest = app.test_client()
    login(guest, "jan@example.com")
    assert post_step(guest, agreement_id, "background", {"party-name": "Globex"}).status_code == 302
    login(client, "owner@example.com")
    assert post_step(client, agreement_id, "background", {"party-name": "Provider Ltd", "party-address": "Gdańsk"}).status_code == 302
    parties = terms_of(app, agreement_id)["parties"]
    assert parties["client"]["name"] == "Globex" and parties["provider"]["address"] == "Gdańsk"


def test_rows_are_added_and_removed_without_losing_what_was_typed(app, setup, login):
    client, agreement_id, _ = setup
    login(client, "owner@example.com")
    before = version_of(app, agreement_id)
    page = client.get(url(agreement_id, "timelines")).get_data(as_text=True)
    base, token = BASE_RE.search(page).group(1), csrf_token(client, url(agreement_id, "timelines"))
    typed = {"csrf_token": token, "base": base, "effective_date": "2027-01-01",
             "milestones-0-name": "Kick-off", "milestones-1-name": "Go-live"}
    added = client.post(url(agreement_id, "timelines"), data={**typed, "action": "add:milestones"}).get_data(as_text=True)
    assert 'name="milestones-2-name"' in added and 'value="Kick-off"' in added and 'value="2027-01-01"' in added
    removed = client.post(url(agreement_id, "timelines"), data={**typed, "action": "remove:milestones:0"}).get_data(as_text=True)
    assert 'value="Kick-off"' not in removed and 'value="Go-live"' in removed
    assert version_of(app, agreement_id) == before  # nothing saved until Save
    saved = client.post(url(agreement_id, "timelines"), data={k: v for k, v in typed.items() if k != "milestones-0-name"} | {"action": "save"})
    assert saved.status_code == 302
    assert [m["name"] for m in terms_of(app, agreement_id)["timeline"]["milestones"]] == ["Go-live"]


def test_a_stale_save_is_refused_and_the_newer_answers_kept(app, setup, login, make_user, add_member):
    client, agreement_id, _ = setup
    colleague = make_user("colleague@example.com")
    add_member(agreement_id, colleague, "provider", "editor")
    other = app.test_client()
    login(client, "owner@example.com")
    login(other, "colleague@example.com")
    page = client.get(url(agreement_id, "change")).get_data(as_text=True)
    stale_base, token = BASE_RE.search(page).group(1), csrf_token(client, url(agreement_id, "change"))
    assert post_step(other, agreement_id, "change", {"review_cadence": "monthly"}).status_code == 302
    response = client.post(url(agreement_id, "change"), data={"csrf_token": token, "base": stale_base,
                                                               "action": "save", "review_cadence": "annual"})
    assert response.status_code == 409
    assert "Someone else saved this step" in response.get_data(as_text=True)
    assert terms_of(app, agreement_id)["change"]["review_cadence"] == "monthly"
    # Saving again from the conflict page (which carries the new base) is a deliberate overwrite.
    fresh_base = BASE_RE.search(response.get_data(as_text=True)).group(1)
    again = client.post(url(agreement_id, "change"), data={"csrf_token": token, "base": fresh_base,
                                                           "action": "save", "review_cadence": "annual"})
    assert again.status_code == 302 and terms_of(app, agreement_id)["change"]["review_cadence"] == "annual"


def test_changing_a_term_rerenders_the_clauses_that_use_it(app, setup, login):
    client, agreement_id, _ = setup
    login(client, "owner@example.com")
    assert post_step(client, agreement_id, "background", {"party-name": "Northwind Ltd"}).status_code == 302
    show = client.get(f"/agreements/{agreement_id}").get_data(as_text=True)
    assert "Northwind Ltd" in show and "Provider Ltd" not in show.split('class="document"', 1)[1]


def test_clause_choices_change_the_text_and_optional_clauses_can_be_added(app, setup, login):
    from authoring.interview.services import step_clauses
    from authoring.interview.steps import STEPS_BY_KEY

    client, agreement_id, _ = setup
    login(client, "owner@example.com")
    with app.app_context():
        clauses = step_clauses(STEPS_BY_KEY["costs"])
    optional = next(c for c in clauses if c.optional)
    fixed = next(c for c in clauses if not c.optional)
    other = [v for v in fixed.variants if v != fixed.default_variant][0]
    fields = {f"clauses-{c.id.replace('.', '__')}": c.default_variant if not c.optional else "omit" for c in clauses}
    fields[f"clauses-{fixed.id.replace('.', '__')}"] = other
    fields[f"clauses-{optional.id.replace('.', '__')}"] = optional.default_variant
    assert post_step(client, agreement_id, "costs", fields).status_code == 302
    with app.app_context():
        from authoring.document import Document
        document = Document.from_json(db.session.get(Draft, agreement_id).document)
    assert document.clause(fixed.id).variant == other
    assert document.clause(optional.id).variant == optional.default_variant
    events = _events(app, "interview.saved")
    assert events[-1]["step"] == "costs" and fixed.id in events[-1]["clauses_changed"]


def _events(app, action):
    with app.app_context():
        return [e.details for e in db.session.scalars(select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.id))]


def _fill(app, agreement_id, owner_id, terms):
    with app.test_request_context(method="POST"):
        set_terms(db.session.get(Agreement, agreement_id), db.session.get(User, owner_id), terms, "test")


def test_marking_ready_needs_a_complete_healthy_interview_or_acknowledgements(app, setup, login):
    client, agreement_id, owner = setup
    login(client, "owner@example.com")
    token = csrf_token(client, url(agreement_id, "review"))
    refused = client.post(f"/agreements/{agreement_id}/ready", data={"csrf_token": token})
    assert refused.status_code == 409 and "cannot be marked ready yet" in refused.get_data(as_text=True)

    terms = demo_terms("en", "Support agreement")
    terms["costs"]["payment_schedule"][1]["percent"] = "40"  # adds up to 90%
    _fill(app, agreement_id, owner.id, terms)
    review = client.get(url(agreement_id, "review")).get_data(as_text=True)
    assert "The payment schedule adds up to 90%, not 100%." in review
    refused = client.post(f"/agreements/{agreement_id}/ready", data={"csrf_token": token})
    assert refused.status_code == 409 and "The payment schedule adds up" in refused.get_data(as_text=True)

    empty = client.post(f"/agreements/{agreement_id}/health/payment_schedule_adds_up/acknowledge",
                        data={"csrf_token": token, "reason": "  "})
    assert empty.status_code == 422 and "Give the reason" in empty.get_data(as_text=True)
    acknowledged = client.post(f"/agreements/{agreement_id}/health/payment_schedule_adds_up/acknowledge",
                               data={"csrf_token": token, "reason": "10% is paid by the parent company — הסכם"})
    assert acknowledged.status_code == 302
    ready = client.post(f"/agreements/{agreement_id}/ready", data={"csrf_token": token})
    assert ready.status_code == 302
    with app.app_context():
        assert db.session.get(Agreement, agreement_id).status == "ready"
    assert _events(app, "health.acknowledged")[-1] == {"rule": "payment_schedule_adds_up",
                                                      "reason": "10% is paid by the parent company — הסכם"}
    assert _events(app, "agreement.status_changed")[-1]["acknowledged"] == ["payment_schedule_adds_up"]

    # A later change to the interview sends the agreement back to draft.
    assert post_step(client, agreement_id, "change", {"review_cadence": "monthly", "requesters": "either_party",
                                                      "impact_days": "5", "report_frequency": "monthly"}).status_code == 302
    with app.app_context():
        assert db.session.get(Agreement, agreement_id).status == "draft"


def test_only_owners_acknowledge_checks(app, setup, login, make_user, add_member):
    client, agreement_id, _ = setup
    editor = make_user("editor@example.com")
    add_member(agreement_id, editor, "provider", "editor")
    login(client, "editor@example.com")
    token = csrf_token(client, url(agreement_id, "review"))
    response = client.post(f"/agreements/{agreement_id}/health/review_cadence_set/acknowledge",
                           data={"csrf_token": token, "reason": "later"})
    assert response.status_code == 403
    assert client.post(f"/agreements/{agreement_id}/ready", data={"csrf_token": token}).status_code == 403
