"""Word comes back with its tables edited: a changed cell, an added or a removed row become term proposals.

The negotiated demo agreement is exported; its tables are edited as Word edits them - a cell's
runs split with `w:rsid*` and `w:proofErr`, a tracked replacement inside a cell, a row inserted
or deleted with tracking on (`w:trPr/w:ins`, `w:trPr/w:del`), a cell or a row changed with
tracking off - and imported through the CLI and the pages. Each table's change must be exactly
one term proposal of the value written, read in the agreement's language; what cannot be read
as a value is listed and proposes nothing.
"""
from __future__ import annotations

import copy
import io
import re

import pytest
from playwright.sync_api import expect
from lxml import etree
from sqlalchemy import select

from authoring.access import membership_of
from authoring.demo import DEMO_PASSWORD, DEMO_TITLE, DEMO_TITLES, create_demo
from authoring.export.documents import revision_docx
from authoring.export.layout import bookmark_name
from authoring.extensions import db
from authoring.models import Agreement, AuditEvent, Proposal, User
from authoring.negotiation.services import accept, propose, share
from authoring.revisions.services import draft_of
from test_word_import import LAWYER, WHEN, as_word_writes, edited, import_file, replace_tracked, replace_untracked

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _exported(app, title: str, share_first: bool = False):
    with app.app_context():
        assert create_demo()
        agreement = db.session.scalar(select(Agreement).where(Agreement.title == title))
        if share_first:  # the demo's further languages are drafts: the provider shares one first
            provider = db.session.scalar(select(User).where(User.email == "provider@example.com"))
            share(agreement, provider, membership_of(provider.id, agreement.id), "Do przeglądu")
        _draft, document = draft_of(agreement)
        return agreement.id, revision_docx(agreement), document.terms


@pytest.fixture
def negotiated(app):
    """The demo's English agreement under negotiation: (id, its newest export, its terms)."""
    return _exported(app, DEMO_TITLE)


def body_rows(root, key: str) -> list:
    """The rows below the header of the table bookmarked as `key` ("service_levels")."""
    name = bookmark_name(f"tbl:{key}")
    (start,) = [mark for mark in root.iter(f"{W}bookmarkStart") if mark.get(f"{W}name") == name]
    table = next(start.iterancestors(f"{W}tbl"))
    return table.findall(f"{W}tr")[1:]


def cell(row, column: int):
    """The first paragraph of a row's cell."""
    return row.findall(f"{W}tc")[column].find(f"{W}p")


def row_of(root, key: str, first_cell: str):
    """The row whose first cell reads `first_cell` (its lines joined by line feeds)."""
    def text(tc) -> str:
        return "\n".join("".join(p.itertext()) for p in tc.findall(f"{W}p"))

    return next(row for row in body_rows(root, key) if text(row.find(f"{W}tc")) == first_cell)


def _tracked(tag: str, number: int, who: str = LAWYER):
    return etree.Element(f"{W}{tag}", {f"{W}id": str(number), f"{W}author": who, f"{W}date": WHEN})


def insert_row_tracked(after, cells: list[str], who: str = LAWYER):
    """A row typed in after `after` with tracking on: the row mark and every run tracked as inserted."""
    row = copy.deepcopy(after)
    row.find(f"{W}trPr").append(_tracked("ins", 9401, who))
    for tc, text in zip(row.findall(f"{W}tc"), cells):
        first, *others = tc.findall(f"{W}p")
        for p in [first, *others]:
            tc.remove(p)
        for line in text.split("\n"):  # a line of the cell is a paragraph of its own
            p = copy.deepcopy(first)
            for child in list(p):
                if child.tag != f"{W}pPr":
                    p.remove(child)
            insertion = _tracked("ins", 9402, who)
            etree.SubElement(etree.SubElement(insertion, f"{W}r", {f"{W}rsidR": "00C0FFEE"}), f"{W}t").text = line
            p.append(insertion)
            tc.append(p)
    after.addnext(row)
    return row


