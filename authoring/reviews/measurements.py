"""Service-level measurements for a review, read from a CSV file exported from a spreadsheet.

The file format:

* UTF-8 text, with or without a byte order mark; at most 1,000,000 bytes and 5,000 data rows.
* Comma- or semicolon-separated; the separator is whichever one makes sense of the header line.
  A value containing the separator is quoted ("99,5" in a comma-separated file).
* A header row naming the columns, in any order, in any letter case (spaces and hyphens
  count as underscores, so "Service level" is service_level):

  service_level  one of the agreement's service levels (for example P1), as written there
                 or differing only in letter case; the agreement's spelling is kept
  target         the promised value
  achieved       the measured value
  unit           percent, hours or minutes
  period         what was measured, free text (for example 2027-Q1)

  Other columns are an error, so a typo in a column name is not silently ignored.
* Numbers are written with digits and at most one decimal point or decimal comma
  ("99.5" or "99,5"); no signs, exponents, thousands separators, NaN or infinity.
  Percentages are at most 100.
* Blank rows are skipped.

Whether a target was met is computed, never read: a percentage (availability) is met when
achieved >= target, a time (to respond or resolve) when achieved <= target.

Reading is all or nothing: any problem raises MeasurementsInvalid listing every problem,
each with the line the user sees in a spreadsheet (the header is line 1).
"""
from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass
from decimal import Decimal
from typing import NoReturn

from flask_babel import gettext as _
from flask_babel import ngettext

from ..inputs.csv_file import CsvFileInvalid, KnownNames, column_positions, count, fail, records, shown, text_of

MAX_BYTES = 1_000_000
MAX_ROWS = 5_000
COLUMNS = ("service_level", "target", "achieved", "unit", "period")
UNITS = ("percent", "hours", "minutes")
MAX_PERIOD_CHARS = 100

_NUMBER = re.compile(r"(?:[0-9]+(?:[.,][0-9]*)?|[.,][0-9]+)", re.ASCII)


@dataclass(frozen=True)
class Measurement:
    """One measured service level in one period, and whether its target was met."""

    service_level: str
    target: Decimal
    achieved: Decimal
    unit: str
    met: bool
    period: str


class MeasurementsInvalid(CsvFileInvalid):
    """The measurements file cannot be used; `errors` names every problem (inputs.csv_file)."""


def read_measurements(raw: bytes, known_levels: Collection[str]) -> list[Measurement]:
    """The measurements in a CSV file (see the module docstring), or MeasurementsInvalid."""
    text = text_of(raw, MAX_BYTES, MeasurementsInvalid)
    rows = records(text, COLUMNS, MeasurementsInvalid)
    first = next(rows, None)
    if first is None:
        _fail(0, "", _("the file is empty"))
    positions = column_positions(*first, COLUMNS, (), MeasurementsInvalid)
    levels = KnownNames(known_levels)

    measurements: list[Measurement] = []
    errors: list[tuple[int, str, str]] = []
    data_rows = 0
    for line, cells in rows:
        if not any(cell.strip() for cell in cells):
            continue
        data_rows += 1
        if data_rows > MAX_ROWS:
            _fail(line, "", _("the file has more than %(rows)s rows of measurements", rows=count(MAX_ROWS)))
        measurement = _measurement(line, cells, positions, levels, errors)
        if measurement is not None:
            measurements.append(measurement)
    if errors:
        raise MeasurementsInvalid(errors)
    if not measurements:
        _fail(0, "", _("the file has a header but no rows of measurements"))
    return measurements


def _measurement(
    line: int, cells: list[str], positions: dict[str, int], levels: KnownNames,
    errors: list[tuple[int, str, str]],
) -> Measurement | None:
    """The measurement on one row, or None after adding the row's problems to `errors`."""
    found = len(errors)
    extra = [cell for cell in cells[len(positions):] if cell.strip()]
    if extra:
        errors.append((line, "", ngettext("has %(values)d values but the header names %(num)d column",
                                         "has %(values)d values but the header names %(num)d columns", len(positions),
                                         values=len(cells))))
    value = {name: cells[index].strip() if index < len(cells) else "" for name, index in positions.items()}

    level = levels.match(value["service_level"])
    if not value["service_level"]:
        errors.append((line, "service_level", _("is missing")))
    elif level is None:
        errors.append((line, "service_level", _("%(value)s is not a service level of this agreement (%(expected)s)",
                                                  value=shown(value["service_level"]), expected=levels.listed())))

    unit = value["unit"].lower()
    if not unit:
        errors.append((line, "unit", _("is missing")))
    elif unit not in UNITS:
        errors.append((line, "unit", _("%(value)s is not one of %(units)s", value=shown(value['unit']),
                                           units=", ".join(UNITS))))

    numbers = {}
    for name in ("target", "achieved"):
        numbers[name] = _number(line, name, value[name], unit, errors)

    period = value["period"]
    if not period:
        errors.append((line, "period", _("is missing")))
    elif len(period) > MAX_PERIOD_CHARS:
        errors.append((line, "period", _("is longer than %(num)d characters", num=MAX_PERIOD_CHARS)))

    if len(errors) > found:
        return None
    target, achieved = numbers["target"], numbers["achieved"]
    met = achieved >= target if unit == "percent" else achieved <= target
    return Measurement(level, target, achieved, unit, met, period)


def _number(line: int, column: str, text: str, unit: str, errors: list[tuple[int, str, str]]) -> Decimal | None:
    if not text:
        errors.append((line, column, _("is missing")))
        return None
    if text.startswith("-") and _NUMBER.fullmatch(text[1:]):
        errors.append((line, column, _("%(value)s is negative; it must be 0 or more", value=shown(text))))
        return None
    if not _NUMBER.fullmatch(text):
        errors.append((line, column, _("%(value)s is not a number", value=shown(text))))
        return None
    number = Decimal(text.replace(",", "."))
    if unit == "percent" and number > 100:
        errors.append((line, column, _("%(value)s is more than 100 percent", value=shown(text))))
        return None
    return number


def _fail(line: int, column: str, message: str) -> NoReturn:
    fail(MeasurementsInvalid, line, column, message)
