"""A person's own e-mails and the export of what notifications keeps of them."""
from __future__ import annotations

from marshmallow import Schema, fields, validate

from services.notifications import rules
from shared.http.pagination import PageArgs

__all__ = ["MyDeliveryQuery", "MyNotificationsExport", "UnsubscribeLink"]
ID = validate.Regexp(r"^[A-Za-z0-9_.:-]{1,80}$", error="Ce n'est pas un identifiant valide.")


class MyDeliveryQuery(PageArgs):
    event_id = fields.Str(validate=ID, metadata={"description": "About this meeting (invitation, registration…)"})
    subject_id = fields.Str(validate=ID)
    category = fields.Str(validate=validate.OneOf(rules.CATEGORIES))
    status = fields.Str(validate=validate.OneOf(rules.STATUSES))


class MyNotificationsExport(Schema):
    """Everything the notifications service keeps of the caller (GDPR, right of access)."""
    service = fields.Str(required=True)
    person_id = fields.Str(required=True)
    exported_at = fields.Str(required=True)
    preferences = fields.Dict(required=True)
    deliveries = fields.List(fields.Dict(), required=True)
    reminders = fields.List(fields.Dict(), required=True)
    stored_preferences = fields.List(fields.Dict(), required=True)


class UnsubscribeLink(Schema):
    category = fields.Str(required=True, metadata={"description": "`all`: every non-critical category"})
    label = fields.Str(required=True, metadata={"description": "What it switches off, in French"})
