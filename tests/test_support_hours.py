"""Support hours as data (issue 17): asked for in the interview as days and times, written in each language
as a lawyer would, read back from an edited clause (or said to be no longer stated), old free text read
where it says "around the clock" and flagged where it cannot be read, and in terms.json as they are."""
from __future__ import annotations

import copy
import json
import re

import pytest
from babel.dates import get_day_names
from conftest import post_form
from jsonschema import Draft202012Validator
from sqlalchemy import select
from test_interview import errors, post_step, terms_of, url, version_of
from test_revisions import based_on

from authoring import ROOT
from authoring.demo_terms import demo_terms
from authoring.document import Document
from authoring.document.direction import text_direction
from authoring.document.terms import changed_terms, term_value, with_term
from authoring.export.records import ExportInfo
from authoring.export.terms import terms_file, terms_json, terms_schema
from authoring.export.terms_import import TermsFileInvalid, read_terms_file
from authoring.extensions import db
from authoring.interview.health import check_health
from authoring.interview.services import set_terms
from authoring.library import assemble, default_choices, load_library
from authoring.library.assembly import reword
from authoring.library.hours_words import read_support_hours, support_hours_words
from authoring.models import Agreement, Proposal, User
from authoring.operations.support_hours import AROUND_THE_CLOCK, support_hours_of
from authoring.render.term_changes import term_changes

LIBRARY = load_library(ROOT / "clauses")
CLAUSE = "service_levels.support_hours"
TERM = "services.support_hours"
OFFICE = {"days": ["mon", "tue", "wed", "thu", "fri"], "opens": "08:00", "closes": "18:00", "holidays": "PL",
          "highest_priority_around_the_clock": True}
SUN_TO_THU = {"days": ["mon", "tue", "wed", "thu", "sun"], "opens": "08:00", "closes": "17:00", "holidays": "IL",
              "highest_priority_around_the_clock": True}
# "24 hours a day, 7 days a week" as agreements wrote it when support hours were free text.
LEGACY = {
    "en": "24 hours a day, 7 days a week",
    "es": "24 horas al día, 7 días a la semana",
    "pl": "24 godziny na dobę, 7 dni w tygodniu",
    "he": "24 שעות ביממה, 7 ימים בשבוע",
    "ru": "24 часа в сутки, 7 дней в неделю",
    "tl": "24 oras bawat araw, 7 araw bawat linggo",
}


def document_with(language: str, hours, zone: str = "Europe/Warsaw", variant: str | None = None) -> Document:
    terms = demo_terms(language, "Managed IT")
    terms["services"].update(support_hours=hours, time_zone=zone)
    choices = default_choices(LIBRARY)
    if variant:
        choices[CLAUSE] = variant
    return assemble(LIBRARY, terms, language, choices)


# The interview ------------------------------------------------------------------------------

@pytest.fixture
def owner(app, make_user, make_agreement, login):
    user = make_user("owner@example.com", name="Owner")
    agreement_id = make_agreement(user, language="en", provider_name="Provider Ltd", client_name="Client S.A.")
    return login(app.test_client(), "owner@example.com"), agreement_id


OFFICE_FORM = {
    "support_hours-days": ["mon", "tue", "wed", "thu", "fri"], "support_hours-opens": "08:00",
    "support_hours-closes": "18:00", "support_hours-holidays": "PL",
    "support_hours-highest_priority_around_the_clock": "y", "time_zone": "Europe/Warsaw",
}


