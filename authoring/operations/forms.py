"""The form of the service pages: a CSV file of incidents or outages to import."""
from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField, FileRequired
from wtforms import SelectField, TextAreaField
from wtforms.validators import DataRequired, Length

from ..i18n.forms import Form


class SlaFileForm(Form):
    """A CSV file whose header row says whether it holds incidents or outages."""

    file = FileField(_l("CSV file of incidents or outages"),
                     validators=[FileRequired(_l("Choose the CSV file first."))])


class DisputeForm(Form):
    """The client disputes one line of the report: a priority's figure or an incident."""

    line = SelectField(_l("Line disputed"), choices=[], validators=[DataRequired(_l("Choose the line you dispute."))])
    body = TextAreaField(_l("What is wrong, and why"), validators=[
        DataRequired(_l("Write what is disputed and why.")), Length(max=5000)])


class DisputeAnswerForm(Form):
    """A message in a dispute's thread, which may also change its status."""

    body = TextAreaField(_l("Message"), validators=[DataRequired(_l("Write your message.")), Length(max=5000)])
    status = SelectField(_l("Status"), choices=[], validate_choice=True)
