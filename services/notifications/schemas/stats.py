"""`GET /v1/stats` and the reminders of a meeting."""
from __future__ import annotations

from marshmallow import Schema, fields, validate

from services.notifications.schemas import FEDERATION, ID, Strict


class StatsQuery(Strict):
    year = fields.Int(validate=validate.Range(min=2000, max=2100))
    federation = fields.Str(validate=FEDERATION, metadata={"description": "National roles only"})


class Stats(Schema):
    year = fields.Int(allow_none=True)
    federation = fields.Str(allow_none=True)
    emails = fields.Dict(keys=fields.Str(), values=fields.Int(), required=True,
                         metadata={"description": "total, sent, failed, suppressed, pending"})
    webhooks = fields.Dict(keys=fields.Str(), values=fields.Int(), required=True,
                           metadata={"description": "total, delivered, failed, pending"})
    emails_by_category = fields.Dict(keys=fields.Str(), values=fields.Int(), required=True)
    suppressed_by_reason = fields.Dict(keys=fields.Str(), values=fields.Int(), required=True)
    reminders = fields.Dict(keys=fields.Str(), values=fields.Int(), required=True,
                            metadata={"description": "fired, pending, cancelled (dropped or skipped)"})


class RemindersQuery(Strict):
    event_id = fields.Str(required=True, validate=ID, metadata={"description": "The meeting (events service)"})


class Reminder(Schema):
    id = fields.Str()
    rule = fields.Str()
    fire_at = fields.AwareDateTime()
    status = fields.Str(metadata={"enum": ["pending", "fired", "dropped", "skipped"]})
    person_id = fields.Str(allow_none=True)
    recipient_name = fields.Str(allow_none=True)
    reason = fields.Str(allow_none=True)
