"""No input gives a 500: ids past what a database key holds, numbers past what Babel formats, numbers as
the agreement's language writes them, damaged Word files, and a database that is down or read-only."""
from __future__ import annotations

import io
import json
import logging
import re
import struct
import zipfile
from decimal import Decimal

import docx
import pytest
from conftest import PASSWORD, base_config, csrf_token
from flask import g
from sqlalchemy import select, text
from werkzeug.routing import IntegerConverter

from authoring import create_app
from authoring.extensions import db
from authoring.inputs.numbers import NumberError, parse_number
from authoring.library.formatting import BLANK
from authoring.models import Draft

HUGE_IDS = (str(2**31), str(2**63 - 1), str(2**63), str(2**64), "9" * 40)
BASE_RE = re.compile(r'name="base" value="([^"]*)"')
ERROR_RE = re.compile(r'<p class="error"[^>]*>([^<]+)</p>')
NON_INT_ARGUMENTS = {"key": "services.standards", "step_key": "costs", "rule_id": "x", "action": "resolve",
                     "token": "x", "filename": "style.css"}


@pytest.fixture
def owner(app, make_user, make_agreement, login):
    """A logged-in provider owner of agreement 1 in `language`: returns (client, agreement_id)."""

    def make(language: str = "en"):
        user = make_user("owner@example.com", name="Olivia Owner")
        agreement_id = make_agreement(user, language=language)
        return login(app.test_client(), "owner@example.com"), agreement_id

    return make


def post_step(client, agreement_id, step, fields):
    path = f"/agreements/{agreement_id}/interview/{step}"
    base = BASE_RE.search(client.get(path).get_data(as_text=True)).group(1)
    return client.post(path, data={"csrf_token": csrf_token(client, path), "base": base, "action": "save", **fields})


def terms_of(app, agreement_id) -> dict:
    with app.app_context():
        return json.loads(db.session.get(Draft, agreement_id).document)["terms"]


def errors(response) -> list[str]:
    return ERROR_RE.findall(response.get_data(as_text=True))


# Ids -------------------------------------------------------------------------------------

def test_an_id_beyond_the_database_in_any_route_is_not_found(app, owner):
    client, agreement_id = owner()
    token = csrf_token(client, "/agreements/new")
    checked = 0
    for rule in app.url_map.iter_rules():
        ids = [name for name, converter in rule._converters.items() if isinstance(converter, IntegerConverter)]
        for name in ids:
            for huge in HUGE_IDS:
                values = {**{n: NON_INT_ARGUMENTS.get(n, "1") for n in rule.arguments}, **{i: str(agreement_id) for i in ids}}
                values[name] = huge
                path = re.sub(r"<(?:[^:<>]+:)?([^<>]+)>", lambda m: values[m.group(1)], rule.rule)
                if "GET" in rule.methods:
                    response = client.get(path)
                else:
                    response = client.post(path, data={"csrf_token": token})
                # 405 where the address matches a rule of another method only before its id is read.
                assert response.status_code in (404, 405), (path, response.status_code)
                checked += 1
    assert checked > 60


def test_an_id_beyond_the_database_in_a_form_or_query_is_refused_not_a_500(app, owner):
    client, agreement_id = owner()
    key = "services.standards"
    edit = f"/agreements/{agreement_id}/clauses/{key}/edit"
    for huge in HUGE_IDS + ("²", "-1", "1e3"):
        # The interview's counter-proposal reference.
        assert post_step(client, agreement_id, "costs", {"counter_of": huge}).status_code == 404, huge
        # The clause editor's ?counter= and its hidden fields.
        assert client.get(f"{edit}?counter={huge}").status_code == 404, huge
        page = client.get(edit).get_data(as_text=True)
        version = re.search(r'name="base_version" type="hidden" value="(\d+)"', page).group(1)
        for field, values in (("counter_of", {"base_version": version}), ("base_version", {})):
            response = client.post(edit, data={"csrf_token": csrf_token(client, edit), "text": "New text.",
                                               "base_text": "", **values, field: huge})
            assert response.status_code == 422, (huge, field, response.status_code)
            assert "refers to something that does not exist" in response.get_data(as_text=True)
        # A reply to a comment thread: the page again, saying so, with what was typed still there.
        response = client.post(f"/agreements/{agreement_id}/comments", data={
            "csrf_token": csrf_token(client, edit), "body": "Hello there", "clause_key": key, "thread": huge})
        assert response.status_code == 422, (huge, response.status_code)
        page = response.get_data(as_text=True)
        assert "refers to something that does not exist" in page and ">\nHello there</textarea>" in page