def delete_row_tracked(row, who: str = LAWYER) -> None:
    """Delete a row with tracking on: its row mark and every run tracked as deleted."""
    row.find(f"{W}trPr").append(_tracked("del", 9501, who))
    for run in list(row.iter(f"{W}r")):
        deletion = _tracked("del", 9502, who)
        run.addprevious(deletion)
        deletion.append(run)
        for text in run.iter(f"{W}t"):
            text.tag = f"{W}delText"


def made_from_file(app, agreement_id: int) -> list[Proposal]:
    with app.app_context():
        return list(db.session.scalars(select(Proposal).where(Proposal.agreement_id == agreement_id,
                                                               Proposal.reason.like("%Globex-%.docx%"))
                                       .order_by(Proposal.number)))


def with_row(rows: list[dict], level: str, **changed) -> list[dict]:
    return [{**row, **changed} if row["level"] == level else row for row in rows]


def test_a_cell_changed_with_tracking_split_across_runs_is_one_term_proposal(app, negotiated, runner, tmp_path):
    agreement_id, exported, terms = negotiated

    def word_edits(root):
        response = cell(row_of(root, "service_levels", "P3"), 2)  # "4 hours"
        as_word_writes(response)  # "4 " and "hours" in runs of their own, a spelling mark between
        replace_tracked(response, "4", "2")

    result = import_file(runner, tmp_path, agreement_id, edited(exported, word_edits))
    assert result.exit_code == 0, result.output
    lines = result.output.strip().splitlines()
    assert lines[-1] == "1 proposals, 0 comments, 0 untracked"
    assert (f"Service levels: services.priorities (P3 › Response: 4 hours → 2 hours), tracked by {LAWYER}; applies"
            in lines)
    (proposal,) = made_from_file(app, agreement_id)
    assert (proposal.kind, proposal.target, proposal.side) == ("term", "services.priorities", "client")
    assert proposal.base_value == terms["services"]["priorities"]
    assert proposal.value == with_row(terms["services"]["priorities"], "P3", response_hours="2")
    assert proposal.reason == f"From Globex-comments.docx, change by {LAWYER}"


def test_a_cell_changed_without_tracking_is_flagged_untracked(app, negotiated, runner, tmp_path):
    agreement_id, exported, terms = negotiated

    def word_edits(root):
        replace_untracked(cell(row_of(root, "rate_card", "ENG"), 3), "€85.00", "€95.50")
        # A contact's e-mail, the third of the cell's four lines, changed too.
        contact = row_of(root, "contacts", "Billing\nClient").findall(f"{W}tc")[1].findall(f"{W}p")[2]
        replace_untracked(contact, "ap@globex.example", "payables@globex.example")

    result = import_file(runner, tmp_path, agreement_id, edited(exported, word_edits))
    assert result.exit_code == 0, result.output
    assert result.output.strip().splitlines()[-1] == "2 proposals, 0 comments, 2 untracked"
    made = {p.target: p for p in made_from_file(app, agreement_id)}
    assert set(made) == {"costs.rates", "parties.client.contacts.billing.email"}
    rates = terms["costs"]["rates"]
    assert made["costs.rates"].value == [{**row, "price": "95.50"} if row["code"] == "ENG" else row for row in rates]
    assert made["parties.client.contacts.billing.email"].value == "payables@globex.example"
    assert all(p.reason == "From Globex-comments.docx, changed without tracked changes" for p in made.values())
    with app.app_context():
        event = db.session.scalar(select(AuditEvent).where(AuditEvent.agreement_id == agreement_id,
                                                           AuditEvent.action == "word.imported"))
        assert event.details["untracked"] == ["term:costs.rates", "term:parties.client.contacts.billing.email"]


