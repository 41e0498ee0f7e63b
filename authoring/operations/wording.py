"""The service pages' words for the machine words of the figures, in the interface language."""
from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from flask_babel import format_decimal, pgettext
from flask_babel import lazy_gettext as _l

from .clock import MET, MISSED, OPEN
from .credits import AT_OR_ABOVE_THRESHOLD, BELOW_THRESHOLD, NO_CREDIT, NO_INCIDENTS, NO_ROW
from .report import NO_MONTHLY_FEE, PERIOD_NOT_ENDED, SUPPORT_HOURS_UNREAD, UNKNOWN_PRIORITY


def status_words() -> dict[str, str]:
    """An incident's result in the interface language (its own context: "open" agrees with "incident")."""
    return {MET: pgettext("incident result", "met"), MISSED: pgettext("incident result", "missed"),
            OPEN: pgettext("incident result", "open")}


RULE_WORDS = {
    BELOW_THRESHOLD: _l("below the threshold: credit due"),
    AT_OR_ABOVE_THRESHOLD: _l("at or above the threshold: no credit"),
    NO_CREDIT: _l("the table gives no credit for this level"),
    NO_ROW: _l("not in the Service credits table"),
    NO_INCIDENTS: _l("no incidents: no credit"),
}
NOTE_WORDS = {
    SUPPORT_HOURS_UNREAD: _l("The support hours are free text that could not be read as days and times: every "
                             "priority was measured around the clock. Restate them in the interview."),
    NO_MONTHLY_FEE: _l("The terms state no monthly fee (or no currency), so no amount is given for the credit."),
    UNKNOWN_PRIORITY: _l("Some incidents have a priority the terms in force do not define; they are not measured."),
    PERIOD_NOT_ENDED: _l("This period has not ended: the figures are those so far and may still change."),
}


def hours_word(span: timedelta) -> str:
    """A time on the clock in hours, as the interface language writes numbers ("1.5", "1,5")."""
    hours = Decimal(span // timedelta(microseconds=1)) / Decimal(3_600_000_000)
    return format_decimal(hours.quantize(Decimal("0.01")), format="#,##0.##")
