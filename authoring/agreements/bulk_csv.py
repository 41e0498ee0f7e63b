"""Reading a CSV register of existing agreements: every row checked, every problem named by line and column.

The file is a header row, exactly HEADER, then one agreement a line, its values separated by
commas (or semicolons throughout, as spreadsheets write CSV in many languages). It is read with the
csv module from UTF-8 (with or without the byte-order mark spreadsheets write), so titles
and names in any script survive. Nothing here touches the database: `read_agreements_csv`
returns the rows, or raises CsvRefused with every problem found - the whole file is read
even after the first bad row, so one correction round fixes all of them. The words of each
problem are in the interface language; line numbers are the file's own (the header is
line 1), and a column is named as the header names it.
"""
from __future__ import annotations

import codecs
import csv
import io
import re
import unicodedata
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from babel.numbers import format_decimal, get_currency_precision, list_currencies
from flask_babel import gettext as _
from flask_babel import ngettext

from ..config import LANGUAGES
from ..i18n import interface_language
from ..interview.steps import term_value_problem
from ..library.formatting import locale_of
from ..models.agreement import ORG_NAME_MAX, SIDES, TITLE_MAX

HEADER = ("title", "counterparty", "side", "language", "effective_date", "end_date", "renewal_notice_days",
          "review_cadence", "monthly_fee", "currency", "status")
MAX_ROWS = 5000  # the command's limit; the upload page takes fewer (bulk_import.PAGE_MAX_ROWS)
# The file's words for a cadence -> the interview's stored value (clauses/_terms.yaml, change.review_cadence).
CADENCES = {"monthly": "monthly", "quarterly": "quarterly", "six-monthly": "semiannual", "annual": "annual"}
STATUSES = ("executed", "draft")
QUOTED_MAX = 60  # a wrong value is quoted back at most this long

_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_WHOLE = re.compile(r"[+-]?[0-9]{1,9}")
_AMOUNT = re.compile(r"([+-]?)([0-9]{1,16})(?:\.([0-9]{1,6}))?")


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the file: where (line, column; None for the file as a whole) and why."""

    line: int | None
    column: str | None
    message: str

    def __str__(self) -> str:
        if self.line is None:
            return self.message
        if self.column is None:
            return _("Line %(line)d: %(message)s", line=self.line, message=self.message)
        return _("Line %(line)d, column %(column)s: %(message)s", line=self.line, column=self.column,
                 message=self.message)


class CsvRefused(Exception):
    """The file was refused; `problems` lists every reason, in the file's order."""

    def __init__(self, problems: list[Problem]):
        super().__init__(problems)
        self.problems = problems

    def __str__(self) -> str:
        return "\n".join(str(problem) for problem in self.problems)


@dataclass(frozen=True)
class AgreementRow:
    """One agreement of the file, as read: plain values the import turns into terms."""

    line: int
    title: str
    counterparty: str
    side: str  # the importing owner's side
    language: str
    effective_date: date | None
    end_date: date | None
    renewal_notice_days: int | None
    review_cadence: str | None  # the stored value ("semiannual"), not the file's word
    monthly_fee: Decimal | None
    currency: str | None
    status: str  # "executed" or "draft"


def _quoted(value: str) -> str:
    return value if len(value) <= QUOTED_MAX else value[:QUOTED_MAX] + "…"


def _decode(raw: bytes) -> str:
    """The file's text; UnicodeDecodeError when it is not UTF-8."""
    if raw.startswith(codecs.BOM_UTF8):
        raw = raw[len(codecs.BOM_UTF8):]
    return raw.decode("utf-8")


