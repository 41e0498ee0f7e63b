"""Sign-off in a real headless Chromium, as the two signatories would do it.

A complete, healthy agreement is set up through the services: terms filled in, shared by
the provider and marked ready. The provider's signatory logs in, opens the agreement's
"Sign & export" tab, reads the revision hash, fills the form and signs. The client's
signatory first forgets the consent box (refused, what was typed is kept), then signs: the
agreement is executed. The signed Word document downloaded from the page names both
signers and carries, in its footer, the hash the page showed.

The form is driven through its labels and roles, which also checks that it is accessible.
"""
from __future__ import annotations

import re

import docx
import pytest
from conftest import PASSWORD
from test_browser import log_in_and_open
from playwright.sync_api import expect
from sqlalchemy import select

from authoring.demo_terms import demo_terms
from authoring.extensions import db
from authoring.interview.services import mark_ready, set_terms
from authoring.models import Agreement, Membership, User
from authoring.negotiation.services import share

pytestmark = pytest.mark.browser

TITLE = "Managed IT — Łódź"
PROVIDER_SIGNER = ("Paul J. Signer", "Managing Director")  # as typed, not the account's name
CLIENT_SIGNER = ("Ciro A. Firmante", "Director General")


@pytest.fixture
def ready_agreement(app, make_user, make_agreement, add_member) -> int:
    """Shared and marked ready through the services, with one signatory on each side."""
    owner = make_user("owner@example.com", name="Olivia Owner")
    agreement_id = make_agreement(owner, title=TITLE)
    add_member(agreement_id, make_user("psigner@example.com", name="Paul Signer"), "provider", "signatory")
    add_member(agreement_id, make_user("csigner@example.com", name="Ciro Firmante"), "client", "signatory")
    with app.test_request_context(method="POST"):
        agreement, user = db.session.get(Agreement, agreement_id), db.session.get(User, owner.id)
        terms = demo_terms("en", TITLE)
        terms["parties"]["provider"]["signatory_name"], terms["parties"]["client"]["signatory_name"] = \
            PROVIDER_SIGNER[0], CLIENT_SIGNER[0]
        set_terms(agreement, user, terms, "test")
        share(agreement, user, db.session.scalar(select(Membership).filter_by(agreement_id=agreement_id, user_id=user.id)),
              "Draft for you")
        mark_ready(agreement, user)
        assert agreement.status == "ready"
    return agreement_id


def open_signing_page(page, base: str, email: str, agreement_id: int) -> str:
    """Log in through the form, open the agreement from the dashboard, then its Sign & export tab."""
    log_in_and_open(page, base, email, TITLE, agreement_id)
    page.get_by_role("navigation", name="Agreement").get_by_role("link", name="Sign & export").click()
    page.wait_for_url(f"{base}/agreements/{agreement_id}/sign")
    return page.get_by_test_id("signing-hash").inner_text()


def fill_and_sign(page, number: str, name: str | None, title: str | None, consent: bool = True) -> None:
    if name is not None:
        page.get_by_label("Your full name").fill(name)
    if title is not None:
        page.get_by_label("Your title", exact=True).fill(title)
    page.get_by_label("I agree to sign electronically").set_checked(consent)
    page.get_by_label("Your password (to confirm it is you)").fill(PASSWORD)
    page.get_by_role("button", name=f"Sign revision {number}", exact=True).click()


def signed_by(page, side: str):
    """The 'Signed by' cell of a side's row in the signatures table."""
    row = page.get_by_test_id("signatures").get_by_role("row").filter(has_text=f"{side} side ·")
    return row.get_by_role("cell").nth(1)


def test_both_signatories_sign_in_the_browser_and_download_the_signed_document(
        live_server, new_page, ready_agreement, tmp_path):
    base, url = live_server, f"{live_server}/agreements/{ready_agreement}/sign"

    # 1. The provider's signatory reads the hash and the revision number, and signs.
    provider = new_page()
    shown_hash = open_signing_page(provider, base, "psigner@example.com", ready_agreement)
    assert re.fullmatch(r"[0-9a-f]{64}", shown_hash), shown_hash
    number = re.search(r"revision (\d+)", provider.locator("#status strong").inner_text()).group(1)
    expect(provider.get_by_label("Your full name")).to_have_value("Paul Signer")  # pre-filled from the account
    fill_and_sign(provider, number, *PROVIDER_SIGNER)
    provider.wait_for_url(url)
    expect(provider.get_by_role("status")).to_have_text(
        f"Signed revision {number} for Provider Ltd. The other side's signatory has been asked to sign.")
    expect(signed_by(provider, "Provider")).to_have_text(", ".join(PROVIDER_SIGNER))
    expect(signed_by(provider, "Client")).to_have_text("not signed")
    expect(provider.get_by_text("Your side has signed. Waiting for the other side's signatory.")).to_be_visible()
    expect(provider.get_by_role("button", name=re.compile("^Sign revision"))).to_have_count(0)

    # 2. The client's signatory sees the same text to sign, and forgets the consent box.
    client = new_page()
    assert open_signing_page(client, base, "csigner@example.com", ready_agreement) == shown_hash
    fill_and_sign(client, number, *CLIENT_SIGNER, consent=False)
    # The message sits on the checkbox itself, as assistive technology reads it.
    consent_box = client.get_by_label("I agree to sign electronically")
    expect(consent_box).to_have_attribute("aria-invalid", "true")
    expect(consent_box).to_have_attribute("aria-describedby", "consent-text consent-error")
    expect(client.locator("#consent-error")).to_have_text(
        "Tick the box to agree to sign electronically; without it nothing is signed.")
    expect(client.get_by_label("Your full name")).to_have_value(CLIENT_SIGNER[0])
    expect(client.get_by_label("Your title", exact=True)).to_have_value(CLIENT_SIGNER[1])
    expect(client.get_by_label("I agree to sign electronically")).not_to_be_checked()
    expect(client.get_by_label("Your password (to confirm it is you)")).to_have_value("")
    expect(signed_by(client, "Client")).to_have_text("not signed")

    # 3. ... then ticks it and signs with what was kept: the agreement is executed.
    fill_and_sign(client, number, name=None, title=None)
    client.wait_for_url(url)
    expect(client.get_by_role("status")).to_have_text(
        f"Signed. Both sides have signed revision {number}: the agreement is executed.")
    expect(client.locator(".agreement-head .badge")).to_have_text("executed")
    expect(client.get_by_text(f"both sides signed revision {number}.")).to_be_visible()
    expect(signed_by(client, "Provider")).to_have_text(", ".join(PROVIDER_SIGNER))
    expect(signed_by(client, "Client")).to_have_text(", ".join(CLIENT_SIGNER))

    # 4. The signed Word document names both signers and carries the hash the page showed.
    with client.expect_download() as download_info:
        client.get_by_role("link", name="Signed Word document").click()
    download = download_info.value
    assert download.suggested_filename.endswith(".docx"), download.suggested_filename
    path = tmp_path / download.suggested_filename
    download.save_as(path)
    word = docx.Document(str(path))
    body = [p.text for p in word.paragraphs]
    for name, title in (PROVIDER_SIGNER, CLIENT_SIGNER):
        assert f"Name: {name}" in body and f"Title: {title}" in body, (name, title)
    footer = [p.text for p in word.sections[0].footer.paragraphs]
    assert f"Executed text SHA-256: {shown_hash}" in footer, footer
