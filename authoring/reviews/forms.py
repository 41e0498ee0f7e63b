"""The review form: when, who, how each service level did, what was decided, who does what by when."""
from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField
from wtforms import DateField, FieldList, FormField, HiddenField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional, ValidationError

from ..i18n.forms import Form, RowForm
from ..inputs.numbers import NumberField

LONG = 5000
ACTION_ROWS = 5


def _strip(value):
    return value.strip() if isinstance(value, str) else value


class AchievedForm(RowForm):
    service_level = HiddenField()
    achieved = NumberField(_l("Achieved"))  # as the agreement's language writes numbers (form meta)
    period = StringField(_l("Period"), filters=[_strip], validators=[Length(max=40)])


class ActionForm(RowForm):
    action = StringField(_l("Action"), filters=[_strip], validators=[Length(max=500)])
    owner = StringField(_l("Owner"), filters=[_strip], validators=[Length(max=200)])
    due_on = DateField(_l("Due"), validators=[Optional()])

    def validate_action(self, field) -> None:
        if (self.owner.data or self.due_on.data) and not field.data:
            raise ValidationError(_("Say what is to be done."))

    def validate_owner(self, field) -> None:
        if self.action.data and not field.data:
            raise ValidationError(_("Name who does it."))


class ReviewForm(Form):
    held_on = DateField(_l("Held on"), validators=[DataRequired(_l("Give the date the review was held."))])
    provider_participants = TextAreaField(_l("Provider's participants (one per line)"), filters=[_strip],
                                          validators=[DataRequired(_l("Name who took part for the provider.")), Length(max=LONG)])
    client_participants = TextAreaField(_l("Client's participants (one per line)"), filters=[_strip],
                                        validators=[DataRequired(_l("Name who took part for the client.")), Length(max=LONG)])
    achieved = FieldList(FormField(AchievedForm))
    measurements = FileField(_l("…or a CSV of measurements (service_level, target, achieved, unit, period)"))
    effectiveness = TextAreaField(_l("How effective was the service?"), filters=[_strip], validators=[Length(max=LONG)])
    client_issues = TextAreaField(_l("Issues with the client's responsibilities"), filters=[_strip], validators=[Length(max=LONG)])
    decisions = TextAreaField(_l("Decisions"), filters=[_strip], validators=[Length(max=LONG)])
    actions = FieldList(FormField(ActionForm), min_entries=ACTION_ROWS, max_entries=ACTION_ROWS)

    def people(self) -> dict[str, list[str]]:
        return {side: [line.strip() for line in (field.data or "").splitlines() if line.strip()]
                for side, field in (("provider", self.provider_participants), ("client", self.client_participants))}

    def action_rows(self) -> list[dict[str, str | None]]:
        return [{"action": row.action.data, "owner": row.owner.data,
                 "due_on": row.due_on.data.isoformat() if row.due_on.data else None}
                for row in self.actions if row.action.data]


class TerminationForm(Form):
    terminated_on = DateField(_l("Terminated with effect from"), validators=[DataRequired(_l("Give the date the agreement ends."))])
    clause = SelectField(_l("Under clause"), choices=[])
    reason = TextAreaField(_l("Reason"), filters=[_strip], validators=[
        DataRequired(_l("Say why the agreement is terminated.")), Length(max=LONG)])


class AmendmentForm(Form):
    reason = TextAreaField(_l("What must change, and why"), filters=[_strip], validators=[
        DataRequired(_l("Say what the amendment is for; the other side reads it.")), Length(max=LONG)])
    effective_on = DateField(_l("Effective from (optional; default: the day it is signed)"), validators=[Optional()])
    review = HiddenField()


class AbandonForm(Form):
    reason = TextAreaField(_l("Why the amendment is abandoned"), filters=[_strip], validators=[
        DataRequired(_l("Say why; the other side reads it.")), Length(max=LONG)])
