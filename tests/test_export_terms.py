"""The terms file (authoring.export.terms), its JSON Schema, and reading one back (terms_import).

Pure: documents are built directly or assembled from the real clause library; no
database, no HTTP.
"""
from __future__ import annotations

import copy
import json
from datetime import datetime, timedelta, timezone

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from jsonschema import Draft202012Validator

from authoring import create_app
from authoring.demo_terms import demo_terms
from authoring.document import ClauseInstance, Document, Section
from authoring.export.records import ExportInfo, SignatureRecord
from authoring.export.terms import READABLE_VERSIONS, SCHEMA_VERSION, document_of, terms_file, terms_json, terms_schema
from authoring.export.terms_import import MAX_BYTES, ImportedTerms, TermsFileInvalid, read_terms_file
from authoring.library import assemble, default_choices
from authoring.library.catalogue import TermSpec

HE = "הספק יגיב לכל תקלה בתוך 4 שעות עבודה."
RU = "Заказчик оплачивает счёт в течение 14 рабочих дней."
PL = "Umowa obowiązuje przez 12 miesięcy — zażółć gęślą jaźń."
# Decomposed é, a right-to-left mark, a line separator and an emoji: kept exactly, never normalised.
TRICKY = "Cafe\u0301 \u200fשלום\u200f\u2028 café 🤝"
CREATED = datetime(2027, 1, 1, 9, 30, 5)


@pytest.fixture(scope="module")
def library():
    app = create_app({"TESTING": True, "SECRET_KEY": "x", "DATABASE_URL": "sqlite://"})
    return app.extensions["clause_library"]


@pytest.fixture(scope="module")
def demo(library):
    """{language: document} of the demo agreement, assembled from the real library."""
    return {language: assemble(library, demo_terms(language, "Managed IT"), language, default_choices(library))
            for language in ("en", "es")}


@pytest.fixture(scope="module")
def empty(library):
    return assemble(library, {}, "en", default_choices(library))


def info_for(document: Document, language: str = "en", **changes) -> ExportInfo:
    values = dict(agreement_id=7, title="Managed IT", language=language, status="negotiating",
                  provider_name="Northwind", client_name="Globex", revision_number=3,
                  revision_hash=document.sha256(), revision_created_at=CREATED)
    values.update(changes)
    return ExportInfo(**values)


def multilingual() -> Document:
    """Hebrew, Russian and Polish text, a custom clause written from scratch, interview-shaped terms."""
    terms = demo_terms("en", "Umowa serwisowa")
    terms["parties"]["provider"]["name"] = "Przedsiębiorstwo Łódzkie Sp. z o.o."
    terms["parties"]["client"]["name"] = "חברת הלקוח בע״מ"
    terms["services"]["in_scope"] = ["Серверы", "Sieć", "תחנות עבודה"]
    terms["costs"]["rates"][0]["description"] = "Инженер"
    terms["costs"]["currency"] = "PLN"
    terms["client"]["custom"] = [TRICKY]
    return Document(terms=terms, sections=(
        Section("services", "Usługi", (
            ClauseInstance("services.response", "תגובה", HE, "services.response", "standard"),
            ClauseInstance("services.extra", "Dodatkowe", TRICKY, custom=True),
        )),
        Section("payment", "Оплата", (
            ClauseInstance("payment.due", "Срок оплаты", RU, "payment.due", "net", custom=True),
            ClauseInstance("payment.term", "Okres", PL),
        )),
    ))


def validator() -> Draft202012Validator:
    return Draft202012Validator(terms_schema(), format_checker=Draft202012Validator.FORMAT_CHECKER)


def schema_messages(data: dict) -> list[str]:
    return [error.message for error in validator().iter_errors(data)]


def refused(raw: bytes) -> list[tuple[str, str]]:
    with pytest.raises(TermsFileInvalid) as caught:
        read_terms_file(raw)
    return caught.value.errors


def encode(data) -> bytes:
    return json.dumps(data, ensure_ascii=False).encode("utf-8")


