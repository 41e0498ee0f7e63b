"""The portfolio's charts: SLA hit rate per month, overall and per agreement, as small SVG bar charts.

Words in the interface language; each chart's <desc> lists every figure, and the page shows the
same figures in a table, so nothing is only in the picture.
"""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask_babel import gettext as _
from markupsafe import Markup

from ..render.bars import share_bars_svg
from .portfolio import Portfolio


def _bars(rows, month_name: Callable, percent: Callable) -> list[tuple[str, Any, str]]:
    return [(month_name(row.first_day), row.share_met, percent(row.share_met)) for row in rows]


def _desc(bars) -> str:
    return "; ".join(f"{label}: {shown}" for label, _share, shown in bars)


def portfolio_charts(figures: Portfolio, month_name: Callable, percent: Callable) -> dict[Any, Markup]:
    """"overall" and each agreement id → its chart."""
    overall = _bars(figures.totals, month_name, percent)
    charts: dict[Any, Markup] = {
        "overall": share_bars_svg(_("SLA hit rate per month across your agreements"), _desc(overall), overall)}
    for agreement in figures.agreements:
        if agreement.months:
            bars = _bars(agreement.months, month_name, percent)
            charts[agreement.agreement_id] = share_bars_svg(
                _("SLA hit rate per month: %(title)s", title=agreement.title), _desc(bars), bars,
                key=str(agreement.agreement_id))
    return charts
