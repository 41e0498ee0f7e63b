"""The terms that changed between two revisions, in words a lawyer of the agreement's language reads.

Each change is a `TermChange(path, label, old, new)`: the label is how the interview names the
field ("Credits capped at (% of the monthly fee)"), the values are written as the agreement
writes them (CLDR numbers, money, percentages and dates of its locale; yes/no and the words
of a choice in its language). A table of rows is described row by row and field by field
("Service credits, row 2 — Credit (% of the monthly fee)": 5% → 10%), an added or removed row
with its fields ("Rate card, row 7 added": "Task code: T07; Price: €85.00"). The redline page,
the redline DOCX and its summary list the same changes.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from difflib import SequenceMatcher
from typing import Any

from flask import current_app, has_app_context
from flask_babel import gettext as _
from flask_babel import pgettext

from .. import ROOT
from ..document.terms import changed_terms, term_label, term_value
from ..i18n import in_language
from ..interview.steps import row_field_label, term_name
from ..library import ClauseLibrary, load_library
from ..library.catalogue import TermSpec
from ..library.formatting import BLANK, FILTERS, is_blank
from ..library.hours_words import support_hours_words

NONE = "—"  # no value on one side
CURRENCY = "costs.currency"
NUMBER_TYPES = frozenset({"decimal", "integer", "hours", "days", "business_days", "months"})


@dataclass(frozen=True)
class TermChange:
    """One changed term, or one changed field of a row, as the redline lists it."""

    path: str  # the term's path (a table's path for a change in one of its rows)
    label: str
    old: str
    new: str


def term_changes(old_terms: dict[str, Any], new_terms: dict[str, Any], language: str,
                 library: ClauseLibrary | None = None) -> list[TermChange]:
    """Every change from `old_terms` to `new_terms` in the agreement's `language`, in the order the
    catalogue (and so the interview) declares the terms; undeclared ones last."""
    library = library or _library()
    changes: list[TermChange] = []
    order = _declared_order(library.catalogue.root)
    found = sorted(changed_terms(old_terms, new_terms, values=library.catalogue.values()),
                   key=lambda change: order.get(change[0], len(order)))
    with in_language(language):
        for path, old, new in found:
            spec = library.catalogue.spec(path) or _guessed_spec(path, old, new)
            if spec.type == "list" and (isinstance(old, list) or old is None) and (isinstance(new, list) or new is None):
                changes += _list_changes(path, spec, old or [], new or [], old_terms, new_terms, language)
            else:
                changes.append(TermChange(path, str(term_name(path)), value_words(spec, old, old_terms, language),
                                          value_words(spec, new, new_terms, language)))
    return changes


def value_words(spec: TermSpec | None, value: Any, terms: dict[str, Any], language: str) -> str:
    """One value as the agreement writes it: "€4,000.00", "99,5 %", "1 stycznia 2027", "tak"."""
    if value is None or value == "" or value == [] or value == {}:
        return NONE
    kind = spec.type if spec is not None else None
    if isinstance(value, bool) or kind == "boolean":
        return pgettext("term value", "yes") if value else pgettext("term value", "no")
    context = {"lang": language}
    written = None
    if kind == "money":
        written = FILTERS["money"](context, value, term_value(terms, CURRENCY))
    elif kind == "percent":
        written = FILTERS["percent"](context, value)
    elif kind in NUMBER_TYPES:
        written = FILTERS["number"](context, value)
    elif kind == "date":
        written = FILTERS["date"](context, value)
    elif kind == "support_hours":
        written = support_hours_words(value, language)
    elif kind == "choice":
        words = spec.options.get(str(value))
        written = (words.get(language) or words.get("en")) if words else None
    if written is not None and written != BLANK:
        return written
    if isinstance(value, list):
        return "\n".join(value_words(None, item, terms, language) for item in value)
    if isinstance(value, dict):
        return "; ".join(f"{key}: {value_words(None, item, terms, language)}" for key, item in value.items())
    return str(value)


# Tables of rows ---------------------------------------------------------------------------

def _list_changes(path: str, spec: TermSpec, old: list, new: list, old_terms: dict, new_terms: dict,
                  language: str) -> list[TermChange]:
    table = str(term_name(path))
    changes = []
    for i, j in _paired_rows(old, new, spec):
        if spec.item_type or not spec.fields:  # a list of single values ("In scope")
            item_spec = TermSpec(path, spec.item_type or "text")
            before = value_words(item_spec, old[i], old_terms, language) if i is not None else NONE
            after = value_words(item_spec, new[j], new_terms, language) if j is not None else NONE
            if i is None:
                label = _("%(list)s, item %(number)d added", list=table, number=j + 1)
            elif j is None:
                label = _("%(list)s, item %(number)d removed", list=table, number=i + 1)
            else:
                label = _("%(list)s, item %(number)d", list=table, number=j + 1)
            changes.append(TermChange(path, label, before, after))
        elif i is None:
            changes.append(TermChange(path, _("%(table)s, row %(number)d added", table=table, number=j + 1), NONE,
                                      _row_words(path, spec, new[j], new_terms, language)))
        elif j is None:
            changes.append(TermChange(path, _("%(table)s, row %(number)d removed", table=table, number=i + 1),
                                      _row_words(path, spec, old[i], old_terms, language), NONE))
        else:
            before, after = _row(old[i]), _row(new[j])
            for name in [*spec.fields, *(k for k in {**before, **after} if k not in spec.fields)]:
                if before.get(name) == after.get(name) or (is_blank(before.get(name)) and is_blank(after.get(name))):
                    continue
                field = spec.fields.get(name)
                label = _("%(table)s, row %(number)d — %(field)s", table=table, number=j + 1,
                          field=_field_label(path, name))
                changes.append(TermChange(path, label, value_words(field, before.get(name), old_terms, language),
                                          value_words(field, after.get(name), new_terms, language)))
    return changes


def _row(row: Any) -> dict[str, Any]:
    return row if isinstance(row, dict) else {"value": row}


def _row_words(path: str, spec: TermSpec, row: Any, terms: dict, language: str) -> str:
    """A whole row: "Task code: T07; Description: Backup restore; Price: €85.00" (blank fields left out)."""
    row = _row(row)
    words = []
    for name in [*(n for n in spec.fields if n in row), *(n for n in row if n not in spec.fields)]:
        value = row[name]
        if is_blank(value) or value is False:
            continue
        words.append(_("%(field)s: %(value)s", field=_field_label(path, name),
                       value=value_words(spec.fields.get(name), value, terms, language)))
    return "; ".join(words) or NONE


def _field_label(path: str, name: str) -> str:
    return str(row_field_label(path, name) or term_label(name))


def _paired_rows(old: list, new: list, spec: TermSpec) -> list[tuple[int | None, int | None]]:
    """The rows that differ, as (old index, new index): a row changed, added (None, j) or removed (i, None).

    Unchanged rows are matched first (in order); among the rest, rows with the same first field
    (the code, level or name that identifies them) are one row changed wherever it moved, and the
    others are paired in place when as many went as came there, else counted removed and added.
    """
    key_field = next(iter(spec.fields), None)

    def identity(row: Any) -> Any:
        value = row.get(key_field) if isinstance(row, dict) and key_field else None
        return None if is_blank(value) else value

    matcher = SequenceMatcher(None, [_canonical(r) for r in old], [_canonical(r) for r in new], autojunk=False)
    blocks = [(list(range(i1, i2)), list(range(j1, j2)))
              for tag, i1, i2, j1, j2 in matcher.get_opcodes() if tag != "equal"]
    gone = [i for block, _came in blocks for i in block]
    came = [j for _gone, block in blocks for j in block]
    pairs: list[tuple[int | None, int | None]] = []
    for i in list(gone):  # the same row, wherever it went
        j = next((j for j in came if identity(old[i]) is not None and identity(new[j]) == identity(old[i])), None)
        if j is not None:
            pairs.append((i, j))
            gone.remove(i)
            came.remove(j)
    for block_gone, block_came in blocks:  # rows replaced in place, as many as came
        left_gone, left_came = [i for i in block_gone if i in gone], [j for j in block_came if j in came]
        if left_gone and len(left_gone) == len(left_came):
            pairs += zip(left_gone, left_came)
            gone = [i for i in gone if i not in left_gone]
            came = [j for j in came if j not in left_came]
    pairs += [(i, None) for i in gone] + [(None, j) for j in came]
    return sorted(pairs, key=lambda pair: pair[1] if pair[1] is not None else pair[0] + 0.5)


def _canonical(row: Any) -> str:
    return json.dumps(row, sort_keys=True, ensure_ascii=False)


def _guessed_spec(path: str, old: Any, new: Any) -> TermSpec:
    """A term the catalogue does not declare (an imported or synthetic document): typed by its value."""
    sample = new if new is not None else old
    if isinstance(sample, list):
        rows = [r for side in (old, new) if isinstance(side, list) for r in side if isinstance(r, dict)]
        if rows:
            names = dict.fromkeys(k for row in rows for k in row)
            return TermSpec(path, "list", fields={name: TermSpec(f"{path}[].{name}", "text") for name in names})
        return TermSpec(path, "list", item_type="text")
    return TermSpec(path, "boolean" if isinstance(sample, bool) else "text")


def _declared_order(spec: TermSpec, order: dict[str, int] | None = None) -> dict[str, int]:
    """Each declared term path and its place in clauses/_terms.yaml."""
    order = {} if order is None else order
    for child in spec.fields.values():
        if child.type == "object":
            _declared_order(child, order)
        else:
            order.setdefault(child.path, len(order))
    return order


def _library() -> ClauseLibrary:
    """The app's clause library, else the one the project ships (a benchmark run without an app)."""
    if has_app_context() and "clause_library" in current_app.extensions:
        return current_app.extensions["clause_library"]
    return load_library(ROOT / "clauses")
