"""The agreement's service levels as OpenSLO v1 objects (`apiVersion: openslo/v1`), for the provider's monitoring.

One revision's terms become a multi-document YAML file: a `Service` for the agreement,
then for every service level an `SLI` stub naming what must be measured and the `SLO`
holding the agreement's target:

- availability (`services.availability_percent`): `RatioTimeslices` over one-minute
  slices, each slice's ratio being the share of it the services were available - averaged
  over the period that is exactly the clause's "available minutes divided by all minutes";
- response and resolution of each priority (`services.priorities[*]`): `Occurrences`, the
  share of the period's incidents of that priority that met the time.

Targets. Availability: the agreed percentage (99.5 -> 0.995). Incidents: the share the
Service credits table (`sanctions.credits`) names as its threshold for that priority - below
it a credit is due, so it is what the provider's monitoring must protect. Where the table
gives none (a no-credit row, no row, or no table) the agreement expects every incident to
meet its time; OpenSLO v1 admits targets in [0, 1) only, so such a level carries EVERY
(0.999999): with fewer than a million incidents in a period one miss breaks it. The
annotation `accord/target-basis` says which rule gave each target.

The period is the agreement's measurement window (`services.measurement_window`, a
calendar month unless it says quarter), calendar-aligned in the agreement's time zone
from the start of the month (quarter) in which the agreement takes effect.

Names are RFC 1123 labels that stay put from revision to revision: `agreement-12` (the
Service), `agreement-12-availability`, `agreement-12-p1-response`, `agreement-12-p1-resolution`
(the SLOs) and the same with `-sli` (their indicators). terms.json gives each service
level its SLO name from `level_names`, so the two files cannot disagree.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import yaml
from flask_babel import gettext as _

from ..document import Document
from ..document.terms import term_value
from ..i18n import in_language
from ..library.formatting import FILTERS, as_decimal, is_blank
from ..operations.credits import credit_row
from .records import ExportInfo

API_VERSION = "openslo/v1"
INCIDENTS = "accord-incidents"  # metricSource.type of what the incident import (SLA clock) counts
OUTAGES = "accord-outages"  # ... and of what the outage import measures
EVERY = 0.999999  # "every incident": the highest target written here, OpenSLO's targets stopping short of 1
MAX_NAME = 63  # RFC 1123 label
MAX_DISPLAY_NAME = 63  # the OpenSLO SDK's limit on metadata.displayName
MAX_DESCRIPTION = 1050
MEASURES = ("response", "resolution")


# Names ------------------------------------------------------------------------------------

@dataclass(frozen=True)
class PriorityNames:
    """The SLO names of one row of services.priorities (None: that time is not stated)."""

    response: str | None
    resolution: str | None


@dataclass(frozen=True)
class LevelNames:
    """Every service level's SLO name; `priorities` runs parallel to the terms' list of priorities."""

    service: str
    availability: str | None
    priorities: tuple[PriorityNames, ...]


def service_name(agreement_id: int) -> str:
    return f"agreement-{agreement_id}"


def _slug(text: str) -> str:
    """Lower-case ASCII letters, digits and hyphens ("Priority 1 (critical)" -> "priority-1-critical")."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


def _hours(value: Any) -> Decimal | None:
    amount = as_decimal(value)
    return amount if amount is not None and amount > 0 else None


def _priority_slugs(agreement_id: int, rows: list[Any]) -> list[str | None]:
    """A slug per row (None for a row that names no level): the level's own where it has one that fits
    and is not taken, else `priority-N` by its place in the table."""
    room = MAX_NAME - len(f"{service_name(agreement_id)}--resolution-sli")
    slugs: list[str | None] = []
    for index, row in enumerate(rows, start=1):
        level = row.get("level") if isinstance(row, dict) else None
        if is_blank(level):
            slugs.append(None)  # an incident names its priority: a row without one cannot be measured
            continue
        slug = _slug(str(level))[:room].strip("-")
        if not slug or slug in slugs:
            slug = f"priority-{index}"
        slugs.append(slug)
    return slugs


def level_names(agreement_id: int, terms: dict[str, Any]) -> LevelNames:
    """The SLO name of every service level the terms state (pure: no app, no database)."""
    base = service_name(agreement_id)
    rows = term_value(terms, "services.priorities")
    rows = rows if isinstance(rows, list) else []
    priorities = []
    for row, slug in zip(rows, _priority_slugs(agreement_id, rows)):
        stated = {measure: slug is not None and _hours(row.get(f"{measure}_hours")) is not None for measure in MEASURES}
        priorities.append(PriorityNames(*(f"{base}-{slug}-{measure}" if stated[measure] else None for measure in MEASURES)))
    availability = _availability(terms)
    return LevelNames(base, f"{base}-availability" if availability is not None else None, tuple(priorities))


def _availability(terms: dict[str, Any]) -> Decimal | None:
    percent = as_decimal(term_value(terms, "services.availability_percent"))
    return percent if percent is not None and 0 < percent <= 100 else None


