"""The redline between two documents (authoring.redline) and who answers for each change.

Pure Python over `Document`s: no app, no database.
"""
from __future__ import annotations

from datetime import datetime, timezone


import authoring.redline as redline_module
from authoring.document import ClauseInstance, Document, Section
from authoring.document.words import DELETE, EQUAL, INSERT
from authoring.negotiation.attribution import Change, attribute
from authoring.redline import redline_between

HE_RESPONSE = "הספק יגיב לכל תקלה בתוך 4 שעות עבודה."
RU_PAYMENT = "Заказчик оплачивает счёт в течение 14 рабочих дней."
PL_TERM = "Umowa obowiązuje przez 12 miesięcy — zażółć gęślą jaźń."
EN_SCOPE = "The Provider shall maintain the Client's website."
EN_NOTICE = "Notices are given in writing."

TERMS = {
    "fees": {"monthly": "1,000.50", "currency": "PLN"},
    "sla": {"response_hours": 4, "weekend": False},
    "contacts": [{"name": "Anna Kowalska", "email": "anna@example.com"}],
}


def clause(key: str, text: str, title: str | None = None) -> ClauseInstance:
    return ClauseInstance(key, title or key.split(".")[-1].capitalize(), text)


def document(sections: dict[str, list[ClauseInstance]], terms: dict | None = None) -> Document:
    return Document(
        terms=TERMS if terms is None else terms,
        sections=tuple(Section(key, key.capitalize(), tuple(clauses)) for key, clauses in sections.items()),
    )


def base() -> Document:
    return document({
        "services": [clause("services.scope", EN_SCOPE), clause("services.response", HE_RESPONSE)],
        "payment": [clause("payment.due", RU_PAYMENT), clause("payment.term", PL_TERM)],
        "general": [clause("general.notices", EN_NOTICE)],
    })


def by_key(redline) -> dict:
    return {c.key: c for c in redline.clauses}


def test_identical_documents_are_all_unchanged_with_one_equal_segment():
    redline = redline_between(base(), base())
    assert [c.status for c in redline.clauses] == ["unchanged"] * 5
    assert by_key(redline)["payment.due"].segments == [(EQUAL, RU_PAYMENT)]
    assert redline.terms == []
    assert redline.changes() == []


def test_changed_clause_shows_word_aligned_segments():
    new = base().with_clause_text("payment.due", RU_PAYMENT.replace("14 рабочих", "30 календарных"))
    new = new.with_clause_text("payment.term", PL_TERM.replace("12 miesięcy", "24 miesięcy"))
    redline = redline_between(base(), new)
    due, term = by_key(redline)["payment.due"], by_key(redline)["payment.term"]
    assert due.status == "changed" and due.changed
    assert due.segments == [
        (EQUAL, "Заказчик оплачивает счёт в течение "),
        (DELETE, "14 рабочих"),
        (INSERT, "30 календарных"),
        (EQUAL, " дней."),
    ]
    assert term.segments == [
        (EQUAL, "Umowa obowiązuje przez "), (DELETE, "12"), (INSERT, "24"), (EQUAL, " miesięcy — zażółć gęślą jaźń."),
    ]
    assert (due.number, due.old_number, due.section) == ("2.1", "2.1", "Payment")
    assert [c.key for c in redline.changes()] == ["payment.due", "payment.term"]


def test_changed_hebrew_clause_runs_right_to_left():
    new = base().with_clause_text("services.response", HE_RESPONSE.replace("4", "2"))
    redline = redline_between(base(), new)
    response = by_key(redline)["services.response"]
    assert response.status == "changed"
    assert response.direction == "rtl"
    assert (DELETE, "4") in response.segments and (INSERT, "2") in response.segments
    assert by_key(redline)["payment.due"].direction == "ltr"
    assert by_key(redline)["payment.term"].direction == "ltr"


