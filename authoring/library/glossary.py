"""Defined terms kept consistent in every language: clauses/_glossary.yaml and one per translation.

The English glossary lists the concepts (the Provider, the Client, service credits, …)
and how the English texts write them; each clauses/translations/<language>/_glossary.yaml
gives the same concepts in that language. Checked at load: a variant text whose English
uses a concept must use that language's defined term (any of its written forms), and no
text of a language may use a word its glossary avoids.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .translations import TRANSLATIONS, TranslationError, read_yaml

GLOSSARY = "_glossary.yaml"
_TAGS = re.compile(r"\{[{%#].*?[}%#]\}", re.S)  # template expressions name terms in English


@dataclass(frozen=True)
class Entry:
    term: str
    match: tuple[str, ...]
    avoid: tuple[str, ...] = ()


def _fold(text: str) -> str:
    return unicodedata.normalize("NFC", _TAGS.sub(" ", text))


def _entries(data: Any, where: str) -> dict[str, Entry]:
    if not isinstance(data, dict):
        raise TranslationError(f"{where}: must map each concept to its term and forms")
    entries = {}
    for concept, raw in data.items():
        ok = isinstance(raw, dict) and isinstance(raw.get("term"), str) and isinstance(raw.get("match"), list) \
            and raw["match"] and all(isinstance(m, str) and m.strip() for m in raw["match"]) \
            and all(isinstance(a, str) and a.strip() for a in raw.get("avoid") or [])
        if not ok:
            raise TranslationError(f"{where}: {concept!r} needs a 'term' and a list of 'match' forms (and may list 'avoid')")
        entries[str(concept)] = Entry(raw["term"], tuple(raw["match"]), tuple(raw.get("avoid") or ()))
    return entries


def load_glossaries(folder: Path, languages) -> dict[str, dict[str, Entry]]:
    """{language: {concept: Entry}} for English and every translated language."""
    glossaries = {"en": _entries(read_yaml(folder / GLOSSARY, GLOSSARY), GLOSSARY)}
    for language in languages:
        if language == "en":
            continue
        where = f"{TRANSLATIONS}/{language}/{GLOSSARY}"
        path = folder / TRANSLATIONS / language / GLOSSARY
        if not path.is_file():
            raise TranslationError(f"{where}: missing; every language keeps a glossary of the defined terms")
        entries = _entries(read_yaml(path, where), where)
        missing = sorted(set(glossaries["en"]) - set(entries))
        if missing:
            raise TranslationError(f"{where}: no entry for {', '.join(missing)}")
        glossaries[language] = entries
    return glossaries


def _uses(text: str, entry: Entry) -> bool:
    folded = _fold(text)
    return any(_fold(form) in folded for form in entry.match)


def glossary_problems(library, glossaries: dict[str, dict[str, Entry]]) -> list[str]:
    """Every place a text breaks its language's glossary, each naming the file and clause."""
    problems = []
    english = glossaries["en"]
    for section in library.sections:
        for clause in section.clauses:
            texts_by_place = [(f"variant {v.name!r}", v.text) for v in clause.variants.values()]
            all_texts = [("title", clause.title), ("guidance", clause.guidance), *texts_by_place,
                         *((f"variant {v.name!r} label", v.label) for v in clause.variants.values())]
            for language, entries in glossaries.items():
                where = section.source if language == "en" else f"{TRANSLATIONS}/{language}/{section.source}"
                for place, texts in all_texts:
                    text = texts.get(language)
                    for entry in entries.values():
                        for word in entry.avoid:
                            if text and _fold(word) in _fold(text):
                                problems.append(f"{where}: clause {clause.id!r} {place}: uses {word!r}; "
                                                f"the glossary's term is {entry.term!r}")
                if language == "en":
                    continue
                for place, texts in texts_by_place:
                    if language not in texts:
                        continue
                    for concept, entry in english.items():
                        if _uses(texts["en"], entry) and not _uses(texts[language], entries[concept]):
                            problems.append(f"{where}: clause {clause.id!r} {place}: the English uses "
                                            f"{entry.term!r}; this text should say {entries[concept].term!r}")
    return problems
