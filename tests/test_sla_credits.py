"""Service credits and availability of a measurement period, against answers worked out by hand.

The terms are the demo's: P1 (0.5 h / 4 h, around the clock), P2 (1 h / 8 h), P3 (4 h / 24 h), P4
(8 h / 80 h) on Monday-Friday 08:00-18:00 in Europe/Warsaw; credits P1 5 % below 95 %, P2 3 % below
95 %, P3 1 % below 90 %, P4 no credit; cap 15 %; monthly fee EUR 4,000.00.
"""
from __future__ import annotations

import copy
from datetime import datetime, timedelta
from decimal import Decimal

from authoring.operations.availability import OutageTimes
from authoring.operations.clock import IncidentTimes
from authoring.operations.periods import parse_period
from authoring.operations.report import report_json, service_report

TERMS = {
    "services": {
        "availability_percent": "99.5", "measurement_window": "monthly", "time_zone": "Europe/Warsaw",
        "support_hours": {"days": ["mon", "tue", "wed", "thu", "fri"], "opens": "08:00", "closes": "18:00",
                          "holidays": "PL", "highest_priority_around_the_clock": True},
        "priorities": [
            {"level": "P1", "definition": "down", "response_hours": "0.5", "resolution_hours": "4"},
            {"level": "P2", "definition": "degraded", "response_hours": "1", "resolution_hours": "8"},
            {"level": "P3", "definition": "minor", "response_hours": "4", "resolution_hours": "24"},
            {"level": "P4", "definition": "request", "response_hours": "8", "resolution_hours": "80"},
        ],
    },
    "costs": {"currency": "EUR", "monthly_fee": "4000.00"},
    "sanctions": {
        "credits": [
            {"priority": "P1", "threshold_percent": "95", "credit_percent": "5", "no_credit": False},
            {"priority": "P2", "threshold_percent": "95", "credit_percent": "3", "no_credit": False},
            {"priority": "P3", "threshold_percent": "90", "credit_percent": "1", "no_credit": False},
            {"priority": "P4", "threshold_percent": None, "credit_percent": None, "no_credit": True},
        ],
        "credit_cap_percent": "15",
    },
}
MARCH = parse_period("2027-03", "monthly", "Europe/Warsaw")
LATER = datetime.fromisoformat("2027-06-01T00:00+00:00")
# Weekdays of March 2027 without holidays, at 10:00 CET (before the change to summer time on the 28th).
DAYS = [f"2027-03-{day:02d}T10:00+01:00" for day in (1, 2, 3, 4, 5, 8, 9, 10, 11, 12, 15, 16, 17, 18, 19, 22, 23, 24,
                                                    25, 26)]


