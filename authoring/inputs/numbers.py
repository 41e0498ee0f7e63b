"""Numbers typed the way the agreement's language writes them, read strictly, and the fields that take them.

"250,000.50" in English, "250.000,50" in Spanish, "250 000,50" in Polish or Russian.
The rules, with each language's marks from CLDR (Babel):

* spaces of any kind (ordinary, no-break U+00A0, narrow no-break U+202F, thin U+2009)
  group thousands in every language;
* the language's decimal mark separates the decimals, once;
* the other mark ("." where the decimal mark is ",", and the reverse) groups thousands
  where the language groups with it ("1,234" is 1234 in English, "1.234" in Spanish);
  in a language that groups with spaces it groups only beside a decimal mark
  ("250.000,50" in Polish), because alone ("1.234") it could be either;
* grouped digits come in threes after a first group of one to three, so "1,23" in
  English is refused rather than guessed;
* ASCII digits and one leading sign only: no exponents, "NaN" or "Infinity".

A number that could be read two ways is refused with a message that shows how the
language writes it; nothing is rounded. Fields are bounded, so no value reaches Babel
or the database that either cannot hold.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from babel import Locale
from babel.numbers import format_decimal, get_currency_precision, get_decimal_symbol, get_group_symbol, list_currencies
from flask_babel import gettext as _
from flask_babel import ngettext
from wtforms import Field
from wtforms.validators import StopValidation, ValidationError
from wtforms.widgets import TextInput

from ..i18n import interface_language
from ..library.formatting import locale_of

SPACES = " \u00a0\u202f\u2009"
MAX_CHARS = 60  # longer than any bounded value, however grouped
MAX_AMOUNT = Decimal("1e15")  # money: more than any contract states, in any currency
MAX_QUANTITY = Decimal("1e9")  # hours, quantities, multipliers
PLACES = 3  # the agreement writes a number with at most three decimals (CLDR's pattern)
DEFAULT_CURRENCY_PLACES = 2  # before a currency is chosen


class NumberError(ValueError):
    """What is wrong with a typed number, in words for the person who typed it."""


@dataclass(frozen=True)
class NumberStyle:
    """How a language writes numbers: its decimal mark and what groups thousands."""

    language: str
    decimal: str  # "." or ","
    group: str  # "," or ".", or " " for any space

    @property
    def other(self) -> str:
        return "," if self.decimal == "." else "."

    @property
    def name(self) -> str:
        """The language's name in the interface language ("Polish", "polaco")."""
        return Locale.parse(locale_of(self.language)).get_language_name(_reader_locale())

    def example(self, value: Decimal = Decimal("250000.50"), places: int = 2) -> str:
        pattern = "#,##0" + ("." + "0" * places if places else "")
        return format_decimal(value, pattern, locale=locale_of(self.language))

    def plain(self, value: Decimal | int) -> str:
        """`value` with the language's decimal mark and no grouping: what a form shows to edit."""
        text = format(value, "f") if isinstance(value, Decimal) else str(value)
        return text.replace(".", self.decimal)


def _reader_locale() -> str:
    """The locale of the person reading a message: numbers follow the agreement, words follow the reader."""
    return locale_of(interface_language())


def style_of(language: str) -> NumberStyle:
    locale = locale_of(language)
    group = get_group_symbol(locale)
    return NumberStyle(language, get_decimal_symbol(locale), " " if group in SPACES or group.isspace() else group)


def parse_number(text: str, language: str, example: str | None = None, whole: bool = False) -> Decimal:
    """`text` as a Decimal, read as `language` writes numbers; NumberError says why not.

    `example` (how the field's value is written) goes into the messages, which ask for a
    whole number when `whole`. The numbers follow the agreement's language; the messages
    are in the interface language of whoever typed them.
    """
    style = style_of(language)
    example = example or style.example()
    value = text.strip(SPACES + "\t\r\n")
    enter = (_("Enter a whole number, e.g. %(example)s.", example=example) if whole
             else _("Enter a number, e.g. %(example)s.", example=example))
    if len(value) > MAX_CHARS:
        raise NumberError(_("That is too long for a number. Enter a whole number, e.g. %(example)s.", example=example)
                          if whole else
                          _("That is too long for a number. Enter a number, e.g. %(example)s.", example=example))
    sign = ""
    if value[:1] in ("-", "+", "\u2212"):
        sign, value = ("" if value[0] == "+" else "-"), value[1:].lstrip(SPACES)
    if not value or any(ch not in "0123456789.," + SPACES for ch in value):
        raise NumberError(enter)
    if whole:
        unclear = NumberError(_("“%(typed)s” could be read more than one way: write it as %(language)s does, e.g. "
                                "%(example)s.", typed=text.strip(), language=style.name, example=example))
    else:
        unclear = NumberError(_("“%(typed)s” could be read more than one way: write it as %(language)s does, e.g. "
                                "%(example)s (decimals after “%(mark)s”).", typed=text.strip(), language=style.name,
                                example=example, mark=style.decimal))
    if value.count(style.decimal) > 1:
        raise unclear
    integer, marked, fraction = value.partition(style.decimal)
    if not fraction.isdigit() and fraction:
        raise unclear  # grouping after the decimal mark
    marks = {" " if ch in SPACES else ch for ch in integer if not ch.isdigit()}
    if len(marks) > 1 or (style.other in marks and style.group != style.other and not marked):
        raise unclear
    groups = re.split(f"[{re.escape(style.other)}{SPACES}]", integer)
    if len(groups) > 1 and not (1 <= len(groups[0]) <= 3 and all(len(g) == 3 for g in groups[1:])):
        raise unclear
    digits = "".join(groups)
    if not digits and not fraction:
        raise NumberError(enter)
    return Decimal(sign + (digits or "0") + ("." + fraction if fraction else ""))


