"""The document model: canonical JSON, hashing, exact text, validation. Pure Python, no app."""
from __future__ import annotations

import hashlib
import json

import pytest
from hypothesis import given, strategies as st

from authoring.document import ClauseInstance, Document, DocumentError, Section, canonical_json

MULTILINGUAL = {
    "he": "הספק יגיב לכל תקלה בתוך 4 שעות עבודה.",
    "pl": "Dostawca odpowie na każde zgłoszenie w ciągu 4 godzin roboczych — zażółć gęślą jaźń.",
    "ru": "Исполнитель отвечает на обращение в течение 4 рабочих часов.",
    "es": "El Cliente aprobará los contenidos en un plazo de dos días hábiles; ¿señal? ñandú.",
    "tl": "Ang Tagapagbigay ay tutugon sa loob ng 4 na oras ng trabaho.",
}


def sample(text="The Provider will respond within 4 hours.") -> Document:
    return Document(
        terms={"parties": {"provider": {"name": "P"}, "client": {"name": "C"}}, "fee": "1200.50"},
        sections=(Section("services", "Services", (ClauseInstance("services.response", "Response", text, "sla.response", "balanced"),)),),
    )


def test_canonical_json_is_sorted_compact_utf8():
    data = {"b": 1, "a": {"ż": "שלום", "c": [1, 2]}}
    raw = canonical_json(data)
    assert raw == '{"a":{"c":[1,2],"ż":"שלום"},"b":1}'.encode("utf-8")


def test_hash_is_sha256_of_canonical_json_and_ignores_dict_order():
    document = sample()
    assert document.sha256() == hashlib.sha256(document.canonical_json()).hexdigest()
    reordered = Document(terms={"fee": "1200.50", "parties": {"client": {"name": "C"}, "provider": {"name": "P"}}},
                         sections=document.sections)
    assert reordered.sha256() == document.sha256()
    assert sample("The Provider will respond within 5 hours.").sha256() != document.sha256()


@pytest.mark.parametrize("language", sorted(MULTILINGUAL))
def test_text_survives_round_trip_exactly(language):
    text = MULTILINGUAL[language]
    document = sample(text)
    again = Document.from_json(document.canonical_json())
    assert again.clause("services.response").text == text
    assert again == document
    assert text.encode("utf-8") in document.canonical_json()  # UTF-8, not \u escapes


@given(st.text(max_size=400))
def test_any_text_is_kept_as_typed(text):
    """No stripping, no Unicode normalisation, no newline changes: bytes in == bytes out."""
    document = sample().with_clause_text("services.response", text)
    restored = Document.from_json(document.canonical_json())
    assert restored.clause("services.response").text == text
    assert restored.sha256() == document.sha256()


def test_editing_text_marks_clause_custom_and_leaves_original_untouched():
    original = sample()
    edited = original.with_clause_text("services.response", "Within 2 hours.")
    assert edited.clause("services.response").custom is True
    assert original.clause("services.response").custom is False
    assert original.clause("services.response").text == "The Provider will respond within 4 hours."
    with pytest.raises(KeyError):
        original.with_clause_text("no.such.clause", "x")


def test_terms_are_copied_so_callers_cannot_change_a_document():
    terms = {"fee": "10"}
    document = Document(terms=terms)
    terms["fee"] = "99"
    document.to_dict()["terms"]["fee"] = "77"
    assert document.terms["fee"] == "10"


@pytest.mark.parametrize("data, message", [
    ({"terms": {"fee": 1.5}, "sections": []}, "floats are not allowed"),
    ({"terms": [], "sections": []}, "terms: must be an object"),
    ({"sections": [{"key": "a", "title": "A", "clauses": [{"key": "x", "title": "X", "text": "t"},
                                                          {"key": "x", "title": "Y", "text": "u"}]}]}, "key used twice"),
    ({"sections": [{"key": "Bad Key", "title": "A"}]}, "key must be"),
    ({"sections": [{"key": "a", "title": "A", "clauses": [{"key": "x", "title": "X", "text": 5}]}]}, "must be text"),
    ({"sections": [{"key": "a", "title": "A", "clauses": [{"key": "x", "title": "X", "text": "t", "extra": 1}]}]}, "unknown fields"),
    ({"sections": [], "other": 1}, "unknown fields"),
])
def test_malformed_documents_are_refused_with_the_place_named(data, message):
    with pytest.raises(DocumentError, match=message):
        Document.from_dict(data)


def test_not_json_is_a_document_error():
    with pytest.raises(DocumentError, match="not valid JSON"):
        Document.from_json("{nope")


def test_numbering():
    document = Document(sections=(
        Section("a", "A", (ClauseInstance("a.1", "One", "x"), ClauseInstance("a.2", "Two", "y"))),
        Section("b", "B", (ClauseInstance("b.1", "Three", "z"),)),
    ))
    numbers = [(n, s.key, [(cn, c.key) for cn, c in cs]) for n, s, cs in document.numbered()]
    assert numbers == [("1", "a", [("1.1", "a.1"), ("1.2", "a.2")]), ("2", "b", [("2.1", "b.1")])]
    assert json.loads(document.canonical_json())["sections"][1]["clauses"][0]["title"] == "Three"
