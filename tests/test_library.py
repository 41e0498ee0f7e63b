"""The clause library: size, every variant rendered in both languages, validation errors, formatting."""
from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from authoring.config import LANGUAGES
from authoring.library import OMIT, assemble, default_choices, load_library
from authoring.library.formatting import BLANK
from authoring.library.loader import LibraryError
from authoring.library.translations import translation_folders

ROOT = Path(__file__).resolve().parent.parent
LIBRARY = load_library(ROOT / "clauses")
SAMPLES = LIBRARY.catalogue.sample_terms()
CASES = [(clause.id, variant) for clause in LIBRARY.clauses.values() for variant in clause.variants]


def test_library_has_the_promised_breadth():
    assert len(LIBRARY.clauses) >= 45
    assert all(len(clause.variants) >= 2 for clause in LIBRARY.clauses.values())
    categories = {section.key for section in LIBRARY.sections}
    assert {"background", "services", "service_levels", "timeline", "costs", "client_responsibilities",
            "escalation", "sanctions", "change_control", "review", "general"} <= categories
    for clause in LIBRARY.clauses.values():
        assert len(clause.guidance["en"]) > 80, f"{clause.id}: guidance is a playbook, not a line"


@pytest.mark.parametrize("clause_id,variant", CASES, ids=[f"{c}:{v}" for c, v in CASES])
def test_every_variant_renders_in_every_language_with_samples_and_with_an_empty_interview(clause_id, variant):
    texts = LIBRARY.clauses[clause_id].variants[variant].text
    assert set(texts) == set(LANGUAGES), f"{clause_id} {variant}: languages {sorted(texts)}"
    blanks = LIBRARY.catalogue.blank_terms()
    rendered = {}
    for language in LANGUAGES:
        for terms in (SAMPLES, blanks):
            text = LIBRARY.render_clause(clause_id, variant, terms, language)
            assert text.strip() and "{{" not in text and "{%" not in text and "None" not in text, (language, text)
            assert "  " not in text and " ." not in text and " ," not in text, (language, text)
        rendered[language] = LIBRARY.render_clause(clause_id, variant, SAMPLES, language)
    assert len(set(rendered.values())) == len(LANGUAGES), "every language has its own text"


def test_values_are_formatted_for_the_language():
    template = "{{ costs.monthly_fee | money(costs.currency) }} · {{ services.availability_percent | percent }} · " \
               "{{ timeline.effective_date | date }} · {{ client.feedback_days | business_days }} · " \
               "{{ services.in_scope | listing }} · {{ option('change.review_cadence') }}"
    assert LIBRARY.render(template, SAMPLES, "en") == \
        "€4,000.00 · 99.5% · 1 January 2027 · 2 business days · Servers, Network and Workstations · quarterly"
    assert LIBRARY.render(template, SAMPLES, "es") == \
        "4.000,00\u00a0€ · 99,5\u00a0% · 1 de enero de 2027 · 2 días hábiles · Servers, Network y Workstations · trimestral"
    one_day = {**SAMPLES, "client": {**SAMPLES["client"], "feedback_days": 1}}
    assert LIBRARY.render("{{ client.feedback_days | business_days }}", one_day, "es") == "1 día hábil"


def test_rows_with_missing_fields_still_render():
    terms = LIBRARY.catalogue.complete({"services": {"priorities": [{"level": "P1"}]},
                                        "timeline": {"milestones": [{"name": "Go-live"}]}})
    assert terms["services"]["priorities"][0] == {"level": "P1", "definition": None, "response_hours": None,
                                                   "resolution_hours": None}
    document = assemble(LIBRARY, terms, "es", default_choices(LIBRARY))
    assert any("P1" in clause.text for clause in document.clauses())


def test_missing_answers_render_as_a_blank_to_fill():
    blank = LIBRARY.catalogue.blank_terms()
    assert LIBRARY.render("{{ parties.client.name }} pays {{ costs.monthly_fee | money(costs.currency) }}", blank, "en") \
        == f"{BLANK} pays {BLANK}"


