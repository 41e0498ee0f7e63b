"""Reading a CSV file people saved from a spreadsheet, with every problem named by line and column.

Shared by the files of measurements (reviews.measurements) and of incidents and outages
(operations.incident_file): UTF-8 with or without a byte-order mark, comma or semicolon
separated (whichever splits the header into more known column names), lines counted as a
spreadsheet shows them (one record a line, even when a quoted value holds a line break),
and problems as (line, column or "", message) - line 0 for the file as a whole.
"""
from __future__ import annotations

import csv
import io
import re
import unicodedata
from collections.abc import Collection, Iterator
from typing import NoReturn

from flask import has_app_context
from flask_babel import format_decimal
from flask_babel import gettext as _
from flask_babel import ngettext

Problem = tuple[int, str, str]  # (line or 0, column or "", message)
_SHOWN_CHARS = 40


class CsvFileInvalid(Exception):
    """The file cannot be used; `errors` holds every problem as (line, column or "", message).

    Line 0 means the file as a whole (too large, not UTF-8, empty).
    """

    def __init__(self, errors: list[Problem]):
        self.errors = errors
        super().__init__("\n".join(self.messages))

    @property
    def messages(self) -> list[str]:
        """One sentence per problem, as a form shows them: "line 4, achieved: 'n/a' is not a number"."""
        return [describe(*error) for error in self.errors]


def text_of(raw: bytes, max_bytes: int, invalid: type[CsvFileInvalid]) -> str:
    """The file's text; `invalid` when it is too large, not UTF-8, or empty."""
    if len(raw) > max_bytes:
        raise invalid([(0, "", _("the file is larger than %(bytes)s bytes", bytes=count(max_bytes)))])
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise invalid([(raw[: error.start].count(b"\n") + 1, "",
                        _("the file is not UTF-8 text; save it as \"CSV UTF-8\""))]) from None
    if not text.strip():
        raise invalid([(0, "", _("the file is empty"))])
    return text


def records(text: str, known_columns: Collection[str], invalid: type[CsvFileInvalid]) -> Iterator[tuple[int, list[str]]]:
    """(spreadsheet line, cells) for every record from the first non-blank one, which is the header."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_separator(text, known_columns), strict=True)
    line = 0
    seen_header = False
    while True:
        line += 1
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            raise invalid([(line, "", _("cannot be read as CSV (%(error)s); check the quotes on this line",
                                        error=error))]) from None
        if not seen_header and not any(cell.strip() for cell in cells):
            continue
        seen_header = True
        yield line, cells


def _separator(text: str, known_columns: Collection[str]) -> str:
    """The separator that splits the header line into the most known column names; ties go to the commoner."""
    header_line = next(line for line in text.splitlines() if line.strip())
    known = set(known_columns)

    def score(separator: str) -> tuple[int, int]:
        try:
            cells = next(csv.reader([header_line], delimiter=separator), [])
        except csv.Error:  # a header cell beyond the csv module's field size limit
            cells = []
        return len({column_name(cell) for cell in cells} & known), header_line.count(separator)

    return max((",", ";"), key=score)


def column_name(cell: str) -> str:
    """A header cell as a column name: "Reported at" and "reported-at" are `reported_at`."""
    return re.sub(r"[\s-]+", "_", cell.strip().lower())


def normal(text: str) -> str:
    """A cell stripped, in composed form (spreadsheets on macOS may write decomposed accents, NFD)."""
    return unicodedata.normalize("NFC", text.strip())


def shown(text: str) -> str:
    """`text` quoted for a message, shortened so one bad cell cannot flood the list of errors."""
    if len(text) > _SHOWN_CHARS:
        text = text[:_SHOWN_CHARS] + "..."
    return repr(text)


def count(number: int) -> str:
    """A count as the reader's language groups its digits ("1,000,000", "1 000 000")."""
    return format_decimal(number) if has_app_context() else f"{number:,}"


def describe(line: int, column: str, message: str) -> str:
    """A problem as a sentence: "line 4, achieved: …", "line 4: …", "achieved: …" or the message alone."""
    if line and column:
        return _("line %(line)d, %(column)s: %(message)s", line=line, column=column, message=message)
    if line:
        return _("line %(line)d: %(message)s", line=line, message=message)
    if column:
        return _("%(column)s: %(message)s", column=column, message=message)
    return message


def fail(invalid: type[CsvFileInvalid], line: int, column: str, message: str) -> NoReturn:
    """Raise `invalid` with one problem."""
    raise invalid([(line, column, message)])


class KnownNames:
    """Names a column must hold (the agreement's service levels or priorities): matched as typed, else
    ignoring letter case where that is unambiguous."""

    def __init__(self, known: Collection[str]):
        self.known = [str(name) for name in known]
        self.exact = {normal(name): name for name in self.known}
        folded: dict[str, list[str]] = {}
        for name in self.known:
            folded.setdefault(normal(name).casefold(), []).append(name)
        self.folded = {key: names[0] for key, names in folded.items() if len(names) == 1}

    def match(self, text: str) -> str | None:
        """The known name `text` stands for, or None."""
        text = normal(text)
        return self.exact.get(text) or self.folded.get(text.casefold())

    def listed(self) -> str:
        """The known names for a message ("expected P1, P2, P3")."""
        if not self.known:
            return _("the agreement defines none")
        names = ", ".join(self.known[:10])
        return _("expected %(names)s", names=names + (", ..." if len(self.known) > 10 else ""))


def header_names(header: list[str]) -> list[str]:
    """The header's column names, empty cells at its end left out."""
    names = [column_name(cell) for cell in header]
    while names and not names[-1]:
        names.pop()
    return names


def column_positions(line: int, header: list[str], required: tuple[str, ...], optional: tuple[str, ...],
                     invalid: type[CsvFileInvalid]) -> dict[str, int]:
    """Column name -> index; `invalid` naming every missing, unknown, repeated or unnamed column."""
    errors: list[Problem] = []
    positions: dict[str, int] = {}
    unknown: list[str] = []
    for index, name in enumerate(header_names(header)):
        if not name:
            errors.append((line, "", _("column %(number)d has no name", number=index + 1)))
        elif name in positions:
            errors.append((line, name, _("appears more than once")))
        elif name in required or name in optional:
            positions[name] = index
        else:
            unknown.append(header[index].strip())
    if unknown:
        errors.append((line, "", ngettext("unexpected column %(listed)s; the columns are %(columns)s",
                                          "unexpected columns %(listed)s; the columns are %(columns)s", len(unknown),
                                          listed=", ".join(shown(name) for name in unknown),
                                          columns=", ".join(required + optional))))
    missing = [name for name in required if name not in positions]
    if missing:
        errors.append((line, "", ngettext("missing column %(names)s", "missing columns %(names)s", len(missing),
                                          names=", ".join(missing))))
    if errors:
        raise invalid(errors)
    return positions