def test_unchanged_clauses_are_never_diffed(monkeypatch):
    diffed = []
    real = redline_module.word_diff

    def counting(old, new):
        diffed.append((old, new))
        return real(old, new)

    monkeypatch.setattr(redline_module, "word_diff", counting)
    # One edited clause; the rest unchanged, moved unedited, removed or added.
    new = document({
        "services": [clause("services.response", HE_RESPONSE), clause("services.scope", EN_SCOPE)],
        "payment": [clause("payment.due", RU_PAYMENT), clause("payment.extra", "Dodatkowa klauzula.")],
        "general": [clause("general.notices", "Notices are given in writing or by e-mail.")],
    })
    redline = redline_between(base(), new)
    assert diffed == [(EN_NOTICE, "Notices are given in writing or by e-mail.")]
    assert by_key(redline)["general.notices"].status == "changed"
    for key in ("services.scope", "services.response", "payment.due"):
        assert by_key(redline)[key].segments == [(EQUAL, base().clause(key).text)]
        assert by_key(redline)[key].status in ("unchanged", "moved")
    assert by_key(redline)["payment.term"].segments == [(DELETE, PL_TERM)]
    assert by_key(redline)["payment.extra"].segments == [(INSERT, "Dodatkowa klauzula.")]


def test_a_clause_whose_title_changed_is_changed_though_its_text_is_not():
    old = base()
    new = document({
        "services": [clause("services.scope", EN_SCOPE, "Scope of work"), clause("services.response", HE_RESPONSE)],
        "payment": [clause("payment.due", RU_PAYMENT), clause("payment.term", PL_TERM)],
        "general": [clause("general.notices", EN_NOTICE)],
    })
    scope = by_key(redline_between(old, new))["services.scope"]
    assert scope.status == "changed" and scope.title_changed
    assert (scope.old_title, scope.title) == ("Scope", "Scope of work")
    assert scope.segments == [(EQUAL, EN_SCOPE)]


def test_clause_reordered_within_its_section_is_moved():
    new = document({
        "services": [clause("services.response", HE_RESPONSE), clause("services.scope", EN_SCOPE)],
        "payment": [clause("payment.due", RU_PAYMENT), clause("payment.term", PL_TERM)],
        "general": [clause("general.notices", EN_NOTICE)],
    })
    redline = redline_between(base(), new)
    assert [c.key for c in redline.clauses] == [
        "services.response", "services.scope", "payment.due", "payment.term", "general.notices"]
    statuses = {c.key: c.status for c in redline.clauses}
    # Exactly one of the two swapped clauses moved; the rest stayed where they were.
    assert sorted(statuses.values()) == ["moved", "unchanged", "unchanged", "unchanged", "unchanged"]
    moved = next(c for c in redline.clauses if c.status == "moved")
    assert moved.key in ("services.scope", "services.response")
    assert not moved.changed
    assert moved.segments == [(EQUAL, base().clause(moved.key).text)]
    assert {moved.number, moved.old_number} == {"1.1", "1.2"}


def test_clause_moved_to_the_front_of_a_long_section_is_the_one_marked_moved():
    keys = ["general.a", "general.b", "general.c", "general.d"]
    old = document({"general": [clause(k, f"Клаузула {k}") for k in keys]})
    new = document({"general": [clause(k, f"Клаузула {k}") for k in ["general.d", *keys[:3]]]})
    redline = redline_between(old, new)
    assert {c.key: c.status for c in redline.clauses} == {
        "general.d": "moved", "general.a": "unchanged", "general.b": "unchanged", "general.c": "unchanged"}
    assert (by_key(redline)["general.d"].old_number, by_key(redline)["general.d"].number) == ("1.4", "1.1")


def test_clause_moved_to_another_section_and_edited_is_moved_and_changed():
    edited = PL_TERM.replace("12", "36")
    new = document({
        "services": [clause("services.scope", EN_SCOPE), clause("services.response", HE_RESPONSE)],
        "payment": [clause("payment.due", RU_PAYMENT)],
        "general": [clause("payment.term", edited), clause("general.notices", EN_NOTICE)],
    })
    redline = redline_between(base(), new)
    term = by_key(redline)["payment.term"]
    assert term.status == "moved" and term.changed
    assert (term.old_number, term.number, term.section) == ("2.2", "3.1", "General")
    assert (DELETE, "12") in term.segments and (INSERT, "36") in term.segments
    assert [c.status for c in redline.clauses if c.key != "payment.term"] == ["unchanged"] * 4