def test_rows_added_and_removed_with_tracking_are_the_list_term_proposed(app, negotiated, runner, tmp_path):
    agreement_id, exported, terms = negotiated

    def added(root):
        insert_row_tracked(row_of(root, "service_levels", "P4"), ["P5", "A cosmetic defect", "3 hours", "80 hours"])

    result = import_file(runner, tmp_path, agreement_id, edited(exported, added), "--dry-run")
    assert result.exit_code == 0, result.output
    assert result.output.strip().splitlines()[-1] == "1 proposals, 0 comments, 0 untracked"
    assert "row P5 · A cosmetic defect · 3 hours · 80 hours added" in result.output

    result = import_file(runner, tmp_path, agreement_id, edited(exported, added))
    (proposal,) = made_from_file(app, agreement_id)
    assert proposal.target == "services.priorities"
    assert proposal.value == terms["services"]["priorities"] + [
        {"level": "P5", "definition": "A cosmetic defect", "response_hours": "3", "resolution_hours": "80"}]

    def removed(root):
        delete_row_tracked(row_of(root, "service_levels", "P2"))

    result = import_file(runner, tmp_path, agreement_id, edited(exported, removed))
    assert result.exit_code == 0, result.output
    assert result.output.strip().splitlines()[-1] == "1 proposals, 0 comments, 0 untracked"
    assert f"(row P2 removed), tracked by {LAWYER}; applies" in result.output
    _first, second = made_from_file(app, agreement_id)
    assert second.value == [row for row in terms["services"]["priorities"] if row["level"] != "P2"]


def test_rows_added_and_removed_without_tracking_are_told_from_changed_rows(app, negotiated):
    from authoring.roundtrip.services import preview_word_file

    agreement_id, exported, terms = negotiated

    def quietly(root):
        first, *_rest, last = body_rows(root, "service_levels")
        new = copy.deepcopy(last)
        for column, text in enumerate(["P5", "A cosmetic defect", "1 day", "80 hours"]):
            next(cell(new, column).iter(f"{W}t")).text = text
        last.addnext(new)
        first.getparent().remove(first)  # P1 gone

    with app.app_context():
        preview = preview_word_file(db.session.get(Agreement, agreement_id), edited(exported, quietly), "clean.docx")
    (change,) = preview.table_changes
    assert change.untracked and change.status == "applies"
    assert [(edit.kind, edit.row) for edit in change.edits] == [("row_removed", "P1")]
    # The added row's response ("1 day") is not a number of hours: the row is listed, not guessed.
    assert change.value == terms["services"]["priorities"][1:]
    (unreadable,) = preview.unreadable
    assert (unreadable.table, unreadable.row, unreadable.column, unreadable.text) == (
        "Service levels", "P5", "Response", "1 day")
    assert "cannot be read as a value of this column" in unreadable.message


def test_a_cell_that_cannot_be_read_is_reported_and_proposes_nothing(app, negotiated, runner, tmp_path):
    agreement_id, exported, _terms = negotiated

    def word_edits(root):
        replace_tracked(cell(row_of(root, "service_levels", "P3"), 2), "4 hours", "soon")
        replace_tracked(cell(row_of(root, "service_credits", "P1"), 1), "95%", "-5%")  # beyond the interview's bounds

    result = import_file(runner, tmp_path, agreement_id, edited(exported, word_edits))
    assert result.exit_code == 0, result.output
    lines = result.output.strip().splitlines()
    assert lines[-1] == "0 proposals, 0 comments, 0 untracked"
    assert ("Service levels › P3 › Response: not proposed: “soon” cannot be read as a value of this column."
            in lines)
    assert "Service credits › P1 › Met in at least: not proposed: “-5%”: Cannot be negative." in lines
    assert made_from_file(app, agreement_id) == []