def test_the_interview_asks_for_days_times_zone_holidays_and_cover_and_stores_them_as_data(app, owner):
    client, agreement_id = owner
    page = client.get(url(agreement_id, "services")).get_data(as_text=True)
    # Days are checkboxes in a fieldset with its legend; every field is labelled; the zone has names to pick from.
    assert '<fieldset class="days" id="support_hours-days">' in page and "<legend>Days</legend>" in page
    assert page.count('type="checkbox" value="') >= 7 and '<label for="support_hours-days-0" lang="en">Monday</label>' in page
    for label in ("Opens at", "Closes at", "Time zone", "Closed on the public holidays of",
                  "Incidents of the highest priority are handled around the clock",
                  "Around the clock: every day, 00:00 to 24:00"):
        assert f">{label}</label>" in page, label
    assert 'list="time-zone-names"' in page and '<option value="Europe/Warsaw">' in page
    assert '<option value="PL">Poland</option>' in page

    response = post_step(client, agreement_id, "services", OFFICE_FORM)
    assert response.status_code == 302
    services = terms_of(app, agreement_id)["services"]
    assert services["support_hours"] == OFFICE and services["time_zone"] == "Europe/Warsaw"
    # Shown again as answered.
    page = client.get(url(agreement_id, "services")).get_data(as_text=True)
    for index, day in enumerate(["mon", "tue", "wed", "thu", "fri", "sat", "sun"]):
        checked = "checked " if index < 5 else ""
        assert f'<input {checked}id="support_hours-days-{index}" name="support_hours-days" type="checkbox" value="{day}">' in page
    assert 'value="08:00"' in page and 'value="18:00"' in page and '<option selected value="PL">' in page
    # The clause states them.
    shown = client.get(f"/agreements/{agreement_id}").get_data(as_text=True)
    assert ("The Provider's support hours are Monday to Friday, 08:00 to 18:00, except public holidays in Poland, "
            "and at all times for incidents of the highest priority.").replace("'", "&#39;") in shown


def test_around_the_clock_is_one_tick(app, owner):
    client, agreement_id = owner
    response = post_step(client, agreement_id, "services", {"support_hours-around_the_clock": "y",
                                                           "time_zone": "Asia/Manila"})
    assert response.status_code == 302
    assert terms_of(app, agreement_id)["services"]["support_hours"] == AROUND_THE_CLOCK
    shown = client.get(f"/agreements/{agreement_id}").get_data(as_text=True)
    assert "support hours are 24 hours a day, 7 days a week." in shown


@pytest.mark.parametrize("fields, message", [
    ({"support_hours-opens": "18:00", "support_hours-closes": "08:00"},
     "Support must close after it opens (24:00 is midnight at the end of the day)."),
    ({"support_hours-opens": "09:00", "support_hours-closes": "09:00"},
     "Support must close after it opens (24:00 is midnight at the end of the day)."),
    ({"support_hours-days": [], "support_hours-opens": "08:00", "support_hours-closes": "18:00"},
     "Choose at least one day, or tick “Around the clock”."),
    ({"support_hours-closes": ""}, "Give the time support closes."),
    ({"support_hours-opens": "8h"}, "Enter a time of day as HH:MM on the 24-hour clock, for example 08:00."),
    ({"support_hours-opens": "24:00", "support_hours-closes": "24:00"},
     "24:00 is the end of the day: support opens at 00:00 at the earliest."),
    ({"time_zone": "Europe/Atlantis"}, "Use a time zone name from the list, such as Europe/Warsaw or America/New_York."),
    ({"support_hours-holidays": "XX"}, "Choose a country from the list, or none."),
    ({"support_hours-days": ["mon", "someday"]}, "Choose at least one day."),
])
def test_answers_that_cannot_be_support_hours_are_refused_with_the_reason_and_nothing_is_saved(
        app, owner, fields, message):
    client, agreement_id = owner
    before = version_of(app, agreement_id)
    response = post_step(client, agreement_id, "services", {**OFFICE_FORM, **fields})
    assert response.status_code == 422
    assert message in errors(response)
    page = response.get_data(as_text=True)
    assert "Nothing was saved" in page and 'aria-invalid="true"' in page
    assert version_of(app, agreement_id) == before


