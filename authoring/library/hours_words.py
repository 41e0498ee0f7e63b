"""Support hours in words, as a lawyer of each language writes them, and read back from those words.

`{{ services.support_hours | support_hours }}` writes the structured value (see
operations/support_hours.py) as the predicate of "The Provider's support hours are …":

    en  Monday to Friday, 08:00 to 18:00, except public holidays in Poland, and at all times for
        incidents of the highest priority
    pl  od poniedziałku do piątku w godzinach od 08:00 do 18:00, z wyłączeniem dni ustawowo wolnych
        od pracy w Polsce, a w przypadku incydentów o najwyższym priorytecie – całodobowo

Day names, times and country names come from CLDR (Babel): the locale's names of the days,
its short time pattern (08:00, 8:00, 8:00 AM) and its names of territories. Polish and
Russian sentences need the days in other cases than CLDR's nominative ("od poniedziałku",
"по пятницу"); those forms are made from CLDR's names by the regular endings of the seven
words, and a country after "w"/"в" takes its locative from a short list of the countries our
users name, else stays nominative in apposition ("(państwo: Kenia)"). Every day, all day,
is written "24 hours a day, 7 days a week" in each language: the words agreements used when
support hours were free text, so such a text and the data say the same.

Free text from before support hours were data is written as it was; a blank as "[●]".

`read_support_hours` finds the values whose words are exactly the words given (binding.py
reads an edited clause back with it): it never guesses, every candidate is checked by
writing it again.
"""
from __future__ import annotations

import datetime
import re
from dataclasses import dataclass
from functools import cache
from itertools import product
from typing import Any, Callable

from babel import Locale
from babel.dates import format_time, get_day_names
from babel.lists import format_list
from jinja2 import pass_context

from ..operations.support_hours import DAYS, SupportHours, holiday_countries, parse_time, support_hours_of
from .formatting import BLANK, locale_of as _locale

MIDNIGHT = datetime.time(0)


# Days -------------------------------------------------------------------------------------

@cache
def day_names(language: str) -> dict[str, str]:
    """CLDR's names of the days in `language` ("mon" -> "poniedziałek"), as a sentence writes them."""
    names = get_day_names("wide", "format", locale=_locale(language))
    return {day: names[index] for index, day in enumerate(DAYS)}


def _ending(word: str, endings: tuple[tuple[str, str], ...]) -> str:
    """`word` with the first matching ending replaced ("piątek", (("ek", "ku"),)) -> "piątku")."""
    for old, new in endings:
        if word.endswith(old):
            return word[: len(word) - len(old)] + new
    return word


# The regular endings of the seven day names (Polish and Russian), applied to CLDR's nominatives.
_PL_GENITIVE = (("ek", "ku"), ("la", "li"), ("a", "y"))  # poniedziałku, środy, niedzieli
_PL_PLURAL = (("ek", "ki"), ("la", "le"), ("a", "y"))  # (w) poniedziałki, środy, niedziele
_RU_GENITIVE = (("ца", "цы"), ("а", "ы"), ("е", "я"), ("к", "ка"), ("г", "га"))  # понедельника, среды, воскресенья
_RU_ACCUSATIVE = (("а", "у"),)  # (по) среду, пятницу, субботу; the others as the nominative
_RU_DATIVE_PLURAL = (("ца", "цам"), ("а", "ам"), ("е", "ям"), ("к", "кам"), ("г", "гам"))  # (по) понедельникам


def _pl_w(word: str) -> str:
    """"w" before a day, "we" before one that starts with w- and a consonant ("we wtorki")."""
    return ("we " if re.match(r"w[^aeiouyąęó]", word) else "w ") + word


def _ru_s(word: str) -> str:
    """"с" before a day, "со" where Russian says so ("со вторника", "со среды")."""
    return ("со " if word.startswith(("вт", "ср")) else "с ") + word


@dataclass(frozen=True)
class Words:
    """How one language writes each part of the phrase."""

    day_range: Callable[[str, str], str]  # (first, last) day codes -> "Monday to Friday"
    single_days: Callable[[list[str]], str]  # day codes -> "Monday and Wednesday"
    every_day: str
    hours: str  # "{opens} to {closes}"
    all_day: str
    days_then_hours: str  # "{days}, {hours}"
    around_the_clock: str  # every day, all day
    holidays: Callable[[str], str]  # country code -> ", except public holidays in Poland"
    highest_priority: str  # ", and at all times for incidents of the highest priority"
    midnight: str | None = None  # the end of the day where the locale writes 12-hour times


def _names(language: str, days: list[str], form: Callable[[str], str] = lambda w: w) -> list[str]:
    return [form(day_names(language)[day]) for day in days]


