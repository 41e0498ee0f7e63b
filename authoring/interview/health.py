"""Health checks: rules that make an agreement realistic and complete ("promise nothing that cannot be delivered").

Each rule reads the terms and returns the problems it finds, each with the step that
fixes it. A rule with nothing to check (say, no milestones yet) passes; whether the
interview is complete is the steps' business.
"""
from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any, Callable, Iterator

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from ..document import Document, sha256_hex
from ..document.terms import with_term
from ..library import ClauseLibrary
from ..library.binding import BindingConflict, clause_bound, library_bound, rebind, render_slot
from ..library.formatting import as_decimal, is_blank
from ..operations.support_hours import is_time_zone, support_hours_of
from . import hours_form
from .steps import STAGES, get, stage_word, term_name


@dataclass(frozen=True)
class Rule:
    id: str
    title: str  # lazy, or produced in the reader's language
    step: str
    check: Callable[[dict[str, Any]], Iterator[str]] | None
    clause_key: str | None = None  # a rule about one clause's text: fixed by rewording that clause


@dataclass(frozen=True)
class Finding:
    rule: Rule
    message: str


def _date(value: Any) -> datetime.date | None:
    try:
        return None if is_blank(value) else datetime.date.fromisoformat(value)
    except (TypeError, ValueError):
        return None


def _rows(terms, path) -> list[dict]:
    rows = get(terms, path)
    return [row for row in rows if isinstance(row, dict)] if isinstance(rows, list) else []


# The rules ------------------------------------------------------------------------------

def response_within_resolution(terms):
    for row in _rows(terms, "services.priorities"):
        response, resolution = as_decimal(row.get("response_hours")), as_decimal(row.get("resolution_hours"))
        if response is not None and resolution is not None and response > resolution:
            yield _("Priority %(level)s: the response time (%(response)s h) is longer than "
                    "the resolution time (%(resolution)s h).", level=row.get('level') or '?', response=response,
                    resolution=resolution)


def service_levels_have_targets(terms):
    for row in _rows(terms, "services.priorities"):
        if as_decimal(row.get("response_hours")) is None or as_decimal(row.get("resolution_hours")) is None:
            yield _("Priority %(level)s needs both a response and a resolution time.", level=row.get('level') or '?')


def availability_is_realistic(terms):
    target = as_decimal(get(terms, "services.availability_percent"))
    if target is not None and target >= 100:
        yield _("An availability target of 100% cannot be delivered; agree a realistic one (for example 99.5%).")


def term_dates_in_order(terms):
    start, end = _date(get(terms, "timeline.effective_date")), _date(get(terms, "timeline.end_date"))
    if start and end and end <= start:
        yield _("The end date must come after the effective date.")


def milestones_inside_term(terms):
    start, end = _date(get(terms, "timeline.effective_date")), _date(get(terms, "timeline.end_date"))
    for row in _rows(terms, "timeline.milestones"):
        due = _date(row.get("due_date"))
        if due is None:
            yield _("Milestone “%(name)s” has no due date.", name=row.get('name') or '?')
        elif (start and due < start) or (end and due > end):
            yield _("Milestone “%(name)s” is due on %(date)s, outside the term.", name=row.get('name') or '?',
                    date=due.isoformat())


def milestones_in_order(terms):
    previous = None
    for row in _rows(terms, "timeline.milestones"):
        due = _date(row.get("due_date"))
        if due and previous and due < previous[1]:
            yield _("Milestone “%(name)s” is due before “%(earlier)s”, which comes earlier in the list.",
                    name=row.get('name') or '?', earlier=previous[0])
        if due:
            previous = (row.get("name") or "?", due)


def acceptance_has_feedback_window(terms):
    for row in _rows(terms, "timeline.milestones"):
        if not is_blank(row.get("accepted_by")) and as_decimal(row.get("acceptance_days")) is None:
            yield _("Milestone “%(name)s” is accepted by a party but has no acceptance period.", name=row.get('name') or '?')
    if any(row.get("accepted_by") == "client" for row in _rows(terms, "timeline.milestones")) \
            and as_decimal(get(terms, "client.feedback_days")) is None:
        yield _("The client accepts milestones but has no feedback window in its responsibilities.")


