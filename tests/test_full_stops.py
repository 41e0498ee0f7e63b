"""One full stop, never two (issue 14): a value that ends with "." before a template's full stop.

"… to {{ name }}." with a name "Acme Ltd." reads "to Acme Ltd.", in the clause text, the page,
the Word file and terms.json, in every language; an ellipsis a person typed keeps its dots; and
an edited clause stays bound to the term, so a later value without a stop gets the stop back.
"""
from __future__ import annotations

import io
import json
import re
import zipfile

import pytest
from conftest import post_form
from hypothesis import HealthCheck, given, settings, strategies as st
from lxml import etree
from test_negotiation import propose_text
from test_terms_binding import assert_text_states_the_terms

from authoring import ROOT
from authoring.config import LANGUAGES
from authoring.demo_terms import demo_terms
from authoring.document import Document
from authoring.document.terms import term_value, with_term
from authoring.extensions import db
from authoring.library import assemble, default_choices, load_library
from authoring.library.assembly import reword
from authoring.library.binding import clause_bound, library_bound, parts_bound
from authoring.models import Draft
from authoring.negotiation.changes import InvalidChange, reword_clause

LIBRARY = load_library(ROOT / "clauses")
DOUBLED = re.compile(r"(?<!\.)\.\.(?!\.)")  # two stops, not an ellipsis
STANDARDS = "services.standards"  # a text term every language's default text ends a sentence with


def _with_every_text(spec, value, ending: str):
    """The sample terms with every free-text value (list rows and items too) ending in `ending`."""
    if spec.type == "object":
        return {name: _with_every_text(child, (value or {}).get(name), ending) for name, child in spec.fields.items()}
    if spec.type == "list" and spec.item_type == "text":
        return [f"{item}{ending}" for item in value or []]
    if spec.type == "list" and spec.fields:
        return [{name: _with_every_text(child, row.get(name), ending) for name, child in spec.fields.items()}
                for row in value or []]
    if spec.type == "text" and isinstance(value, str):
        return f"{value.rstrip('.')}{ending}"
    return value


def assembled(language: str, **changes) -> Document:
    terms = demo_terms(language, "Managed IT")
    for path, value in changes.items():
        terms = with_term(terms, path.replace("__", "."), value)
    return assemble(LIBRARY, terms, language, default_choices(LIBRARY))


def stating(document: Document, term: str) -> str:
    """The key of the first clause whose library text states `term` right before its own full stop."""
    for clause in document.clauses():
        segments = library_bound(LIBRARY, clause.clause_id, clause.variant, document.terms, "en").segments
        for segment, following in zip(segments, segments[1:]):
            if not isinstance(segment, str) and segment[0].term == term and str(following).startswith("."):
                return clause.key
    raise AssertionError(f"no clause ends a sentence with {term}")


# The library ----------------------------------------------------------------------------------

@pytest.mark.parametrize("language", LANGUAGES)
def test_no_variant_writes_a_second_stop_after_a_value_that_ends_with_one(language):
    """Every free-text value ends in "Qz." instead of "Qz": each text is the same but for that one stop."""
    dotted = _with_every_text(LIBRARY.catalogue.root, LIBRARY.catalogue.sample_terms(), " Qz.")
    plain = _with_every_text(LIBRARY.catalogue.root, LIBRARY.catalogue.sample_terms(), " Qz")
    sentence_ends = 0
    for clause in LIBRARY.clauses.values():
        for variant in clause.variants:
            text = LIBRARY.render_clause(clause.id, variant, dotted, language)
            undotted = LIBRARY.render_clause(clause.id, variant, plain, language)
            assert not DOUBLED.search(text), (clause.id, variant, text[max(0, DOUBLED.search(text).start() - 40):])
            assert text == undotted.replace(" Qz", " Qz.").replace(" Qz..", " Qz."), (clause.id, variant)
            sentence_ends += undotted.count(" Qz.")
    assert sentence_ends >= 10, "the library ends sentences with free-text values in every language"


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_stop_after_a_value_is_written_once_and_an_ellipsis_keeps_its_dots(language):
    document = assembled(language, services__standards="ITIL 4 etc.", background__objectives="Less downtime...")
    key = stating(document, STANDARDS)
    assert "ITIL 4 etc." in document.clause(key).text and "ITIL 4 etc.." not in document.clause(key).text
    without = assembled(language, services__standards="ITIL 4")
    assert "ITIL 4." in without.clause(key).text
    background = [c.text for c in document.clauses() if "Less downtime" in c.text]
    assert background and all("Less downtime..." in t and "Less downtime...." not in t for t in background)


