"""Negotiating through the API, with the same services and rules as the pages: terms changed
with If-Match (412 stale, 428 missing) before sharing, proposed after; proposals made, accepted,
rejected, withdrawn; comments; revisions, exports and signing status read."""
from __future__ import annotations

import io
import json
import zipfile

import pytest
from api_helpers import api_as, is_problem, share_as
from sqlalchemy import select

from authoring.access import membership_of
from authoring.extensions import db
from authoring.models import Agreement, User
from authoring.negotiation.services import send_to_other_side

KEY = "general.confidentiality"


@pytest.fixture
def deal(app, runner, make_user, make_agreement, add_member):
    """An agreement: provider owner, client owner, client editor, client reviewer - each with a write token."""
    people = {"powner": make_user("powner@example.com", name="Pat Provider"),
              "cowner": make_user("cowner@example.com", name="Cat Client"),
              "cedit": make_user("cedit@example.com", name="Cleo Editor"),
              "creview": make_user("creview@example.com", name="Rita Reviewer")}
    agreement = make_agreement(people["powner"], title="Managed hosting")
    add_member(agreement, people["cowner"], "client", "owner")
    add_member(agreement, people["cedit"], "client", "editor")
    add_member(agreement, people["creview"], "client", "reviewer")

    class Deal:
        id = agreement
        api = {name: api_as(app, runner, person) for name, person in people.items()}

        @staticmethod
        def share():
            share_as(app, agreement, people["powner"])

    return Deal


def _terms(api, agreement):
    response = api.get(f"/api/v1/agreements/{agreement}/terms")
    assert response.status_code == 200
    etag = response.headers["ETag"]
    body = response.get_json()
    assert etag == f'"{body["hash"]}"'
    return body, etag


def test_terms_change_with_if_match_before_sharing(deal):
    owner, base = deal.api["powner"], f"/api/v1/agreements/{deal.id}/terms"
    terms, etag = _terms(owner, deal.id)
    is_problem(owner.put(f"{base}/costs.payment_due_days", json={"value": 30}), 428)
    changed = owner.put(f"{base}/costs.payment_due_days", json={"value": 30}, headers={"If-Match": etag})
    assert changed.status_code == 200
    result = changed.get_json()
    assert result["applied"] is True and result["proposals"] == []
    after, new_etag = _terms(owner, deal.id)
    assert after["terms"]["costs"]["payment_due_days"] == 30 and new_etag != etag
    assert changed.headers["ETag"] == new_etag and after["version"] == terms["version"] + 1
    stale = is_problem(owner.put(f"{base}/costs.payment_due_days", json={"value": 45}, headers={"If-Match": etag}), 412)
    assert stale["type"].endswith("#problem-stale")
    assert _terms(owner, deal.id)[0]["terms"]["costs"]["payment_due_days"] == 30
    invalid = is_problem(owner.put(f"{base}/costs.payment_due_days", json={"value": "soon"},
                                   headers={"If-Match": new_etag}), 422)
    assert invalid["errors"][0]["field"] == "value"
    is_problem(owner.put(f"{base}/costs.no_such_term", json={"value": 1}, headers={"If-Match": new_etag}), 422)
    is_problem(owner.put(f"{base}/costs.payment_due_days", json={"value": 10**12}, headers={"If-Match": new_etag}), 422)
    # A value made of fields is judged whole: support that closes before it opens is refused, not a 500.
    hours = {"days": ["mon", "tue"], "opens": "18:00", "closes": "08:00", "holidays": None,
             "highest_priority_around_the_clock": False}
    backwards = is_problem(owner.put(f"{base}/services.support_hours", json={"value": hours},
                                     headers={"If-Match": new_etag}), 422)
    assert "close after it opens" in backwards["errors"][0]["detail"]


