"""A whole negotiation round in a real headless Chromium, as two people in two browser contexts.

The provider's owner registers, creates an agreement and invites the client's first owner through
the Members page; the client accepts. The provider shares the draft from the Negotiation tab.
The client opens the confidentiality clause from the Draft tab, proposes a change (a number
filled in and a Polish sentence added) with a reason: the number is a term, so it becomes a
proposal to change that term, and the sentence a proposal of new wording - both on the
clause's page. It comments on the clause and sends the round back. The provider finds the
clause marked as needing an answer, reads the comment, accepts both proposals and sends the
draft to the other side; the redline between the last two revisions then shows the inserted
and deleted words and the changed term, attributed to the client's proposals, with the
unchanged clauses hidden.

Pages are driven through roles and labels, except where only markup tells things apart
(the redline's <ins>/<del>, a proposal card, a comment's body).
"""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect
from test_browser import create_agreement, register, register_here

pytestmark = pytest.mark.browser

PROVIDER_PERSON = "Ana Kowalska"
CLIENT_PERSON = "Jan Nowak"
CLIENT_ORGANISATION = "Zakład Łódzki S.A."  # as create_agreement fills it in
KEY = "general.confidentiality"
CLAUSE = "Confidentiality"
OLD_WORD = "[●]"  # the confidentiality period nobody has filled in yet
NEW_WORD = "3"
ADDED = "Klient zatwierdza treść w ciągu dwóch dni roboczych."
REASON = "Trzy lata to standard rynkowy. שלוש שנים הן סטנדרט."
COMMENT = "Proszę potwierdzić okres poufności — zażółć gęślą jaźń. תודה!"


def agreement_tab(page, name: str):
    return page.get_by_role("navigation", name="Agreement").get_by_role("link", name=name, exact=True)


def status(page):
    return page.get_by_role("status")