def _listed(language: str, items: list[str]) -> str:
    return format_list(items, locale=_locale(language))


@cache
def _territory(language: str, code: str) -> str:
    return Locale.parse(_locale(language)).territories.get(code, code)


_EN_THE = {"BS", "GM", "KM", "MV", "NL", "PH", "SC", "VA"}


def _en_country(code: str) -> str:
    name = _territory("en", code)
    needs_the = code in _EN_THE or any(w in name for w in ("Islands", "Republic", "United ", "Kingdom"))
    return ("the " + name) if needs_the else name


_ES_ARTICLE = {"GB": "el ", "NL": "los ", "AE": "los ", "DO": "la ", "CF": "la "}

# "w"/"в" and the country in the locative, for the countries our users name; others stay nominative.
_PL_IN = {
    "AR": "w Argentynie", "AT": "w Austrii", "AU": "w Australii", "BE": "w Belgii", "BG": "w Bułgarii",
    "BR": "w Brazylii", "BY": "na Białorusi", "CA": "w Kanadzie", "CH": "w Szwajcarii", "CL": "w Chile",
    "CN": "w Chinach", "CO": "w Kolumbii", "CZ": "w Czechach", "DE": "w Niemczech", "DK": "w Danii",
    "EE": "w Estonii", "ES": "w Hiszpanii", "FI": "w Finlandii", "FR": "we Francji", "GB": "w Wielkiej Brytanii",
    "GR": "w Grecji", "HR": "w Chorwacji", "HU": "na Węgrzech", "IE": "w Irlandii", "IL": "w Izraelu",
    "IN": "w Indiach", "IT": "we Włoszech", "JP": "w Japonii", "KZ": "w Kazachstanie", "LT": "na Litwie",
    "LU": "w Luksemburgu", "LV": "na Łotwie", "MX": "w Meksyku", "NL": "w Holandii", "NO": "w Norwegii",
    "PH": "na Filipinach", "PL": "w Polsce", "PT": "w Portugalii", "RO": "w Rumunii", "RU": "w Rosji",
    "SE": "w Szwecji", "SI": "w Słowenii", "SK": "na Słowacji", "TR": "w Turcji", "UA": "w Ukrainie",
    "US": "w Stanach Zjednoczonych",
}
_RU_IN = {
    "AM": "в Армении", "AR": "в Аргентине", "AT": "в Австрии", "AU": "в Австралии", "AZ": "в Азербайджане",
    "BE": "в Бельгии", "BG": "в Болгарии", "BR": "в Бразилии", "BY": "в Беларуси", "CA": "в Канаде",
    "CH": "в Швейцарии", "CN": "в Китае", "CO": "в Колумбии", "CZ": "в Чехии", "DE": "в Германии",
    "DK": "в Дании", "EE": "в Эстонии", "ES": "в Испании", "FI": "в Финляндии", "FR": "во Франции",
    "GB": "в Великобритании", "GE": "в Грузии", "GR": "в Греции", "HR": "в Хорватии", "HU": "в Венгрии",
    "IE": "в Ирландии", "IL": "в Израиле", "IN": "в Индии", "IT": "в Италии", "JP": "в Японии",
    "KZ": "в Казахстане", "LT": "в Литве", "LV": "в Латвии", "MX": "в Мексике", "NL": "в Нидерландах",
    "NO": "в Норвегии", "PH": "на Филиппинах", "PL": "в Польше", "PT": "в Португалии", "RO": "в Румынии",
    "RU": "в России", "SE": "в Швеции", "SK": "в Словакии", "TR": "в Турции", "US": "в США",
    "UZ": "в Узбекистане",
}


def _en_singles(days: list[str]) -> str:
    return _listed("en", _names("en", days))