def test_each_side_answers_its_own_party_and_the_provider_the_rest(deal):
    client, base = deal.api["cedit"], f"/api/v1/agreements/{deal.id}/terms"
    _terms_now, etag = _terms(client, deal.id)
    own = client.put(f"{base}/parties.client.address", json={"value": "1 Client Street"}, headers={"If-Match": etag})
    assert own.status_code == 200 and own.get_json()["applied"] is True
    etag = own.headers["ETag"]
    other = is_problem(client.put(f"{base}/parties.provider.address", json={"value": "Elsewhere"},
                                  headers={"If-Match": etag}), 403)
    assert "own party" in other["detail"]
    is_problem(client.put(f"{base}/costs.payment_due_days", json={"value": 5}, headers={"If-Match": etag}), 403)
    is_problem(deal.api["creview"].put(f"{base}/parties.client.address", json={"value": "x"},
                                       headers={"If-Match": etag}), 403)


def test_after_sharing_a_term_change_is_a_proposal_the_other_side_accepts(deal):
    deal.share()
    client, owner = deal.api["cedit"], deal.api["powner"]
    _terms_now, etag = _terms(client, deal.id)
    made = client.put(f"/api/v1/agreements/{deal.id}/terms/costs.payment_due_days",
                      json={"value": 60, "reason": "Our payment run is monthly"}, headers={"If-Match": etag})
    assert made.status_code == 200
    result = made.get_json()
    assert result["applied"] is False and len(result["proposals"]) == 1
    proposal = result["proposals"][0]
    assert (proposal["kind"], proposal["target"], proposal["value"], proposal["status"]) == \
        ("term", "costs.payment_due_days", 60, "open")
    assert _terms(client, deal.id)[0]["terms"]["costs"]["payment_due_days"] != 60  # not applied yet
    listed = owner.get(f"/api/v1/agreements/{deal.id}/proposals?status=open").get_json()
    assert [p["number"] for p in listed] == [proposal["number"]]
    # the side that proposed does not answer its own proposal: 403 with the rule
    refused = is_problem(deal.api["cowner"].post(
        f"/api/v1/agreements/{deal.id}/proposals/{proposal['number']}/accept"), 403)
    assert "other side" in refused["detail"]
    accepted = owner.post(f"/api/v1/agreements/{deal.id}/proposals/{proposal['number']}/accept", json={})
    assert accepted.status_code == 200 and accepted.get_json()["proposal"]["status"] == "accepted"
    assert _terms(owner, deal.id)[0]["terms"]["costs"]["payment_due_days"] == 60
    again = is_problem(owner.post(f"/api/v1/agreements/{deal.id}/proposals/{proposal['number']}/accept"), 409)
    assert "already accepted" in again["detail"]


def test_clause_wording_proposals_rejected_withdrawn_and_conflicting(deal):
    deal.share()
    client, owner, reviewer = deal.api["cedit"], deal.api["powner"], deal.api["creview"]
    revision = client.get(f"/api/v1/agreements/{deal.id}/revisions/1").get_json()
    text = next(c["text"] for s in revision["document"]["sections"] for c in s["clauses"] if c["key"] == KEY)
    base = f"/api/v1/agreements/{deal.id}/proposals"
    made = client.post(base, json={"kind": "clause_text", "target": KEY, "value": text + " Survives five years.",
                                   "base_value": text, "reason": "Longer protection"})
    assert made.status_code == 201, made.get_data(as_text=True)
    first = made.get_json()["proposals"][0]
    assert made.headers["Location"].endswith(f"/proposals/{first['number']}")
    # reviewers propose and comment but never answer
    is_problem(reviewer.post(f"{base}/{first['number']}/reject", json={"reason": "no"}), 403)
    is_problem(owner.post(f"{base}/{first['number']}/reject", json={}), 422)  # a reason is required
    rejected = owner.post(f"{base}/{first['number']}/reject", json={"reason": "Three years is our standard"})
    assert rejected.get_json()["status"] == "rejected"
    assert rejected.get_json()["response_reason"] == "Three years is our standard"
    second = client.post(base, json={"kind": "clause_text", "target": KEY, "value": text + " Also for staff.",
                                     "base_value": text}).get_json()["proposals"][0]
    is_problem(owner.post(f"{base}/{second['number']}/withdraw"), 403)  # only its author withdraws it
    withdrawn = client.post(f"{base}/{second['number']}/withdraw")
    assert withdrawn.status_code == 200 and withdrawn.get_json()["status"] == "withdrawn"
    # a term proposal based on a value that is no longer current: 409 with both versions
    conflict = is_problem(client.post(base, json={"kind": "term", "target": "costs.payment_due_days",
                                                  "value": 90, "base_value": 12345}), 409)
    assert conflict["proposed"] == 90 and conflict["current"] != 12345
    is_problem(client.post(base, json={"kind": "clause_text", "target": KEY}), 422)  # value and base_value missing
    added = client.post(base, json={"kind": "clause_add", "value": {"section": revision["document"]["sections"][0]["key"],
                                                                  "title": "Escrow", "text": "Source code in escrow."}})
    assert added.status_code == 201 and added.get_json()["proposals"][0]["target"].startswith("custom.escrow")
    numbers = [p["number"] for p in owner.get(base).get_json()]
    assert numbers == sorted(numbers, reverse=True) and len(numbers) == 3
    is_problem(owner.get(f"{base}/999"), 404)


