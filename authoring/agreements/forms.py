"""Forms for agreement workspaces and their members."""
from flask_wtf import FlaskForm
from wtforms import EmailField, SelectChoice, SelectField, StringField
from wtforms.validators import DataRequired, Email, Length, Optional

from ..config import LANGUAGES
from ..models import ROLES, SIDES
from ..models.agreement import ORG_NAME_MAX, TITLE_MAX

ROLE_LABELS = {
    "owner": "Owner — manages members and the agreement",
    "editor": "Editor — edits the draft",
    "reviewer": "Reviewer (legal) — comments and proposes, never signs",
    "signatory": "Signatory — signs for their side",
    "viewer": "Viewer — reads only",
}
SIDE_LABELS = {"provider": "Provider side", "client": "Client side"}


def _strip(value):
    return value.strip() if isinstance(value, str) else value


START_SIDES = {"provider": "The provider — we deliver the service", "client": "The client — we receive the service"}


class NewAgreementForm(FlaskForm):
    side = SelectField("Your side", choices=[SelectChoice(s, label) for s, label in START_SIDES.items()], default="provider")
    title = StringField("Title", filters=[_strip], validators=[DataRequired("Give the agreement a title."), Length(max=TITLE_MAX)])
    language = SelectField("Language of the agreement", choices=[SelectChoice(code, name) for code, name in LANGUAGES.items()], default="en")
    provider_name = StringField(
        "Provider organisation", filters=[_strip],
        validators=[DataRequired("Name the organisation providing the service."), Length(max=ORG_NAME_MAX)],
    )
    client_name = StringField(
        "Client organisation", filters=[_strip],
        validators=[DataRequired("Name the client organisation."), Length(max=ORG_NAME_MAX)],
    )


class InviteForm(FlaskForm):
    side = SelectField("Side", choices=[SelectChoice(s, SIDE_LABELS[s]) for s in SIDES])
    role = SelectField("Role", choices=[SelectChoice(r, ROLE_LABELS[r]) for r in ROLES], default="editor")
    email = EmailField(
        "Only for this e-mail address (optional)", filters=[_strip],
        validators=[Optional(), Length(max=254), Email("Enter a valid e-mail address.", check_deliverability=False)],
    )


class MemberRoleForm(FlaskForm):
    role = SelectField("Role", choices=[SelectChoice(r, r) for r in ROLES])


class ConfirmForm(FlaskForm):
    """A button-only form: carries the CSRF token for a state-changing POST."""
