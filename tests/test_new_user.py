"""What a new user tripped over (issue 12, part 6), each through HTTP as they met it.

A fresh draft is a draft, not "agreed"; the Activity page and proposals speak in
sentences with clause numbers and titles; every proposal can carry its reason; an
amendment's Sign page gives the amendment's execution time; nothing typed into a
negotiation form is thrown away; the client cannot cut revisions of the provider's
unshared draft; a conflict page marks what differs.
"""
from __future__ import annotations

import html
import re
from datetime import date

from conftest import csrf_token, post_form
from sqlalchemy import select
from test_interview import post_step
from test_negotiation import KEY, act, deal, draft, proposal, propose_text  # noqa: F401 (deal is a fixture)

from authoring.extensions import db
from authoring.models import Agreement, Revision

BADGE_RE = re.compile(r'class="badge badge-state-(\w+)"')


def test_a_new_unshared_draft_says_draft_not_agreed(client, make_user, make_agreement, login):
    owner = make_user("owner@example.com")
    agreement_id = make_agreement(owner)
    login(client, "owner@example.com")
    page = client.get(f"/agreements/{agreement_id}").get_data(as_text=True)
    states = BADGE_RE.findall(page)
    assert states and set(states) == {"draft"}
    assert re.search(r"\d+ agreed", page) is None
    assert f"{len(states)} in the draft, not yet shared with Client S.A." in page
    overview = client.get(f"/agreements/{agreement_id}/negotiation").get_data(as_text=True)
    assert "</strong> agreed" not in overview and "in the draft, not yet shared" in overview


def test_the_client_reading_the_unshared_draft_is_not_told_it_is_not_shared_with_them(
        client, make_user, make_agreement, add_member, login):
    owner, member = make_user("owner@example.com"), make_user("client@example.com")
    agreement_id = make_agreement(owner)
    add_member(agreement_id, member, "client", "owner")
    login(client, "client@example.com")
    page = client.get(f"/agreements/{agreement_id}").get_data(as_text=True)
    states = BADGE_RE.findall(page)
    assert "not yet shared with Client S.A." not in page
    assert f"{len(states)} in the draft, which the provider has not yet shared for negotiation" in page


def test_once_shared_an_untouched_clause_is_agreed(deal):
    page = deal.as_("owner").get(f"/agreements/{deal.id}").get_data(as_text=True)
    assert set(BADGE_RE.findall(page)) == {"agreed"}
    assert "not yet shared" not in page


def test_the_client_cannot_cut_revisions_of_the_providers_unshared_draft(app, make_user, make_agreement, add_member,
                                                                         login):
    owner, client_editor = make_user("owner@example.com"), make_user("cedit@example.com")
    agreement_id = make_agreement(owner)
    add_member(agreement_id, client_editor, "client", "editor")
    client = login(app.test_client(), "cedit@example.com")
    history = client.get(f"/agreements/{agreement_id}/revisions").get_data(as_text=True)
    assert "Save revision" not in history
    assert "Save a revision" not in client.get(f"/agreements/{agreement_id}").get_data(as_text=True)
    refused = post_form(client, f"/agreements/{agreement_id}/revisions", {"message": "Client snapshot"})
    assert refused.status_code == 403
    assert "the provider drafts it" in refused.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(Revision).where(Revision.agreement_id == agreement_id)) is None
    provider = login(app.test_client(), "owner@example.com")
    assert post_form(provider, f"/agreements/{agreement_id}/revisions", {"message": "First draft"}).status_code == 302


def test_the_sign_page_of_an_executed_amendment_gives_the_amendments_execution_time(app, executed):
    from datetime import datetime, timezone

    from test_amendments import amend_and_sign

    from authoring.models import Amendment

    agreement_id = executed(date(2026, 1, 1))
    with app.app_context():  # the original was executed long before the amendment
        db.session.get(Agreement, agreement_id).executed_at = datetime(2026, 1, 2, 9, 30, tzinfo=timezone.utc)
        db.session.commit()
    amend_and_sign(executed, agreement_id)
    with app.app_context():
        amended_at = db.session.scalar(select(Amendment.executed_at).where(Amendment.agreement_id == agreement_id))
    page = " ".join(executed.as_("viewer").get(f"/agreements/{agreement_id}/sign").get_data(as_text=True).split())
    assert f"Amendment 1 executed on {amended_at:%Y-%m-%d %H:%M} UTC" in page
    assert "2026-01-02 09:30" not in page


def _textarea(page: str, element_id: str) -> str:
    match = re.search(rf'<textarea id="{element_id}"[^>]*>\n?(.*?)</textarea>', page, re.S)
    assert match, element_id
    return html.unescape(match.group(1))


