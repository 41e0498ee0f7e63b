"""Incidents or outages read from a CSV file exported from a service desk or monitoring tool.

The file format:

* UTF-8 text, with or without a byte order mark; at most 2,000,000 bytes and 20,000 data rows;
  comma- or semicolon-separated (whichever makes sense of the header line); blank rows skipped.
* A header row names the columns, in any order and letter case ("Reported at" is reported_at),
  and tells what the file holds:

  incidents   reference, priority, reported_at, responded_at, resolved_at, and optionally
              paused and excluded
  outages     started_at, ended_at, planned

  Other columns are an error, so a typo in a column name is not silently ignored.
* Times are ISO 8601 **with a UTC offset** (2027-03-01T09:30+01:00, or Z for UTC): a time without
  one would be read differently in each time zone. Times later than now are refused.
* Incidents: `reference` is the service desk's, unique in the file (importing it again later
  updates the stored incident); `priority` one of the agreement's priority levels (letter case
  aside; the agreement's spelling is kept); `responded_at` and `resolved_at` may be empty while the
  incident is open, are not before `reported_at`, and the response is not after the resolution;
  `paused`: the times the provider waited for the client, `start/end` intervals separated by `;`,
  within the incident's life; `excluded`: empty when the incident counts, else the reason it
  does not - the exclusion of the agreement it falls under, in words (the exclusions clause is
  prose, so the reason is kept as written, at most 500 characters, and shown with the incident in
  every report, where the other side can question it).
* Outages: `started_at`, `ended_at` (empty while it goes on; after the start) and `planned`: yes
  for maintenance notified as the exclusions clause requires, no otherwise (true/false, 1/0 too).
  An outage is known by its start: two rows with the same start are an error.

Reading is all or nothing: any problem raises SlaFileInvalid listing every problem with the line
a spreadsheet shows (the header is line 1) and the column.
"""
from __future__ import annotations

import unicodedata
from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from typing import NoReturn

from flask_babel import gettext as _
from flask_babel import ngettext

from ..inputs.csv_file import (CsvFileInvalid, KnownNames, column_positions, count, fail, header_names, records,
                               shown, text_of)

from ..models.incident import PRIORITY_MAX, REASON_MAX, REFERENCE_MAX
from .availability import OutageTimes
from .clock import IncidentTimes, merge

MAX_BYTES = 2_000_000
MAX_ROWS = 20_000
INCIDENT_COLUMNS = ("reference", "priority", "reported_at", "responded_at", "resolved_at")
INCIDENT_OPTIONAL = ("paused", "excluded")
OUTAGE_COLUMNS = ("started_at", "ended_at", "planned")
KINDS = {"incidents": (INCIDENT_COLUMNS, INCIDENT_OPTIONAL), "outages": (OUTAGE_COLUMNS, ())}
YES, NO = frozenset({"yes", "y", "true", "1"}), frozenset({"no", "n", "false", "0"})
# A clock a little ahead of ours must not make the newest rows "in the future".
CLOCK_SKEW = timedelta(minutes=5)
EXAMPLE = "2027-03-01T09:30+01:00"


@dataclass(frozen=True)
class SlaFile:
    """What a file holds: its kind ("incidents" or "outages") and its rows, in file order."""

    kind: str
    incidents: list[IncidentTimes] = field(default_factory=list)
    outages: list[OutageTimes] = field(default_factory=list)

    @property
    def rows(self) -> int:
        return len(self.incidents) + len(self.outages)


class SlaFileInvalid(CsvFileInvalid):
    """The incidents or outages file cannot be imported; `errors` names every problem (inputs.csv_file)."""