def test_term_change_rerenders_clauses_but_custom_text_stays():
    terms = LIBRARY.catalogue.complete({"parties": {"provider": {"name": "Old Name Ltd"}}})
    choices = default_choices(LIBRARY)
    first = assemble(LIBRARY, terms, "en", choices)
    users = [c for c in first.clauses() if "Old Name Ltd" in c.text]
    assert users, "some clause names the provider"
    custom_key = users[0].key
    edited = first.with_clause_text(custom_key, "Hand-written by Old Name Ltd.")
    renamed = dict(terms, parties={**terms["parties"], "provider": {**terms["parties"]["provider"], "name": "New Name GmbH"}})
    second = assemble(LIBRARY, renamed, "en", choices, previous=edited)
    assert second.clause(custom_key).text == "Hand-written by Old Name Ltd." and second.clause(custom_key).custom
    for clause in users[1:]:
        assert "New Name GmbH" in second.clause(clause.key).text and "Old Name Ltd" not in second.clause(clause.key).text


def test_optional_clauses_can_be_left_out_and_variants_chosen():
    optional = next(c for c in LIBRARY.clauses.values() if c.optional)
    other_variant = [v for v in optional.variants if v != optional.default_variant][0]
    terms = LIBRARY.catalogue.complete({})
    without = assemble(LIBRARY, terms, "en", default_choices(LIBRARY))
    assert optional.id not in {c.key for c in without.clauses()}
    chosen = assemble(LIBRARY, terms, "en", {**default_choices(LIBRARY), optional.id: other_variant})
    assert chosen.clause(optional.id).variant == other_variant
    assert chosen.clause(optional.id).text == LIBRARY.render_clause(optional.id, other_variant, terms, "en")
    assert optional.id not in {c.key for c in assemble(LIBRARY, terms, "en", {optional.id: OMIT}).clauses()}


# Validation errors name the file, the clause and the problem -----------------------------

GOOD_CLAUSE = """
  - id: demo.thing
    title: {en: Thing, pl: Rzecz, he: דבר, ru: Вещь, tl: Bagay, es: Cosa}
    guidance: {en: Why it matters.}
    variants:
      one:
        label: {en: One, pl: Jedna, he: אחת, ru: Одна, tl: Isa, es: Una}
        text: {en: "The Provider {{ parties.provider.name }}.", pl: "Usługodawca {{ parties.provider.name }}.",
               he: "נותן השירותים {{ parties.provider.name }}.", ru: "Исполнитель {{ parties.provider.name }}.",
               tl: "Ang Tagapagbigay ng Serbisyo {{ parties.provider.name }}.", es: "El Proveedor {{ parties.provider.name }}."}
      two:
        label: {en: Two, pl: Dwie, he: שתיים, ru: Две, tl: Dalawa, es: Dos}
        text: {en: Two., pl: Dwa., he: שניים., ru: Два., tl: Dalawa., es: Dos.}
"""
SECTION = "section: {key: %s, order: %d, step: services, title: {en: Demo, es: Demo, pl: Demo, he: הדגמה, ru: Демо, tl: Demo}}\nclauses:"


def _library_with(tmp_path: Path, clause_yaml: str) -> Path:
    folder = tmp_path / "clauses"
    folder.mkdir()
    shutil.copy(ROOT / "clauses" / "_terms.yaml", folder / "_terms.yaml")
    shutil.copy(ROOT / "clauses" / "_glossary.yaml", folder / "_glossary.yaml")
    for language in (ROOT / "clauses" / "translations").iterdir():  # the choices' words, the glossaries
        (folder / "translations" / language.name).mkdir(parents=True)
        for name in ("_terms.yaml", "_glossary.yaml"):
            shutil.copy(language / name, folder / "translations" / language.name / name)
    (folder / "50_demo.yaml").write_text(
        SECTION % ("demo", 50) + clause_yaml,
        encoding="utf-8")
    return folder