def test_an_empty_group_is_not_answered_yet_and_the_step_says_so(app, owner):
    client, agreement_id = owner
    assert post_step(client, agreement_id, "services", {"time_zone": "Europe/Warsaw"}).status_code == 302
    assert terms_of(app, agreement_id)["services"]["support_hours"] is None
    page = client.get(url(agreement_id, "services")).get_data(as_text=True)
    assert "Support hours" in page.split("Still needed to complete this step:", 1)[1].split("</p>", 1)[0]


def test_the_form_speaks_the_interface_language_with_cldr_day_and_country_names(app, owner):
    client, agreement_id = owner
    page = client.get(url(agreement_id, "services"), headers={"Accept-Language": "pl"}).get_data(as_text=True)
    assert '<label for="support_hours-days-0" lang="pl">Poniedziałek</label>' in page
    assert '<option value="PL">Polska</option>' in page and "Godziny wsparcia" in page
    page = client.get(url(agreement_id, "services"), headers={"Accept-Language": "pl"}).get_data(as_text=True)
    base = re.search(r'name="base" value="([^"]*)"', page).group(1)
    response = post_form(client, url(agreement_id, "services"), {**OFFICE_FORM, "support_hours-closes": "07:00",
                                                                 "base": base, "action": "save"},
                         headers={"Accept-Language": "pl"})
    assert response.status_code == 422
    assert ("Godzina zakończenia wsparcia musi przypadać po godzinie jego rozpoczęcia (24:00 oznacza północ na koniec "
            "doby).") in errors(response)


# Every language ---------------------------------------------------------------------------------

PHRASES = {
    "en": "Monday to Friday, 08:00 to 18:00, except public holidays in Poland, and at all times for incidents of "
          "the highest priority",
    "es": "de lunes a viernes, de 8:00 a 18:00, excepto los días festivos oficiales en Polonia, y en todo momento "
          "para las incidencias de máxima prioridad",
    "pl": "od poniedziałku do piątku w godzinach od 08:00 do 18:00, z wyłączeniem dni ustawowo wolnych od pracy w "
          "Polsce, a w przypadku incydentów o najwyższym priorytecie – całodobowo",
    "he": "מיום שני עד יום שישי, בין השעות 8:00 ל-18:00, למעט ימי החג הרשמיים של פולין, ולגבי תקלות ברמת העדיפות "
          "הגבוהה ביותר – מסביב לשעון",
    "ru": "с понедельника по пятницу с 08:00 до 18:00, за исключением нерабочих праздничных дней в Польше, а по "
          "инцидентам наивысшего приоритета — круглосуточно",
    "tl": "mula Lunes hanggang Biyernes, mula 8:00\u202fAM hanggang 6:00\u202fPM, maliban sa mga pampublikong pista opisyal sa "
          "Poland, at sa lahat ng oras para sa mga insidenteng nasa pinakamataas na prayoridad",
}
SENTENCES = {
    "en": "The Provider's support hours are {}. All times in this agreement refer to the Europe/Warsaw time zone.",
    "es": "El horario de soporte del Proveedor es {}. Todas las horas indicadas en este acuerdo se refieren a la "
          "zona horaria Europe/Warsaw.",
    "pl": "Godziny wsparcia Usługodawcy to: {}. Wszystkie godziny i terminy w Umowie określa się według strefy "
          "czasowej Europe/Warsaw.",
    "he": "שעות התמיכה של נותן השירותים הן {}. כל המועדים והשעות בהסכם זה הם לפי אזור הזמן Europe/Warsaw.",
    "ru": "Часы поддержки Исполнителя: {}. Все время в настоящем Договоре указано по часовому поясу Europe/Warsaw.",
    "tl": "Ang mga oras ng suporta ng Tagapagbigay ng Serbisyo ay {}. Ang lahat ng oras sa Kasunduang ito ay "
          "tumutukoy sa sona ng oras na Europe/Warsaw.",
}


@pytest.mark.parametrize("language", list(PHRASES))
def test_each_language_states_the_support_hours_in_its_clause(language):
    text = document_with(language, OFFICE).clause(CLAUSE).text
    assert text.startswith(SENTENCES[language].format(PHRASES[language]))