# Objects ----------------------------------------------------------------------------------

def openslo_objects(document: Document, info: ExportInfo) -> list[dict[str, Any]]:
    """The Service, then each service level's SLI and SLO, with texts in the agreement's language."""
    with in_language(info.language):
        return _objects(document.terms, info)


def openslo_yaml(document: Document, info: ExportInfo) -> bytes:
    """The objects as one YAML stream, each document opened by `---`, UTF-8, keys in the spec's order."""
    header = (f"# OpenSLO v1 ({API_VERSION}): the service levels of agreement {info.agreement_id}, "
              f"revision {info.revision_number} (SHA-256 {info.revision_hash}).\n")
    body = yaml.safe_dump_all(openslo_objects(document, info), explicit_start=True, sort_keys=False,
                              allow_unicode=True, width=100)
    return (header + body).encode("utf-8")


def _objects(terms: dict[str, Any], info: ExportInfo) -> list[dict[str, Any]]:
    names = level_names(info.agreement_id, terms)
    language = info.language
    common = _Common(names.service, info, _time_window(terms, info), _period_sentence(terms))
    provider = _text(term_value(terms, "parties.provider.name")) or info.provider_name
    client = _text(term_value(terms, "parties.client.name")) or info.client_name
    objects = [_object("Service", names.service, info.title, {
        "description": _clip(_("The Services that %(provider)s provides to %(client)s under the agreement “%(title)s”.",
                               provider=provider, client=client, title=info.title), MAX_DESCRIPTION)}, info)]

    availability = _availability(terms)
    if names.availability is not None and availability is not None:
        percent = FILTERS["percent"]({"lang": language}, str(availability))
        objects += common.level(
            names.availability, "availability", "services.availability_percent", None,
            sli_display=_("Time the Services were available"),
            sli_description=_("Good: the time in the period during which the Services were available. Total: the whole "
                              "period. Planned maintenance notified as the agreement requires, and the other "
                              "exclusions it sets out, are left out."),
            ratio=_ratio(False, OUTAGES, {"measure": "available-time"}, {"measure": "total-time"}, info),
            slo_display=_("Availability: %(percent)s", percent=percent),
            slo_description=_("The Services must be available at least %(percent)s of the time in each measurement "
                              "period, leaving out the exclusions set out in the agreement.", percent=percent),
            budgeting="RatioTimeslices",
            objective={"target": _fraction(availability / 100), "timeSliceWindow": "1m"},
            basis="agreed-availability")

    rows = term_value(terms, "services.priorities")
    for index, (row, row_names) in enumerate(zip(rows if isinstance(rows, list) else [], names.priorities)):
        for measure in MEASURES:
            name = getattr(row_names, measure)
            if name is None:
                continue
            level, hours = str(row["level"]).strip(), str(_hours(row[f"{measure}_hours"]))
            threshold, credit = _credit_threshold(terms, level)
            good = {"priority": level, "measure": measure, "withinHours": hours, "count": "met"}
            words = _measure_words(measure, level, FILTERS["hours"]({"lang": language}, hours))
            basis_sentence = (_("The target is the share of incidents below which the Service credits table gives a "
                                "credit of %(credit)s of the monthly fee; that credit counts the incidents that met "
                                "both their response and their resolution time.",
                                credit=FILTERS["percent"]({"lang": language}, str(credit)))
                              if threshold is not None else
                              _("The agreement expects every incident to meet this time and names no lower share; "
                                "OpenSLO targets stop short of 1, so the target is the highest one written here."))
            objects += common.level(
                name, measure, f"services.priorities[{index}].{measure}_hours", level,
                sli_display=words["sli_display"], sli_description=words["sli_description"],
                ratio=_ratio(True, INCIDENTS, good, {"priority": level, "count": "all"}, info),
                slo_display=words["slo_display"],
                slo_description=f"{words['slo_description']} {basis_sentence}",
                budgeting="Occurrences",
                objective={"target": _fraction(threshold / 100) if threshold is not None else EVERY},
                basis="credit-threshold" if threshold is not None else "every-incident")
    return objects


@dataclass(frozen=True)
class _Common:
    service: str
    info: ExportInfo
    time_window: dict[str, Any]
    period: str

    def level(self, name: str, measure: str, term: str, priority: str | None, *, sli_display: str,
              sli_description: str, ratio: dict[str, Any], slo_display: str, slo_description: str,
              budgeting: str, objective: dict[str, Any], basis: str) -> list[dict[str, Any]]:
        """One service level: its SLI stub and its SLO."""
        labels = {"agreement": str(self.info.agreement_id), "measure": measure,
                  **({"priority": priority} if priority is not None else {})}
        sli = _object("SLI", f"{name}-sli", sli_display, {
            "description": _clip(sli_description, MAX_DESCRIPTION), "ratioMetric": ratio}, self.info, labels,
            {"accord/term": term})
        slo = _object("SLO", name, slo_display, {
            "description": _clip(f"{slo_description} {self.period}", MAX_DESCRIPTION),
            "service": self.service,
            "indicatorRef": f"{name}-sli",
            "timeWindow": [self.time_window],
            "budgetingMethod": budgeting,
            "objectives": [objective],
        }, self.info, labels, {"accord/term": term, "accord/target-basis": basis})
        return [sli, slo]


