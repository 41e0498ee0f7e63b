"""The interview's support hours: days as checkboxes, opening and closing times, a country's public
holidays, cover of the highest priority, and the agreement's time zone.

The answers become the structured term `services.support_hours` (operations/support_hours.py is
its one definition) and `services.time_zone`, an IANA name. Day and country names are CLDR's, in
the interface language. A half-answered group is refused with the reason; an empty one is saved
as "not answered yet", like every other field.
"""
from __future__ import annotations

import unicodedata
from functools import cache
from typing import Any

from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from babel.dates import get_day_names
from wtforms import BooleanField, SelectChoice, SelectField, SelectMultipleField, StringField
from wtforms.validators import Length, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from ..i18n.forms import RowForm
from ..operations.support_hours import (
    AROUND_THE_CLOCK, DAYS, SupportHoursError, holiday_countries, is_time_zone, parse_time, support_hours_of,
    time_zones,
)

# Why a structured value cannot be used, by SupportHoursError.code, in the reader's language.
PROBLEMS = {
    "shape": _l("Support hours are stated as days and times."),
    "days": _l("Choose at least one day."),
    "time": _l("Enter a time of day as HH:MM on the 24-hour clock, for example 08:00."),
    "order": _l("Support must close after it opens (24:00 is midnight at the end of the day)."),
    "country": _l("Choose a country from the list, or none."),
}


def problem_of(value: Any) -> str | None:
    """Why `value` cannot be the support hours (in the interface language), or None."""
    if value is None:
        return None
    if not isinstance(value, dict):
        return str(PROBLEMS["shape"])
    try:
        support_hours_of({"services": {"support_hours": value}})
    except SupportHoursError as error:
        return str(PROBLEMS.get(error.code, PROBLEMS["shape"]))
    return None


@cache
def time_zone_names() -> list[str]:
    """The time zones a page offers to pick from: the IANA regions' names and UTC (every name is accepted)."""
    regional = (zone for zone in time_zones() if "/" in zone and not zone.startswith(("Etc/", "SystemV/", "US/")))
    return ["UTC", *sorted(regional)]


def _day_choices() -> list[SelectChoice]:
    names = get_day_names("wide", "stand-alone", locale=get_locale())
    return [SelectChoice(day, names[index][:1].upper() + names[index][1:]) for index, day in enumerate(DAYS)]


def _sort_key(name: str) -> str:
    """Åland by A, Türkiye by T: letters without their accents, then case."""
    return "".join(c for c in unicodedata.normalize("NFKD", name) if not unicodedata.combining(c)).casefold()


def _country_choices() -> list[SelectChoice]:
    territories = get_locale().territories
    named = sorted(((territories.get(code, code), code) for code in holiday_countries()), key=lambda n: _sort_key(n[0]))
    return [SelectChoice("", _l("None: support is open on public holidays")),
            *(SelectChoice(code, name) for name, code in named)]


class DaysField(SelectMultipleField):
    """Days of the week, one checkbox each (rendered as a fieldset with its legend)."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()

    def pre_validate(self, form):
        if any(day not in DAYS for day in self.data or ()):
            raise ValidationError(PROBLEMS["days"])


class TimeOfDayField(StringField):
    """A time of day typed as HH:MM on the 24-hour clock ("24:00": midnight at the end of the day)."""

    def pre_validate(self, form):
        if self.data:
            try:
                parse_time(self.data)
            except ValueError:
                raise ValidationError(PROBLEMS["time"]) from None


class TimeZoneField(StringField):
    """An IANA time zone name, typed with the page's list of names to pick from."""

    @staticmethod
    def value_problem(value: Any) -> str | None:
        """Why `value` is not a time zone (for a value written outside the form), or None."""
        if value is None or value == "" or is_time_zone(value):
            return None
        return str(_l("Use a time zone name from the list, such as Europe/Warsaw or America/New_York."))

    def pre_validate(self, form):
        problem = self.value_problem(self.data)
        if problem:
            raise ValidationError(problem)


def _strip(value):
    return value.strip() if isinstance(value, str) else value


