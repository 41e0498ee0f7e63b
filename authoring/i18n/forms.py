"""The interface-language form."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, SelectChoice, SelectField

from ..config import LANGUAGES


class LanguageForm(FlaskForm):
    # Each language is named in itself ("Polski", "עברית"), so a reader finds theirs whatever the page's language.
    language = SelectField(_l("Interface language"), default="",
                           choices=[SelectChoice("", _l("My browser's language")),
                                    *(SelectChoice(code, name, render_kw={"lang": code}) for code, name in LANGUAGES.items())])
    next = HiddenField()