def test_hebrew_writes_the_israeli_week_from_sunday_right_to_left():
    text = document_with("he", SUN_TO_THU, "Asia/Jerusalem").clause(CLAUSE).text
    assert text.startswith("שעות התמיכה של נותן השירותים הן מיום ראשון עד יום חמישי, בין השעות 8:00 ל-17:00, "
                           "למעט ימי החג הרשמיים של ישראל, ולגבי תקלות ברמת העדיפות הגבוהה ביותר – מסביב לשעון.")
    assert text_direction(text) == "rtl"
    # CLDR's names of the days, as the Hebrew locale writes them.
    names = get_day_names("wide", locale="he_IL")
    assert f"מ{names[6]} עד {names[3]}" in text


def test_polish_and_russian_inflect_cldr_day_names_as_their_sentences_need():
    polish = get_day_names("wide", locale="pl_PL")
    assert (polish[0], polish[4]) == ("poniedziałek", "piątek")  # CLDR's nominative …
    assert support_hours_words(OFFICE, "pl").startswith("od poniedziałku do piątku")  # … in the genitive after od/do
    assert support_hours_words({**OFFICE, "days": ["mon", "wed", "fri"]}, "pl").startswith(
        "w poniedziałki, środy i piątki w godzinach")  # recurring days: accusative plural
    assert support_hours_words({**OFFICE, "days": ["tue", "wed", "thu"]}, "pl").startswith("od wtorku do czwartku")
    assert support_hours_words({**OFFICE, "days": ["tue", "thu"]}, "pl").startswith("we wtorki i czwartki")
    russian = get_day_names("wide", locale="ru_RU")
    assert (russian[0], russian[4]) == ("понедельник", "пятница")
    assert support_hours_words(OFFICE, "ru").startswith("с понедельника по пятницу")  # genitive … accusative
    assert support_hours_words({**OFFICE, "days": ["tue", "wed", "thu", "fri", "sat"]}, "ru").startswith(
        "со вторника по субботу")
    assert support_hours_words({**OFFICE, "days": ["mon", "wed", "fri"]}, "ru").startswith(
        "по понедельникам, средам и пятницам с 08:00 до 18:00")  # dative plural
    # A country our list does not inflect keeps CLDR's name, in apposition.
    assert support_hours_words({**OFFICE, "holidays": "KE"}, "pl").endswith(
        "z wyłączeniem dni ustawowo wolnych od pracy (państwo: Kenia), a w przypadku incydentów o najwyższym "
        "priorytecie – całodobowo")


@pytest.mark.parametrize("value, language, words", [
    ({**OFFICE, "days": ["mon", "wed", "fri"], "closes": "24:00", "holidays": None,
      "highest_priority_around_the_clock": False}, "en", "Monday, Wednesday and Friday, 08:00 to 24:00"),
    ({**OFFICE, "closes": "24:00", "holidays": None, "highest_priority_around_the_clock": False}, "tl",
     "mula Lunes hanggang Biyernes, mula 8:00\u202fAM hanggang hatinggabi"),  # CLDR: a narrow space before AM
    ({**OFFICE, "days": ["sat", "sun"], "opens": "00:00", "closes": "24:00", "holidays": "US",
      "highest_priority_around_the_clock": False}, "en",
     "Saturday and Sunday, 24 hours a day, except public holidays in the United States"),
    ({**AROUND_THE_CLOCK, "holidays": "GB"}, "es",
     "24 horas al día, 7 días a la semana, excepto los días festivos oficiales en el Reino Unido, y en todo momento "
     "para las incidencias de máxima prioridad"),
    (AROUND_THE_CLOCK, "ru", "24 часа в сутки, 7 дней в неделю"),
    ({**OFFICE, "days": ["mon", "tue", "wed", "fri"]}, "en",
     "Monday to Wednesday and Friday, 08:00 to 18:00, except public holidays in Poland, and at all times for "
     "incidents of the highest priority"),
])
def test_other_weeks_read_naturally(value, language, words):
    assert support_hours_words(value, language) == words
    assert read_support_hours(words, language)[0] == support_hours_of({"services": {"support_hours": value}}).to_term()