def test_a_valid_small_library_loads(tmp_path):
    assert list(load_library(_library_with(tmp_path, GOOD_CLAUSE)).clauses) == ["demo.thing"]


@pytest.mark.parametrize("broken,problem", [
    (GOOD_CLAUSE.replace("parties.provider.name }}.\", es", "parties.provider.nmae }}.\", es"),
     "uses 'parties.provider.nmae', which clauses/_terms.yaml does not declare"),
    (GOOD_CLAUSE.replace(", es: Dos.}", "}"), "variant 'two' text: missing language(s) es"),
    (GOOD_CLAUSE[:GOOD_CLAUSE.index("      two:")],
     "needs at least 2 variants"),
    (GOOD_CLAUSE.replace("{en: Two.,", "{en: '{{ oops',"), "variant 'two' (en)"),
    (GOOD_CLAUSE.replace("{en: Two.,", "{en: '{{ costs.monthly_fee | money(costs.currency) | upper | nosuch }}',"),
     "variant 'two' (en)"),
    (GOOD_CLAUSE.replace("    guidance:", "    guidnace:"), "unknown field(s) guidnace"),
])
def test_errors_name_the_file_the_clause_and_the_problem(tmp_path, broken, problem):
    with pytest.raises(LibraryError) as raised:
        load_library(_library_with(tmp_path, broken))
    message = str(raised.value)
    assert message.startswith("50_demo.yaml: clause 'demo.thing'")
    assert problem in message


def test_templates_cannot_escape_the_sandbox(tmp_path):
    escape = GOOD_CLAUSE.replace("{en: Two.,", "{en: \"{{ ''.__class__.__mro__ }}\",")
    with pytest.raises(LibraryError, match="50_demo.yaml: clause 'demo.thing' variant 'two'"):
        load_library(_library_with(tmp_path, escape))


def test_duplicate_clause_ids_are_refused(tmp_path):
    folder = _library_with(tmp_path, GOOD_CLAUSE)
    (folder / "60_again.yaml").write_text(
        SECTION % ("again", 60) + GOOD_CLAUSE,
        encoding="utf-8")
    with pytest.raises(LibraryError, match="60_again.yaml: clause 'demo.thing' is also defined in 50_demo.yaml"):
        load_library(folder)


def test_clauses_check_command_counts_clauses_variants_and_languages(runner):
    result = runner.invoke(args=["clauses", "check"])
    assert result.exit_code == 0, result.output
    variants = sum(len(c.variants) for c in LIBRARY.clauses.values())
    # Every translation folder is a complete language: English plus each of clauses/translations/<language>/.
    languages = sorted({"en", *translation_folders(ROOT / "clauses")})
    assert f"{len(LIBRARY.clauses)} clauses, {variants} variants, {len(languages)} languages ({', '.join(languages)})" \
        in result.output


def test_a_polish_agreement_reads_polish_clauses_with_its_defined_terms_and_counted_nouns():
    terms = SAMPLES
    parties = LIBRARY.render_clause("background.parties", "balanced", terms, "pl")
    assert parties.startswith("Niniejsza Umowa zostaje zawarta pomiędzy Northwind IT Services Ltd.")
    assert "(„Usługodawca”)" in parties and "(„Klient”)" in parties and "„Stronami”" in parties
    invoicing = LIBRARY.render_clause("costs.invoicing", "balanced", terms, "pl")
    assert "Usługodawca będzie wystawiał faktury miesięcznie z dołu" in invoicing
    assert "w terminie 30 dni od dnia jej doręczenia" in invoicing
    acceptance = LIBRARY.render_clause("timeline.acceptance", "balanced", terms, "pl")
    assert "(Onboarding: odbioru dokonuje Klient w terminie 5 dni roboczych)" in acceptance
    credits = LIBRARY.render_clause("sanctions.service_credits", "balanced", terms, "pl")
    assert "w okresie pomiarowym, którym jest miesiąc kalendarzowy, Klientowi przysługuje bonifikata" in credits
    # With an empty interview no English word is left in any Polish clause.
    english = re.compile(r"\b(the|and|of|Provider|Client|Party|services?|within|days?|hours?|months?|business)\b")
    for clause in LIBRARY.clauses.values():
        for variant in clause.variants:
            text = LIBRARY.render_clause(clause.id, variant, LIBRARY.catalogue.blank_terms(), "pl")
            assert not english.search(text), (clause.id, variant, text)