def test_a_value_ending_with_a_stop_in_the_middle_of_a_sentence_is_left_alone():
    document = assembled("en", parties__client__contacts__delivery__name="J. Smith Jr.")
    assert "Tomasz Wiśniewski and J. Smith Jr.; " in document.clause("background.contacts").text
    samples = LIBRARY.catalogue.sample_terms()
    # A Russian long date ends with "г.": the sentence's stop is not added to it.
    assert LIBRARY.render("С {{ timeline.effective_date | date }}.", samples, "ru") == "С 1 января 2027\u202fг."
    assert LIBRARY.render("{{ services.standards }}... and more.", {**samples, "services": {"standards": "ISO"}},
                          "en") == "ISO... and more."


# Editing and re-binding -------------------------------------------------------------------

@pytest.mark.parametrize("language", LANGUAGES)
def test_an_edited_clause_keeps_the_value_bound_and_a_later_value_gets_the_stop_back(language):
    document = assembled(language, services__standards="ITIL 4 etc.")
    key = stating(document, STANDARDS)
    edited_text = document.clause(key).text + " (1)"
    edited, rebinding = reword(LIBRARY, document, key, edited_text, language)
    clause = edited.clause(key)
    assert not rebinding.changes and not rebinding.dropped and clause.text == edited_text
    assert STANDARDS in {slot.term for slot in clause.slots()}, "the value is still a slot of the edited text"
    later = assemble(LIBRARY, with_term(edited.terms, STANDARDS, "ITIL 4"), language, default_choices(LIBRARY),
                     previous=edited)
    text = later.clause(key).text
    assert "ITIL 4." in text and "etc." not in text and text.endswith(" (1)")
    back = assemble(LIBRARY, with_term(later.terms, STANDARDS, "ITIL 4 et al."), language, default_choices(LIBRARY),
                    previous=later)
    assert "ITIL 4 et al." in back.clause(key).text and not DOUBLED.search(back.clause(key).text)


def test_rewriting_the_value_in_the_text_changes_the_term_and_keeps_one_stop():
    document = assembled("en", services__standards="ITIL 4 etc.")
    key = stating(document, STANDARDS)
    text = document.clause(key).text
    edited, rebinding = reword(LIBRARY, document, key, text.replace("ITIL 4 etc.", "ITIL 4 et al."), "en")
    assert rebinding.changes == {STANDARDS: "ITIL 4 et al."}
    assert edited.clause(key).text == text.replace("ITIL 4 etc.", "ITIL 4 et al.")
    later = assemble(LIBRARY, with_term(edited.terms, STANDARDS, "ISO 9001"), "en", default_choices(LIBRARY),
                     previous=edited)
    assert "ISO 9001." in later.clause(key).text


@pytest.mark.parametrize("how, new, later", [
    # The sentence goes on after the value: its "." is the value's, and no stop comes back.
    ("carry on", lambda t: t.replace("ITIL 4 etc.", "ITIL 4 etc. and its successors"), "ITIL 4 and its successors"),
    # A new sentence after the value: the value still ends the first one.
    ("new sentence", lambda t: t.replace("ITIL 4 etc.", "ITIL 4 etc. Both apply."), "ITIL 4. Both apply."),
    # A stop typed twice stays typed twice.
    ("typed twice", lambda t: t.replace("ITIL 4 etc.", "ITIL 4 etc.."), "ITIL 4.."),
    ("ellipsis", lambda t: t.replace("ITIL 4 etc.", "ITIL 4 etc..."), "ITIL 4..."),
])
def test_what_follows_the_value_after_an_edit_decides_whether_its_stop_comes_back(how, new, later):
    document = assembled("en", services__standards="ITIL 4 etc.")
    key = stating(document, STANDARDS)
    text = new(document.clause(key).text)
    edited, rebinding = reword(LIBRARY, document, key, text, "en")
    assert edited.clause(key).text == text and not rebinding.changes
    assert parts_bound(LIBRARY, edited.clause(key).parts, edited.terms, "en").text == text
    after = assemble(LIBRARY, with_term(edited.terms, STANDARDS, "ITIL 4"), "en", default_choices(LIBRARY),
                     previous=edited)
    assert later in after.clause(key).text


DOTTED = assembled("en", services__standards="ITIL 4 etc.", parties__client__contacts__escalation__name="J. Smith Jr.",
                   change__reporting="a summary of tickets.")
DOTTED_KEYS = [c.key for c in DOTTED.clauses()
               if any(not isinstance(s, str) and s[1].endswith(".")
                      for s in library_bound(LIBRARY, c.clause_id, c.variant, DOTTED.terms, "en").segments)]