# Free text from before support hours were data -------------------------------------------------

@pytest.mark.parametrize("language", list(LEGACY))
def test_the_old_around_the_clock_text_is_read_as_around_the_clock_and_written_as_it_was(language):
    terms = {"services": {"support_hours": LEGACY[language], "time_zone": "Europe/Warsaw"}}
    hours = support_hours_of(terms)
    assert hours.around_the_clock and hours.unread_text is None
    # The data's words for around the clock are the very words agreements used.
    assert support_hours_words(AROUND_THE_CLOCK, language) == LEGACY[language]
    document = document_with(language, LEGACY[language])
    assert LEGACY[language] in document.clause(CLAUSE).text
    assert [f for f in check_health(document.terms) if f.rule.id == "support_hours_as_data"] == []


def test_old_text_that_cannot_be_read_stays_as_it_was_and_is_flagged(app, owner):
    client, agreement_id = owner
    legacy = "Weekdays 9–5, Saturdays by arrangement"
    with app.app_context():
        agreement = db.session.get(Agreement, agreement_id)
        user = db.session.scalar(select(User).where(User.email == "owner@example.com"))
        terms = demo_terms("en", "Managed IT")
        terms["services"]["support_hours"] = legacy
        set_terms(agreement, user, terms, "an agreement from before support hours were data")
    hours = support_hours_of(terms)
    assert hours.unread_text == legacy
    findings = [f.message for f in check_health(terms) if f.rule.id == "support_hours_as_data"]
    assert findings == [f"Support hours are not yet stated as days and times: “{legacy}”. Restate them in the "
                        "Services step so that the service levels can be measured against them."]
    shown = client.get(f"/agreements/{agreement_id}").get_data(as_text=True)
    assert f"support hours are {legacy}." in shown
    review = client.get(url(agreement_id, "review")).get_data(as_text=True)
    assert "Support hours are stated as days and times" in review and "not yet stated as days and times" in review
    # The services step quotes the text, and saving another answer of the step keeps it.
    page = client.get(url(agreement_id, "services")).get_data(as_text=True)
    assert f'<q dir="auto">{legacy}</q>' in page
    assert post_step(client, agreement_id, "services", {"availability_percent": "99.9",
                                                       "time_zone": "Europe/Warsaw"}).status_code == 302
    assert terms_of(app, agreement_id)["services"]["support_hours"] == legacy
    # Stating them as data ends the finding.
    assert post_step(client, agreement_id, "services", OFFICE_FORM).status_code == 302
    assert terms_of(app, agreement_id)["services"]["support_hours"] == OFFICE
    assert "not yet stated as days and times" not in client.get(url(agreement_id, "review")).get_data(as_text=True)


def test_a_readable_old_text_is_not_restated_by_saving_the_step(app, owner):
    client, agreement_id = owner
    with app.app_context():
        agreement = db.session.get(Agreement, agreement_id)
        user = db.session.scalar(select(User).where(User.email == "owner@example.com"))
        terms = demo_terms("en", "Managed IT")
        terms["services"]["support_hours"] = "24/7"
        set_terms(agreement, user, terms, "old text")
    page = client.get(url(agreement_id, "services")).get_data(as_text=True)
    assert '<input aria-describedby="support_hours-around_the_clock-hint" checked id="support_hours-around_the_clock"' in page
    form = {"support_hours-around_the_clock": "y", "time_zone": "Europe/Warsaw", "availability_percent": "99.9"}
    assert post_step(client, agreement_id, "services", form).status_code == 302
    assert terms_of(app, agreement_id)["services"]["support_hours"] == "24/7"


# Text and terms stay bound ----------------------------------------------------------------------

