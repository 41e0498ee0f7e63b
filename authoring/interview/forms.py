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
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField, DateField, EmailField, FieldList, Form, FormField, SelectChoice, SelectField, StringField,
    TextAreaField,
)
from wtforms.validators import Email, Length, Optional, ValidationError

from ..inputs.numbers import NumberField

from ..models.negotiation import REASON_MAX

SHORT, LONG = 200, 4000
MAX_ROWS = 50


def _strip(value):
    return value.strip() if isinstance(value, str) else value


def text(label: str, max_length: int = SHORT, **kwargs) -> StringField:
    return StringField(label, filters=[_strip], validators=[Optional(), Length(max=max_length)], **kwargs)


def long_text(label: str, **kwargs) -> TextAreaField:
    return TextAreaField(label, filters=[_strip], validators=[Optional(), Length(max=LONG)], **kwargs)


# Numbers are read as the agreement's language writes them (inputs/numbers.py), never negative.

def money(label: str) -> NumberField:
    """An amount in the agreement's currency, with no more decimals than the currency has."""
    return NumberField(label, money=True)


def decimal(label: str, maximum: int | None = None) -> NumberField:
    return NumberField(label, maximum=maximum, range_message=f"Must be between 0 and {maximum}." if maximum else None)


def percent(label: str) -> NumberField:
    return NumberField(label, maximum=100, range_message="A percentage between 0 and 100.", example=Decimal("99.5"))


def whole(label: str, maximum: int = 100_000) -> NumberField:
    return NumberField(label, whole=True, maximum=maximum, range_message=f"A whole number from 0 to {maximum}.")


def choice(label: str, options: dict[str, str], blank: bool = True) -> SelectField:
    choices = ([SelectChoice("", "— choose —")] if blank else []) + [SelectChoice(k, v) for k, v in options.items()]
    return SelectField(label, choices=choices, validators=[Optional()], default="")


def rows(form: type[Form], label: str) -> FieldList:
    return FieldList(FormField(form), label=label, min_entries=0, max_entries=MAX_ROWS)


def proposal_reason() -> TextAreaField:
    """Once the draft is shared a saved step becomes proposals; this says why, to the other side."""
    return TextAreaField("Why (shown to the other side with each change you propose; optional)",
                         filters=[_strip], validators=[Optional(), Length(max=REASON_MAX)])


class TextRow(Form):
    value = text("Item", SHORT)


# 1. Background ------------------------------------------------------------------------

class ContactForm(Form):
    name = text("Name")
    role = text("Role")
    email = EmailField("E-mail", filters=[_strip], validators=[
        Optional(), Length(max=254), Email("Enter a valid e-mail address.", check_deliverability=False)])
    phone = text("Phone", 40)


class ContactsForm(Form):
    negotiation = FormField(ContactForm, "Negotiation")
    delivery = FormField(ContactForm, "Delivery")
    billing = FormField(ContactForm, "Billing")
    escalation = FormField(ContactForm, "Escalation")


class PartyForm(Form):
    name = text("Legal name")
    address = text("Registered address", 400)
    registration = text("Registration number")
    signatory_name = text("Who signs (name)")
    signatory_title = text("Signatory's title")
    contacts = FormField(ContactsForm, "Contacts per stage")


class SharedBackgroundForm(Form):
    objectives = long_text("Objectives: what the client wants to achieve")
    context = long_text("The problem or context")
    budget_ceiling = money("Budget ceiling")
    hard_dates = long_text("Hard dates and other constraints")
    third_parties = long_text("Third parties affected (for example the client's own customers)")


class BackgroundForm(FlaskForm):
    party = FormField(PartyForm, "Your organisation")
    background = FormField(SharedBackgroundForm, "Background")


# 2. Services --------------------------------------------------------------------------

class CatalogueRow(Form):
    code = text("Code", 40)
    name = text("Service")
    description = text("Description", 1000)
    unit = text("Unit", 40)
    included_quantity = decimal("Included quantity")


class PriorityRow(Form):
    level = text("Priority", 20)
    definition = text("Definition", 1000)
    response_hours = decimal("Response (hours)")
    resolution_hours = decimal("Restore / resolve (hours)")


class ServicesForm(FlaskForm):
    catalogue = rows(CatalogueRow, "Service catalogue")
    in_scope = rows(TextRow, "In scope")
    out_of_scope = rows(TextRow, "Out of scope")
    standards = long_text("Service standards")
    priorities = rows(PriorityRow, "Priority levels and service levels")
    availability_percent = percent("Availability target (%)")
    measurement_window = choice("Measured over", {"monthly": "A calendar month", "quarterly": "A calendar quarter"})
    support_hours = text("Support hours")
    time_zone = text("Time zone", 64)


# 3. Timelines -------------------------------------------------------------------------

class MilestoneRow(Form):
    name = text("Milestone")
    deliverable = text("Deliverable", 1000)
    due_date = DateField("Due date", validators=[Optional()])
    acceptance_days = whole("Acceptance period (business days)", 365)
    accepted_by = choice("Accepted by", {"client": "Client", "provider": "Provider"})


class TimelinesForm(FlaskForm):
    effective_date = DateField("Effective date", validators=[Optional()])
    end_date = DateField("End date", validators=[Optional()])
    auto_renew = BooleanField("Renews automatically unless a Party gives notice")
    renewal_term_months = whole("Each renewal lasts (months)", 120)
    renewal_notice_days = whole("Notice to stop renewal (days)", 3650)
    milestones = rows(MilestoneRow, "Milestones")

    def validate_end_date(self, field):
        if field.data and self.effective_date.data and field.data <= self.effective_date.data:
            raise ValidationError("The end date must come after the effective date.")