def test_a_term_the_draft_changed_since_is_a_conflict_not_proposed(app, negotiated, runner, tmp_path):
    agreement_id, exported, terms = negotiated
    with app.app_context():  # the provider proposes faster responses to P1, and the client accepts
        agreement = db.session.get(Agreement, agreement_id)
        people = {u.email: u for u in db.session.scalars(select(User))}
        provider, client = people["provider@example.com"], people["client@example.com"]
        rows = terms["services"]["priorities"]
        proposal, _ = propose(agreement, provider, membership_of(provider.id, agreement_id), "term",
                              "services.priorities", with_row(rows, "P1", response_hours="0.25"), rows)
        accept(agreement, client, membership_of(client.id, agreement_id), proposal)

    def word_edits(root):
        replace_tracked(cell(row_of(root, "service_levels", "P3"), 2), "4 hours", "2 hours")

    result = import_file(runner, tmp_path, agreement_id, edited(exported, word_edits))
    assert result.exit_code == 0, result.output
    assert result.output.strip().splitlines()[-1] == "0 proposals, 0 comments, 0 untracked"
    assert "(P3 › Response: 4 hours → 2 hours), tracked by" in result.output and "; conflict" in result.output
    assert made_from_file(app, agreement_id) == []


def test_a_polish_agreements_table_is_read_in_polish(app, runner, tmp_path):
    agreement_id, exported, terms = _exported(app, DEMO_TITLES["pl"], share_first=True)

    def word_edits(root):
        response = cell(row_of(root, "service_levels", "P3"), 2)  # "4 godziny"
        as_word_writes(response)
        replace_tracked(response, "4", "6")
        replace_tracked(response, "godziny", "godzin")

    result = import_file(runner, tmp_path, agreement_id, edited(exported, word_edits))
    assert result.exit_code == 0, result.output
    assert result.output.strip().splitlines()[-1] == "1 proposals, 0 comments, 0 untracked"
    assert "Poziomy usług: services.priorities (P3 › Czas reakcji: 4 godziny → 6 godzin)" in result.output
    (proposal,) = made_from_file(app, agreement_id)
    assert proposal.value == with_row(terms["services"]["priorities"], "P3", response_hours="6")
    assert proposal.reason == f"Z pliku Globex-comments.docx, zmiana: {LAWYER}"


def test_the_preview_lists_table_changes_and_proposes_only_the_ticked(app, negotiated, login):
    from conftest import csrf_token

    agreement_id, exported, terms = negotiated

    def word_edits(root):
        replace_tracked(cell(row_of(root, "service_levels", "P3"), 2), "4 hours", "2 hours")
        replace_untracked(cell(row_of(root, "rate_card", "ENG"), 3), "€85.00", "€95.50")
        replace_tracked(cell(row_of(root, "service_levels", "P4"), 3), "80 hours", "whenever")

    client = login(app.test_client(), "client@example.com", DEMO_PASSWORD)
    page = f"/agreements/{agreement_id}/word"
    uploaded = client.post(page, data={"csrf_token": csrf_token(client, page),
                                       "file": (io.BytesIO(edited(exported, word_edits)), "Globex-tables.docx")},
                           content_type="multipart/form-data")
    assert uploaded.status_code == 302
    preview_path = uploaded.headers["Location"]
    shown = client.get(preview_path).get_data(as_text=True)
    assert shown.count('data-testid="word-table-change"') == 2
    assert "1 term was changed in a table without tracked changes: read it closely." in shown
    assert 'value="term:services.priorities"' in shown and 'value="term:costs.rates"' in shown
    assert '<del class="del">4</del><ins class="ins">2</ins><span> hours</span>' in shown
    assert '<del class="del">85.00</del><ins class="ins">95.50</ins>' in shown
    assert "“whenever” cannot be read as a value of this column." in shown

    fingerprint = re.search(r'name="fingerprint" value="([0-9a-f]{64})"', shown).group(1)
    done = client.post(preview_path, data={"csrf_token": csrf_token(client, preview_path), "fingerprint": fingerprint,
                                           "change": ["term:services.priorities"]})
    assert done.status_code == 302
    assert "1 proposal made from Globex-tables.docx." in client.get(done.headers["Location"]).get_data(as_text=True)
    (proposal,) = made_from_file(app, agreement_id)
    assert proposal.target == "services.priorities"
    assert proposal.value == with_row(terms["services"]["priorities"], "P3", response_hours="2")