@pytest.mark.parametrize("language, before, after", [
    ("en", "08:00 to 18:00", "08:00 to 17:30"),
    ("pl", "od poniedziałku do piątku", "od poniedziałku do soboty"),
    ("ru", "в Польше", "в Германии"),
])
def test_an_edited_phrase_that_reads_back_is_a_change_of_the_term(language, before, after):
    document = document_with(language, OFFICE)
    text = document.clause(CLAUSE).text
    assert before in text
    updated, rebinding = reword(LIBRARY, document, CLAUSE, text.replace(before, after, 1), language)
    assert list(rebinding.changes) == [TERM] and not rebinding.dropped
    changed = term_value(updated.terms, TERM)
    assert support_hours_words(changed, language) in updated.clause(CLAUSE).text
    assert changed != OFFICE and support_hours_of(updated.terms).to_term() == changed
    # Still a template: a later change of the term reaches the edited clause.
    later = assemble(LIBRARY, with_term(updated.terms, TERM, AROUND_THE_CLOCK), language, default_choices(LIBRARY),
                     previous=updated)
    assert support_hours_words(AROUND_THE_CLOCK, language) in later.clause(CLAUSE).text


@pytest.mark.parametrize("edit", [
    lambda text, phrase: text.replace(phrase, "weekdays during office hours"),
    lambda text, phrase: text.replace("08:00 to 18:00", "08:00 to 25:00"),
    lambda text, phrase: text.replace("Monday to Friday", "Mondays to Fridays"),
    lambda text, phrase: text.replace(phrase, ""),
])
def test_an_edited_phrase_that_cannot_be_read_back_is_said_to_be_no_longer_stated(edit):
    document = document_with("en", OFFICE)
    text = document.clause(CLAUSE).text
    updated, rebinding = reword(LIBRARY, document, CLAUSE, edit(text, PHRASES["en"]), "en")
    assert not rebinding.changes and [slot.term for slot in rebinding.dropped] == [TERM]
    assert TERM in updated.clause(CLAUSE).unstated and term_value(updated.terms, TERM) == OFFICE


def test_editing_the_clause_over_http_reads_the_phrase_back_or_flags_it(app, owner):
    client, agreement_id = owner
    assert post_step(client, agreement_id, "services", OFFICE_FORM).status_code == 302
    path = f"/agreements/{agreement_id}/clauses/{CLAUSE}/edit"
    text = document_text(app, agreement_id)
    response = post_form(client, path, {"text": text.replace("08:00 to 18:00", "09:00 to 17:00"),
                                        **based_on(client.get(path).get_data(as_text=True))})
    assert response.status_code == 302
    assert terms_of(app, agreement_id)["services"]["support_hours"] == {**OFFICE, "opens": "09:00", "closes": "17:00"}
    text = document_text(app, agreement_id)
    response = post_form(client, path, {"text": text.replace("Monday to Friday, 09:00 to 17:00", "on weekdays"),
                                        **based_on(client.get(path).get_data(as_text=True))})
    assert response.status_code == 302
    assert terms_of(app, agreement_id)["services"]["support_hours"] == {**OFFICE, "opens": "09:00", "closes": "17:00"}
    assert "on weekdays, except public holidays in Poland" in document_text(app, agreement_id)
    review = client.get(url(agreement_id, "review")).get_data(as_text=True)
    assert "no longer states" in review and "Support hours" in review


def document_text(app, agreement_id) -> str:
    from authoring.models import Draft  # noqa: PLC0415
    with app.app_context():
        return Document.from_json(db.session.get(Draft, agreement_id).document).clause(CLAUSE).text


def test_a_clause_edited_while_support_hours_were_text_states_them_in_words_once_they_are_data():
    from authoring.document import ClauseInstance, TermSlot  # noqa: PLC0415
    from authoring.library.binding import parts_bound  # noqa: PLC0415
    parts = ("Support is available ", TermSlot(TERM), " (Warsaw time).")
    document = document_with("en", OFFICE)
    assert parts_bound(LIBRARY, parts, document.terms, "en").text == f"Support is available {PHRASES['en']} (Warsaw time)."
    old = ClauseInstance(key=CLAUSE, title="Support hours", text="Support is available 24/7 (Warsaw time).",
                         clause_id=CLAUSE, variant="critical_cover", custom=True, parts=parts)
    assert parts_bound(LIBRARY, old.parts, with_term(document.terms, TERM, "24/7"), "en").text == old.text