# The schema ---------------------------------------------------------------------------------

def test_schema_is_valid_draft_2020_12_with_a_versioned_id():
    schema = terms_schema()
    Draft202012Validator.check_schema(schema)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["$id"].endswith("/schema/terms/v1.json")
    assert schema["title"] and schema["description"]
    # Files of every version this application reads are valid; it writes the newest.
    assert schema["properties"]["schema_version"]["enum"] == list(READABLE_VERSIONS) == ["1.0", SCHEMA_VERSION]
    assert SCHEMA_VERSION == "1.1"


def _resolve(schema: dict, node: dict) -> dict:
    while "$ref" in node and "properties" not in node:
        node = schema["$defs"][node["$ref"].removeprefix("#/$defs/")]
    return node


def missing_from_schema(spec: TermSpec, node: dict, schema: dict, path: str = "terms") -> list[str]:
    """Every catalogue term the schema node does not describe with the right type."""
    if spec.type == "object" or (spec.type == "list" and spec.fields):
        node = _resolve(schema, node)
        if spec.type == "list":
            if node.get("type") != "array":
                return [f"{path}: not a list"]
            node = _resolve(schema, node["items"])
        if node.get("additionalProperties") is not False:
            return [f"{path}: accepts unknown fields"]
        problems = [f"{path}.{name}: not in the schema" for name in spec.fields if name not in node["properties"]]
        problems += [f"{path}.{name}: not in the catalogue" for name in node["properties"] if name not in spec.fields]
        for name, child in spec.fields.items():
            if name in node["properties"]:
                problems += missing_from_schema(child, node["properties"][name], schema, f"{path}.{name}")
        return problems
    if spec.type == "list":
        return [] if node.get("items") == {"type": "string"} else [f"{path}: not a list of text"]
    if spec.type == "choice":
        return [] if node.get("enum") == [*spec.options, "", None] else [f"{path}: options differ"]
    return [] if node.get("$ref") == f"#/$defs/{spec.type}" else [f"{path}: not typed {spec.type}"]


def test_every_group_and_field_of_the_catalogue_is_in_the_schema(library):
    schema = terms_schema()
    assert missing_from_schema(library.catalogue.root, schema["properties"]["terms"], schema) == []


def test_a_new_catalogue_term_without_a_schema_entry_is_noticed(library):
    schema = terms_schema()
    root = library.catalogue.root
    costs = root.fields["costs"]
    grown = TermSpec("", "object", fields={
        **root.fields, "costs": TermSpec("costs", "object", fields={**costs.fields, "discount": TermSpec("costs.discount", "percent")}),
    })
    assert missing_from_schema(grown, schema["properties"]["terms"], schema) == ["terms.costs.discount: not in the schema"]
    retyped = TermSpec("", "object", fields={**root.fields, "general": TermSpec("general", "object", fields={
        "confidentiality_years": TermSpec("general.confidentiality_years", "money")})})
    assert missing_from_schema(retyped, schema["properties"]["terms"], schema) == [
        "terms.general.confidentiality_years: not typed money"]


def test_type_definitions_accept_blanks_and_refuse_wrong_types():
    schema = terms_schema()
    check = lambda name, value: list(Draft202012Validator(  # noqa: E731
        {**schema["$defs"][name], "$defs": schema["$defs"]}, format_checker=Draft202012Validator.FORMAT_CHECKER,
    ).iter_errors(value))
    for name in ("money", "decimal", "percent", "hours", "date", "text"):
        assert check(name, "") == [] and check(name, None) == [], name
    assert check("money", "1250.00") == [] and check("money", "1250.5") and check("money", 1250) and check("money", 12.5)
    assert check("decimal", "0.5") == [] and check("decimal", "-1") and check("decimal", "1e3") and check("decimal", "١٢")
    assert check("date", "2028-02-29") == [] and check("date", "2027-02-29") and check("date", "01/02/2027")
    assert check("days", 0) == [] and check("days", None) == [] and check("days", -1) and check("days", "") and check("days", "5")
    assert check("boolean", False) == [] and check("boolean", "yes") and check("boolean", 0)


