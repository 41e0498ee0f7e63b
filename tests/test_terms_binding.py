"""Text and terms stay bound (issue 12 §2): an edited clause keeps stating the terms, a value written
differently is a change of that term, and a clause that stops stating a term is flagged until confirmed."""
from __future__ import annotations

import json

import pytest
from conftest import post_form
from hypothesis import HealthCheck, given, settings, strategies as st
from test_negotiation import act, propose_text
from test_signing import deal, sign, status_of  # noqa: F401 - `deal` is a fixture

from authoring import ROOT
from authoring.document import Document
from authoring.document.terms import term_value, with_term
from authoring.extensions import db
from authoring.export.terms import document_of
from authoring.interview.health import clause_findings
from authoring.library import assemble, default_choices, load_library
from authoring.library.assembly import reword
from authoring.library.binding import BindingConflict, clause_bound, library_bound, parts_bound
from authoring.models import Draft, Proposal
from authoring.negotiation.changes import InvalidChange, reword_clause
from authoring.demo_terms import demo_terms
from sqlalchemy import select

CAP = "sanctions.credit_cap"
CAP_TERM = "sanctions.credit_cap_percent"
LIBRARY = load_library(ROOT / "clauses")


def assembled(language="en", **changes) -> Document:
    terms = demo_terms(language, "Managed IT")
    for path, value in changes.items():
        terms = with_term(terms, path.replace("__", "."), value)
    return assemble(LIBRARY, terms, language, default_choices(LIBRARY))


def draft(app, agreement_id) -> Document:
    with app.app_context():
        return Document.from_json(db.session.get(Draft, agreement_id).document)


# The model, without HTTP ------------------------------------------------------------------

def test_a_rewritten_value_is_a_change_of_the_term_and_every_clause_stating_it_follows():
    document = assembled()
    text = document.clause(CAP).text
    assert "15%" in text
    updated, rebinding = reword(LIBRARY, document, CAP, text.replace("15%", "20%").replace("that month", "that calendar month"), "en")
    assert rebinding.changes == {CAP_TERM: "20"} and not rebinding.dropped
    assert term_value(updated.terms, CAP_TERM) == "20"
    clause = updated.clause(CAP)
    assert clause.custom and "20%" in clause.text and "calendar month" in clause.text and not clause.unstated
    # Still a template: a later change of the term (the interview) reaches the edited clause.
    later = assemble(LIBRARY, with_term(updated.terms, CAP_TERM, "12.5"), "en", default_choices(LIBRARY), previous=updated)
    assert "12.5%" in later.clause(CAP).text and "calendar month" in later.clause(CAP).text


def test_other_clauses_stating_the_same_term_are_rerendered():
    document = assembled()
    holders = [c.key for c in document.clauses() if any(
        not isinstance(s, str) and s[0].term == "sanctions.cure_days"
        for s in library_bound(LIBRARY, c.clause_id, c.variant, document.terms, "en").segments)]
    assert holders, "the library states the cure period somewhere"
    key = holders[0]
    old_words = "30 days"
    assert old_words in document.clause(key).text
    updated, rebinding = reword(LIBRARY, document, key, document.clause(key).text.replace(old_words, "45 days", 1), "en")
    assert rebinding.changes == {"sanctions.cure_days": 45}
    for other in holders:
        assert "45 days" in updated.clause(other).text and old_words not in updated.clause(other).text


@pytest.mark.parametrize("language, before, after, value", [
    ("es", "15\u00a0%", "20\u00a0%", "20"),
    ("en", "15%", "17.5%", "17.5"),
])
def test_values_are_read_in_the_agreement_language(language, before, after, value):
    document = assembled(language)
    text = document.clause(CAP).text
    assert before in text
    updated, rebinding = reword(LIBRARY, document, CAP, text.replace(before, after), language)
    assert rebinding.changes == {CAP_TERM: value} and after in updated.clause(CAP).text


def test_a_count_in_the_genitive_stays_bound_and_is_read_back_in_russian():
    document = assembled("ru")
    slots = [(c.key, slot, words) for c in document.clauses()
             for slot, words in (s for s in clause_bound(LIBRARY, c, document.terms, "ru").segments if not isinstance(s, str))
             if slot.format and slot.format.endswith(":gen")]
    assert slots, "the Russian library asks for the genitive somewhere"
    key, slot, words = next((k, s, w) for k, s, w in slots if s.term == "costs.payment_due_days")
    assert words == "30 дней"
    text = document.clause(key).text
    updated, rebinding = reword(LIBRARY, document, key, text.replace("в течение 30 дней", "в течение 21 дня", 1), "ru")
    assert rebinding.changes == {"costs.payment_due_days": 21}
    assert "в течение 21 дня" in updated.clause(key).text  # genitive singular after 21, as Russian writes it