def read_sla_file(raw: bytes, levels: Collection[str], now: datetime) -> SlaFile:
    """The incidents or outages in a CSV file (see the module docstring), or SlaFileInvalid."""
    text = text_of(raw, MAX_BYTES, SlaFileInvalid)
    rows = records(text, ALL_COLUMNS, SlaFileInvalid)
    first = next(rows, None)
    if first is None:
        _fail(0, "", _("the file is empty"))
    kind, positions = _header(*first)
    reader = _RowReader(positions, _Levels(levels), now + CLOCK_SKEW)
    found = SlaFile(kind)
    data_rows = 0
    for line, cells in rows:
        if not any(cell.strip() for cell in cells):
            continue
        data_rows += 1
        if data_rows > MAX_ROWS:
            _fail(line, "", _("the file has more than %(rows)s rows", rows=count(MAX_ROWS)))
        if kind == "incidents":
            incident = reader.incident(line, cells)
            if incident is not None:
                found.incidents.append(incident)
        else:
            outage = reader.outage(line, cells)
            if outage is not None:
                found.outages.append(outage)
    if reader.errors:
        raise SlaFileInvalid(reader.errors)
    if not found.rows:
        _fail(0, "", _("the file has a header but no rows"))
    return found


class _RowReader:
    """Reads rows of one file, collecting every problem; remembers references and starts seen."""

    def __init__(self, positions: dict[str, int], levels: _Levels, latest: datetime):
        self.positions, self.levels, self.latest = positions, levels, latest
        self.errors: list[tuple[int, str, str]] = []
        self.seen: dict[object, int] = {}

    def _values(self, line: int, cells: list[str]) -> dict[str, str]:
        if any(cell.strip() for cell in cells[len(self.positions):]):
            self.errors.append((line, "", ngettext(
                "has %(values)d values but the header names %(num)d column",
                "has %(values)d values but the header names %(num)d columns", len(self.positions),
                values=len(cells))))
        return {name: cells[index].strip() if index < len(cells) else "" for name, index in self.positions.items()}

    def _error(self, line: int, column: str, message: str) -> None:
        self.errors.append((line, column, message))

    def _time(self, line: int, column: str, text: str, required: bool) -> datetime | None:
        if not text:
            if required:
                self._error(line, column, _("is missing"))
            return None
        try:
            moment = parse_instant(text)
        except ValueError as error:
            self._error(line, column, str(error))
            return None
        if moment > self.latest:
            self._error(line, column, _("%(value)s is in the future", value=shown(text)))
            return None
        return moment

    def _once(self, line: int, column: str, key: object, written: str) -> None:
        if key in self.seen:
            self._error(line, column, _("%(value)s appears again (first on line %(line)d)", value=shown(written),
                                        line=self.seen[key]))
        else:
            self.seen[key] = line

    def incident(self, line: int, cells: list[str]) -> IncidentTimes | None:
        found = len(self.errors)
        value = self._values(line, cells)
        reference = unicodedata.normalize("NFC", value["reference"])
        if not reference:
            self._error(line, "reference", _("is missing"))
        elif len(reference) > REFERENCE_MAX:
            self._error(line, "reference", _("is longer than %(num)d characters", num=REFERENCE_MAX))
        else:
            self._once(line, "reference", ("reference", reference), reference)
        priority = self.levels.match(value["priority"])
        if not value["priority"]:
            self._error(line, "priority", _("is missing"))
        elif priority is None:
            self._error(line, "priority", _("%(value)s is not a priority level of this agreement (%(expected)s)",
                                            value=shown(value["priority"]), expected=self.levels.listed()))
        reported = self._time(line, "reported_at", value["reported_at"], True)
        responded = self._time(line, "responded_at", value["responded_at"], False)
        resolved = self._time(line, "resolved_at", value["resolved_at"], False)
        if reported is not None:
            for column, moment in (("responded_at", responded), ("resolved_at", resolved)):
                if moment is not None and moment < reported:
                    self._error(line, column, _("%(value)s is before reported_at", value=shown(value[column])))
        if responded is not None and resolved is not None and responded > resolved:
            self._error(line, "responded_at", _("%(value)s is after resolved_at", value=shown(value["responded_at"])))
        pauses = self._pauses(line, value.get("paused", ""), reported, resolved)
        excluded = value.get("excluded", "")
        if len(excluded) > REASON_MAX:
            self._error(line, "excluded", _("is longer than %(num)d characters", num=REASON_MAX))
        if len(self.errors) > found:
            return None
        return IncidentTimes(reference, priority, reported, responded, resolved, pauses, excluded or None)

    def _pauses(self, line: int, text: str, reported: datetime | None,
                resolved: datetime | None) -> tuple[tuple[datetime, datetime], ...]:
        pauses = []
        for part in (p.strip() for p in text.split(";")):
            if not part:
                continue
            begin_text, slash, end_text = part.partition("/")
            if not slash:
                self._error(line, "paused", _("%(value)s is not a pause written as start/end", value=shown(part)))
                continue
            begin = self._time(line, "paused", begin_text.strip(), True)
            end = self._time(line, "paused", end_text.strip(), True)
            if begin is None or end is None:
                continue
            if end <= begin:
                self._error(line, "paused", _("the pause %(value)s does not end after it starts", value=shown(part)))
            elif reported is not None and begin < reported:
                self._error(line, "paused", _("the pause %(value)s starts before the incident was reported",
                                              value=shown(part)))
            elif resolved is not None and end > resolved:
                self._error(line, "paused", _("the pause %(value)s ends after the incident was resolved",
                                              value=shown(part)))
            else:
                pauses.append((begin, end))
        return tuple(merge(pauses))

    def outage(self, line: int, cells: list[str]) -> OutageTimes | None:
        found = len(self.errors)
        value = self._values(line, cells)
        started = self._time(line, "started_at", value["started_at"], True)
        ended = self._time(line, "ended_at", value["ended_at"], False)
        if started is not None:
            self._once(line, "started_at", ("started_at", started), value["started_at"])
            if ended is not None and ended <= started:
                self._error(line, "ended_at", _("%(value)s is not after started_at", value=shown(value["ended_at"])))
        planned = value["planned"].casefold()
        if not planned:
            self._error(line, "planned", _("is missing"))
        elif planned not in YES | NO:
            self._error(line, "planned", _("%(value)s is not yes or no", value=shown(value["planned"])))
        if len(self.errors) > found:
            return None
        return OutageTimes(started, ended, planned in YES)


