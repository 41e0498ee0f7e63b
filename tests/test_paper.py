"""The paper an agreement's Word documents are printed on: from its language's locale (CLDR:
US Letter in the Americas' Letter countries and the Philippines, A4 elsewhere), or as an
owner set it on the agreement's Settings page. Checked through the pages and the exported
files read back, clean and redline alike.
"""
from __future__ import annotations

import io
import re

import docx
import pytest
from sqlalchemy import select
from conftest import post_form

from authoring.demo_terms import demo_terms
from authoring.export.paper import agreement_paper, locale_paper
from authoring.extensions import db
from authoring.interview.services import set_terms
from authoring.models import Agreement, AuditEvent, User
from authoring.revisions.services import cut_revision, draft_of, edit_clause_text

A4, LETTER = (11906, 16838), (12240, 15840)  # twips, as Word writes w:pgSz
INCH = 1440


@pytest.fixture
def agreement_in(app, make_user, make_agreement, login):
    """An agreement in `language` with the demo's terms (so its tables) and two revisions; `.client`
    is its owner, logged in."""
    owner = make_user("owner@example.com", name="Olivia Owner")
    client = login(app.test_client(), "owner@example.com")

    def make(language: str) -> int:
        agreement_id = make_agreement(owner, title=f"Support ({language})", language=language)
        with app.test_request_context(method="POST"):
            agreement, user = db.session.get(Agreement, agreement_id), db.session.get(User, owner.id)
            set_terms(agreement, user, demo_terms(language, agreement.title), "test terms")
            cut_revision(agreement, user, "First draft")
            draft, document = draft_of(agreement)
            clause = next(document.clauses())
            edit_clause_text(agreement, user, clause.key, clause.text + " Amended.", draft.version, clause.text)
            cut_revision(agreement, user, "Second draft")
        return agreement_id

    make.client = client
    return make


def page_setup(data: bytes) -> tuple[tuple[int, int], dict[str, int], list[int]]:
    """(paper width and height, margins, the widths of the first table's columns), all in twips."""
    word = docx.Document(io.BytesIO(data))
    section = word.sections[0]
    size = (section.page_width.twips, section.page_height.twips)
    margins = {side: getattr(section, f"{side}_margin").twips for side in ("top", "right", "bottom", "left")}
    grid = [int(col.get("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}w"))
            for col in word.element.body.iter("{*}gridCol")]
    return size, margins, grid


def exports(client, agreement_id: int) -> dict[str, bytes]:
    files = {}
    for name, path in (("clean", "revisions/2/export.docx"), ("redline", "redline/1-2.docx")):
        response = client.get(f"/agreements/{agreement_id}/{path}")
        assert response.status_code == 200, (name, response.status_code)
        files[name] = response.get_data()
    return files


@pytest.mark.parametrize("locale, paper", [
    ("fil-PH", "Letter"), ("en-US", "Letter"), ("es_MX", "Letter"), ("fr-CA", "Letter"),
    ("en-GB", "A4"), ("es-ES", "A4"), ("pl-PL", "A4"), ("he-IL", "A4"), ("ru-RU", "A4"), ("en", "A4"), ("", "A4"),
])
def test_the_paper_of_a_locale_is_cldrs(locale, paper):
    assert locale_paper(locale) == paper


def test_an_agreements_setting_wins_over_its_language():
    assert agreement_paper("tl", None) == "Letter" and agreement_paper("en", None) == "A4"
    assert agreement_paper("tl", "A4") == "A4" and agreement_paper("en", "Letter") == "Letter"


def test_a_tagalog_agreement_prints_on_letter_and_an_english_one_on_a4(app, agreement_in):
    tagalog, english = agreement_in("tl"), agreement_in("en")
    for agreement_id, paper in ((tagalog, LETTER), (english, A4)):
        for kind, data in exports(agreement_in.client, agreement_id).items():
            size, margins, _grid = page_setup(data)
            assert size == paper, (agreement_id, kind)
            assert margins == dict.fromkeys(("top", "right", "bottom", "left"), INCH), kind  # 2.54 cm all round


