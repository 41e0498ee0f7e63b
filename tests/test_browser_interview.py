"""The guided interview end to end in a real headless Chromium, the way people use it.

A provider owner creates an English agreement and invites the client's first owner, who fills
in the client's own details; the owner then walks all nine steps with "Save and continue →",
adding rows with "Add a row", until every step shows "✓ complete" and the review step shows
the assembled agreement with its tables and passing health checks. A second test types bad
numbers and checks that the reasons appear by the fields while nothing typed is lost.

Pages are driven through labels and roles only. With UPDATE_SCREENSHOTS=1 the first test
also rewrites static/screenshots/interview.png and static/screenshots/review.png.
"""
from __future__ import annotations

import os
import re

import pytest
from playwright.sync_api import expect
from test_browser import SCREENSHOTS, register, register_here

pytestmark = pytest.mark.browser

TITLE = "Managed IT support 2027"
STEPS = ["Background", "Services", "Timelines", "Costs", "Client responsibilities", "Escalation", "Sanctions",
         "Change control and review", "Review"]
STEP_KEYS = ["background", "services", "timelines", "costs", "client", "escalation", "sanctions", "change", "review"]
STAGES = ["Negotiation", "Delivery", "Billing", "Escalation"]

PROVIDER = {"Legal name": "Northwind IT Services Ltd.", "Registered address": "1 Harbour Street, Gdańsk, Poland",
            "Registration number": "KRS 0000123456", "Who signs (name)": "Maria Santos",
            "Signatory's title": "Managing Director"}
PROVIDER_CONTACTS = {"Negotiation": ("Maria Santos", "maria@northwind.example"),
                     "Delivery": ("Piotr Zieliński", "piotr@northwind.example"),
                     "Billing": ("Ewa Wiśniewska", "billing@northwind.example"),
                     "Escalation": ("Tomasz Nowak", "tomasz@northwind.example")}
CLIENT = {"Legal name": "Harbour Logistics S.A.", "Registered address": "Portowa 7, 81-300 Gdynia, Poland",
          "Registration number": "KRS 0000654321", "Who signs (name)": "Jan Kowalski", "Signatory's title": "CEO"}
CLIENT_CONTACTS = {"Negotiation": ("Jan Kowalski", "jan@harbour.example"),
                   "Delivery": ("Anna Lewandowska", "it@harbour.example"),
                   "Billing": ("Karol Wójcik", "ap@harbour.example"),
                   "Escalation": ("Jan Kowalski", "jan@harbour.example")}


# Helpers ----------------------------------------------------------------------------