# Numbers: bounds, currency decimals, the agreement's language --------------------------------

@pytest.mark.parametrize("step,fields,message", [
    ("costs", {"monthly_fee": "1e30"}, "Enter a number, e.g. 250,000.50."),
    ("costs", {"monthly_fee": "1e400"}, "Enter a number, e.g. 250,000.50."),
    ("costs", {"contract_value": "99999999999999999999999999999"}, "At most 1,000,000,000,000,000."),
    ("costs", {"rates-0-code": "A", "rates-0-price": "9" * 100}, "That is too long for a number. Enter a number, e.g. 250,000.50."),
    ("costs", {"payment_schedule-0-label": "A", "payment_schedule-0-amount": "-5"}, "Cannot be negative."),
    ("costs", {"payment_due_days": "99999999999999999999999999999"}, "A whole number from 0 to 365."),
    ("costs", {"payment_due_days": "30.5"}, "Enter a whole number, e.g. 30."),
    ("background", {"background-budget_ceiling": "1e400"}, "Enter a number, e.g. 250,000.50."),
    ("services", {"availability_percent": "99999999999999999999999999999"}, "A percentage between 0 and 100."),
    ("services", {"availability_percent": "99.9995"}, "Use at most 3 decimals."),
    ("services", {"priorities-0-level": "P1", "priorities-0-response_hours": "99999999999999999999999999999"},
     "At most 1,000,000,000."),
    ("sanctions", {"cure_days": str(2**64)}, "A whole number from 0 to 365."),
    ("sanctions", {"liability_cap_percent": "1e400"}, "Enter a number, e.g. 1,250.5."),
])
def test_numbers_too_large_or_malformed_are_refused_with_a_message(app, owner, step, fields, message):
    client, agreement_id = owner()
    before = terms_of(app, agreement_id)
    response = post_step(client, agreement_id, step, fields)
    assert response.status_code == 422
    assert message in errors(response)
    assert terms_of(app, agreement_id) == before


@pytest.mark.parametrize("currency,typed,message,stored", [
    ("EUR", "12.345", "Amounts in EUR have at most 2 decimals; nothing is rounded, so enter it exactly.", None),
    ("JPY", "12.5", "Amounts in JPY have no decimals: enter a whole amount.", None),
    ("JPY", "1250", None, "1250.00"),
    ("BHD", "12.345", None, "12.345"),
    ("EUR", "12.30", None, "12.30"),
])
def test_money_has_no_more_decimals_than_its_currency_and_is_never_rounded(app, owner, currency, typed, message,
                                                                           stored):
    client, agreement_id = owner()
    response = post_step(client, agreement_id, "costs", {"currency": currency, "monthly_fee": typed,
                                                         "rates-0-code": "A", "rates-0-price": typed})
    costs = terms_of(app, agreement_id)["costs"]
    if message:
        assert response.status_code == 422 and errors(response) == [message, message]
        assert costs.get("monthly_fee") is None
    else:
        assert response.status_code == 302
        assert costs["monthly_fee"] == stored and costs["rates"][0]["price"] == stored


def test_money_outside_the_costs_step_follows_the_agreements_currency(app, owner):
    client, agreement_id = owner()
    assert post_step(client, agreement_id, "costs", {"currency": "JPY"}).status_code == 302
    response = post_step(client, agreement_id, "background", {"background-budget_ceiling": "100.5"})
    assert response.status_code == 422
    assert errors(response) == ["Amounts in JPY have no decimals: enter a whole amount."]


@pytest.mark.parametrize("language,typed,expected", [
    ("en", "250,000.50", "250000.50"), ("en", "250 000.50", "250000.50"), ("en", "250\u00a0000", "250000"),
    ("en", "1,234", "1234"), ("en", "1234.5", "1234.5"), ("en", ".5", "0.5"), ("en", "-3", "-3"),
    ("he", "1,234.5", "1234.5"), ("tl", "1,234.5", "1234.5"),
    ("es", "250.000,50", "250000.50"), ("es", "1.234", "1234"), ("es", "1,5", "1.5"), ("es", "250 000,50", "250000.50"),
    ("pl", "250 000,50", "250000.50"), ("pl", "250\u202f000,50", "250000.50"), ("pl", "250\u00a0000,5", "250000.5"),
    ("pl", "1,5", "1.5"), ("pl", "250.000,50", "250000.50"), ("ru", "1\u00a0234,5", "1234.5"),
])
def test_numbers_are_read_as_the_agreements_language_writes_them(language, typed, expected):
    assert parse_number(typed, language) == Decimal(expected)


