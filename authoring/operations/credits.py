"""Service credits for a measurement period, from the incidents measured and the Service credits table.

Per priority: the incidents that count in the period (decided in it and not excluded, see
clock.py), how many met their service level, and the share met. The Service credits table
(`sanctions.credits`: priority, threshold_percent, credit_percent, no_credit) then gives:

* a credit of `credit_percent` when the share met is **below** `threshold_percent`;
* no credit when it is exactly at the threshold or above it;
* no credit where the row says `no_credit`, where the table has no row for the priority, or in a
  period with no incidents of that priority (nothing was missed).

The shares are compared exactly (met × 100 < threshold × incidents); they are shown rounded down
to two decimals, so a share shown as 95.00 never earned a credit against a 95 % threshold.

The credits of all priorities add up to a total, capped by `sanctions.credit_cap_percent` (when
set). The amount is that total as a percentage of `costs.monthly_fee`, in `costs.currency`,
rounded half up to the currency's decimals (CLDR, through Babel: two for EUR, none for JPY).
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from babel.numbers import get_currency_precision

from .clock import MET, IncidentResult

SHOWN = Decimal("0.01")

# Why a priority's credit is what it is (machine words; the report page words them).
BELOW_THRESHOLD = "below_threshold"
AT_OR_ABOVE_THRESHOLD = "at_or_above_threshold"
NO_CREDIT = "no_credit"
NO_ROW = "no_row"
NO_INCIDENTS = "no_incidents"


def decimal_or_none(value: Any) -> Decimal | None:
    """A finite number from a term's value ("95", 95, "4000.00"), else None."""
    if value is None or isinstance(value, bool):
        return None
    try:
        number = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        return None
    return number if number.is_finite() else None


@dataclass(frozen=True)
class CreditRow:
    """One row of the Service credits table."""

    priority: str
    threshold_percent: Decimal | None
    credit_percent: Decimal | None
    no_credit: bool


def credit_row(terms: dict[str, Any], level: str) -> CreditRow | None:
    """The Service credits table's row for priority `level`, matched as people write it ("p1" is "P1"; the
    first row of a priority wins), or None. The report and the OpenSLO export both read it here."""
    wanted = level.strip().casefold()
    for row in ((terms.get("sanctions") or {}).get("credits")) or []:
        if isinstance(row, dict) and str(row.get("priority") or "").strip().casefold() == wanted:
            return CreditRow(str(row["priority"]).strip(), decimal_or_none(row.get("threshold_percent")),
                             decimal_or_none(row.get("credit_percent")), bool(row.get("no_credit")))
    return None


@dataclass(frozen=True)
class PriorityFigures:
    """One priority in one period: the figures, the credit and the incidents behind them."""

    priority: str
    incidents: int
    met: int
    share_met_percent: Decimal | None  # None: no incidents counted
    threshold_percent: Decimal | None
    credit_percent: Decimal
    rule: str  # why the credit is what it is: one of the words above
    met_references: tuple[str, ...]
    missed_references: tuple[str, ...]


def priority_figures(priority: str, counted: Iterable[IncidentResult], row: CreditRow | None) -> PriorityFigures:
    """The figures of `priority` from its incidents that count in the period."""
    results = sorted(counted, key=lambda r: (r.decided_at, r.incident.reference))
    met = tuple(r.incident.reference for r in results if r.status == MET)
    missed = tuple(r.incident.reference for r in results if r.status != MET)
    total = len(results)
    share = (Decimal(len(met)) * 100 / total).quantize(SHOWN, rounding=ROUND_DOWN) if total else None
    threshold = row.threshold_percent if row is not None else None
    credit, rule = Decimal(0), NO_ROW
    if row is not None and row.no_credit:
        rule = NO_CREDIT
    elif row is not None and (threshold is None or row.credit_percent is None):
        rule = NO_CREDIT  # a row without both figures gives nothing to apply
    elif row is not None and not total:
        rule = NO_INCIDENTS
    elif row is not None:
        below = len(met) * 100 < threshold * total
        rule = BELOW_THRESHOLD if below else AT_OR_ABOVE_THRESHOLD
        credit = row.credit_percent if below else Decimal(0)
    return PriorityFigures(priority, total, len(met), share, threshold, credit, rule, met, missed)


@dataclass(frozen=True)
class Credits:
    """The period's credits: the sum of the priorities' credits, capped, and as an amount of money."""

    uncapped_percent: Decimal
    cap_percent: Decimal | None
    total_percent: Decimal
    capped: bool
    monthly_fee: Decimal | None
    currency: str | None
    amount: Decimal | None  # None: the terms state no monthly fee (or no currency)


def currency_decimals(currency: str) -> int:
    """How many decimals the currency is written with (CLDR)."""
    return get_currency_precision(currency)


def credits_due(figures: Iterable[PriorityFigures], terms: dict[str, Any]) -> Credits:
    """The total credit of the period's `figures`, capped, and its amount in the agreement's currency."""
    uncapped = sum((f.credit_percent for f in figures), Decimal(0))
    cap = decimal_or_none((terms.get("sanctions") or {}).get("credit_cap_percent"))
    total = min(uncapped, cap) if cap is not None else uncapped
    costs = terms.get("costs") or {}
    fee = decimal_or_none(costs.get("monthly_fee"))
    currency = str(costs.get("currency") or "").strip().upper() or None
    amount = None
    if fee is not None and currency is not None:
        step = Decimal(1).scaleb(-currency_decimals(currency))
        amount = (fee * total / 100).quantize(step, rounding=ROUND_HALF_UP)
    return Credits(uncapped, cap, total, total < uncapped, fee, currency, amount)