def parse_instant(text: str) -> datetime:
    """An ISO 8601 date and time with its UTC offset, as an aware datetime; ValueError saying what is wrong."""
    try:
        moment = datetime.fromisoformat(text.strip())
    except ValueError:
        raise ValueError(_("%(value)s is not a date and time in ISO 8601 (for example %(example)s)",
                           value=shown(text), example=EXAMPLE)) from None
    if moment.tzinfo is None:
        raise ValueError(_("%(value)s has no UTC offset; write it with one, for example %(example)s",
                           value=shown(text), example=EXAMPLE))
    return moment.astimezone(timezone.utc)


class _Levels(KnownNames):
    """The agreement's priority levels; a name longer than a stored priority can hold matches none."""

    def match(self, text: str) -> str | None:
        found = super().match(text)
        return found if found is None or len(found) <= PRIORITY_MAX else None


ALL_COLUMNS = frozenset(INCIDENT_COLUMNS + INCIDENT_OPTIONAL + OUTAGE_COLUMNS)


def _header(line: int, header: list[str]) -> tuple[str, dict[str, int]]:
    """The file's kind and column name -> index; SlaFileInvalid naming every problem with the header."""
    names = header_names(header)
    kind = "incidents" if "reference" in names else "outages" if "started_at" in names else None
    if kind is None:
        _fail(line, "", _("the header names neither incidents (%(incidents)s) nor outages (%(outages)s)",
                          incidents=", ".join(INCIDENT_COLUMNS), outages=", ".join(OUTAGE_COLUMNS)))
    required, optional = KINDS[kind]
    return kind, column_positions(line, header, required, optional, SlaFileInvalid)


def _fail(line: int, column: str, message: str) -> NoReturn:
    fail(SlaFileInvalid, line, column, message)
