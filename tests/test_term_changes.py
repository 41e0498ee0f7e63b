"""Changed terms in the agreement's language (issue 14): labels as the interview names the fields,
values as the agreement writes them, a table's change told row by row and field by field."""
from __future__ import annotations

import copy
import html
import re

import pytest

from authoring.access import membership_of
from authoring.demo_terms import demo_terms
from authoring.extensions import db
from authoring.interview.services import set_terms
from authoring.models import Agreement, User
from authoring.negotiation.services import accept, propose, send_to_other_side, share
from authoring.redline import redline_between
from authoring.render.term_changes import TermChange, term_changes
from authoring.revisions.services import draft_of

NEW_RATE = {"code": "T07", "description": "Backup restore", "unit": "hour", "price": "95.00",
            "out_of_hours_multiplier": "1.5"}


def changed(terms: dict) -> dict:
    """Demo terms with a credit, a rate, a date, a yes/no, an amount, a choice and a list item changed."""
    new = copy.deepcopy(terms)
    new["sanctions"]["credits"][1]["credit_percent"] = "10"
    new["costs"]["rates"].append(dict(NEW_RATE))
    new["timeline"]["auto_renew"] = False
    new["timeline"]["end_date"] = "2028-06-30"
    new["costs"]["monthly_fee"] = "4500.00"
    new["costs"]["invoicing"] = "quarterly"
    new["services"]["in_scope"] = new["services"]["in_scope"][1:]
    return new


ORDER = ["services.in_scope", "timeline.end_date", "timeline.auto_renew", "costs.monthly_fee", "costs.rates",
         "costs.invoicing", "sanctions.credits"]  # as the interview asks for them


def by_label(changes: list[TermChange]) -> dict[str, tuple[str, str]]:
    return {change.label: (change.old, change.new) for change in changes}


# Exactly what each language reads --------------------------------------------------------------

EXPECTED = {
    "en": {
        "Service credits, row 2 — Credit (% of the monthly fee)": ("3%", "10%"),
        "Rate card, row 3 added": ("—", "Task code: T07; Description: Backup restore; Unit: hour; Price: €95.00; "
                                        "Out-of-hours multiplier: 1.5"),
        "Renews automatically unless a Party gives notice": ("yes", "no"),
        "End date": ("31 December 2028", "30 June 2028"),
        "Monthly fee": ("€4,000.00", "€4,500.00"),
        "Invoicing": ("as the payment schedule falls due", "quarterly in advance"),
        "In scope, item 1 removed": ("Servers", "—"),
    },
    "pl": {
        "Bonifikaty, wiersz 2 — Bonifikata (% opłaty miesięcznej)": ("3%", "10%"),
        "Cennik: dodano wiersz 3": ("—", "Kod zadania: T07; Opis: Backup restore; Jednostka: hour; Cena: 95,00\u00a0€; "
                                         "Mnożnik poza godzinami pracy: 1,5"),
        "Odnawia się automatycznie, chyba że Strona złoży wypowiedzenie": ("tak", "nie"),
        "Data zakończenia": ("31 grudnia 2028", "30 czerwca 2028"),
        "Opłata miesięczna": ("4\u00a0000,00\u00a0€", "4\u00a0500,00\u00a0€"),
    },
    "he": {
        "זיכויי שירות, שורה 2 — זיכוי (% מהתשלום החודשי)": ("3%", "10%"),
        "מתחדש אוטומטית אלא אם צד נותן הודעה": ("כן", "לא"),
        "תאריך סיום": ("31 בדצמבר 2028", "30 ביוני 2028"),
    },
}


@pytest.mark.parametrize("language", sorted(EXPECTED))
def test_each_change_is_labelled_as_the_interview_asks_and_valued_as_the_agreement_writes(app, language):
    old = demo_terms(language, "Managed IT")
    with app.test_request_context():
        changes = term_changes(old, changed(old), language)
    found = by_label(changes)
    for label, values in EXPECTED[language].items():
        assert found.get(label) == values, (label, found)
    assert len(changes) == 7, "one line per changed field, row or value; no row that did not change"
    assert [c.path for c in changes] == ORDER
    assert not any(" · " in c.old + c.new for c in changes), "no dot-joined rows"


def test_the_agreements_language_wins_over_the_interface_language(app):
    old = demo_terms("pl", "Managed IT")
    with app.test_request_context(headers={"Accept-Language": "en"}):
        labels = [c.label for c in term_changes(old, changed(old), "pl")]
    assert "Cennik: dodano wiersz 3" in labels and not any("Rate card" in label for label in labels)


def test_a_row_inserted_in_the_middle_is_one_added_row_and_a_removed_row_names_its_fields(app):
    old = demo_terms("en", "Managed IT")
    new = copy.deepcopy(old)
    new["costs"]["rates"].insert(0, dict(NEW_RATE))
    new["sanctions"]["credits"] = new["sanctions"]["credits"][1:]
    with app.test_request_context():
        changes = term_changes(old, new, "en")
    assert [c.label for c in changes] == ["Rate card, row 1 added", "Service credits, row 1 removed"]
    removed = old["sanctions"]["credits"][0]
    assert changes[1].old.startswith(f"Service level (priority): {removed['priority']}; Met in at least (%): ")
    assert changes[1].new == "—"