def test_a_date_and_an_amount_written_differently_change_their_terms():
    document = assembled()
    dated = next(c for c in document.clauses() if "1 January 2027" in c.text)
    updated, rebinding = reword(LIBRARY, document, dated.key, dated.text.replace("1 January 2027", "15 February 2027", 1), "en")
    assert list(rebinding.changes.values()) == ["2027-02-15"]
    priced = next(c for c in document.clauses() if any(
        not isinstance(s, str) and s[0].format == "money" for s in clause_bound(LIBRARY, c, document.terms, "en").segments))
    slot, words = next(s for s in clause_bound(LIBRARY, priced, document.terms, "en").segments
                       if not isinstance(s, str) and s[0].format == "money")
    bigger = words.replace(words.strip("€$£ABCDEFGHIJKLMNOPQRSTUVWXYZ\u00a0 ").split(".")[0], "99,999", 1)
    updated, rebinding = reword(LIBRARY, document, priced.key, priced.text.replace(words, bigger, 1), "en")
    assert rebinding.changes == {slot.term: "99999.00"}, (words, bigger)


def test_a_sentence_that_no_longer_states_the_term_is_flagged_until_confirmed():
    document = assembled()
    number = next(n for _s, _sec, clauses in document.numbered() for n, c in clauses if c.key == CAP)
    updated, rebinding = reword(LIBRARY, document, CAP, "Service credits are capped at a fifth of the monthly fee.", "en")
    assert not rebinding.changes and [s.term for s in rebinding.dropped] == [CAP_TERM]
    assert updated.clause(CAP).unstated == (CAP_TERM,)
    findings = clause_findings(LIBRARY, updated, "en")
    assert [f.message for f in findings] == [
        f"{number} Cap on service credits no longer states “Credits capped at (% of the monthly fee)” (the terms say 15%)."]
    assert findings[0].rule.clause_key == CAP
    # The term stays what it was, and the file says the clause no longer states it.
    assert term_value(updated.terms, CAP_TERM) == "15"


def test_an_old_custom_text_that_contradicts_the_terms_is_named():
    """Clauses edited before texts stayed bound (no template) are read against the library's words."""
    document = assembled()
    clause = document.clause(CAP)
    legacy = Document.from_dict({**document.to_dict(), "sections": [
        {**s.to_dict(), "clauses": [{**c.to_dict(), "text": c.text.replace("15%", "20%"), "custom": True}
                                    if c.key == CAP else c.to_dict() for c in s.clauses]}
        for s in document.sections]})
    number = next(n for _s, _sec, clauses in legacy.numbered() for n, c in clauses if c.key == CAP)
    assert [f.message for f in clause_findings(LIBRARY, legacy, "en")] == [
        f"{number} {clause.title} says 20%, the terms say 15%."]


def test_values_the_interview_would_refuse_and_two_values_for_one_term_are_refused():
    document = assembled()
    text = document.clause(CAP).text
    with pytest.raises(InvalidChange, match="A percentage between 0 and 100"):
        reword_clause(LIBRARY, "en", document, CAP, text.replace("15%", "150%"))
    # A template stating the cap twice: writing two different values is refused, not guessed.
    slot = next(s[0] for s in library_bound(LIBRARY, "sanctions.credit_cap", document.clause(CAP).variant,
                                             document.terms, "en").segments if not isinstance(s, str))
    twice = document.with_clause_text(CAP, "Cap 15%, never above 15%.", ("Cap ", slot, ", never above ", slot, "."))
    with pytest.raises(BindingConflict, match=CAP_TERM):
        reword(LIBRARY, twice, CAP, "Cap 20%, never above 25%.", "en")
    same, rebinding = reword(LIBRARY, twice, CAP, "Cap 20%, never above 20%.", "en")
    assert rebinding.changes == {CAP_TERM: "20"} and same.clause(CAP).text == "Cap 20%, never above 20%."
    # One of the two rewritten: the other follows.
    one, _ = reword(LIBRARY, twice, CAP, "Cap 20%, never above 15%.", "en")
    assert one.clause(CAP).text == "Cap 20%, never above 20%."


def test_the_terms_file_carries_the_template_and_rebuilds_the_same_document():
    document = assembled()
    updated, _ = reword(LIBRARY, document, CAP, "Credits are capped at a fifth of the fee.", "en")
    cured = next(c for c in updated.clauses() if "30 days" in c.text)
    updated, _ = reword(LIBRARY, updated, cured.key, cured.text.replace("30 days", "30 days (thirty)", 1), "en")
    from authoring.export.terms import terms_file
    from test_export_terms import info_for
    data = json.loads(json.dumps(terms_file(updated, info_for(updated))))
    entries = {c["key"]: c for s in data["sections"] for c in s["clauses"]}
    assert entries[CAP]["unstated_terms"] == [CAP_TERM] and entries[CAP]["custom"] is True
    templated = [e for e in entries.values() if any(isinstance(p, dict) for p in e.get("template", []))]
    assert templated and "template" not in next(e for e in entries.values() if not e["custom"])
    assert document_of(data).sha256() == updated.sha256()