def test_comments_threads_and_replies(deal):
    client, owner = deal.api["creview"], deal.api["powner"]
    base = f"/api/v1/agreements/{deal.id}/comments"
    first = client.post(base, json={"body": "Is five years enough?", "clause_key": KEY})
    assert first.status_code == 201
    reply = owner.post(base, json={"body": "It is the market norm.", "thread": first.get_json()["id"]})
    assert reply.status_code == 201
    general = owner.post(base, json={"body": "On the whole agreement"})
    assert general.status_code == 201
    threads = owner.get(base).get_json()
    assert [(t["clause_key"], [c["body"] for c in t["comments"]]) for t in threads] == [
        (KEY, ["Is five years enough?", "It is the market norm."]), (None, ["On the whole agreement"])]
    assert [t["clause_key"] for t in owner.get(f"{base}?clause_key={KEY}").get_json()] == [KEY]
    is_problem(owner.post(base, json={"body": "x", "thread": 99999}), 404)
    is_problem(owner.post(base, json={"body": "   "}), 422)


def test_revisions_exports_and_signing_status_are_read_only_views_of_the_same_records(app, deal, login):
    owner = deal.api["powner"]
    assert owner.get(f"/api/v1/agreements/{deal.id}/revisions").get_json() == []
    is_problem(owner.get(f"/api/v1/agreements/{deal.id}/revisions/1/terms.json"), 404)
    deal.share()
    revisions = owner.get(f"/api/v1/agreements/{deal.id}/revisions").get_json()
    assert [r["number"] for r in revisions] == [1]
    detail = owner.get(f"/api/v1/agreements/{deal.id}/revisions/1").get_json()
    assert detail["hash"] == revisions[0]["hash"] and detail["document"]["sections"]
    terms_file = owner.get(f"/api/v1/agreements/{deal.id}/revisions/1/terms.json")
    assert terms_file.status_code == 200 and terms_file.mimetype == "application/json"
    page = login(app.test_client(), "powner@example.com").get(f"/agreements/{deal.id}/revisions/1/terms.json")
    assert json.loads(terms_file.data) == json.loads(page.data)
    word = owner.get(f"/api/v1/agreements/{deal.id}/revisions/1/document.docx")
    assert word.status_code == 200 and zipfile.is_zipfile(io.BytesIO(word.data))
    signing = owner.get(f"/api/v1/agreements/{deal.id}/signing").get_json()
    assert signing["status"] == "negotiating" and signing["open"] is False and signing["blocking"]
    assert signing["signatures"] == [] and signing["awaiting_sides"] == ["provider", "client"]
    agreement = owner.get(f"/api/v1/agreements/{deal.id}").get_json()
    assert agreement["shared"] is True and agreement["turn"] == "client" and agreement["latest_revision"] == 1


def test_the_api_never_signs(app):
    signing = [rule for rule in app.url_map.iter_rules() if rule.rule.startswith("/api/") and "sign" in rule.rule]
    assert signing and all(rule.methods <= {"GET", "HEAD", "OPTIONS"} for rule in signing)