@pytest.mark.parametrize("language,typed", [
    ("en", "1,23"), ("en", "250.000,50"), ("en", "1.234.567"), ("en", "12,34,567"), ("en", "1,234 567"),
    ("es", "1.5"), ("es", "250,000.50"), ("pl", "1.234"), ("pl", "1.5"), ("pl", "1 234.5"), ("ru", "1.234"),
    ("en", "1e3"), ("en", "NaN"), ("en", "Infinity"), ("en", "١٢٣"), ("en", "12\u202e34"), ("en", "1\x00"),
    ("en", "."), ("en", "-"), ("en", ","), ("en", "1.2.3"), ("pl", "1,2,3"), ("en", "0x10"),
])
def test_a_number_that_could_be_read_two_ways_or_is_no_number_is_refused(language, typed):
    with pytest.raises(NumberError):
        parse_number(typed, language)


def test_a_polish_agreement_takes_polish_numbers_and_shows_how_to_write_them(app, owner):
    client, agreement_id = owner("pl")
    page = client.get(f"/agreements/{agreement_id}/interview/costs").get_data(as_text=True)
    assert 'id="monthly_fee-hint">e.g. 250\u00a0000,50</p>' in page
    assert 'aria-describedby="monthly_fee-hint"' in page
    response = post_step(client, agreement_id, "costs", {
        "currency": "PLN", "monthly_fee": "250\u202f000,50", "contract_value": "1 000 000",
        "late_interest_percent": "8,5", "payment_due_days": "30"})
    assert response.status_code == 302, errors(response)
    costs = terms_of(app, agreement_id)["costs"]
    assert (costs["monthly_fee"], costs["contract_value"], costs["late_interest_percent"]) == ("250000.50", "1000000.00", "8.5")
    page = client.get(f"/agreements/{agreement_id}/interview/costs").get_data(as_text=True)
    assert 'value="250000,50"' in page and 'value="8,5"' in page
    refused = post_step(client, agreement_id, "costs", {"monthly_fee": "1.234"})
    assert refused.status_code == 422
    assert errors(refused) == ["“1.234” could be read more than one way: write it as Polish does, "
                               "e.g. 250\u00a0000,50 (decimals after “,”)."]


def test_the_agreement_text_never_fails_on_a_stored_number_babel_cannot_hold(app):
    library = app.extensions["clause_library"]
    template = "{{ a | money('EUR') }} / {{ a | money }} / {{ a | number }} / {{ a | percent }} / {{ a | days }}"
    # Values only an edited terms file could hold: the forms refuse them.
    assert library.render(template, {"a": "1E+400"}, "en") == " / ".join([BLANK] * 4 + [f"{BLANK} days"])
    assert library.render(template, {"a": "NaN"}, "pl").startswith(BLANK)
    assert library.render(template, {"a": "1E+30"}, "en").startswith("€1,000,000,000,000,000,000,000,000,000,000.00")


# Damaged Word files -------------------------------------------------------------------------

def _docx(stored: str = "") -> bytes:
    """A small Word file; the part named `stored` is not compressed."""
    saved = io.BytesIO()
    document = docx.Document()
    document.add_paragraph("Hello " * 200)
    document.save(saved)
    out = io.BytesIO()
    with zipfile.ZipFile(saved) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for entry in source.infolist():
            target.writestr(entry.filename, source.read(entry),
                            zipfile.ZIP_STORED if entry.filename == stored else zipfile.ZIP_DEFLATED)
    return out.getvalue()


def _data_offset(raw: bytes, name: str) -> int:
    """Where the (compressed) data of entry `name` starts in the zip `raw`."""
    info = zipfile.ZipFile(io.BytesIO(raw)).getinfo(name)
    name_length, extra_length = struct.unpack("<HH", raw[info.header_offset + 26:info.header_offset + 30])
    return info.header_offset + 30 + name_length + extra_length