def incidents(priority: str, met: int, missed: int, prefix: str | None = None, late: timedelta = timedelta(days=2),
              **extra) -> list[IncidentTimes]:
    """`met` incidents answered in 10 minutes and fixed in 20, then `missed` ones fixed only `late` (2 days)."""
    rows = []
    for index in range(met + missed):
        reported = datetime.fromisoformat(DAYS[index % len(DAYS)]) + timedelta(minutes=index // len(DAYS))
        fixed = timedelta(minutes=20) if index < met else late
        rows.append(IncidentTimes(f"{prefix or priority}-{index + 1}", priority, reported,
                                  reported + timedelta(minutes=10), reported + fixed, **extra))
    return rows


def report(rows, terms=TERMS, outages=(), period=MARCH, as_of=LATER):
    return service_report(terms, rows, outages, period, as_of)


def figures(result, priority):
    return next(f for f in result.priorities if f.priority == priority)


def test_exactly_at_the_threshold_gives_no_credit_and_just_below_does():
    # P1: 19 of 20 met is 95 % exactly: no credit. P2: 18 of 19 is 94.73...%: below 95 %, 3 %.
    result = report(incidents("P1", 19, 1) + incidents("P2", 18, 1))
    p1, p2 = figures(result, "P1"), figures(result, "P2")
    assert (p1.incidents, p1.met, p1.share_met_percent, p1.credit_percent, p1.rule) == (
        20, 19, Decimal("95.00"), 0, "at_or_above_threshold")
    assert (p2.incidents, p2.met, p2.share_met_percent, p2.credit_percent, p2.rule) == (
        19, 18, Decimal("94.73"), 3, "below_threshold")
    assert p2.missed_references == ("P2-19",)
    # 3 % of EUR 4,000.00.
    assert (result.credits.total_percent, result.credits.amount, result.credits.currency) == (3, Decimal("120.00"), "EUR")
    assert not result.credits.capped


def test_the_cap_limits_the_total():
    terms = copy.deepcopy(TERMS)
    terms["sanctions"]["credits"][0]["credit_percent"] = "10"
    terms["sanctions"]["credits"][1]["credit_percent"] = "8"
    result = report(incidents("P1", 1, 1) + incidents("P2", 0, 2), terms)
    # 10 % + 8 % = 18 %, over the 15 % cap: 15 % of 4,000.00 = 600.00.
    assert (result.credits.uncapped_percent, result.credits.total_percent, result.credits.capped) == (18, 15, True)
    assert result.credits.amount == Decimal("600.00")
    data = report_json(result)
    assert (data["credit_total_percent"], data["credit_uncapped_percent"], data["credit_amount"]) == ("15", "18", "600.00")


def test_a_row_that_says_no_credit_gives_none_however_bad_the_month():
    # Three P4 requests fixed after three weeks (far beyond 80 support hours): all missed.
    result = report(incidents("P4", 0, 3, late=timedelta(days=21)))
    p4 = figures(result, "P4")
    assert (p4.incidents, p4.met, p4.share_met_percent, p4.credit_percent, p4.rule) == (3, 0, Decimal("0.00"), 0,
                                                                                          "no_credit")
    assert result.credits.total_percent == 0 and result.credits.amount == Decimal("0.00")


def test_a_priority_without_incidents_earns_no_credit():
    p3 = figures(report(incidents("P1", 1, 0)), "P3")
    assert (p3.incidents, p3.share_met_percent, p3.credit_percent, p3.rule) == (0, None, 0, "no_incidents")


def test_excluded_incidents_do_not_count():
    # 19 of 20 met is exactly 95 %; a 21st, missed but excluded, leaves it there.
    excluded = incidents("P1", 0, 1, prefix="X", excluded="Client's firewall change without notice")
    result = report(incidents("P1", 19, 1) + excluded)
    assert (figures(result, "P1").incidents, figures(result, "P1").credit_percent) == (20, 0)
    assert [r.incident.reference for r in result.excluded] == ["X-1"]
    assert report_json(result)["excluded_incidents"][0]["excluded"] == "Client's firewall change without notice"


def test_an_incident_counts_in_the_period_its_outcome_became_certain():
    # P3 reported on 31 March 16:00 and fixed on 1 April 12:00 (4 h of 24 used): open in March, met in April.
    # P2 reported on 31 March 09:00 and still open: its 8 h ran out at 17:00 the same day: missed in March.
    rows = [IncidentTimes("LATE", "P3", datetime.fromisoformat("2027-03-31T16:00+02:00"),
                          datetime.fromisoformat("2027-03-31T16:30+02:00"),
                          datetime.fromisoformat("2027-04-01T12:00+02:00")),
            IncidentTimes("STUCK", "P2", datetime.fromisoformat("2027-03-31T09:00+02:00"),
                          datetime.fromisoformat("2027-03-31T09:20+02:00"))]
    march = report(rows)
    assert [r.incident.reference for r in march.open] == ["LATE"]
    assert figures(march, "P2").missed_references == ("STUCK",) and figures(march, "P3").incidents == 0
    april = report(rows, period=parse_period("2027-04", "monthly", "Europe/Warsaw"))
    assert figures(april, "P3").met_references == ("LATE",) and figures(april, "P2").incidents == 0
    # Measured on 31 March at 12:00 (the period not over): STUCK is still within its time, LATE not reported yet.
    midday = report(rows, as_of=datetime.fromisoformat("2027-03-31T12:00+02:00"))
    assert [r.incident.reference for r in midday.open] == ["STUCK"] and "period_not_ended" in midday.notes


def test_availability_leaves_planned_maintenance_out():
    def outage(start, end, planned=False):
        return OutageTimes(datetime.fromisoformat(start), datetime.fromisoformat(end) if end else None, planned)

    outages = [
        # 60 minutes down, 30 of them in February: 30 count.
        outage("2027-02-28T23:30+01:00", "2027-03-01T00:30+01:00"),
        # Unplanned 10:00-11:00 inside planned maintenance 10:30-12:00: 30 minutes down, 90 planned.
        outage("2027-03-10T10:00+01:00", "2027-03-10T11:00+01:00"),
        outage("2027-03-10T10:30+01:00", "2027-03-10T12:00+01:00", planned=True),
        # Two overlapping reports of one outage: 14:00-14:45, counted once (45 minutes).
        outage("2027-03-15T14:00+01:00", "2027-03-15T14:30+01:00"),
        outage("2027-03-15T14:15+01:00", "2027-03-15T14:45+01:00"),
    ]
    available = report([], outages=outages).availability
    # March in Warsaw: 31 days less the hour of the change to summer time = 44,580 minutes; less 90 planned
    # = 44,490; down 30 + 30 + 45 = 105: (44,490 - 105) / 44,490 = 99.76399...%.
    assert available.measured == timedelta(minutes=44_490) and available.planned == timedelta(minutes=90)
    assert available.unplanned == timedelta(minutes=105)
    assert available.percent == Decimal("99.763") and available.met is True
    data = report_json(report([], outages=outages))
    assert (data["availability_percent"], data["availability_met"]) == ("99.763", True)


def test_availability_below_target_and_an_outage_still_going_on():
    # Down from 29 March 12:00 CEST to the end of March (still going on): 60 h of 44,580 minutes.
    outage = OutageTimes(datetime.fromisoformat("2027-03-29T12:00+02:00"), None, False)
    available = report([], outages=[outage]).availability
    assert available.unplanned == timedelta(hours=60)
    # (44,580 - 3,600) / 44,580 = 91.9246...%
    assert (available.percent, available.met) == (Decimal("91.924"), False)


def test_money_has_the_currency_decimals():
    yen = copy.deepcopy(TERMS)
    yen["costs"] = {"currency": "JPY", "monthly_fee": "333333"}
    # 3 % of 333,333 yen is 9,999.99: yen have no decimals, so 10,000.
    assert report(incidents("P2", 0, 1), yen).credits.amount == Decimal("10000")
    odd = copy.deepcopy(TERMS)
    odd["costs"]["monthly_fee"] = "1234.56"
    # 3 % of 1,234.56 is 37.0368: 37.04.
    assert report(incidents("P2", 0, 1), odd).credits.amount == Decimal("37.04")
    no_fee = copy.deepcopy(TERMS)
    del no_fee["costs"]["monthly_fee"]
    result = report(incidents("P2", 0, 1), no_fee)
    assert result.credits.amount is None and "no_monthly_fee" in result.notes


def test_a_credit_row_is_found_however_its_priority_is_written_by_the_report_and_the_openslo_export_alike():
    from decimal import Decimal

    from authoring.export.openslo import _credit_threshold
    from authoring.operations.credits import credit_row

    terms = {"sanctions": {"credits": [{"priority": " p1 ", "threshold_percent": "95", "credit_percent": "5"},
                                       {"priority": "P1", "threshold_percent": "50", "credit_percent": "1"}]}}
    row = credit_row(terms, "P1")
    assert (row.priority, row.threshold_percent, row.credit_percent) == ("p1", Decimal("95"), Decimal("5"))
    assert _credit_threshold(terms, "P1") == (Decimal("95"), Decimal("5"))
    assert credit_row(terms, "P2") is None
