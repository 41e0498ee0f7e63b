"""The agreement's tables as both views show them (authoring.render.tables): the contacts table
lays each contact out line by line, so a long e-mail address is never cut, on the page or in Word."""
from __future__ import annotations

import copy

import pytest

from authoring.demo_terms import demo_terms
from authoring.extensions import db
from authoring.interview.services import set_terms
from authoring.library.formatting import BLANK
from authoring.models import Agreement, User
from authoring.render.tables import agreement_tables

LONG = "procurement.department.head@ministerstwo-cyfryzacji.gov.pl"


def contacts_of(app, terms: dict, language: str = "en"):
    with app.app_context():
        tables = agreement_tables(app.extensions["clause_library"], terms, language)
    return next(table for table in tables if table.key == "contacts")


def terms_with_long_address() -> dict:
    terms = copy.deepcopy(demo_terms("en", "Support"))
    client = terms["parties"]["client"]["contacts"]
    client["billing"]["email"] = LONG
    client["billing"]["role"] = ""  # a blank detail leaves no empty line
    client["escalation"] = {}  # a party without a contact for a stage shows a blank
    return terms


def test_contacts_have_a_row_per_stage_and_party_each_detail_on_its_own_line(app, backend):
    if backend != "sqlite":
        pytest.skip("no database involved")
    table = contacts_of(app, terms_with_long_address())
    assert table.headers == ("Stage and party", "Contact")
    assert table.weights == (2, 7) and table.size == 20
    assert [row[0] for row in table.rows] == [f"{stage}\n{party}" for stage in
                                              ("Negotiation", "Delivery", "Billing", "Escalation")
                                              for party in ("Provider", "Client")]
    rows = dict(table.rows)
    assert rows["Billing\nClient"] == f"Ana García\n{LONG}\n+48 42 555 01 02"
    assert rows["Negotiation\nProvider"] == "Maria Santos\nAccount manager\nprovider@example.com\n+48 58 123 45 67"
    assert rows["Escalation\nClient"] == BLANK


def test_contacts_speak_the_agreement_language(app, backend):
    if backend != "sqlite":
        pytest.skip("no database involved")
    table = contacts_of(app, demo_terms("pl", "Obsługa"), "pl")
    assert table.headers == ("Etap i strona", "Osoba kontaktowa")
    assert table.rows[0][0] == "Negocjacje\nUsługodawca" and table.rows[1][0] == "Negocjacje\nKlient"


def test_the_draft_page_shows_each_contact_detail_on_a_line_of_its_own(app, make_user, make_agreement, login):
    owner = make_user("owner@example.com")
    agreement_id = make_agreement(owner)
    with app.test_request_context(method="POST"):
        set_terms(db.session.get(Agreement, agreement_id), db.session.get(User, owner.id), terms_with_long_address(),
                  "test terms")
    page = login(app.test_client(), "owner@example.com").get(f"/agreements/{agreement_id}").get_data(as_text=True)
    assert '<th scope="col" dir="auto">Stage and party</th><th scope="col" dir="auto">Contact</th>' in page
    assert ('<td dir="auto"><bdi>Billing</bdi><br><bdi>Client</bdi></td><td dir="auto"><bdi>Ana García</bdi><br>'
            f'<bdi>{LONG}</bdi><br><bdi>+48 42 555 01 02</bdi></td>') in page