def read_agreements_csv(raw: bytes, max_bytes: int, max_rows: int | None = None) -> list[AgreementRow]:
    """The agreements of a CSV file, or CsvRefused naming every problem (nothing partial is returned).

    At most `max_rows` agreements (default MAX_ROWS) and `max_bytes` bytes.
    """
    max_rows = MAX_ROWS if max_rows is None else max_rows
    if len(raw) > max_bytes:
        raise CsvRefused([Problem(None, None, _("The file is larger than %(size)s MiB.",
                                                  size=format_decimal(max_bytes / 2**20, locale=_locale())))])
    try:
        text = _decode(raw)
    except UnicodeDecodeError as error:
        line = raw[:error.start].count(b"\n") + 1
        raise CsvRefused([Problem(line, None, _("This line is not UTF-8 text. Save the file as “CSV UTF-8” and "
                                                 "upload it again."))]) from None
    # Spreadsheets set to languages that write decimals with a comma (Polish, Spanish, Russian...)
    # save "CSV" with semicolons: the header says which, so such a file is read as it is.
    first = text.split("\n", 1)[0].rstrip("\r")
    delimiter = ";" if tuple(cell.strip() for cell in first.split(";")) == HEADER else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    expected = ",".join(HEADER)
    try:
        header = next(reader, None)
    except csv.Error:
        header = ["?"]
    if header is None:
        raise CsvRefused([Problem(None, None, _("The file is empty: its first line must be the header %(header)s.",
                                                  header=expected))])
    if tuple(cell.strip() for cell in header) != HEADER:
        raise CsvRefused([Problem(1, None, _("The first line must be the header %(header)s; it is %(found)s.",
                                             header=expected, found=_quoted(",".join(header))))])
    rows: list[AgreementRow] = []
    problems: list[Problem] = []
    count = 0
    while True:
        line = reader.line_num + 1  # where the next record starts (a quoted value may span lines)
        try:
            cells = next(reader)
        except StopIteration:
            break
        except csv.Error:
            problems.append(Problem(line, None, _("This line cannot be read as CSV: a quotation mark is not closed, "
                                                  "or a character stands outside the quotes.")))
            break  # the reader cannot tell where the broken record ends
        if not any(cell.strip() for cell in cells):
            continue  # a blank line, as spreadsheets leave at the end
        count += 1
        if count > max_rows:
            limit = format_decimal(max_rows, locale=_locale())
            problems.append(Problem(None, None, _("The file has more than %(limit)s agreements: split it into files of "
                                                  "at most %(limit)s.", limit=limit)))
            break
        if len(cells) != len(HEADER):
            problems.append(Problem(line, None, ngettext(
                "This line has %(num)d value; the header has %(expected)d.",
                "This line has %(num)d values; the header has %(expected)d.", len(cells), expected=len(HEADER))))
            continue
        row, found = _read_row(line, dict(zip(HEADER, cells)))
        problems += found
        if row is not None:
            rows.append(row)
    if not count and not problems:
        problems.append(Problem(None, None, _("The file has no agreements: add one line per agreement under the "
                                              "header.")))
    if problems:
        raise CsvRefused(problems)
    return rows


def _locale() -> str:
    return locale_of(interface_language())


