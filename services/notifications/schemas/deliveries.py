"""The delivery log: every message (e-mail, webhook) and each attempt."""
from __future__ import annotations

from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from services.notifications import rules
from services.notifications.schemas import FEDERATION, ID
from shared.http.pagination import PageArgs, page_schema
from shared.http.schema_fields import DocumentId


class Attempt(Schema):
    n = fields.Int()
    at = fields.AwareDateTime()
    outcome = fields.Str(metadata={"enum": ["sent", "error", "suppressed", "retry_requested", "lease_expired"]})
    error = fields.Str(allow_none=True)
    reason = fields.Str(allow_none=True)
    message_id = fields.Str(allow_none=True)
    http_status = fields.Int(allow_none=True)
    by = fields.Str(allow_none=True)


class RecipientOut(Schema):
    email = fields.Str(allow_none=True)
    name = fields.Str(allow_none=True)
    url = fields.Str(allow_none=True)


class MessageOut(Schema):
    subject = fields.Str()
    text = fields.Str()
    html = fields.Str()


class Delivery(Schema):
    id = DocumentId()
    federation = fields.Str(allow_none=True)
    channel = fields.Str(required=True, metadata={"enum": list(rules.CHANNELS)})
    status = fields.Str(required=True, metadata={"enum": list(rules.STATUSES)})
    reason = fields.Str(allow_none=True, metadata={"description": "Why it was suppressed"})
    category = fields.Str(allow_none=True)
    template = fields.Str(allow_none=True)
    event_type = fields.Str(allow_none=True, metadata={"description": "Domain event (or notifications.reminder)"})
    origin = fields.Str(allow_none=True, metadata={"description": "Id of the domain event (or reminder firing)"})
    subject_id = fields.Str(allow_none=True, metadata={"description": "Aggregate the event was about"})
    event_id = fields.Str(allow_none=True, metadata={"description": "The meeting (events service) it is about"})
    person_id = fields.Str(allow_none=True)
    webhook_id = fields.Str(allow_none=True)
    recipient = fields.Nested(RecipientOut, allow_none=True)
    subject = fields.Function(lambda d: (d.get("message") or {}).get("subject"), allow_none=True)
    message_id = fields.Str(allow_none=True)
    ics_uid = fields.Str(allow_none=True)
    ics_sequence = fields.Int(allow_none=True)
    ics_method = fields.Str(allow_none=True)
    attempt_count = fields.Int()
    attempts = fields.List(fields.Nested(Attempt))
    last_error = fields.Str(allow_none=True)
    next_attempt_at = fields.AwareDateTime(allow_none=True)
    erased = fields.Bool()
    created_at = fields.AwareDateTime()
    updated_at = fields.AwareDateTime()
    sent_at = fields.AwareDateTime(allow_none=True)


class DeliveryDetail(Delivery):
    message = fields.Nested(MessageOut, allow_none=True)


DeliveryPage = page_schema(Delivery, "DeliveryPage")


class DeliveryQuery(PageArgs):
    status = fields.Str(validate=validate.OneOf(rules.STATUSES))
    channel = fields.Str(validate=validate.OneOf(rules.CHANNELS))
    person_id = fields.Str(validate=ID)
    event_type = fields.Str(validate=validate.Regexp(r"^[a-z_]+\.[a-z_]+(\.[a-z_]+)?(\.v[0-9]+)?$"))
    template = fields.Str(validate=validate.Regexp(r"^[a-z_]{1,60}$"))
    category = fields.Str(validate=validate.OneOf([*rules.CATEGORIES, "webhook"]))
    webhook_id = fields.Str(validate=ID)
    subject_id = fields.Str(validate=ID)
    event_id = fields.Str(validate=ID, metadata={"description": "Messages about this meeting (invitations, "
                                                              "registrations, reminders, changes)"})
    since = fields.AwareDateTime(metadata={"description": "Created at or after (ISO-8601 with offset)"})
    until = fields.AwareDateTime(metadata={"description": "Created before"})
    federation = fields.Str(validate=FEDERATION, metadata={"description": "National roles only"})

    @validates_schema
    def _range(self, data, **_):
        if data.get("since") and data.get("until") and data["since"] >= data["until"]:
            raise ValidationError("`until` doit être après `since`.", "until")