def test_the_register_searches_filters_sorts_and_pages_by_cursor(app, runner, make_user, make_agreement):
    ann = make_user("ann@example.com")
    for number in range(30):
        make_agreement(ann, title=f"Agreement {number:02d}", client_name="Łódź Hosting" if number % 3 else "Other")
    api = api_as(app, runner, ann, write=False)
    first = api.get("/api/v1/agreements?sort=title").get_json()
    assert first["total"] == 30 and len(first["items"]) == 25 and first["next_cursor"]
    second = api.get(f"/api/v1/agreements?sort=title&cursor={first['next_cursor']}").get_json()
    assert len(second["items"]) == 5 and second["next_cursor"] is None
    titles = [item["title"] for item in first["items"] + second["items"]]
    assert titles == sorted(titles) and len(set(titles)) == 30
    searched = api.get("/api/v1/agreements?q=łÓdź").get_json()
    assert searched["total"] == 20 and all(item["counterparty"] == "Łódź Hosting" for item in searched["items"])
    assert api.get("/api/v1/agreements?status=executed").get_json()["total"] == 0
    assert api.get("/api/v1/agreements?status=draft&status=negotiating").get_json()["total"] == 30
    # a cursor belongs to its query
    is_problem(api.get(f"/api/v1/agreements?sort=ends&cursor={first['next_cursor']}"), 422)
    descending = api.get("/api/v1/agreements?sort=title&dir=desc").get_json()["items"]
    assert descending[0]["title"] == "Agreement 29"


def test_members_invitations_and_the_redline_as_json(app, deal):
    owner, client_owner, client = deal.api["powner"], deal.api["cowner"], deal.api["cedit"]
    members = owner.get(f"/api/v1/agreements/{deal.id}/members").get_json()
    assert {(m["email"], m["side"], m["role"]) for m in members} >= {("powner@example.com", "provider", "owner"),
                                                                    ("cedit@example.com", "client", "editor")}
    made = client_owner.post(f"/api/v1/agreements/{deal.id}/invitations", json={"side": "client", "role": "viewer"})
    assert made.status_code == 201 and "/invitations/" in made.get_json()["link"]
    # each side governs itself: the client's owner does not invite to the provider side
    refused = is_problem(client_owner.post(f"/api/v1/agreements/{deal.id}/invitations",
                                           json={"side": "provider", "role": "editor"}), 403)
    assert "provider" in refused["detail"]
    is_problem(client.post(f"/api/v1/agreements/{deal.id}/invitations", json={"side": "client", "role": "viewer"}), 403)
    deal.share()
    terms, etag = _terms(client, deal.id)
    number = client.put(f"/api/v1/agreements/{deal.id}/terms/costs.payment_due_days", json={"value": 60},
                        headers={"If-Match": etag}).get_json()["proposals"][0]["number"]
    assert owner.post(f"/api/v1/agreements/{deal.id}/proposals/{number}/accept").status_code == 200
    with app.test_request_context(method="POST"):  # the provider sends the round, as on the page
        agreement = db.session.get(Agreement, deal.id)
        user = db.session.scalar(select(User).where(User.email == "powner@example.com"))
        send_to_other_side(agreement, user, membership_of(user.id, deal.id), "round two")
    response = owner.get(f"/api/v1/agreements/{deal.id}/redline?from=1&to=2")
    assert response.status_code == 200, response.get_data(as_text=True)
    redline = response.get_json()
    assert redline["from"] == 1 and redline["to"] == 2 and redline["counts"]["terms"] >= 1
    term = next(t for t in redline["terms"] if t["path"] == "costs.payment_due_days")
    assert term["attributions"][0]["proposal"] == number and term["attributions"][0]["author"] == "Cleo Editor"
    is_problem(owner.get(f"/api/v1/agreements/{deal.id}/redline?from=1&to=9"), 404)
    is_problem(owner.get(f"/api/v1/agreements/{deal.id}/redline?from=1"), 422)