def test_a_comment_over_the_length_limit_comes_back_with_what_was_typed(app, deal):
    from authoring.models.negotiation import COMMENT_MAX

    legal = deal.as_("legal")
    long = "Czy to obejmuje <dane> osobowe? " * (COMMENT_MAX // 20)
    clause_path = f"/agreements/{deal.id}/clauses/{KEY}"
    refused = post_form(legal, f"/agreements/{deal.id}/comments", {"body": long, "clause_key": KEY, "next": clause_path})
    page = refused.get_data(as_text=True)
    assert refused.status_code == 422
    assert _textarea(page, "new-comment") == long
    assert f"A comment holds at most {COMMENT_MAX} characters; this one has {len(long.strip())}." in page
    assert 'aria-describedby="new-comment-error"' in page and f'id="clause-{KEY}"' in page  # the clause's page
    # On the agreement-wide discussion, and in a reply, the same.
    overview = post_form(legal, f"/agreements/{deal.id}/comments", {"body": long, "next": f"/agreements/{deal.id}/negotiation"})
    assert overview.status_code == 422 and _textarea(overview.get_data(as_text=True), "new-comment") == long
    assert post_form(legal, f"/agreements/{deal.id}/comments", {"body": "First.", "clause_key": KEY}).status_code == 302
    thread = int(re.search(r'id="thread-(\d+)"', legal.get(clause_path).get_data(as_text=True)).group(1))
    reply = post_form(legal, f"/agreements/{deal.id}/comments", {"body": long, "thread": thread, "next": clause_path})
    assert reply.status_code == 422 and _textarea(reply.get_data(as_text=True), f"reply-{thread}") == long


def test_every_reason_on_the_negotiation_pages_comes_back_when_refused(app, deal):
    from authoring.models.negotiation import REASON_MAX

    propose_text(deal.as_("ceditor"), deal.id, KEY, lambda t: t + " One.")
    owner = deal.as_("owner")
    long = "Zbyt szeroko — too broad. " * (REASON_MAX // 20)
    rejected = act(owner, deal.id, 1, "reject", reason=long, next=f"/agreements/{deal.id}/negotiation")
    page = rejected.get_data(as_text=True)
    assert rejected.status_code == 422 and _textarea(page, "reject-reason-1") == long
    assert '<details class="reject" open>' in page
    assert proposal(app, deal.id, 1).status == "open"
    removed = post_form(deal.as_("ceditor"), f"/agreements/{deal.id}/clauses/{KEY}/remove", {"reason": long})
    assert removed.status_code == 422 and _textarea(removed.get_data(as_text=True), "remove-reason") == long


def test_term_proposals_from_the_interview_carry_the_reason_given(app, deal, make_agreement):
    client = deal.as_("ceditor")
    form = client.get(f"/agreements/{deal.id}/interview/costs").get_data(as_text=True)
    assert 'name="reason"' in form and "Why (shown to the other side" in form
    saved = post_step(client, deal.id, "costs", {"payment_due_days": "45", "late_interest_percent": "9",
                                                 "reason": "Our payment run is monthly."})
    assert saved.status_code == 302
    assert [proposal(app, deal.id, n).reason for n in (1, 2)] == ["Our payment run is monthly."] * 2
    page = deal.as_("owner").get(f"/agreements/{deal.id}/negotiation").get_data(as_text=True)
    assert "Our payment run is monthly." in page
    # Too long a reason is refused by its field, with everything typed kept, and nothing proposed.
    from authoring.models.negotiation import REASON_MAX

    refused = post_step(client, deal.id, "costs", {"payment_due_days": "50", "reason": "x" * (REASON_MAX + 1)})
    assert refused.status_code == 422 and 'value="50"' in refused.get_data(as_text=True)
    # Before sharing there is nothing to explain: the provider simply drafts.
    unshared = make_agreement(deal.users["owner"], title="Unshared")
    assert 'name="reason"' not in deal.as_("owner").get(f"/agreements/{unshared}/interview/costs").get_data(as_text=True)


def _numbered(app, agreement_id, key) -> str:
    for _number, _section, clauses in draft(app, agreement_id).numbered():
        for clause_number, clause in clauses:
            if clause.key == key:
                return f"{clause_number} {clause.title}"
    raise KeyError(key)


def _activity(client, agreement_id) -> str:
    page = client.get(f"/agreements/{agreement_id}/activity").get_data(as_text=True)
    rows = page.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    return html.unescape(" ".join(re.sub(r"</?bdi>", "", rows).split()))  # what people typed is isolated: <bdi>


def test_activity_and_proposals_read_as_sentences_with_clause_numbers_and_titles(app, deal):
    client, owner = deal.as_("ceditor"), deal.as_("owner")
    clause = _numbered(app, deal.id, KEY)
    propose_text(client, deal.id, KEY, lambda t: t + " For five years.", reason="Longer.")
    propose_text(owner, deal.id, KEY, lambda t: t + " For three years.", counter=1)
    assert act(client, deal.id, 2, "accept").status_code == 302
    assert post_step(client, deal.id, "costs", {"payment_due_days": "45"}).status_code == 302
    assert act(owner, deal.id, 3, "reject", reason="Our cash flow.").status_code == 302
    post_form(deal.as_("legal"), f"/agreements/{deal.id}/comments", {"body": "Why?", "clause_key": KEY})
    assert post_form(client, f"/agreements/{deal.id}/send", {"message": "Our round"}).status_code == 302

    proposals = " ".join(html.unescape(owner.get(f"/agreements/{deal.id}/negotiation").get_data(as_text=True)).split())
    assert f"Carmen Editor (client) proposed new wording for {clause}" in proposals
    assert f"Olivia Owner (provider) countered proposal 1 with new wording for {clause}" in proposals
    assert "Carmen Editor (client) proposed changing “Invoices due within (days)” to 45" in proposals
    assert "reword clause" not in proposals and "change the term" not in proposals

    activity = _activity(deal.as_("viewer"), deal.id)
    for sentence in (
        "Olivia Owner (provider) shared the draft with the client: “Draft for you”",
        f"Carmen Editor (client) proposed new wording for {clause} (proposal 1).",
        f"Olivia Owner (provider) countered proposal 1 with new wording for {clause} (proposal 2).",
        f"Olivia Owner (provider)'s counter-proposal replaced proposal 1 (new wording for {clause}).",
        f"Carmen Editor (client) accepted proposal 2 (new wording for {clause}).",
        "Carmen Editor (client) proposed changing “Invoices due within (days)” to 45 (proposal 3).",
        "Olivia Owner (provider) rejected proposal 3 (changing “Invoices due within (days)” to 45): “Our cash flow.”",
        f"Lena Legal (client) commented on {clause}.",
        "Carmen Editor (client) sent revision 2 to the provider: “Our round”",
        "Olivia Owner (provider) created the agreement “Support agreement” in English.",
    ):
        assert sentence in activity, sentence
    for code in ("proposal.created", "draft_version", "rebased", "False", KEY, "clause_text", "costs.payment_due_days"):
        assert code not in activity, code


def test_every_action_the_code_records_has_a_sentence_and_an_unknown_one_still_reads_as_words(app):
    from pathlib import Path

    from authoring.agreements.activity import PHRASES, Context, event_sentence
    from authoring.models import AuditEvent
    from authoring.negotiation.changes import ChangeNames

    recorded = set()
    for source in Path(__file__).resolve().parents[1].joinpath("authoring").rglob("*.py"):
        for call in re.findall(r"\brecord\((.+?),\s*(?:actor|agreement|email)=", source.read_text(encoding="utf-8"), re.S):
            recorded.update(re.findall(r'"([a-z_]+\.[a-z_]+)"', call))
    assert len(recorded) > 30
    assert recorded <= set(PHRASES), sorted(recorded - set(PHRASES))
    with app.app_context():
        event = AuditEvent(action="account.email_verified", details={"email": "a@example.com", "draft_version": 3})
        sentence = event_sentence(event, Context(ChangeNames()))
    assert sentence == "The system: account email verified (email a@example.com)."


def test_the_conflict_page_marks_the_words_that_differ_in_words_not_colour_alone(app, deal):
    client, owner = deal.as_("ceditor"), deal.as_("owner")
    propose_text(client, deal.id, KEY, lambda t: t.replace("Each Party", "Every Party", 1))
    propose_text(client, deal.id, KEY, lambda t: t.replace("Each Party", "Both Parties", 1))
    assert act(owner, deal.id, 1, "accept").status_code == 302
    conflict = act(owner, deal.id, 2, "accept")
    page = conflict.get_data(as_text=True)
    assert conflict.status_code == 409
    theirs = page.split('class="clause-text conflict-theirs"', 1)[1].split("</pre>", 1)[0]
    mine = page.split('class="clause-text conflict-mine"', 1)[1].split("</pre>", 1)[0]
    assert re.findall(r"<del class=\"del\">(.*?)</del>", theirs) == [
        '<span class="visually-hidden">[only in the draft: </span>Every Party<span class="visually-hidden">]</span>']
    assert re.findall(r"<ins class=\"ins\">(.*?)</ins>", mine) == [
        '<span class="visually-hidden">[only in the proposal: </span>Both Parties<span class="visually-hidden">]</span>']
    assert "<ins" not in theirs and "<del" not in mine
    assert "struck through" in page and "underlined" in page
    # The clause editor's conflict (a proposal on words changed meanwhile) marks them the same way.
    stale = client.get(f"/agreements/{deal.id}/clauses/{KEY}/edit").get_data(as_text=True)
    from test_revisions import based_on

    text = html.unescape(re.search(r"<textarea[^>]*>(?:\r\n|\n)?(.*?)</textarea>", stale, re.S).group(1))
    assert act(owner, deal.id, 2, "reject", reason="No.").status_code == 302
    propose_text(client, deal.id, KEY, lambda t: t.replace("Every Party", "Each of the Parties", 1))
    assert act(owner, deal.id, 3, "accept").status_code == 302
    edited = client.post(f"/agreements/{deal.id}/clauses/{KEY}/edit", data={
        "csrf_token": csrf_token(client, f"/agreements/{deal.id}/clauses/{KEY}/edit"),
        "text": text.replace("Every Party", "All Parties", 1), "reason": "", **based_on(stale)})
    page = edited.get_data(as_text=True)
    assert edited.status_code == 409
    assert "[only in the draft: </span>Each of the" in page and "[only in your version: </span>All" in page