# 4. Costs -----------------------------------------------------------------------------

class RateRow(Form):
    code = text("Task code", 40)
    description = text("Description", 1000)
    unit = text("Unit", 40)
    price = money("Price")
    out_of_hours_multiplier = decimal("Out-of-hours multiplier", 10)


class InstalmentRow(Form):
    label = text("Instalment")
    percent = percent("% of the contract value")
    amount = money("or amount")
    trigger = choice("Due", {"signing": "On signing", "milestone": "On a milestone", "date": "On a date",
                             "completion": "On completion"})
    milestone = text("Milestone (if due on one)")
    date = DateField("Date (if due on one)", validators=[Optional()])

    def validate_amount(self, field):
        if field.data is not None and self.percent.data is not None:
            raise ValidationError("Give a percentage or an amount, not both.")


class CostsForm(FlaskForm):
    currency = text("Currency (ISO code, e.g. EUR)", 3)
    pricing_model = choice("Pricing model", {"fixed": "Fixed price", "time_and_materials": "Time and materials",
                                             "retainer": "Monthly retainer"})
    contract_value = money("Contract value")
    monthly_fee = money("Monthly fee")
    rates = rows(RateRow, "Rate card")
    payment_schedule = rows(InstalmentRow, "Payment schedule")
    invoicing = choice("Invoicing", {"monthly": "Monthly in arrears", "monthly_in_advance": "Monthly in advance",
                                     "quarterly": "Quarterly in advance", "per_schedule": "As the payment schedule falls due"})
    payment_due_days = whole("Invoices due within (days)", 365)
    late_interest_percent = percent("Late-payment interest (% a year)")
    expenses = choice("Expenses", {"included": "Included in the fees", "at_cost": "Reimbursed at cost",
                                   "preapproved": "Reimbursed at cost when approved in advance"})
    prepaid_hours = decimal("Prepaid hours or credits")

    def validate_currency(self, field):
        if field.data:
            field.data = field.data.upper()
            if field.data not in list_currencies():
                raise ValidationError("Use a three-letter ISO 4217 currency code such as EUR, USD or PLN.")


# 5. Client responsibilities -----------------------------------------------------------

class ClientForm(FlaskForm):
    feedback_days = whole("Feedback and approvals within (business days)", 90)
    access_date = DateField("Access to systems and data by", validators=[Optional()])
    point_of_contact = text("The client's point of contact")
    sme_hours_per_week = whole("Subject-matter experts available (hours a week)", 168)
    stakeholder_notice_days = whole("Stakeholders available with notice of (business days)", 90)
    custom = rows(TextRow, "Further client responsibilities")


# 6. Escalation ------------------------------------------------------------------------

class EscalationRow(Form):
    name = text("Level", 60)
    trigger = text("Trigger", 1000)
    provider_contact = text("Provider contact")
    client_contact = text("Client contact")
    response_hours = decimal("Response (hours)")


class EscalationForm(FlaskForm):
    levels = rows(EscalationRow, "Escalation levels")
    negotiation_days = whole("Negotiate in good faith for (days)", 365)
    mediation = BooleanField("Then mediation")
    final_forum = choice("Then", {"arbitration": "Arbitration", "courts": "The courts"})
    arbitration_rules = text("Arbitration rules")
    governing_law = text("Governing law")
    venue = text("Seat or venue")


# 7. Sanctions -------------------------------------------------------------------------

class CreditRow(Form):
    priority = text("Service level (priority)", 20)
    threshold_percent = percent("Met in at least (%)")
    credit_percent = percent("Credit (% of the monthly fee)")
    no_credit = BooleanField("No credit")

    def validate_credit_percent(self, field):
        if field.data is not None and self.no_credit.data:
            raise ValidationError("Either a credit or “no credit”, not both.")


class SanctionsForm(FlaskForm):
    credits = rows(CreditRow, "Service credits")
    credit_cap_percent = percent("Credits capped at (% of the monthly fee)")
    late_penalty_percent_per_week = percent("Late delivery penalty (% a week)")
    late_penalty_cap_percent = percent("Late delivery penalties capped at (%)")
    cure_days = whole("Cure period (days)", 365)
    liability_cap_percent = decimal("Liability cap (% of a year's fees)", 1000)
    termination_notice_days = whole("Termination notice (days)", 3650)


# 8. Change control and review ---------------------------------------------------------

class ChangeForm(FlaskForm):
    requesters = choice("Who may request a change", {"either_party": "Either Party", "client_only": "The client only"})
    impact_days = whole("Impact assessment within (business days)", 90)
    amendment_threshold_percent = percent("Changes above this % of the contract value need a new agreement")
    review_cadence = choice("Periodic review", {"monthly": "Monthly", "quarterly": "Quarterly",
                                                "semiannual": "Every six months", "annual": "Annually"})
    reporting = long_text("What service performance is reported")
    report_frequency = choice("Reports", {"monthly": "Monthly", "quarterly": "Quarterly"})
    renewal_lead_days = whole("Renewal review before the end date (days)", 365)
    confidentiality_years = whole("Confidentiality lasts (years after the end)", 50)
