"""The service pages' words for the machine words of the figures, in the interface language."""
from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from flask_babel import format_decimal, gettext, pgettext
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


def claim_sentence(kind: str, deadline: str | None, clause_number: str | None, has_credit: bool) -> str:
    """How the period's credits are claimed or deducted, in the current language (the page's or the
    agreement's); `deadline` is the last day to claim, already written as a date."""
    from .monthly import AS_THE_CLAUSE_SAYS, CLAIM_BY_REQUEST, DEDUCTED_AUTOMATICALLY  # noqa: PLC0415
    if not has_credit:
        return gettext("No service credit is due for this period.")
    if kind == CLAIM_BY_REQUEST:
        return gettext("The Client claims the credit by written request no later than %(date)s (thirty days "
                       "after this report became available, under clause %(clause)s); a credit not claimed in "
                       "time lapses.", date=deadline, clause=clause_number)
    if kind == DEDUCTED_AUTOMATICALLY:
        return gettext("No claim is needed: under clause %(clause)s the Provider deducts the credit from its next "
                       "invoice after this report.", clause=clause_number)
    if kind == AS_THE_CLAUSE_SAYS:
        return gettext("The credit is claimed or deducted as clause %(clause)s (Service credits) states.",
                       clause=clause_number)
    return gettext("The agreement has no Service credits clause: the credit shown is what its table gives, to be "
                   "settled as the Parties agree.")


def dispute_status_words() -> dict[str, str]:
    """A dispute's status in the current language."""
    return {"open": pgettext("dispute status", "open"), "accepted": pgettext("dispute status", "accepted"),
            "rejected": pgettext("dispute status", "rejected"), "escalated": pgettext("dispute status", "escalated")}
