"""The form that adds a webhook endpoint: its address and the events it receives."""
from flask_babel import lazy_gettext as _l
from wtforms import SelectChoice, SelectMultipleField, URLField
from wtforms.validators import DataRequired, Length

from ..i18n.forms import Form
from ..models.webhook import URL_MAX
from .events import EVENT_TYPES


def _strip(value):
    return value.strip() if isinstance(value, str) else value


class EndpointForm(Form):
    # The address is checked by the service (scheme, credentials, private networks), which says why it refuses.
    url = URLField(_l("Address (URL) your system receives events at"), filters=[_strip],
                   validators=[DataRequired(_l("Enter the address your system receives webhooks at.")),
                               Length(max=URL_MAX)])
    events = SelectMultipleField(_l("Events to send"), choices=[SelectChoice(name, label)
                                                                for name, label in EVENT_TYPES.items()],
                                 validators=[DataRequired(_l("Choose at least one event to send."))],
                                 default=list(EVENT_TYPES))