def test_a_clause_moved_into_another_section_past_one_does_not_make_that_one_moved():
    old = document({"services": [clause("services.scope", EN_SCOPE), clause("services.response", HE_RESPONSE)],
                    "general": [clause("general.notices", EN_NOTICE)]})
    new = document({"services": [clause("services.scope", EN_SCOPE)],
                    "general": [clause("general.notices", EN_NOTICE), clause("services.response", HE_RESPONSE)]})
    statuses = {c.key: (c.status, c.old_number, c.number) for c in redline_between(old, new).clauses}
    assert statuses["services.response"] == ("moved", "1.2", "2.2")
    # Still 2.1, still first in its section, nothing before it changed order: not moved.
    assert statuses["general.notices"] == ("unchanged", "2.1", "2.1")


def test_clause_moved_to_another_section_unedited_is_moved_not_changed():
    new = document({
        "services": [clause("services.scope", EN_SCOPE), clause("services.response", HE_RESPONSE)],
        "payment": [clause("payment.due", RU_PAYMENT)],
        "general": [clause("payment.term", PL_TERM), clause("general.notices", EN_NOTICE)],
    })
    term = by_key(redline_between(base(), new))["payment.term"]
    assert (term.status, term.changed, term.segments) == ("moved", False, [(EQUAL, PL_TERM)])


def test_added_clause_is_all_inserted_in_place():
    added = clause("payment.late", "За просрочку платежа начисляются пени 0,5% в день.")
    new = base().with_clause_added("payment", added)
    redline = redline_between(base(), new)
    assert [c.key for c in redline.clauses] == [
        "services.scope", "services.response", "payment.due", "payment.term", "payment.late", "general.notices"]
    late = by_key(redline)["payment.late"]
    assert (late.status, late.changed, late.number, late.old_number) == ("added", True, "2.3", None)
    assert late.segments == [(INSERT, added.text)]
    assert late.old_title is None


def test_removed_clause_stays_after_the_clause_that_preceded_it():
    new = base().without_clause("services.response").without_clause("payment.due")
    redline = redline_between(base(), new)
    assert [(c.key, c.status) for c in redline.clauses] == [
        ("services.scope", "unchanged"),
        ("services.response", "removed"),
        # Its predecessor is gone too, so it follows the nearest one still there, in the old order.
        ("payment.due", "removed"),
        ("payment.term", "unchanged"),
        ("general.notices", "unchanged"),
    ]
    response = by_key(redline)["services.response"]
    assert response.segments == [(DELETE, HE_RESPONSE)]
    assert (response.number, response.old_number, response.section) == (None, "1.2", "Services")
    assert response.direction == "rtl"


def test_removed_first_clause_is_shown_first():
    new = base().without_clause("services.scope")
    redline = redline_between(base(), new)
    assert [(c.key, c.status) for c in redline.clauses][:2] == [
        ("services.scope", "removed"), ("services.response", "unchanged")]


def test_term_changes_are_listed_with_display_strings_and_a_table_row_by_row():
    new_terms = {
        "fees": {"monthly": "1,250.00", "currency": "PLN"},
        "sla": {"response_hours": 2, "weekend": True},
        "contacts": [{"name": "Anna Kowalska", "email": "anna@example.com"},
                     {"name": "Иван Петров", "email": "ivan@example.com"}],
        "governing_law": "Polska",
    }
    redline = redline_between(base(), Document(terms=new_terms, sections=base().sections))
    assert [(t.path, t.label, t.old, t.new) for t in redline.terms] == [
        ("fees.monthly", "Fees › Monthly", "1,000.50", "1,250.00"),
        ("sla.response_hours", "Sla › Response hours", "4", "2"),
        ("sla.weekend", "Sla › Weekend", "no", "yes"),
        ("contacts", "Contacts, row 2 added", "—", "Name: Иван Петров; Email: ivan@example.com"),
        ("governing_law", "Governing law", "—", "Polska"),
    ]
    assert all(c.status == "unchanged" for c in redline.clauses)


def test_counts_add_up_every_status_and_the_terms():
    new = document({
        "services": [clause("general.notices", EN_NOTICE), clause("services.scope", EN_SCOPE),
                     clause("services.response", HE_RESPONSE.replace("4", "8"))],
        "payment": [clause("payment.due", RU_PAYMENT), clause("payment.new", "Nowa klauzula.")],
        "general": [],
    }, terms={**TERMS, "fees": {"monthly": "900.00", "currency": "EUR"}})
    redline = redline_between(base(), new)
    assert redline.counts() == {"added": 1, "removed": 1, "moved": 1, "changed": 1, "unchanged": 2, "terms": 2}
    assert len(redline.changes()) == 4