def _read_row(line: int, cells: dict[str, str]) -> tuple[AgreementRow | None, list[Problem]]:
    """One line's agreement, and every problem of its cells (then no agreement)."""
    problems: list[Problem] = []

    def refuse(column: str, message: str) -> None:
        problems.append(Problem(line, column, message))

    values = {name: unicodedata.normalize("NFC", value).strip() for name, value in cells.items()}
    title = _name(values["title"], TITLE_MAX, _("An agreement needs a title."), lambda m: refuse("title", m))
    counterparty = _name(values["counterparty"], ORG_NAME_MAX, _("Name the other organisation of the agreement."),
                         lambda m: refuse("counterparty", m))
    side = values["side"].lower()
    if side not in SIDES:
        refuse("side", _("“%(value)s” is not a side: write provider or client (your side in the agreement).",
                         value=_quoted(values["side"])))
    language = values["language"].lower()
    if language not in LANGUAGES:
        refuse("language", _("“%(value)s” is not a language of the agreements here: write one of %(codes)s.",
                             value=_quoted(values["language"]), codes=", ".join(LANGUAGES)))
    status = values["status"].lower()
    if status not in STATUSES:
        refuse("status", _("“%(value)s” is not a status to import: write executed (signed already) or draft.",
                           value=_quoted(values["status"])))
    effective = _date(values["effective_date"], lambda m: refuse("effective_date", m))
    end = _date(values["end_date"], lambda m: refuse("end_date", m))
    if status == "executed" and not values["effective_date"]:
        refuse("effective_date", _("An executed agreement needs its effective date."))
    if effective and end and end <= effective:
        refuse("end_date", _("The end date must come after the effective date."))
    notice = _days(values["renewal_notice_days"], lambda m: refuse("renewal_notice_days", m))
    cadence = None
    if values["review_cadence"]:
        cadence = CADENCES.get(values["review_cadence"].lower())
        if cadence is None:
            refuse("review_cadence", _("“%(value)s” is not a review cadence: write monthly, quarterly, six-monthly "
                                       "or annual.", value=_quoted(values["review_cadence"])))
    currency = values["currency"].upper() or None
    if currency is not None and currency not in list_currencies():
        refuse("currency", _("Use a three-letter ISO 4217 currency code such as EUR, USD or PLN."))
        currency = None
    fee = _amount(values["monthly_fee"], currency, lambda m: refuse("monthly_fee", m))
    if values["monthly_fee"] and not values["currency"]:
        refuse("currency", _("A monthly fee needs its currency."))
    if problems:
        return None, sorted(problems, key=lambda problem: HEADER.index(problem.column))  # in the file's column order
    return AgreementRow(line, title, counterparty, side, language, effective, end, notice, cadence, fee, currency,
                        status), []


def _name(value: str, limit: int, missing: str, refuse) -> str:
    if not value:
        refuse(missing)
    elif any(unicodedata.category(c) == "Cc" for c in value):
        refuse(_("Contains a control character (such as a line break); remove it."))
    elif len(value) > limit:
        refuse(ngettext("At most %(num)d character.", "At most %(num)d characters.", limit))
    return value


def _date(value: str, refuse) -> date | None:
    """An ISO 8601 calendar date (YYYY-MM-DD), or None when blank or refused."""
    if not value:
        return None
    try:
        if _DATE.fullmatch(value):
            return date.fromisoformat(value)
    except ValueError:
        pass
    refuse(_("“%(value)s” is not a date: write it as YYYY-MM-DD (ISO 8601), for example 2027-01-31.",
             value=_quoted(value)))
    return None


def _days(value: str, refuse) -> int | None:
    """A whole number of days within what the interview takes for the renewal notice."""
    if not value:
        return None
    if not _WHOLE.fullmatch(value):
        refuse(_("“%(value)s” is not a whole number of days, such as 90.", value=_quoted(value)))
        return None
    days = int(value)
    problem = term_value_problem("timeline.renewal_notice_days", days)
    if problem:
        refuse(problem)
        return None
    return days


def _amount(value: str, currency: str | None, refuse) -> Decimal | None:
    """A plain amount ("4000.50": a full stop before the decimals, no grouping), exact to the currency's decimals."""
    if not value:
        return None
    match = _AMOUNT.fullmatch(value)
    if match is None:
        refuse(_("“%(value)s” is not an amount: write digits with a full stop before the decimals and no thousands "
                 "separator, for example 4000.50.", value=_quoted(value)))
        return None
    amount = Decimal(value)
    problem = term_value_problem("costs.monthly_fee", amount)
    if problem:
        refuse(problem)
        return None
    decimals = len(match.group(3) or "")
    if currency is not None and decimals > (places := get_currency_precision(currency)):
        if places == 0:
            refuse(_("Amounts in %(currency)s have no decimals: enter a whole amount.", currency=currency))
        else:
            refuse(ngettext("Amounts in %(currency)s have at most %(num)d decimal; nothing is rounded, so enter it "
                            "exactly.", "Amounts in %(currency)s have at most %(num)d decimals; nothing is rounded, "
                            "so enter it exactly.", places, currency=currency))
        return None
    return amount
