"""Forms of the Word round trip: upload a file, then choose which of its changes to propose."""
from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField, FileRequired

from ..i18n.forms import Form


class WordUploadForm(Form):
    """A Word file the other side edited (.docx)."""

    file = FileField(_l("Word file (.docx) the other side edited"),
                     validators=[FileRequired(_l("Choose the Word file first."))])


class ProposeChangesForm(Form):
    """The preview's submit: the ticked clauses come as the repeated field `clause` (read by the view)."""