def create_agreement_in(page, base: str, *, title: str, language: str, provider: str, client: str) -> str:
    """Create an agreement through the header link in the given language; returns its page's URL."""
    page.get_by_role("navigation", name="Main").get_by_role("link", name="New agreement").click()
    page.wait_for_url(f"{base}/agreements/new")
    page.get_by_label("Title").fill(title)
    page.get_by_label("Language").select_option(language)
    page.get_by_label("Provider organisation").fill(provider)
    page.get_by_label("Client organisation").fill(client)
    page.get_by_role("button", name="Create agreement").click()
    page.wait_for_url(re.compile(rf"^{re.escape(base)}/agreements/\d+$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(title)
    return page.url


def open_interview(page, agreement_url: str, step_key: str) -> None:
    """The Interview tab resumes at the first unfinished step."""
    page.get_by_role("navigation", name="Agreement").get_by_role("link", name="Interview").click()
    page.wait_for_url(f"{agreement_url}/interview/{step_key}")


def on_step(page, number: int) -> None:
    expect(page.get_by_role("heading", level=2, name=f"Step {number} of 9: {STEPS[number - 1]}")).to_be_visible()


def progress(page) -> dict[str, str]:
    """Each step's title -> '✓ complete' or 'incomplete', as the progress navigation shows it."""
    nav = page.get_by_role("navigation", name="Interview steps")
    states = {}
    for text in nav.get_by_role("link").all_inner_texts():
        match = re.fullmatch(r"(\d+)\s+(.+?)\s+(✓ complete|incomplete)", " ".join(text.split()))
        assert match, text
        states[match.group(2)] = match.group(3)
    return states


def save_and_continue(page, agreement_url: str, number: int) -> None:
    """Press "Save and continue →" on step `number`; land on the next step with this one complete."""
    page.get_by_role("button", name="Save and continue →").click()
    page.wait_for_url(f"{agreement_url}/interview/{STEP_KEYS[number]}")
    expect(page.get_by_role("status")).to_have_text(f"“{STEPS[number - 1]}” saved.")
    on_step(page, number + 1)
    assert progress(page)[STEPS[number - 1]] == "✓ complete", f"step {number} is still incomplete"


def add_row(page, rows: str):
    """Press "Add a row" under the list `rows`; returns the new row (a group named after its list)."""
    existing = page.get_by_role("group", name=rows, exact=True).get_by_role("group").count()
    page.evaluate("window.notReloaded = true")  # a page load would forget it
    page.get_by_role("button", name=f"Add a row to {rows}").click()
    row = page.get_by_role("group", name=f"{rows}, row {existing + 1}", exact=True)
    expect(row).to_be_visible()
    # Added in place by static/app.js, with the focus on its first field.
    assert page.evaluate("window.notReloaded === true"), "adding a row reloaded the page"
    expect(row.locator("input, select, textarea").first).to_be_focused()
    assert page.evaluate("(ids => new Set(ids).size === ids.length)([...document.querySelectorAll('[id]')].map(e => e.id))")
    expect(page.get_by_role("status")).to_have_text("Not saved yet: save the step to keep your changes.")
    return row


def fill(scope, answers: dict[str, str]) -> None:
    """Type answers into the text fields labelled by the keys."""
    for label, value in answers.items():
        scope.get_by_label(label, exact=True).fill(value)


def fill_own_party(page, party: dict[str, str], contacts: dict[str, tuple[str, str]]) -> None:
    organisation = page.get_by_role("group", name="Your organisation", exact=True)
    fill(organisation, party)
    stages = organisation.get_by_role("group", name="Contacts per stage", exact=True)
    for stage, (name, email) in contacts.items():
        contact = stages.get_by_role("group", name=stage, exact=True)
        fill(contact, {"Name": name, "E-mail": email})


def table(document, caption: str) -> list[list[str]]:
    """A table of the assembled agreement (found by its caption) as its body rows' cell texts."""
    grid = document.get_by_role("table", name=caption, exact=True)
    expect(grid).to_be_visible()
    rows = [row.get_by_role("cell").all_inner_texts() for row in grid.get_by_role("row").all()]
    return [[" ".join(cell.split()) for cell in row] for row in rows if row]


def invite_client_editor(owner, guest, base: str, agreement_url: str) -> None:
    """The owner invites the client's first owner (each side then invites its own people); the guest
    registers and accepts it."""
    owner.get_by_role("navigation", name="Agreement").get_by_role("link", name="Members").click()
    owner.wait_for_url(f"{agreement_url}/members")
    invite = owner.locator("section").filter(has=owner.get_by_role("heading", name="Invite someone"))
    invite.get_by_label("Side").select_option(label="Client side — its first owner only")
    invite.get_by_label("Role").select_option("owner")
    invite.get_by_role("button", name="Create invitation link").click()
    owner.get_by_role("heading", name="Invitation link created").wait_for()
    link = owner.get_by_label("Invitation link").input_value()

    guest.goto(link)
    guest.get_by_role("link", name="Create an account").click()
    guest.wait_for_url(lambda url: url.startswith(f"{base}/register?next="))
    register_here(guest, base, "Jan Kowalski", "jan@harbour.example")
    guest.wait_for_url(link)
    guest.get_by_role("button", name="Accept invitation").click()
    guest.wait_for_url(agreement_url)
    expect(guest.get_by_role("status")).to_contain_text("as owner on the client side")


# Tests ------------------------------------------------------------------------------

def test_walking_all_nine_steps_assembles_a_complete_healthy_agreement(live_server, new_page):
    base, owner = live_server, new_page()
    screenshots = os.environ.get("UPDATE_SCREENSHOTS") == "1"
    register(owner, base, "Maria Santos", "maria@northwind.example")
    agreement_url = create_agreement_in(owner, base, title=TITLE, language="en",
                                        provider="Northwind IT", client="Harbour Logistics")

    # The client's own details can only come from the client side: the invited client owner fills them.
    client = new_page()
    invite_client_editor(owner, client, base, agreement_url)
    open_interview(client, agreement_url, "background")
    on_step(client, 1)
    fill_own_party(client, CLIENT, CLIENT_CONTACTS)
    client.get_by_role("button", name="Save", exact=True).click()
    expect(client.get_by_role("status")).to_have_text("“Background” saved.")
    expect(client.get_by_label("Legal name", exact=True)).to_have_value(CLIENT["Legal name"])
    # The provider drafts every other step; the client can read them but not change them.
    client.get_by_role("navigation", name="Interview steps").get_by_role("link", name=re.compile("Services")).click()
    on_step(client, 2)
    expect(client.get_by_role("button", name="Save and continue →")).to_have_count(0)
    expect(client.get_by_role("link", name="Timelines →")).to_be_visible()

    # 1. Background: the provider's party and the shared objectives.
    open_interview(owner, agreement_url, "background")
    on_step(owner, 1)
    assert set(progress(owner).values()) == {"incomplete"}
    details = owner.get_by_role("region", name="The client's details (filled in by the client side)")
    expect(details).to_contain_text(CLIENT["Registered address"])
    terms = details.get_by_role("term").all_inner_texts()
    assert [t for t in terms if t.endswith(" contact")] == [f"{stage} contact" for stage in STAGES]
    fill_own_party(owner, PROVIDER, PROVIDER_CONTACTS)
    background = owner.get_by_role("group", name="Background", exact=True)
    background.get_by_label("Objectives: what the client wants to achieve").fill(
        "Keep the warehouse systems running around the clock.")
    background.get_by_label("The problem or context").fill("The in-house team cannot cover nights and weekends.")
    save_and_continue(owner, agreement_url, 1)

    # 2. Services: one service, one priority (response within resolution), availability and hours.
    row = add_row(owner, "Service catalogue")
    fill(row, {"Code": "S1", "Service": "Service desk", "Description": "First-line support by phone and e-mail",
               "Unit": "month", "Included quantity": "1"})
    row = add_row(owner, "Priority levels and service levels")
    fill(row, {"Priority": "P1", "Definition": "Service down for all users", "Response (hours)": "1",
               "Restore / resolve (hours)": "4"})
    # Rows added so far are still there, with what was typed in them.
    expect(owner.get_by_role("group", name="Service catalogue, row 1").get_by_label("Service", exact=True)
           ).to_have_value("Service desk")
    owner.get_by_label("Availability target (%)").fill("99.5")
    owner.get_by_label("Measured over").select_option(label="A calendar month")
    for day in ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday"):
        owner.get_by_role("checkbox", name=day, exact=True).check()
    owner.get_by_label("Opens at").fill("08:00")
    owner.get_by_label("Closes at").fill("18:00")
    owner.get_by_label("Closed on the public holidays of").select_option(label="Poland")
    owner.get_by_label("Time zone").fill("Europe/Warsaw")
    owner.get_by_role("button", name="Save", exact=True).click()
    owner.wait_for_url(f"{agreement_url}/interview/services")
    expect(owner.get_by_role("status")).to_have_text("“Services” saved.")
    assert progress(owner)["Services"] == "✓ complete"
    if screenshots:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        owner.screenshot(path=str(SCREENSHOTS / "interview.png"))
    save_and_continue(owner, agreement_url, 2)

    # 3. Timelines: the term, renewal and a milestone the client accepts.
    owner.get_by_label("Effective date").fill("2027-01-01")
    owner.get_by_label("End date").fill("2028-12-31")
    owner.get_by_label("Renews automatically unless a Party gives notice").check()
    owner.get_by_label("Each renewal lasts (months)").fill("12")
    owner.get_by_label("Notice to stop renewal (days)").fill("90")
    row = add_row(owner, "Milestones")
    fill(row, {"Milestone": "Go-live", "Deliverable": "Monitoring in production", "Due date": "2027-03-01",
               "Acceptance period (business days)": "10"})
    row.get_by_label("Accepted by").select_option(label="Client")
    expect(owner.get_by_label("Renews automatically unless a Party gives notice")).to_be_checked()
    save_and_continue(owner, agreement_url, 3)

    # 4. Costs: EUR, a fixed price paid 50% on signing and 50% on completion, and a rate card.
    owner.get_by_label("Currency (ISO code, e.g. EUR)").fill("eur")
    owner.get_by_label("Pricing model").select_option(label="Fixed price")
    owner.get_by_label("Contract value").fill("96000")
    row = add_row(owner, "Rate card")
    fill(row, {"Task code": "T1", "Description": "On-site visit", "Unit": "hour", "Price": "85",
               "Out-of-hours multiplier": "1.5"})
    for label, trigger in (("Deposit", "On signing"), ("Balance", "On completion")):
        row = add_row(owner, "Payment schedule")
        fill(row, {"Instalment": label, "% of the contract value": "50"})
        row.get_by_label("Due", exact=True).select_option(label=trigger)
    owner.get_by_label("Invoicing", exact=True).select_option(label="As the payment schedule falls due")
    owner.get_by_label("Invoices due within (days)").fill("30")
    owner.get_by_label("Late-payment interest (% a year)").fill("8")
    save_and_continue(owner, agreement_url, 4)

    # 5. Client responsibilities; Enter in a field saves the step and stays on it.
    owner.get_by_label("Feedback and approvals within (business days)").fill("5")
    owner.get_by_label("Access to systems and data by").fill("2026-12-15")
    owner.get_by_label("The client's point of contact").fill("Anna Lewandowska, IT manager")
    owner.get_by_label("Subject-matter experts available (hours a week)").fill("4")
    owner.get_by_label("Subject-matter experts available (hours a week)").press("Enter")
    expect(owner.get_by_role("status")).to_have_text("“Client responsibilities” saved.")
    assert owner.url == f"{agreement_url}/interview/client"
    expect(owner.get_by_label("The client's point of contact")).to_have_value("Anna Lewandowska, IT manager")
    save_and_continue(owner, agreement_url, 5)

    # 6. Escalation: one level, then negotiation, mediation and the courts.
    row = add_row(owner, "Escalation levels")
    fill(row, {"Level": "Service managers", "Trigger": "A P1 incident is not restored within target",
               "Provider contact": "Piotr Zieliński", "Client contact": "Anna Lewandowska", "Response (hours)": "4"})
    owner.get_by_label("Negotiate in good faith for (days)").fill("30")
    owner.get_by_label("Then mediation").check()
    owner.get_by_role("combobox", name="Then", exact=True).select_option(label="The courts")
    owner.get_by_role("textbox", name="Governing law", exact=True).fill("The laws of Poland")
    owner.get_by_label("Seat or venue").fill("Gdańsk")
    save_and_continue(owner, agreement_url, 6)

    # 7. Sanctions: a credit for the priority, within the credit cap, within the liability cap.
    row = add_row(owner, "Service credits")
    fill(row, {"Service level (priority)": "P1", "Met in at least (%)": "95", "Credit (% of the monthly fee)": "10"})
    owner.get_by_label("Credits capped at (% of the monthly fee)").fill("20")
    owner.get_by_label("Cure period (days)").fill("30")
    owner.get_by_label("Liability cap (% of a year's fees)").fill("100")
    owner.get_by_label("Termination notice (days)").fill("90")
    save_and_continue(owner, agreement_url, 7)

    # 8. Change control and periodic review.
    owner.get_by_label("Who may request a change").select_option(label="Either Party")
    owner.get_by_label("Impact assessment within (business days)").fill("5")
    owner.get_by_label("Periodic review", exact=True).select_option(label="Quarterly")
    owner.get_by_label("What service performance is reported").fill("Availability, response and resolution times.")
    owner.get_by_label("Reports", exact=True).select_option(label="Monthly")
    owner.get_by_label("Renewal review before the end date (days)").fill("90")
    save_and_continue(owner, agreement_url, 8)

    # 9. Review: every step complete, every health check passing, the agreement assembled.
    assert progress(owner) == dict.fromkeys(STEPS, "✓ complete")
    expect(owner.get_by_role("navigation", name="Interview steps")).to_contain_text("9 of 9 steps complete")
    expect(owner.get_by_role("heading", name="Health checks")).to_be_visible()
    expect(owner.get_by_text("✓ Every health check passes.")).to_be_visible()
    document = owner.get_by_role("article")
    title_block = document.locator("header").first
    expect(title_block).to_contain_text(TITLE)
    expect(title_block).to_contain_text(PROVIDER["Legal name"])
    expect(title_block).to_contain_text(CLIENT["Legal name"])
    headings = [" ".join(h.split()) for h in document.get_by_role("heading", level=2).all_inner_texts()]
    numbered = [h for h in headings if re.match(r"\d+\. ", h)]
    assert len(numbered) >= 8, headings
    assert [int(h.split(".")[0]) for h in numbered] == list(range(1, len(numbered) + 1)), headings

    assert table(document, "Service levels") == [["P1", "Service down for all users", "1 hour", "4 hours"]]
    assert table(document, "Payment schedule") == [["Deposit", "50%", "on signing"],
                                                   ["Balance", "50%", "on completion"]]
    assert table(document, "Rate card") == [["T1", "On-site visit", "hour", "€85.00", "× 1.5"]]
    assert table(document, "Milestones") == [["Go-live", "Monitoring in production", "1 March 2027",
                                              "10 business days, the Client"]]
    assert table(document, "Service credits") == [["P1", "95%", "10%"]]
    expect(document).to_contain_text("€96,000.00")
    if screenshots:
        owner.screenshot(path=str(SCREENSHOTS / "review.png"))

    owner.get_by_role("button", name="Mark ready to sign").click()
    expect(owner.get_by_role("status")).to_have_text("The agreement is ready to sign.")
    expect(owner.get_by_text("This agreement is ready to sign.")).to_be_visible()


def test_bad_numbers_are_explained_by_their_fields_and_nothing_typed_is_lost(live_server, new_page):
    base, page = live_server, new_page()
    register(page, base, "Maria Santos", "maria@northwind.example")
    agreement_url = create_agreement_in(page, base, title=TITLE, language="en",
                                        provider="Northwind IT", client="Harbour Logistics")
    open_interview(page, agreement_url, "background")
    page.get_by_role("navigation", name="Interview steps").get_by_role("link", name=re.compile("Costs")).click()
    page.wait_for_url(f"{agreement_url}/interview/costs")
    on_step(page, 4)

    currency = page.get_by_label("Currency (ISO code, e.g. EUR)", exact=True)
    value = page.get_by_label("Contract value", exact=True)
    interest = page.get_by_label("Late-payment interest (% a year)", exact=True)
    due = page.get_by_label("Invoices due within (days)", exact=True)
    currency.fill("EUR")
    page.get_by_label("Pricing model", exact=True).select_option(label="Fixed price")
    value.click()
    page.keyboard.type("-5")
    interest.click()
    page.keyboard.type("abc")
    due.fill("30")
    row = add_row(page, "Payment schedule")  # re-shows the form without checking or saving it
    expect(interest).to_have_value("abc")
    fill(row, {"Instalment": "Deposit", "% of the contract value": "50"})
    row.get_by_label("Due", exact=True).select_option(label="On signing")
    page.get_by_role("button", name="Save", exact=True).click()

    expect(page.get_by_role("alert")).to_have_text(
        "Some answers need correcting; see the messages by the fields. Nothing was saved.")
    expect(value).to_have_value("-5")
    # The hint (how the agreement's language writes numbers), then the reason.
    expect(value).to_have_accessible_description("e.g. 250,000.50 Cannot be negative.")
    expect(value).to_have_attribute("aria-invalid", "true")
    expect(interest).to_have_value("abc")
    expect(interest).to_have_accessible_description("e.g. 99.5 Enter a number, e.g. 99.5.")
    expect(currency).to_have_value("EUR")
    expect(currency).to_have_accessible_description("")
    expect(page.get_by_label("Pricing model", exact=True)).to_have_value("fixed")
    expect(due).to_have_value("30")
    expect(due).to_have_accessible_description("")
    row = page.get_by_role("group", name="Payment schedule, row 1", exact=True)
    expect(row.get_by_label("Instalment", exact=True)).to_have_value("Deposit")
    expect(row.get_by_label("% of the contract value", exact=True)).to_have_value("50")
    expect(row.get_by_label("Due", exact=True)).to_have_value("signing")

    # Nothing was saved: opening the step afresh shows it empty.
    page.get_by_role("navigation", name="Interview steps").get_by_role("link", name=re.compile("Costs")).click()
    page.wait_for_url(f"{agreement_url}/interview/costs")
    expect(page.get_by_label("Currency (ISO code, e.g. EUR)", exact=True)).to_have_value("")
    expect(page.get_by_role("group", name="Payment schedule", exact=True)).to_contain_text("No rows yet.")
    assert progress(page)["Costs"] == "incomplete"
