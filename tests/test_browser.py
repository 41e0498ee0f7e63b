"""End to end in a real headless Chromium (Playwright, sync API) against the app served over HTTP.

The browser fixtures (browser, live_server, new_page) live in conftest.py. With UPDATE_SCREENSHOTS=1,
test_register_create_agreement_and_log_out also rewrites static/screenshots/*.png.
"""
from __future__ import annotations

import os
from pathlib import Path

import pytest
from conftest import PASSWORD


pytestmark = pytest.mark.browser

SCREENSHOTS = Path(__file__).resolve().parent.parent / "static" / "screenshots"
TITLE = "Umowa serwisowa — Łódź"


# Helpers ----------------------------------------------------------------------------

def log_in_and_open(page, base: str, email: str, title: str, agreement_id: int) -> str:
    """Log in through the form and open the agreement `title` from the dashboard; returns its URL."""
    page.goto(f"{base}/login")
    page.get_by_label("E-mail address").fill(email)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(f"{base}/agreements")
    page.get_by_role("link", name=title, exact=True).click()
    url = f"{base}/agreements/{agreement_id}"
    page.wait_for_url(url)
    return url


def fill_registration(page, name: str, email: str, password: str = PASSWORD) -> None:
    """Fill and send the register form the page is showing."""
    page.get_by_label("Full name").fill(name)
    page.get_by_label("E-mail address").fill(email)
    page.get_by_label("Password", exact=True).fill(password)
    page.get_by_label("Repeat password").fill(password)
    page.get_by_role("button", name="Create account").click()


def confirm_address(page, base, email: str) -> None:
    """After registering: open the link e-mailed to `email` (read from the outbox) and confirm, which logs in."""
    page.wait_for_url(f"{base}/register/check-inbox")
    page.get_by_role("heading", name="Check your inbox to confirm your address").wait_for()
    page.goto(base.confirmation_link(email))
    page.get_by_role("button", name="Confirm my address").click()


def register_here(page, base, name: str, email: str) -> None:
    """Fill the register form the page is showing, then confirm the address from the e-mail."""
    fill_registration(page, name, email)
    confirm_address(page, base, email)


def register(page, base, name: str, email: str) -> None:
    page.goto(f"{base}/register")
    register_here(page, base, name, email)
    page.wait_for_url(f"{base}/agreements")
    page.get_by_role("heading", name="Your agreements").wait_for()


def create_agreement(page, base: str, title: str = TITLE, language: str = "pl") -> str:
    """Create an agreement (in Polish unless told) through the header link; returns its page's URL."""
    page.get_by_role("navigation", name="Main").get_by_role("link", name="New agreement").click()
    page.wait_for_url(f"{base}/agreements/new")
    page.get_by_label("Title").fill(title)
    page.get_by_label("Language").select_option(language)
    page.get_by_label("Provider organisation").fill("Serwis IT Sp. z o.o.")
    page.get_by_label("Client organisation").fill("Zakład Łódzki S.A.")
    page.get_by_role("button", name="Create agreement").click()
    page.wait_for_url(f"{base}/agreements/*")
    assert page.get_by_role("heading", level=1).inner_text() == title
    return page.url


def dashboard_row(page, title: str):
    page.get_by_role("heading", name="Your agreements").wait_for()
    return page.get_by_role("row").filter(has=page.get_by_role("link", name=title, exact=True))


def cells(row) -> list[str]:
    """A table row's cell texts as in the HTML (CSS may upper-case badges on screen)."""
    return [text.strip() for text in row.get_by_role("cell").all_text_contents()]


# Tests ------------------------------------------------------------------------------

def test_register_create_agreement_and_log_out(live_server, new_page):
    base, page = live_server, new_page()
    register(page, base, "Ana Kowalska", "ana@example.com")
    assert page.get_by_role("status").inner_text() == (
        "Thank you, Ana Kowalska: your e-mail address is confirmed and you are logged in.")

    agreement_url = create_agreement(page, base)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Agreements").click()
    page.wait_for_url(f"{base}/agreements")
    row = dashboard_row(page, TITLE)
    assert row.count() == 1
    assert row.get_by_role("link").inner_text() == TITLE
    assert cells(row)[1:5] == ["Zakład Łódzki S.A.", "draft", "provider", "owner"]

    if os.environ.get("UPDATE_SCREENSHOTS") == "1":
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / "dashboard.png"))
        page.goto(agreement_url)
        page.get_by_role("heading", name=TITLE, level=1).wait_for()
        page.screenshot(path=str(SCREENSHOTS / "agreement.png"))

    page.locator("details.account-menu summary").filter(has_text="Ana Kowalska").click()
    page.get_by_role("button", name="Log out").click()
    page.wait_for_url(f"{base}/login")
    page.get_by_role("heading", name="Log in").wait_for()
    assert page.get_by_role("status").inner_text() == "You are logged out."
    page.goto(f"{base}/agreements")
    assert page.url.startswith(f"{base}/login")


def test_invitation_link_brings_a_new_account_into_the_agreement(live_server, new_page):
    base, owner = live_server, new_page()
    register(owner, base, "Ana Kowalska", "ana@example.com")
    agreement_url = create_agreement(owner, base)
    owner.get_by_role("navigation", name="Agreement").get_by_role("link", name="Members").click()
    owner.wait_for_url(f"{agreement_url}/members")
    invite = owner.locator("#invite")
    # Each side governs itself: the provider's owner invites the client's first owner.
    invite.get_by_label("Side").select_option(label="Client side — its first owner only")
    invite.get_by_label("Role").select_option("owner")
    invite.get_by_role("button", name="Create invitation link").click()
    owner.get_by_role("heading", name="Invitation link created").wait_for()
    link = owner.locator("#invite-link").input_value()
    assert link.startswith(f"{base}/invitations/")

    guest = new_page()  # another context: no cookies shared with the owner
    guest.goto(link)
    guest.get_by_role("heading", name="You are invited").wait_for()
    assert TITLE in guest.locator("main").inner_text()
    guest.get_by_role("link", name="Create an account").click()
    guest.wait_for_url(lambda url: url.startswith(f"{base}/register?next="))
    register_here(guest, base, "Jan Nowak", "jan@example.com")
    guest.wait_for_url(link)
    guest.get_by_role("button", name="Accept invitation").click()
    guest.wait_for_url(agreement_url)
    assert guest.get_by_role("heading", level=1).inner_text() == TITLE
    assert "as owner on the client side" in guest.get_by_role("status").inner_text()

    guest.goto(f"{base}/agreements")
    row = dashboard_row(guest, TITLE)
    assert row.count() == 1
    assert cells(row)[1:5] == ["Serwis IT Sp. z o.o.", "draft", "client", "owner"]

    guest.goto(link)
    assert "This invitation has already been used." in guest.get_by_role("alert").inner_text()
    assert guest.get_by_role("button", name="Accept invitation").count() == 0
