"""The clause library: YAML files under clauses/, validated at start-up, rendered in a sandbox.

Each file holds one category: a section (key, title per language, order) and its
clauses, each with variants whose text is a Jinja template over the agreement's terms.
Errors name the file and the clause, so a broken library fails loudly at start-up.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from jinja2 import StrictUndefined, TemplateError
from jinja2.sandbox import SandboxedEnvironment

from .document import ClauseInstance, Document, Section

DEFAULT_LANGUAGE = "en"
_env = SandboxedEnvironment(undefined=StrictUndefined, autoescape=False, keep_trailing_newline=True)


class LibraryError(ValueError):
    """The clause library is not valid; the message names the file and clause."""


@dataclass(frozen=True)
class LibraryClause:
    id: str
    title: dict[str, str]
    default_variant: str
    variants: dict[str, dict[str, str]]  # variant -> language -> template text

    def text_template(self, variant: str, language: str) -> str:
        texts = self.variants[variant]
        return texts.get(language) or texts[DEFAULT_LANGUAGE]

    def localized_title(self, language: str) -> str:
        return self.title.get(language) or self.title[DEFAULT_LANGUAGE]


@dataclass(frozen=True)
class LibrarySection:
    key: str
    title: dict[str, str]
    order: int
    clauses: tuple[LibraryClause, ...]
    source: str


def _localized(value: Any, where: str) -> dict[str, str]:
    if isinstance(value, str):
        value = {DEFAULT_LANGUAGE: value}
    if not isinstance(value, dict) or DEFAULT_LANGUAGE not in value:
        raise LibraryError(f"{where}: needs text at least in '{DEFAULT_LANGUAGE}'")
    if not all(isinstance(k, str) and isinstance(v, str) and v.strip() for k, v in value.items()):
        raise LibraryError(f"{where}: every language must map to non-empty text")
    return dict(value)


def _load_file(path: Path) -> LibrarySection:
    where = path.name
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise LibraryError(f"{where}: not valid YAML: {exc}") from exc
    if not isinstance(data, dict) or not isinstance(data.get("section"), dict):
        raise LibraryError(f"{where}: must have a 'section' mapping")
    section = data["section"]
    if not isinstance(section.get("key"), str) or not isinstance(section.get("order"), int):
        raise LibraryError(f"{where}: section needs a text 'key' and a whole-number 'order'")
    clauses = []
    for index, raw in enumerate(data.get("clauses") or []):
        if not isinstance(raw, dict) or not isinstance(raw.get("id"), str):
            raise LibraryError(f"{where}: clause #{index + 1} needs an 'id'")
        cwhere = f"{where}: clause {raw['id']!r}"
        variants = raw.get("variants")
        if not isinstance(variants, dict) or not variants:
            raise LibraryError(f"{cwhere}: needs at least one variant")
        parsed = {str(name): _localized(texts, f"{cwhere} variant {name!r}") for name, texts in variants.items()}
        default = raw.get("default_variant", next(iter(parsed)))
        if default not in parsed:
            raise LibraryError(f"{cwhere}: default_variant {default!r} is not one of {sorted(parsed)}")
        for name, texts in parsed.items():
            for language, text in texts.items():
                try:
                    _env.parse(text)
                except TemplateError as exc:
                    raise LibraryError(f"{cwhere} variant {name!r} ({language}): {exc}") from exc
        clauses.append(LibraryClause(raw["id"], _localized(raw.get("title"), f"{cwhere} title"), default, parsed))
    return LibrarySection(section["key"], _localized(section.get("title"), f"{where}: section title"),
                          section["order"], tuple(clauses), where)


def load_library(folder: Path) -> tuple[LibrarySection, ...]:
    """Load and validate every *.yaml file in `folder`, ordered by section order."""
    sections = [_load_file(path) for path in sorted(folder.glob("*.yaml"))]
    ids: dict[str, str] = {}
    for section in sections:
        for clause in section.clauses:
            if clause.id in ids:
                raise LibraryError(f"{section.source}: clause {clause.id!r} is also defined in {ids[clause.id]}")
            ids[clause.id] = section.source
    return tuple(sorted(sections, key=lambda s: s.order))


def render_clause_text(template: str, terms: dict[str, Any]) -> str:
    """Render a clause template over the terms; a missing term is an error, not blank text."""
    return _env.from_string(template).render(terms)


def starter_document(library: tuple[LibrarySection, ...], language: str, terms: dict[str, Any]) -> Document:
    """A new agreement's first draft: every library clause in its default variant."""
    sections = []
    for lib_section in library:
        clauses = tuple(
            ClauseInstance(
                key=clause.id,
                title=clause.localized_title(language),
                text=render_clause_text(clause.text_template(clause.default_variant, language), terms),
                clause_id=clause.id,
                variant=clause.default_variant,
            )
            for clause in lib_section.clauses
        )
        title = lib_section.title.get(language) or lib_section.title[DEFAULT_LANGUAGE]
        sections.append(Section(key=lib_section.key, title=title, clauses=clauses))
    return Document(terms=terms, sections=tuple(sections))