# Negotiation and the redline: one value ---------------------------------------------------------

def test_a_change_of_support_hours_is_one_change_of_one_term():
    old = demo_terms("en", "T")
    new = with_term(old, TERM, OFFICE)
    assert [path for path, _o, _n in changed_terms(old, new, values=LIBRARY.catalogue.values())] == [TERM]
    later = with_term(new, TERM, {**OFFICE, "closes": "17:00"})
    assert [path for path, _o, _n in changed_terms(new, later, values=LIBRARY.catalogue.values())] == [TERM]
    [change] = term_changes(new, later, "pl", LIBRARY)
    assert change.label == "Support hours"
    assert "od 08:00 do 18:00" in change.old and "od 08:00 do 17:00" in change.new


def test_once_shared_new_support_hours_are_one_proposal_shown_in_words(app, owner):
    client, agreement_id = owner
    assert post_form(client, f"/agreements/{agreement_id}/share", {"message": "Draft"}).status_code == 302
    response = post_step(client, agreement_id, "services", {**OFFICE_FORM, "reason": "Office hours"})
    assert response.status_code == 302
    with app.app_context():
        proposals = db.session.scalars(select(Proposal).where(Proposal.agreement_id == agreement_id)).all()
        targets = sorted(p.target for p in proposals)
        value = next(p.value for p in proposals if p.target == TERM)
    assert targets == ["services.support_hours", "services.time_zone"] and value == OFFICE
    overview = client.get(f"/agreements/{agreement_id}/negotiation").get_data(as_text=True)
    assert PHRASES["en"] in overview


# terms.json -------------------------------------------------------------------------------------

def info(language="en") -> ExportInfo:
    from datetime import datetime, timezone  # noqa: PLC0415
    return ExportInfo(agreement_id=3, title="Managed IT", language=language, status="draft", revision_number=1,
                      revision_hash="0" * 64, revision_created_at=datetime(2027, 1, 1, tzinfo=timezone.utc),
                      provider_name="Northwind", client_name="Globex")


def validate(data) -> list[str]:
    return [e.message for e in Draft202012Validator(terms_schema()).iter_errors(data)]


def test_terms_json_carries_support_hours_as_they_are_valid_against_the_schema():
    document = document_with("pl", OFFICE)
    data = terms_file(document, info("pl"))
    assert validate(data) == [] and data["schema_version"] == "1.1"
    assert data["terms"]["services"]["support_hours"] == OFFICE == data["services"]["support_hours"]
    clause = next(c for s in data["sections"] for c in s["clauses"] if c["key"] == CLAUSE)
    assert PHRASES["pl"] in clause["text"]
    assert read_terms_file(terms_json(document, info("pl"))).document == document


def test_an_old_terms_file_with_text_still_imports():
    document = document_with("en", LEGACY["en"])
    data = json.loads(terms_json(document, info()))
    data["schema_version"] = "1.0"
    imported = read_terms_file(json.dumps(data).encode())
    assert imported.document.terms["services"]["support_hours"] == LEGACY["en"]


@pytest.mark.parametrize("hours, pointer, message", [
    ({**OFFICE, "days": ["mon", "funday"]}, "/terms/services/support_hours", None),
    ({**OFFICE, "closes": "07:00"}, "/terms/services/support_hours", "support must close after it opens"),
    ({**OFFICE, "holidays": "XX"}, "/terms/services/support_hours", "no public holidays are known for the country 'XX'"),
    ({k: v for k, v in OFFICE.items() if k != "holidays"}, "/terms/services/support_hours", None),
])
def test_a_terms_file_with_support_hours_that_cannot_be_is_refused_with_the_pointer(hours, pointer, message):
    document = document_with("en", OFFICE)
    data = json.loads(terms_json(document, info()))
    data["terms"]["services"]["support_hours"] = copy.deepcopy(hours)
    data["services"]["support_hours"] = copy.deepcopy(hours)
    with pytest.raises(TermsFileInvalid) as refused:
        read_terms_file(json.dumps(data).encode())
    pointers = [p for p, _m in refused.value.errors]
    assert pointer in pointers
    if message:
        assert (pointer, message) in refused.value.errors