# Any sequence of edits ---------------------------------------------------------------------

BOUND_KEYS = [c.key for c in assembled().clauses()
              if any(not isinstance(s, str) for s in library_bound(LIBRARY, c.clause_id, c.variant,
                                                                    assembled().terms, "en").segments)]
EDIT = st.tuples(
    st.sampled_from(BOUND_KEYS),
    st.sampled_from(["value", "delete", "insert", "replace_token"]),
    st.integers(min_value=0, max_value=10_000),
    st.integers(min_value=0, max_value=60),
    st.sampled_from(["1", "25", "99.5", "2,500", "seven", " and ", "%", "days", "Provider", "31 March 2027", "—"]),
)


def _edited(document: Document, key: str, how: str, at: int, size: int, words: str) -> str:
    text = document.clause(key).text
    at %= len(text) + 1
    if how == "value":
        segments = [s for s in clause_bound(LIBRARY, document.clause(key), document.terms, "en").segments
                    if not isinstance(s, str)]
        if segments:
            _slot, old = segments[at % len(segments)]
            return text.replace(old, words, 1)
    if how == "delete":
        return text[:at] + text[at + size:]
    if how == "insert":
        return text[:at] + words + text[at:]
    return text[:at] + words + text[at + size % 8:]


def assert_text_states_the_terms(document: Document) -> None:
    """Every clause states exactly the current terms: a library clause as the library renders them,
    a custom clause as its template does; every term its library text stated is still a slot or listed."""
    for clause in document.clauses():
        if not clause.custom:
            assert clause.text == LIBRARY.render_clause(clause.clause_id, clause.variant, document.terms, "en")
            continue
        assert clause.parts is not None
        assert parts_bound(LIBRARY, clause.parts, document.terms, "en").text == clause.text
        stated = library_bound(LIBRARY, clause.clause_id, clause.variant, document.terms, "en").stated()
        assert stated <= {s.term for s in clause.slots()} | set(clause.unstated)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(EDIT, min_size=1, max_size=6))
def test_after_any_sequence_of_edits_every_stated_value_equals_the_term(edits):
    document = assembled()
    for key, how, at, size, words in edits:
        text = _edited(document, key, how, at, size, words)
        try:
            document, rebinding = reword_clause(LIBRARY, "en", document, key, text)
        except InvalidChange:
            continue
        for path, value in rebinding.changes.items():
            assert term_value(document.terms, path) == value
        assert_text_states_the_terms(document)
        assert Document.from_json(document.canonical_json()) == document


# Through the pages -------------------------------------------------------------------------

def test_the_issue_repro_ends_with_the_countered_cap_in_the_terms_file(app, deal, runner, tmp_path):
    """Client proposes 25%, provider counters at 20%, client accepts, both sign: terms.json says 20."""
    client = deal.as_("ceditor")
    response = propose_text(client, deal.id, CAP, lambda t: t.replace("15%", "25%"), reason="Our board asks for 25.")
    assert response.status_code == 302
    with app.app_context():
        made = db.session.scalar(select(Proposal).where(Proposal.agreement_id == deal.id))
        assert (made.kind, made.target, made.value, made.reason) == ("term", CAP_TERM, "25", "Our board asks for 25.")
    owner = deal.as_("owner")
    countered = propose_text(owner, deal.id, CAP, lambda t: t.replace("15%", "20%"), reason="Meet in the middle.",
                             counter=made.number)
    assert countered.status_code == 302, countered.get_data(as_text=True)
    with app.app_context():
        proposals = {p.number: (p.kind, p.target, p.value, p.status) for p in db.session.scalars(
            select(Proposal).where(Proposal.agreement_id == deal.id))}
    assert proposals == {1: ("term", CAP_TERM, "25", "superseded"), 2: ("term", CAP_TERM, "20", "open")}
    assert act(client, deal.id, 2, "accept").status_code == 302
    assert "20%" in draft(app, deal.id).clause(CAP).text
    assert post_form(owner, f"/agreements/{deal.id}/ready").status_code == 302
    assert sign(deal.as_("psigner"), deal.id).status_code == 302
    assert sign(deal.as_("csigner"), deal.id, name="Ciro Firmante").status_code == 302
    assert status_of(app, deal.id) == "executed"
    raw = deal.as_("viewer").get(f"/agreements/{deal.id}/revisions/2/terms.json").get_data()
    data = json.loads(raw)
    cap = next(c for s in data["sections"] for c in s["clauses"] if c["key"] == CAP)
    assert data["terms"]["sanctions"]["credit_cap_percent"] == "20" and "20%" in cap["text"]
    path = tmp_path / "terms.json"
    path.write_bytes(raw)
    assert runner.invoke(args=["verify", str(path)]).exit_code == 0