@pytest.mark.browser
def test_the_preview_of_table_changes_in_a_browser(app, backend, live_server, new_page, tmp_path):
    """The table changes as a person meets them: the untracked one in red, the unreadable one listed,
    no WCAG 2.1 AA violation; unticking one proposes only the other."""
    from test_accessibility import _axe_source, _violations

    if backend != "sqlite":
        pytest.skip("the pages are the same on either database; checked once")
    agreement_id, exported, _terms = _exported(app, DEMO_TITLE)

    def word_edits(root):
        replace_tracked(cell(row_of(root, "service_levels", "P3"), 2), "4 hours", "2 hours")
        replace_untracked(cell(row_of(root, "rate_card", "ENG"), 3), "€85.00", "€95.50")
        replace_tracked(cell(row_of(root, "service_levels", "P4"), 3), "80 hours", "whenever")

    upload = tmp_path / "Globex-tables.docx"
    upload.write_bytes(edited(exported, word_edits))
    page = new_page()
    page.goto(f"{live_server}/login")
    page.get_by_label("E-mail address").fill("client@example.com")
    page.get_by_label("Password", exact=True).fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.goto(f"{live_server}/agreements/{agreement_id}/word")
    page.get_by_label("Word file (.docx) the other side edited").set_input_files(str(upload))
    page.get_by_role("button", name="Show the changes").click()

    expect(page.get_by_role("heading", name="Changes to the tables")).to_be_visible()
    expect(page.get_by_role("alert")).to_contain_text("1 term was changed in a table without tracked changes")
    expect(page.get_by_role("group", name="Rate card")).to_contain_text("Changed without tracked changes.")
    expect(page.get_by_test_id("word-unreadable")).to_contain_text("“whenever” cannot be read as a value")
    assert _violations(page, _axe_source()) == []

    page.get_by_label("Propose this change to “Rate card”").uncheck()
    page.get_by_role("button", name="Propose the ticked changes").click()
    page.wait_for_url(f"{live_server}/agreements/{agreement_id}/negotiation")
    expect(page.get_by_role("status").first).to_contain_text("1 proposal made from Globex-tables.docx.")
    assert [p.target for p in made_from_file(app, agreement_id)] == ["services.priorities"]


def test_a_contacts_details_are_read_line_by_line_each_a_term_of_its_own(app, negotiated):
    from authoring.roundtrip.services import preview_word_file

    agreement_id, exported, terms = negotiated

    def word_edits(root):
        # The delivery manager's role line deleted without tracking: the cell keeps three lines.
        contact = row_of(root, "contacts", "Delivery\nProvider").findall(f"{W}tc")[1]
        contact.remove(contact.findall(f"{W}p")[1])
        delete_row_tracked(row_of(root, "contacts", "Escalation\nClient"))
        # A second row for a stage and party the table has: which contact it is cannot be told.
        insert_row_tracked(row_of(root, "contacts", "Billing\nClient"), ["Billing\nClient", "Ana García"])

    with app.app_context():
        preview = preview_word_file(db.session.get(Agreement, agreement_id), edited(exported, word_edits), "c.docx")
    found = {change.term: change for change in preview.table_changes}
    escalation = terms["parties"]["client"]["contacts"]["escalation"]
    assert set(found) == {"parties.provider.contacts.delivery.role",
                          *(f"parties.client.contacts.escalation.{detail}" for detail in escalation)}
    role = found["parties.provider.contacts.delivery.role"]
    assert (role.value, role.base_value, role.untracked) == (None, "Service manager", True)
    assert [(e.row, e.column, e.old, e.new) for e in role.edits] == [("Delivery · Provider", "Contact",
                                                                      "Service manager", "")]
    assert all(found[f"parties.client.contacts.escalation.{detail}"].value is None for detail in escalation)
    assert all(not found[f"parties.client.contacts.escalation.{d}"].untracked for d in escalation)
    (unreadable,) = preview.unreadable
    assert unreadable.message == "The table already has a row for this stage and party."
