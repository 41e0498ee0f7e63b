"""Ids and numbers of rows, from an address (`<int:…>`) or a hidden form field.

A key the database cannot hold cannot name a row: it is "not found" (404) or a form
error, never a query that overflows (SQLite raises OverflowError past 2^63 - 1,
PostgreSQL "integer out of range" past 2^31 - 1 for an integer column).
"""
from __future__ import annotations

import re

from flask_babel import gettext as _
from werkzeug.routing import IntegerConverter
from wtforms import IntegerField
from wtforms.widgets import HiddenInput

from ..models.base import MAX_ID

DIGITS = re.compile(r"[0-9]{1,19}")


def parse_id(value: object) -> int | None:
    """`value` as a row id or number (1 to MAX_ID, ASCII digits only), else None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        number = value
    elif isinstance(value, str) and DIGITS.fullmatch(value.strip()):
        number = int(value)
    else:
        return None
    return number if 0 < number <= MAX_ID else None


class IdConverter(IntegerConverter):
    """`<int:…>` in every route: ASCII digits up to MAX_ID, so a larger id does not match (404).

    Registered as the app's "int" converter, so every route, present and future, is bounded.
    """

    regex = r"[0-9]{1,19}"  # \d would also match other scripts' digits

    def __init__(self, map, fixed_digits: int = 0, min: int | None = None, max: int | None = MAX_ID,
                 signed: bool = False) -> None:
        super().__init__(map, fixed_digits=fixed_digits, min=min, max=max, signed=signed)


class IdField(IntegerField):
    """A hidden field naming a row (a proposal, a thread, a draft version): a reference the page set.

    Anything but an id the database can hold is a form error, so the form re-shows
    instead of the value reaching a query.
    """

    widget = HiddenInput()

    def process_formdata(self, valuelist):
        if not valuelist or valuelist[0] == "":
            self.data = None
            return
        self.data = parse_id(valuelist[0])
        if self.data is None:
            raise ValueError(_("This form refers to something that does not exist. Reload the page and try again."))

    def post_validate(self, form, validation_stopped):
        # A hidden field shows no error of its own: say it where the form's errors are shown.
        for error in self.errors:
            if error not in form.form_errors:
                form.form_errors.append(error)
