"""Forms for accounts. Lengths match the columns, so nothing is cut off silently."""
from flask_babel import lazy_gettext as _l
from wtforms import EmailField, HiddenField, PasswordField, StringField
from wtforms.validators import DataRequired, Email, EqualTo, Length

from ..i18n.forms import Form
from ..models.user import EMAIL_MAX, NAME_MAX

PASSWORD_MIN, PASSWORD_MAX = 10, 256
# Length fills in min and max, in the language of the page.
LENGTH_MESSAGE = _l("Use %(min)d to %(max)d characters.")


def _strip(value):
    return value.strip() if isinstance(value, str) else value


class RegisterForm(Form):
    name = StringField(_l("Full name"), filters=[_strip], validators=[DataRequired(_l("Enter your full name.")), Length(max=NAME_MAX)])
    email = EmailField(
        _l("E-mail address"),
        filters=[_strip],
        validators=[DataRequired(_l("Enter your e-mail address.")), Length(max=EMAIL_MAX),
                    Email(_l("Enter a valid e-mail address."), check_deliverability=False)],
    )
    password = PasswordField(
        _l("Password"),
        validators=[DataRequired(_l("Choose a password.")),
                    Length(PASSWORD_MIN, PASSWORD_MAX, LENGTH_MESSAGE)],
    )
    confirm = PasswordField(_l("Repeat password"), validators=[EqualTo("password", _l("The two passwords differ."))])


class LoginForm(Form):
    email = EmailField(_l("E-mail address"), filters=[_strip], validators=[DataRequired(_l("Enter your e-mail address.")), Length(max=EMAIL_MAX)])
    password = PasswordField(_l("Password"), validators=[DataRequired(_l("Enter your password.")), Length(max=PASSWORD_MAX)])


class ChangePasswordForm(Form):
    current_password = PasswordField(_l("Current password"), validators=[DataRequired(_l("Enter your current password.")), Length(max=PASSWORD_MAX)])
    new_password = PasswordField(
        _l("New password"),
        validators=[DataRequired(_l("Choose a new password.")),
                    Length(PASSWORD_MIN, PASSWORD_MAX, LENGTH_MESSAGE)],
    )
    confirm = PasswordField(_l("Repeat new password"), validators=[EqualTo("new_password", _l("The two passwords differ."))])


class ConfirmEmailForm(Form):
    """The button that uses a confirmation link: a POST, so mail scanners opening the link use nothing."""


class ResendConfirmationForm(Form):
    # Where the new link should lead after confirming (checked like ?next= on use).
    next = HiddenField()