# Exporting ----------------------------------------------------------------------------------

@pytest.mark.parametrize("language", ["en", "es"])
def test_demo_agreement_exports_a_valid_file_with_explicit_views(demo, language):
    document = demo[language]
    data = terms_file(document, info_for(document, language))
    assert schema_messages(data) == []
    assert data["terms"] == document.terms
    assert data["revision"] == {"number": 3, "sha256": document.sha256(), "created_at": "2027-01-01T09:30:05Z"}
    assert data["agreement"] == {"id": 7, "title": "Managed IT", "language": language, "status": "negotiating"}
    assert data["parties"]["provider"]["organisation"] == "Northwind"
    assert data["parties"]["client"]["contacts"]["billing"]["email"] == "ap@globex.example"
    assert data["costs"]["currency"] == "EUR" and data["costs"]["late_payment"] == {"interest_percent_per_year": "8"}
    assert [rate["price"] for rate in data["costs"]["rates"]] == ["85.00", "120.00"]
    assert data["costs"]["payment_schedule"][0]["amount"] is None
    assert data["services"]["service_levels"]["availability_percent"] == "99.5"
    assert [m["due_date"] for m in data["milestones"]] == ["2027-02-15", "2027-03-31"]
    assert data["sanctions"]["credit_cap_percent_of_monthly_fee"] == "15"
    assert data["review"]["cadence"] == "quarterly"
    assert data["client_responsibilities"]["feedback_business_days"] == 2
    assert data["escalation"]["final_forum"] == "arbitration" and data["change_control"]["requesters"] == "either_party"
    first = data["sections"][0]
    assert first["number"] == "1" and first["clauses"][0]["number"] == "1.1"
    assert sum(len(s["clauses"]) for s in data["sections"]) == len(list(document.clauses()))


def test_an_unfinished_interview_exports_a_valid_file_with_null_views(empty):
    data = terms_file(empty, info_for(empty))
    assert schema_messages(data) == []
    assert data["costs"]["currency"] is None and data["costs"]["rates"] == []
    assert data["parties"]["provider"]["name"] is None and data["period"]["auto_renew"] is False
    assert read_terms_file(terms_json(empty, info_for(empty))).document == empty


def test_a_draft_with_empty_strings_and_missing_fields_is_valid(demo):
    terms = copy.deepcopy(demo["en"].terms)
    terms["costs"]["currency"] = ""
    terms["costs"]["pricing_model"] = ""
    terms["timeline"]["end_date"] = ""
    del terms["sanctions"]["cure_days"]
    del terms["general"]
    terms["costs"]["rates"] = [{"code": "ENG", "price": ""}]
    document = Document(terms=terms, sections=demo["en"].sections)
    data = terms_file(document, info_for(document))
    assert schema_messages(data) == []
    assert data["costs"]["rates"] == [{"code": "ENG", "description": None, "unit": None, "price": None,
                                       "out_of_hours_multiplier": None}]
    assert read_terms_file(terms_json(document, info_for(document))).document.terms == terms


def test_hebrew_russian_polish_document_exports_a_valid_file_with_signatures():
    document = multilingual()
    signed = SignatureRecord("client", "חברת הלקוח", "Ольга Иванова", "Dyrektor", "olga@example.com",
                             datetime(2027, 1, 2, 12, 0, tzinfo=timezone(timedelta(hours=2))), "10.0.0.1", 3,
                             document.sha256(), "I agree", valid=True)
    data = terms_file(document, info_for(document, "pl"), [signed])
    assert schema_messages(data) == []
    assert data["signatures"] == [{"side": "client", "organisation": "חברת הלקוח", "name": "Ольга Иванова",
                                   "title": "Dyrektor", "signed_at": "2027-01-02T10:00:00Z", "revision_number": 3,
                                   "revision_sha256": document.sha256(), "valid": True}]
    extra = data["sections"][0]["clauses"][1]
    assert extra["library_id"] is None and extra["variant"] is None and extra["custom"] is True
    assert extra["content_hash"] == document.clause("services.extra").content_hash


