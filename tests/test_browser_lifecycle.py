"""An executed agreement's life in a real headless Chromium, one browser context per person.

An agreement executed through the services (effective on 1 January last year, reviewed
quarterly) is picked up in the browser. The client's editor records a periodic review on the
"Timeline & reviews" tab: availability met, P1 response missed, one action. The provider's
owner then opens an amendment and, in the interview's Services step, raises the
availability target; as the agreement is shared this is a proposal, which the client's
editor accepts on the Negotiation tab. The owner marks the amended text ready to sign
(Interview › Review, where "Sign & export" points) and both signatories sign it. The executed versions then list the original and Amendment 1, the
redline between them shows the old and new target, and the amended revision's terms file
carries the new value and the change as a JSON Patch.
"""
from __future__ import annotations

import json
import re
from datetime import date, timedelta

import pytest
from conftest import PASSWORD
from test_browser import log_in_and_open
from playwright.sync_api import expect

from authoring.models import utcnow

pytestmark = pytest.mark.browser

TITLE = "Przegląd usług — שירות"  # as the `executed` fixture names it
OLD_AVAILABILITY, NEW_AVAILABILITY = "99.5", "99.9"  # the demo terms' target, and the amended one
REASON = "Availability must rise to 99.9 % — wymaga tego przegląd nr 1. זמינות גבוהה יותר."
ACTION = ("Publish a P1 runbook — plan działania P1", "Pia Signer")


def agreement_tab(page, name: str):
    return page.get_by_role("navigation", name="Agreement").get_by_role("link", name=name, exact=True)


def status(page):
    return page.get_by_role("status")


def open_tab(page, name: str, url: str) -> None:
    agreement_tab(page, name).click()
    page.wait_for_url(url)


def next_quarterly_review(effective: date, today: date) -> date:
    """The first review date strictly after today, counting quarters from the effective date."""
    months = 0
    while True:
        year, month = effective.year + (effective.month - 1 + months) // 12, (effective.month - 1 + months) % 12 + 1
        day = date(year, month, effective.day)
        if day > today:
            return day
        months += 3


def sign(page, base: str, email: str, agreement_id: int, full_name: str, title: str) -> str:
    url = log_in_and_open(page, base, email, TITLE, agreement_id)
    open_tab(page, "Sign & export", f"{url}/sign")
    shown_hash = page.get_by_test_id("signing-hash").inner_text()
    number = re.search(r"revision (\d+)", page.locator("#status strong").inner_text()).group(1)
    page.get_by_label("Your full name").fill(full_name)
    page.get_by_label("Your title", exact=True).fill(title)
    page.get_by_label("I agree to sign electronically").check()
    page.get_by_label("Your password (to confirm it is you)").fill(PASSWORD)
    page.get_by_role("button", name=f"Sign revision {number}", exact=True).click()
    page.wait_for_url(f"{url}/sign")
    return shown_hash


