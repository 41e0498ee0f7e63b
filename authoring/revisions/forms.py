"""Forms for editing the draft and cutting revisions."""
from flask_wtf import FlaskForm
from wtforms import HiddenField, IntegerField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length

from ..document.model import TEXT_MAX
from .services import MESSAGE_MAX


class ClauseTextForm(FlaskForm):
    # Not stripped: what a party typed is what they agreed to.
    text = TextAreaField("Clause text", validators=[InputRequired("A clause needs text."), Length(max=TEXT_MAX)])
    base_version = IntegerField(widget=HiddenField.widget, validators=[InputRequired()])


class CutRevisionForm(FlaskForm):
    message = StringField(
        "What changed (shown in the history)",
        filters=[lambda v: v.strip() if isinstance(v, str) else v],
        validators=[DataRequired("Say in a few words what changed."), Length(max=MESSAGE_MAX)],
    )
