"""What a proposal changes, read from and applied to a document.

One place knows the five kinds of change, so proposing, accepting, the interview and
the redline agree on what "the current value" of a term or clause is.
"""
from __future__ import annotations

from typing import Any

from ..document import ClauseInstance, Document, DocumentError
from ..document.terms import term_label, term_value, with_term
from ..interview.steps import term_value_problem
from ..library import OMIT, ClauseLibrary, assemble, current_choices
from ..library.assembly import reword
from ..library.binding import BindingConflict, Rebinding


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


def describe(kind: str, target: str, value: Any) -> str:
    """One line for lists, e-mails and the audit log."""
    if kind == "term":
        return f"change the term {target}"
    if kind == "clause_text":
        return f"reword clause {target}"
    if kind == "clause_variant":
        return f"leave out clause {target}" if value == OMIT else f"use variant “{value}” of clause {target}"
    if kind == "clause_add":
        return f"add the clause “{(value or {}).get('title', target)}”"
    return f"remove clause {target}"


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
            raise InvalidChange(f"The new text sets {term_label(path)} to {value}: {problem}")
    return updated, rebinding


def binding_summary(rebinding: Rebinding | None) -> str:
    """What rewording a clause did to the terms, as the end of a sentence ('' when nothing)."""
    if rebinding is None:
        return ""
    said = [f"{term_label(path)} is now {value} wherever it appears" for path, value in rebinding.changes.items()]
    unstated = sorted({slot.term for slot in rebinding.dropped} - set(rebinding.changes))
    if unstated:
        said.append("the clause no longer states " + ", ".join(term_label(p) for p in unstated)
                    + " - both sides confirm this before signing (Interview › Review)")
    return "; " + "; ".join(said) if said else ""


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
                raise InvalidChange(f"There is no variant {value!r} of clause {target!r}.")
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
        raise InvalidChange(f"There is no clause {missing.args[0]!r} in the draft.") from None
    except DocumentError as error:
        raise InvalidChange(str(error)) from None
    raise InvalidChange(f"Unknown kind of change {kind!r}.")
