"""Negotiation through HTTP: sharing, every proposal transition and who may perform it,
comments, turns, per-clause status, notifications and the audit trail."""
from __future__ import annotations

import html
import re

import pytest
from conftest import csrf_token, post_form
from sqlalchemy import select
from test_interview import post_step
from test_revisions import based_on

from authoring.document import Document
from authoring.extensions import db
from authoring.models import Agreement, AuditEvent, Draft, OutboxMessage, Proposal, Revision

KEY = "general.confidentiality"


@pytest.fixture
def deal(app, make_user, make_agreement, add_member, login):
    """A shared agreement with people on both sides; `deal.as_(email)` is a logged-in client."""
    people = {
        "owner": make_user("owner@example.com", name="Olivia Owner"),
        "peditor": make_user("peditor@example.com", name="Piotr Editor"),
        "ceditor": make_user("ceditor@example.com", name="Carmen Editor"),
        "ceditor2": make_user("ceditor2@example.com", name="Chaim Editor"),
        "legal": make_user("legal@example.com", name="Lena Legal"),
        "viewer": make_user("viewer@example.com", name="Vera Viewer"),
        "stranger": make_user("stranger@example.com", name="Stan Stranger"),
    }
    agreement_id = make_agreement(people["owner"])
    for name, side, role in [("peditor", "provider", "editor"), ("ceditor", "client", "editor"),
                             ("ceditor2", "client", "editor"), ("legal", "client", "reviewer"),
                             ("viewer", "client", "viewer")]:
        add_member(agreement_id, people[name], side, role)

    class Deal:
        id = agreement_id
        users = people

        @staticmethod
        def as_(name):
            return login(app.test_client(), f"{name}@example.com")

    owner = Deal.as_("owner")
    assert post_form(owner, f"/agreements/{agreement_id}/share", {"message": "Draft for you"}).status_code == 302
    return Deal


def draft(app, agreement_id) -> Document:
    with app.app_context():
        return Document.from_json(db.session.get(Draft, agreement_id).document)


def proposal(app, agreement_id, number) -> Proposal:
    with app.app_context():
        row = db.session.scalar(select(Proposal).where(Proposal.agreement_id == agreement_id, Proposal.number == number))
        db.session.expunge(row)
        return row


def events(app, action) -> list[dict]:
    with app.app_context():
        return [e.details for e in db.session.scalars(select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.id))]


def propose_text(client, agreement_id, key, change, reason="", counter=None):
    """Open the clause's edit page, change its text with `change(text)`, and post it."""
    url = f"/agreements/{agreement_id}/clauses/{key}/edit" + (f"?counter={counter}" if counter else "")
    page = client.get(url).get_data(as_text=True)
    text = html.unescape(re.search(r"<textarea[^>]*>(?:\r\n|\n)?(.*?)</textarea>", page, re.S).group(1))
    data = {"text": change(text), "reason": reason, **based_on(page)}
    if counter:
        data["counter_of"] = counter
    return client.post(f"/agreements/{agreement_id}/clauses/{key}/edit",
                       data={"csrf_token": csrf_token(client, url), **data})


def act(client, agreement_id, number, action, **data):
    return post_form(client, f"/agreements/{agreement_id}/proposals/{number}/{action}", data)


def test_sharing_opens_the_negotiation_and_hands_the_move_to_the_client(app, deal):
    with app.app_context():
        agreement = db.session.get(Agreement, deal.id)
        assert (agreement.status, agreement.turn) == ("negotiating", "client") and agreement.shared_at is not None
        assert db.session.scalar(select(Revision.number).where(Revision.agreement_id == deal.id)) == 1
        mail = {m.to_address for m in db.session.scalars(select(OutboxMessage).where(OutboxMessage.event == "agreement.shared"))}
    assert mail == {"ceditor@example.com", "ceditor2@example.com", "legal@example.com", "viewer@example.com"}
    assert events(app, "agreement.shared")[0]["message"] == "Draft for you"
    page = deal.as_("ceditor").get(f"/agreements/{deal.id}/negotiation").get_data(as_text=True)
    assert "Your side&#39;s move." in page or "Your side's move." in page
    assert "Waiting for the client." in deal.as_("owner").get(f"/agreements/{deal.id}/negotiation").get_data(as_text=True)
    owner = deal.as_("owner")
    again = post_form(owner, f"/agreements/{deal.id}/share", {"message": "again"})
    assert "already shared" in owner.get(again.headers["Location"]).get_data(as_text=True)
    # A provider editor may not share (manage), nor may the client.
    assert post_form(deal.as_("peditor"), f"/agreements/{deal.id}/share", {"message": "x"}).status_code == 403
    assert post_form(deal.as_("ceditor"), f"/agreements/{deal.id}/share", {"message": "x"}).status_code == 403


