"""What the reviews and amendments resources read and write (see schemas.py for the shared field types)."""
from __future__ import annotations

import marshmallow as ma
from marshmallow import fields, validate

from ..inputs.numbers import MAX_QUANTITY
from ..models import AMENDMENT_STATUSES
from ..reviews.forms import LONG
from ..reviews.measurements import MAX_BYTES as MEASUREMENTS_MAX_BYTES
from .schemas import Id, Strict, Text, required_text

PARTICIPANTS_MAX = 50


# Reviews ------------------------------------------------------------------------------------

class ResultSchema(ma.Schema):
    service_level = fields.String()
    target = fields.String(metadata={"description": "The promised value, as a decimal string."})
    achieved = fields.String(metadata={"description": "The measured value, as a decimal string."})
    unit = fields.String(metadata={"description": "percent (higher is better), hours or minutes (lower is better)"})
    met = fields.Boolean()
    period = fields.String()


class ActionSchema(ma.Schema):
    action = fields.String()
    owner = fields.String()
    due_on = fields.String(allow_none=True, metadata={"description": "ISO date, or null."})


class ParticipantsSchema(ma.Schema):
    provider = fields.List(fields.String())
    client = fields.List(fields.String())


class ReviewSchema(ma.Schema):
    number = fields.Integer()
    held_on = fields.Date()
    due_on = fields.Date(allow_none=True, metadata={"description": "The scheduled review this one answered."})
    participants = fields.Nested(ParticipantsSchema)
    results = fields.List(fields.Nested(ResultSchema), metadata={"description": "Each service level measured."})
    effectiveness = fields.String()
    client_issues = fields.String()
    decisions = fields.String()
    actions = fields.List(fields.Nested(ActionSchema))
    recorded_by = fields.String(allow_none=True)
    recorded_at = fields.DateTime()


class ParticipantsInput(Strict):
    provider = fields.List(required_text(200), required=True, validate=validate.Length(min=1, max=PARTICIPANTS_MAX),
                           metadata={"description": "Who took part for the provider."})
    client = fields.List(required_text(200), required=True, validate=validate.Length(min=1, max=PARTICIPANTS_MAX),
                         metadata={"description": "Who took part for the client."})


def _within_quantity(value) -> None:
    if not 0 <= value <= MAX_QUANTITY:
        raise ma.ValidationError(f"Must be from 0 to {int(MAX_QUANTITY)}.")


class AchievedInput(Strict):
    service_level = required_text(120, metadata={"description": "One of the executed terms' service levels "
                                                                "(`Availability`, `P1 response`, …)."})
    # The range as a plain function: apispec would write a Range's bounds as Decimals, which JSON cannot hold.
    achieved = fields.Decimal(required=True, allow_nan=False, validate=_within_quantity,
                              metadata={"description": "What was achieved, in the service level's unit.",
                                        "minimum": 0, "maximum": int(MAX_QUANTITY)})
    period = Text(load_default="", validate=validate.Length(max=40))


class ActionInput(Strict):
    action = required_text(500)
    owner = required_text(200)
    due_on = fields.Date(load_default=None, allow_none=True)


class ReviewCreateSchema(Strict):
    held_on = fields.Date(required=True, metadata={"description": "When the review was held (not in the future)."})
    participants = fields.Nested(ParticipantsInput, required=True)
    achieved = fields.List(fields.Nested(AchievedInput), load_default=list, validate=validate.Length(max=200),
                           metadata={"description": "Figures achieved, judged against the executed targets."})
    measurements = Text(strip=False, validate=validate.Length(min=1, max=MEASUREMENTS_MAX_BYTES),
                        metadata={"description": "Instead of `achieved`: the text of a CSV of measurements "
                                                 "(service_level, target, achieved, unit, period), as the review "
                                                 "page takes it; each bad line is an error at `measurements`."})
    effectiveness = Text(load_default="", validate=validate.Length(max=LONG))
    client_issues = Text(load_default="", validate=validate.Length(max=LONG))
    decisions = Text(load_default="", validate=validate.Length(max=LONG))
    actions = fields.List(fields.Nested(ActionInput), load_default=list, validate=validate.Length(max=50))


# Amendments ---------------------------------------------------------------------------------

class AmendmentSchema(ma.Schema):
    number = fields.Integer()
    status = fields.String(metadata={"description": "One of: " + ", ".join(AMENDMENT_STATUSES)})
    reason = fields.String()
    effective_on = fields.Date(allow_none=True)
    review = fields.Integer(allow_none=True, metadata={"description": "The review it followed, if any."})
    base_revision = fields.Integer(metadata={"description": "The executed revision it changes."})
    revision = fields.Integer(allow_none=True, metadata={"description": "The revision both sides signed, once "
                                                                        "executed."})
    opened_by = fields.String(allow_none=True)
    opened_at = fields.DateTime()
    executed_at = fields.DateTime(allow_none=True)


class AmendmentCreateSchema(Strict):
    reason = required_text(LONG, metadata={"description": "What must change, and why (the other side reads it)."})
    effective_on = fields.Date(load_default=None, allow_none=True,
                               metadata={"description": "Today or later; default: the day it is signed."})
    review = Id(metadata={"description": "The number of the review it follows."})
