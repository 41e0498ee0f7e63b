"""Forms for accounts. Lengths match the columns, so nothing is cut off silently."""
from flask_wtf import FlaskForm
from wtforms import EmailField, HiddenField, PasswordField, StringField
from wtforms.validators import DataRequired, Email, EqualTo, Length

from ..models.user import EMAIL_MAX, NAME_MAX

PASSWORD_MIN, PASSWORD_MAX = 10, 256


def _strip(value):
    return value.strip() if isinstance(value, str) else value


class RegisterForm(FlaskForm):
    name = StringField("Full name", filters=[_strip], validators=[DataRequired("Enter your full name."), Length(max=NAME_MAX)])
    email = EmailField(
        "E-mail address",
        filters=[_strip],
        validators=[DataRequired("Enter your e-mail address."), Length(max=EMAIL_MAX),
                    Email("Enter a valid e-mail address.", check_deliverability=False)],
    )
    password = PasswordField(
        "Password",
        validators=[DataRequired("Choose a password."),
                    Length(PASSWORD_MIN, PASSWORD_MAX, f"Use {PASSWORD_MIN} to {PASSWORD_MAX} characters.")],
    )
    confirm = PasswordField("Repeat password", validators=[EqualTo("password", "The two passwords differ.")])


class LoginForm(FlaskForm):
    email = EmailField("E-mail address", filters=[_strip], validators=[DataRequired("Enter your e-mail address."), Length(max=EMAIL_MAX)])
    password = PasswordField("Password", validators=[DataRequired("Enter your password."), Length(max=PASSWORD_MAX)])


class ChangePasswordForm(FlaskForm):
    current_password = PasswordField("Current password", validators=[DataRequired("Enter your current password."), Length(max=PASSWORD_MAX)])
    new_password = PasswordField(
        "New password",
        validators=[DataRequired("Choose a new password."),
                    Length(PASSWORD_MIN, PASSWORD_MAX, f"Use {PASSWORD_MIN} to {PASSWORD_MAX} characters.")],
    )
    confirm = PasswordField("Repeat new password", validators=[EqualTo("new_password", "The two passwords differ.")])


class ConfirmEmailForm(FlaskForm):
    """The button that uses a confirmation link: a POST, so mail scanners opening the link use nothing."""


class ResendConfirmationForm(FlaskForm):
    # Where the new link should lead after confirming (checked like ?next= on use).
    next = HiddenField()
