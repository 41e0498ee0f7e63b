"""The account page's form for a new API token."""
from flask_babel import lazy_gettext as _l
from wtforms import SelectChoice, SelectField, SelectMultipleField, StringField
from wtforms.validators import DataRequired, Length

from ..i18n.forms import Form
from ..models.api_token import TOKEN_NAME_MAX

SCOPE_LABELS = {"read": _l("Read only"), "read-write": _l("Read and write (what your role allows; never signs)")}
DAY_CHOICES = (7, 30, 90, 365)


def _strip(value):
    return value.strip() if isinstance(value, str) else value


class NewTokenForm(Form):
    name = StringField(_l("Name (what will use it)"), filters=[_strip],
                       validators=[DataRequired(_l("Name the token, so you know later what uses it.")),
                                   Length(max=TOKEN_NAME_MAX)])
    scope = SelectField(_l("Access"), choices=[SelectChoice(value, label) for value, label in SCOPE_LABELS.items()],
                        default="read")
    days = SelectField(_l("Expires after"), coerce=int, default=90,
                       choices=[SelectChoice(days, _l("%(num)d days", num=days)) for days in DAY_CHOICES])
    agreements = SelectMultipleField(_l("Only these agreements (optional)"), coerce=int, choices=[])