def renewal_notice_shorter_than_term(terms):
    start, end = _date(get(terms, "timeline.effective_date")), _date(get(terms, "timeline.end_date"))
    notice = as_decimal(get(terms, "timeline.renewal_notice_days"))
    if start and end and notice is not None:
        days = (end - start).days + 1  # the agreement is in force *until* the end date, inclusive
        if notice >= days:
            yield _("The renewal notice period (%(notice)s days) is not shorter than the term (%(days)s days).",
                    notice=notice, days=days)


def payment_schedule_adds_up(terms):
    rows = _rows(terms, "costs.payment_schedule")
    if not rows:
        return
    percents = [as_decimal(r.get("percent")) for r in rows if as_decimal(r.get("percent")) is not None]
    amounts = [as_decimal(r.get("amount")) for r in rows if as_decimal(r.get("amount")) is not None]
    if percents and not amounts and sum(percents) != 100:
        yield _("The payment schedule adds up to %(total)s%%, not 100%%.", total=sum(percents))
    elif amounts and not percents:
        value = as_decimal(get(terms, "costs.contract_value"))
        if value is None:
            yield _("The payment schedule is in amounts, but there is no contract value to check them against.")
        elif sum(amounts) != value:
            yield _("The payment schedule adds up to %(total)s, not the contract value %(value)s.", total=sum(amounts),
                    value=value)
    elif percents and amounts:
        yield _("The payment schedule mixes percentages and amounts; use one or the other.")
    names = {r.get("name") for r in _rows(terms, "timeline.milestones")}
    for row in rows:
        if row.get("trigger") == "milestone" and (is_blank(row.get("milestone")) or row.get("milestone") not in names):
            yield _("Instalment “%(label)s” is due on milestone “%(milestone)s”, which is not in the timeline.",
                    label=row.get('label') or '?', milestone=row.get('milestone') or '')
        if row.get("trigger") == "date" and _date(row.get("date")) is None:
            yield _("Instalment “%(label)s” is due on a date, but has none.", label=row.get('label') or '?')


def money_has_currency(terms):
    money = [get(terms, p) for p in ("costs.contract_value", "costs.monthly_fee", "background.budget_ceiling")]
    money += [r.get("price") for r in _rows(terms, "costs.rates")]
    money += [r.get("amount") for r in _rows(terms, "costs.payment_schedule")]
    if any(as_decimal(m) is not None for m in money) and is_blank(get(terms, "costs.currency")):
        yield _("Amounts of money are given without a currency.")


def within_budget(terms):
    ceiling, value = as_decimal(get(terms, "background.budget_ceiling")), as_decimal(get(terms, "costs.contract_value"))
    if ceiling is not None and value is not None and value > ceiling:
        yield _("The contract value (%(value)s) is above the client's budget ceiling (%(ceiling)s).", value=value,
                ceiling=ceiling)


def every_service_level_has_a_credit(terms):
    credits = {row.get("priority"): row for row in _rows(terms, "sanctions.credits")}
    for row in _rows(terms, "services.priorities"):
        credit = credits.get(row.get("level"))
        if credit is None or (as_decimal(credit.get("credit_percent")) is None and not credit.get("no_credit")):
            yield _("Priority %(level)s has neither a service credit nor an explicit “no credit”.",
                    level=row.get('level') or '?')


def credit_cap_within_limits(terms):
    cap, liability = as_decimal(get(terms, "sanctions.credit_cap_percent")), as_decimal(get(terms, "sanctions.liability_cap_percent"))
    if cap is not None and cap > 100:
        yield _("The service credit cap (%(cap)s%%) is above 100%% of the monthly fee.", cap=cap)
    if cap is not None and liability is not None and cap > liability:
        yield _("The service credit cap (%(cap)s%%) is above the liability cap (%(liability)s%%).", cap=cap,
                liability=liability)
    for row in _rows(terms, "sanctions.credits"):
        credit = as_decimal(row.get("credit_percent"))
        if cap is not None and credit is not None and credit > cap:
            yield _("The credit for %(priority)s (%(credit)s%%) is above the credit cap (%(cap)s%%).",
                    priority=row.get('priority') or '?', credit=credit, cap=cap)


