"""The form of the service pages: a CSV file of incidents or outages to import."""
from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField, FileRequired

from ..i18n.forms import Form


class SlaFileForm(Form):
    """A CSV file whose header row says whether it holds incidents or outages."""

    file = FileField(_l("CSV file of incidents or outages"),
                     validators=[FileRequired(_l("Choose the CSV file first."))])