def test_tables_span_the_text_width_of_their_paper(app, agreement_in):
    """The clean DOCX's tables share out exactly the width between the margins of its paper."""
    for language, (width, _height) in (("tl", LETTER), ("en", A4)):
        data = exports(agreement_in.client, agreement_in(language))["clean"]
        _size, _margins, grid = page_setup(data)
        first_table = docx.Document(io.BytesIO(data)).tables[0]
        columns = len(first_table.columns)
        assert width - 2 * INCH - columns < sum(grid[:columns]) <= width - 2 * INCH, language


def settings_page(client, agreement_id: int):
    return client.get(f"/agreements/{agreement_id}/settings")


def test_an_owner_overrides_the_paper_and_automatic_brings_back_the_languages(app, agreement_in):
    english = agreement_in("en")
    client = agreement_in.client
    page = settings_page(client, english).get_data(as_text=True)
    assert re.search(r'<label for="paper_size">Paper size</label>', page)
    assert 'aria-describedby="paper_size-hint"' in page and "Automatic prints on A4" in page
    assert '<option selected value="">Automatic (from the agreement\'s language)</option>' in page

    path = f"/agreements/{english}/settings"
    response = post_form(client, path, {"paper_size": "Letter"}, token_from=path)
    assert response.status_code == 302 and response.headers["Location"] == path
    followed = client.get(path).get_data(as_text=True)
    assert "printed on US Letter" in followed
    for kind, data in exports(client, english).items():
        assert page_setup(data)[0] == LETTER, kind

    assert post_form(client, path, {"paper_size": ""}, token_from=path).status_code == 302
    for kind, data in exports(client, english).items():
        assert page_setup(data)[0] == A4, kind
    with app.app_context():
        assert db.session.get(Agreement, english).paper_size is None
        events = db.session.scalars(select(AuditEvent).where(AuditEvent.agreement_id == english,
                                                                AuditEvent.action == "agreement.paper_size_changed")
                                    .order_by(AuditEvent.id)).all()
        assert [(e.details["old"], e.details["new"]) for e in events] == [("automatic", "Letter"), ("Letter", "automatic")]
    activity = client.get(f"/agreements/{english}/activity").get_data(as_text=True)
    assert "set the paper of the agreement&#39;s documents to US Letter." in activity


def test_saving_the_same_setting_changes_nothing_and_records_nothing(app, agreement_in):
    tagalog = agreement_in("tl")
    path = f"/agreements/{tagalog}/settings"
    assert post_form(agreement_in.client, path, {"paper_size": ""}, token_from=path).status_code == 302
    assert "Nothing changed." in agreement_in.client.get(path).get_data(as_text=True)
    with app.app_context():
        assert not db.session.scalars(select(AuditEvent).where(
            AuditEvent.action == "agreement.paper_size_changed")).all()


def test_an_unknown_paper_size_comes_back_with_a_message_and_changes_nothing(app, agreement_in):
    english = agreement_in("en")
    path = f"/agreements/{english}/settings"
    response = post_form(agreement_in.client, path, {"paper_size": "A3"}, token_from=path)
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert '<p class="error" id="paper_size-error">Not a valid choice.</p>' in page
    assert 'aria-invalid="true"' in page and 'aria-describedby="paper_size-hint paper_size-error"' in page
    with app.app_context():
        assert db.session.get(Agreement, english).paper_size is None


def test_the_settings_page_speaks_the_interface_language(app, agreement_in):
    english = agreement_in("en")
    client = agreement_in.client
    assert post_form(client, "/language", {"language": "pl"}).status_code == 302
    page = settings_page(client, english).get_data(as_text=True)
    assert "Rozmiar papieru" in page and "Automatycznie" in page


def test_only_an_owner_changes_the_settings_every_member_sees_them(app, agreement_in, make_user, add_member, login):
    tagalog = agreement_in("tl")
    viewer = make_user("viewer@example.com")
    add_member(tagalog, viewer, "client", "editor")
    client = login(app.test_client(), "viewer@example.com")
    page = settings_page(client, tagalog).get_data(as_text=True)
    assert "printed on US Letter" in page and 'name="paper_size"' not in page
    path = f"/agreements/{tagalog}/settings"
    assert post_form(client, path, {"paper_size": "A4"}, token_from=path).status_code == 403
    with app.app_context():
        assert db.session.get(Agreement, tagalog).paper_size is None