# Attribution ---------------------------------------------------------------------------

WHEN = datetime(2024, 5, 1, 12, 0, tzinfo=timezone.utc)


def change(kind: str, target: str, number: int | None, author: str) -> Change:
    return Change(kind, target, number, author, "client", "Provider Person", WHEN)


def test_attribute_by_target_then_by_terms_used_then_fallback():
    new = base().with_clause_text("payment.term", PL_TERM.replace("12", "24"))
    new = new.with_clause_text("services.response", HE_RESPONSE.replace("4", "2"))
    new = new.with_clause_text("general.notices", "Notices are given by e-mail.")
    new = Document(terms={**TERMS, "sla": {"response_hours": 2, "weekend": False}}, sections=new.sections)
    text_change = change("clause_text", "payment.term", 7, "Anna")
    term_change = change("term", "sla.response_hours", 8, "Ivan")
    other_term = change("term", "fees.currency", 9, "Noa")
    fallback = change("clause_text", "", None, "Owner")
    uses = {"services.response": {"sla.response_hours"}, "payment.term": {"sla"}, "general.notices": set()}

    redline = attribute(redline_between(base(), new), [text_change, term_change, other_term],
                        lambda key: uses.get(key, set()), fallback)
    clauses = by_key(redline)
    # Targeted directly, and it reads "sla", whose response time changed: its wording and the value it
    # states were proposed apart (text and terms stay bound), so both proposals answer for it, in order.
    assert clauses["payment.term"].attributions == [text_change, term_change]
    # Re-rendered because the response-time term changed.
    assert clauses["services.response"].attributions == [term_change]
    # Nobody proposed it: the author of the newer revision answers for it.
    assert clauses["general.notices"].attributions == [fallback]
    # Unchanged clauses carry nobody.
    assert clauses["services.scope"].attributions == [] and clauses["payment.due"].attributions == []
    [term_row] = redline.terms
    assert term_row.path == "sla.response_hours" and term_row.attributions == [term_change]


def test_attribute_matches_a_term_used_below_or_above_the_changed_path():
    new = base().with_clause_text("payment.due", RU_PAYMENT.replace("14", "7"))
    new = Document(terms={**TERMS, "fees": {"monthly": "2,000.00", "currency": "PLN"}}, sections=new.sections)
    fees = change("term", "fees", 3, "Ivan")
    redline = attribute(redline_between(base(), new), [fees], lambda key: {"fees.monthly"}, None)
    assert by_key(redline)["payment.due"].attributions == [fees]
    assert redline.terms[0].path == "fees.monthly" and redline.terms[0].attributions == [fees]


def test_attribute_without_a_matching_change_or_fallback_leaves_nobody():
    new = base().with_clause_text("payment.due", RU_PAYMENT.replace("14", "7"))
    unrelated = change("term", "fees.currency", 3, "Ivan")
    redline = attribute(redline_between(base(), new), [unrelated], lambda key: {"fees.monthly"}, None)
    assert by_key(redline)["payment.due"].attributions == []


def test_attribute_skips_a_clause_that_only_moved_but_covers_added_and_removed_ones():
    new = document({
        "services": [clause("services.response", HE_RESPONSE), clause("services.scope", EN_SCOPE)],
        "payment": [clause("payment.due", RU_PAYMENT), clause("payment.extra", "Dodatkowa klauzula.")],
        "general": [clause("general.notices", EN_NOTICE)],
    })
    add = change("clause_add", "payment.extra", 4, "Anna")
    remove = change("clause_remove", "payment.term", 5, "Ivan")
    fallback = change("clause_text", "", None, "Owner")
    redline = attribute(redline_between(base(), new), [add, remove], lambda key: set(), fallback)
    clauses = by_key(redline)
    assert clauses["payment.extra"].attributions == [add]
    assert clauses["payment.term"].status == "removed" and clauses["payment.term"].attributions == [remove]
    moved = next(c for c in redline.clauses if c.status == "moved")
    assert moved.attributions == []


def test_change_label_names_the_proposal_and_who_accepted_it():
    assert change("term", "fees", 3, "Ivan").label == "Proposal 3 by Ivan (client), accepted by Provider Person"
    assert Change("clause_text", "x", None, "Owner", None, "Owner", WHEN).label == "Edited by Owner"