def test_a_row_whose_code_stays_is_the_same_row_though_others_moved(app):
    old = demo_terms("en", "Managed IT")
    new = copy.deepcopy(old)
    rates = new["costs"]["rates"]
    rates.reverse()
    rates[0]["price"] = "99.00"  # the last row of the old table, now first, with a new price
    with app.test_request_context():
        changes = term_changes(old, new, "en")
    price = [c for c in changes if c.label.endswith("— Price")]
    assert [(c.label, c.new) for c in price] == [("Rate card, row 1 — Price", "€99.00")]


def test_a_term_no_interview_field_asks_for_is_still_listed_plainly(app):
    with app.test_request_context():
        changes = term_changes({"custom": {"flag": True, "rows": [{"a": "1"}]}},
                               {"custom": {"flag": False, "rows": [{"a": "2"}]}}, "en")
    assert [(c.label, c.old, c.new) for c in changes] == [
        ("Custom › Flag", "yes", "no"), ("Custom › Rows, row 1 — A", "1", "2")]


def test_the_redline_keeps_label_old_and_new_with_the_path_for_attribution(app):
    from authoring.library import assemble, default_choices
    from authoring.interview.services import library
    old_terms = demo_terms("he", "Managed IT")
    with app.test_request_context():
        old = assemble(library(), old_terms, "he", default_choices(library()))
        new = assemble(library(), changed(old_terms), "he", default_choices(library()))
        redline = redline_between(old, new, "he", library())
    credit = next(t for t in redline.terms if t.label.startswith("זיכויי שירות"))
    assert (credit.path, credit.old, credit.new) == ("sanctions.credits", "3%", "10%")
    assert redline.counts()["terms"] == len(redline.terms) == 7


# The redline page ----------------------------------------------------------------------------

def _negotiated(app, make_user, make_agreement, add_member, language: str) -> int:
    """Shared, then the client proposes the changes of `changed`, the provider accepts: revisions 1 and 2."""
    owner = make_user("owner@example.com", name="Olivia Owner")
    editor = make_user("ceditor@example.com", name="Carmen Editor")
    agreement_id = make_agreement(owner, title="Managed IT", language=language)
    add_member(agreement_id, editor, "client", "editor")
    with app.test_request_context(method="POST"):
        agreement = db.session.get(Agreement, agreement_id)
        owner, editor = db.session.get(User, owner.id), db.session.get(User, editor.id)
        set_terms(agreement, owner, demo_terms(language, "Managed IT"), "test")
        share(agreement, owner, membership_of(owner.id, agreement_id), "Draft")
        _draft, document = draft_of(agreement)
        wanted = changed(document.terms)
        proposals = []
        for path in ("sanctions.credits", "costs.rates", "timeline.auto_renew", "timeline.end_date",
                     "costs.monthly_fee", "costs.invoicing", "services.in_scope"):
            group, name = path.split(".")
            proposal, _ = propose(agreement, editor, membership_of(editor.id, agreement_id), "term", path,
                                  wanted[group][name], document.terms[group][name], "")
            proposals.append(proposal)
        send_to_other_side(agreement, editor, membership_of(editor.id, agreement_id), "Our changes")
        for proposal in proposals:
            accept(agreement, owner, membership_of(owner.id, agreement_id), proposal)
        assert send_to_other_side(agreement, owner, membership_of(owner.id, agreement_id), "Accepted").number == 2
    return agreement_id


def _term_rows(page: str) -> dict[str, tuple[str, str]]:
    table = page[page.index('class="list term-changes"'):]
    table = table[:table.index("</table>")]
    rows = {}
    for row in re.findall(r"<tr>(.*?)</tr>", table, re.S)[1:]:
        cells = [html.unescape(re.sub(r"<[^>]+>", "", cell)).strip()
                 for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)]
        rows[cells[0]] = (cells[1], cells[2])
    return rows


@pytest.mark.parametrize("language", sorted(EXPECTED))
def test_the_redline_page_lists_changed_terms_in_the_agreements_language(
        app, make_user, make_agreement, add_member, login, language):
    agreement_id = _negotiated(app, make_user, make_agreement, add_member, language)
    browser = login(app.test_client(), "owner@example.com")
    response = browser.get(f"/agreements/{agreement_id}/redline?from=1&to=2")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    rows = _term_rows(page)
    for label, values in EXPECTED[language].items():
        assert rows.get(label) == values, (label, rows)
    assert len(rows) == 7 and "·" not in "".join(old + new for old, new in rows.values())
    assert list(rows)[-1] == next(label for label in EXPECTED[language] if label.startswith(("Service", "Bonif", "זיכויי"))), \
        "listed as the interview asks for them, not in the stored file's key order"
    assert f'<th scope="row" lang="{language}" dir="auto">' in page
