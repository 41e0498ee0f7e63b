"""The interface-language form."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, SelectChoice, SelectField

from ..config import LANGUAGES


class LanguageForm(FlaskForm):
    # SelectChoice, not tuples: WTForms deprecates tuple choices, and the tests treat warnings as errors.
    language = SelectField(_l("Interface language"),
                           choices=[SelectChoice("", _l("My browser's language")),
                                    *(SelectChoice(code, name) for code, name in LANGUAGES.items())],
                           default="")
    next = HiddenField()