def test_a_shared_clause_edit_becomes_a_proposal_the_other_side_answers(app, deal):
    before = draft(app, deal.id).clause(KEY).text
    client = deal.as_("ceditor")
    response = propose_text(client, deal.id, KEY, lambda t: t.replace("confidential", "strictly confidential", 1),
                            reason="Mark it as strict.")
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/clauses/{KEY}")
    assert draft(app, deal.id).clause(KEY).text == before  # nothing changes until the other side accepts
    made = proposal(app, deal.id, 1)
    assert (made.status, made.side, made.kind, made.target, made.base_value) == ("open", "client", "clause_text", KEY, before)
    assert made.reason == "Mark it as strict."
    # The provider sees the clause waiting for its answer, and only that clause under the filter.
    owner = deal.as_("owner")
    filtered = owner.get(f"/agreements/{deal.id}?show=needs-my-answer").get_data(as_text=True)
    assert filtered.count('class="clause"') == 1 and f'id="clause-{KEY}"' in filtered and "needs your answer" in filtered
    assert "1 need your side" in filtered
    client_view = client.get(f"/agreements/{deal.id}?show=needs-my-answer").get_data(as_text=True)
    assert 'class="clause"' not in client_view and "No clause needs your side" in client_view
    clause_page = owner.get(f"/agreements/{deal.id}/clauses/{KEY}").get_data(as_text=True)
    assert '<ins class="ins">strictly </ins>' in clause_page or '<ins class="ins">strictly</ins>' in clause_page
    with app.app_context():
        mail = db.session.scalars(select(OutboxMessage).where(OutboxMessage.event == "proposal.created")).all()
        assert {m.to_address for m in mail} == {"owner@example.com", "peditor@example.com"}
        assert "Mark it as strict." in mail[0].body


def test_who_may_accept(app, deal):
    propose_text(deal.as_("ceditor"), deal.id, KEY, lambda t: t + " Added by the client.")
    assert act(deal.as_("legal"), deal.id, 1, "accept").status_code == 403  # a client reviewer never accepts
    assert act(deal.as_("ceditor2"), deal.id, 1, "accept").status_code == 403  # nor does the proposing side
    assert act(deal.as_("viewer"), deal.id, 1, "accept").status_code == 403
    assert act(deal.as_("stranger"), deal.id, 1, "accept").status_code == 404
    assert act(deal.as_("peditor"), deal.id, 99, "accept").status_code == 404
    assert proposal(app, deal.id, 1).status == "open"
    accepted = act(deal.as_("peditor"), deal.id, 1, "accept")
    assert accepted.status_code == 302
    assert draft(app, deal.id).clause(KEY).text.endswith(" Added by the client.")
    row = proposal(app, deal.id, 1)
    assert row.status == "accepted" and row.responded_by_id == deal.users["peditor"].id and not row.merged
    # Answering twice changes nothing and says who answered.
    owner = deal.as_("owner")
    again = act(owner, deal.id, 1, "accept")
    assert "already accepted by Piotr Editor" in owner.get(again.headers["Location"]).get_data(as_text=True)
    assert draft(app, deal.id).clause(KEY).text.count("Added by the client.") == 1
    assert [e["proposal"] for e in events(app, "proposal.accepted")] == [1]
    with app.app_context():
        told = db.session.scalar(select(OutboxMessage).where(OutboxMessage.event == "proposal.accepted"))
        assert told.to_address == "ceditor@example.com"


def test_reject_needs_a_reason_and_withdraw_is_for_the_author_only(app, deal):
    propose_text(deal.as_("ceditor"), deal.id, KEY, lambda t: t + " One.")
    propose_text(deal.as_("ceditor"), deal.id, KEY, lambda t: t + " Two.")
    owner = deal.as_("owner")
    empty = act(owner, deal.id, 1, "reject", reason="  ")
    assert empty.status_code == 422 and "Give the other side your reason" in empty.get_data(as_text=True)
    assert proposal(app, deal.id, 1).status == "open"
    assert act(deal.as_("legal"), deal.id, 1, "reject", reason="no").status_code == 403
    assert act(owner, deal.id, 1, "reject", reason="Too broad — zbyt szeroko.").status_code == 302
    rejected = proposal(app, deal.id, 1)
    assert (rejected.status, rejected.response_reason) == ("rejected", "Too broad — zbyt szeroko.")
    assert act(deal.as_("ceditor2"), deal.id, 2, "withdraw").status_code == 403  # same side, not the author
    assert act(owner, deal.id, 2, "withdraw").status_code == 403
    assert act(deal.as_("ceditor"), deal.id, 2, "withdraw").status_code == 302
    assert proposal(app, deal.id, 2).status == "withdrawn"
    assert act(owner, deal.id, 2, "accept").status_code == 302 and proposal(app, deal.id, 2).status == "withdrawn"
    assert "One." not in draft(app, deal.id).clause(KEY).text and "Two." not in draft(app, deal.id).clause(KEY).text


