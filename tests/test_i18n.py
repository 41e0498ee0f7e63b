"""The interface in six languages: complete catalogues, every visible text through gettext, the choice of language.

The pseudo-locale test renders the demo's pages in a made-up language whose catalogue
wraps every message in ⟦ ⟧ (authoring/i18n/catalogues.py): any Latin-letter word left
outside the brackets is interface text that did not pass through gettext. Data — names,
titles, clause text, what people typed — is excluded by the markup that gives it its own
direction (`dir="auto"`, `lang`, `<bdi>`), which every such block must carry anyway.
"""
from __future__ import annotations

import functools
import re
from pathlib import Path

import pytest
from babel.dates import get_month_names
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po
from lxml import html as lxml_html
from sqlalchemy import select

from authoring import create_app
from authoring.config import LANGUAGES
from authoring.demo import DEMO_PASSWORD, create_demo
from authoring.extensions import db
from authoring.library import load_library
from authoring.models import User
from conftest import base_config, demo_urls, post_form

ROOT = Path(__file__).resolve().parent.parent
CATALOGUES = ROOT / "authoring" / "translations"
TRANSLATED = [language for language in LANGUAGES if language != "en"]
PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]")


def _method_map():
    return [("authoring/**.py", "python"), ("templates/**.html", "jinja2")]


def extracted_messages() -> dict[tuple[str, str | None], set[str]]:
    """(msgid, context) -> the files using it, read from the code as pybabel extract does (babel.cfg)."""
    found: dict[tuple[str, str | None], set[str]] = {}
    keywords = {"_": None, "gettext": None, "ngettext": (1, 2), "lazy_gettext": None, "_l": None, "lazy_ngettext": (1, 2),
                "pgettext": ((1, "c"), 2)}
    for filename, _line, message, _comments, context in extract_from_dir(
            str(ROOT), method_map=_method_map(), keywords=keywords,
            options_map={"templates/**.html": {"extensions": "jinja2.ext.i18n"}}):
        msgid = message[0] if isinstance(message, tuple) else message
        if msgid:
            found.setdefault((msgid, context), set()).add(filename)
    return found


def test_the_code_has_messages_to_translate():
    messages = extracted_messages()
    assert len(messages) > 300, "the interface goes through gettext"
    assert ("Log in", None) in messages and ("Interface language", None) in messages


@pytest.mark.parametrize("language", TRANSLATED)
def test_every_message_has_a_translation_in_every_catalogue(language):
    with (CATALOGUES / language / "LC_MESSAGES" / "messages.po").open("rb") as source:
        catalogue = read_po(source, locale=language)
    problems = []
    for (msgid, context), files in sorted(extracted_messages().items(), key=lambda kv: (kv[0][0], kv[0][1] or "")):
        message = catalogue.get(msgid, context=context)
        where = f"{msgid!r} ({', '.join(sorted(files))[:80]})"
        if message is None:
            problems.append(f"missing: {where}")
            continue
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if message.fuzzy or not all(s.strip() for s in strings):
            problems.append(f"{'fuzzy' if message.fuzzy else 'empty'}: {where}")
            continue
        wanted = set(PLACEHOLDER.findall(msgid))
        for text in strings:
            used = set(PLACEHOLDER.findall(text))
            # A plural form may say its number in words ("הסכם אחד"), so only a singular must use them all.
            if used - wanted or (len(strings) == 1 and wanted - used):
                problems.append(f"placeholders differ: {where} -> {text!r}")
    assert not problems, f"{len(problems)} problem(s) in {language}:\n" + "\n".join(problems[:40])


# Words that are the same in every language: the product's name, formats, standards, units.
UNTRANSLATED = {"Accord", "SHA", "DOCX", "JSON", "PDF", "SVG", "ICS", "UTC", "URL", "IP", "ID", "CSV", "ISO", "IEC",
                "EUR", "PLN", "USD", "GBP", "ILS", "RUB", "PHP", "HMAC"}
# Month names are the pseudo-locale's own, from CLDR like every date on a page.
UNTRANSLATED |= {form for width in ("abbreviated", "wide") for name in get_month_names(width, locale="eo").values()
                 for form in (name.strip("."), name.strip(".").capitalize())}
# Data carries its own direction or language; scripts, code and form values are not interface text.
DATA = ("//*[@dir='auto'] | //*[@lang][not(self::html)] | //bdi | //script | //style | //textarea | //code"
        " | //pre | //option")