WORDS: dict[str, Words] = {
    "en": Words(
        day_range=lambda a, b: f"{day_names('en')[a]} to {day_names('en')[b]}",
        single_days=_en_singles,
        every_day="every day",
        hours="{opens} to {closes}",
        all_day="24 hours a day",
        days_then_hours="{days}, {hours}",
        around_the_clock="24 hours a day, 7 days a week",
        holidays=lambda code: f", except public holidays in {_en_country(code)}",
        highest_priority=", and at all times for incidents of the highest priority",
    ),
    "es": Words(
        day_range=lambda a, b: f"de {day_names('es')[a]} a {day_names('es')[b]}",
        single_days=lambda days: _listed("es", _names("es", days)),
        every_day="todos los días",
        hours="de {opens} a {closes}",
        all_day="las 24 horas del día",
        days_then_hours="{days}, {hours}",
        around_the_clock="24 horas al día, 7 días a la semana",
        holidays=lambda code: f", excepto los días festivos oficiales en {_ES_ARTICLE.get(code, '')}"
                              f"{_territory('es', code)}",
        highest_priority=", y en todo momento para las incidencias de máxima prioridad",
    ),
    "pl": Words(
        day_range=lambda a, b: f"od {_ending(day_names('pl')[a], _PL_GENITIVE)} do {_ending(day_names('pl')[b], _PL_GENITIVE)}",
        single_days=lambda days: _pl_w(_listed("pl", _names("pl", days, lambda w: _ending(w, _PL_PLURAL)))),
        every_day="codziennie",
        hours="w godzinach od {opens} do {closes}",
        all_day="całodobowo",
        days_then_hours="{days} {hours}",
        around_the_clock="24 godziny na dobę, 7 dni w tygodniu",
        holidays=lambda code: ", z wyłączeniem dni ustawowo wolnych od pracy " + (
            _PL_IN[code] if code in _PL_IN else f"(państwo: {_territory('pl', code)})"),
        highest_priority=", a w przypadku incydentów o najwyższym priorytecie – całodobowo",
    ),
    "he": Words(
        day_range=lambda a, b: f"מ{day_names('he')[a]} עד {day_names('he')[b]}",
        single_days=lambda days: _listed("he", _names("he", days, lambda w: "ב" + w)),
        every_day="בכל ימות השבוע",
        hours="בין השעות {opens} ל-{closes}",
        all_day="24 שעות ביממה",
        days_then_hours="{days}, {hours}",
        around_the_clock="24 שעות ביממה, 7 ימים בשבוע",
        holidays=lambda code: f", למעט ימי החג הרשמיים של {_territory('he', code)}",
        highest_priority=", ולגבי תקלות ברמת העדיפות הגבוהה ביותר – מסביב לשעון",
    ),
    "ru": Words(
        day_range=lambda a, b: f"{_ru_s(_ending(day_names('ru')[a], _RU_GENITIVE))} по "
                               f"{_ending(day_names('ru')[b], _RU_ACCUSATIVE)}",
        single_days=lambda days: "по " + _listed("ru", _names("ru", days, lambda w: _ending(w, _RU_DATIVE_PLURAL))),
        every_day="ежедневно",
        hours="с {opens} до {closes}",
        all_day="круглосуточно",
        days_then_hours="{days} {hours}",
        around_the_clock="24 часа в сутки, 7 дней в неделю",
        holidays=lambda code: ", за исключением нерабочих праздничных дней " + (
            _RU_IN[code] if code in _RU_IN else f"(страна: {_territory('ru', code)})"),
        highest_priority=", а по инцидентам наивысшего приоритета — круглосуточно",
    ),
    "tl": Words(
        day_range=lambda a, b: f"mula {day_names('tl')[a]} hanggang {day_names('tl')[b]}",
        single_days=lambda days: "tuwing " + _listed("tl", _names("tl", days)),
        every_day="araw-araw",
        hours="mula {opens} hanggang {closes}",
        all_day="24 oras bawat araw",
        days_then_hours="{days}, {hours}",
        around_the_clock="24 oras bawat araw, 7 araw bawat linggo",
        holidays=lambda code: f", maliban sa mga pampublikong pista opisyal sa {_territory('tl', code)}",
        highest_priority=", at sa lahat ng oras para sa mga insidenteng nasa pinakamataas na prayoridad",
        midnight="hatinggabi",
    ),
}


def _words(language: str) -> Words:
    return WORDS.get(language) or WORDS["en"]


def _runs(days: tuple[str, ...], language: str) -> list[list[str]]:
    """The days as runs of consecutive days around the week, starting from the locale's first day
    (Sunday in Israel and the Philippines): {sun..thu} is one run, Sunday to Thursday."""
    first = Locale.parse(_locale(language)).first_week_day  # 0 = Monday
    week = [DAYS[(first + i) % 7] for i in range(7)]
    chosen = set(days)
    # Start the walk after a day that is not chosen, so a run across the week's end stays whole.
    start = next((i + 1 for i in range(7) if week[i] not in chosen), 0) if len(chosen) < 7 else 0
    runs: list[list[str]] = []
    for i in range(7):
        day = week[(start + i) % 7]
        if day in chosen:
            if runs and runs[-1] and week[(week.index(runs[-1][-1]) + 1) % 7] == day:
                runs[-1].append(day)
            else:
                runs.append([day])
    return sorted(runs, key=lambda run: week.index(run[0]))