def _object(kind: str, name: str, display: str, spec: dict[str, Any], info: ExportInfo,
            labels: dict[str, str] | None = None, annotations: dict[str, str] | None = None) -> dict[str, Any]:
    metadata: dict[str, Any] = {"name": name, "displayName": _clip(display, MAX_DISPLAY_NAME),
                                "labels": labels or {"agreement": str(info.agreement_id)},
                                "annotations": {"accord/revision": str(info.revision_number),
                                                "accord/revision-sha256": info.revision_hash, **(annotations or {})}}
    return {"apiVersion": API_VERSION, "kind": kind, "metadata": metadata, "spec": spec}


def _ratio(counter: bool, source: str, good: dict[str, str], total: dict[str, str], info: ExportInfo) -> dict[str, Any]:
    """A ratioMetric good/total, both read from our metric source for this agreement."""
    def metric(spec: dict[str, str]) -> dict[str, Any]:
        return {"metricSource": {"type": source, "spec": {"agreement": str(info.agreement_id), **spec}}}
    return {"counter": counter, "good": metric(good), "total": metric(total)}


def _measure_words(measure: str, level: str, hours: str) -> dict[str, str]:
    clock = _("Times run on the agreement's clock (its support hours, or around the clock where it says so), stop "
              "while the Provider waits for the Client, and excluded incidents are left out.")
    if measure == "response":
        return {
            "slo_display": _("%(priority)s response time: %(hours)s", priority=level, hours=hours),
            "slo_description": _("Each incident of priority %(priority)s must be responded to within %(hours)s.",
                                 priority=level, hours=hours),
            "sli_display": _("%(priority)s incidents responded to in time", priority=level),
            "sli_description": _("Good: incidents of priority %(priority)s responded to within %(hours)s. Total: all "
                                 "incidents of that priority in the period.", priority=level, hours=hours) + " " + clock,
        }
    return {
        "slo_display": _("%(priority)s resolution time: %(hours)s", priority=level, hours=hours),
        "slo_description": _("Each incident of priority %(priority)s must be resolved within %(hours)s.",
                             priority=level, hours=hours),
        "sli_display": _("%(priority)s incidents resolved in time", priority=level),
        "sli_description": _("Good: incidents of priority %(priority)s resolved within %(hours)s. Total: all incidents "
                             "of that priority in the period.", priority=level, hours=hours) + " " + clock,
    }


def _credit_threshold(terms: dict[str, Any], level: str) -> tuple[Decimal | None, Decimal | None]:
    """(threshold percent, credit percent) of the Service credits row for `level`, or (None, None) where the
    row gives no credit, has no threshold below 100, or there is no row."""
    row = credit_row(terms, level)
    if row is None or row.no_credit or row.threshold_percent is None or not 0 < row.threshold_percent < 100:
        return None, None
    return row.threshold_percent, row.credit_percent if row.credit_percent is not None else Decimal(0)


def _fraction(value: Decimal) -> float:
    """A share as OpenSLO writes it (a number in [0, 1)); 100 % cannot be written, so it becomes EVERY."""
    return float(value) if value < 1 else EVERY


# The period -------------------------------------------------------------------------------

def _quarterly(terms: dict[str, Any]) -> bool:
    return term_value(terms, "services.measurement_window") == "quarterly"


def _time_zone(terms: dict[str, Any]) -> str:
    """The agreement's IANA time zone; UTC where it names none that exists."""
    zone = _text(term_value(terms, "services.time_zone"))
    if zone:
        try:
            ZoneInfo(zone)
            return zone
        except (ZoneInfoNotFoundError, ValueError):
            pass
    return "UTC"


def _time_window(terms: dict[str, Any], info: ExportInfo) -> dict[str, Any]:
    """A calendar-aligned window: a month (or quarter) starting at the first period the agreement is in effect."""
    try:
        start = date.fromisoformat(str(term_value(terms, "timeline.effective_date")))
    except ValueError:
        start = info.revision_created_at.date()
    month = (start.month - 1) // 3 * 3 + 1 if _quarterly(terms) else start.month
    return {"duration": "1Q" if _quarterly(terms) else "1M", "isRolling": False,
            "calendar": {"startTime": f"{start.year:04d}-{month:02d}-01 00:00:00", "timeZone": _time_zone(terms)}}


def _period_sentence(terms: dict[str, Any]) -> str:
    if _quarterly(terms):
        return _("Measured per calendar quarter in the %(zone)s time zone.", zone=_time_zone(terms))
    return _("Measured per calendar month in the %(zone)s time zone.", zone=_time_zone(terms))


# Text -------------------------------------------------------------------------------------

def _text(value: Any) -> str:
    return "" if is_blank(value) else str(value).strip()


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[:limit - 1].rstrip() + "…"