def test_a_counter_proposal_supersedes_the_original(app, deal):
    propose_text(deal.as_("ceditor"), deal.id, KEY, lambda t: t + " Within 14 days.")
    assert deal.as_("legal").get(f"/agreements/{deal.id}/proposals/1/counter").status_code == 403
    owner = deal.as_("owner")
    assert owner.get(f"/agreements/{deal.id}/proposals/1/counter").headers["Location"].endswith(f"/clauses/{KEY}/edit?counter=1")
    countered = propose_text(owner, deal.id, KEY, lambda t: t.replace("Within 14 days.", "Within 30 days."), counter=1)
    assert countered.status_code == 302
    first, second = proposal(app, deal.id, 1), proposal(app, deal.id, 2)
    assert (first.status, first.responded_by_id) == ("superseded", deal.users["owner"].id)
    assert (second.status, second.side, second.counter_of_id) == ("open", "provider", first.id)
    assert second.value.endswith("Within 30 days.")
    assert act(deal.as_("ceditor"), deal.id, 2, "accept").status_code == 302
    assert draft(app, deal.id).clause(KEY).text.endswith("Within 30 days.")


def test_a_term_change_in_the_interview_is_proposed_and_rerenders_clauses_when_accepted(app, deal):
    client = deal.as_("ceditor")
    days_before = draft(app, deal.id).terms["costs"]["payment_due_days"]
    assert post_step(client, deal.id, "costs", {"payment_due_days": "45"}).status_code == 302
    assert draft(app, deal.id).terms["costs"]["payment_due_days"] == days_before
    made = proposal(app, deal.id, 1)
    assert (made.kind, made.target, made.value, made.base_value) == ("term", "costs.payment_due_days", 45, days_before)
    # The provider counters from the interview, prefilled with the client's value.
    owner = deal.as_("owner")
    page = owner.get(f"/agreements/{deal.id}/interview/counter/1").get_data(as_text=True)
    assert 'name="counter_of" value="1"' in page and 'value="45"' in page
    base = re.search(r'name="base" value="([^"]*)"', page).group(1)
    response = owner.post(f"/agreements/{deal.id}/interview/costs", data={
        "csrf_token": csrf_token(owner, f"/agreements/{deal.id}/interview/costs"), "base": base, "counter_of": "1",
        "action": "save", "payment_due_days": "40"})
    assert response.status_code == 302
    assert proposal(app, deal.id, 1).status == "superseded"
    counter = proposal(app, deal.id, 2)
    assert (counter.value, counter.side) == (40, "provider")
    assert act(client, deal.id, 2, "accept").status_code == 302
    document = draft(app, deal.id)
    assert document.terms["costs"]["payment_due_days"] == 40
    assert "40" in document.clause("costs.invoicing").text


def test_a_counter_refused_for_a_typo_stays_a_counter(app, deal):
    """A counter-proposal whose answer is refused (or whose rows change) comes back still countering."""
    client = deal.as_("ceditor")
    assert post_step(client, deal.id, "costs", {"payment_due_days": "45"}).status_code == 302
    owner = deal.as_("owner")
    page = owner.get(f"/agreements/{deal.id}/interview/counter/1").get_data(as_text=True)
    base = re.search(r'name="base" value="([^"]*)"', page).group(1)
    path = f"/agreements/{deal.id}/interview/costs"
    for action, days in [("save", "forty"), ("add:rates", "40")]:
        response = owner.post(path, data={"csrf_token": csrf_token(owner, path), "base": base, "counter_of": "1",
                                          "action": action, "payment_due_days": days})
        again = response.get_data(as_text=True)
        assert response.status_code == (422 if action == "save" else 200)
        assert 'name="counter_of" value="1"' in again and "You are countering proposal 1" in again
    response = owner.post(path, data={"csrf_token": csrf_token(owner, path), "base": base, "counter_of": "1",
                                      "action": "save", "payment_due_days": "40"})
    assert response.status_code == 302
    assert proposal(app, deal.id, 1).status == "superseded" and proposal(app, deal.id, 2).value == 40


