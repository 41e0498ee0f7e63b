"""The signing form and the reopen form."""
from flask_wtf import FlaskForm
from wtforms import BooleanField, HiddenField, PasswordField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length

from ..models.signature import NAME_MAX, TITLE_MAX


def _strip(value):
    return value.strip() if isinstance(value, str) else value


class SignForm(FlaskForm):
    full_name = StringField("Your full name", filters=[_strip], validators=[
        DataRequired("Type your full name as it should appear on the agreement."), Length(max=NAME_MAX)])
    job_title = StringField("Your title", filters=[_strip], validators=[
        DataRequired("Type your title, e.g. Managing Director."), Length(max=TITLE_MAX)])
    password = PasswordField("Your password (to confirm it is you)", validators=[
        DataRequired("Re-enter your password to sign."), Length(max=1024)])
    consent = BooleanField("I agree to sign electronically, as set out above.", validators=[
        DataRequired("Tick the box to agree to sign electronically; without it nothing is signed.")])
    # The hash of the text the page showed: a text changed since is not signed.
    shown_hash = HiddenField(validators=[DataRequired(), Length(min=64, max=64)])


class ReopenForm(FlaskForm):
    reason = TextAreaField("Why the agreement must change", filters=[_strip], validators=[
        DataRequired("Say what must change; the other side reads it."), Length(max=2000)])
