"""Bulk import of existing agreements from a CSV register: the command, the upload page, and what the
imported agreements are afterwards - in the register, the reminders and the calendar feed."""
from __future__ import annotations

import csv
import hashlib
import io
import re
from datetime import date, timedelta

import icalendar
import pytest
from conftest import csrf_token
from sqlalchemy import func, select

from authoring.agreements import bulk_csv
from authoring.calendar.services import new_calendar_token
from authoring.extensions import db
from authoring.models import Agreement, AuditEvent, Membership, OutboxMessage, Revision, Signature, User
from authoring.revisions.services import executed_document

HEADER = "title,counterparty,side,language,effective_date,end_date,renewal_notice_days,review_cadence,monthly_fee,currency,status"
TODAY = date.today()
HEBREW = "הסכם שירותי תמיכה, גרסה \"ב\""  # a comma and quotes: the csv module's quoting is exercised
POLISH = "Umowa serwisowa „Zażółć gęślą jaźń”"
RUSSIAN = "Договор на обслуживание"


def day(offset: int) -> str:
    return (TODAY + timedelta(days=offset)).isoformat()


def csv_file(*rows: list[str], bom: bool = False, header: str = HEADER) -> bytes:
    out = io.StringIO(newline="")
    out.write(header + "\r\n")
    csv.writer(out, lineterminator="\r\n").writerows(rows)
    return (b"\xef\xbb\xbf" if bom else b"") + out.getvalue().encode("utf-8")


def good_rows() -> list[list[str]]:
    return [
        [HEBREW, "חברת אלפא בע״מ", "provider", "he", day(-100), day(200), "60", "quarterly", "12000.50", "ILS",
         "executed"],
        [POLISH, "Łódzkie Zakłady Żółwi sp. z o.o.", "client", "pl", day(-30), day(700), "90", "six-monthly", "4000",
         "PLN", "executed"],
        [RUSSIAN, "ООО «Ромашка»", "provider", "ru", "", "", "", "", "", "", "draft"],
    ]


@pytest.fixture
def owner(make_user):
    return make_user("owner@example.com", name="Olga Owner")


def import_file(runner, tmp_path, raw: bytes, *extra: str, name: str = "agreements.csv"):
    path = tmp_path / name
    path.write_bytes(raw)
    return runner.invoke(args=["import", "agreements", str(path), "--owner", "owner@example.com",
                               "--organisation", "Northwind IT", *extra])


def agreement_count(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(Agreement))


def by_title(app, title: str) -> int:
    with app.app_context():
        return db.session.scalar(select(Agreement.id).where(Agreement.title == title))


# A good file --------------------------------------------------------------------------------