def test_a_stale_proposal_is_refused_and_an_overlapping_accept_shows_both_versions(app, deal):
    client = deal.as_("ceditor")
    propose_text(client, deal.id, KEY, lambda t: t.replace("Each Party", "Every Party", 1))
    propose_text(client, deal.id, KEY, lambda t: t.replace("Each Party", "Both Parties", 1))
    propose_text(client, deal.id, KEY, lambda t: t + " Far from the start.")
    owner = deal.as_("owner")
    assert act(owner, deal.id, 1, "accept").status_code == 302
    overlapping = act(owner, deal.id, 2, "accept")
    page = overlapping.get_data(as_text=True)
    assert overlapping.status_code == 409
    assert "Every Party" in page and "Both Parties" in page and "Nothing was changed" in page
    assert proposal(app, deal.id, 2).status == "open"
    third = act(owner, deal.id, 3, "accept")
    assert third.status_code == 302, third.get_data(as_text=True)[-3000:]  # different words: merged exactly
    text = draft(app, deal.id).clause(KEY).text
    assert text.startswith("Every Party") and text.endswith(" Far from the start.") and "Both Parties" not in text
    assert proposal(app, deal.id, 3).merged


def test_comment_threads_reply_resolve_and_reopen(app, deal):
    legal = deal.as_("legal")
    posted = post_form(legal, f"/agreements/{deal.id}/comments", {"body": "Czy to obejmuje dane osobowe? האם זה כולל?",
                                                                   "clause_key": KEY, "next": f"/agreements/{deal.id}/clauses/{KEY}"})
    assert posted.status_code == 302 and posted.headers["Location"].endswith(f"/clauses/{KEY}")
    assert post_form(deal.as_("viewer"), f"/agreements/{deal.id}/comments", {"body": "x", "clause_key": KEY}).status_code == 403
    assert post_form(legal, f"/agreements/{deal.id}/comments", {"body": "x", "clause_key": "no.such"}).status_code == 302
    owner = deal.as_("owner")
    page = owner.get(f"/agreements/{deal.id}").get_data(as_text=True)
    assert "commented" in page.split(f'id="clause-{KEY}"', 1)[1].split("</h3>", 1)[0]
    thread = int(re.search(r'id="thread-(\d+)"', owner.get(f"/agreements/{deal.id}/clauses/{KEY}").get_data(as_text=True)).group(1))
    assert post_form(owner, f"/agreements/{deal.id}/comments", {"body": "Tak, כן.", "thread": thread}).status_code == 302
    assert post_form(owner, f"/agreements/{deal.id}/comments/{thread}/resolve").status_code == 302
    clause_page = owner.get(f"/agreements/{deal.id}/clauses/{KEY}").get_data(as_text=True)
    assert "Czy to obejmuje dane osobowe? האם זה כולל?" in clause_page and "Tak, כן." in clause_page
    assert "Resolved by" in clause_page and "agreed" in clause_page
    assert post_form(legal, f"/agreements/{deal.id}/comments/{thread}/reopen").status_code == 302
    assert "Resolved by" not in owner.get(f"/agreements/{deal.id}/clauses/{KEY}").get_data(as_text=True)
    assert post_form(owner, f"/agreements/{deal.id}/comments/{thread + 100}/resolve").status_code == 404
    # On the agreement as a whole.
    assert post_form(owner, f"/agreements/{deal.id}/comments", {"body": "General point."}).status_code == 302
    assert "General point." in owner.get(f"/agreements/{deal.id}/negotiation").get_data(as_text=True)
    assert [e["clause"] for e in events(app, "comment.added")] == [KEY, KEY, None]
    assert len(events(app, "comment.resolved")) == 1 and len(events(app, "comment.reopened")) == 1


def test_clauses_are_added_and_removed_by_proposal(app, deal):
    client = deal.as_("ceditor")
    added = post_form(client, f"/agreements/{deal.id}/clauses/new",
                      {"section": "general", "title": "Право применимое", "text": "Договор регулируется правом Польши.",
                       "reason": ""}, token_from=f"/agreements/{deal.id}/clauses/new")
    assert added.status_code == 302
    empty = post_form(client, f"/agreements/{deal.id}/clauses/new", {"section": "general", "title": " ", "text": ""},
                      token_from=f"/agreements/{deal.id}/clauses/new")
    assert empty.status_code == 422 and "Give the clause a title." in empty.get_data(as_text=True)
    removed = post_form(client, f"/agreements/{deal.id}/clauses/{KEY}/remove", {"reason": "Covered by the NDA."})
    assert removed.status_code == 302
    owner = deal.as_("owner")
    assert act(owner, deal.id, 1, "accept").status_code == 302
    assert act(owner, deal.id, 2, "accept").status_code == 302
    document = draft(app, deal.id)
    new = [c for c in document.clauses() if c.title == "Право применимое"]
    assert new and new[0].text == "Договор регулируется правом Польши." and new[0].custom
    assert KEY not in {c.key for c in document.clauses()}


