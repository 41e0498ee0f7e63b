"""Counted nouns, numbers, money, percentages and dates in each of the six languages (CLDR via Babel).

Every language is tried with 0, 1, 2, 5, 21, 22, 25 and 0.5: the numbers where the
languages' plural rules part ways (Polish and Russian one/few/many, Russian 21 "one",
Hebrew's dual, fractions in the "other" category).
"""
from __future__ import annotations

from pathlib import Path

import pytest

from authoring.library import load_library

LIBRARY = load_library(Path(__file__).resolve().parent.parent / "clauses")
NUMBERS = ("0", "1", "2", "5", "21", "22", "25", "0.5")


def render(template: str, value, language: str) -> str:
    return LIBRARY.render(template, {**LIBRARY.catalogue.blank_terms(), "x": value}, language).replace("\u00a0", " ")


EXPECTED = {
    ("business_days", "nom"): {
        "en": ["0 business days", "1 business day", "2 business days", "5 business days", "21 business days",
               "22 business days", "25 business days", "0.5 business days"],
        "es": ["0 días hábiles", "1 día hábil", "2 días hábiles", "5 días hábiles", "21 días hábiles",
               "22 días hábiles", "25 días hábiles", "0,5 días hábiles"],
        "pl": ["0 dni roboczych", "1 dzień roboczy", "2 dni robocze", "5 dni roboczych", "21 dni roboczych",
               "22 dni robocze", "25 dni roboczych", "0,5 dnia roboczego"],
        "ru": ["0 рабочих дней", "1 рабочий день", "2 рабочих дня", "5 рабочих дней", "21 рабочий день",
               "22 рабочих дня", "25 рабочих дней", "0,5 рабочего дня"],
        "he": ["0 ימי עסקים", "1 יום עסקים", "2 ימי עסקים", "5 ימי עסקים", "21 ימי עסקים", "22 ימי עסקים",
               "25 ימי עסקים", "0.5 יום עסקים"],
        "tl": ["0 araw ng trabaho", "1 araw ng trabaho", "2 araw ng trabaho", "5 araw ng trabaho",
               "21 araw ng trabaho", "22 araw ng trabaho", "25 araw ng trabaho", "0.5 araw ng trabaho"],
    },
    ("business_days", "gen"): {
        "pl": ["0 dni roboczych", "1 dnia roboczego", "2 dni roboczych", "5 dni roboczych", "21 dni roboczych",
               "22 dni roboczych", "25 dni roboczych", "0,5 dnia roboczego"],
        "ru": ["0 рабочих дней", "1 рабочего дня", "2 рабочих дней", "5 рабочих дней", "21 рабочего дня",
               "22 рабочих дней", "25 рабочих дней", "0,5 рабочего дня"],
    },
    ("days", "nom"): {
        "en": ["0 days", "1 day", "2 days", "5 days", "21 days", "22 days", "25 days", "0.5 days"],
        "es": ["0 días", "1 día", "2 días", "5 días", "21 días", "22 días", "25 días", "0,5 días"],
        "pl": ["0 dni", "1 dzień", "2 dni", "5 dni", "21 dni", "22 dni", "25 dni", "0,5 dnia"],
        "ru": ["0 дней", "1 день", "2 дня", "5 дней", "21 день", "22 дня", "25 дней", "0,5 дня"],
        "he": ["0 ימים", "1 יום", "יומיים (2)", "5 ימים", "21 ימים", "22 ימים", "25 ימים", "0.5 יום"],
        "tl": ["0 araw", "1 araw", "2 araw", "5 araw", "21 araw", "22 araw", "25 araw", "0.5 araw"],
    },
    ("hours", "nom"): {
        "en": ["0 hours", "1 hour", "2 hours", "5 hours", "21 hours", "22 hours", "25 hours", "0.5 hours"],
        "es": ["0 horas", "1 hora", "2 horas", "5 horas", "21 horas", "22 horas", "25 horas", "0,5 horas"],
        "pl": ["0 godzin", "1 godzina", "2 godziny", "5 godzin", "21 godzin", "22 godziny", "25 godzin", "0,5 godziny"],
        "ru": ["0 часов", "1 час", "2 часа", "5 часов", "21 час", "22 часа", "25 часов", "0,5 часа"],
        "he": ["0 שעות", "1 שעה", "שעתיים (2)", "5 שעות", "21 שעות", "22 שעות", "25 שעות", "0.5 שעה"],
        "tl": ["0 oras", "1 oras", "2 oras", "5 oras", "21 oras", "22 oras", "25 oras", "0.5 oras"],
    },
    ("months", "nom"): {
        "en": ["0 months", "1 month", "2 months", "5 months", "21 months", "22 months", "25 months", "0.5 months"],
        "es": ["0 meses", "1 mes", "2 meses", "5 meses", "21 meses", "22 meses", "25 meses", "0,5 meses"],
        "pl": ["0 miesięcy", "1 miesiąc", "2 miesiące", "5 miesięcy", "21 miesięcy", "22 miesiące", "25 miesięcy",
               "0,5 miesiąca"],
        "ru": ["0 месяцев", "1 месяц", "2 месяца", "5 месяцев", "21 месяц", "22 месяца", "25 месяцев", "0,5 месяца"],
        "he": ["0 חודשים", "1 חודש", "חודשיים (2)", "5 חודשים", "21 חודשים", "22 חודשים", "25 חודשים", "0.5 חודש"],
        "tl": ["0 buwan", "1 buwan", "2 buwan", "5 buwan", "21 buwan", "22 buwan", "25 buwan", "0.5 buwan"],
    },
}
CASES = [(unit, case, language) for (unit, case), by_language in EXPECTED.items() for language in by_language]


