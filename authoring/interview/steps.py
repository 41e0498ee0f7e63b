"""The nine interview steps: which terms each edits, how answers map to form data, when it is complete.

Plain Python over the terms dict, no Flask and no database, so the rules are easy
to test. Values travel as the catalogue types them (decimal strings, ISO dates);
forms get Python values (Decimal, date) and give them back.
"""
from __future__ import annotations

import copy
import datetime
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Callable

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from flask_babel.speaklater import LazyString

from ..document.terms import term_label
from ..inputs.numbers import MAX_AMOUNT, MAX_QUANTITY, NumberField
from ..library.catalogue import Catalogue, TermSpec
from ..library.formatting import is_blank
from . import forms, hours_form

STAGES = ("negotiation", "delivery", "billing", "escalation")


def stage_word(stage: str) -> str:
    """A stage as a word inside a sentence ("billing" -> "billing"), in the interface language."""
    return {"negotiation": _("negotiation"), "delivery": _("delivery"), "billing": _("billing"),
            "escalation": _("escalation")}.get(stage, stage)


def side_word(side: str) -> str:
    """"Provider" or "Client", capitalised, in the interface language."""
    return _("Provider") if side == "provider" else _("Client")
DECIMAL_TYPES = frozenset({"money", "decimal", "percent", "hours"})
INTEGER_TYPES = frozenset({"integer", "business_days", "days", "months"})


@dataclass(frozen=True)
class Step:
    key: str
    number: int
    title: str  # lazy: shown in the interface language of whoever reads it
    summary: str
    form: type | None
    # form field -> term path; "{side}" stands for the editing member's side.
    fields: dict[str, str] = field(default_factory=dict)
    missing: Callable[[dict[str, Any]], list[str]] = lambda terms: []

    def term_paths(self, side: str) -> dict[str, str]:
        return {name: path.replace("{side}", side) for name, path in self.fields.items()}


def get(terms: dict[str, Any], path: str) -> Any:
    value: Any = terms
    for part in path.split("."):
        value = value.get(part) if isinstance(value, dict) else None
    return value


def put(terms: dict[str, Any], path: str, value: Any) -> None:
    *parents, last = path.split(".")
    node = terms
    for part in parents:
        node = node.setdefault(part, {})
    node[last] = value


# Terms <-> form data --------------------------------------------------------------------

def to_form(value: Any, spec: TermSpec) -> Any:
    """A stored term as a form wants it (Decimal, date, rows of dicts)."""
    if spec.type == "object":
        value = value if isinstance(value, dict) else {}
        return {name: to_form(value.get(name), child) for name, child in spec.fields.items()}
    if spec.type == "list":
        items = value if isinstance(value, list) else []
        if spec.item_type:
            return [{"value": item} for item in items]
        return [{name: to_form(item.get(name), child) for name, child in spec.fields.items()} for item in items]
    if spec.type == "support_hours":
        return hours_form.to_form(value)
    if is_blank(value):
        return False if spec.type == "boolean" else None
    if spec.type in DECIMAL_TYPES:
        return Decimal(str(value))
    if spec.type == "date":
        return datetime.date.fromisoformat(value)
    return value


def from_form(value: Any, spec: TermSpec) -> Any:
    """Form data as a stored term: decimal strings, ISO dates, blank rows dropped."""
    if spec.type == "object":
        value = value or {}
        return {name: from_form(value.get(name), child) for name, child in spec.fields.items()}
    if spec.type == "list":
        rows = []
        for row in value or []:
            if spec.item_type:
                item = from_form(row.get("value"), TermSpec("", spec.item_type))
                if not is_blank(item):
                    rows.append(item)
                continue
            item = {name: from_form(row.get(name), child) for name, child in spec.fields.items()}
            if any(not is_blank(v) and v is not False for v in item.values()):
                rows.append(item)
        return rows
    if spec.type == "boolean":
        return bool(value)
    if spec.type == "support_hours":
        return hours_form.to_term(value)
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if spec.type in DECIMAL_TYPES:
        number = Decimal(value)
        # Money keeps two decimals ("96000.00"), or the three some currencies have: never rounded.
        return f"{number:.2f}" if spec.type == "money" and number == round(number, 2) else _plain(number)
    if spec.type == "date":
        return value.isoformat()
    return value


def _plain(number: Decimal) -> str:
    """'99.50' -> '99.5', '4E+1' -> '40': the shortest exact decimal string."""
    return format(number.normalize(), "f")


def form_data(step: Step, catalogue: Catalogue, terms: dict[str, Any], side: str) -> dict[str, Any]:
    return {name: to_form(get(terms, path), catalogue.spec(path)) for name, path in step.term_paths(side).items()}


def apply_form(step: Step, catalogue: Catalogue, terms: dict[str, Any], data: dict[str, Any], side: str) -> dict[str, Any]:
    """New terms with this step's answers from `data` (only the paths this step and side own)."""
    updated = copy.deepcopy(terms)
    for name, path in step.term_paths(side).items():
        spec = catalogue.spec(path)
        value = from_form(data.get(name), spec)
        if spec.type == "support_hours":  # free text from before stays until the answer says more
            value = hours_form.kept(get(terms, path), value)
        put(updated, path, value)
    return updated


