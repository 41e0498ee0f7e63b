"""A negotiation round with the interface in Hebrew, in a real headless Chromium, screenshotted.

A Hebrew agreement is set up and shared through the services. The client's owner, whose
browser asks for Hebrew, proposes a Hebrew sentence naming an English company on the
confidentiality clause and sends the round back; the provider's owner, who chose Hebrew on
the account, accepts it and sends the draft on; the redline then shows the inserted words.
Every page is right-to-left and speaks Hebrew (labels are looked up in the Hebrew catalogue,
so a missing translation fails here too); the English name inside the Hebrew sentence keeps
its own direction. Screenshots go to test-artifacts/hebrew/ (look at them); with UPDATE_SCREENSHOTS=1
they also go to static/screenshots/ for the README.
"""
from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from babel.support import Translations
from conftest import PASSWORD
from playwright.sync_api import expect
from sqlalchemy import select

from authoring.demo_terms import demo_terms
from authoring.extensions import db
from authoring.interview.services import set_terms
from authoring.models import Agreement, Membership, User
from authoring.negotiation.services import share

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parent.parent
SHOTS = ROOT / "test-artifacts" / "hebrew"
TITLE = "שירותי תמיכה לגלובקס"
KEY = "general.confidentiality"
ADDED = "הלקוח רשאי לשתף מידע סודי עם Acme Audit Ltd. לצורך ביקורת בלבד."
REASON = "המבקר החיצוני שלנו צריך גישה."


@pytest.fixture
def hebrew(live_server):
    """gettext in Hebrew from the catalogue the app compiled, tags removed (what a screen reader names)."""
    folder = Path(live_server.app.config["BABEL_TRANSLATION_DIRECTORIES"])
    catalogue = Translations.load(str(folder), ["he"])

    def he(msgid: str, **values) -> str:
        text = catalogue.gettext(msgid)
        assert text != msgid or not re.search("[A-Za-z]", msgid), f"no Hebrew for {msgid!r}"
        return re.sub(r"<[^>]+>", "", text % values if values else text)

    return he


@pytest.fixture
def shared_hebrew_agreement(app, make_user, make_agreement, add_member) -> int:
    provider = make_user("provider@example.com", name="Dana Cohen")
    client = make_user("client@example.com", name="Yossi Levi")
    agreement_id = make_agreement(provider, title=TITLE, language="he")
    add_member(agreement_id, client, "client", "owner")
    with app.test_request_context(method="POST"):
        db.session.get(User, provider.id).language = "he"  # chosen on the account; the client's browser asks
        agreement, user = db.session.get(Agreement, agreement_id), db.session.get(User, provider.id)
        set_terms(agreement, user, demo_terms("he", TITLE), "test")
        share(agreement, user, db.session.scalar(select(Membership).filter_by(agreement_id=agreement_id, user_id=user.id)),
              "טיוטה לעיונכם")
    return agreement_id


def log_in(page, base: str, email: str, he) -> None:
    page.goto(f"{base}/login")
    page.get_by_label(he("E-mail address")).fill(email)
    page.get_by_label(he("Password"), exact=True).fill(PASSWORD)
    page.get_by_role("button", name=he("Log in")).click()
    page.wait_for_url(f"{base}/agreements")


def right_to_left_in_hebrew(page) -> None:
    html = page.locator("html")
    expect(html).to_have_attribute("lang", "he")
    expect(html).to_have_attribute("dir", "rtl")


def shot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)
    if os.environ.get("UPDATE_SCREENSHOTS") == "1":  # the README's picture of a Hebrew page
        page.screenshot(path=str(ROOT / "static" / "screenshots" / f"hebrew-{name.split('-', 1)[1]}.png"))


def test_a_round_in_hebrew_from_proposal_to_redline(live_server, browser, hebrew, shared_hebrew_agreement):
    base, he = live_server, hebrew
    agreement_url = f"{base}/agreements/{shared_hebrew_agreement}"
    clause_url = f"{agreement_url}/clauses/{KEY}"
    client = browser.new_context(locale="he-IL", viewport={"width": 1280, "height": 900}).new_page()
    provider = browser.new_context(locale="en-GB", viewport={"width": 1280, "height": 900}).new_page()

    # The client proposes a sentence and sends the round back.
    log_in(client, base, "client@example.com", he)
    right_to_left_in_hebrew(client)
    client.goto(clause_url)
    right_to_left_in_hebrew(client)
    client.get_by_role("link", name=he("Propose a change")).click()
    client.wait_for_url(f"{clause_url}/edit")
    text_box = client.get_by_label(he("Clause text"))
    original = text_box.input_value()
    assert re.search("[\u0590-\u05ff]", original) and not re.search("[A-Za-z]{3,}", original), "the clause is Hebrew"
    text_box.fill(original + " " + ADDED)
    client.get_by_label(he("Why (shown to the other side; optional)")).fill(REASON)
    client.get_by_role("button", name=he("Propose this text")).click()
    client.wait_for_url(clause_url)
    card = client.locator(".proposal").filter(has=client.locator("ins"))
    expect(card.locator("ins")).to_contain_text("Acme Audit Ltd.")
    shot(client, "1-client-proposal")
    client.goto(f"{agreement_url}/negotiation")
    client.get_by_label(he("Message to the other side (kept in the history)")).fill("ההערות שלנו לסעיף הסודיות.")
    client.get_by_role("button", name=he("Send to the other side")).click()
    client.wait_for_url(f"{agreement_url}/negotiation")

    # The provider, whose account says Hebrew though the browser asks for English, accepts and sends on.
    log_in(provider, base, "provider@example.com", lambda msgid: msgid)  # before logging in: the browser's English
    provider.goto(clause_url)
    right_to_left_in_hebrew(provider)
    provider.locator(".proposal-actions form").first.get_by_role("button").click()
    provider.wait_for_url(clause_url)
    expect(provider.get_by_role("status")).to_contain_text(re.compile("[\u0590-\u05ff]"))
    provider.goto(f"{agreement_url}/negotiation")
    provider.get_by_label(he("Message to the other side (kept in the history)")).fill("התוספת התקבלה.")
    provider.get_by_role("button", name=he("Send to the other side")).click()
    provider.wait_for_url(f"{agreement_url}/negotiation")

    # The redline between the shared draft and the provider's answer shows the inserted Hebrew sentence.
    provider.goto(f"{agreement_url}/revisions")
    newest = max(int(n) for n in re.findall(r"/revisions/(\d+)", provider.content()))
    provider.goto(f"{agreement_url}/redline?from=1&to={newest}")
    right_to_left_in_hebrew(provider)
    inserted = provider.locator("ins").filter(has_text="Acme Audit Ltd.")
    expect(inserted).to_have_count(1)
    assert ADDED in inserted.text_content()
    clause_text = provider.locator("[lang=he]").filter(has=inserted).first
    expect(clause_text).to_be_visible()
    shot(provider, "2-provider-redline")