def days_words(days: tuple[str, ...], language: str) -> str:
    """"Monday to Friday", "od poniedziałku do środy i w piątki": ranges of three days or more, single
    days listed."""
    words = _words(language)
    if len(days) == 7:
        return words.every_day
    parts: list[str] = []
    singles: list[str] = []
    for run in _runs(days, language):
        if len(run) >= 3:
            if singles:
                parts.append(words.single_days(singles))
                singles = []
            parts.append(words.day_range(run[0], run[-1]))
        else:
            singles.extend(run)
    if singles:
        parts.append(words.single_days(singles))
    return _listed(language, parts)


def time_words(value: datetime.time, language: str, closing: bool = False) -> str:
    """A time as the locale's short pattern writes it; the end of the day as 24:00 (or midnight)."""
    locale = _locale(language)
    if closing and value == MIDNIGHT:
        words = _words(language)
        if "H" in Locale.parse(locale).time_formats["short"].pattern:
            return re.sub(r"^\d+", "24", format_time(MIDNIGHT, "short", locale=locale))
        return words.midnight or format_time(MIDNIGHT, "short", locale=locale)
    return format_time(value, "short", locale=locale)


def hours_phrase(hours: SupportHours, language: str) -> str:
    """The structured support hours in words (see the module's docstring)."""
    words = _words(language)
    all_day = hours.opens == MIDNIGHT and hours.closes == MIDNIGHT
    if all_day and len(hours.days) == 7:
        text = words.around_the_clock
    else:
        when = words.all_day if all_day else words.hours.format(
            opens=time_words(hours.opens, language), closes=time_words(hours.closes, language, closing=True))
        text = words.days_then_hours.format(days=days_words(hours.days, language), hours=when)
    if hours.holidays:
        text += words.holidays(hours.holidays)
    if hours.highest_priority_around_the_clock and not hours.around_the_clock:
        text += words.highest_priority
    return text


def support_hours_words(value: Any, language: str) -> str:
    """Any stored value of the term in words: structured, free text as it was, or the blank."""
    if value is None or value == "" or value == {}:
        return BLANK
    if isinstance(value, str):
        return value if value.strip() else BLANK
    try:
        hours = support_hours_of({"services": {"support_hours": value}})
    except ValueError:  # a malformed value (an edited file): the health check says what is wrong
        return BLANK
    return hours_phrase(hours, language)


@pass_context
def support_hours_filter(context, value: Any) -> str:
    return support_hours_words(value, context.get("lang") or "en")


# Reading the words back ---------------------------------------------------------------------

_TIME = re.compile(r"\d{1,2}:\d{2}(?:[\s\u00a0\u202f]*[AP]M)?", re.IGNORECASE)


@cache
def _day_sets(language: str) -> tuple[tuple[tuple[str, ...], str], ...]:
    """Every set of days with its words, longest words first."""
    sets = []
    for mask in range(1, 128):
        days = tuple(day for i, day in enumerate(DAYS) if mask & (1 << i))
        sets.append((days, days_words(days, language)))
    return tuple(sorted(sets, key=lambda item: -len(item[1])))


@cache
def _written_times(language: str) -> dict[str, str]:
    """Every minute of the day as the locale writes it -> "HH:MM"."""
    minutes = (f"{h:02d}:{m:02d}" for h in range(24) for m in range(60))
    return {time_words(parse_time(minute), language): minute for minute in minutes}


def _times(words: str, language: str) -> list[str]:
    """The times of day written in `words`, as "HH:MM" ("24:00" for the end of the day)."""
    found = set()
    written = _written_times(language)
    for match in _TIME.finditer(words):
        if match.group() in written:
            found.add(written[match.group()])
    end = time_words(MIDNIGHT, language, closing=True)
    if end in words:
        found.add("24:00")
    return sorted(found)


def read_support_hours(words: str, language: str) -> list[dict[str, Any]]:
    """The structured values that are written exactly as `words` (usually one; none when the words
    are not a phrase this module writes)."""
    text = words.strip()
    if not text:
        return []
    phrases = _words(language)
    day_sets = [days for days, said in _day_sets(language) if said in text] or [DAYS]
    times = _times(text, language)
    spans = [("00:00", "24:00")] + [(a, b) for a in times for b in times if a < b or b == "24:00"]
    countries = [None] + [code for code in sorted(holiday_countries()) if phrases.holidays(code) in text]
    found = []
    # Around the clock reads the same with either flag: the one it stands for (AROUND_THE_CLOCK) comes first.
    for days, (opens, closes), country, flag in product(day_sets, spans, countries, (True, False)):
        value = {"days": list(days), "opens": opens, "closes": closes, "holidays": country,
                 "highest_priority_around_the_clock": flag}
        try:
            hours = support_hours_of({"services": {"support_hours": value}})
        except ValueError:
            continue
        if hours_phrase(hours, language) == text and hours.to_term() not in found:
            found.append(hours.to_term())
    return found