def step_terms(step: Step, terms: dict[str, Any], side: str) -> dict[str, Any]:
    """The part of the terms this step writes for `side` (to detect someone else's save)."""
    return {path: get(terms, path) for path in step.term_paths(side).values()}


# Completeness ----------------------------------------------------------------------------

def _blank(terms, path) -> bool:
    return is_blank(get(terms, path))


def _need(terms: dict[str, Any], labels: dict[str, str]) -> list[str]:
    return [label for path, label in labels.items() if _blank(terms, path)]


def _background_missing(terms):
    missing = []
    for side in ("provider", "client"):
        who = side_word(side)
        missing += _need(terms, {f"parties.{side}.name": _("%(party)s: legal name", party=who),
                                 f"parties.{side}.address": _("%(party)s: address", party=who),
                                 f"parties.{side}.registration": _("%(party)s: registration number", party=who)})
        for stage in STAGES:
            if _blank(terms, f"parties.{side}.contacts.{stage}.name") or _blank(terms, f"parties.{side}.contacts.{stage}.email"):
                missing.append(_("%(party)s: %(stage)s contact (name and e-mail)", party=who, stage=stage_word(stage)))
    return missing + _need(terms, {"background.objectives": _("Objectives")})


def _services_missing(terms):
    missing = [] if get(terms, "services.catalogue") else [_("At least one service in the catalogue")]
    missing += [] if get(terms, "services.priorities") else [_("At least one priority level")]
    return missing + _need(terms, {"services.availability_percent": _("Availability target"),
                                   "services.support_hours": _("Support hours"), "services.time_zone": _("Time zone")})


def _costs_missing(terms):
    missing = _need(terms, {"costs.currency": _("Currency"), "costs.pricing_model": _("Pricing model"),
                            "costs.invoicing": _("Invoicing"), "costs.payment_due_days": _("Payment due days")})
    return missing + ([] if get(terms, "costs.payment_schedule") else [_("A payment schedule")])


def _escalation_missing(terms):
    missing = [] if get(terms, "escalation.levels") else [_("At least one escalation level")]
    return missing + _need(terms, {"escalation.negotiation_days": _("Negotiation period"),
                                   "escalation.final_forum": _("Arbitration or courts"),
                                   "escalation.governing_law": _("Governing law")})


def _party_fields() -> dict[str, str]:
    return {"party": "parties.{side}", "background": "background"}


def _group(group: str, form: type, extra: dict[str, str] | None = None) -> dict[str, str]:
    names = [name for name in form.__dict__ if not name.startswith("_") and hasattr(form.__dict__[name], "field_class")]
    paths = {name: f"{group}.{name}" for name in names}
    paths.update(extra or {})
    return paths


STEPS: tuple[Step, ...] = (
    Step("background", 1, _l("Background"), _l("Both parties, their contacts per stage, objectives and constraints."),
         forms.BackgroundForm, _party_fields(), _background_missing),
    Step("services", 2, _l("Services"), _l("Catalogue, scope, standards, priorities and service levels."),
         forms.ServicesForm, _group("services", forms.ServicesForm), _services_missing),
    Step("timelines", 3, _l("Timelines"), _l("Term, renewal and milestones with acceptance."),
         forms.TimelinesForm, _group("timeline", forms.TimelinesForm),
         lambda t: _need(t, {"timeline.effective_date": _("Effective date"), "timeline.end_date": _("End date")})),
    Step("costs", 4, _l("Costs"), _l("Pricing, rate card, payment schedule, invoicing and late payment."),
         forms.CostsForm, _group("costs", forms.CostsForm), _costs_missing),
    Step("client", 5, _l("Client responsibilities"), _l("What the client provides: feedback, access, people, payment."),
         forms.ClientForm, _group("client", forms.ClientForm),
         lambda t: _need(t, {"client.feedback_days": _("Feedback window"), "client.point_of_contact": _("Point of contact")})),
    Step("escalation", 6, _l("Escalation"), _l("Escalation levels, dispute resolution, governing law."),
         forms.EscalationForm, _group("escalation", forms.EscalationForm), _escalation_missing),
    Step("sanctions", 7, _l("Sanctions"), _l("Service credits, caps, penalties, cure and liability."),
         forms.SanctionsForm, _group("sanctions", forms.SanctionsForm),
         lambda t: _need(t, {"sanctions.credit_cap_percent": _("Credit cap"), "sanctions.cure_days": _("Cure period"),
                             "sanctions.liability_cap_percent": _("Liability cap")})),
    Step("change", 8, _l("Change control and review"), _l("Change requests, periodic review, reporting, renewal review."),
         forms.ChangeForm,
         _group("change", forms.ChangeForm, {"confidentiality_years": "general.confidentiality_years"}),
         lambda t: _need(t, {"change.requesters": _("Who may request changes"), "change.impact_days": _("Impact assessment"),
                             "change.review_cadence": _("Review cadence"), "change.report_frequency": _("Report frequency")})),
    Step("review", 9, _l("Review"), _l("The assembled agreement and its health checks."), None),
)
STEPS_BY_KEY = {step.key: step for step in STEPS}


