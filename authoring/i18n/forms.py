"""The interface-language form."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, SelectField

from ..config import LANGUAGES


class LanguageForm(FlaskForm):
    language = SelectField(_l("Interface language"), choices=[("", _l("My browser's language")), *LANGUAGES.items()],
                          default="")
    next = HiddenField()