def escalation_grows(terms):
    previous = None
    for row in _rows(terms, "escalation.levels"):
        hours = as_decimal(row.get("response_hours"))
        if hours is not None and previous is not None and hours < previous[1]:
            yield _("Escalation level “%(name)s” must answer within %(hours)s h, faster than the level before it "
                    "(%(previous)s h); response times should grow with the level.", name=row.get('name') or '?',
                    hours=hours, previous=previous[1])
        if hours is not None:
            previous = (row.get("name"), hours)


def contacts_for_every_stage(terms):
    for stage in STAGES:
        for side in ("provider", "client"):
            if is_blank(get(terms, f"parties.{side}.contacts.{stage}.name")):
                yield (_("The provider has no %(stage)s contact.", stage=stage_word(stage)) if side == "provider"
                       else _("The client has no %(stage)s contact.", stage=stage_word(stage)))


def support_hours_as_data(terms):
    """Support hours the service-level clock can measure: days and times (not free text from before they
    were data), and a time zone it knows."""
    value, zone = get(terms, "services.support_hours"), get(terms, "services.time_zone")
    if isinstance(value, str) and value.strip():
        hours = support_hours_of({"services": {"support_hours": value}})
        if hours.unread_text is not None:
            yield _("Support hours are not yet stated as days and times: “%(text)s”. Restate them in the "
                    "Services step so that the service levels can be measured against them.", text=hours.unread_text)
    elif value is not None and not isinstance(value, str):
        problem = hours_form.problem_of(value)
        if problem:
            yield _("The support hours cannot be read: %(problem)s Restate them in the Services step.", problem=problem)
    if not is_blank(zone) and not is_time_zone(zone):
        yield _("“%(zone)s” is not a time zone name the service levels can be measured in; choose one such as "
                "Europe/Warsaw in the Services step.", zone=zone)


def review_cadence_set(terms):
    if is_blank(get(terms, "change.review_cadence")):
        yield _("No periodic review cadence is set; the agreement is a living document and needs one.")


RULES: tuple[Rule, ...] = (
    Rule("response_within_resolution", _l("Response before resolution"), "services", response_within_resolution),
    Rule("service_levels_have_targets", _l("Every priority has targets"), "services", service_levels_have_targets),
    Rule("availability_realistic", _l("Availability target is realistic"), "services", availability_is_realistic),
    Rule("term_dates_in_order", _l("The term ends after it starts"), "timelines", term_dates_in_order),
    Rule("milestones_inside_term", _l("Milestones fall inside the term"), "timelines", milestones_inside_term),
    Rule("milestones_in_order", _l("Milestones are in order"), "timelines", milestones_in_order),
    Rule("acceptance_feedback_window", _l("Acceptance has a feedback window"), "timelines", acceptance_has_feedback_window),
    Rule("renewal_notice_shorter", _l("Renewal notice is shorter than the term"), "timelines", renewal_notice_shorter_than_term),
    Rule("payment_schedule_adds_up", _l("The payment schedule adds up"), "costs", payment_schedule_adds_up),
    Rule("money_has_currency", _l("Money has a currency"), "costs", money_has_currency),
    Rule("within_budget", _l("The price is within the client's budget"), "costs", within_budget),
    Rule("credits_for_every_level", _l("Every service level has a credit or “no credit”"), "sanctions", every_service_level_has_a_credit),
    Rule("credit_cap_within_limits", _l("Credit cap within 100% and the liability cap"), "sanctions", credit_cap_within_limits),
    Rule("escalation_grows", _l("Escalation response times grow with the level"), "escalation", escalation_grows),
    Rule("contacts_for_every_stage", _l("Each stage has a contact on both sides"), "background", contacts_for_every_stage),
    Rule("review_cadence_set", _l("A review cadence is set"), "change", review_cadence_set),
    Rule("support_hours_as_data", _l("Support hours are stated as days and times"), "services", support_hours_as_data),
)
RULES_BY_ID = {rule.id: rule for rule in RULES}


