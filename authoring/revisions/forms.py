"""Forms for editing the draft and cutting revisions."""
from flask_babel import lazy_gettext as _l
from wtforms import HiddenField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from ..document.model import TEXT_MAX
from ..i18n.forms import Form
from ..inputs.ids import IdField
from ..models.negotiation import REASON_MAX
from .services import MESSAGE_MAX


def unix_newlines(value):
    """Browsers send every line break as CR LF; the stored text uses LF, as typed."""
    return value.replace("\r\n", "\n") if isinstance(value, str) else value


class ClauseTextForm(Form):
    # Not stripped: what a party typed is what they agreed to.
    text = TextAreaField(_l("Clause text"), filters=[unix_newlines],
                         validators=[InputRequired(_l("A clause needs text.")), Length(max=TEXT_MAX)])
    # What the edit was based on: the draft's version and the clause's text then.
    base_version = IdField(validators=[InputRequired()])
    base_text = HiddenField(filters=[unix_newlines], validators=[Length(max=TEXT_MAX)])
    reason = TextAreaField(_l("Why (shown to the other side; optional)"),
                           filters=[lambda v: v.strip() if isinstance(v, str) else v], validators=[Length(max=REASON_MAX)])
    counter_of = IdField(validators=[Optional()])


class CutRevisionForm(Form):
    message = StringField(
        _l("What changed (shown in the history)"),
        filters=[lambda v: v.strip() if isinstance(v, str) else v],
        validators=[DataRequired(_l("Say in a few words what changed.")), Length(max=MESSAGE_MAX)],
    )
