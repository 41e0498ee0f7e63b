"""A table cell written in Word, read back into its row's fields through its column's template.

A column of an agreement's table is a template over the row `r` ("{{ r.response_hours |
hours }}", "× {{ r.out_of_hours_multiplier | number }}"). A cell's new words are read the
way a value written into a clause is (library.binding: the template's slots aligned with the
edit, each changed slot's words read as a value of its field in the agreement's language), and
the row with the values read must render back to exactly those words - else the cell cannot be
read, and says so. A cell of several lines (a contact's name, role, e-mail and phone) is read
line by line; blank lines are not shown, so which detail each written line is follows from
the lines kept as they were.
"""
from __future__ import annotations

from itertools import combinations
from typing import Any

from flask_babel import gettext as _

from ..document.terms import term_value, with_term
from ..library import ClauseLibrary
from ..library.binding import BindingConflict, rebind, template_bound
from ..library.catalogue import TermSpec
from ..library.formatting import BLANK
from ..render.tables import clean_cell


class CellUnreadable(ValueError):
    """A cell that cannot be read as a value of its column; the message says why."""


class CellReader:
    """Reads cells of the tables rendered from `terms` (complete) in `language`."""

    def __init__(self, library: ClauseLibrary, terms: dict[str, Any], language: str):
        self.library, self.terms, self.language = library, terms, language

    def read(self, template: str, row: dict, specs: dict[str, TermSpec], text: str) -> dict[str, Any]:
        """The fields of `row` the cell `text` changes, by their path in the row ({"response_hours": "2"},
        {"contact.email": "…"}); `specs` are the row's fields by slot ("r.response_hours").
        CellUnreadable when the cell cannot be read as a value of its column."""
        if "\n" not in template:
            return self._line(template, row, specs, text)
        lines = template.split("\n")
        old = [self.render(line, row) for line in lines]
        shown = {i for i, words in enumerate(old) if words.strip() not in ("", BLANK)}
        written = [line for line in text.split("\n") if line not in ("", BLANK)]
        if len(written) > len(lines):
            raise CellUnreadable(_("The cell has more lines than the column has details."))
        # Which detail each written line is: the lines kept as they were, on the details shown before, decide.
        readings: dict[tuple[int, ...], tuple[tuple[int, int], dict[str, Any]]] = {}
        for places in combinations(range(len(lines)), len(written)):
            fields: dict[str, Any] = {}
            try:
                for i, line in enumerate(lines):
                    if i in places:
                        fields.update(self._line(line, row, specs, written[places.index(i)]))
                    elif i in shown:  # a detail no longer written is cleared
                        fields.update(self._line(line, row, specs, BLANK))
            except CellUnreadable:
                continue
            score = (sum(written[k] == old[i] for k, i in enumerate(places)), len(shown & set(places)))
            readings[places] = (score, fields)
        if not readings:
            raise CellUnreadable(_("“%(text)s” cannot be read as the details of this column.", text=text))
        best = max(score for score, _fields in readings.values())
        chosen = [fields for score, fields in readings.values() if score == best]
        if any(fields != chosen[0] for fields in chosen[1:]):
            raise CellUnreadable(_("It cannot be told which detail each line of “%(text)s” is: write them each on a "
                                   "line in the column's order, with %(blank)s for a detail left out.",
                                   text=text, blank=BLANK))
        return chosen[0]

    def render(self, template: str, row: dict) -> str:
        """A cell as the table shows it (render.tables)."""
        return clean_cell(self.library.render(template, {**self.terms, "r": row}, self.language), template)

    def _line(self, template: str, row: dict, specs: dict[str, TermSpec], text: str) -> dict[str, Any]:
        """The fields of `row` that a one-line template renders as `text`, changed."""
        context = {**self.terms, "r": row}
        bound = template_bound(self.library, template, context, self.language)
        if text in ("", BLANK):  # emptied: every field it shows is blank
            changes = {part.term: None for part in bound.parts if not isinstance(part, str)}
        else:
            try:
                rebinding = rebind(self.library, bound, text, context, self.language, specs)
            except BindingConflict:
                rebinding = None
            if rebinding is None or {slot.term for slot in rebinding.dropped} - set(rebinding.changes):
                raise CellUnreadable(_("“%(text)s” cannot be read as a value of this column.", text=text))
            changes = dict(rebinding.changes)
        if any(not path.startswith("r.") for path in changes):  # a table does not change the agreement's other terms
            raise CellUnreadable(_("“%(text)s” cannot be read as a value of this column.", text=text))
        new_row = row
        for path, value in changes.items():
            new_row = with_term({"r": new_row}, path, value)["r"]
        if normal(self.render(template, new_row)) != (text or BLANK):  # what was read must say what was written
            raise CellUnreadable(_("“%(text)s” cannot be read as a value of this column.", text=text))
        return {path[2:]: value for path, value in changes.items() if term_value({"r": row}, path) != value}


def normal(text: str) -> str:
    """A cell's text as compared: each line without the spaces around it."""
    return "\n".join(line.strip() for line in text.split("\n")).strip()
