"""One WTForms form per interview step. Field names are the term names in clauses/_terms.yaml.

Fields are optional while a party is still gathering answers (save and resume);
what is typed must still be well-formed: numbers are numbers, never negative,
percentages between 0 and 100, dates real dates in order, text of bounded length.
Whether a step is complete is asked separately (steps.py), so a half-filled step can
be saved.
"""
from __future__ import annotations

from decimal import Decimal

from babel.numbers import list_currencies
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField, DateField, EmailField, FieldList, FormField, SelectChoice, SelectField, StringField,
    TextAreaField,
)
from wtforms.validators import Email, Length, Optional, ValidationError

from ..i18n.forms import Form, RowForm
from ..inputs.numbers import NumberField

from ..models.negotiation import REASON_MAX
from .hours_form import SupportHoursForm, TimeZoneField

SHORT, LONG = 200, 4000
MAX_ROWS = 50


def _strip(value):
    return value.strip() if isinstance(value, str) else value


def text(label, max_length: int = SHORT, **kwargs) -> StringField:
    return StringField(label, filters=[_strip], validators=[Optional(), Length(max=max_length)], **kwargs)


def long_text(label, **kwargs) -> TextAreaField:
    return TextAreaField(label, filters=[_strip], validators=[Optional(), Length(max=LONG)], **kwargs)


# Numbers are read as the agreement's language writes them (inputs/numbers.py), never negative.

def money(label) -> NumberField:
    """An amount in the agreement's currency, with no more decimals than the currency has."""
    return NumberField(label, money=True)


def decimal(label, maximum: int | None = None) -> NumberField:
    return NumberField(label, maximum=maximum, range_message=_l("Must be between 0 and %(maximum)d.", maximum=maximum) if maximum else None)


def percent(label) -> NumberField:
    return NumberField(label, maximum=100, range_message=_l("A percentage between 0 and 100."), example=Decimal("99.5"))


def whole(label, maximum: int = 100_000) -> NumberField:
    return NumberField(label, whole=True, maximum=maximum, range_message=_l("A whole number from 0 to %(maximum)d.", maximum=maximum))


def choice(label, options: dict[str, str], blank: bool = True) -> SelectField:
    choices = ([SelectChoice("", _l("— choose —"))] if blank else []) + [SelectChoice(k, v) for k, v in options.items()]
    return SelectField(label, choices=choices, validators=[Optional()], default="")


def rows(form: type[Form], label) -> FieldList:
    return FieldList(FormField(form), label=label, min_entries=0, max_entries=MAX_ROWS)


def proposal_reason() -> TextAreaField:
    """Once the draft is shared a saved step becomes proposals; this says why, to the other side."""
    return TextAreaField(_l("Why (shown to the other side with each change you propose; optional)"),
                         filters=[_strip], validators=[Optional(), Length(max=REASON_MAX)])


class TextRow(RowForm):
    value = text(_l("Item"), SHORT)


# 1. Background ------------------------------------------------------------------------

class ContactForm(RowForm):
    name = text(_l("Name"))
    role = text(_l("Role"))
    email = EmailField(_l("E-mail"), filters=[_strip], validators=[
        Optional(), Length(max=254), Email(_l("Enter a valid e-mail address."), check_deliverability=False)])
    phone = text(_l("Phone"), 40)


class ContactsForm(RowForm):
    negotiation = FormField(ContactForm, _l("Negotiation"))
    delivery = FormField(ContactForm, _l("Delivery"))
    billing = FormField(ContactForm, _l("Billing"))
    escalation = FormField(ContactForm, _l("Escalation"))


class PartyForm(RowForm):
    name = text(_l("Legal name"))
    address = text(_l("Registered address"), 400)
    registration = text(_l("Registration number"))
    signatory_name = text(_l("Who signs (name)"))
    signatory_title = text(_l("Signatory's title"))
    contacts = FormField(ContactsForm, _l("Contacts per stage"))


class SharedBackgroundForm(RowForm):
    objectives = long_text(_l("Objectives: what the client wants to achieve"))
    context = long_text(_l("The problem or context"))
    budget_ceiling = money(_l("Budget ceiling"))
    hard_dates = long_text(_l("Hard dates and other constraints"))
    third_parties = long_text(_l("Third parties affected (for example the client's own customers)"))