class SupportHoursForm(RowForm):
    around_the_clock = BooleanField(_l("Around the clock: every day, 00:00 to 24:00"))
    days = DaysField(_l("Days"), choices=_day_choices, validate_choice=False)
    # No Optional(): it would stop the checks below, which ask for a time once anything else is answered.
    opens = TimeOfDayField(_l("Opens at"), filters=[_strip], validators=[Length(max=5)])
    closes = TimeOfDayField(_l("Closes at"), filters=[_strip], validators=[Length(max=5)])
    holidays = SelectField(_l("Closed on the public holidays of"), choices=_country_choices, default="",
                           validate_choice=False)
    highest_priority_around_the_clock = BooleanField(_l("Incidents of the highest priority are handled around the clock"))

    # A form asks for its answer only when it is not "around the clock" and something was given.
    def _stated(self) -> bool:
        return not self.around_the_clock.data and bool(
            self.days.data or self.opens.data or self.closes.data or self.holidays.data
            or self.highest_priority_around_the_clock.data)

    def validate_days(self, field):
        if self._stated() and not field.data:
            raise ValidationError(_l("Choose at least one day, or tick “Around the clock”."))

    def validate_opens(self, field):
        if self._stated() and not field.data:
            raise ValidationError(_l("Give the time support opens."))
        if field.data == "24:00":
            raise ValidationError(_l("24:00 is the end of the day: support opens at 00:00 at the earliest."))

    def validate_closes(self, field):
        if self._stated() and not field.data:
            raise ValidationError(_l("Give the time support closes."))
        opens, closes = self.opens.data, field.data
        if opens and closes and not self.opens.errors and not field.errors:
            try:
                support_hours_of({"services": {"support_hours": {"days": list(DAYS), "opens": opens, "closes": closes}}})
            except SupportHoursError as error:
                if error.code == "order":
                    raise ValidationError(PROBLEMS["order"]) from None

    def validate_holidays(self, field):
        if field.data and field.data not in holiday_countries():
            raise ValidationError(PROBLEMS["country"])


def to_term(data: dict[str, Any] | None) -> dict[str, Any] | None:
    """The form's answers as the term's value (None: not answered yet)."""
    data = data or {}
    country = data.get("holidays") or None
    if data.get("around_the_clock"):
        return {**AROUND_THE_CLOCK, "holidays": country}
    if not (data.get("days") or data.get("opens") or data.get("closes")):
        return None
    value = {"days": list(data.get("days") or ()), "opens": data.get("opens"), "closes": data.get("closes"),
             "holidays": country, "highest_priority_around_the_clock": bool(data.get("highest_priority_around_the_clock"))}
    return support_hours_of({"services": {"support_hours": value}}).to_term()


def to_form(value: Any) -> dict[str, Any]:
    """The term's value as the form shows it; free text from before is shown as around the clock where it
    says so, else as not answered (the page quotes the text)."""
    blank = {"around_the_clock": False, "days": [], "opens": None, "closes": None, "holidays": "",
             "highest_priority_around_the_clock": False}
    if value is None or (isinstance(value, str) and not value.strip()):
        return blank
    try:
        hours = support_hours_of({"services": {"support_hours": value}})
    except ValueError:  # a malformed value (an imported file): show what can be shown
        return {**blank, **{k: v for k, v in value.items() if k in blank}} if isinstance(value, dict) else blank
    if hours.unread_text is not None:
        return blank
    term = hours.to_term()
    every_day_all_day = term["days"] == list(DAYS) and term["opens"] == "00:00" and term["closes"] == "24:00"
    return {"around_the_clock": every_day_all_day, "days": term["days"], "opens": term["opens"],
            "closes": term["closes"], "holidays": term["holidays"] or "",
            "highest_priority_around_the_clock": term["highest_priority_around_the_clock"]}


def kept(old: Any, new: dict[str, Any] | None) -> Any:
    """What to store: free text from before stays while the answer says no more than it (untouched, or
    read the same), so saving another answer of the step does not restate it; else the new value."""
    if isinstance(old, str) and old.strip():
        if new is None:
            return old
        hours = support_hours_of({"services": {"support_hours": old}})
        if hours.unread_text is None and hours.to_term() == new:
            return old
    return new
