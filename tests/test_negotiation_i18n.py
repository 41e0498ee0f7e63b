"""The negotiation, revision and signing pages in the reader's language; e-mails in the recipient's.

The agreement's own text keeps its language and direction; the page around it, its badges
and its messages follow the interface language (here from Accept-Language).
"""
from __future__ import annotations

from sqlalchemy import select
from test_negotiation import KEY, act, deal, propose_text  # noqa: F401 (deal is a fixture)

from authoring.extensions import db
from authoring.models import OutboxMessage, User


def in_language(client, language: str):
    """The client, asking for `language` on every request from now on (as a browser set to it would)."""
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = language
    return client


def text_of(response) -> str:
    return response.get_data(as_text=True)


def set_language(app, email: str, language: str) -> None:
    with app.app_context():
        db.session.scalar(select(User).where(User.email == email)).language = language
        db.session.commit()


def test_the_negotiation_page_speaks_hebrew_right_to_left_around_the_parties_own_words(app, deal):
    client = in_language(deal.as_("ceditor"), "he")
    page = text_of(client.get(f"/agreements/{deal.id}/negotiation"))
    assert '<html lang="he" dir="rtl">' in page
    assert "התור של הצד שלכם." in page  # "Your side's move."
    assert "הצעות פתוחות" in page and "אין הצעות פתוחות." in page  # "Open proposals", "No open proposal."
    assert "you: client side" not in page and "אתם: צד הלקוח, עורך/ת" in page
    # The agreement's title is the parties' text: its direction comes from its own letters.
    assert 'dir="auto">' in page and "Open proposals" not in page


def test_a_proposal_card_and_its_badges_in_polish_with_the_clause_text_left_as_written(app, deal):
    client = in_language(deal.as_("ceditor"), "pl")
    response = propose_text(client, deal.id, KEY, lambda text: text.replace("Each Party", "Every Party", 1),
                            reason="Jaśniej")
    assert response.status_code == 302
    page = text_of(client.get(response.headers["Location"]))
    assert "Wysłano propozycję 1 drugiej stronie." in page  # the flash, singular
    assert "Propozycja 1" in page and '<span class="badge badge-proposal-open">otwarta</span>' in page
    assert '<ins class="ins">Every</ins>' in page  # the proposed words stay as typed
    assert "Czekamy na odpowiedź Usługodawcy." in page  # "Waiting for the provider to answer."


def test_e_mails_are_written_in_each_recipients_language_not_the_senders(app, deal):
    set_language(app, "owner@example.com", "ru")
    set_language(app, "peditor@example.com", "es")
    client = in_language(deal.as_("ceditor"), "he")
    assert propose_text(client, deal.id, KEY, lambda text: text.replace("Each Party", "Every Party", 1)).status_code == 302
    with app.app_context():
        mail = {m.to_address: m for m in db.session.scalars(
            select(OutboxMessage).where(OutboxMessage.event == "proposal.created"))}
    assert mail["owner@example.com"].subject.startswith("Предложение 1 по «")
    assert "предлагает: новая формулировка:" in mail["owner@example.com"].body
    assert mail["peditor@example.com"].subject.startswith("Propuesta 1 sobre «")
    assert "propone un nuevo texto para" in mail["peditor@example.com"].body


def test_answering_in_russian_flashes_and_records_in_russian(app, deal):
    assert propose_text(deal.as_("ceditor"), deal.id, KEY, lambda text: text.replace("Each Party", "Every Party", 1)).status_code == 302
    owner = in_language(deal.as_("owner"), "ru")
    rejected = act(owner, deal.id, 1, "reject", reason="Слишком широко", next=f"/agreements/{deal.id}/negotiation")
    page = text_of(owner.get(rejected.headers["Location"]))
    assert "Предложение 1 отклонено." in page
    assert "Отклонено: " in page and "Слишком широко" in page  # who answered, and the reason as typed
    again = act(owner, deal.id, 1, "accept", next=f"/agreements/{deal.id}/negotiation")
    assert "Предложение 1 уже отклонено: Olivia Owner." in text_of(owner.get(again.headers["Location"]))


def test_the_signing_page_and_its_refusals_in_spanish(app, deal):
    client = in_language(deal.as_("owner"), "es")
    page = text_of(client.get(f"/agreements/{deal.id}/sign"))
    assert "<h2>Firma</h2>" in page and "Nadie puede firmar todavía:" in page
    assert "Firma y exportación" in page  # the tab
    assert "Exportar" in page and "Documento de Word de la revisión 1" in page


def test_the_history_in_tagalog(app, deal):
    page = text_of(in_language(deal.as_("viewer"), "tl").get(f"/agreements/{deal.id}/revisions"))
    assert "<h2>Kasaysayan</h2>" in page and "unang rebisyon" in page
    assert "Tagapagbigay ng Serbisyo" in page  # the side of revision 1, as a word of the interface
