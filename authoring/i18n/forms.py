"""The base of every form (its messages come from our catalogues) and the interface-language form."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import Form as WtformsForm
from wtforms import HiddenField, SelectChoice, SelectField

from ..config import LANGUAGES
from .wtforms_messages import TRANSLATIONS


class Form(FlaskForm):
    """A Flask-WTF form whose built-in messages ("Not a valid choice.") speak the interface language."""

    class Meta:
        def get_translations(self, form):
            return TRANSLATIONS


class LanguageForm(Form):
    # Each language is named in itself ("Polski", "עברית"), so a reader finds theirs whatever the page's language.
    language = SelectField(_l("Interface language"), default="",
                           choices=[SelectChoice("", _l("My browser's language")),
                                    *(SelectChoice(code, name, render_kw={"lang": code}) for code, name in LANGUAGES.items())])
    next = HiddenField()


class RowForm(WtformsForm):
    """A form inside a form (a table row, a group of fields): no CSRF of its own, the same translated messages."""

    class Meta:
        def get_translations(self, form):
            return TRANSLATIONS