def test_turns_revisions_history_and_redline(app, deal):
    client, owner = deal.as_("ceditor"), deal.as_("owner")
    nothing = post_form(client, f"/agreements/{deal.id}/send", {"message": "Nothing yet"})
    assert "Nothing to send" in client.get(nothing.headers["Location"]).get_data(as_text=True)
    propose_text(client, deal.id, KEY, lambda t: t.replace("Each Party", "Každá strana — כל צד", 1) + " Nowe zdanie.")
    assert post_form(client, f"/agreements/{deal.id}/send", {"message": "Our wording"}).status_code == 302
    with app.app_context():
        agreement = db.session.get(Agreement, deal.id)
        assert agreement.turn == "provider"
        assert db.session.scalar(select(Revision.number).order_by(Revision.number.desc()).limit(1)) == 1  # proposals only
    assert post_step(owner, deal.id, "costs", {"payment_due_days": "60"}).status_code == 302  # proposal 2, provider's
    assert act(owner, deal.id, 1, "accept").status_code == 302
    assert act(client, deal.id, 2, "accept").status_code == 302
    assert post_form(owner, f"/agreements/{deal.id}/send", {"message": "Accepted, with 60 days"}).status_code == 302
    history = owner.get(f"/agreements/{deal.id}/revisions").get_data(as_text=True)
    assert "Accepted, with 60 days" in history and "provider" in history
    # The clause text proposal, and the clauses that read the payment days, re-rendered.
    assert re.search(r"3 changed, 0 added, 0 removed, 0 moved, 1 term\b", history)
    redline = owner.get(f"/agreements/{deal.id}/redline?from=1&to=2").get_data(as_text=True)
    assert '<del class="del">Each Party</del>' in redline  # word-aligned, cleaned up semantically
    assert '<ins class="ins">Každá strana — כל צד</ins>' in redline
    assert '<ins class="ins"> Nowe zdanie.</ins>' in redline
    assert "Proposal 1 by Carmen Editor (client), accepted by Olivia Owner" in redline
    assert "Invoices due within (days)" in redline and "Proposal 2 by Olivia Owner (provider)" in redline
    shown = re.findall(r'data-status="(\w+)"', redline)
    assert "unchanged" not in shown and "changed" in shown
    everything = owner.get(f"/agreements/{deal.id}/redline?from=1&to=2&show=all").get_data(as_text=True)
    assert "unchanged" in re.findall(r'data-status="(\w+)"', everything)
    assert owner.get(f"/agreements/{deal.id}/redline?from=1&to=9").status_code == 404
    assert deal.as_("stranger").get(f"/agreements/{deal.id}/redline").status_code == 404
    with app.app_context():
        assert [p.revision_id is not None for p in db.session.scalars(select(Proposal).order_by(Proposal.number))] == [True, True]
    assert [e["to"] for e in events(app, "turn.sent")] == ["provider", "client"]


def test_open_proposals_keep_the_agreement_from_being_ready(app, deal):
    from authoring.interview.services import NotReady, mark_ready
    from authoring.models import User

    propose_text(deal.as_("ceditor"), deal.id, KEY, lambda t: t + " More.")
    with app.test_request_context(method="POST"):
        with pytest.raises(NotReady) as refused:
            mark_ready(db.session.get(Agreement, deal.id), db.session.get(User, deal.users["owner"].id))
    assert any("1 proposal is still open" in reason for reason in refused.value.reasons)


def test_before_sharing_only_the_provider_edits_directly(app, make_user, make_agreement, add_member, login):
    owner, client_editor = make_user("o@example.com"), make_user("c@example.com")
    agreement_id = make_agreement(owner)
    add_member(agreement_id, client_editor, "client", "editor")
    client = login(app.test_client(), "c@example.com")
    assert client.get(f"/agreements/{agreement_id}/clauses/{KEY}/edit").status_code == 403
    provider = login(app.test_client(), "o@example.com")
    assert propose_text(provider, agreement_id, KEY, lambda t: t + " Direct.").status_code == 302
    assert draft(app, agreement_id).clause(KEY).text.endswith(" Direct.")
    with app.app_context():
        assert db.session.scalar(select(Proposal)) is None
