"""Tables that come back from Word: a changed cell, an added or a removed row, as term proposals.

Every table of the agreement is rendered from the terms (render.tables): the rows of a list
term, each column a template over the row `r` ("{{ r.response_hours | hours }}"), or the
parties' contacts by stage. The file's table (roundtrip.reading: its rows before and after
the file's tracked changes) is compared with the table the file's revision renders in the
agreement's language:

- rows the file tracks as inserted or deleted are that; the others are paired with the
  revision's rows in order, or - when rows were added or removed without tracking - by their
  first cell, as the redline pairs them (ooxml.story);
- a changed cell is read back into its row's fields through its column's template
  (roundtrip.cells, with library.binding's reader of values written into a clause). What
  cannot be read so is listed as unreadable - never guessed, never proposed;
- a list term's changes become one proposal of the whole list, as the interview proposes it;
  a contact's, one proposal per detail changed, as the interview proposes them.

Each term's change applies while the draft still has the revision's value; moved on since,
it is a conflict.
"""
from __future__ import annotations

import copy
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from typing import Any

from flask_babel import gettext as _

from ..document import Document
from ..document.terms import term_value, with_term
from ..export.layout import bookmark_name
from ..i18n import in_language
from ..interview.services import library
from ..interview.steps import term_name, term_value_problem
from ..library import ClauseLibrary
from ..library.catalogue import TermSpec
from ..library.formatting import BLANK
from ..render.tables import Table, agreement_tables, party_words, stage_words, table_columns, table_rows
from .cells import CellReader, CellUnreadable, normal
from .reading import WordRow, WordTable

CONTACTS = "contacts"  # render.tables' path of the contacts table: the parties' contacts by stage


@dataclass(frozen=True)
class CellEdit:
    """One edit the file made to a table, as the preview shows it."""

    row: str  # the row's label: its first cell ("P3", "Billing · Client")
    column: str  # the column's header ("" for a whole row)
    old: str  # "" for an added row
    new: str  # "" for a removed row
    kind: str = "cell"  # "cell", "row_added" or "row_removed"
    untracked: bool = False  # made without tracked changes


@dataclass(frozen=True)
class FoundTermChange:
    """A term the file's tables change, as it will be proposed: a table's whole list of rows, or one detail
    of a contact."""

    table: str  # the table's title, in the agreement's language
    term: str  # "services.priorities", "parties.client.contacts.billing.email"
    base_value: Any  # as the file's revision has it
    value: Any  # as the file has it, its tracked changes accepted
    edits: tuple[CellEdit, ...]
    untracked: bool  # some of its edits were made without tracked changes
    authors: tuple[str, ...]  # the Word authors of its tracked changes
    status: str  # "applies", or "conflict": the draft's value moved on since the file's revision

    @property
    def choice(self) -> str:
        """What the preview's checkbox sends for it."""
        return f"term:{self.term}"

    @property
    def name(self) -> str:
        """The term as the interview asks for it, in the current language."""
        return term_name(self.term)


@dataclass(frozen=True)
class UnreadableEdit:
    """An edit of a table that cannot be read as a value: listed, not proposed."""

    table: str
    row: str
    column: str
    text: str  # what the file says there
    message: str


def table_changes(tables: dict[str, WordTable], document: Document, current: Document,
                  language: str) -> tuple[list[FoundTermChange], list[UnreadableEdit]]:
    """The term changes the file's `tables` make against the revision `document` (each one's status
    against the draft `current`), and the edits that cannot be read."""
    reader = _Reader(library(), document, language)
    for table in agreement_tables(reader.library, document.terms, language):
        word = tables.get(bookmark_name(f"tbl:{table.key}"))
        if word is not None:
            reader.read(table, word)
    found = []
    for term, change in reader.changes.items():
        base, now = term_value(document.terms, term), term_value(current.terms, term)
        if change.value in (base, now) or not change.edits:  # no change, or the draft already says it
            continue
        status = "applies" if now == base else "conflict"
        found.append(FoundTermChange(change.table, term, base, change.value, tuple(change.edits),
                                     any(edit.untracked for edit in change.edits),
                                     tuple(dict.fromkeys(change.authors)), status))
    return found, reader.unreadable


@dataclass
class _Change:
    table: str
    value: Any
    edits: list[CellEdit] = field(default_factory=list)
    authors: list[str] = field(default_factory=list)


