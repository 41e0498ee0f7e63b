"""The clause library's translations: clauses/translations/<language>/, one folder per language.

English is the source: each `NN_category.yaml` holds the structure, the templates and
the English texts. A language's folder mirrors it file by file — the section title and,
per clause, its title, playbook (guidance) and each variant's label and text — plus
`_terms.yaml` with the words for every choice. Merging happens before validation, so
the loader's own checks (every language present, every template renders) name the
clause a translation leaves out; a translation of a clause or variant the source does
not have is refused here, naming both files.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

TRANSLATIONS = "translations"


class TranslationError(ValueError):
    """A translation file is malformed or does not match the source; the message names the file."""


def translation_folders(folder: Path) -> dict[str, Path]:
    """{language: folder} for every clauses/translations/<language>/ present."""
    root = folder / TRANSLATIONS
    return {path.name: path for path in sorted(root.iterdir()) if path.is_dir()} if root.is_dir() else {}


# libyaml's parser where PyYAML was built with it (its wheels are): the same documents, ten times faster.
_SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def parse_yaml(text: str) -> Any:
    """`text` read as yaml.safe_load reads it (yaml.YAMLError when it is not YAML)."""
    return yaml.load(text, Loader=_SAFE_LOADER)  # noqa: S506 - a safe loader, C or Python


def read_yaml(path: Path, where: str) -> Any:
    try:
        return parse_yaml(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise TranslationError(f"{where}: not valid YAML: {exc}") from exc


def _put(target: dict, language: str, value: Any) -> None:
    """Add one language's text to a {language: text} mapping (or to a bare English string)."""
    if isinstance(target, dict):
        target[language] = value


def merge_section(data: dict, translation: Any, language: str, where: str, source: str) -> None:
    """Write `translation` (one language's texts of one section file) into the parsed source `data`."""
    if not isinstance(translation, dict):
        raise TranslationError(f"{where}: must have 'section' and 'clauses' mappings")
    section = data.get("section") or {}
    if isinstance(translation.get("section"), dict) and "title" in translation["section"]:
        section["title"] = _as_texts(section.get("title"))
        _put(section["title"], language, translation["section"]["title"])
    clauses = {raw.get("id"): raw for raw in data.get("clauses") or [] if isinstance(raw, dict)}
    given = translation.get("clauses") or {}
    if not isinstance(given, dict):
        raise TranslationError(f"{where}: 'clauses' must map clause ids to their texts")
    for clause_id, texts in given.items():
        raw = clauses.get(clause_id)
        if raw is None:
            raise TranslationError(f"{where}: clause {clause_id!r} is not in {source}")
        if not isinstance(texts, dict):
            raise TranslationError(f"{where}: clause {clause_id!r} must map title, guidance and variants")
        for field in ("title", "guidance"):
            if field in texts:
                raw[field] = _as_texts(raw.get(field))
                _put(raw[field], language, texts[field])
        variants = raw.get("variants") or {}
        for name, body in (texts.get("variants") or {}).items():
            if name not in variants:
                raise TranslationError(f"{where}: clause {clause_id!r} has no variant {name!r} in {source}")
            if not isinstance(body, dict):
                raise TranslationError(f"{where}: clause {clause_id!r} variant {name!r} must have a label and a text")
            for field in ("label", "text"):
                if field in body:
                    variants[name][field] = _as_texts(variants[name].get(field))
                    _put(variants[name][field], language, body[field])


def _as_texts(value: Any) -> Any:
    """A bare string in a source file is its English text."""
    return {"en": value} if isinstance(value, str) else value


def choice_words(folder: Path) -> dict[str, dict[str, dict[str, str]]]:
    """{language: {choice path: {value: words}}} from every translations/<language>/_terms.yaml."""
    words: dict[str, dict[str, dict[str, str]]] = {}
    for language, path in translation_folders(folder).items():
        file = path / "_terms.yaml"
        where = f"{TRANSLATIONS}/{language}/_terms.yaml"
        if not file.is_file():
            continue
        data = read_yaml(file, where)
        choices = data.get("choices") if isinstance(data, dict) else None
        if not isinstance(choices, dict):
            raise TranslationError(f"{where}: must have a 'choices' mapping")
        words[language] = {str(p): w for p, w in choices.items()}
    return words


def merge_choice_words(raw_terms: Any, words: dict[str, dict[str, dict[str, str]]]) -> None:
    """Write each language's choice words into the parsed _terms.yaml, beside the English."""
    for language, choices in words.items():
        where = f"{TRANSLATIONS}/{language}/_terms.yaml"
        for path, by_value in choices.items():
            node = raw_terms
            for part in path.replace("[].", ".item.").split("."):
                node = node.get(part) if isinstance(node, dict) else None
            options = node.get("options") if isinstance(node, dict) else None
            if not isinstance(options, dict):
                raise TranslationError(f"{where}: {path!r} is not a choice in _terms.yaml")
            if not isinstance(by_value, dict):
                raise TranslationError(f"{where}: {path!r} must map each value to its words")
            for value, text in by_value.items():
                if str(value) not in {str(v) for v in options}:
                    raise TranslationError(f"{where}: {path!r} has no value {value!r} in _terms.yaml")
                options[next(v for v in options if str(v) == str(value))][language] = text