def test_any_document_comes_back_exactly_from_its_file():
    """Even terms outside the catalogue (as in the redline tests): document_of copies them, never reinterprets."""
    terms = {"fees": {"monthly": "1,000.50", "currency": "PLN"}, "sla": {"response_hours": 4, "weekend": False},
             "contacts": [{"name": "Anna Kowalska", "email": None}]}
    document = Document(terms=terms, sections=multilingual().sections)
    data = terms_file(document, info_for(document))
    assert document_of(data) == document and document_of(data).sha256() == document.sha256()
    assert document_of(json.loads(terms_json(document, info_for(document)))).sha256() == document.sha256()
    assert "Additional properties are not allowed ('contacts', 'fees', 'sla' were unexpected)" in schema_messages(data)


def test_terms_schema_is_loaded_once_and_handed_out_as_a_copy():
    terms_schema()["$id"] = "changed"
    assert terms_schema()["$id"].endswith("/schema/terms/v1.json")


def test_terms_json_is_deterministic_sorted_indented_and_unescaped():
    document = multilingual()
    reordered = Document(terms=dict(reversed(list(document.terms.items()))), sections=document.sections)
    raw = terms_json(document, info_for(document))
    assert raw == terms_json(reordered, info_for(reordered))
    assert raw.endswith(b"}\n") and b'\n  "$schema": ' in raw
    assert raw == (json.dumps(json.loads(raw), ensure_ascii=False, sort_keys=True, indent=2) + "\n").encode()
    for text in (HE, RU, PL, TRICKY):
        assert json.dumps(text, ensure_ascii=False).encode("utf-8") in raw
    assert b"\\u" not in raw


def test_created_at_is_utc_whatever_the_zone():
    document = multilingual()
    warsaw = datetime(2027, 6, 1, 14, 0, tzinfo=timezone(timedelta(hours=2)))
    assert terms_file(document, info_for(document, revision_created_at=warsaw))["revision"]["created_at"] == "2027-06-01T12:00:00Z"


# Reading back -------------------------------------------------------------------------------

@pytest.mark.parametrize("which", ["en", "es", "empty", "multilingual"])
def test_export_read_export_gives_the_same_terms_sections_and_hash(demo, empty, which):
    document = {"empty": empty, "multilingual": multilingual()}.get(which) or demo[which]
    info = info_for(document, "es" if which == "es" else "en")
    raw = terms_json(document, info)
    imported = read_terms_file(raw)
    assert isinstance(imported, ImportedTerms)
    again = terms_file(imported.document, info)
    first = terms_file(document, info)
    assert again["terms"] == first["terms"] and again["sections"] == first["sections"]
    assert terms_json(imported.document, info) == raw
    assert document_of(json.loads(raw)).sha256() == document.sha256() == imported.document.sha256()
    assert (imported.source_agreement_id, imported.source_revision, imported.source_sha256) == (7, 3, document.sha256())
    assert (imported.title, imported.provider_name, imported.client_name) == ("Managed IT", "Northwind", "Globex")


def test_unicode_survives_byte_for_byte():
    document = multilingual()
    imported = read_terms_file(terms_json(document, info_for(document)))
    assert imported.document.clause("services.extra").text == TRICKY
    assert imported.document.clause("services.extra").text.encode() == TRICKY.encode()
    assert imported.document.terms["client"]["custom"] == [TRICKY]
    assert [c.text for c in imported.document.clauses()] == [HE, TRICKY, RU, PL]


def test_a_utf8_byte_order_mark_is_accepted():
    document = multilingual()
    assert read_terms_file(b"\xef\xbb\xbf" + terms_json(document, info_for(document))).document == document