def test_a_clause_that_no_longer_states_a_term_blocks_ready_until_acknowledged(app, deal):
    client = deal.as_("ceditor")
    assert propose_text(client, deal.id, CAP, lambda t: "Credits are capped at a fifth of the monthly fee.").status_code == 302
    owner = deal.as_("owner")
    assert act(owner, deal.id, 1, "accept").status_code == 302
    refused = post_form(owner, f"/agreements/{deal.id}/ready")
    review = owner.get(f"/agreements/{deal.id}/interview/review").get_data(as_text=True)
    assert refused.status_code in (302, 409)
    assert status_of(app, deal.id) == "negotiating"
    assert "no longer states “Credits capped at (% of the monthly fee)” (the terms say 15%)" in review
    page = owner.get(f"/agreements/{deal.id}").get_data(as_text=True)
    assert 'data-testid="unstated">This wording no longer states “Credits capped at (% of the monthly fee)”.' in page
    rule = f"states_terms.{CAP}"
    assert post_form(owner, f"/agreements/{deal.id}/health/{rule}/acknowledge",
                     {"reason": "A fifth is 20%; the finance annex governs."},
                     token_from=f"/agreements/{deal.id}/interview/review").status_code == 302
    assert post_form(owner, f"/agreements/{deal.id}/ready").status_code == 302
    assert status_of(app, deal.id) == "ready"


def test_before_sharing_an_edited_value_changes_the_term_directly(app, make_user, make_agreement, login):
    owner = make_user("solo@example.com", name="Solo Owner")
    agreement_id = make_agreement(owner)
    from authoring.interview.services import set_terms
    from authoring.models import Agreement, User
    with app.test_request_context(method="POST"):
        set_terms(db.session.get(Agreement, agreement_id), db.session.get(User, owner.id),
                  demo_terms("en", "Managed IT"), "test")
    browser = login(app.test_client(), "solo@example.com")
    response = propose_text(browser, agreement_id, CAP, lambda t: t.replace("15%", "18%"))
    assert response.status_code == 302
    page = browser.get(response.headers["Location"]).get_data(as_text=True)
    assert "Credits capped at (% of the monthly fee) is now 18 wherever it appears" in page
    document = draft(app, agreement_id)
    assert term_value(document.terms, CAP_TERM) == "18" and "18%" in document.clause(CAP).text


def test_an_imported_template_must_render_its_text(app, login):
    from test_exports import demo as _demo_fixture, upload  # noqa: F401
    from authoring.demo import DEMO_PASSWORD, DEMO_TITLE_EXECUTED, create_demo
    from authoring.models import Agreement
    with app.app_context():
        assert create_demo()
        executed = db.session.scalar(select(Agreement.id).where(Agreement.title == DEMO_TITLE_EXECUTED))
    client = login(app.test_client(), "provider@example.com", DEMO_PASSWORD)
    data = json.loads(client.get(f"/agreements/{executed}/revisions/2/terms.json").get_data())
    located = [(s_i, c_i, c) for s_i, s in enumerate(data["sections"]) for c_i, c in enumerate(s["clauses"])
               if any(isinstance(p, dict) for p in c.get("template", []))]
    assert located, "the demo negotiated a clause's wording, so its terms file carries a template"
    s_i, c_i, clause = located[0]
    slot_at = next(i for i, p in enumerate(clause["template"]) if isinstance(p, dict))
    from authoring.document import ClauseInstance

    def rehashed(template):
        entry = {**clause, "template": template}
        entry["content_hash"] = ClauseInstance.from_dict({
            "key": entry["key"], "title": entry["title"], "text": entry["text"], "clause_id": entry["library_id"],
            "variant": entry["variant"], "custom": entry["custom"], "parts": template,
            "unstated": entry.get("unstated_terms", [])}).content_hash
        forged = json.loads(json.dumps(data))
        forged["sections"][s_i]["clauses"][c_i] = entry
        return json.dumps(forged, ensure_ascii=False).encode("utf-8")

    pointer = f"/sections/{s_i}/clauses/{c_i}/template"
    unknown = [dict(p, term="sanctions.no_such_term") if i == slot_at else p for i, p in enumerate(clause["template"])]
    response = upload(client, "/import", rehashed(unknown))
    assert response.status_code == 422 and pointer in response.get_data(as_text=True)
    assert "sanctions.no_such_term" in response.get_data(as_text=True)
    other = [dict(p, term="parties.client.name", format=None, args=[]) if i == slot_at else p
             for i, p in enumerate(clause["template"])]
    response = upload(client, "/import", rehashed(other))
    assert response.status_code == 422 and "does not render the clause&#39;s text" in response.get_data(as_text=True)