@pytest.mark.parametrize("unit,case,language", CASES, ids=["-".join(c) for c in CASES])
def test_counted_nouns_follow_the_languages_plural_rules(unit, case, language):
    call = unit if case == "nom" else f"{unit}('{case}')"
    rendered = [render("{{ x | %s }}" % call, number, language) for number in NUMBERS]
    assert rendered == EXPECTED[(unit, case)][language]


def test_a_blank_count_takes_the_form_a_reader_fills_in():
    assert render("{{ x | business_days }}", None, "pl") == "[●] dni roboczych"
    assert render("{{ x | days('gen') }}", None, "ru") == "[●] дней"


def test_an_unknown_case_is_a_library_error_not_a_silent_default():
    with pytest.raises(ValueError, match="unknown case 'dat'"):
        render("{{ x | days('dat') }}", "2", "pl")


# Numbers, money, percentages, dates and lists as each locale writes them.
FORMATS = {
    "en": ("1,250.5", "€4,000.00", "99.5%", "1 January 2027", "a, b and c"),
    "es": ("1.250,5", "4.000,00 €", "99,5 %", "1 de enero de 2027", "a, b y c"),
    "pl": ("1 250,5", "4 000,00 €", "99,5%", "1 stycznia 2027", "a, b i c"),
    "ru": ("1 250,5", "4 000,00 €", "99,5 %", "1 января 2027 г.", "a, b и c"),
    "he": ("1,250.5", "\u200f4,000.00 \u200f€", "99.5%", "1 בינואר 2027", "a, b וc"),
    "tl": ("1,250.5", "€4,000.00", "99.5%", "Enero 1, 2027", "a, b, at c"),
}


@pytest.mark.parametrize("language", FORMATS)
def test_numbers_money_percentages_dates_and_lists_follow_the_locale(language):
    values = {**LIBRARY.catalogue.blank_terms(), "n": "1250.5", "m": "4000", "p": "99.5", "d": "2027-01-01",
              "l": ["a", "b", "c"]}
    rendered = LIBRARY.render("{{ n | number }}|{{ m | money('EUR') }}|{{ p | percent }}|{{ d | date }}|{{ l | listing }}",
                              values, language)
    assert tuple(rendered.replace("\u00a0", " ").replace("\u202f", " ").split("|")) == FORMATS[language]


@pytest.mark.parametrize("language", FORMATS)
def test_fractions_and_zero_keep_every_digit(language):
    assert render("{{ x | number }}", "0.5", language) in {"0.5", "0,5"}
    assert render("{{ x | percent }}", "0", language).startswith("0")