def test_a_good_file_creates_executed_and_draft_agreements_with_their_terms(app, runner, tmp_path, owner):
    raw = csv_file(*good_rows(), bom=True)
    result = import_file(runner, tmp_path, raw)
    assert result.exit_code == 0, result.output + result.stderr
    digest = hashlib.sha256(raw).hexdigest()
    assert result.output.strip().splitlines()[-1] == (
        f"imported 3 agreements (2 as executed) for Northwind IT from {tmp_path / 'agreements.csv'} (sha256 {digest})")
    with app.app_context():
        agreements = {a.title: a for a in db.session.scalars(select(Agreement))}
        assert set(agreements) == {HEBREW, POLISH, RUSSIAN}  # every script kept exactly
        hebrew, polish, russian = agreements[HEBREW], agreements[POLISH], agreements[RUSSIAN]
        assert (hebrew.status, polish.status, russian.status) == ("executed", "executed", "draft")
        # The owner is on the row's side; the counterparty is the other organisation.
        assert (hebrew.provider_name, hebrew.client_name) == ("Northwind IT", "חברת אלפא בע״מ")
        assert (polish.provider_name, polish.client_name) == ("Łódzkie Zakłady Żółwi sp. z o.o.", "Northwind IT")
        sides = {m.agreement_id: (m.side, m.role) for m in db.session.scalars(
            select(Membership).where(Membership.user_id == owner.id))}
        assert sides == {hebrew.id: ("provider", "owner"), polish.id: ("client", "owner"),
                         russian.id: ("provider", "owner")}
        assert polish.started_by_side == "client"

        terms = executed_document(polish).terms
        assert terms["timeline"]["effective_date"] == day(-30) and terms["timeline"]["end_date"] == day(700)
        assert terms["timeline"]["renewal_notice_days"] == 90
        assert terms["change"]["review_cadence"] == "semiannual"
        assert (terms["costs"]["monthly_fee"], terms["costs"]["currency"]) == ("4000.00", "PLN")
        assert terms["costs"]["pricing_model"] == "retainer"
        assert executed_document(hebrew).terms["costs"]["monthly_fee"] == "12000.50"
        # The fee is stated in the agreement's own text, written as Polish writes money.
        assert any("4000,00" in c.text.replace("\u00a0", "").replace(" ", "") for c in executed_document(polish).clauses())

        # Executed: revision 1, marked as imported, and no signature anywhere.
        for agreement in (hebrew, polish):
            revision = db.session.get(Revision, agreement.executed_revision_id)
            assert revision.number == 1 and agreement.executed_outside and agreement.executed_at is None
        assert "CSV" in db.session.get(Revision, polish.executed_revision_id).message
        assert db.session.scalar(select(func.count()).select_from(Signature)) == 0
        assert russian.executed_revision_id is None and not russian.executed_outside
        assert db.session.scalar(select(func.count()).select_from(Revision).where(Revision.agreement_id == russian.id)) == 0
        # Reviews and the renewal window follow the executed terms.
        assert hebrew.next_review_on is not None and hebrew.next_review_on > TODAY
        assert polish.renewal_opens_on == date.fromisoformat(day(700)) - timedelta(days=90 + 30)

        # Audited: the import (the file's SHA-256) and each agreement it created.
        imported = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "agreements.imported"))
        assert imported.actor_id == owner.id and imported.details["sha256"] == digest
        assert imported.details["count"] == 3 and imported.details["executed"] == 2
        created = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "agreement.created")).all()
        assert sorted(e.details["imported_csv"]["line"] for e in created) == [2, 3, 4]
        assert {e.details["imported_csv"]["sha256"] for e in created} == {digest}
        executed = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "agreement.imported_executed")).all()
        assert {e.agreement_id for e in executed} == {hebrew.id, polish.id}


def test_a_spreadsheet_that_separates_with_semicolons_is_read_too(app, runner, tmp_path, owner):
    raw = (HEADER.replace(",", ";") + "\r\n" + f"{POLISH};Kowalski i Syn;client;pl;{day(-10)};;;annual;;;draft\r\n")
    result = import_file(runner, tmp_path, raw.encode("utf-8"))
    assert result.exit_code == 0, result.stderr
    with app.app_context():
        agreement = db.session.get(Agreement, by_title(app, POLISH))
        assert (agreement.provider_name, agreement.client_name) == ("Kowalski i Syn", "Northwind IT")


def test_without_a_byte_order_mark_too_and_never_twice(app, runner, tmp_path, owner):
    raw = csv_file(*good_rows()[2:])
    assert import_file(runner, tmp_path, raw).exit_code == 0
    assert by_title(app, RUSSIAN) is not None
    again = import_file(runner, tmp_path, raw)
    assert again.exit_code == 1 and "it was not imported again" in again.stderr
    assert agreement_count(app) == 1