def test_a_review_leads_to_an_amendment_that_is_negotiated_signed_and_listed_as_a_version(
        live_server, new_page, executed, tmp_path):
    today = utcnow().date()
    effective = date(today.year - 1, 1, 1)
    agreement_id = executed(effective, "quarterly")
    base = live_server

    # 1. The client's editor finds the timeline and the next review date on "Timeline & reviews".
    client = new_page()
    agreement_url = log_in_and_open(client, base, "cedit@example.com", TITLE, agreement_id)
    reviews_url = f"{agreement_url}/reviews"
    open_tab(client, "Timeline & reviews", reviews_url)
    timeline = client.locator("section").filter(has=client.get_by_role("heading", name="Timeline", exact=True))
    expect(timeline.get_by_role("img")).to_have_count(1)
    expect(client.get_by_test_id("next-review")).to_contain_text(
        f"Next review due on {next_quarterly_review(effective, today).isoformat()}.")
    expect(client.get_by_role("heading", name="Amend the agreement")).to_have_count(0)  # an editor does not amend

    # 2. ... records a review held today: availability met, P1 response missed, one action.
    client.get_by_role("link", name="Record a review").click()
    client.wait_for_url(f"{reviews_url}/new")
    client.get_by_label("Held on").fill(today.isoformat())
    client.get_by_label("Provider's participants (one per line)").fill("Olivia Owner\nPia Signer")
    client.get_by_label("Client's participants (one per line)").fill("Cleo Editor\nCarl Signer")
    client.get_by_label("Achieved for Availability").fill("99.7")
    client.get_by_label("Achieved for P1 response").fill("2")
    client.get_by_label("Action 1", exact=True).fill(ACTION[0])
    client.get_by_label("Owner of action 1", exact=True).fill(ACTION[1])
    due = (today + timedelta(days=30)).isoformat()
    client.get_by_label("Due date of action 1", exact=True).fill(due)
    client.get_by_role("button", name="Record review").click()
    client.wait_for_url(f"{reviews_url}/1")
    expect(status(client)).to_contain_text("Review 1 recorded.")
    expect(client.get_by_role("heading", name=f"Review 1, held on {today.isoformat()}")).to_be_visible()
    results = client.get_by_test_id("results")
    availability = results.get_by_role("row").filter(has=client.get_by_role("cell", name="Availability", exact=True))
    p1_response = results.get_by_role("row").filter(has=client.get_by_role("cell", name="P1 response", exact=True))
    expect(availability.get_by_role("cell").last).to_have_text("met")
    expect(p1_response.get_by_role("cell").nth(2)).to_have_text("2 hours")
    expect(p1_response.get_by_role("cell").last).to_have_text("missed")
    expect(results.get_by_text("missed", exact=True)).to_have_count(1)  # only the figures typed in were judged
    action_row = client.get_by_role("row").filter(has_text=ACTION[0])
    expect(action_row.get_by_role("cell")).to_have_text([ACTION[0], ACTION[1], due])

    # 3. The provider's owner opens an amendment from "Timeline & reviews".
    owner = new_page()
    log_in_and_open(owner, base, "owner@example.com", TITLE, agreement_id)
    banner = "An amendment to the executed agreement is being negotiated"
    expect(owner.get_by_text(banner)).to_have_count(0)
    open_tab(owner, "Timeline & reviews", reviews_url)
    periodic = owner.locator("section").filter(has=owner.get_by_role("heading", name="Periodic reviews"))
    recorded = periodic.get_by_role("row").filter(has=owner.get_by_role("link", name="1", exact=True))
    expect(recorded.get_by_role("cell")).to_have_text(  # the review the client recorded: one figure of two met
        ["1", today.isoformat(), re.compile(r"\d{4}-\d{2}-\d{2}"), "1 of 2", "1", "Cleo Editor"])
    amend = owner.locator("section").filter(has=owner.get_by_role("heading", name="Amend the agreement"))
    amend.get_by_label("What must change, and why").fill(REASON)
    amend.get_by_role("button", name="Open an amendment").click()
    owner.wait_for_url(agreement_url)
    expect(status(owner)).to_have_text("Amendment 1 opened: propose the changes, then both sides sign it.")
    expect(owner.get_by_text(banner)).to_be_visible()
    expect(owner.locator(".agreement-head .badge")).to_have_text("negotiating")

    # 4. ... raises the availability target in the interview's Services step: a proposal to the client.
    agreement_tab(owner, "Interview").click()
    owner.get_by_role("navigation", name="Interview steps").get_by_role("link", name=re.compile(r"\bServices\b")).click()
    services_url = f"{agreement_url}/interview/services"
    owner.wait_for_url(services_url)
    expect(owner.get_by_text("The draft is shared: saving turns each answer you change into a proposal")).to_be_visible()
    availability_field = owner.get_by_label("Availability target (%)")
    expect(availability_field).to_have_value(OLD_AVAILABILITY)
    availability_field.fill(NEW_AVAILABILITY)
    owner.get_by_role("button", name="Save", exact=True).click()
    owner.wait_for_url(services_url)
    expect(status(owner)).to_have_text("Proposal 1 sent to the other side.")  # one answer changed, one proposal
    expect(owner.get_by_label("Availability target (%)")).to_have_value(OLD_AVAILABILITY)  # until it is accepted

    # 5. The client's editor accepts it on the Negotiation tab.
    open_tab(client, "Negotiation", f"{agreement_url}/negotiation")
    open_proposals = client.locator("section").filter(has=client.get_by_role("heading", name="Open proposals"))
    card = open_proposals.get_by_role("article")
    expect(card).to_have_count(1)
    change = card.get_by_role("row")
    expect(change.get_by_role("rowheader")).to_have_text("Availability target (%)")
    expect(change.locator("del")).to_have_text(OLD_AVAILABILITY)
    expect(change.locator("ins")).to_have_text(NEW_AVAILABILITY)
    card.get_by_role("button", name="Accept proposal 1", exact=True).click()
    client.wait_for_url(f"{agreement_url}/negotiation")
    expect(status(client)).to_have_text("Proposal 1 accepted.")
    expect(open_proposals.get_by_text("No open proposal.")).to_be_visible()

    # 6. The owner marks the amended text ready to sign: "Sign & export" says where (Interview › Review).
    open_tab(owner, "Sign & export", f"{agreement_url}/sign")
    expect(owner.get_by_text("Nobody can sign yet:")).to_be_visible()
    expect(owner.get_by_role("listitem").filter(has_text="An owner marks it ready to sign")).to_contain_text(
        "(Interview › Review)")
    agreement_tab(owner, "Interview").click()
    owner.get_by_role("navigation", name="Interview steps").get_by_role("link", name=re.compile(r"\bReview\b")).click()
    owner.wait_for_url(f"{agreement_url}/interview/review")
    expect(owner.get_by_role("heading", name="Step 9 of 9: Review")).to_be_visible()
    owner.get_by_role("button", name="Mark ready to sign").click()
    owner.wait_for_url(f"{agreement_url}/interview/review")
    expect(status(owner)).to_have_text("The agreement is ready to sign.")
    expect(owner.locator(".agreement-head .badge")).to_have_text("ready")

    # 7. Both signatories sign the amended text on "Sign & export".
    provider_signer = new_page()
    shown_hash = sign(provider_signer, base, "psign@example.com", agreement_id, "Pia Signer", "Service Director")
    expect(status(provider_signer)).to_contain_text("The other side's signatory has been asked to sign.")
    client_signer = new_page()
    assert sign(client_signer, base, "csign@example.com", agreement_id, "Carl Signer", "Head of IT") == shown_hash
    expect(status(client_signer)).to_contain_text("Both sides have signed revision")
    expect(client_signer.locator(".agreement-head .badge")).to_have_text("executed")
    expect(client_signer.get_by_text(banner)).to_have_count(0)

    # 8. "Timeline & reviews" lists the original and Amendment 1; the redline shows the change.
    open_tab(client_signer, "Timeline & reviews", reviews_url)
    versions = client_signer.get_by_test_id("versions")
    expect(versions.get_by_role("rowheader")).to_have_text(["Original", "Amendment 1"])
    amended_row = versions.get_by_role("row").filter(has=client_signer.get_by_role("rowheader", name="Amendment 1"))
    expect(amended_row).to_contain_text(today.isoformat())  # effective from the day it was signed
    amended_row.get_by_role("link", name="redline against original").click()
    client_signer.wait_for_url(re.compile(rf"{re.escape(agreement_url)}/redline\?from=\d+&to=\d+$"))
    terms = client_signer.locator("section").filter(has=client_signer.get_by_role("heading", name="Terms changed"))
    term_row = terms.get_by_role("row").filter(has=client_signer.get_by_role("rowheader", name="Availability target (%)"))
    expect(term_row.locator("del")).to_have_text(f"{OLD_AVAILABILITY}%")  # a percent as the agreement writes it
    expect(term_row.locator("ins")).to_have_text(f"{NEW_AVAILABILITY}%")

    # The amended revision's terms file carries the new target and the change as a JSON Patch.
    client_signer.go_back()
    client_signer.wait_for_url(reviews_url)
    with client_signer.expect_download() as download_info:
        amended_row.get_by_role("link", name="terms.json").click()
    path = tmp_path / download_info.value.suggested_filename
    download_info.value.save_as(path)
    data = json.loads(path.read_text(encoding="utf-8"))
    assert data["terms"]["services"]["availability_percent"] == NEW_AVAILABILITY
    [amendment] = data["amendments"]
    assert (amendment["number"], amendment["reason"]) == (1, REASON)
    assert {"op": "replace", "path": "/services/availability_percent", "value": NEW_AVAILABILITY} in amendment["terms_patch"]