class BackgroundForm(Form):
    party = FormField(PartyForm, _l("Your organisation"))
    background = FormField(SharedBackgroundForm, _l("Background"))


# 2. Services --------------------------------------------------------------------------

class CatalogueRow(RowForm):
    code = text(_l("Code"), 40)
    name = text(_l("Service"))
    description = text(_l("Description"), 1000)
    unit = text(_l("Unit"), 40)
    included_quantity = decimal(_l("Included quantity"))


class PriorityRow(RowForm):
    level = text(_l("Priority"), 20)
    definition = text(_l("Definition"), 1000)
    response_hours = decimal(_l("Response (hours)"))
    resolution_hours = decimal(_l("Restore / resolve (hours)"))


class ServicesForm(Form):
    catalogue = rows(CatalogueRow, _l("Service catalogue"))
    in_scope = rows(TextRow, _l("In scope"))
    out_of_scope = rows(TextRow, _l("Out of scope"))
    standards = long_text(_l("Service standards"))
    priorities = rows(PriorityRow, _l("Priority levels and service levels"))
    availability_percent = percent(_l("Availability target (%)"))
    measurement_window = choice(_l("Measured over"), {"monthly": _l("A calendar month"), "quarterly": _l("A calendar quarter")})
    support_hours = FormField(SupportHoursForm, _l("Support hours"))
    time_zone = TimeZoneField(_l("Time zone"), filters=[_strip], validators=[Optional(), Length(max=64)])


# 3. Timelines -------------------------------------------------------------------------

class MilestoneRow(RowForm):
    name = text(_l("Milestone"))
    deliverable = text(_l("Deliverable"), 1000)
    due_date = DateField(_l("Due date"), validators=[Optional()])
    acceptance_days = whole(_l("Acceptance period (business days)"), 365)
    accepted_by = choice(_l("Accepted by"), {"client": _l("Client"), "provider": _l("Provider")})


class TimelinesForm(Form):
    effective_date = DateField(_l("Effective date"), validators=[Optional()])
    end_date = DateField(_l("End date"), validators=[Optional()])
    auto_renew = BooleanField(_l("Renews automatically unless a Party gives notice"))
    renewal_term_months = whole(_l("Each renewal lasts (months)"), 120)
    renewal_notice_days = whole(_l("Notice to stop renewal (days)"), 3650)
    milestones = rows(MilestoneRow, _l("Milestones"))

    def validate_end_date(self, field):
        if field.data and self.effective_date.data and field.data <= self.effective_date.data:
            raise ValidationError(_("The end date must come after the effective date."))


# 4. Costs -----------------------------------------------------------------------------

class RateRow(RowForm):
    code = text(_l("Task code"), 40)
    description = text(_l("Description"), 1000)
    unit = text(_l("Unit"), 40)
    price = money(_l("Price"))
    out_of_hours_multiplier = decimal(_l("Out-of-hours multiplier"), 10)


class InstalmentRow(RowForm):
    label = text(_l("Instalment"))
    percent = percent(_l("% of the contract value"))
    amount = money(_l("or amount"))
    trigger = choice(_l("Due"), {"signing": _l("On signing"), "milestone": _l("On a milestone"), "date": _l("On a date"),
                             "completion": _l("On completion")})
    milestone = text(_l("Milestone (if due on one)"))
    date = DateField(_l("Date (if due on one)"), validators=[Optional()])

    def validate_amount(self, field):
        if field.data is not None and self.percent.data is not None:
            raise ValidationError(_("Give a percentage or an amount, not both."))