def test_imported_executed_agreements_appear_in_the_register_reminders_and_calendar(app, runner, tmp_path, owner,
                                                                                     login):
    assert import_file(runner, tmp_path, csv_file(*good_rows())).exit_code == 0
    hebrew, polish, russian = by_title(app, HEBREW), by_title(app, POLISH), by_title(app, RUSSIAN)
    client = login(app.test_client(), "owner@example.com")

    register = client.get("/agreements?status=executed").get_data(as_text=True)
    rows = re.findall(r'<tr data-agreement="(\d+)"', register)
    assert sorted(map(int, rows)) == sorted([hebrew, polish])
    assert register.count('data-testid="executed-outside"') == 2 and "Łódzkie Zakłady Żółwi" in register
    assert RUSSIAN in client.get("/agreements?status=draft").get_data(as_text=True)

    # Reminders: the review due, then the renewal window, e-mailed to the owner (once each).
    with app.app_context():
        agreement = db.session.get(Agreement, hebrew)
        review, renewal = agreement.next_review_on, agreement.renewal_opens_on
    assert renewal == date.fromisoformat(day(200)) - timedelta(days=60 + 30)
    for when in (review - timedelta(days=3), renewal):
        result = app.test_cli_runner().invoke(args=["remind", "--today", when.isoformat()])
        assert result.exit_code == 0 and result.output.strip() != "queued 0 reminders", result.output
    with app.app_context():
        subjects = [m.subject for m in db.session.scalars(select(OutboxMessage).where(
            OutboxMessage.agreement_id == hebrew, OutboxMessage.event == "reminder"))]
        statuses = dict(db.session.execute(select(Agreement.id, Agreement.status)).all())
    assert any(review.isoformat() in s and HEBREW in s for s in subjects), subjects
    assert any("Renewal window" in s and HEBREW in s for s in subjects), subjects
    assert statuses[hebrew] == "executed"  # not expired: its end is still ahead

    # The calendar feed lists the executed ones' reviews, renewal window and end; not the draft.
    with app.test_request_context():
        token = new_calendar_token(db.session.get(User, owner.id))
    feed = app.test_client().get(f"/calendar/{token}.ics")
    assert feed.status_code == 200
    uids = {str(e["UID"]) for e in icalendar.Calendar.from_ical(feed.get_data()).walk("VEVENT")}
    assert f"agreement-{hebrew}-review-{review.isoformat()}@accord" in uids
    assert f"agreement-{hebrew}-renewal-{renewal.isoformat()}@accord" in uids
    assert f"agreement-{polish}-end-{day(700)}@accord" in uids
    assert not any(uid.startswith(f"agreement-{russian}-") for uid in uids)


def test_an_imported_executed_agreement_says_so_instead_of_showing_signatures(app, runner, tmp_path, owner, login):
    assert import_file(runner, tmp_path, csv_file(*good_rows())).exit_code == 0
    polish = by_title(app, POLISH)
    client = login(app.test_client(), "owner@example.com")
    base = f"/agreements/{polish}"
    for tab in ("", "/interview/costs", "/negotiation", "/revisions", "/sign", "/reviews", "/members", "/activity",
                "/settings"):
        assert client.get(base + tab).status_code == 200, tab
    sign = client.get(base + "/sign").get_data(as_text=True)
    assert 'data-testid="executed-outside"' in sign and "signed outside Accord" in sign
    assert 'data-testid="signed-docx"' not in sign and "both sides signed" not in sign
    refused = client.get(base + "/signed.docx", follow_redirects=True).get_data(as_text=True)
    assert "there is no signed document here" in refused
    activity = client.get(base + "/activity").get_data(as_text=True)
    assert "imported the agreement as executed" in activity and "from line 3 of the CSV file" in activity
    # Its text is locked like any executed agreement's: a change needs an amendment.
    assert "A change needs an amendment" in client.get(base + "/sign").get_data(as_text=True)


# Bad files -----------------------------------------------------------------------------------

BAD_ROWS = [
    (["Bad date", "Acme", "provider", "en", "2025-02-30", "", "", "", "", "", "draft"], "effective_date"),
    (["Unknown language", "Acme", "provider", "de", "2025-01-01", "", "", "", "", "", "draft"], "language"),
    (["Bad side", "Acme", "supplier", "en", "2025-01-01", "", "", "", "", "", "draft"], "side"),
    (["Bad cadence", "Acme", "client", "en", "2025-01-01", "", "", "weekly", "", "", "executed"], "review_cadence"),
    (["Negative fee", "Acme", "client", "en", "2025-01-01", "", "", "", "-100.00", "EUR", "draft"], "monthly_fee"),
    (["End first", "Acme", "client", "en", "2025-06-01", "2025-01-01", "", "", "", "", "draft"], "end_date"),
    (["", "Acme", "client", "en", "2025-01-01", "", "", "", "", "", "draft"], "title"),
]