def test_hebrew_agreement_reads_in_hebrew_with_its_defined_terms():
    samples, blanks = LIBRARY.catalogue.sample_terms(), LIBRARY.catalogue.blank_terms()
    parties = LIBRARY.render_clause("background.parties", "balanced", samples, "he")
    assert '(להלן: "נותן השירותים")' in parties and '(להלן: "הלקוח")' in parties
    assert "יומיים (2)" in LIBRARY.render_clause("general.termination_for_convenience", "mutual",
                                                  {**samples, "sanctions": {**samples["sanctions"], "termination_notice_days": 2}}, "he")
    # With an empty interview nothing but Hebrew is left (legislation keeps its own name: GDPR, EU).
    for clause in LIBRARY.clauses.values():
        for variant in clause.variants:
            text = LIBRARY.render_clause(clause.id, variant, blanks, "he")
            assert not set(re.findall(r"[A-Za-z]{2,}", text)) - {"GDPR", "EU"}, (clause.id, variant, text)


def test_russian_clauses_read_as_a_russian_contract():
    """Defined terms, choice words and counted nouns agree in Russian sentences."""
    invoicing = LIBRARY.render_clause("costs.invoicing", "balanced", SAMPLES, "ru")
    assert invoicing.startswith("Исполнитель выставляет счета на оплату вознаграждения ежемесячно по итогам истекшего месяца")
    assert "в течение 30 дней с даты его получения" in invoicing
    terms = {**SAMPLES, "general": {"confidentiality_years": 21}}
    assert "в течение 21 года после его прекращения" in LIBRARY.render_clause("general.confidentiality", "mutual", terms, "ru")
    terms = {**SAMPLES, "general": {"confidentiality_years": 11}}
    assert "в течение 11 лет после его прекращения" in LIBRARY.render_clause("general.confidentiality", "mutual", terms, "ru")
    blank = LIBRARY.render_clause("general.confidentiality", "mutual", LIBRARY.catalogue.blank_terms(), "ru")
    assert f"в течение {BLANK} лет после его прекращения" in blank


def test_a_translation_of_a_clause_the_source_lacks_is_refused(tmp_path):
    folder = _library_with(tmp_path, GOOD_CLAUSE)
    (folder / "translations" / "pl" / "50_demo.yaml").write_text(
        "clauses:\n  demo.other: {title: Inna}\n", encoding="utf-8")
    with pytest.raises(LibraryError, match=r"translations/pl/50_demo.yaml: clause 'demo.other' is not in 50_demo.yaml"):
        load_library(folder)


def test_a_text_that_breaks_its_glossary_is_refused_naming_file_clause_and_term(tmp_path):
    # The Polish text calls the Provider "Wykonawca", a word the Polish glossary avoids.
    folder = _library_with(tmp_path, GOOD_CLAUSE.replace('pl: "Usługodawca {{', 'pl: "Wykonawca {{'))
    with pytest.raises(LibraryError) as raised:
        load_library(folder)
    message = str(raised.value)
    assert "translations/pl/50_demo.yaml: clause 'demo.thing' variant 'one': uses 'Wykonawc'" in message
    assert "the English uses 'the Provider'; this text should say 'Usługodawca'" in message


def test_every_translated_language_keeps_a_glossary(tmp_path):
    folder = _library_with(tmp_path, GOOD_CLAUSE)
    (folder / "translations" / "ru" / "_glossary.yaml").unlink()
    with pytest.raises(LibraryError, match="translations/ru/_glossary.yaml: missing"):
        load_library(folder)
