"""Forms of the negotiation: share, send, respond, comment, add or remove a clause."""
from flask_babel import lazy_gettext as _l
from wtforms import HiddenField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from ..document.model import TEXT_MAX, TITLE_MAX
from ..i18n.forms import Form
from ..inputs.ids import IdField
from ..models.negotiation import COMMENT_MAX, REASON_MAX
from ..revisions.forms import unix_newlines
from ..revisions.services import MESSAGE_MAX


def _strip(value):
    return value.strip() if isinstance(value, str) else value


class MessageForm(Form):
    """Share the draft, or send it to the other side: a revision with a message."""

    message = StringField(_l("Message to the other side (kept in the history)"), filters=[_strip],
                          validators=[DataRequired(_l("Say in a few words what this round holds.")),
                                      Length(max=MESSAGE_MAX)])


# Whole sentences (WTForms fills in %(max)d and %(length)d), so each language words them its own way.
REASON_TOO_LONG = _l("A reason holds at most %(max)d characters; this one has %(length)d. Shorten it and send it again.")
COMMENT_TOO_LONG = _l("A comment holds at most %(max)d characters; this one has %(length)d. Shorten it and send it again.")


class RejectForm(Form):
    reason = TextAreaField(_l("Why you reject it"), filters=[_strip],
                           validators=[DataRequired(_l("Give the other side your reason.")),
                                       Length(max=REASON_MAX, message=REASON_TOO_LONG)])


class CommentForm(Form):
    body = TextAreaField(_l("Comment"), filters=[_strip],
                         validators=[DataRequired(_l("Write something first.")), Length(max=COMMENT_MAX, message=COMMENT_TOO_LONG)])
    clause_key = HiddenField()
    thread = IdField(validators=[Optional()])


class NewClauseForm(Form):
    section = SelectField(_l("Section"))
    title = StringField(_l("Title"), filters=[_strip],
                        validators=[DataRequired(_l("Give the clause a title.")), Length(max=TITLE_MAX)])
    # Not stripped: what a party typed is what they proposed.
    text = TextAreaField(_l("Text"), filters=[unix_newlines],
                         validators=[InputRequired(_l("A clause needs text.")), Length(max=TEXT_MAX)])
    reason = TextAreaField(_l("Reason (optional)"), filters=[_strip], validators=[Length(max=REASON_MAX)])


class ReasonForm(Form):
    reason = TextAreaField(_l("Reason (optional)"), filters=[_strip],
                           validators=[Length(max=REASON_MAX, message=REASON_TOO_LONG)])