def test_an_edited_term_imports_but_is_no_longer_the_source_revision(demo):
    document = demo["en"]
    data = terms_file(document, info_for(document))
    data["terms"]["costs"]["currency"] = data["costs"]["currency"] = "PLN"
    imported = read_terms_file(encode(data))
    assert imported.document.terms["costs"]["currency"] == "PLN"
    assert imported.source_sha256 is None and imported.source_revision == 3


def test_a_file_written_elsewhere_has_no_source():
    document = multilingual()
    data = terms_file(document, info_for(document))
    data["agreement"]["id"] = None
    data["revision"] = {"number": None, "sha256": None, "created_at": None}
    imported = read_terms_file(encode(data))
    assert (imported.source_agreement_id, imported.source_revision, imported.source_sha256) == (None, None, None)


# Refusals -----------------------------------------------------------------------------------

@pytest.fixture
def valid(demo) -> dict:
    document = demo["en"]
    return terms_file(document, info_for(document))


def test_too_large_is_refused_before_reading():
    assert refused(b" " * (MAX_BYTES + 1)) == [("", f"the file is {MAX_BYTES + 1:,} bytes; at most {MAX_BYTES:,} bytes are accepted")]


def test_not_utf8_not_json_not_an_object():
    assert refused(b'{"title": "caf\xe9"}') == [("", "not UTF-8 text: byte 0xe9 at offset 14 is not part of a UTF-8 character")]
    assert refused(b'{\n  "a": 1,\n}') == [("", "not JSON: Expecting property name enclosed in double quotes at line 3, column 1")]
    assert refused(b"") == [("", "not JSON: Expecting value at line 1, column 1")]
    assert refused(b"[1, 2]") == [("", "the file must hold a JSON object, not an array")]
    assert refused(b'{"a": NaN}') == [("", "not JSON this application accepts: NaN is not a JSON number")]
    assert refused(b'{"a": 1, "a": 2}') == [("", "not JSON this application accepts: the name 'a' appears twice in one object")]
    assert refused(b'{"a": ' + b"9" * 5000 + b"}") == [("", "not JSON this application accepts: a number is too long")]
    assert refused("not bytes") == [("", "expected the file's bytes, got str")]


def test_deep_nesting_is_refused_without_recursing():
    assert refused(b'{"a": ' + b"[" * 100_000 + b"]" * 100_000 + b"}") == [("", "nested too deeply to read")]
    errors = refused(b'{"a": ' + b"[" * 200 + b"]" * 200 + b"}")
    assert errors == [("/a/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0", "nested more than 32 levels deep")]


def test_unknown_schema_version_is_refused_alone(valid):
    valid["schema_version"] = "2.0"
    valid["surprise"] = True
    assert refused(encode(valid)) == [("/schema_version", "unknown schema version '2.0': this application reads versions 1.0, 1.1")]


