"""Forms of the negotiation: share, send, respond, comment, add or remove a clause."""
from flask_wtf import FlaskForm
from wtforms import HiddenField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from ..document.model import TEXT_MAX, TITLE_MAX
from ..inputs.ids import IdField
from ..models.negotiation import COMMENT_MAX, REASON_MAX
from ..revisions.forms import unix_newlines
from ..revisions.services import MESSAGE_MAX


def _strip(value):
    return value.strip() if isinstance(value, str) else value


class MessageForm(FlaskForm):
    """Share the draft, or send it to the other side: a revision with a message."""

    message = StringField("Message to the other side (kept in the history)", filters=[_strip],
                          validators=[DataRequired("Say in a few words what this round holds."), Length(max=MESSAGE_MAX)])


def _too_long(what: str, maximum: int) -> Length:
    return Length(max=maximum, message=f"{what} holds at most %(max)d characters; this one has %(length)d. "
                                       "Shorten it and send it again.")


class RejectForm(FlaskForm):
    reason = TextAreaField("Why you reject it", filters=[_strip],
                           validators=[DataRequired("Give the other side your reason."), _too_long("A reason", REASON_MAX)])


class CommentForm(FlaskForm):
    body = TextAreaField("Comment", filters=[_strip],
                         validators=[DataRequired("Write something first."), _too_long("A comment", COMMENT_MAX)])
    clause_key = HiddenField()
    thread = IdField(validators=[Optional()])


class NewClauseForm(FlaskForm):
    section = SelectField("Section")
    title = StringField("Title", filters=[_strip], validators=[DataRequired("Give the clause a title."), Length(max=TITLE_MAX)])
    # Not stripped: what a party typed is what they proposed.
    text = TextAreaField("Text", filters=[unix_newlines], validators=[InputRequired("A clause needs text."), Length(max=TEXT_MAX)])
    reason = TextAreaField("Reason (optional)", filters=[_strip], validators=[Length(max=REASON_MAX)])


class ReasonForm(FlaskForm):
    reason = TextAreaField("Reason (optional)", filters=[_strip], validators=[_too_long("A reason", REASON_MAX)])