EDIT = st.tuples(
    st.sampled_from(DOTTED_KEYS),
    st.sampled_from(["value", "delete", "insert"]),
    st.integers(min_value=0, max_value=10_000),
    st.integers(min_value=0, max_value=12),
    st.sampled_from([".", "..", "...", " Next.", " and more", "etc.", "Ltd.", "Acme", ", ", "\n"]),
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(EDIT, min_size=1, max_size=6))
def test_after_any_edits_around_values_ending_with_a_stop_the_text_states_the_terms(edits):
    document = DOTTED
    for key, how, at, size, words in edits:
        text = document.clause(key).text
        at %= len(text) + 1
        if how == "value":
            slots = [s for s in clause_bound(LIBRARY, document.clause(key), document.terms, "en").segments
                     if not isinstance(s, str)]
            text = text.replace(slots[at % len(slots)][1], words, 1) if slots else text
        elif how == "delete":
            text = text[:at] + text[at + size:]
        else:
            text = text[:at] + words + text[at:]
        try:
            document, rebinding = reword_clause(LIBRARY, "en", document, key, text)
        except InvalidChange:
            continue
        assert document.clause(key).text == text
        for path, value in rebinding.changes.items():
            assert term_value(document.terms, path) == value
        assert_text_states_the_terms(document)


# Through the pages, the Word file and terms.json ----------------------------------------------------

def _docx_paragraphs(data: bytes) -> list[str]:
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        root = etree.fromstring(package.read("word/document.xml"))
    w = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    return ["".join(t.text or "" for t in p.iter(f"{w}t")) for p in root.iter(f"{w}p")]


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_party_named_acme_ltd_reads_acme_ltd_on_the_page_in_word_and_in_terms_json(
        app, make_user, make_agreement, login, language):
    from authoring.interview.services import set_terms
    from authoring.models import Agreement, User
    owner = make_user("owner@example.com", name="Olivia Owner")
    agreement_id = make_agreement(owner, language=language, client_name="Acme Ltd.")
    terms = demo_terms(language, "Managed IT")
    terms = with_term(terms, "parties.client.name", "Acme Ltd.")
    terms = with_term(terms, STANDARDS, "ISO/IEC 20000-1 Ltd.")
    with app.test_request_context(method="POST"):
        set_terms(db.session.get(Agreement, agreement_id), db.session.get(User, owner.id), terms, "test")
    browser = login(app.test_client(), "owner@example.com")
    with app.app_context():
        key = stating(Document.from_json(db.session.get(Draft, agreement_id).document), STANDARDS)
    # Edit the clause by hand (before sharing an edit applies at once): the value stays bound.
    assert propose_text(browser, agreement_id, key, lambda t: t + " (1)").status_code == 302
    with app.app_context():
        edited = Document.from_json(db.session.get(Draft, agreement_id).document).clause(key)
    assert edited.custom and STANDARDS in {s.term for s in edited.slots()}
    assert post_form(browser, f"/agreements/{agreement_id}/share", {"message": "Draft"}).status_code == 302
    page = browser.get(f"/agreements/{agreement_id}").get_data(as_text=True)
    assert "Acme Ltd." in page and "ISO/IEC 20000-1 Ltd." in page and "Ltd.." not in page
    word = _docx_paragraphs(browser.get(f"/agreements/{agreement_id}/revisions/1/export.docx").get_data())
    assert any("Acme Ltd." in p for p in word) and any("ISO/IEC 20000-1 Ltd." in p for p in word)
    assert not any("Ltd.." in p for p in word)
    data = json.loads(browser.get(f"/agreements/{agreement_id}/revisions/1/terms.json").get_data())
    clause = next(c for s in data["sections"] for c in s["clauses"] if c["key"] == key)
    assert "ISO/IEC 20000-1 Ltd." in clause["text"] and "Ltd.." not in clause["text"]
    assert data["terms"]["services"]["standards"] == "ISO/IEC 20000-1 Ltd."
    # A later change of the value still reaches the edited clause, with its stop back.
    with app.test_request_context(method="POST"):
        set_terms(db.session.get(Agreement, agreement_id), db.session.get(User, owner.id),
                  with_term(terms, STANDARDS, "ISO/IEC 27001"), "test")
        text = Document.from_json(db.session.get(Draft, agreement_id).document).clause(key).text
    assert "ISO/IEC 27001." in text and text.endswith(" (1)")


def test_a_value_holding_a_marker_character_still_renders_as_typed():
    odd = "Acme \ue000Ltd\ue002."
    terms = {**LIBRARY.catalogue.sample_terms(), "services": {**LIBRARY.catalogue.sample_terms()["services"],
                                                             "standards": odd}}
    assert LIBRARY.render("Under {{ services.standards }} rules.", terms, "en") == f"Under {odd} rules."
    document = assembled("en", services__standards=odd)
    key = stating(assembled("en"), STANDARDS)
    assert odd in document.clause(key).text