def test_every_bad_row_is_reported_by_line_and_column_and_nothing_is_stored(app, runner, tmp_path, owner):
    good = ["A good one", "Acme", "provider", "en", "2025-01-01", "2026-01-01", "30", "annual", "10.00", "EUR",
            "executed"]
    raw = csv_file(good, *(row for row, _column in BAD_ROWS), good[:1] + ["Acme", "both"] + good[3:])
    result = import_file(runner, tmp_path, raw)
    assert result.exit_code == 1
    assert result.stderr.startswith(f"Nothing was imported: {tmp_path / 'agreements.csv'} has 8 problems.")
    lines = [line.strip() for line in result.stderr.splitlines()[1:]]
    expected = [(line, column) for line, (_row, column) in enumerate(BAD_ROWS, start=3)] + [(10, "side")]
    assert [re.match(r"Line (\d+), column (\w+): ", line).groups() for line in lines] == \
        [(str(line), column) for line, column in expected]
    messages = dict(zip(expected, lines))
    assert "“2025-02-30” is not a date" in messages[(3, "effective_date")]
    assert "“de” is not a language" in messages[(4, "language")] and "en, es, pl, he, ru, tl" in messages[(4, "language")]
    assert "“supplier” is not a side" in messages[(5, "side")]
    assert "“weekly” is not a review cadence" in messages[(6, "review_cadence")]
    assert messages[(7, "monthly_fee")].endswith("Cannot be negative.")
    assert messages[(8, "end_date")].endswith("The end date must come after the effective date.")
    assert messages[(9, "title")].endswith("An agreement needs a title.")
    assert agreement_count(app) == 0  # the good first row was not stored either
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(AuditEvent).where(
            AuditEvent.action.in_(("agreements.imported", "agreement.created")))) == 0


def test_a_row_with_several_problems_names_each_column(app, runner, tmp_path, owner):
    raw = csv_file(["", "", "buyer", "xx", "01/02/2025", "tomorrow", "ninety", "daily", "1,000", "EURO", "signed"])
    result = import_file(runner, tmp_path, raw)
    columns = re.findall(r"Line 2, column (\w+):", result.stderr)
    assert result.exit_code == 1 and columns == [
        "title", "counterparty", "side", "language", "effective_date", "end_date", "renewal_notice_days",
        "review_cadence", "monthly_fee", "currency", "status"]


@pytest.mark.parametrize("raw, message", [
    (b"name,partner\r\nA,B\r\n", "Line 1: The first line must be the header " + HEADER + "; it is name,partner."),
    (b"", "The file is empty: its first line must be the header " + HEADER + "."),
    (HEADER.encode() + b"\r\n", "The file has no agreements"),
    (HEADER.encode() + b"\r\nA,B\r\n", "Line 2: This line has 2 values; the header has 11."),
    (HEADER.encode() + b"\r\n\xff\xfeA\r\n", "Line 2: This line is not UTF-8 text."),
    (HEADER.encode() + b'\r\n"unclosed,Acme,provider,en,,,,,,,draft\r\n', "Line 2: This line cannot be read as CSV"),
    (HEADER.encode() + b"\r\nA\x07,Acme,provider,en,,,,,,,draft\r\n", "Line 2, column title: Contains a control character"),
    (HEADER.encode() + b"\r\nA,Acme,provider,en,,,5000,,,,draft\r\n",
     "Line 2, column renewal_notice_days: A whole number from 0 to 3650."),
    (HEADER.encode() + b"\r\nA,Acme,provider,en,,,,,100.5,JPY,draft\r\n",
     "Line 2, column monthly_fee: Amounts in JPY have no decimals"),
    (HEADER.encode() + b"\r\nA,Acme,provider,en,,,,,100.5,,draft\r\n",
     "Line 2, column currency: A monthly fee needs its currency."),
    (HEADER.encode() + b"\r\nA,Acme,provider,en,,,,,,,executed\r\n",
     "Line 2, column effective_date: An executed agreement needs its effective date."),
])
def test_a_refused_file_says_why_on_stderr(app, runner, tmp_path, owner, raw, message):
    result = import_file(runner, tmp_path, raw)
    assert result.exit_code == 1 and message in result.stderr, result.stderr
    assert agreement_count(app) == 0


def test_a_quoted_value_over_several_lines_keeps_the_line_numbers_of_the_file(app, runner, tmp_path, owner):
    raw = HEADER.encode() + b'\r\n"Two\r\nlines",Acme,provider,en,,,,,,,draft\r\nB,Acme,provider,xx,,,,,,,draft\r\n'
    result = import_file(runner, tmp_path, raw)
    assert "Line 2, column title: Contains a control character" in result.stderr
    assert "Line 4, column language:" in result.stderr  # the record after the two-line one starts on line 4


