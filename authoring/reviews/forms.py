"""The review form: when, who, how each service level did, what was decided, who does what by when."""
from __future__ import annotations

from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import DateField, FieldList, Form, FormField, HiddenField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional, ValidationError

from ..inputs.numbers import NumberField

LONG = 5000
ACTION_ROWS = 5


def _strip(value):
    return value.strip() if isinstance(value, str) else value


class AchievedForm(Form):
    service_level = HiddenField()
    achieved = NumberField("Achieved")  # as the agreement's language writes numbers (form meta)
    period = StringField("Period", filters=[_strip], validators=[Length(max=40)])


class ActionForm(Form):
    action = StringField("Action", filters=[_strip], validators=[Length(max=500)])
    owner = StringField("Owner", filters=[_strip], validators=[Length(max=200)])
    due_on = DateField("Due", validators=[Optional()])

    def validate_action(self, field) -> None:
        if (self.owner.data or self.due_on.data) and not field.data:
            raise ValidationError("Say what is to be done.")

    def validate_owner(self, field) -> None:
        if self.action.data and not field.data:
            raise ValidationError("Name who does it.")


class ReviewForm(FlaskForm):
    held_on = DateField("Held on", validators=[DataRequired("Give the date the review was held.")])
    provider_participants = TextAreaField("Provider's participants (one per line)", filters=[_strip],
                                          validators=[DataRequired("Name who took part for the provider."), Length(max=LONG)])
    client_participants = TextAreaField("Client's participants (one per line)", filters=[_strip],
                                        validators=[DataRequired("Name who took part for the client."), Length(max=LONG)])
    achieved = FieldList(FormField(AchievedForm))
    measurements = FileField("…or a CSV of measurements (service_level, target, achieved, unit, period)")
    effectiveness = TextAreaField("How effective was the service?", filters=[_strip], validators=[Length(max=LONG)])
    client_issues = TextAreaField("Issues with the client's responsibilities", filters=[_strip], validators=[Length(max=LONG)])
    decisions = TextAreaField("Decisions", filters=[_strip], validators=[Length(max=LONG)])
    actions = FieldList(FormField(ActionForm), min_entries=ACTION_ROWS, max_entries=ACTION_ROWS)

    def people(self) -> dict[str, list[str]]:
        return {side: [line.strip() for line in (field.data or "").splitlines() if line.strip()]
                for side, field in (("provider", self.provider_participants), ("client", self.client_participants))}

    def action_rows(self) -> list[dict[str, str | None]]:
        return [{"action": row.action.data, "owner": row.owner.data,
                 "due_on": row.due_on.data.isoformat() if row.due_on.data else None}
                for row in self.actions if row.action.data]


class TerminationForm(FlaskForm):
    terminated_on = DateField("Terminated with effect from", validators=[DataRequired("Give the date the agreement ends.")])
    clause = SelectField("Under clause", choices=[])
    reason = TextAreaField("Reason", filters=[_strip], validators=[
        DataRequired("Say why the agreement is terminated."), Length(max=LONG)])


class AmendmentForm(FlaskForm):
    reason = TextAreaField("What must change, and why", filters=[_strip], validators=[
        DataRequired("Say what the amendment is for; the other side reads it."), Length(max=LONG)])
    effective_on = DateField("Effective from (optional; default: the day it is signed)", validators=[Optional()])
    review = HiddenField()


class AbandonForm(FlaskForm):
    reason = TextAreaField("Why the amendment is abandoned", filters=[_strip], validators=[
        DataRequired("Say why; the other side reads it."), Length(max=LONG)])