class _Reader:
    """Reads the file's tables against one revision's terms, collecting changes by term and what cannot be read."""

    def __init__(self, library: ClauseLibrary, document: Document, language: str):
        self.library, self.document, self.language = library, document, language
        self.terms = library.catalogue.complete(document.terms)
        self.cells = CellReader(library, self.terms, language)
        self.columns = table_columns()
        self.changes: dict[str, _Change] = {}
        self.unreadable: list[UnreadableEdit] = []

    def read(self, table: Table, word: WordTable) -> None:
        templates, path = self.columns[table.key]
        with in_language(self.language):
            rows = table_rows(self.terms, path)
        for index, row in _paired(table.rows, word.rows):
            if index is None and row.deleted:  # added and deleted again, both tracked: nothing
                continue
            label = _label(table.rows[index] if index is not None else row.edited)
            if row is not None and not row.deleted and len(row.cells) != len(table.headers):
                self._cannot(table, label, "", " · ".join(row.edited),
                             _("The row's cells do not match the table's columns (cells merged or split), so it "
                               "cannot be read."))
                if index is not None and path != CONTACTS:
                    self._list(table, path).value.append(copy.deepcopy(self._raw(path)[index]))
                continue
            try:
                if path == CONTACTS:
                    self._contact(table, templates, rows, index, row, label)
                else:
                    self._list_row(table, templates, path, rows, index, row, label)
            except CellUnreadable as error:  # a row that cannot be read as a whole (its cells listed as read)
                self._cannot(table, label, "", " · ".join(row.edited) if row is not None else "", str(error))

    # A list term's rows --------------------------------------------------------------------

    def _raw(self, path: str) -> list[Any]:
        return term_value(self.document.terms, path) or []

    def _list(self, table: Table, path: str) -> _Change:
        return self.changes.setdefault(path, _Change(table.title, []))

    def _list_row(self, table, templates, path, rows, index, row: WordRow | None, label: str) -> None:
        """One row of a list term: removed, added (read whole, or not at all) or changed (cell by cell)."""
        change = self._list(table, path)
        fields = self._item_fields(path)
        specs = {f"r.{name}": spec for name, spec in fields.items()}
        if row is None or row.deleted:  # removed: without tracking, or tracked
            if index is not None:
                change.edits.append(CellEdit(label, "", " · ".join(table.rows[index]), "", "row_removed",
                                             untracked=row is None))
                change.authors += row.authors if row is not None else ()
            return
        if index is None:  # added: tracked, or not
            blank = {name: spec.blank() for name, spec in fields.items()}
            unread = len(self.unreadable)
            value, _edits = self._read_row(table, templates, path, specs, blank, blank, (BLANK,) * len(templates),
                                           row, label)
            if len(self.unreadable) == unread:  # every cell read
                change.value.append(value)
                change.edits.append(CellEdit(label, "", "", " · ".join(normal(cell) for cell in row.edited),
                                             "row_added", untracked=not row.inserted))
                change.authors += row.authors
            return
        value, edits = self._read_row(table, templates, path, specs, rows[index], self._raw(path)[index],
                                      table.rows[index], row, label)
        change.value.append(value)
        change.edits += edits
        change.authors += [author for edit, authors in edits.items() if not edit.untracked for author in authors]

    def _item_fields(self, path: str) -> dict[str, TermSpec]:
        spec = self.library.catalogue.spec(path)
        return spec.fields if spec is not None and spec.type == "list" else {}

    def _read_row(self, table, templates, path, specs, shown: dict, stored: dict, old_cells, word: WordRow,
                  label: str) -> tuple[dict, dict[CellEdit, list[str]]]:
        """The `stored` row with each cell the file changed read into it (`shown`: the row complete, as its
        cells render it): (its new value, each cell read -> the Word authors of its tracked changes).
        A cell that cannot be read is listed and leaves the row as it was."""
        value, context = copy.deepcopy(stored), copy.deepcopy(shown)
        edits: dict[CellEdit, list[str]] = {}
        for column, (template, old, new) in enumerate(zip(templates, old_cells, word.edited)):
            new = normal(new)
            if new == old:
                continue
            try:
                fields = self.cells.read(template, context, specs, new)
                for name, field_value in fields.items():
                    self._check(f"{path}.{name.split('.')[0]}", field_value, new)
            except CellUnreadable as error:
                self._cannot(table, label, table.headers[column], new, str(error))
                continue
            if not fields:  # written otherwise, the same value ("" for "[●]")
                continue
            for name, field_value in fields.items():
                value = with_term({"r": value}, f"r.{name}", field_value)["r"]
                context = with_term({"r": context}, f"r.{name}", field_value)["r"]
            untracked = normal(word.original[column]) != old
            edits[CellEdit(label, table.headers[column], old, new, untracked=untracked)] = \
                [c.author for c in word.cells[column].changes if c.author]
        return value, edits

    # The contacts ---------------------------------------------------------------------------

    def _contact(self, table, templates, rows, index, row: WordRow | None, label: str) -> None:
        """A contact row: its details are terms of their own (parties.<side>.contacts.<stage>.<detail>)."""
        _stage_template, template = templates
        header = table.headers[1]
        if index is not None:
            stage, side = rows[index]["stage_key"], rows[index]["side"]
        else:
            stage, side = self._stage_and_party(row.edited[0], rows)
        where = f"parties.{side}.contacts.{stage}"
        contact = rows[index]["contact"] if index is not None else self._contact_spec(where).blank()
        if row is None or row.deleted:  # removed: the contact's details cleared
            new_contact = {name: None for name in contact}
            kind, untracked, authors = "row_removed", row is None, row.authors if row is not None else ()
        else:
            if index is not None and normal(row.edited[0]) != table.rows[index][0]:
                self._cannot(table, label, table.headers[0], normal(row.edited[0]),
                             _("The stage and party of a contact are the table's own: change the contact's details "
                               "instead."))
            new = normal(row.edited[1])
            old = table.rows[index][1] if index is not None else BLANK
            if new == old:
                return
            specs = {f"r.contact.{name}": spec for name, spec in self._contact_spec(where).fields.items()}
            context = {**rows[index]} if index is not None else {"contact": contact}
            try:
                fields = self.cells.read(template, context, specs, new)
            except CellUnreadable as error:
                self._cannot(table, label, header, new, str(error))
                return
            new_contact = {**contact, **{name.split(".", 1)[1]: value for name, value in fields.items()}}
            kind = "cell" if index is not None else "row_added"
            untracked = normal(row.original[1]) != old if index is not None else not row.inserted
            authors = row.authors
        for name, value in new_contact.items():
            if value == contact.get(name) or (value is None and contact.get(name) in (None, "")):
                continue
            term = f"{where}.{name}"
            try:
                self._check(term, value, str(value))
            except CellUnreadable as error:
                self._cannot(table, label, header, str(value), str(error))
                continue
            change = self.changes.setdefault(term, _Change(table.title, value))
            change.edits.append(CellEdit(label, header, str(contact.get(name) or ""), str(value or ""), kind, untracked))
            change.authors += authors if not untracked else ()

    def _contact_spec(self, where: str) -> TermSpec:
        spec = self.library.catalogue.spec(where)
        return spec if spec is not None else TermSpec(where, "object")

    def _stage_and_party(self, cell: str, rows: list[dict]) -> tuple[str, str]:
        """The stage and party an added contact row names in its first cell ("Billing\\nClient")."""
        with in_language(self.language):
            stages, parties = stage_words(), party_words()
        lines = normal(cell).split("\n")
        stage = next((key for key, word in stages.items() if lines and lines[0].casefold() == word.casefold()), None)
        side = next((key for key, word in parties.items() if len(lines) > 1 and lines[1].casefold() == word.casefold()),
                    None)
        if stage is None or side is None or len(lines) != 2:
            raise CellUnreadable(_("A new contact row names its stage and party in its first cell, each on a line, as "
                                "the other rows do."))
        if any(row["stage_key"] == stage and row["side"] == side for row in rows):
            raise CellUnreadable(_("The table already has a row for this stage and party."))
        return stage, side

    def _check(self, term: str, value: Any, text: str) -> None:
        """The interview's bounds (a negative number, a text too long) apply to a value read from a cell."""
        problem = term_value_problem(term, value) if value not in (None, "") else None
        if problem:
            raise CellUnreadable(_("“%(text)s”: %(problem)s", text=text, problem=problem))

    def _cannot(self, table: Table, row: str, column: str, text: str, message: str) -> None:
        self.unreadable.append(UnreadableEdit(table.title, row, column, text, message))