def test_the_row_limit_and_the_size_limit(app, runner, tmp_path, owner, monkeypatch):
    monkeypatch.setattr(bulk_csv, "MAX_ROWS", 2)
    row = ["A", "Acme", "provider", "en", "", "", "", "", "", "", "draft"]
    result = import_file(runner, tmp_path, csv_file(row, row, row))
    assert result.exit_code == 1 and "more than 2 agreements" in result.stderr
    monkeypatch.undo()
    app.config["MAX_CONTENT_LENGTH"] = 200
    result = import_file(runner, tmp_path, csv_file(*[row] * 10))
    assert result.exit_code == 1 and "The file is larger than" in result.stderr
    assert agreement_count(app) == 0


def test_the_command_needs_a_known_owner_and_an_organisation(app, runner, tmp_path, make_user):
    path = tmp_path / "a.csv"
    path.write_bytes(csv_file(good_rows()[2]))
    result = runner.invoke(args=["import", "agreements", str(path), "--owner", "nobody@example.com"])
    assert result.exit_code == 1 and "There is no account nobody@example.com" in result.output
    make_user("owner@example.com")
    result = runner.invoke(args=["import", "agreements", str(path), "--owner", "owner@example.com"])
    assert result.exit_code == 1 and "--organisation" in result.output


# The upload page ---------------------------------------------------------------------------

def upload(client, raw: bytes, organisation: str = "Northwind IT", token: str | None = None, **headers):
    data = {"organisation": organisation, "file": (io.BytesIO(raw), "register.csv")}
    if token is not False:
        data["csrf_token"] = token or csrf_token(client, "/agreements/import")
    return client.post("/agreements/import", data=data, content_type="multipart/form-data", headers=headers)


def test_the_upload_page_imports_a_good_file(app, owner, login, make_agreement):
    make_agreement(owner, provider_name="Northwind IT")
    client = login(app.test_client(), "owner@example.com")
    dashboard = client.get("/agreements").get_data(as_text=True)
    assert 'href="/agreements/import"' in dashboard
    page = client.get("/agreements/import").get_data(as_text=True)
    assert '<label for="file">' in page and '<label for="organisation">' in page
    assert 'value="Northwind IT"' in page  # offered from the owner's newest agreement
    response = upload(client, csv_file(*good_rows(), bom=True))
    assert response.status_code == 302 and response.headers["Location"] == "/agreements"
    assert "3 agreements imported (2 as executed)." in client.get("/agreements").get_data(as_text=True)
    assert agreement_count(app) == 4
    with app.app_context():
        event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "agreements.imported"))
        assert event.details["file"] == "register.csv" and event.ip == "127.0.0.1"


def test_the_upload_page_lists_every_problem_in_the_readers_language(app, owner, login):
    client = login(app.test_client(), "owner@example.com")
    raw = csv_file(*(row for row, _column in BAD_ROWS))
    response = upload(client, raw)
    page = response.get_data(as_text=True)
    assert response.status_code == 422 and 'data-testid="import-errors"' in page
    assert "Nothing was imported: the file has 7 problems." in page
    cells = re.findall(r"<tr><td>(\d+)</td><td><code dir=\"ltr\">(\w+)</code></td>", page)
    assert cells == [(str(line), column) for line, (_row, column) in enumerate(BAD_ROWS, start=2)]
    polish = upload(client, raw, **{"Accept-Language": "pl"}).get_data(as_text=True)
    assert "Nic nie zaimportowano" in polish and "Data zakończenia musi być późniejsza niż data wejścia w życie." in polish
    assert agreement_count(app) == 0

    wrong = upload(client, b"a,b\r\n1,2\r\n").get_data(as_text=True)
    assert "The first line must be the header" in wrong and HEADER in wrong
    missing = upload(client, csv_file(good_rows()[2]), organisation="")
    assert missing.status_code == 422 and "Name your organisation" in missing.get_data(as_text=True)
    assert agreement_count(app) == 0


def test_the_upload_page_takes_fewer_lines_than_the_command(app, owner, login):
    from authoring.agreements.bulk_import import PAGE_MAX_ROWS

    client = login(app.test_client(), "owner@example.com")
    row = ["A", "Acme", "provider", "en", "", "", "", "", "", "", "draft"]
    response = upload(client, csv_file(*[row] * (PAGE_MAX_ROWS + 1)))
    assert response.status_code == 422
    assert f"The file has more than {PAGE_MAX_ROWS} agreements" in response.get_data(as_text=True)
    assert agreement_count(app) == 0