def _label(unbound) -> str | None:
    label = unbound.kwargs.get("label")
    if label is None and unbound.field_class.__name__ == "FormField":
        label = unbound.args[1] if len(unbound.args) > 1 else None
    elif label is None and unbound.args and isinstance(unbound.args[0], (str, LazyString)):
        label = unbound.args[0]
    return label


def _inner_form(unbound) -> type | None:
    """The form inside a group (FormField), or each row's form in a table (FieldList of FormFields)."""
    kind = unbound.field_class.__name__
    if kind == "FormField":
        return unbound.args[0]
    entry = unbound.args[0] if kind == "FieldList" and unbound.args else None
    if entry is not None and getattr(entry, "field_class", None) is not None and entry.field_class.__name__ == "FormField":
        return entry.args[0]
    return None


def _fields_on(path: str) -> tuple[list[Any], str | None] | None:
    """The interview's unbound fields from the step's form down to the one that edits `path`,
    and the side it belongs to ("parties.client.name" -> [party group, name], "client");
    None when no interview field asks for the term."""
    for step in STEPS:
        for name, pattern in step.fields.items():
            for side in ("provider", "client"):
                prefix = pattern.replace("{side}", side)
                if path != prefix and not path.startswith(prefix + "."):
                    continue
                chain, form = [], step.form
                for part in [name] + (path[len(prefix) + 1:].split(".") if path != prefix else []):
                    unbound = getattr(form, part, None) if form is not None else None
                    if unbound is None or not hasattr(unbound, "field_class"):
                        return None
                    chain.append(unbound)
                    form = _inner_form(unbound)
                return chain, side if "{side}" in pattern else None
    return None


def term_field_label(path: str) -> str | None:
    """How the interview asks for a term: "costs.payment_due_days" -> "Invoices due within (days)",
    "parties.client.name" -> "Client › Legal name". None when no interview field asks for it."""
    found = _fields_on(path)
    if found is None:
        return None
    chain, side = found
    labels = [str(_label(unbound) or part.replace("_", " "))
              for unbound, part in zip(chain, path.split(".")[-len(chain):])]
    if side:  # "Your organisation" says nothing in a sentence about either side
        labels[0] = side_word(side)
    return " › ".join(labels)


def row_field_label(list_path: str, name: str) -> str | None:
    """How the interview names a field of a table's rows: ("sanctions.credits", "credit_percent") ->
    "Credit (% of the monthly fee)". None when no interview field asks for it."""
    found = _fields_on(f"{list_path}.{name}")
    label = _label(found[0][-1]) if found is not None else None
    return str(label) if label else None


def term_name(path: str) -> str:
    """A term as the interview asks for it, else its path in words ("Costs › Payment due days")."""
    return term_field_label(path) or term_label(path)


def step_status(terms: dict[str, Any]) -> dict[str, list[str]]:
    """What each step still misses (an empty list: complete). The review step needs all others."""
    status = {step.key: step.missing(terms) for step in STEPS if step.form is not None}
    incomplete = [STEPS_BY_KEY[key].title for key, missing in status.items() if missing]
    status["review"] = [_("Complete the step “%(title)s”", title=title) for title in incomplete]
    return status


def neighbours(step: Step) -> tuple[Step | None, Step | None]:
    index = STEPS.index(step)
    return (STEPS[index - 1] if index else None), (STEPS[index + 1] if index + 1 < len(STEPS) else None)


def term_value_problem(path: str, value: Any) -> str | None:
    """Why the interview would refuse `value` for `path` (bounds, length), or None.

    Used where a term changes outside its form: a value written into a clause's text.
    """
    found = _fields_on(path)
    if found is None:
        return None
    unbound = found[0][-1]
    if _inner_form(unbound) is hours_form.SupportHoursForm:
        return hours_form.problem_of(value)
    if hasattr(unbound.field_class, "value_problem"):
        return unbound.field_class.value_problem(value)
    options = unbound.kwargs
    if issubclass(unbound.field_class, NumberField):
        number = Decimal(str(value))
        maximum = options.get("maximum")
        maximum = Decimal(maximum) if maximum is not None else (MAX_AMOUNT if options.get("money") else MAX_QUANTITY)
        if number < 0:
            return _("Cannot be negative.")
        if number > maximum:
            return str(options.get("range_message") or _("At most %(maximum)s.", maximum=maximum))
        return None
    for validator in options.get("validators") or []:
        if isinstance(validator, forms.Length) and isinstance(value, str) and validator.max not in (None, -1) \
                and len(value) > validator.max:
            return ngettext("At most %(num)d character.", "At most %(num)d characters.", validator.max)
    return None