def test_the_schema_describes_support_hours_and_refuses_what_is_not():
    schema = terms_schema()
    hours = schema["$defs"]["support_hours"]
    check = lambda value: list(Draft202012Validator({**hours, "$defs": schema["$defs"]}).iter_errors(value))  # noqa: E731
    assert check(OFFICE) == [] and check(AROUND_THE_CLOCK) == [] and check(LEGACY["he"]) == [] and check(None) == []
    assert check({**OFFICE, "days": []}) and check({**OFFICE, "opens": "8:00"}) and check({**OFFICE, "opens": "24:00"})
    assert check({**OFFICE, "closes": "24:30"}) and check({**OFFICE, "holidays": "pl"}) and check({**OFFICE, "x": 1})
    assert schema["$defs"]["terms"]["properties"]["services"]["properties"]["support_hours"]["$ref"] == \
        "#/$defs/support_hours"


# The demo -----------------------------------------------------------------------------------------

def test_the_demo_states_support_hours_as_data(app):
    from authoring.demo import DEMO_TITLE, DEMO_TITLE_EXECUTED, DEMO_TITLES, create_demo  # noqa: PLC0415
    from authoring.revisions.services import draft_of  # noqa: PLC0415
    with app.app_context():
        assert create_demo()
        hours = {}
        for title in (DEMO_TITLE, DEMO_TITLE_EXECUTED, DEMO_TITLES["he"]):
            agreement = db.session.scalar(select(Agreement).where(Agreement.title == title))
            _draft, document = draft_of(agreement)
            hours[title] = (document.terms["services"]["support_hours"], document.terms["services"]["time_zone"],
                            document.clause(CLAUSE).text)
    assert hours[DEMO_TITLE][0] == AROUND_THE_CLOCK
    assert hours[DEMO_TITLE_EXECUTED][:2] == (OFFICE, "Europe/Warsaw")
    assert PHRASES["en"] in hours[DEMO_TITLE_EXECUTED][2]
    assert hours[DEMO_TITLES["he"]][:2] == (SUN_TO_THU, "Asia/Jerusalem")
    assert "מיום ראשון עד יום חמישי" in hours[DEMO_TITLES["he"]][2]


def test_the_round_the_clock_clause_needs_support_hours_around_the_clock_to_be_measured_as_written():
    """Its words say every priority's clock runs around the clock; the clock measures by the data."""
    from authoring import ROOT
    from authoring.interview.health import clause_findings
    from authoring.library import assemble, default_choices, load_library

    library = load_library(ROOT / "clauses")
    terms = demo_terms("en", "Support")
    choices = default_choices(library) | {"service_levels.support_hours": "round_the_clock"}
    terms["services"]["support_hours"] = {"days": ["mon", "tue", "wed", "thu", "fri"], "opens": "08:00",
                                          "closes": "18:00", "holidays": "PL", "highest_priority_around_the_clock": True}
    office_hours = assemble(library, terms, "en", choices)
    (finding,) = [f for f in clause_findings(library, office_hours, "en") if "every priority" in f.message]
    assert "are handled around the clock, but the support hours the service levels are measured by are not" in \
        finding.message and finding.rule.clause_key == "service_levels.support_hours"
    terms["services"]["support_hours"] = AROUND_THE_CLOCK
    around = assemble(library, terms, "en", choices)
    assert not [f for f in clause_findings(library, around, "en") if "every priority" in f.message]