def test_two_sides_negotiate_a_clause_and_the_redline_shows_who_changed_what(live_server, new_page):
    base, provider = live_server, new_page()

    # The provider registers, creates the agreement and invites the client's first owner.
    register(provider, base, PROVIDER_PERSON, "ana@example.com")
    agreement_url = create_agreement(provider, base, language="en")  # the clause words below are English
    clause_url = f"{agreement_url}/clauses/{KEY}"
    agreement_tab(provider, "Members").click()
    provider.wait_for_url(f"{agreement_url}/members")
    invite = provider.locator("section").filter(has=provider.get_by_role("heading", name="Invite someone"))
    invite.get_by_label("Side").select_option(label="Client side — its first owner only")
    invite.get_by_label("Role").select_option("owner")
    invite.get_by_role("button", name="Create invitation link").click()
    provider.get_by_role("heading", name="Invitation link created").wait_for()
    link = provider.get_by_label("Invitation link").input_value()
    assert link.startswith(f"{base}/invitations/")

    client = new_page()  # another context: no cookies shared with the provider
    client.goto(link)
    client.get_by_role("heading", name="You are invited").wait_for()
    client.get_by_role("link", name="Create an account").click()
    client.wait_for_url(lambda url: url.startswith(f"{base}/register?next="))
    register_here(client, base, CLIENT_PERSON, "jan@example.com")
    client.wait_for_url(link)
    client.get_by_role("button", name="Accept invitation").click()
    client.wait_for_url(agreement_url)
    expect(status(client)).to_contain_text("as owner on the client side")

    # The provider shares the draft from the Negotiation tab, with a message.
    agreement_tab(provider, "Negotiation").click()
    provider.wait_for_url(f"{agreement_url}/negotiation")
    expect(provider.get_by_text("Not shared yet")).to_be_visible()
    provider.get_by_label("Message to the other side (kept in the history)").fill("Pierwsza wersja do przeglądu.")
    provider.get_by_role("button", name=f"Share the draft with {CLIENT_ORGANISATION}").click()
    provider.wait_for_url(f"{agreement_url}/negotiation")
    expect(status(provider)).to_contain_text(f"Shared with {CLIENT_ORGANISATION}")
    expect(provider.get_by_text("Waiting for the client.")).to_be_visible()

    # The client opens the confidentiality clause from the Draft tab and proposes a change.
    agreement_tab(client, "Draft").click()
    client.wait_for_url(agreement_url)
    expect(client.get_by_text("Your side's move.")).to_be_visible()
    client.get_by_role("link", name=f"Discuss {CLAUSE}", exact=True).click()
    client.wait_for_url(clause_url)
    expect(client.get_by_role("heading", level=2, name=re.compile(rf"^{CLAUSE}\b"))).to_be_visible()
    client.get_by_role("link", name="Propose a change").click()
    client.wait_for_url(f"{clause_url}/edit")
    text_box = client.get_by_label("Clause text")
    original = text_box.input_value()
    assert original.count(f"for {OLD_WORD} years") == 1, original
    proposed = original.replace(f"for {OLD_WORD} years", f"for {NEW_WORD} years") + " " + ADDED
    text_box.fill(proposed)
    client.get_by_label("Why (shown to the other side; optional)").fill(REASON)
    client.get_by_role("button", name="Propose this text").click()
    client.wait_for_url(clause_url)
    expect(status(client)).to_contain_text("Proposals 1, 2 sent to the other side (Confidentiality lasts")
    term = client.locator("#proposal-1")
    expect(term.locator(".badge")).to_have_text("open")
    expect(term).to_contain_text("Confidentiality lasts (years after the end)")
    expect(term).to_contain_text("Waiting for the provider to answer.")
    card = client.locator("#proposal-2")
    expect(card.locator(".badge")).to_have_text("open")
    expect(card.locator("ins.ins")).to_have_text([f" {ADDED}"])
    expect(card.locator("del.del")).to_have_count(0)
    expect(card).to_contain_text("Waiting for the provider to answer.")

    # ... comments on the clause, and sends the round back to the provider.
    client.get_by_label("Comment on this clause").fill(COMMENT)
    client.get_by_role("button", name="Post comment").click()
    expect(status(client)).to_have_text("Comment posted.")
    assert client.url == clause_url
    comments = client.locator("#comments .comment-body")
    expect(comments).to_have_count(1)
    assert comments.first.text_content() == COMMENT
    agreement_tab(client, "Negotiation").click()
    client.wait_for_url(f"{agreement_url}/negotiation")
    client.get_by_label("Message to the other side (kept in the history)").fill("Nasze uwagi do poufności.")
    client.get_by_role("button", name="Send to the other side").click()
    client.wait_for_url(f"{agreement_url}/negotiation")
    expect(status(client)).to_have_text(
        "Your proposals were sent (the text itself is unchanged). Waiting for the provider.")

    # The provider sees the clause as needing an answer and opens it.
    agreement_tab(provider, "Draft").click()
    provider.wait_for_url(agreement_url)
    expect(provider.get_by_text("Your side's move.")).to_be_visible()
    provider.get_by_role("link", name="1 need your side's answer").click()
    provider.wait_for_url(f"{agreement_url}?show=needs-my-answer")
    document = provider.get_by_role("article")
    shown = document.get_by_role("heading", level=3)
    expect(shown).to_have_count(1)
    expect(shown).to_contain_text(CLAUSE)
    expect(shown).to_contain_text("needs your answer")
    document.get_by_role("link", name=f"Discuss (2 open) {CLAUSE}", exact=True).click()
    provider.wait_for_url(clause_url)
    expect(provider.get_by_role("heading", level=2, name=re.compile(rf"^{CLAUSE}\b"))).to_contain_text(
        "needs your answer")

    # It reads the client's comment (the Polish and Hebrew exactly as typed) and the proposal ...
    comments = provider.locator("#comments .comment-body")
    expect(comments).to_have_count(1)
    assert comments.first.text_content() == COMMENT
    expect(provider.locator("#comments .comment .meta")).to_contain_text(f"{CLIENT_PERSON} (client)")
    for number in (1, 2):
        card = provider.locator(f"#proposal-{number}")
        expect(card).to_contain_text(f"{CLIENT_PERSON} (client)")
        expect(card.locator(".reason")).to_contain_text(REASON)

    # ... accepts both, and sends the draft to the other side.
    # The term first: the clause now says 3 years, and the wording is merged onto it exactly.
    for number, said in ((1, "Proposal 1 accepted."),
                         (2, "Proposal 2 accepted, merged with changes made since it was proposed.")):
        provider.get_by_role("button", name=f"Accept proposal {number}", exact=True).click()
        provider.wait_for_url(clause_url)
        expect(status(provider)).to_have_text(said)
    clause_text = provider.locator(".clause-text")
    expect(clause_text).to_contain_text(f"for {NEW_WORD} years after it ends. {ADDED}")
    assert clause_text.text_content() == proposed
    expect(provider.get_by_role("heading", level=2, name=re.compile(rf"^{CLAUSE}\b"))).not_to_contain_text(
        "needs your answer")
    assert provider.locator("#comments .comment-body").first.text_content() == COMMENT

    agreement_tab(provider, "Negotiation").click()
    provider.wait_for_url(f"{agreement_url}/negotiation")
    provider.get_by_label("Message to the other side (kept in the history)").fill("Przyjęliśmy propozycję 1.")
    provider.get_by_role("button", name="Send to the other side").click()
    provider.wait_for_url(f"{agreement_url}/negotiation")
    expect(status(provider)).to_have_text("Revision 2 sent. Waiting for the client.")

    # The redline between the last two revisions, chosen on the Revisions tab.
    agreement_tab(provider, "Revisions").click()
    provider.wait_for_url(f"{agreement_url}/revisions")
    provider.get_by_label("Compare revision").fill("1")
    provider.get_by_label("with", exact=True).fill("2")
    provider.get_by_role("button", name="Show redline").click()
    provider.wait_for_url(f"{agreement_url}/redline?from=1&to=2")
    expect(provider.get_by_text(re.compile(
        r"Revision 1 → 2:\s+1 changed, 0 added, 0 removed, 0 moved,\s+1 term changed, \d+ unchanged \(hidden\)\."
    ))).to_be_visible()

    redline = provider.locator("section.redline")
    changed = redline.locator(".redline-clause")
    expect(changed).to_have_count(1)  # the unchanged clauses are hidden
    expect(redline.locator("[data-status=unchanged]")).to_have_count(0)
    clause = redline.locator(f'[id="redline-{KEY}"]')
    expect(clause).to_have_attribute("data-status", "changed")
    expect(clause.get_by_role("heading", level=3)).to_contain_text(CLAUSE)
    expect(clause.locator("ins.ins")).to_have_text([NEW_WORD, ADDED])
    assert clause.locator("ins.ins").nth(1).text_content() == f" {ADDED}"
    expect(clause.locator("del.del")).to_have_text([OLD_WORD])
    expect(clause.locator(".attribution")).to_have_text(
        f"Proposal 1 by {CLIENT_PERSON} (client), accepted by {PROVIDER_PERSON}; "
        f"Proposal 2 by {CLIENT_PERSON} (client), accepted by {PROVIDER_PERSON}")

    # Asking for the unchanged clauses shows them too.
    provider.get_by_label("show unchanged clauses").check()
    provider.get_by_role("button", name="Compare").click()
    provider.wait_for_url(f"{agreement_url}/redline?from=1&to=2&show=all")
    expect(redline.locator("[data-status=unchanged]").first).to_be_visible()
    assert redline.locator(".redline-clause").count() > 1
    expect(redline.locator("[data-status=changed]")).to_have_count(1)
