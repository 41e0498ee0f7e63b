"""What a proposal changes, read from and applied to a document.

One place knows the five kinds of change, so proposing, accepting, the interview and
the redline agree on what "the current value" of a term or clause is.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from flask_babel import gettext as _

from ..document import ClauseInstance, Document, DocumentError
from ..document.terms import display_value, term_value, with_term
from ..interview.steps import term_name, term_value_problem
from ..library import OMIT, ClauseLibrary, assemble, current_choices
from ..library.assembly import reword
from ..library.binding import BindingConflict, Rebinding
from .labels import quoted_terms


class InvalidChange(ValueError):
    """The change names something that does not exist or a value that cannot be used."""


def current_value(document: Document, kind: str, target: str) -> Any:
    """The value a change of this kind to `target` replaces (None when there is none)."""
    if kind == "term":
        return term_value(document.terms, target)
    if kind == "clause_variant":
        return current_choices(document).get(target, OMIT)
    try:
        clause = document.clause(target)
    except KeyError:
        return None
    if kind == "clause_text":
        return clause.text
    if kind == "clause_remove":
        return clause.to_dict()
    return clause.to_dict()  # clause_add: a clause with this key already exists


@dataclass(frozen=True)
class ChangeNames:
    """What a sentence calls the things a change touches, read from the current document:
    clauses by number and title ("8.2 Cap on service credits"), sections ("9 General"),
    library variants by their label. Keys never reach a reader unless nothing else is known."""

    clauses: dict[str, str] = field(default_factory=dict)
    sections: dict[str, str] = field(default_factory=dict)
    variants: dict[tuple[str, str], str] = field(default_factory=dict)

    def clause(self, key: str, former: Any = None) -> str:
        """The clause's number and title; a clause no longer in the draft by its last title."""
        if key in self.clauses:
            return self.clauses[key]
        title = former.get("title") if isinstance(former, dict) else None
        return _("the clause “%(title)s”", title=title or key.rsplit(".", 1)[-1].replace("_", " "))


def change_names(document: Document, library: ClauseLibrary | None = None, language: str = "en") -> ChangeNames:
    """Names for the clauses and sections of `document` (and the library's other clauses, by title)."""
    clauses, sections, variants = {}, {}, {}
    for number, section, numbered in document.numbered():
        sections[section.key] = f"{number} {section.title}"
        for clause_number, clause in numbered:
            clauses[clause.key] = f"{clause_number} {clause.title}"
    if library is not None:
        for clause in library.clauses.values():
            if clause.id not in clauses:
                clauses[clause.id] = _("the clause “%(title)s”", title=clause.localized_title(language))
            for name, variant in clause.variants.items():
                variants[(clause.id, name)] = variant.label.get(language) or variant.label.get("en") or name
    return ChangeNames(clauses, sections, variants)


def _short(value: Any) -> str | None:
    shown = display_value(value)
    return shown if len(shown) <= 60 and "\n" not in shown else None


def describe(kind: str, target: str, value: Any, names: ChangeNames | None = None, base_value: Any = None) -> str:
    """What a change does, as the object of "proposed" ("new wording for 8.2 Cap on service credits"):
    for lists, e-mails and the Activity page, in the current language (a noun phrase a translator
    words to fit "proposes …")."""
    names = names or ChangeNames()
    if kind == "term":
        old, new = _short(base_value), _short(value)
        if old and new and base_value is not None:
            return _("changing “%(term)s” from %(old)s to %(new)s", term=term_name(target), old=old, new=new)
        if new:
            return _("changing “%(term)s” to %(new)s", term=term_name(target), new=new)
        return _("changing “%(term)s”", term=term_name(target))
    if kind == "clause_text":
        return _("new wording for %(clause)s", clause=names.clause(target))
    if kind == "clause_variant":
        if value == OMIT:
            return _("leaving out %(clause)s", clause=names.clause(target))
        return _("the “%(variant)s” version of %(clause)s", variant=names.variants.get((target, value), value),
                 clause=names.clause(target))
    if kind == "clause_add":
        value = value or {}
        where = names.sections.get(value.get("section"))
        if where:
            return _("a new clause “%(title)s” in %(section)s", title=value.get("title", target), section=where)
        return _("a new clause “%(title)s”", title=value.get("title", target))
    return _("removing %(clause)s", clause=names.clause(target, base_value))


