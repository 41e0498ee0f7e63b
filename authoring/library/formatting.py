"""Filters that write money, numbers, dates and durations the way the agreement's language does.

Templates get them in the sandbox (see loader.py). Every filter takes the value as
the interview stored it (decimal strings, ISO dates, whole numbers) and renders an
empty value as the blank "[●]" a lawyer fills in, never as "None".
"""
from __future__ import annotations

import datetime
import re
from decimal import Decimal, InvalidOperation, localcontext
from typing import Any

from babel import Locale
from babel.dates import format_date
from babel.lists import format_list
from babel.numbers import format_currency, format_decimal
from jinja2 import pass_context

from .grammar import CASES, NOMINATIVE, counted

BLANK = "[●]"
# Babel locales: British English writes "1 January 2027", the way contracts do.
LOCALES = {"en": "en_GB", "es": "es_ES", "pl": "pl_PL", "he": "he_IL", "ru": "ru_RU", "tl": "fil_PH"}

def is_blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def locale_of(language: str) -> str:
    return LOCALES.get(language, LOCALES["en"])


# Forms bound what is typed far below this; a stored value beyond it (an edited terms file) is not a
# number any agreement states, and Babel could not quantize it ("1E+400" overflows its precision).
MAX_DIGITS = 40


def as_decimal(value: Any) -> Decimal | None:
    """A stored number ("1250.50", 5) as a Decimal; None for a blank or something that is not a number."""
    if is_blank(value) or isinstance(value, bool):
        return None
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        return None
    if not number.is_finite() or not -MAX_DIGITS < number.adjusted() < MAX_DIGITS:
        return None
    return number


def _exactly(format_function, amount: Decimal, *args, **kwargs) -> str:
    """Format with enough precision for every digit of `amount` (Babel quantizes in the current context)."""
    with localcontext() as context:
        context.prec = 2 * MAX_DIGITS + 10
        return format_function(amount, *args, **kwargs)


def _language(context) -> str:
    return context.get("lang") or "en"


@pass_context
def money(context, value: Any, currency: Any = None) -> str:
    amount = as_decimal(value)
    if amount is None:
        return BLANK
    if is_blank(currency):
        return _exactly(format_decimal, amount, format="#,##0.00", locale=locale_of(_language(context))) + " " + BLANK
    return _exactly(format_currency, amount, str(currency), locale=locale_of(_language(context)))


@pass_context
def number(context, value: Any) -> str:
    amount = as_decimal(value)
    return BLANK if amount is None else _exactly(format_decimal, amount, locale=locale_of(_language(context)))


@pass_context
def percent(context, value: Any) -> str:
    """99.5% / 99,5 % / 99,5% as the locale's CLDR percent pattern places the sign."""
    amount = as_decimal(value)
    if amount is None:
        return BLANK
    locale = locale_of(_language(context))
    pattern = Locale.parse(locale).percent_formats[None].pattern.split(";")[0]
    text = _exactly(format_decimal, amount, locale=locale)
    return re.sub(r"[#,0.]+", lambda _: text, pattern, count=1)


@pass_context
def long_date(context, value: Any) -> str:
    if is_blank(value):
        return BLANK
    try:
        day = value if isinstance(value, datetime.date) else datetime.date.fromisoformat(str(value))
    except ValueError:
        return BLANK
    return format_date(day, "long", locale=locale_of(_language(context)))


def _duration(unit: str):
    @pass_context
    def render(context, value: Any, case: str = NOMINATIVE) -> str:
        """5 business days / 5 dni roboczych; `case` ('gen') where the sentence needs the genitive."""
        if case not in CASES:
            raise ValueError(f"{unit}: unknown case {case!r}; one of {', '.join(CASES)}")
        amount = as_decimal(value)
        language = _language(context)
        shown = BLANK if amount is None else _exactly(format_decimal, amount, locale=locale_of(language))
        return counted(unit, language, amount, shown, locale_of(language), case)

    render.__name__ = unit
    return render


@pass_context
def listing(context, values: Any) -> str:
    """["a", "b", "c"] as "a, b and c" (or "a, b y c")."""
    items = [str(v) for v in (values or []) if not is_blank(v)]
    return format_list(items, locale=locale_of(_language(context))) if items else BLANK


FILTERS = {
    "money": money,
    "number": number,
    "percent": percent,
    "date": long_date,
    "business_days": _duration("business_days"),
    "days": _duration("days"),
    "hours": _duration("hours"),
    "months": _duration("months"),
    "listing": listing,
}


def finalize(value: Any) -> Any:
    """What `{{ x }}` prints: a blank for a missing answer."""
    return BLANK if is_blank(value) else value
