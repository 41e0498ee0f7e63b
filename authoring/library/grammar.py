"""Counted nouns in each language, by CLDR plural category (Babel) and grammatical case.

"5 business days" is "5 dni roboczych" in Polish and "5 рабочих дней" in Russian:
the noun's form depends on the number's plural category, which CLDR defines per
language (one/few/many/other for Polish and Russian, one/two/other for Hebrew), never
on English's "one or not one". Polish and Russian also inflect the phrase for case, so a
template may ask for the genitive (`{{ x | days('gen') }}`) where its sentence needs it.

A form is written with `{n}` for the number. Hebrew's dual ("יומיים") keeps the digit
in brackets so the reader can check it, and so an edited number can be read back.
"""
from __future__ import annotations

from decimal import Decimal

from babel import Locale

NOMINATIVE = "nom"
GENITIVE = "gen"
CASES = (NOMINATIVE, GENITIVE)

# unit -> language -> case -> CLDR plural category -> form
FORMS: dict[str, dict[str, dict[str, dict[str, str]]]] = {
    "business_days": {
        "en": {"nom": {"one": "{n} business day", "other": "{n} business days"}},
        "es": {"nom": {"one": "{n} día hábil", "other": "{n} días hábiles"}},
        "pl": {"nom": {"one": "{n} dzień roboczy", "few": "{n} dni robocze", "many": "{n} dni roboczych",
                       "other": "{n} dnia roboczego"},
               "gen": {"one": "{n} dnia roboczego", "few": "{n} dni roboczych", "many": "{n} dni roboczych",
                       "other": "{n} dnia roboczego"}},
        "ru": {"nom": {"one": "{n} рабочий день", "few": "{n} рабочих дня", "many": "{n} рабочих дней",
                       "other": "{n} рабочего дня"},
               "gen": {"one": "{n} рабочего дня", "few": "{n} рабочих дней", "many": "{n} рабочих дней",
                       "other": "{n} рабочего дня"}},
        "he": {"nom": {"one": "{n} יום עסקים", "two": "{n} ימי עסקים", "other": "{n} ימי עסקים"}},
        "tl": {"nom": {"other": "{n} araw ng trabaho"}},
    },
    "days": {
        "en": {"nom": {"one": "{n} day", "other": "{n} days"}},
        "es": {"nom": {"one": "{n} día", "other": "{n} días"}},
        "pl": {"nom": {"one": "{n} dzień", "few": "{n} dni", "many": "{n} dni", "other": "{n} dnia"},
               "gen": {"one": "{n} dnia", "few": "{n} dni", "many": "{n} dni", "other": "{n} dnia"}},
        "ru": {"nom": {"one": "{n} день", "few": "{n} дня", "many": "{n} дней", "other": "{n} дня"},
               "gen": {"one": "{n} дня", "few": "{n} дней", "many": "{n} дней", "other": "{n} дня"}},
        "he": {"nom": {"one": "{n} יום", "two": "יומיים ({n})", "other": "{n} ימים"}},
        "tl": {"nom": {"other": "{n} araw"}},
    },
    "hours": {
        "en": {"nom": {"one": "{n} hour", "other": "{n} hours"}},
        "es": {"nom": {"one": "{n} hora", "other": "{n} horas"}},
        "pl": {"nom": {"one": "{n} godzina", "few": "{n} godziny", "many": "{n} godzin", "other": "{n} godziny"},
               "gen": {"one": "{n} godziny", "few": "{n} godzin", "many": "{n} godzin", "other": "{n} godziny"}},
        "ru": {"nom": {"one": "{n} час", "few": "{n} часа", "many": "{n} часов", "other": "{n} часа"},
               "gen": {"one": "{n} часа", "few": "{n} часов", "many": "{n} часов", "other": "{n} часа"}},
        "he": {"nom": {"one": "{n} שעה", "two": "שעתיים ({n})", "other": "{n} שעות"}},
        "tl": {"nom": {"other": "{n} oras"}},
    },
    "months": {
        "en": {"nom": {"one": "{n} month", "other": "{n} months"}},
        "es": {"nom": {"one": "{n} mes", "other": "{n} meses"}},
        "pl": {"nom": {"one": "{n} miesiąc", "few": "{n} miesiące", "many": "{n} miesięcy", "other": "{n} miesiąca"},
               "gen": {"one": "{n} miesiąca", "few": "{n} miesięcy", "many": "{n} miesięcy", "other": "{n} miesiąca"}},
        "ru": {"nom": {"one": "{n} месяц", "few": "{n} месяца", "many": "{n} месяцев", "other": "{n} месяца"},
               "gen": {"one": "{n} месяца", "few": "{n} месяцев", "many": "{n} месяцев", "other": "{n} месяца"}},
        "he": {"nom": {"one": "{n} חודש", "two": "חודשיים ({n})", "other": "{n} חודשים"}},
        "tl": {"nom": {"other": "{n} buwan"}},
    },
}


def plural_category(amount: Decimal, locale: str) -> str:
    """CLDR's plural category of `amount` in `locale` ("one", "few", "many", "two", "other")."""
    return Locale.parse(locale).plural_form(amount)


def counted(unit: str, language: str, amount: Decimal | None, shown: str, locale: str, case: str = NOMINATIVE) -> str:
    """`shown` (the number as the locale writes it) with the unit's noun in the right form.

    A blank amount takes the form for many ("[●] dni roboczych"), the one a reader fills in.
    """
    by_case = FORMS[unit].get(language) or FORMS[unit]["en"]
    forms = by_case.get(case) or by_case[NOMINATIVE]
    category = plural_category(amount, locale) if amount is not None else ("many" if "many" in forms else "other")
    return (forms.get(category) or forms["other"]).format(n=shown)
