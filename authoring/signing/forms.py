"""The signing form and the reopen form."""
import unicodedata

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, HiddenField, PasswordField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, ValidationError

from ..i18n.forms import Form
from ..models.signature import NAME_MAX, TITLE_MAX


def _strip(value):
    return value.strip() if isinstance(value, str) else value


# Bidi overrides, embeddings and isolates can make a sealed name display as another one;
# the plain marks (U+200E/U+200F) that right-to-left writers use are fine.
_BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def _printable(_form, field) -> None:
    """A name on a signature is sealed as typed: control characters have no place in it."""
    if field.data and any(unicodedata.category(c) == "Cc" or c in _BIDI_CONTROLS for c in field.data):
        raise ValidationError(_l("Remove the invisible control characters from what you typed."))


class SignForm(Form):
    full_name = StringField(_l("Your full name"), filters=[_strip], validators=[
        DataRequired(_l("Type your full name as it should appear on the agreement.")), Length(max=NAME_MAX), _printable])
    job_title = StringField(_l("Your title"), filters=[_strip], validators=[
        DataRequired(_l("Type your title, e.g. Managing Director.")), Length(max=TITLE_MAX), _printable])
    password = PasswordField(_l("Your password (to confirm it is you)"), validators=[
        DataRequired(_l("Re-enter your password to sign.")), Length(max=1024)])
    # Only a ticked box (or an explicit yes) is consent; "no" or "off" is not.
    consent = BooleanField(_l("I agree to sign electronically, as set out above."),
                           false_values=("false", "", "no", "off", "0", "n"), validators=[
        DataRequired(_l("Tick the box to agree to sign electronically; without it nothing is signed."))])
    # The hash of the text the page showed: a text changed since is not signed.
    shown_hash = HiddenField(validators=[DataRequired(), Length(min=64, max=64)])


class ReopenForm(Form):
    reason = TextAreaField(_l("Why the agreement must change"), filters=[_strip], validators=[
        DataRequired(_l("Say what must change; the other side reads it.")), Length(max=2000)])
