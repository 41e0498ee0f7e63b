"""Assemble an agreement's document from the terms and the chosen library clauses.

The interview changes terms and clause choices; this module turns them into the one
Document every renderer reads. Every library clause is re-rendered from the terms; a
clause edited by hand (`custom`) is re-rendered from its own template (its parts), so
the terms it still states follow the terms; a clause without parts keeps its text.
"""
from __future__ import annotations

from dataclasses import replace
from typing import Any

from ..document import ClauseInstance, Document, Section
from ..document.terms import with_term
from .binding import Rebinding, clause_bound, parts_bound, rebind
from .loader import ClauseLibrary, localized

OMIT = "omit"  # a choice that leaves an optional clause out


def default_choices(library: ClauseLibrary) -> dict[str, str]:
    """A new agreement's clauses: every clause that is not optional, in its default variant."""
    return {c.id: c.default_variant for s in library for c in s.clauses if not c.optional}


def current_choices(document: Document) -> dict[str, str]:
    """Which library clauses the document holds, and in which variant."""
    return {c.clause_id: c.variant for c in document.clauses() if c.clause_id and c.variant}


def assemble(library: ClauseLibrary, terms: dict[str, Any], language: str,
             choices: dict[str, str], previous: Document | None = None) -> Document:
    """The document for these terms and clause choices ({clause id: variant or OMIT}).

    Clauses follow the library's order; clauses written from scratch (no library id)
    stay at the end of their section; a custom clause keeps its text while its variant
    is unchanged.
    """
    terms = library.catalogue.complete(terms)
    kept = {c.key: c for c in previous.clauses()} if previous else {}
    sections = []
    for lib_section in library:
        clauses = []
        for clause in lib_section.clauses:
            variant = choices.get(clause.id, OMIT)
            if variant == OMIT or variant not in clause.variants:
                continue
            old = kept.get(clause.id)
            if old is not None and old.custom and old.variant == variant:
                if old.parts is not None:
                    old = replace(old, text=parts_bound(library, old.parts, terms, language).text)
                clauses.append(old)
                continue
            clauses.append(ClauseInstance(
                key=clause.id, title=clause.localized_title(language),
                text=library.render_clause(clause.id, variant, terms, language),
                clause_id=clause.id, variant=variant,
            ))
        if previous is not None:
            old_section = next((s for s in previous.sections if s.key == lib_section.key), None)
            if old_section is not None:
                clauses.extend(c for c in old_section.clauses if c.clause_id is None)
        if clauses:
            sections.append(Section(lib_section.key, localized(lib_section.title, language), tuple(clauses)))
    return Document(terms=terms, sections=tuple(sections))


def reword(library: ClauseLibrary, document: Document, key: str, text: str, language: str) -> tuple[Document, Rebinding]:
    """The document with clause `key` worded as `text`, and what that did to the terms.

    The clause stays a template over the terms it still states; where the edit changed
    the written value of a term, the term changes and every clause stating it follows
    (see binding.py). KeyError for an unknown clause; BindingConflict when the text
    states one term twice with different values.
    """
    clause = document.clause(key)
    rebinding = rebind(library, clause_bound(library, clause, document.terms, language), text, document.terms, language)
    bound = clause.clause_id is not None or clause.parts is not None
    stated = {part.term for part in rebinding.parts if not isinstance(part, str)}
    unstated = sorted((set(clause.unstated) | {slot.term for slot in rebinding.dropped}) - stated)
    updated = document.with_clause_text(key, text, rebinding.parts if bound else None, tuple(unstated))
    if rebinding.changes:
        terms = document.terms
        for path, value in rebinding.changes.items():
            terms = with_term(terms, path, value)
        updated = assemble(library, terms, language, current_choices(updated), previous=updated)
    return updated, rebinding