def _decimals(value: Decimal) -> int:
    return max(0, -value.normalize().as_tuple().exponent) if value else 0


class NumberField(Field):
    """A number typed as the agreement's language writes it, bounded, never rounded.

    The form's meta gives `language` (the agreement's) and, for money, `currency`;
    a nested form asks its parent. A money field allows the decimals its currency
    has (2 for EUR, 0 for JPY, 3 for BHD): the currency is the form's own `currency`
    field when it has one (the costs step), else the agreement's.
    """

    widget = TextInput()

    def __init__(self, label=None, validators=None, *, whole: bool = False, money: bool = False,
                 maximum: Decimal | int | None = None, range_message: str | None = None,
                 example: Decimal | None = None, **kwargs):
        super().__init__(label, validators, **kwargs)
        self.whole, self.money = whole, money
        self.maximum = Decimal(maximum) if maximum is not None else (MAX_AMOUNT if money else MAX_QUANTITY)
        self.range_message = range_message
        self.example_value = example

    # Where the field sits: its language and currency ---------------------------------

    def _forms(self):
        form = self._form
        while form is not None:
            yield form
            form = getattr(form.meta, "_parent_form", None)

    def _setting(self, name: str):
        return next((getattr(f.meta, name) for f in self._forms() if getattr(f.meta, name, None)), None)

    @property
    def style(self) -> NumberStyle:
        return style_of(self._setting("language") or "en")

    def currency(self) -> str | None:
        *_, root = self._forms()
        typed = getattr(getattr(root, "currency", None), "data", None)
        if isinstance(typed, str) and typed.strip().upper() in list_currencies():
            return typed.strip().upper()
        return self._setting("currency")

    def places(self) -> int:
        if self.whole:
            return 0
        if not self.money:
            return PLACES
        currency = self.currency()
        return get_currency_precision(currency) if currency else DEFAULT_CURRENCY_PLACES

    @property
    def example(self) -> str:
        """How this field's value is written in the agreement's language (the hint under the field)."""
        if self.example_value is not None:
            return self.style.example(self.example_value, _decimals(self.example_value))
        if self.money:
            return self.style.example(Decimal("250000.50"), self.places())
        return self.style.example(Decimal(30) if self.whole else Decimal("1250.5"), 0 if self.whole else 1)

    # Reading and showing ------------------------------------------------------------

    def process_formdata(self, valuelist):
        if not valuelist:
            return
        self.data = None
        raw = valuelist[0]
        if not isinstance(raw, str) or not raw.strip(SPACES + "\t\r\n"):
            return
        number = parse_number(raw, self.style.language, self.example, self.whole)  # a NumberError is the field's error
        if self.whole:
            if number != number.to_integral_value():
                raise NumberError(_("Enter a whole number, e.g. %(example)s.", example=self.example))
            number = int(number)
        self.data = number

    def process_data(self, value):
        self.data = None
        if value is None or value == "" or isinstance(value, bool):
            return
        try:
            self.data = int(value) if self.whole else Decimal(str(value))
        except (ValueError, TypeError, ArithmeticError):
            raise ValueError(_("The stored value is not a number; enter it again.")) from None

    def _value(self):
        if self.raw_data:
            return self.raw_data[0]
        return "" if self.data is None else self.style.plain(self.data)

    def pre_validate(self, form):
        if self.data is None:
            return
        if self.data < 0:
            raise StopValidation(_("Cannot be negative."))
        if self.data > self.maximum:
            raise StopValidation(str(self.range_message or _("At most %(maximum)s.",
                                                             maximum=self.style.example(self.maximum, 0))))
        places = self.places()
        if not self.whole and _decimals(self.data) > places:
            raise ValidationError(self._places_message(places))

    def _places_message(self, places: int) -> str:
        if self.money:
            currency = self.currency()
            if places == 0:
                return (_("Amounts in %(currency)s have no decimals: enter a whole amount.", currency=currency) if currency
                        else _("Amounts in this currency have no decimals: enter a whole amount."))
            if currency:
                return ngettext("Amounts in %(currency)s have at most %(num)d decimal; nothing is rounded, so enter it "
                                "exactly.", "Amounts in %(currency)s have at most %(num)d decimals; nothing is rounded, "
                                "so enter it exactly.", places, currency=currency)
            return ngettext("Amounts in this currency have at most %(num)d decimal; nothing is rounded, so enter it "
                            "exactly.", "Amounts in this currency have at most %(num)d decimals; nothing is rounded, "
                            "so enter it exactly.", places)
        return ngettext("Use at most %(num)d decimal.", "Use at most %(num)d decimals.", places)