def _damaged(kind: str) -> bytes:
    if kind == "deflate":
        raw = bytearray(_docx())
        raw[_data_offset(bytes(raw), "word/document.xml")] = 0xFF  # a reserved deflate block type: zlib.error
        return bytes(raw)
    if kind == "crc":
        raw = bytearray(_docx(stored="word/document.xml"))
        start = _data_offset(bytes(raw), "word/document.xml")
        at = bytes(raw).index(b"Hello", start)
        raw[at] = ord("J")  # the data no longer matches its CRC-32
        return bytes(raw)
    raw = _docx()
    return raw[: len(raw) // 2] if kind == "truncated" else b"PK\x03\x04" + raw[4:200]


@pytest.mark.parametrize("kind", ["deflate", "crc", "truncated", "header"])
def test_a_damaged_word_file_is_not_readable_rather_than_a_500(app, kind):
    client = app.test_client()
    response = client.post("/verify", data={"csrf_token": csrf_token(client, "/verify"),
                                            "file": (io.BytesIO(_damaged(kind)), "signed.docx")},
                           content_type="multipart/form-data")
    assert response.status_code < 500
    assert "not a readable Word file" in response.get_data(as_text=True)


# The database --------------------------------------------------------------------------------

def test_an_error_page_after_a_failed_statement_runs_on_a_fresh_transaction(app, owner):
    def fails():
        db.session.expire(g.user)  # the page reads the user again, as after any rollback
        db.session.execute(text("SELECT * FROM no_such_table"))

    app.add_url_rule("/_fails", view_func=fails)
    client, _agreement_id = owner()
    response = client.get("/_fails")
    # On PostgreSQL the failed statement aborts the transaction: without a rollback the page itself fails.
    assert response.status_code == 500
    assert "Olivia Owner" in response.get_data(as_text=True)


def _unavailable_url(backend: str, tmp_path) -> dict:
    if backend == "sqlite":
        return {"DATABASE_URL": f"sqlite:///{tmp_path}/missing-folder/db.sqlite3"}
    return {"DATABASE_URL": "postgresql+psycopg://postgres@127.0.0.1:1/test"}


def _read_only(backend: str, config: dict) -> dict:
    if backend == "sqlite":
        path = config["DATABASE_URL"].removeprefix("sqlite:///")
        return {"DATABASE_URL": f"sqlite:///file:{path}?mode=ro&uri=true"}
    options = config["SQLALCHEMY_ENGINE_OPTIONS"]["connect_args"]["options"]
    return {**config, "SQLALCHEMY_ENGINE_OPTIONS": {
        "connect_args": {"options": options + " -c default_transaction_read_only=on"}}}


@pytest.mark.parametrize("state", ["unreachable", "read-only"])
def test_a_database_that_is_down_or_read_only_gives_a_503_page_and_a_log_line(app, backend, db_config, make_user,
                                                                               tmp_path, caplog, state):
    make_user("owner@example.com")
    config = _unavailable_url(backend, tmp_path) if state == "unreachable" else _read_only(backend, db_config)
    broken = create_app(base_config(**config))
    try:
        client = broken.test_client()
        with caplog.at_level(logging.ERROR):
            response = client.post("/login", data={"csrf_token": csrf_token(client, "/login"),
                                                   "email": "owner@example.com", "password": PASSWORD})
        assert response.status_code == 503
        assert response.headers["Retry-After"] == "60"
        page = response.get_data(as_text=True)
        assert "Temporarily unavailable" in page and "nothing was saved" in page
        assert any("database unavailable on POST /login" in r.getMessage() for r in caplog.records)
    finally:
        db.dispose(broken)


# Found by the fuzzer ---------------------------------------------------------------------------

def test_a_nul_character_in_any_submitted_value_is_dropped_not_a_500(app, owner):
    """PostgreSQL cannot store U+0000 in text: a comment or log-in carrying one was a 500 there."""
    client, agreement_id = owner()
    response = client.post(f"/agreements/{agreement_id}/comments", data={
        "csrf_token": csrf_token(client, "/agreements/new"), "body": "Fine\x00 by us", "clause_key": "services.standards"})
    assert response.status_code == 302
    with app.app_context():
        from authoring.models import Comment
        assert [c.body for c in db.session.scalars(select(Comment))] == ["Fine by us"]
    visitor = app.test_client()
    response = visitor.post("/login", data={"csrf_token": csrf_token(visitor, "/login"), "email": "\x00",
                                            "password": "x\x00"})
    assert response.status_code == 422
    assert visitor.get("/agreements?q=%00abc").status_code == 302  # to log in; the query was read
