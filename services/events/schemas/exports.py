"""A meeting's staff documents: the check-in search by name and the go / no-go board."""
from __future__ import annotations

from marshmallow import Schema, fields, validate

from services.events.schemas.common import Federation, Strict

__all__ = ["CheckInQuery", "CheckInMatch", "GoNoGoQuery", "GoNoGo"]


class CheckInQuery(Strict):
    q = fields.Str(required=True, validate=validate.Length(min=1, max=100),
                   metadata={"description": "Start of a first or last name (accents and case ignored)"})


class CheckInMatch(Schema):
    registration_id = fields.Str()
    first_name = fields.Str(allow_none=True)
    last_name = fields.Str(allow_none=True)
    structure = fields.Str(allow_none=True)
    status = fields.Str(metadata={"description": "registered (to check in), attended or absent"})


class GoNoGoQuery(Strict):
    federation = Federation(metadata={"description": "National roles only"})


class GoNoGo(Schema):
    event_id = fields.Str()
    title = fields.Str()
    kind = fields.Str()
    kind_label = fields.Str(allow_none=True)
    starts_at = fields.AwareDateTime()
    decision_by = fields.AwareDateTime(metadata={"description": "The minimum's deadline (else the start)"})
    registered = fields.Int()
    min_participants = fields.Int()
    missing = fields.Int()
    days_left = fields.Int()
    status = fields.Str(metadata={"enum": ["go", "at_risk", "no_go"]})
    warned_at = fields.AwareDateTime(allow_none=True)