class CostsForm(Form):
    currency = text(_l("Currency (ISO code, e.g. EUR)"), 3)
    pricing_model = choice(_l("Pricing model"), {"fixed": _l("Fixed price"), "time_and_materials": _l("Time and materials"),
                                             "retainer": _l("Monthly retainer")})
    contract_value = money(_l("Contract value"))
    monthly_fee = money(_l("Monthly fee"))
    rates = rows(RateRow, _l("Rate card"))
    payment_schedule = rows(InstalmentRow, _l("Payment schedule"))
    invoicing = choice(_l("Invoicing"), {"monthly": _l("Monthly in arrears"), "monthly_in_advance": _l("Monthly in advance"),
                                     "quarterly": _l("Quarterly in advance"), "per_schedule": _l("As the payment schedule falls due")})
    payment_due_days = whole(_l("Invoices due within (days)"), 365)
    late_interest_percent = percent(_l("Late-payment interest (% a year)"))
    expenses = choice(_l("Expenses"), {"included": _l("Included in the fees"), "at_cost": _l("Reimbursed at cost"),
                                   "preapproved": _l("Reimbursed at cost when approved in advance")})
    prepaid_hours = decimal(_l("Prepaid hours or credits"))

    def validate_currency(self, field):
        if field.data:
            field.data = field.data.upper()
            if field.data not in list_currencies():
                raise ValidationError(_("Use a three-letter ISO 4217 currency code such as EUR, USD or PLN."))


# 5. Client responsibilities -----------------------------------------------------------

class ClientForm(Form):
    feedback_days = whole(_l("Feedback and approvals within (business days)"), 90)
    access_date = DateField(_l("Access to systems and data by"), validators=[Optional()])
    point_of_contact = text(_l("The client's point of contact"))
    sme_hours_per_week = whole(_l("Subject-matter experts available (hours a week)"), 168)
    stakeholder_notice_days = whole(_l("Stakeholders available with notice of (business days)"), 90)
    custom = rows(TextRow, _l("Further client responsibilities"))


# 6. Escalation ------------------------------------------------------------------------

class EscalationRow(RowForm):
    name = text(_l("Level"), 60)
    trigger = text(_l("Trigger"), 1000)
    provider_contact = text(_l("Provider contact"))
    client_contact = text(_l("Client contact"))
    response_hours = decimal(_l("Response (hours)"))


class EscalationForm(Form):
    levels = rows(EscalationRow, _l("Escalation levels"))
    negotiation_days = whole(_l("Negotiate in good faith for (days)"), 365)
    mediation = BooleanField(_l("Then mediation"))
    final_forum = choice(_l("Then"), {"arbitration": _l("Arbitration"), "courts": _l("The courts")})
    arbitration_rules = text(_l("Arbitration rules"))
    governing_law = text(_l("Governing law"))
    venue = text(_l("Seat or venue"))


# 7. Sanctions -------------------------------------------------------------------------

class CreditRow(RowForm):
    priority = text(_l("Service level (priority)"), 20)
    threshold_percent = percent(_l("Met in at least (%)"))
    credit_percent = percent(_l("Credit (% of the monthly fee)"))
    no_credit = BooleanField(_l("No credit"))

    def validate_credit_percent(self, field):
        if field.data is not None and self.no_credit.data:
            raise ValidationError(_("Either a credit or “no credit”, not both."))


class SanctionsForm(Form):
    credits = rows(CreditRow, _l("Service credits"))
    credit_cap_percent = percent(_l("Credits capped at (% of the monthly fee)"))
    late_penalty_percent_per_week = percent(_l("Late delivery penalty (% a week)"))
    late_penalty_cap_percent = percent(_l("Late delivery penalties capped at (%)"))
    cure_days = whole(_l("Cure period (days)"), 365)
    liability_cap_percent = decimal(_l("Liability cap (% of a year's fees)"), 1000)
    termination_notice_days = whole(_l("Termination notice (days)"), 3650)


# 8. Change control and review ---------------------------------------------------------

class ChangeForm(Form):
    requesters = choice(_l("Who may request a change"), {"either_party": _l("Either Party"), "client_only": _l("The client only")})
    impact_days = whole(_l("Impact assessment within (business days)"), 90)
    amendment_threshold_percent = percent(_l("Changes above this % of the contract value need a new agreement"))
    review_cadence = choice(_l("Periodic review"), {"monthly": _l("Monthly"), "quarterly": _l("Quarterly"),
                                                "semiannual": _l("Every six months"), "annual": _l("Annually")})
    reporting = long_text(_l("What service performance is reported"))
    report_frequency = choice(_l("Reports"), {"monthly": _l("Monthly"), "quarterly": _l("Quarterly")})
    renewal_lead_days = whole(_l("Renewal review before the end date (days)"), 365)
    confidentiality_years = whole(_l("Confidentiality lasts (years after the end)"), 50)