def test_float_in_money_wrong_date_unknown_field_missing_field_each_fail(valid):
    cases = {
        "float money": (lambda d: d["terms"]["costs"].update(monthly_fee=4000.0),
                        ("/terms/costs/monthly_fee", "4000.0 is not of type 'string', 'null'")),
        "comma decimal": (lambda d: d["terms"]["costs"]["rates"][0].update(price="12,5"),
                          ("/terms/costs/rates/0/price", "'12,5' does not match '^(?:[0-9]+\\\\.[0-9]{2})?$'")),
        "impossible date": (lambda d: d["terms"]["timeline"].update(end_date="2027-02-30"),
                            ("/terms/timeline/end_date", "'2027-02-30' is not a 'date'")),
        "newline after date": (lambda d: d["terms"]["client"].update(access_date="2027-01-10\n"),
                               ("/terms/client/access_date", "'2027-01-10\\n' does not match")),
        "newline after money": (lambda d: d["terms"]["costs"].update(contract_value="96000.00\n"),
                                ("/terms/costs/contract_value", "does not match")),
        "unknown field": (lambda d: d["terms"]["costs"].update(discount="5"),
                          ("/terms/costs", "Additional properties are not allowed ('discount' was unexpected)")),
        "unknown group": (lambda d: d["terms"].update(fees={}),
                          ("/terms", "Additional properties are not allowed ('fees' was unexpected)")),
        "missing field": (lambda d: d["agreement"].pop("title"), ("/agreement", "'title' is a required property")),
        "missing section": (lambda d: d.pop("sections"), ("", "'sections' is a required property")),
        "float days": (lambda d: d["terms"]["costs"].update(payment_due_days=30.0),
                       ("/terms/costs/payment_due_days", "30.0 is not of type 'integer', 'null'")),
        "negative days": (lambda d: d["terms"]["sanctions"].update(cure_days=-1),
                          ("/terms/sanctions/cure_days", "-1 is less than the minimum of 0")),
        "not a choice": (lambda d: d["terms"]["change"].update(review_cadence="weekly"),
                         ("/terms/change/review_cadence", "'weekly' is not one of")),
        "wrong schema": (lambda d: d.update({"$schema": "https://example.com/other.json"}),
                         ("/$schema", "'https://accord.example/schema/terms/v1.json' was expected")),
    }
    for name, (mutate, (pointer, message)) in cases.items():
        data = copy.deepcopy(valid)
        mutate(data)
        errors = refused(encode(data))
        assert [p for p, _ in errors] == [pointer], (name, errors)
        assert message in errors[0][1], (name, errors)


def test_every_error_is_reported_in_document_order(valid):
    valid["terms"]["costs"]["rates"][1]["price"] = 120
    valid["terms"]["costs"]["rates"][0]["price"] = "12,5"
    valid["terms"]["timeline"]["effective_date"] = "1 January 2027"
    valid["agreement"]["status"] = ""
    valid["sections"][1]["clauses"][0]["text"] += " (edited)"
    valid["sections"][0]["clauses"].append(copy.deepcopy(valid["sections"][2]["clauses"][0]))
    valid["signatures"] = [{"side": "nobody"}]
    error = pytest.raises(TermsFileInvalid, read_terms_file, encode(valid)).value
    pointers = [pointer for pointer, _ in error.errors]
    last = len(valid["sections"][0]["clauses"]) - 1
    assert pointers == [
        "/agreement/status",
        "/terms/timeline/effective_date",
        "/terms/costs/rates/0/price",
        "/terms/costs/rates/1/price",
        f"/sections/0/clauses/{last}/number",
        "/sections/1/clauses/0/sha256",
        "/sections/1/clauses/0/content_hash",
        "/sections/2/clauses/0/key",
        *["/signatures/0"] * 7,  # each missing field, alphabetically
        "/signatures/0/side",
    ], error.errors
    assert error.errors[8] == ("/signatures/0", "'name' is a required property")
    text = str(error)
    assert text.startswith(f"The terms file was refused ({len(pointers)} problems):")
    assert all(f"  {pointer}: " in text for pointer in pointers)


def test_clause_text_that_does_not_match_its_sha256(valid):
    valid["sections"][2]["clauses"][0]["text"] = "A different text."
    errors = refused(encode(valid))
    assert errors[0] == ("/sections/2/clauses/0/sha256", "does not match the clause text")


def test_a_changed_title_breaks_only_the_content_hash(valid):
    valid["sections"][0]["clauses"][0]["title"] = "Renamed"
    assert refused(encode(valid)) == [("/sections/0/clauses/0/content_hash",
                                       "does not match the clause (its key, title, text, library_id, variant, custom, template and unstated_terms)")]


def test_duplicate_clause_and_section_keys(valid):
    first_key = valid["sections"][0]["clauses"][0]["key"]
    valid["sections"][3]["clauses"][0]["key"] = first_key
    valid["sections"][2]["key"] = valid["sections"][0]["key"]
    errors = dict(refused(encode(valid)))
    assert errors["/sections/2/key"].startswith(f"{valid['sections'][0]['key']!r} is used twice: section keys are unique")
    assert errors["/sections/3/clauses/0/key"] == (
        f"{first_key!r} is used twice: clause keys are unique across the agreement (first at /sections/0/clauses/0/key)")