def new_clause_key(title: str, document: Document) -> str:
    """The key of a clause proposed under `title`: "custom." and the title in ASCII, unique in the draft."""
    base = re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")[:40] or "clause"
    existing = {c.key for c in document.clauses()}
    number = 1
    while f"custom.{base}-{number}" in existing:
        number += 1
    return f"custom.{base}-{number}"


def reword_clause(library: ClauseLibrary, language: str, document: Document, key: str,
                  text: str) -> tuple[Document, Rebinding]:
    """The document with a clause reworded, the terms its new words state changed (see library.binding).

    InvalidChange when a value written into the text is one the interview would refuse.
    """
    try:
        updated, rebinding = reword(library, document, key, text, language)
    except BindingConflict as error:
        raise InvalidChange(str(error)) from None
    for path, value in rebinding.changes.items():
        problem = term_value_problem(path, value)
        if problem:
            raise InvalidChange(_("The new text sets %(term)s to %(value)s: %(problem)s", term=term_name(path),
                                  value=value, problem=problem))
    return updated, rebinding


def binding_summary(rebinding: Rebinding | None) -> list[str]:
    """What rewording a clause did to the terms, one clause of a sentence each (none when nothing)."""
    if rebinding is None:
        return []
    said = [_("%(term)s is now %(value)s wherever it appears", term=term_name(path), value=value)
            for path, value in rebinding.changes.items()]
    unstated = sorted({slot.term for slot in rebinding.dropped} - set(rebinding.changes))
    if unstated:
        said.append(_("the clause no longer states %(terms)s - both sides confirm this before signing "
                      "(Interview › Review)", terms=quoted_terms(unstated)))
    return said


def clause_saved(title: str, rebinding: Rebinding | None, merged: bool) -> str:
    """The message after saving a clause's text: saved, what that did to the terms, whether it was merged."""
    summary = "; ".join([_("“%(title)s” saved", title=title), *binding_summary(rebinding)])
    if merged:
        return _("%(summary)s, merged with a change made meanwhile: check the result.", summary=summary)
    return summary + "."


def apply_change(library: ClauseLibrary, language: str, document: Document, kind: str, target: str,
                 value: Any) -> Document:
    """The document with the change made; clauses that follow the terms are re-rendered."""
    try:
        if kind == "term":
            return assemble(library, with_term(document.terms, target, value), language,
                            current_choices(document), previous=document)
        if kind == "clause_text":
            return reword_clause(library, language, document, target, value)[0]
        if kind == "clause_variant":
            clause = library.clauses.get(target)
            if clause is None or (value != OMIT and value not in clause.variants):
                raise InvalidChange(_("There is no variant %(variant)s of clause %(clause)s.", variant=repr(value),
                                      clause=repr(target)))
            choices = current_choices(document)
            choices[target] = value
            return assemble(library, document.terms, language, choices, previous=document)
        if kind == "clause_add":
            clause = ClauseInstance(key=target, title=value["title"], text=value["text"], custom=True)
            return document.with_clause_added(value["section"], clause)
        if kind == "clause_remove":
            clause = document.clause(target)
            if clause.clause_id:
                choices = current_choices(document)
                choices[clause.clause_id] = OMIT
                return assemble(library, document.terms, language, choices, previous=document)
            return document.without_clause(target)
    except KeyError as missing:
        raise InvalidChange(_("There is no clause %(clause)s in the draft.", clause=repr(missing.args[0]))) from None
    except DocumentError as error:
        raise InvalidChange(str(error)) from None
    raise InvalidChange(_("Unknown kind of change %(kind)s.", kind=repr(kind)))