def untranslated_words(page: str) -> list[str]:
    """Latin-letter words of the page's visible text and labels that are outside ⟦ ⟧ and not data."""
    tree = lxml_html.fromstring(page).body  # the head's <title> names the agreement: data
    for element in tree.xpath("." + DATA.replace(" | //", " | .//")):
        if element.getparent() is not None:
            element.drop_tree()
    texts = [tree.text_content()]
    texts += tree.xpath("//@title | //@aria-label | //@placeholder | //@alt | //input[@type='submit']/@value")
    words = []
    for text in texts:
        outside = text
        while True:  # innermost first: a message may hold another ("⟦⟦Costs⟧, row 2⟧")
            unwrapped = re.sub(r"⟦[^⟦⟧]*⟧", " ", outside)
            if unwrapped == outside:
                break
            outside = unwrapped
        for data in library_texts():
            outside = outside.replace(data, " ")
        outside = re.sub(r"\b[0-9a-f]{8,}\b", " ", outside)  # hashes
        outside = re.sub(r"\S+@\S+\.\w+", " ", outside)  # e-mail addresses
        # Latin letters with diacritics belong to the word (the pseudo-locale's month "Aŭg" is one word).
        for word in re.findall(r"[A-Za-z][A-Za-z\u00C0-\u024F'’-]*", outside):
            if word.rstrip("-") not in UNTRANSLATED:
                words.append(word)
    return words


@functools.cache
def library_texts() -> tuple[str, ...]:
    """The clause library's titles, labels and playbooks in every language: data, longest first."""
    library = load_library(ROOT / "clauses")
    texts = set()
    for section in library.sections:
        texts.update(section.title.values())
        for clause in section.clauses:
            texts.update(clause.title.values())
            texts.update(clause.guidance.values())
            for variant in clause.variants.values():
                texts.update(variant.label.values())
    return tuple(sorted(texts, key=len, reverse=True))


@pytest.fixture
def pseudo_app(db_config):
    app = create_app(base_config(PSEUDO_LOCALE=True, **db_config))
    with app.app_context():
        assert create_demo()
    yield app
    db.dispose(app)


def test_every_page_passes_its_interface_text_through_gettext(backend, pseudo_app):
    if backend != "sqlite":
        pytest.skip("the pages are the same on either database; checked once")
    client = pseudo_app.test_client()
    with client.session_transaction() as session:
        session["interface_language"] = "eo"
    found = {}
    for path in ("/login", "/register", "/verify", "/language"):
        words = untranslated_words(client.get(path).get_data(as_text=True))
        if words:
            found[path] = words
    post_form(client, "/login", {"email": "provider@example.com", "password": DEMO_PASSWORD})
    with client.session_transaction() as session:
        session["interface_language"] = "eo"
    for path in demo_urls(pseudo_app):
        response = client.get(path)
        assert response.status_code < 500, path
        words = untranslated_words(response.get_data(as_text=True))
        if words:
            found[path] = words
    assert not found, "text outside gettext:\n" + "\n".join(
        f"{path}: {' '.join(dict.fromkeys(words))[:300]}" for path, words in found.items())


def test_the_browser_language_is_the_default_and_a_choice_is_kept_on_the_account(app, make_user, login):
    client = app.test_client()
    page = client.get("/login", headers={"Accept-Language": "he-IL,he;q=0.9,en;q=0.5"}).get_data(as_text=True)
    assert '<html lang="he" dir="rtl">' in page
    assert '<html lang="ru" dir="ltr">' in client.get("/login", headers={"Accept-Language": "ru"}).get_data(as_text=True)
    assert '<html lang="en" dir="ltr">' in client.get("/login", headers={"Accept-Language": "de"}).get_data(as_text=True)

    make_user("ana@example.com", name="Ana Nowak")
    login(client, "ana@example.com")
    response = post_form(client, "/language", {"language": "pl"}, token_from="/language")
    assert response.status_code == 302
    with app.app_context():
        assert db.session.scalar(select(User.language).where(User.email == "ana@example.com")) == "pl"
    # A new browser asking for English: the account's choice wins.
    other = login(app.test_client(), "ana@example.com")
    page = other.get("/agreements", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert '<html lang="pl" dir="ltr">' in page and "Umowy" in page


def test_a_language_that_is_not_offered_is_refused(app):
    client = app.test_client()
    response = post_form(client, "/language", {"language": "xx"}, token_from="/language")
    assert response.status_code == 422 and '<html lang="en"' in response.get_data(as_text=True)
