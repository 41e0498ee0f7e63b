"""Forms for agreement workspaces and their members, and the words for sides, roles and statuses."""
from collections.abc import Mapping
from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField, FileRequired
from wtforms import EmailField, SelectChoice, SelectField, StringField
from wtforms.validators import DataRequired, Email, Length, Optional

from ..config import LANGUAGES
from ..i18n.forms import Form
from ..models import ROLES, SIDES
from ..models.agreement import ORG_NAME_MAX, TITLE_MAX

# Labels shown to people; the stored values ("owner", "client", "in_review") stay as they are.
ROLE_LABELS = {
    "owner": _l("Owner — manages members and the agreement"),
    "editor": _l("Editor — edits the draft"),
    "reviewer": _l("Reviewer (legal) — comments and proposes, never signs"),
    "signatory": _l("Signatory — signs for their side"),
    "viewer": _l("Viewer — reads only"),
}
# A role as a table cell or a select option shows it.
ROLE_NAMES = {
    "owner": _l("owner"),
    "editor": _l("editor"),
    "reviewer": _l("reviewer"),
    "signatory": _l("signatory"),
    "viewer": _l("viewer"),
}
# A role inside a sentence ("Hal Helper is now owner.").
ROLE_WORDS = {**ROLE_NAMES, "reviewer": _l("reviewer (legal)")}
SIDE_LABELS = {"provider": _l("Provider side"), "client": _l("Client side")}
# A side as one word, in a table cell or inside a sentence ("Jan Kowalski (client)").
SIDE_NAMES = {"provider": _l("provider"), "client": _l("client")}
STATUS_LABELS = {
    "draft": _l("draft"),
    "negotiating": _l("negotiating"),
    "ready": _l("ready"),
    "signing": _l("signing"),
    "executed": _l("executed"),
    "in_review": _l("in review"),
    "terminated": _l("terminated"),
    "expired": _l("expired"),
}


def translated(labels: Mapping[str, Any]) -> dict[str, str]:
    """`labels` (lazy texts) in this request's language, each translated once: for a page that shows
    them on many rows (a lazy text is translated again each time it is shown)."""
    return {key: str(label) for key, label in labels.items()}


def status_label(status: str) -> str:
    """A status as people read it, in the interface language (an unknown one as words)."""
    return str(STATUS_LABELS.get(status) or status.replace("_", " "))


def _strip(value):
    return value.strip() if isinstance(value, str) else value


START_SIDES = {"provider": _l("The provider — we deliver the service"), "client": _l("The client — we receive the service")}


class NewAgreementForm(Form):
    side = SelectField(_l("Your side"), choices=[SelectChoice(s, label) for s, label in START_SIDES.items()], default="provider")
    title = StringField(_l("Title"), filters=[_strip], validators=[DataRequired(_l("Give the agreement a title.")), Length(max=TITLE_MAX)])
    language = SelectField(_l("Language of the agreement"), choices=[SelectChoice(code, name) for code, name in LANGUAGES.items()], default="en")
    provider_name = StringField(
        _l("Provider organisation"), filters=[_strip],
        validators=[DataRequired(_l("Name the organisation providing the service.")), Length(max=ORG_NAME_MAX)],
    )
    client_name = StringField(
        _l("Client organisation"), filters=[_strip],
        validators=[DataRequired(_l("Name the client organisation.")), Length(max=ORG_NAME_MAX)],
    )


class BulkImportForm(Form):
    """A CSV register of existing agreements, and the importing person's organisation (the CSV names the other)."""

    organisation = StringField(
        _l("Your organisation"), filters=[_strip],
        validators=[DataRequired(_l("Name your organisation: it is your party in every agreement of the file.")),
                    Length(max=ORG_NAME_MAX)])
    file = FileField(_l("CSV file of agreements"), validators=[FileRequired(_l("Choose the CSV file first."))])


class InviteForm(Form):
    side = SelectField(_l("Side"), choices=[SelectChoice(s, SIDE_LABELS[s]) for s in SIDES])
    role = SelectField(_l("Role in the agreement"), choices=[SelectChoice(r, ROLE_LABELS[r]) for r in ROLES], default="editor")
    email = EmailField(
        _l("Only for this e-mail address (optional)"), filters=[_strip],
        validators=[Optional(), Length(max=254), Email(_l("Enter a valid e-mail address."), check_deliverability=False)],
    )


class MemberRoleForm(Form):
    role = SelectField(_l("Role in the agreement"), choices=[SelectChoice(r, ROLE_NAMES[r]) for r in ROLES])


# The paper an agreement's Word documents are printed on; "" stores no setting (NULL): the
# paper of the agreement's language (export.paper). "A4" is the same word in every language.
PAPER_LABELS = {"": _l("Automatic (from the agreement's language)"), "A4": "A4", "Letter": _l("US Letter")}


class SettingsForm(Form):
    paper_size = SelectField(_l("Paper size"), choices=[SelectChoice(value, label) for value, label in PAPER_LABELS.items()],
                             default="")


class ConfirmForm(Form):
    """A button-only form: carries the CSRF token for a state-changing POST."""