def test_the_upload_page_needs_a_login_and_the_forms_token(app, owner, login):
    anonymous = app.test_client()
    assert anonymous.get("/agreements/import").status_code == 302
    assert upload(anonymous, csv_file(good_rows()[2]), token=False).status_code in (302, 400)
    client = login(app.test_client(), "owner@example.com")
    forged = upload(client, csv_file(good_rows()[2]), token=False)
    assert forged.status_code == 400
    assert upload(client, csv_file(good_rows()[2]), token="not-the-token").status_code == 400
    assert agreement_count(app) == 0
    template = client.get("/agreements/import/template.csv")
    assert template.mimetype == "text/csv" and template.get_data(as_text=True) == HEADER + "\r\n"


def test_an_imported_executed_agreement_is_amended_and_signed_here(app, runner, tmp_path, owner, make_user, add_member,
                                                                  login):
    """Its amendments are its executed versions: signed here, downloadable signed; the original is not."""
    from test_amendments import open_amendment
    from test_signing import sign

    from authoring.demo_terms import demo_terms
    from authoring.interview.services import acknowledge, mark_ready, readiness, set_terms
    from authoring.revisions.services import draft_of
    from authoring.reviews.amendments import versions_of

    assert import_file(runner, tmp_path, csv_file(good_rows()[0])).exit_code == 0
    hebrew = by_title(app, HEBREW)
    for email, name, side in (("psign@example.com", "Pia Signer", "provider"),
                              ("csign@example.com", "Carl Signer", "client")):
        add_member(hebrew, make_user(email, name=name), side, "signatory")
    client = login(app.test_client(), "owner@example.com")
    assert open_amendment(client, hebrew).status_code == 302
    with app.test_request_context(method="POST"):
        agreement, user = db.session.get(Agreement, hebrew), db.session.get(User, owner.id)
        # The amendment completes the interview the CSV left short (through the service, as the fixtures do).
        terms = demo_terms("he", HEBREW)
        terms["timeline"].update(effective_date=day(-100), end_date=day(200), milestones=[])
        terms["costs"]["payment_schedule"] = [row for row in terms["costs"]["payment_schedule"]
                                              if row.get("trigger") != "milestone"]
        terms["parties"]["provider"].update(name="Northwind IT", signatory_name="Pia Signer")
        terms["parties"]["client"].update(name="חברת אלפא בע״מ", signatory_name="Carl Signer")
        set_terms(agreement, user, terms, "amendment")
        for finding in readiness(agreement, draft_of(agreement)[1]).blocking:
            acknowledge(agreement, user, finding.rule.id, "test data")
        mark_ready(agreement, user)
    for email, name in (("psign@example.com", "Pia Signer"), ("csign@example.com", "Carl Signer")):
        assert sign(login(app.test_client(), email), hebrew, name=name).status_code == 302
    with app.app_context():
        agreement = db.session.get(Agreement, hebrew)
        assert agreement.status == "executed" and agreement.executed_outside  # the original stays imported
        assert [v.number for v in versions_of(agreement)] == [1]
        # Service measured before the amendment took effect is measured under the terms imported.
        from datetime import date

        from authoring.operations.services import terms_in_force
        from authoring.revisions.services import revision_document
        from authoring.models import Revision

        imported = db.session.scalar(select(Revision).where(Revision.agreement_id == hebrew, Revision.number == 1))
        assert terms_in_force(agreement, date(2000, 1, 1)) == revision_document(imported).terms
        assert terms_in_force(agreement, date.today())["parties"]["provider"]["name"] == "Northwind IT"
    sign_page = client.get(f"/agreements/{hebrew}/sign").get_data(as_text=True)
    assert 'data-testid="signed-docx"' in sign_page and 'data-testid="executed-outside"' not in sign_page
    assert client.get(f"/agreements/{hebrew}/signed.docx").status_code == 200
    assert client.get(f"/agreements/{hebrew}/versions/1/signed.docx").status_code == 200
    assert client.get(f"/agreements/{hebrew}/versions/0/signed.docx").status_code == 404
    life = client.get(f"/agreements/{hebrew}/reviews").get_data(as_text=True)
    assert 'data-testid="versions"' in life and "Amendment 1" in life
