"""The request every view sees: submitted values without NUL characters.

No one types a NUL (U+0000): it is invisible, and PostgreSQL cannot store it in a text
column, so a form value carrying one (a comment, an e-mail address at log-in) failed
with a 500 there while SQLite kept it. It is dropped from every query and form value
where they are parsed, once, so both databases see the same text.
"""
from __future__ import annotations

from flask import Request as FlaskRequest
from werkzeug.datastructures import ImmutableMultiDict, iter_multi_items


def _without_nul(value):
    return value.replace("\x00", "") if isinstance(value, str) else value


class SubmittedValues(ImmutableMultiDict):
    """Query or form values as sent, less any NUL character (files are left as they are)."""

    def __init__(self, mapping=None):
        if mapping is not None:
            mapping = [(key, _without_nul(value)) for key, value in iter_multi_items(mapping)]
        super().__init__(mapping)


class Request(FlaskRequest):
    parameter_storage_class = SubmittedValues
