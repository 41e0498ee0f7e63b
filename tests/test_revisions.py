"""The working draft and immutable, content-addressed, verified revisions."""
from __future__ import annotations

import html
import re

import pytest
from conftest import post_form
from sqlalchemy import func, select, update

from authoring.document import ClauseInstance, Document, Section
from authoring.extensions import db
from authoring.models import Agreement, Blob, Draft, Revision, User
from authoring.revisions.services import cut_revision, draft_of, edit_clause_text, revision_document
from authoring.revisions.store import RevisionIntegrityError

WORDS = ["Provider", "Client", "dostawca", "клиент", "הספק", "servicio", "oras", "shall", "within", "days"]


def big_document(clauses: int = 300) -> Document:
    sections = []
    for s in range(clauses // 10):
        sections.append(Section(f"s{s}", f"Section {s}", tuple(
            ClauseInstance(f"c{s}.{c}", f"Clause {s}.{c}", " ".join(WORDS[(s + c + i) % len(WORDS)] for i in range(40)))
            for c in range(10))))
    return Document(terms={"n": clauses}, sections=tuple(sections))


@pytest.fixture
def agreement_with(app, make_user, make_agreement):
    """An agreement whose draft is `document`; returns (agreement_id, owner)."""
    def make(document: Document):
        owner = make_user()
        agreement_id = make_agreement(owner)
        with app.app_context():
            db.session.execute(update(Draft).where(Draft.agreement_id == agreement_id)
                               .values(document=document.canonical_json().decode("utf-8")))
            db.session.commit()
        return agreement_id, owner
    return make


def test_100_revisions_of_300_clauses_store_each_body_once(app, agreement_with):
    agreement_id, owner = agreement_with(big_document(300))
    with app.test_request_context(method="POST"):
        agreement, user = db.session.get(Agreement, agreement_id), db.session.get(User, owner.id)
        for n in range(100):
            version = db.session.get(Draft, agreement_id).version
            key = f"c{n % 30}.{n % 10}"
            edit_clause_text(agreement, user, key, f"Revision {n}: the Provider shall respond — עדכון {n}.", version,
                             draft_of(agreement)[1].clause(key).text)
            cut_revision(agreement, user, f"change {n}")
        clause_bodies = db.session.scalar(select(func.count()).select_from(Blob).where(Blob.kind == "clause"))
        assert clause_bodies <= 300 + 100
        assert clause_bodies == 300 + 99  # revision 1 holds 300 bodies, each later one adds exactly one
        revisions = db.session.scalars(select(Revision).order_by(Revision.number)).all()
        assert [r.number for r in revisions] == list(range(1, 101))
        assert all(r.parent_id == p.id for p, r in zip(revisions, revisions[1:]))
        fiftieth = revision_document(revisions[49])
        assert fiftieth.clause("c19.9").text == "Revision 49: the Provider shall respond — עדכון 49."
        assert fiftieth.clause("c20.0").text.startswith("Revision 20:")  # changed at n=20, again only at n=50
        assert fiftieth.clause("c0.5") == big_document(300).clause("c0.5")  # never changed
        assert fiftieth.sha256() == revisions[49].hash
        assert len(revisions[99].tree) < 2_500  # a revision row is a small tree of hashes, not a copy


def test_tampered_body_makes_loading_that_revision_fail(app, client, login, agreement_with):
    agreement_id, owner = agreement_with(big_document(20))
    with app.test_request_context(method="POST"):
        agreement, user = db.session.get(Agreement, agreement_id), db.session.get(User, owner.id)
        first = cut_revision(agreement, user, "first")
        edit_clause_text(agreement, user, "c1.1", "Changed in revision two.", db.session.get(Draft, agreement_id).version,
                         draft_of(agreement)[1].clause("c1.1").text)
        second = cut_revision(agreement, user, "second")
        blob = db.session.scalar(select(Blob).where(Blob.content.contains("Changed in revision two.")))
        db.session.execute(update(Blob).where(Blob.hash == blob.hash)
                           .values(content=blob.content.replace("revision two", "revision 2")))
        db.session.commit()
        with pytest.raises(RevisionIntegrityError, match="does not match its hash"):
            revision_document(db.session.get(Revision, second.id))
        assert revision_document(db.session.get(Revision, first.id)).sha256() == first.hash  # untouched
    login(client, owner.email)
    page = client.get(f"/agreements/{agreement_id}/revisions/2")
    assert page.status_code == 409
    assert "failed its integrity check" in page.get_data(as_text=True)
    assert client.get(f"/agreements/{agreement_id}/revisions/1").status_code == 200


def test_a_revision_row_whose_hash_was_altered_fails_too(app, agreement_with):
    agreement_id, owner = agreement_with(big_document(10))
    with app.test_request_context(method="POST"):
        revision = cut_revision(db.session.get(Agreement, agreement_id), db.session.get(User, owner.id), "one")
        db.session.execute(update(Revision).where(Revision.id == revision.id).values(hash="0" * 64))
        db.session.commit()
        with pytest.raises(RevisionIntegrityError, match="revision's hash"):
            revision_document(db.session.get(Revision, revision.id))


def edit_page(client, agreement_id, key):
    """What the edit form says the edit is based on: {"base_version": n, "base_text": text}."""
    return based_on(client.get(f"/agreements/{agreement_id}/clauses/{key}/edit").get_data(as_text=True))


def based_on(page: str) -> dict:
    return {"base_version": int(re.search(r'name="base_version" type="hidden" value="(\d+)"', page).group(1)),
            "base_text": html.unescape(re.search(r'name="base_text" type="hidden" value="([^"]*)"', page).group(1))}


def test_edit_clause_cut_revision_and_read_it_back_in_every_script(app, client, make_user, login, make_agreement):
    owner = make_user("ed@example.com", name="Edda Editor")
    agreement = make_agreement(owner, language="he", title="הסכם שירות")
    login(client, "ed@example.com")
    text = "  הספק יגיב בתוך 4 שעות.\nDostawca — zażółć gęślą jaźń; Исполнитель; señal.  "
    base = edit_page(client, agreement, "services.scope")
    saved = post_form(client, f"/agreements/{agreement}/clauses/services.scope/edit", {"text": text, **base})
    assert saved.status_code == 302
    draft_page = client.get(f"/agreements/{agreement}").get_data(as_text=True)
    assert 'dir="rtl"' in draft_page and "custom" in draft_page
    assert "Dostawca — zażółć gęślą jaźń; Исполнитель; señal." in draft_page
    cut = post_form(client, f"/agreements/{agreement}/revisions", {"message": "Hebrew and Polish wording"})
    assert cut.status_code == 302
    history = client.get(f"/agreements/{agreement}/revisions").get_data(as_text=True)
    assert "Hebrew and Polish wording" in history and "Edda Editor" in history
    with app.app_context():
        revision = db.session.scalar(select(Revision))
        assert revision_document(revision).clause("services.scope").text == text  # byte for byte, spaces kept
    shown = client.get(f"/agreements/{agreement}/revisions/1").get_data(as_text=True)
    assert revision.hash in shown and "הספק יגיב בתוך 4 שעות." in shown
    again = post_form(client, f"/agreements/{agreement}/revisions", {"message": "again"})
    assert again.status_code == 422 and "Nothing changed since revision 1." in again.get_data(as_text=True)
    empty = post_form(client, f"/agreements/{agreement}/revisions", {"message": "   "})
    assert empty.status_code == 422 and "Say in a few words what changed." in empty.get_data(as_text=True)
    assert client.get(f"/agreements/{agreement}/revisions/7").status_code == 404
    assert client.get(f"/agreements/{agreement}/clauses/no.such/edit").status_code == 404


def test_stale_clause_edit_is_refused_with_both_versions(app, make_user, login, make_agreement, add_member):
    owner, colleague = make_user("a@example.com"), make_user("b@example.com")
    agreement = make_agreement(owner)
    add_member(agreement, colleague, "provider", "editor")
    first, second = login(app.test_client(), "a@example.com"), login(app.test_client(), "b@example.com")
    url = f"/agreements/{agreement}/clauses/general.confidentiality/edit"
    base_first, base_second = edit_page(first, agreement, "general.confidentiality"), edit_page(second, agreement, "general.confidentiality")
    assert post_form(first, url, {"text": "Their wording wins first.", **base_first}).status_code == 302
    stale = post_form(second, url, {"text": "My wording, typed meanwhile.", **base_second})
    page = stale.get_data(as_text=True)
    assert stale.status_code == 409
    assert "changed the same words" in page
    assert "Their wording wins first." in page and "My wording, typed meanwhile." in page
    with app.app_context():
        assert "Their wording wins first." in db.session.get(Draft, agreement).document
    # The page now carries the newer version, so saving again (after reading both) goes through.
    assert post_form(second, url, {"text": "Agreed wording.", **based_on(page)}).status_code == 302


def test_clause_edit_validation(client, make_user, login, make_agreement):
    owner = make_user("v@example.com")
    agreement = make_agreement(owner)
    login(client, "v@example.com")
    url = f"/agreements/{agreement}/clauses/general.confidentiality/edit"
    too_long = post_form(client, url, {"text": "x" * 100_001, "base_version": 1})
    assert too_long.status_code == 422 and "Field cannot be longer than 100000 characters." in too_long.get_data(as_text=True)
    not_a_number = post_form(client, url, {"text": "fine", "base_version": "abc"})
    assert not_a_number.status_code == 422