def check_health(terms: dict[str, Any]) -> list[Finding]:
    """Every problem every rule finds, in rule order."""
    return [Finding(rule, message) for rule in RULES for message in rule.check(terms)]


# Text against terms -----------------------------------------------------------------------

CLAUSE_RULE_PREFIX = "states_terms."


def clause_rule_id(key: str) -> str:
    """The acknowledgement id of one clause's text check (fits the 64 characters a rule id may have)."""
    rule_id = CLAUSE_RULE_PREFIX + key
    return rule_id if len(rule_id) <= 64 else CLAUSE_RULE_PREFIX + sha256_hex(key.encode())[:32]


def clause_findings(library: ClauseLibrary, document: Document, language: str) -> list[Finding]:
    """Clauses whose text contradicts a term ("8.2 says 20%, the terms say 15%") or no longer states one.

    A custom clause with parts states what its slots state, always the current terms; one
    without (written before texts stayed bound, or imported) is read against the library's
    words for its variant.
    """
    findings = []
    terms = document.terms
    for _number, _section, clauses in document.numbered():
        for number, clause in clauses:
            messages = _measured_as_written(clause, number, terms)
            if not clause.custom or clause.clause_id not in library.clauses or not clause.variant \
                    or clause.variant not in library.clauses[clause.clause_id].variants:
                _add_clause_findings(findings, clause, number, messages)
                continue
            library_words = library_bound(library, clause.clause_id, clause.variant, terms, language)
            slots = {slot.term: slot for slot, _words in
                     (s for s in library_words.segments if not isinstance(s, str))}
            unstated = [path for path in clause.unstated if path in slots]
            if clause.parts is None:
                try:
                    read = rebind(library, library_words, clause.text, terms, language)
                except BindingConflict as conflict:
                    messages.append(_("%(number)s %(title)s: %(problem)s", number=number, title=clause.title,
                                      problem=conflict))
                    read = None
                if read is not None:
                    for path, value in read.changes.items():
                        said = render_slot(library, slots[path], with_term(terms, path, value), language)
                        messages.append(_("%(number)s %(title)s says %(said)s, the terms say %(terms)s.",
                                          number=number, title=clause.title, said=said,
                                          terms=render_slot(library, slots[path], terms, language)))
                    unstated = sorted({slot.term for slot in read.dropped})
            elif clause_bound(library, clause, terms, language).text != clause.text:
                messages.append(_("%(number)s %(title)s: the text is not what its terms render; reword it.",
                                  number=number, title=clause.title))
            for path in unstated:
                messages.append(_("%(number)s %(title)s no longer states “%(term)s” (the terms say %(terms)s).",
                                  number=number, title=clause.title, term=term_name(path),
                                  terms=render_slot(library, slots[path], terms, language)))
            _add_clause_findings(findings, clause, number, messages)
    return findings


def _add_clause_findings(findings: list[Finding], clause, number: str, messages: list[str]) -> None:
    if messages:
        rule = Rule(clause_rule_id(clause.key), _("%(number)s %(title)s: its text and the terms", number=number,
                                                  title=clause.title), "review", None, clause_key=clause.key)
        findings.extend(Finding(rule, message) for message in messages)


# The support-hours clause whose words say every priority's clock runs around the clock: the service-level
# clock measures by the support hours' data, so the data must say so too.
ROUND_THE_CLOCK_CLAUSE = ("service_levels.support_hours", "round_the_clock")


def _measured_as_written(clause, number: str, terms: dict[str, Any]) -> list[str]:
    """What keeps the service levels from being measured as the clause is written (none, mostly)."""
    if (clause.clause_id, clause.variant) != ROUND_THE_CLOCK_CLAUSE:
        return []
    try:
        hours = support_hours_of(terms)
    except ValueError:
        return []  # unreadable support hours are support_hours_as_data's finding
    if hours.around_the_clock and hours.unread_text is None:
        return []
    return [_("%(number)s %(title)s says incidents of every priority are handled around the clock, but the support "
              "hours the service levels are measured by are not: set them to around the clock in the Services step, "
              "or choose another version of the clause.", number=number, title=clause.title)]