def _paired(revision_rows: tuple[tuple[str, ...], ...], rows: list[WordRow]
            ) -> list[tuple[int | None, WordRow | None]]:
    """The file's rows, each with the revision's row it was (None: added), and the revision's rows the file
    no longer has (None for the file's row), in the file's order.

    Rows not tracked as inserted are the revision's as they were before the file's tracked changes:
    paired with the revision's by their first cell (its code, its name), so rows added or removed
    without tracking are told apart from rows changed; a run of rows replaced by as many others
    is paired in order (their first cells were changed).
    """
    kept = [row for row in rows if not row.inserted]
    index: dict[int, int] = {}
    matcher = SequenceMatcher(None, [row[:1] for row in revision_rows],
                              [tuple(normal(cell) for cell in row.original[:1]) for row in kept], autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal" or i2 - i1 == j2 - j1:
            index.update({id(kept[j1 + k]): i1 + k for k in range(j2 - j1)})
    lost = sorted(set(range(len(revision_rows))) - set(index.values()))
    plan: list[tuple[int | None, WordRow | None]] = []
    for row in rows:
        i = index.get(id(row))
        while i is not None and lost and lost[0] < i:
            plan.append((lost.pop(0), None))
        plan.append((i, row))
    return plan + [(i, None) for i in lost]


def _label(cells) -> str:
    """A row's name: its first cell, its lines joined ("Billing · Client")."""
    return " · ".join(line for line in normal(cells[0]).split("\n") if line) if cells else ""