def test_a_view_that_disagrees_with_the_terms(valid):
    valid["costs"]["currency"] = "USD"
    valid["milestones"][1]["due_date"] = "2027-04-30"
    valid["parties"]["client"]["contacts"]["billing"]["email"] = "x@example.com"
    valid["parties"]["client"]["organisation"] = "Anyone"  # not a copy of the terms: free
    assert refused(encode(valid)) == [
        ("/parties/client/contacts/billing/email",
         "'x@example.com' is not what /terms/parties/client/contacts/billing/email says ('ap@globex.example'): the views repeat the terms"),
        ("/milestones/1/due_date",
         "'2027-04-30' is not what /terms/timeline/milestones/1/due_date says ('2027-03-31'): the views repeat the terms"),
        ("/costs/currency", "'USD' is not what /terms/costs/currency says ('EUR'): the views repeat the terms"),
    ]


def test_text_that_is_not_unicode_is_refused(valid):
    raw = encode(valid).replace(b'"Managed IT"', b'"Managed \\ud800IT"', 1)
    assert refused(raw) == [("/agreement/title", "not Unicode text: holds an unpaired surrogate")]


def test_error_text_is_short_and_listed(valid):
    valid["terms"]["services"]["in_scope"] = [1] * 300
    error = pytest.raises(TermsFileInvalid, read_terms_file, encode(valid)).value
    assert len(error.errors) == 300
    assert str(error).endswith("  … and 200 more")


# Robustness ---------------------------------------------------------------------------------

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4),
    max_leaves=20,
)


def outcome(raw: bytes) -> ImportedTerms | TermsFileInvalid:
    """What reading `raw` gives: the imported terms, or the refusal (anything else propagates and fails)."""
    try:
        return read_terms_file(raw)
    except TermsFileInvalid as error:
        return error


def assert_well_formed_refusal(error: TermsFileInvalid) -> None:
    assert error.errors and all(isinstance(p, str) and isinstance(m, str) for p, m in error.errors)
    assert str(error).encode("utf-8")  # printable, and says something


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=300))
def test_any_bytes_are_read_or_refused(raw):
    # 300 random bytes are never a complete terms file: always a refusal that lists its problems.
    result = outcome(raw)
    assert isinstance(result, TermsFileInvalid)
    assert_well_formed_refusal(result)


@settings(max_examples=200, deadline=None)
@given(json_values)
def test_any_json_is_read_or_refused(value):
    # No random JSON value carries the schema's required members: always a refusal.
    result = outcome(json.dumps(value).encode())
    assert isinstance(result, TermsFileInvalid)
    assert_well_formed_refusal(result)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data(), replacement=json_values)
def test_any_change_to_a_valid_file_is_read_or_refused(valid, data, replacement):
    changed = copy.deepcopy(valid)
    node, parent, key = changed, None, None
    while isinstance(node, (dict, list)) and node:
        parent, key = node, data.draw(st.sampled_from(list(node) if isinstance(node, dict) else range(len(node))))
        if data.draw(st.booleans()):
            break
        node = node[key]
    if parent is not None:
        if data.draw(st.booleans()):
            parent[key] = replacement
        elif isinstance(parent, dict):
            del parent[key]
    result = outcome(json.dumps(changed, ensure_ascii=data.draw(st.booleans())).encode("utf-8", "surrogatepass"))
    if isinstance(result, TermsFileInvalid):
        assert changed != valid  # the untouched file is always read
        assert_well_formed_refusal(result)
        return
    # Read: exactly the document the changed file describes, and the original's hash is
    # claimed only when that document is still the original one.
    assert isinstance(result, ImportedTerms)
    assert result.document.sha256() == document_of(changed).sha256()
    original = valid["revision"]["sha256"]
    assert result.source_sha256 == (original if result.document.sha256() == original else None)
